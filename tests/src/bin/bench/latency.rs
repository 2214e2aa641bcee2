//! Round trips: `SELECT 1` and a prepared `SELECT $1::int`, through cor4
//! and straight to PostgreSQL, interleaved in batches so both see the same
//! machine; p50 and p99 of every single round trip.

use std::time::{Duration, Instant};

use super::{Bench, Figure, micros, ratio};

/// Round trips per side.
const N: usize = 6000;
/// Round trips per side before switching to the other.
const BATCH: usize = 200;

/// The `per_mille`/1000 quantile of sorted durations (500: the median).
pub fn quantile(sorted: &[Duration], per_mille: usize) -> Duration {
    let i = (sorted.len().saturating_sub(1) * per_mille + 500) / 1000;
    sorted[i.min(sorted.len() - 1)]
}

fn push(figures: &mut Vec<Figure>, what: &str, mut ours: Vec<Duration>, mut theirs: Vec<Duration>) {
    ours.sort();
    theirs.sort();
    for (label, q) in [("p50", 500), ("p99", 990)] {
        let (p, d) = (quantile(&ours, q), quantile(&theirs, q));
        figures.push(Figure::new(
            format!("{what} {label} (vs tokio-postgres)"),
            micros(p),
            micros(d),
            ratio(p, d),
        ));
    }
}

pub async fn run(bench: &Bench, figures: &mut Vec<Figure>) {
    // The proxy answers PING itself: the cost of the hop without PostgreSQL.
    let mut pings = Vec::with_capacity(N);
    for _ in 0..N {
        let start = Instant::now();
        bench.client.ping().await.unwrap();
        pings.push(start.elapsed());
    }
    pings.sort();
    figures.push(Figure::new(
        "PING round trip to the proxy, p50",
        micros(quantile(&pings, 500)),
        String::new(),
        None,
    ));
    let mut ours = Vec::with_capacity(N);
    let mut theirs = Vec::with_capacity(N);
    let mut proxy_cpu = std::time::Duration::ZERO;
    while ours.len() < N {
        let cpu = bench.proxy.cpu_time();
        for _ in 0..BATCH {
            let start = Instant::now();
            bench.client.query_all("SELECT 1", &[]).await.unwrap();
            ours.push(start.elapsed());
        }
        proxy_cpu += bench.proxy.cpu_time().saturating_sub(cpu);
        for _ in 0..BATCH {
            let start = Instant::now();
            bench.direct.simple_query("SELECT 1").await.unwrap();
            theirs.push(start.elapsed());
        }
    }
    figures.push(Figure::new(
        "proxy CPU per SELECT 1 round trip",
        micros(proxy_cpu / u32::try_from(N).unwrap_or(u32::MAX)),
        String::new(),
        None,
    ));
    push(figures, "round trip SELECT 1", ours, theirs);

    let our_stmt = bench.client.prepare("SELECT $1::int").await.unwrap();
    let their_stmt = bench.direct.prepare("SELECT $1::int").await.unwrap();
    let mut ours = Vec::with_capacity(N);
    let mut theirs = Vec::with_capacity(N);
    let mut i = 0i32;
    while ours.len() < N {
        for _ in 0..BATCH {
            i += 1;
            let start = Instant::now();
            let v: i32 = bench
                .client
                .query_one(&our_stmt, &[&i])
                .await
                .unwrap()
                .get(0);
            ours.push(start.elapsed());
            assert_eq!(v, i);
        }
        for _ in 0..BATCH {
            let start = Instant::now();
            let v: i32 = bench
                .direct
                .query_one(&their_stmt, &[&i])
                .await
                .unwrap()
                .get(0);
            theirs.push(start.elapsed());
            assert_eq!(v, i);
        }
    }
    push(figures, "prepared SELECT $1", ours, theirs);
}
