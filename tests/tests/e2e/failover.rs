//! Primary/standby failover behind one proxy: a multi-host URL with
//! `target_session_attrs=read-write`, 20 sessions writing, the primary
//! stopped and the standby promoted. Every acknowledged row survives and
//! every session writes again after reconnecting.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cor4_protocol::client::{Client, Config, Error};
use cor4_proxy::PgConfig;
use cor4_proxy::UserStore;
use cor4_tests::{PgServer, Proxy};
use tokio::sync::Mutex;

const SESSIONS: i32 = 20;
/// Rows each session writes before the primary is stopped, and again after
/// the promotion.
const ROWS_EACH_PHASE: usize = 10;
/// Generous bounds on waiting for observable progress.
const PATIENCE: Duration = Duration::from_secs(120);

/// What one writer saw.
#[derive(Default)]
struct Progress {
    /// Row numbers whose INSERT was acknowledged, with when.
    acked: Vec<(i32, Instant)>,
    /// Errors, as `ErrorKind` (and cor4 error code) with their message.
    errors: Vec<String>,
}

type Shared = Arc<Mutex<Progress>>;

async fn login(config: &Config, progress: &Shared, stop: &AtomicBool) -> Option<Client> {
    while !stop.load(Ordering::Relaxed) {
        match Client::connect(config).await {
            Ok(client) => return Some(client),
            Err(e) => {
                progress.lock().await.errors.push(describe(&e));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    None
}

fn describe(e: &Error) -> String {
    format!("{:?} {:?}: {e}", e.kind(), e.error_code())
}

/// Inserts (session, n) for n = 0, 1, … until told to stop; on any error it
/// drops the connection and logs in again, as an application would.
async fn writer(session: i32, config: Config, progress: Shared, stop: Arc<AtomicBool>) {
    let mut n = 0;
    let mut client = None;
    while !stop.load(Ordering::Relaxed) {
        let c = match client.take() {
            Some(c) => c,
            None => match login(&config, &progress, &stop).await {
                Some(c) => c,
                None => return,
            },
        };
        let result = c
            .execute(
                "INSERT INTO failover_rows (session, n) VALUES ($1, $2)",
                &[&session, &n],
            )
            .await;
        match result {
            Ok(_) => {
                progress.lock().await.acked.push((n, Instant::now()));
                client = Some(c);
            }
            Err(e) => progress.lock().await.errors.push(describe(&e)),
        }
        // Whatever happened to this row, the next one gets a new number.
        n += 1;
    }
}

/// Waits until every session has `rows` acknowledged rows after `since`.
async fn wait_for_rows(progress: &[Shared], rows: usize, since: Instant) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let mut behind = 0;
        for p in progress {
            let p = p.lock().await;
            if p.acked.iter().filter(|(_, t)| *t >= since).count() < rows {
                behind += 1;
            }
        }
        if behind == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{behind} sessions still have fewer than {rows} rows"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_rows_survive_a_failover_and_sessions_resume() {
    let primary = PgServer::init();
    primary.start();
    let standby = primary.standby();
    standby.start();
    let deadline = Instant::now() + PATIENCE;
    while primary.psql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") != "1"
    {
        assert!(Instant::now() < deadline, "the standby does not stream");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let url = format!(
        "host=127.0.0.1,127.0.0.1 port={},{} user=cor4_admin password={} dbname=postgres \
         target_session_attrs=read-write connect_timeout=5",
        primary.port(),
        standby.port(),
        primary.password()
    );
    let store = UserStore::open(PgConfig::parse(&url).unwrap())
        .await
        .expect("user store on the primary");
    store
        .add_user(
            "failover_writer",
            "failover password",
            None,
            false,
            cor4_tests::TEST_KSF,
        )
        .await
        .unwrap();
    primary.psql(
        "CREATE TABLE failover_rows (session int, n int, PRIMARY KEY (session, n)); \
         GRANT SELECT, INSERT ON failover_rows TO failover_writer",
    );
    drop(store);
    let proxy = Proxy::start_on(&url, &[]);
    let addr = proxy.addr();
    let config = Config::new(
        &addr.ip().to_string(),
        addr.port(),
        "failover_writer",
        "failover password",
    )
    .connect_timeout(Duration::from_secs(5));

    let stop = Arc::new(AtomicBool::new(false));
    let progress: Vec<Shared> = (0..SESSIONS).map(|_| Shared::default()).collect();
    let writers: Vec<_> = (0..SESSIONS)
        .zip(&progress)
        .map(|(i, p)| tokio::spawn(writer(i, config.clone(), p.clone(), stop.clone())))
        .collect();
    let started = Instant::now();
    wait_for_rows(&progress, ROWS_EACH_PHASE, started).await;

    tokio::task::spawn_blocking(move || {
        primary.stop();
        primary
    })
    .await
    .unwrap();
    let standby = tokio::task::spawn_blocking(move || {
        standby.promote();
        standby
    })
    .await
    .unwrap();
    let promoted = Instant::now();
    wait_for_rows(&progress, ROWS_EACH_PHASE, promoted).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }

    // Every acknowledged row is on the new primary.
    let stored: BTreeSet<(i32, i32)> = standby
        .psql("SELECT session || ',' || n FROM failover_rows")
        .lines()
        .map(|l| {
            let (s, n) = l.split_once(',').unwrap();
            (s.parse().unwrap(), n.parse().unwrap())
        })
        .collect();
    let mut resumed_after = Duration::ZERO;
    let mut error_kinds = BTreeMap::<String, usize>::new();
    for (session, p) in progress.iter().enumerate() {
        let p = p.lock().await;
        let session = i32::try_from(session).unwrap();
        for (n, _) in &p.acked {
            assert!(
                stored.contains(&(session, *n)),
                "acknowledged row ({session}, {n}) is missing after the failover"
            );
        }
        let first_after = p
            .acked
            .iter()
            .find(|(_, t)| *t >= promoted)
            .map(|(_, t)| *t - promoted)
            .unwrap();
        resumed_after = resumed_after.max(first_after);
        assert!(
            !p.errors.is_empty(),
            "session {session} never noticed the failover"
        );
        for e in &p.errors {
            *error_kinds.entry(e.clone()).or_default() += 1;
        }
    }
    let acked: usize = {
        let mut total = 0;
        for p in &progress {
            total += p.lock().await.acked.len();
        }
        total
    };
    assert!(
        error_kinds
            .keys()
            .any(|e| e.contains("BackendUnavailable")
                && e.contains("connection to PostgreSQL was lost")),
        "no session was told with ERROR 35: {error_kinds:?}"
    );
    eprintln!(
        "failover: {acked} acknowledged rows all present; every session wrote again within \
         {resumed_after:?} of the promotion; errors seen: {error_kinds:?}"
    );
    // How soon is a figure for the bench and the notes (the issue asks
    // within 10 s; measured ~2 s on a quiet machine), not an assertion
    // that a busy machine would break: the wait above is bounded by PATIENCE.
    drop(proxy);
}
