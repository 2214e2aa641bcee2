//! The 1M-row scan through the client library and straight to PostgreSQL,
//! and the proxy's CPU time per million rows while it relays them.

use std::time::Instant;

use futures_util::{TryStreamExt, pin_mut};

use super::{Bench, Figure, best, ratio, seconds};

const SCAN: &str = "SELECT g, rpad(g::text, 72, 'x') AS payload FROM generate_series(1, {n}) g";

pub async fn run(bench: &Bench, figures: &mut Vec<Figure>) {
    let sql = SCAN.replace("{n}", &bench.rows.to_string());
    let mut proxy_scan = Vec::new();
    let mut direct_scan = Vec::new();
    let mut proxy_cpu = Vec::new();
    let mut bytes = 0usize;
    for _ in 0..3 {
        let cpu_before = bench.proxy.cpu_time();
        let start = Instant::now();
        let mut n = 0u64;
        let mut stream = bench.client.query(&sql, &[]).await.unwrap();
        while let Some(row) = stream.try_next().await.unwrap() {
            let payload: &str = row.get(1);
            bytes = bytes.max(payload.len());
            n += 1;
        }
        assert_eq!(n, bench.rows);
        proxy_scan.push(start.elapsed());
        proxy_cpu.push(bench.proxy.cpu_time().saturating_sub(cpu_before));

        let start = Instant::now();
        let stream = bench
            .direct
            .query_raw(sql.as_str(), std::iter::empty::<i32>())
            .await
            .unwrap();
        pin_mut!(stream);
        let mut n = 0u64;
        while let Some(row) = stream.try_next().await.unwrap() {
            let payload: &str = row.get(1);
            bytes = bytes.max(payload.len());
            n += 1;
        }
        assert_eq!(n, bench.rows);
        direct_scan.push(start.elapsed());
    }
    let (p, d) = (best(proxy_scan), best(direct_scan));
    figures.push(Figure::new(
        format!(
            "scan {} rows x ~{} B (vs tokio-postgres)",
            bench.rows,
            bytes + 8
        ),
        seconds(p),
        seconds(d),
        ratio(p, d),
    ));
    let per_million = best(proxy_cpu).as_secs_f64() * 1e6 / bench.rows as f64;
    figures.push(Figure::new(
        "proxy CPU per million rows of that scan",
        format!("{per_million:.3} CPU-s"),
        String::new(),
        None,
    ));
}
