//! Many proxies: two cor4-proxy processes behind HAProxy in TCP mode, one
//! database. Sessions spread over both; one proxy is killed; its sessions
//! are told, reconnect through HAProxy and finish; the other proxy's
//! sessions never notice.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cor4_protocol::client::{Client, Config};
use cor4_proxy::PgConfig;
use cor4_proxy::UserStore;
use cor4_tests::{Haproxy, PgServer, Proxy};
use tokio::sync::{Barrier, watch};

const SESSIONS: usize = 200;
/// Rows each session writes before the kill, and in all.
const ROWS_BEFORE: i32 = 5;
const ROWS_IN_ALL: i32 = 30;
/// Generous bound on one session's reconnecting.
const PATIENCE: Duration = Duration::from_secs(120);

/// What one session did.
#[derive(Debug, Default)]
struct Outcome {
    /// The proxy it started on (its `application_name`).
    first_proxy: String,
    /// Errors it saw, each with its message.
    errors: Vec<String>,
    /// Rows acknowledged.
    rows: i32,
}

async fn login(config: &Config, outcome: &mut Outcome) -> Client {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match Client::connect(config).await {
            Ok(client) => return client,
            Err(e) => {
                assert!(
                    Instant::now() < deadline,
                    "no login within {PATIENCE:?}: {e}"
                );
                outcome.errors.push(format!("login: {e}"));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn proxy_of(client: &Client) -> Result<String, cor4_protocol::client::Error> {
    let row = client
        .query_one("SELECT current_setting('application_name')", &[])
        .await?;
    Ok(row.get::<_, &str>(0).to_owned())
}

/// Writes rows `from..to`, reconnecting through the balancer on errors.
async fn write_rows(
    client: &mut Client,
    config: &Config,
    session: i32,
    from: i32,
    to: i32,
    outcome: &mut Outcome,
) {
    let mut n = from;
    while n < to {
        let done = client
            .execute(
                "INSERT INTO balanced_rows (session, n) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
                &[&session, &n],
            )
            .await;
        match done {
            Ok(_) => {
                outcome.rows = n + 1;
                n += 1;
            }
            Err(e) => {
                outcome.errors.push(e.to_string());
                *client = login(config, outcome).await;
            }
        }
    }
}

async fn session(
    session: i32,
    config: Config,
    ready: Arc<Barrier>,
    mut killed: watch::Receiver<bool>,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut client = login(&config, &mut outcome).await;
    outcome.first_proxy = proxy_of(&client).await.expect("which proxy");
    write_rows(&mut client, &config, session, 0, ROWS_BEFORE, &mut outcome).await;
    ready.wait().await;
    killed.wait_for(|k| *k).await.expect("the kill signal");
    write_rows(
        &mut client,
        &config,
        session,
        ROWS_BEFORE,
        ROWS_IN_ALL,
        &mut outcome,
    )
    .await;
    client.close().await.ok();
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_proxies_behind_haproxy_lose_only_the_killed_ones_sessions() {
    let db = PgServer::init();
    db.start();
    let store = UserStore::open(PgConfig::parse(&db.url("")).unwrap())
        .await
        .expect("user store");
    let mut grants = Vec::new();
    for i in 0..SESSIONS {
        let name = format!("lb_user_{i}");
        store
            .add_user(
                &name,
                &format!("{name} password"),
                None,
                false,
                cor4_tests::TEST_KSF,
            )
            .await
            .unwrap();
        grants.push(name);
    }
    db.psql(&format!(
        "CREATE TABLE balanced_rows (session int, n int, PRIMARY KEY (session, n)); \
         GRANT SELECT, INSERT ON balanced_rows TO {}",
        grants.join(", ")
    ));
    drop(store);

    // Every client arrives from HAProxy's address.
    let flags = [
        "--max-sessions",
        "1000",
        "--max-pending-per-address",
        "1000",
    ];
    let mut proxy_a = Proxy::start_on(&db.url("application_name=proxy_a"), &flags);
    let proxy_b = Proxy::start_on(&db.url("application_name=proxy_b"), &flags);
    let haproxy = Haproxy::start(&[proxy_a.addr(), proxy_b.addr()]);
    let (idle_rss, _) = proxy_b.rss_kib();
    let front = haproxy.addr();

    let ready = Arc::new(Barrier::new(SESSIONS + 1));
    let (kill_tx, kill_rx) = watch::channel(false);
    let tasks: Vec<_> = (0..SESSIONS)
        .map(|i| {
            let name = format!("lb_user_{i}");
            let config = Config::new(
                &front.ip().to_string(),
                front.port(),
                &name,
                &format!("{name} password"),
            )
            .connect_timeout(Duration::from_secs(10));
            tokio::spawn(session(
                i32::try_from(i).unwrap(),
                config,
                ready.clone(),
                kill_rx.clone(),
            ))
        })
        .collect();
    ready.wait().await;
    let (busy_rss, _) = proxy_b.rss_kib();
    proxy_a.kill();
    kill_tx.send(true).unwrap();

    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    let mut per_proxy = BTreeMap::<&str, usize>::new();
    for o in &outcomes {
        *per_proxy.entry(o.first_proxy.as_str()).or_default() += 1;
    }
    eprintln!(
        "balancer: sessions per proxy at the start: {per_proxy:?}; proxy_b RSS {idle_rss} KiB \
         before, {busy_rss} KiB with its sessions open"
    );
    for (proxy, count) in &per_proxy {
        assert!(
            *count >= SESSIONS / 4,
            "HAProxy sent only {count} of {SESSIONS} sessions to {proxy}: {per_proxy:?}"
        );
    }
    assert_eq!(per_proxy.len(), 2, "{per_proxy:?}");

    for (i, o) in outcomes.iter().enumerate() {
        assert_eq!(o.rows, ROWS_IN_ALL, "session {i} did not finish");
        match o.first_proxy.as_str() {
            "proxy_a" => assert!(
                !o.errors.is_empty(),
                "session {i} on the killed proxy saw no error"
            ),
            _ => assert!(
                o.errors.is_empty(),
                "session {i} on the surviving proxy saw errors: {:?}",
                o.errors
            ),
        }
    }
    let killed_errors: Vec<&String> = outcomes
        .iter()
        .filter(|o| o.first_proxy == "proxy_a")
        .flat_map(|o| o.errors.first())
        .collect();
    eprintln!(
        "balancer: first error of a session on the killed proxy: {:?}",
        killed_errors.first()
    );
    let stored = db.psql("SELECT count(*) FROM balanced_rows");
    assert_eq!(
        stored,
        (SESSIONS * usize::try_from(ROWS_IN_ALL).unwrap()).to_string()
    );
    drop(haproxy);
    drop(proxy_b);
}
