//! How fast records are sealed: RC6-GCM on the auto-selected path and on
//! every other path this CPU runs (the portable one always), RC6-GCM on
//! RustCrypto's `rc6` crate, and AES-128-GCM, each sealing one record size
//! over and over for about two seconds; and, for scale, the new RC6 alone
//! encrypting the same bytes as blocks, without GCM.
//!
//! ```text
//! cargo run -p cor4-protocol --release --example rc6_speed [RECORD_BYTES]
//! ```
//!
//! RECORD_BYTES defaults to 65536. One thread. Besides MB/s of wall time
//! it prints MB/s of the thread's own CPU time (Linux), which stays nearer
//! the idle figure when other work shares the cores.

#![allow(clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use aes_gcm::aead::AeadInOut;
use aes_gcm::aead::consts::{U12, U16, U20};
use aes_gcm::{Aes128Gcm, AesGcm, KeyInit};
use cipher::{Array, BlockCipherEncrypt};
use cor4_protocol::crypto::{PORTABLE_ENV, Rc6, Rc6Backend, Rc6Gcm};

const KEY: [u8; 16] = *b"rc6-speed-key-16";
const RUN: Duration = Duration::from_secs(2);

/// This thread's user and system CPU time, from `/proc` (Linux, where a
/// clock tick is 10 ms); `None` elsewhere.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // After the command name come fields 3 (state) onwards; utime and
    // stime are fields 14 and 15.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Runs `step` (which handles `bytes_per_step` bytes) for [`RUN`] and
/// prints the rate.
fn measure(name: &str, bytes_per_step: usize, mut step: impl FnMut()) {
    let mut bytes = 0u64;
    let cpu_start = thread_cpu_time();
    let start = Instant::now();
    while start.elapsed() < RUN {
        for _ in 0..16 {
            step();
            bytes += bytes_per_step as u64;
        }
    }
    let wall = start.elapsed();
    let cpu = thread_cpu_time()
        .zip(cpu_start)
        .map(|(end, start)| end.saturating_sub(start))
        .filter(|cpu| !cpu.is_zero());
    let mb_per_s = |time: Duration| bytes as f64 / time.as_secs_f64() / 1e6;
    match cpu {
        Some(cpu) => println!(
            "{name:<28} {:>6.0} MB/s wall  {:>6.0} MB/s on CPU",
            mb_per_s(wall),
            mb_per_s(cpu)
        ),
        None => println!("{name:<28} {:>6.0} MB/s wall", mb_per_s(wall)),
    }
}

/// Seals one `record_len`-byte record after another, as the record layer
/// does: a new nonce each time, the length as associated data.
fn measure_seal<A: AeadInOut<NonceSize = U12>>(name: &str, aead: &A, record_len: usize) {
    let mut record = vec![0x5a_u8; record_len];
    let header = u32::try_from(record_len).unwrap_or(u32::MAX).to_le_bytes();
    let mut nonce = [0u8; 12];
    let mut counter = 0u64;
    measure(name, record_len, || {
        counter += 1;
        nonce[4..].copy_from_slice(&counter.to_le_bytes());
        let tag = aead
            .encrypt_inout_detached(&nonce.into(), &header, record.as_mut_slice().into())
            .expect("a record within GCM's length limit");
        black_box(tag);
    });
}

fn main() {
    let record_len: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse().expect("RECORD_BYTES is a number"),
        None => 64 * 1024,
    };
    let auto = Rc6Backend::auto();
    let forced = std::env::var(PORTABLE_ENV).is_ok_and(|v| v == "1");
    println!(
        "sealing {record_len}-byte records; auto path {auto:?}{}",
        if forced { " (COR4_RC6_PORTABLE=1)" } else { "" }
    );

    measure_seal(
        &format!("RC6-GCM, auto ({auto:?})"),
        &Rc6Gcm::new(&KEY.into()),
        record_len,
    );
    for backend in Rc6Backend::ALL {
        if backend != auto && backend.is_supported() {
            let gcm = Rc6Gcm::from(Rc6::with_backend(&KEY, backend));
            measure_seal(&format!("RC6-GCM, {backend:?}"), &gcm, record_len);
        }
    }
    measure_seal(
        "RC6-GCM, rc6 crate",
        &AesGcm::<rc6::RC6<u32, U20, U16>, U12>::new(&KEY.into()),
        record_len,
    );
    measure_seal("AES-128-GCM", &Aes128Gcm::new(&KEY.into()), record_len);

    let rc6 = Rc6::new(&KEY.into());
    let mut blocks = vec![Array::<u8, U16>::default(); record_len.div_ceil(16)];
    measure(
        &format!("RC6 blocks alone, {auto:?}"),
        16 * blocks.len(),
        || {
            rc6.encrypt_blocks(&mut blocks);
            black_box(&blocks);
        },
    );
}
