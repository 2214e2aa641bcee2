//! 64 concurrent sessions, each running small queries one after another
//! for 10 seconds: through cor4 beside 64 direct connections; queries per
//! second and the p99 of every query's time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cor4_protocol::client::Client;
use cor4_tests::test_database;

use super::latency::quantile;
use super::{Bench, Figure, micros, ratio};

const SESSIONS: usize = 64;
const RUN: Duration = Duration::from_secs(10);
const QUERY: &str =
    "SELECT id, name FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) v(id, name) WHERE id > 1";

/// Runs `one` in `SESSIONS` tasks until [`RUN`] is over; returns the
/// number of queries and every query's time.
async fn drive<F, Fut>(one: F) -> (usize, Vec<Duration>)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Vec<Duration>> + Send + 'static,
{
    let tasks: Vec<_> = (0..SESSIONS).map(|i| tokio::spawn(one(i))).collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    (all.len(), all)
}

pub async fn run(bench: &Bench, figures: &mut Vec<Figure>) {
    // One side at a time, so that 64 + 64 connections never meet
    // PostgreSQL's connection limit.
    let config = bench.config();
    let mut ours = Vec::new();
    for _ in 0..SESSIONS {
        ours.push(Arc::new(Client::connect(&config).await.unwrap()));
    }
    let start = Instant::now();
    let (our_n, our_times) = drive(|i| {
        let client = Arc::clone(&ours[i]);
        async move {
            let mut times = Vec::new();
            while start.elapsed() < RUN {
                let t = Instant::now();
                client.query_all(QUERY, &[]).await.unwrap();
                times.push(t.elapsed());
            }
            times
        }
    })
    .await;
    let our_wall = start.elapsed();
    for client in ours {
        if let Ok(c) = Arc::try_unwrap(client) {
            let _ = c.close().await;
        }
    }

    let mut theirs = Vec::new();
    for _ in 0..SESSIONS {
        let (client, conn) = test_database()
            .admin_config()
            .connect(tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        theirs.push(Arc::new(client));
    }
    let start = Instant::now();
    let (their_n, their_times) = drive(|i| {
        let client = Arc::clone(&theirs[i]);
        async move {
            let mut times = Vec::new();
            while start.elapsed() < RUN {
                let t = Instant::now();
                client.simple_query(QUERY).await.unwrap();
                times.push(t.elapsed());
            }
            times
        }
    })
    .await;
    let their_wall = start.elapsed();
    drop(theirs);
    let our_qps = our_n as f64 / our_wall.as_secs_f64();
    let their_qps = their_n as f64 / their_wall.as_secs_f64();
    figures.push(Figure::new(
        format!("{SESSIONS} sessions, queries/s (vs direct; higher is better)"),
        format!("{our_qps:.0}/s"),
        format!("{their_qps:.0}/s"),
        Some(our_qps / their_qps),
    ));
    let (p, d) = (quantile(&our_times, 990), quantile(&their_times, 990));
    figures.push(Figure::new(
        format!("{SESSIONS} sessions, p99 query time (vs direct)"),
        micros(p),
        micros(d),
        ratio(p, d),
    ));
}
