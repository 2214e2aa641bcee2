//! Sealing 64 KiB records as the record layer does (a new nonce each, the
//! length as associated data): cor4's RC6-GCM on the path chosen at run
//! time and on the portable path, beside RC6-GCM over RustCrypto's `rc6`
//! crate and AES-128-GCM. One thread; MB/s of the thread's CPU time, so a
//! busy neighbour does not skew it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aes_gcm::aead::AeadInOut;
use aes_gcm::aead::consts::{U12, U16, U20};
use aes_gcm::{Aes128Gcm, AesGcm, KeyInit};
use cor4_protocol::crypto::{Rc6, Rc6Backend, Rc6Gcm};

use super::Figure;

const KEY: [u8; 16] = *b"bench-rc6-key-16";
const RECORD: usize = 64 * 1024;
const RUN: Duration = Duration::from_millis(700);

/// This thread's CPU time (Linux `schedstat`, nanoseconds).
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns = stat
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(ns)
}

/// MB/s of CPU time sealing records with `aead`.
fn seal_rate<A: AeadInOut<NonceSize = U12>>(aead: &A) -> f64 {
    let mut record = vec![0x5a_u8; RECORD];
    let header = u32::try_from(RECORD).unwrap_or(u32::MAX).to_le_bytes();
    let mut nonce = [0u8; 12];
    let mut counter = 0u64;
    let mut bytes = 0u64;
    let cpu = thread_cpu();
    let start = Instant::now();
    while start.elapsed() < RUN {
        counter += 1;
        nonce[4..].copy_from_slice(&counter.to_le_bytes());
        let tag = aead
            .encrypt_inout_detached(&nonce.into(), &header, record.as_mut_slice().into())
            .expect("a record within GCM's limit");
        black_box(tag);
        bytes += RECORD as u64;
    }
    let used = thread_cpu().saturating_sub(cpu);
    let time = if used.is_zero() {
        start.elapsed()
    } else {
        used
    };
    bytes as f64 / time.as_secs_f64() / 1e6
}

pub fn run(figures: &mut Vec<Figure>) {
    let crate_rate = seal_rate(&AesGcm::<rc6::RC6<u32, U20, U16>, U12>::new(&KEY.into()));
    let aes_rate = seal_rate(&Aes128Gcm::new(&KEY.into()));
    let mut paths = vec![Rc6Backend::auto()];
    if !paths.contains(&Rc6Backend::Portable) {
        paths.push(Rc6Backend::Portable);
    }
    for backend in paths {
        let rate = seal_rate(&Rc6Gcm::from(Rc6::with_backend(&KEY, backend)));
        figures.push(Figure::new(
            format!("RC6-GCM {backend:?}, MB/s (vs rc6 crate; higher is better)"),
            format!("{rate:.0} MB/s"),
            format!("{crate_rate:.0} MB/s"),
            Some(rate / crate_rate),
        ));
    }
    let auto = seal_rate(&Rc6Gcm::new(&KEY.into()));
    figures.push(Figure::new(
        "RC6-GCM auto, MB/s (vs AES-128-GCM; higher is better)",
        format!("{auto:.0} MB/s"),
        format!("{aes_rate:.0} MB/s"),
        Some(auto / aes_rate),
    ));
}
