//! Shared helpers for cor4's end-to-end tests: the PostgreSQL the whole test
//! run shares.
//!
//! ```text
//! test process ──OnceLock──> TestDatabase
//!      │                        ├─ COR4_TEST_DATABASE_URL (a superuser URL), or
//!      │                        └─ an embedded cluster in /tmp/cor4-test-<pid>-<n>/
//!      └─ pipe ──> watchdog (sh): on EOF (test process gone, however it
//!                  ended) stops the cluster and removes its directory
//! ```
//!
//! Every `#[tokio::test]` has its own runtime, so the database is started
//! synchronously, once per process, by the first test that asks for it.

// Test infrastructure: a failed set-up step is a failed test, said at once.
#![allow(clippy::expect_used, clippy::panic)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cluster;
mod embedded;
mod haproxy;
mod proxy;
mod recorder;
pub use cluster::{PgServer, free_port};
pub use embedded::EmbeddedProxy;
pub use haproxy::Haproxy;
pub use proxy::{Proxy, binary};
pub use recorder::{Recorder, Recording, units};

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use cor4_proxy::pg_embedded::{EmbeddedCluster, PgBinaries};

/// The cheap Argon2id cost every test proxy and test user shares (the
/// proxy's `--kdf-memory` and `--kdf-iterations`): real logins use 64 MiB
/// and 3 passes, tests must not. Users made with another cost would look
/// different from unknown users, which get the proxy's.
pub const TEST_KSF: cor4_protocol::crypto::KsfParams = cor4_protocol::crypto::KsfParams {
    memory_kib: 256,
    iterations: 1,
    parallelism: 4,
};

/// The environment variable naming an existing server to test against.
pub const DATABASE_URL_VAR: &str = "COR4_TEST_DATABASE_URL";

/// The PostgreSQL a test run uses, with superuser rights.
#[derive(Debug)]
pub struct TestDatabase {
    config: tokio_postgres::Config,
    url: String,
    /// The throwaway cluster of this process; `None` for a server named by
    /// [`DATABASE_URL_VAR`], which tests must not stop.
    cluster: Option<EmbeddedCluster>,
    /// Kept for the life of the process: its pipe's write end closing is
    /// what tells the watchdog the process is gone.
    _watchdog: Option<Watchdog>,
}

/// The PostgreSQL the whole test run shares: `COR4_TEST_DATABASE_URL` when
/// set (a superuser URL), else a throwaway embedded cluster started once per
/// test process in a fresh directory under the system temp dir, which stops
/// and disappears when the process ends, even by a panic or `kill -9`.
///
/// # Panics
///
/// When the URL does not parse or the cluster cannot start; every later call
/// panics with the same message.
pub fn test_database() -> &'static TestDatabase {
    static DATABASE: OnceLock<Result<TestDatabase, String>> = OnceLock::new();
    match DATABASE.get_or_init(TestDatabase::from_environment) {
        Ok(database) => database,
        Err(message) => panic!("no test database: {message}"),
    }
}

impl TestDatabase {
    fn from_environment() -> Result<Self, String> {
        match std::env::var(DATABASE_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => Self::external(url),
            _ => Self::embedded(),
        }
    }

    fn external(url: String) -> Result<Self, String> {
        let config = tokio_postgres::Config::from_str(&url)
            .map_err(|err| format!("{DATABASE_URL_VAR} is not a PostgreSQL URL: {err}"))?;
        Ok(Self {
            config,
            url,
            cluster: None,
            _watchdog: None,
        })
    }

    fn embedded() -> Result<Self, String> {
        let binaries = PgBinaries::locate(None).map_err(|err| err.to_string())?;
        let dir = fresh_temp_dir()?;
        // The watchdog starts first, so that a test process killed while the
        // cluster starts still leaves nothing behind.
        let watchdog = Watchdog::spawn(&dir)?;
        let cluster = EmbeddedCluster::start(&dir, &binaries).map_err(|err| err.to_string())?;
        let config = cluster.admin_config();
        let url = format!(
            "host={} port={} user={} password={} dbname=postgres",
            conninfo_value(&cluster.socket_dir().display().to_string()),
            cluster.port(),
            cor4_proxy::pg_embedded::SUPERUSER,
            conninfo_value(cluster.superuser_password()),
        );
        Ok(Self {
            config,
            url,
            cluster: Some(cluster),
            _watchdog: Some(watchdog),
        })
    }

    /// Settings for connecting as the superuser to the maintenance database.
    pub fn admin_config(&self) -> tokio_postgres::Config {
        self.config.clone()
    }

    /// A connection string for the superuser that `tokio_postgres::Config`,
    /// `cor4-proxy --database-url` and `psql` all accept: the URL from
    /// `COR4_TEST_DATABASE_URL`, or a libpq `key=value` string for the
    /// embedded cluster.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The embedded cluster, when the run uses one.
    pub fn cluster(&self) -> Option<&EmbeddedCluster> {
        self.cluster.as_ref()
    }

    /// A `psql` command connected as the superuser, with `-X` (no `.psqlrc`)
    /// and `-w` (never prompt); add `-c`, `-f`, `-At` and the like. Uses the
    /// cluster's own `psql` when the binaries directory has one.
    pub fn psql_command(&self) -> Command {
        match &self.cluster {
            None => {
                let mut command = Command::new("psql");
                command.args(["-X", "-w", "-d"]).arg(&self.url);
                command
            }
            Some(cluster) => {
                let own = cluster.binaries().program("psql");
                let mut command = Command::new(if own.exists() {
                    own
                } else {
                    PathBuf::from("psql")
                });
                command
                    .args(["-X", "-w", "-h"])
                    .arg(cluster.socket_dir())
                    .arg("-p")
                    .arg(cluster.port().to_string())
                    .args(["-U", cor4_proxy::pg_embedded::SUPERUSER, "-d", "postgres"])
                    .env("PGPASSWORD", cluster.superuser_password());
                command
            }
        }
    }
}

/// A `psql` command (`-X`, `-w`) connected with `config`'s host, port, user,
/// password and database: the same login the proxy uses for a cor4 user's
/// role, so psql and `cor4` can be compared as the same role.
pub fn psql_as(config: &tokio_postgres::Config) -> Command {
    let database = test_database();
    let own = database
        .cluster()
        .map(|c| c.binaries().program("psql"))
        .filter(|p| p.exists());
    let mut command = Command::new(own.unwrap_or_else(|| PathBuf::from("psql")));
    command.args(["-X", "-w"]);
    match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(host)) => {
            command.arg("-h").arg(host);
        }
        Some(tokio_postgres::config::Host::Unix(dir)) => {
            command.arg("-h").arg(dir);
        }
        None => {}
    }
    if let Some(port) = config.get_ports().first() {
        command.arg("-p").arg(port.to_string());
    }
    if let Some(user) = config.get_user() {
        command.arg("-U").arg(user);
    }
    if let Some(db) = config.get_dbname() {
        command.arg("-d").arg(db);
    }
    if let Some(password) = config.get_password() {
        command.env("PGPASSWORD", String::from_utf8_lossy(password).into_owned());
    }
    command
        .env_remove("PGOPTIONS")
        .env_remove("PGTZ")
        .env_remove("PGDATESTYLE");
    command
}

/// A line diff of `expected` and `actual` for test reports: `-` lines only
/// in `expected`, `+` lines only in `actual`, two lines of context around
/// each change.
pub fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    // Longest common subsequence, by dynamic programming from the end.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut lines = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            lines.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(('-', a[i]));
            i += 1;
        } else {
            lines.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        lines[k.saturating_sub(2)..(k + 3).min(lines.len())]
            .iter()
            .any(|(tag, _)| *tag != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (tag, line)) in lines.iter().enumerate() {
        if near_change(k) {
            if skipped {
                out.push_str("  ...\n");
                skipped = false;
            }
            out.push(*tag);
            out.push(' ');
            out.push_str(line.trim_end_matches('\n'));
            if !line.ends_with('\n') {
                out.push_str(" (no newline)");
            }
            out.push('\n');
        } else {
            skipped = true;
        }
    }
    out
}

/// Runs `command` to completion and returns its exit status and peak
/// resident set size in KiB, sampled from `/proc` while it runs (the kernel
/// keeps the high-water mark, so a sample late in its life sees the peak).
pub fn run_with_peak_rss(command: &mut Command) -> (std::process::ExitStatus, u64) {
    let mut child = command.spawn().expect("spawn the measured command");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(v) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
        {
            peak = peak.max(v);
        }
        if let Some(status) = child.try_wait().expect("wait for the measured command") {
            return (status, peak);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A `sh` process that outlives nothing: it blocks reading a pipe whose only
/// write end this process holds (std opens pipes close-on-exec, so no child
/// inherits it). When the process ends in any way the kernel closes that end,
/// the read sees EOF, and the watchdog stops the cluster (SIGQUIT to the
/// postmaster: `pg_ctl stop -m immediate`) and removes the directory.
#[derive(Debug)]
pub(crate) struct Watchdog {
    _child: Child,
    _pipe: ChildStdin,
}

/// `$1` is the cluster's data directory, `$2` the directory to remove.
/// Signals from the terminal or the test harness are ignored so that the
/// watchdog always gets to clean up.
const WATCHDOG_SCRIPT: &str = r#"
trap '' INT TERM HUP QUIT
while read -r _line; do :; done
for _round in 1 2 3; do
    pid=$(head -n 1 "$1/pgdata/postmaster.pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null; then
        i=0
        # Until it is gone or a zombie nobody has reaped yet.
        while [ "$i" -lt 100 ] && [ -e "/proc/$pid" ] &&
            ! grep -q '^State:.*zombie' "/proc/$pid/status" 2>/dev/null; do
            sleep 0.1
            i=$((i + 1))
        done
    fi
    rm -rf "$2"
    sleep 0.5
done
"#;

impl Watchdog {
    pub(crate) fn spawn(dir: &Path) -> Result<Self, String> {
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(WATCHDOG_SCRIPT)
            .arg("cor4-test-watchdog")
            .arg(dir)
            .arg(dir)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: Ctrl-C to the test run does not reach it.
            .process_group(0)
            .spawn()
            .map_err(|err| format!("could not start the cleanup watchdog: {err}"))?;
        let pipe = child
            .stdin
            .take()
            .ok_or("the cleanup watchdog has no stdin pipe")?;
        Ok(Self {
            _child: child,
            _pipe: pipe,
        })
    }
}

/// Creates `<temp>/cor4-test-<pid>-<n>`, a name no other process uses.
pub(crate) fn fresh_temp_dir() -> Result<PathBuf, String> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    // /tmp rather than $TMPDIR: the socket path must stay short and the
    // unprivileged server account must be able to reach it.
    let base = Path::new("/tmp");
    for attempt in 0..100u32 {
        let dir = base.join(format!(
            "cor4-test-{}-{}",
            std::process::id(),
            nanos.wrapping_add(attempt)
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                // Whatever the umask, the server's account must get through.
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o711)).map_err(
                    |err| format!("could not set permissions on {}: {err}", dir.display()),
                )?;
                return Ok(dir);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(format!("could not create {}: {err}", dir.display())),
        }
    }
    Err("could not find an unused directory name under /tmp".to_owned())
}

/// A libpq `key=value` value, quoted when it needs to be.
fn conninfo_value(value: &str) -> String {
    if !value.is_empty() && !value.contains([' ', '\'', '\\', '=']) {
        return value.to_owned();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn connects_and_selects_one() {
        let database = test_database();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let one: i32 = runtime.block_on(async {
            let (client, connection) = database
                .admin_config()
                .connect(tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            client.query_one("SELECT 1", &[]).await.unwrap().get(0)
        });
        assert_eq!(one, 1);
    }

    #[test]
    fn url_parses_as_the_same_config() {
        let database = test_database();
        let parsed = tokio_postgres::Config::from_str(&database.url()).unwrap();
        assert_eq!(parsed.get_hosts(), database.admin_config().get_hosts());
        assert_eq!(parsed.get_ports(), database.admin_config().get_ports());
        assert_eq!(parsed.get_user(), database.admin_config().get_user());
    }

    #[test]
    fn psql_runs_against_it() {
        let output = test_database()
            .psql_command()
            .args(["-At", "-c", "SELECT 40 + 2"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "42");
    }

    #[test]
    fn diff_shows_changed_lines_with_context() {
        let d = diff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n");
        assert_eq!(d, "  ...\n  b\n  c\n- d\n+ D\n  e\n  f\n");
        assert_eq!(diff("same\n", "same\n"), "");
    }

    #[test]
    fn quotes_conninfo_values() {
        assert_eq!(conninfo_value("/tmp/x"), "/tmp/x");
        assert_eq!(conninfo_value("a b"), "'a b'");
        assert_eq!(conninfo_value("it's"), r"'it\'s'");
        assert_eq!(conninfo_value(""), "''");
    }
}
