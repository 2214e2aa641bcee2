//! The benchmark: the same work through cor4 and straight to PostgreSQL
//! (tokio-postgres, psql), in one run, side by side, with the ratios.
//!
//! ```text
//! cargo run --release -p cor4-tests --bin bench [-- [ROWS] [--only SECTION,…]]
//! ```
//!
//! Sections, in order: `scan` (1M rows through the client library, and the
//! proxy's CPU per million rows), `latency` (`SELECT 1` and a prepared
//! statement, p50 and p99), `sessions` (64 concurrent sessions for 10 s),
//! `csv` (`cor4 --csv` beside `psql --csv`), `copy` (`\copy` both ways),
//! `crypto` (RC6-GCM beside the `rc6` crate and AES-128-GCM), `login`
//! (client and server CPU per v3 login beside v2's; the proxy's CPU per
//! refused and completed login).
//!
//! It starts its own throwaway PostgreSQL (or uses COR4_TEST_DATABASE_URL)
//! and the release `cor4-proxy` and `cor4`. Timed figures are the best of
//! three runs unless a section says otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod copy;
mod crypto;
mod csv;
mod latency;
mod login;
mod scan;
mod sessions;

use std::process::{Command, Stdio};
use std::time::Duration;

use cor4_protocol::client::{Client, Config};
use cor4_proxy::UserStore;
use cor4_tests::{Proxy, psql_as, test_database};

/// One line of the results table.
pub struct Figure {
    what: String,
    cor4: String,
    reference: String,
    ratio: Option<f64>,
}

impl Figure {
    fn new(what: impl Into<String>, cor4: String, reference: String, ratio: Option<f64>) -> Self {
        Figure {
            what: what.into(),
            cor4,
            reference,
            ratio,
        }
    }
}

/// The shortest of several runs.
pub fn best(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[0]
}

/// `0.123 s`.
pub fn seconds(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// `12.3 µs`.
pub fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// `a / b`.
pub fn ratio(a: Duration, b: Duration) -> Option<f64> {
    Some(a.as_secs_f64() / b.as_secs_f64())
}

/// What every section needs.
pub struct Bench {
    rows: u64,
    proxy: Proxy,
    user: String,
    password: String,
    client: Client,
    direct: tokio_postgres::Client,
    role: tokio_postgres::Config,
    scratch: std::path::PathBuf,
}

impl Bench {
    /// The client library's settings for the bench user.
    fn config(&self) -> Config {
        let addr = self.proxy.addr();
        Config::new(
            &addr.ip().to_string(),
            addr.port(),
            &self.user,
            &self.password,
        )
    }

    /// `cor4` as the bench user, output discarded.
    fn cor4(&self) -> Command {
        let addr = self.proxy.addr();
        let mut c = Command::new(cor4_tests::binary("cor4"));
        c.env("COR4_HOST", addr.ip().to_string())
            .env("COR4_PORT", addr.port().to_string())
            .env("COR4_USER", &self.user)
            .env("COR4_PASSWORD", &self.password)
            .env("PAGER", "")
            .arg("-X")
            .current_dir(&self.scratch)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        c
    }

    /// `psql` as the bench user's PostgreSQL role, output discarded.
    fn psql(&self) -> Command {
        let mut c = psql_as(&self.role);
        c.env("PAGER", "")
            .current_dir(&self.scratch)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        c
    }
}

/// The sections to run: all, or those named after `--only`.
fn sections() -> (u64, Vec<String>) {
    let all = [
        "scan", "latency", "sessions", "csv", "copy", "crypto", "login",
    ];
    let mut rows = 1_000_000;
    let mut only: Option<Vec<String>> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--only" {
            let list = args.next().unwrap_or_default();
            only = Some(list.split(',').map(str::to_owned).collect());
        } else if let Ok(n) = arg.parse() {
            rows = n;
        } else {
            panic!("usage: bench [ROWS] [--only {}]", all.join(","));
        }
    }
    let chosen = match only {
        Some(list) => {
            for s in &list {
                assert!(
                    all.contains(&s.as_str()),
                    "no section {s:?}: {}",
                    all.join(", ")
                );
            }
            list
        }
        None => all.iter().map(|s| (*s).to_owned()).collect(),
    };
    (rows, chosen)
}

#[tokio::main]
async fn main() {
    let (rows, chosen) = sections();
    let db = test_database();
    let store = UserStore::open(&db.admin_config())
        .await
        .expect("user store");
    let user = format!("bench_{}", std::process::id());
    let password = "bench password 1".to_owned();
    store
        .add_user(&user, &password, None, false, cor4_tests::TEST_KSF)
        .await
        .expect("add user");
    let record = store.lookup(&user).await.unwrap().expect("the bench user");
    let role = store.session_config(&record).driver().clone();
    let proxy = Proxy::start(&[]);
    let addr = proxy.addr();
    let config = Config::new(&addr.ip().to_string(), addr.port(), &user, &password);
    let client = Client::connect(&config).await.expect("proxy login");
    let (direct, conn) = db
        .admin_config()
        .connect(tokio_postgres::NoTls)
        .await
        .expect("direct");
    tokio::spawn(conn);
    let scratch = std::env::temp_dir().join(format!("cor4-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let bench = Bench {
        rows,
        proxy,
        user: user.clone(),
        password,
        client,
        direct,
        role,
        scratch: scratch.clone(),
    };

    // Warm up both paths (plans, caches).
    bench.client.execute("SELECT 1", &[]).await.unwrap();
    bench.direct.simple_query("SELECT 1").await.unwrap();

    let mut figures = Vec::new();
    for section in &chosen {
        match section.as_str() {
            "scan" => scan::run(&bench, &mut figures).await,
            "latency" => latency::run(&bench, &mut figures).await,
            "sessions" => sessions::run(&bench, &mut figures).await,
            "csv" => csv::run(&bench, &mut figures).await,
            "copy" => copy::run(&bench, &mut figures).await,
            "crypto" => crypto::run(&mut figures),
            "login" => login::run(&bench, &mut figures).await,
            _ => unreachable!("checked in sections()"),
        }
    }

    let (rss, hwm) = bench.proxy.rss_kib();
    println!(
        "cor4 benchmark (cor4 beside a direct connection; machine: {})",
        machine()
    );
    println!(
        "{:<48} {:>24} {:>24} {:>7}",
        "", "cor4", "reference", "ratio"
    );
    for f in &figures {
        println!(
            "{:<48} {:>24} {:>24} {:>7}",
            f.what,
            f.cor4,
            f.reference,
            f.ratio.map_or(String::new(), |r| format!("{r:.2}"))
        );
    }
    println!("proxy RSS now {rss} KiB, peak {hwm} KiB");
    let Bench { client, proxy, .. } = bench;
    client.close().await.unwrap();
    drop(proxy);
    let _ = std::fs::remove_dir_all(&scratch);
    let _ = store.remove_dropping_objects(&user).await;
}

/// The CPU model and core count, from `/proc/cpuinfo`.
fn machine() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, m)| m.trim())
        .to_owned();
    let cores = info.lines().filter(|l| l.starts_with("processor")).count();
    format!("{model}, {cores} cores")
}
