//! The benchmark: the same work through cor4 and straight to PostgreSQL
//! (tokio-postgres, psql), in one run, side by side, with the ratios.
//!
//! ```text
//! cargo run --release -p cor4-tests --bin bench [-- ROWS]
//! ```
//!
//! It starts its own throwaway PostgreSQL (or uses COR4_TEST_DATABASE_URL)
//! and the release `cor4-proxy` and `cor4`. Every timed figure is the best
//! of three runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cor4_protocol::client::{Client, Config};
use cor4_proxy::users::UserStore;
use cor4_tests::{Proxy, psql_as, run_with_peak_rss, test_database};
use futures_util::{TryStreamExt, pin_mut};

const SCAN: &str = "SELECT g, rpad(g::text, 72, 'x') AS payload FROM generate_series(1, {n}) g";

fn best(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[0]
}

/// One line of the results table.
struct Figure {
    what: String,
    cor4: String,
    reference: String,
    ratio: Option<f64>,
}

fn seconds(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn ratio(a: Duration, b: Duration) -> Option<f64> {
    Some(a.as_secs_f64() / b.as_secs_f64())
}

/// What every section needs.
struct Bench {
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
    fn cor4(&self) -> Command {
        let addr = self.proxy.addr();
        let mut c = Command::new(cor4_tests::binary("cor4"));
        c.env("COR4_HOST", addr.ip().to_string())
            .env("COR4_PORT", addr.port().to_string())
            .env("COR4_USER", &self.user)
            .env("COR4_PASSWORD", &self.password)
            .env("PAGER", "")
            .current_dir(&self.scratch)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        c
    }

    fn psql(&self) -> Command {
        let mut c = psql_as(&self.role);
        c.env("PAGER", "")
            .current_dir(&self.scratch)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        c
    }

    /// The 1M-row scan through the proxy and straight to PostgreSQL.
    async fn scan(&self, figures: &mut Vec<Figure>) {
        let sql = SCAN.replace("{n}", &self.rows.to_string());
        let mut proxy_scan = Vec::new();
        let mut direct_scan = Vec::new();
        let mut bytes = 0usize;
        for _ in 0..3 {
            let start = Instant::now();
            let mut n = 0u64;
            let mut stream = self.client.query(&sql, &[]).await.unwrap();
            while let Some(row) = stream.try_next().await.unwrap() {
                let payload: &str = row.get(1);
                bytes = bytes.max(payload.len());
                n += 1;
            }
            assert_eq!(n, self.rows);
            proxy_scan.push(start.elapsed());

            let start = Instant::now();
            let stream = self
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
            assert_eq!(n, self.rows);
            direct_scan.push(start.elapsed());
        }
        let (p, d) = (best(proxy_scan), best(direct_scan));
        figures.push(Figure {
            what: format!(
                "scan {} rows x ~{} B (vs tokio-postgres)",
                self.rows,
                bytes + 8
            ),
            cor4: seconds(p),
            reference: seconds(d),
            ratio: ratio(p, d),
        });
    }

    /// `SELECT 1` and a prepared `SELECT $1` round trip.
    async fn round_trips(&self, figures: &mut Vec<Figure>) {
        let n = 2000u32;
        let mut proxy_rt = Vec::new();
        let mut direct_rt = Vec::new();
        for _ in 0..3 {
            let start = Instant::now();
            for _ in 0..n {
                self.client.query_all("SELECT 1", &[]).await.unwrap();
            }
            proxy_rt.push(start.elapsed() / n);
            let start = Instant::now();
            for _ in 0..n {
                self.direct.simple_query("SELECT 1").await.unwrap();
            }
            direct_rt.push(start.elapsed() / n);
        }
        let (p, d) = (best(proxy_rt), best(direct_rt));
        figures.push(Figure {
            what: "round trip SELECT 1 (vs tokio-postgres)".into(),
            cor4: micros(p),
            reference: micros(d),
            ratio: ratio(p, d),
        });

        let ours = self.client.prepare("SELECT $1::int").await.unwrap();
        let theirs = self.direct.prepare("SELECT $1::int").await.unwrap();
        let mut proxy_rt = Vec::new();
        let mut direct_rt = Vec::new();
        for _ in 0..3 {
            let start = Instant::now();
            for i in 0..2000i32 {
                let v: i32 = self.client.query_one(&ours, &[&i]).await.unwrap().get(0);
                assert_eq!(v, i);
            }
            proxy_rt.push(start.elapsed() / n);
            let start = Instant::now();
            for i in 0..2000i32 {
                let v: i32 = self.direct.query_one(&theirs, &[&i]).await.unwrap().get(0);
                assert_eq!(v, i);
            }
            direct_rt.push(start.elapsed() / n);
        }
        let (p, d) = (best(proxy_rt), best(direct_rt));
        figures.push(Figure {
            what: "prepared SELECT $1 (vs tokio-postgres)".into(),
            cor4: micros(p),
            reference: micros(d),
            ratio: ratio(p, d),
        });
    }

    /// `\copy … from` and `\copy … to` a 1M-row CSV file, cor4 vs psql:
    /// wall time and peak RSS of the whole process.
    async fn slash_copy(&self, figures: &mut Vec<Figure>) {
        let csv = self.scratch.join("bench.csv");
        write_csv(&csv, self.rows);
        self.client
            .batch_execute(
                "DROP TABLE IF EXISTS bench_copy; \
                 CREATE TABLE bench_copy (id int, name text, flag bool, amount numeric, day date)",
            )
            .await
            .unwrap();
        let load = "\\copy bench_copy from 'bench.csv' csv";
        let dump = |file: &str| format!("\\copy bench_copy to '{file}' csv");
        let timed = |mut command: Command, args: &[&str]| {
            let start = Instant::now();
            let (status, rss) = run_with_peak_rss(command.args(args));
            assert!(status.success(), "{args:?}");
            (start.elapsed(), rss)
        };
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        let (mut ours_rss, mut theirs_rss) = (0, 0);
        for _ in 0..3 {
            self.client
                .batch_execute("TRUNCATE bench_copy")
                .await
                .unwrap();
            let (t, rss) = timed(self.cor4(), &["-c", load]);
            ours.push(t);
            ours_rss = ours_rss.max(rss);
            self.client
                .batch_execute("TRUNCATE bench_copy")
                .await
                .unwrap();
            let (t, rss) = timed(self.psql(), &["-c", load]);
            theirs.push(t);
            theirs_rss = theirs_rss.max(rss);
        }
        let (p, d) = (best(ours), best(theirs));
        figures.push(Figure {
            what: format!("\\copy from a {} row CSV (vs psql)", self.rows),
            cor4: format!("{}, {} MiB", seconds(p), ours_rss / 1024),
            reference: format!("{}, {} MiB", seconds(d), theirs_rss / 1024),
            ratio: ratio(p, d),
        });
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        let (mut ours_rss, mut theirs_rss) = (0, 0);
        for _ in 0..3 {
            let (t, rss) = timed(self.cor4(), &["-c", &dump("cor4.csv")]);
            ours.push(t);
            ours_rss = ours_rss.max(rss);
            let (t, rss) = timed(self.psql(), &["-c", &dump("psql.csv")]);
            theirs.push(t);
            theirs_rss = theirs_rss.max(rss);
        }
        assert_eq!(
            std::fs::read(self.scratch.join("cor4.csv")).unwrap(),
            std::fs::read(self.scratch.join("psql.csv")).unwrap(),
            "\\copy to a file wrote other bytes than psql's"
        );
        let (p, d) = (best(ours), best(theirs));
        figures.push(Figure {
            what: format!("\\copy to a {} row CSV (vs psql)", self.rows),
            cor4: format!("{}, {} MiB", seconds(p), ours_rss / 1024),
            reference: format!("{}, {} MiB", seconds(d), theirs_rss / 1024),
            ratio: ratio(p, d),
        });
        self.client
            .batch_execute("DROP TABLE bench_copy")
            .await
            .unwrap();
    }
}

/// `rows` lines of id, name, flag, amount (NULL on every 7th), date.
fn write_csv(path: &Path, rows: u64) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 1..=rows {
        let amount = if i % 7 == 0 {
            String::new()
        } else {
            format!("{}.{:02}", i / 3, i % 100)
        };
        writeln!(
            out,
            "{i},name {i},{},{amount},{}",
            i % 2 == 0,
            chrono_day(i)
        )
        .unwrap();
    }
    out.flush().unwrap();
}

/// A date in 2000–2002 for row `i`.
fn chrono_day(i: u64) -> String {
    let day = i % 1000;
    let (y, m, d) = cor4_protocol::civil_from_days(i64::try_from(day).unwrap_or(0));
    format!("{y:04}-{m:02}-{d:02}")
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
    let password = "bench password 1".to_owned();
    store
        .add_user(&user, &password, None, false, 1000)
        .await
        .expect("add user");
    let record = store.lookup(&user).await.unwrap().expect("the bench user");
    let role = store.session_config(&record);
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
    bench.scan(&mut figures).await;
    bench.round_trips(&mut figures).await;
    bench.slash_copy(&mut figures).await;

    let (rss, hwm) = bench.proxy.rss_kib();
    println!("cor4 benchmark (best of 3; cor4 beside a direct connection)");
    println!(
        "{:<44} {:>22} {:>22} {:>7}",
        "", "cor4", "reference", "ratio"
    );
    for f in &figures {
        println!(
            "{:<44} {:>22} {:>22} {:>7}",
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
