//! The proxy's memory bound (docs/operations.md): whatever logged-in users
//! send or ask for, its peak RSS stays under [`BOUND_MIB`] at the default
//! settings.

use cor4_protocol::client::{Client, Message, Row};
use cor4_tests::Proxy;

use super::*;

/// The documented bound at the defaults.
const BOUND_MIB: u64 = 256;
/// The size of each request.
const QUERY_MIB: usize = 60;

fn peak_mib(proxy: &Proxy) -> u64 {
    proxy.rss_kib().1 / 1024
}

/// Runs `sql` in eight sessions at once; `check` looks at each one's row.
async fn run_all(proxy: &Proxy, user: &str, password: &str, sql: &'static str, check: fn(&Row)) {
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let config = config(proxy, user, password);
        tasks.push(tokio::spawn(async move {
            let client = Client::connect(&config).await.expect("login");
            let mut stream = client.simple_query(sql).await.expect("the query is sent");
            let mut rows = 0;
            loop {
                match stream.next().await.expect("an answer").expect("no error") {
                    Message::Row(row) => {
                        check(&row);
                        rows += 1;
                    }
                    Message::Error(e) => panic!("the query failed: {e}"),
                    Message::Ready(_) => break,
                    _ => {}
                }
            }
            assert_eq!(rows, 1, "one row per query");
            drop(stream);
            client.close().await.expect("close");
        }));
    }
    for task in tasks {
        task.await.expect("client task");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_60_mib_queries_at_once_stay_under_the_bound() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("mem").await;
    let literal = "x".repeat(QUERY_MIB << 20);
    let sql: &'static str = Box::leak(format!("SELECT length('{literal}')").into_boxed_str());
    drop(literal);
    let before = peak_mib(&proxy);
    run_all(&proxy, &user, &password, sql, |row| {
        assert_eq!(
            row.get::<_, i32>(0),
            i32::try_from(QUERY_MIB << 20).expect("fits")
        );
    })
    .await;
    let peak = peak_mib(&proxy);
    eprintln!("eight {QUERY_MIB} MiB QUERYs: proxy peak RSS {before} MiB before, {peak} MiB after");
    assert!(
        peak < BOUND_MIB,
        "peak RSS {peak} MiB over the documented {BOUND_MIB} MiB"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_60_mib_results_at_once_stay_under_the_bound() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("mem").await;
    let sql: &'static str =
        Box::leak(format!("SELECT repeat('x', {})", QUERY_MIB << 20).into_boxed_str());
    run_all(&proxy, &user, &password, sql, |row| {
        assert_eq!(row.get::<_, String>(0).len(), QUERY_MIB << 20);
    })
    .await;
    let peak = peak_mib(&proxy);
    eprintln!("eight {QUERY_MIB} MiB results: proxy peak RSS {peak} MiB");
    assert!(
        peak < BOUND_MIB,
        "peak RSS {peak} MiB over the documented {BOUND_MIB} MiB"
    );
}
