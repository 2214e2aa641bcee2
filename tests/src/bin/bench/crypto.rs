//! Sealing 64 KiB records as the record layer does (a new nonce each, the
//! length as associated data): cor4's RC6-GCM on the path chosen at run
//! time and on the portable path, beside RC6-GCM over RustCrypto's `rc6`
//! crate and AES-128-GCM. One thread; MB/s of the thread's CPU time, the
//! best of several windows: on a shared or virtual machine a window may
//! lose the CPU (or its cache) to a neighbour, never gain it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aes_gcm::aead::AeadInOut;
use aes_gcm::aead::consts::{U12, U16, U20};
use aes_gcm::{Aes128Gcm, AesGcm, KeyInit};
use cor4_protocol::crypto::{Rc6, Rc6Backend, Rc6Gcm};

use super::Figure;

const KEY: [u8; 16] = *b"bench-rc6-key-16";
const RECORD: usize = 64 * 1024;
const WINDOW: Duration = Duration::from_millis(300);
const WINDOWS: usize = 5;

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

/// One cipher under test: its record and nonce counter, and a window of
/// sealing with it.
type Sealer<'a> = Box<dyn FnMut() -> f64 + 'a>;

fn sealer<'a, A: AeadInOut<NonceSize = U12> + 'a>(aead: A) -> Sealer<'a> {
    let mut record = vec![0x5a_u8; RECORD];
    let mut counter = 0u64;
    Box::new(move || seal_window(&aead, &mut record, &mut counter))
}

/// The best MB/s of each sealer over [`WINDOWS`] rounds, the sealers taking
/// turns within each round so that none gains from going first or last.
fn best_rates(sealers: &mut [Sealer<'_>]) -> Vec<f64> {
    let mut best = vec![0.0f64; sealers.len()];
    for _ in 0..WINDOWS {
        for (rate, seal) in best.iter_mut().zip(sealers.iter_mut()) {
            *rate = rate.max(seal());
        }
    }
    best
}

/// MB/s of CPU time sealing `record` for one [`WINDOW`]; `counter` makes
/// each nonce new.
fn seal_window<A: AeadInOut<NonceSize = U12>>(
    aead: &A,
    record: &mut [u8],
    counter: &mut u64,
) -> f64 {
    let header = u32::try_from(record.len())
        .unwrap_or(u32::MAX)
        .to_le_bytes();
    let mut nonce = [0u8; 12];
    let mut bytes = 0u64;
    let cpu = thread_cpu();
    let start = Instant::now();
    while start.elapsed() < WINDOW {
        *counter += 1;
        nonce[4..].copy_from_slice(&counter.to_le_bytes());
        let tag = aead
            .encrypt_inout_detached(&nonce.into(), &header, (&mut *record).into())
            .expect("a record within GCM's limit");
        black_box(tag);
        bytes += record.len() as u64;
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
    let mut paths = vec![Rc6Backend::auto()];
    if !paths.contains(&Rc6Backend::Portable) {
        paths.push(Rc6Backend::Portable);
    }
    let mut sealers = vec![
        sealer(AesGcm::<rc6::RC6<u32, U20, U16>, U12>::new(&KEY.into())),
        sealer(Aes128Gcm::new(&KEY.into())),
    ];
    for &backend in &paths {
        sealers.push(sealer(Rc6Gcm::from(Rc6::with_backend(&KEY, backend))));
    }
    let rates = best_rates(&mut sealers);
    let (crate_rate, aes_rate) = (rates[0], rates[1]);
    for (backend, rate) in paths.iter().zip(&rates[2..]) {
        figures.push(Figure::new(
            format!("RC6-GCM {backend:?}, MB/s (vs rc6 crate; higher is better)"),
            format!("{rate:.0} MB/s"),
            format!("{crate_rate:.0} MB/s"),
            Some(rate / crate_rate),
        ));
    }
    let auto = rates[2];
    figures.push(Figure::new(
        "RC6-GCM auto, MB/s (vs AES-128-GCM; higher is better)",
        format!("{auto:.0} MB/s"),
        format!("{aes_rate:.0} MB/s"),
        Some(auto / aes_rate),
    ));
}
