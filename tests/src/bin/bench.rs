//! The benchmark: the same work through the cor4 proxy and straight to
//! PostgreSQL with tokio-postgres, in one run, and the ratio.
//!
//! ```text
//! cargo run --release -p cor4-tests --bin bench [-- ROWS]
//! ```
//!
//! It starts its own throwaway PostgreSQL (or uses COR4_TEST_DATABASE_URL)
//! and the release `cor4-proxy`. Every figure is the best of three runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use cor4_protocol::client::{Client, Config};
use cor4_proxy::users::UserStore;
use cor4_tests::{Proxy, test_database};
use futures_util::{TryStreamExt, pin_mut};

const SCAN: &str = "SELECT g, rpad(g::text, 72, 'x') AS payload FROM generate_series(1, {n}) g";

fn best(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[0]
}

#[tokio::main]
async fn main() {
    let rows: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let db = test_database();
    let store = UserStore::open(&db.admin_config())
        .await
        .expect("user store");
    let user = format!("bench_{}", std::process::id());
    let password = "bench password 1";
    store
        .add_user(&user, password, None, false, 1000)
        .await
        .expect("add user");
    let proxy = Proxy::start(&[]);
    let addr = proxy.addr();
    let config = Config::new(&addr.ip().to_string(), addr.port(), &user, password);
    let client = Client::connect(&config).await.expect("proxy login");
    let (direct, conn) = db
        .admin_config()
        .connect(tokio_postgres::NoTls)
        .await
        .expect("direct");
    tokio::spawn(conn);
    let sql = SCAN.replace("{n}", &rows.to_string());

    // Warm up both paths (plans, caches).
    client.execute("SELECT 1", &[]).await.unwrap();
    direct.simple_query("SELECT 1").await.unwrap();

    let mut proxy_scan = Vec::new();
    let mut direct_scan = Vec::new();
    let mut bytes = 0usize;
    for _ in 0..3 {
        let start = Instant::now();
        let mut n = 0u64;
        {
            let mut stream = client.query(&sql, &[]).await.unwrap();
            while let Some(row) = stream.try_next().await.unwrap() {
                let payload: &str = row.get(1);
                bytes = bytes.max(payload.len());
                n += 1;
            }
        }
        assert_eq!(n, rows);
        proxy_scan.push(start.elapsed());

        let start = Instant::now();
        let stream = direct
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
        assert_eq!(n, rows);
        direct_scan.push(start.elapsed());
    }

    let round_trips = 2000;
    let mut proxy_rt = Vec::new();
    let mut direct_rt = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        for _ in 0..round_trips {
            client.query_all("SELECT 1", &[]).await.unwrap();
        }
        proxy_rt.push(start.elapsed() / round_trips);
        let start = Instant::now();
        for _ in 0..round_trips {
            direct.simple_query("SELECT 1").await.unwrap();
        }
        direct_rt.push(start.elapsed() / round_trips);
    }
    let (p, d) = (best(proxy_scan), best(direct_scan));
    let (pr, dr) = (best(proxy_rt), best(direct_rt));
    let (rss, hwm) = proxy.rss_kib();
    println!("cor4 benchmark (best of 3; proxy path vs direct tokio-postgres)");
    println!("{:<34} {:>12} {:>12} {:>8}", "", "proxy", "direct", "ratio");
    println!(
        "{:<34} {:>10.3} s {:>10.3} s {:>8.2}",
        format!("scan {rows} rows x ~{} B", bytes + 8),
        p.as_secs_f64(),
        d.as_secs_f64(),
        p.as_secs_f64() / d.as_secs_f64()
    );
    println!(
        "{:<34} {:>9.1} µs {:>9.1} µs {:>8.2}",
        "round trip SELECT 1",
        pr.as_secs_f64() * 1e6,
        dr.as_secs_f64() * 1e6,
        pr.as_secs_f64() / dr.as_secs_f64()
    );
    println!(
        "{:<34} {:>9.0} r/s {:>9.0} r/s",
        "rows per second",
        rows as f64 / p.as_secs_f64(),
        rows as f64 / d.as_secs_f64()
    );
    println!("proxy RSS now {rss} KiB, peak {hwm} KiB");
    client.close().await.unwrap();
    drop(proxy);
    let _ = store.remove_dropping_objects(&user).await;
}
