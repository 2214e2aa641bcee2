//! How fast records are sealed: RC6-GCM on the auto-selected and the
//! portable path, RC6-GCM on RustCrypto's `rc6` crate, and AES-128-GCM,
//! each sealing one record size over and over for about two seconds.
//!
//! ```text
//! cargo run -p cor4-protocol --release --example rc6_speed [RECORD_BYTES]
//! ```
//!
//! RECORD_BYTES defaults to 65536. One core, one thread.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aes_gcm::aead::AeadInOut;
use aes_gcm::aead::consts::{U12, U16, U20};
use aes_gcm::{Aes128Gcm, AesGcm, KeyInit};
use cor4_protocol::crypto::{PORTABLE_ENV, Rc6, Rc6Backend, Rc6Gcm};

const KEY: [u8; 16] = *b"rc6-speed-key-16";
const RUN: Duration = Duration::from_secs(2);

/// Seals `record_len` bytes repeatedly for [`RUN`]; returns MB/s (10^6).
fn seal_rate<A: AeadInOut<NonceSize = U12>>(aead: &A, record_len: usize) -> f64 {
    let mut record = vec![0x5a_u8; record_len];
    let header = u32::try_from(record_len).unwrap_or(u32::MAX).to_le_bytes();
    let mut nonce = [0u8; 12];
    let mut bytes = 0u64;
    let start = Instant::now();
    let mut counter = 0u64;
    while start.elapsed() < RUN {
        for _ in 0..16 {
            counter += 1;
            nonce[4..].copy_from_slice(&counter.to_le_bytes());
            let tag = aead
                .encrypt_inout_detached(&nonce.into(), &header, record.as_mut_slice().into())
                .expect("a record within GCM's length limit");
            black_box(tag);
            bytes += record_len as u64;
        }
    }
    bytes as f64 / start.elapsed().as_secs_f64() / 1e6
}

fn main() {
    let record_len = match std::env::args().nth(1) {
        Some(arg) => arg.parse().expect("RECORD_BYTES is a number"),
        None => 64 * 1024,
    };
    let auto = Rc6Backend::auto();
    let forced = std::env::var(PORTABLE_ENV).is_ok_and(|v| v == "1");
    println!(
        "sealing {record_len}-byte records; auto backend {auto:?}{}",
        if forced {
            " (forced by COR4_RC6_PORTABLE=1)"
        } else {
            ""
        }
    );
    let lines: [(&str, f64); 4] = [
        (
            "RC6-GCM, auto path",
            seal_rate(&Rc6Gcm::new(&KEY.into()), record_len),
        ),
        (
            "RC6-GCM, portable path",
            seal_rate(
                &Rc6Gcm::from(Rc6::with_backend(&KEY, Rc6Backend::Portable)),
                record_len,
            ),
        ),
        (
            "RC6-GCM, rc6 crate",
            seal_rate(
                &AesGcm::<rc6::RC6<u32, U20, U16>, U12>::new(&KEY.into()),
                record_len,
            ),
        ),
        (
            "AES-128-GCM",
            seal_rate(&Aes128Gcm::new(&KEY.into()), record_len),
        ),
    ];
    for (name, rate) in lines {
        println!("{name:<24} {rate:>8.0} MB/s");
    }
}
