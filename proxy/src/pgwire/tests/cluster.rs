//! A throwaway PostgreSQL cluster for the tests: initdb in a temp dir, a
//! Unix socket there plus 127.0.0.1 on a free port, SCRAM and MD5 users.
//!
//! The binaries are found as the proxy finds them ([`PgBinaries::locate`]:
//! the search path, `pg_config`, the distribution's directories, any
//! version). As root, initdb and postgres run as the account the embedded
//! cluster uses (`postgres`, else `nobody`); as anyone else, as that user. A
//! watchdog shell (the same account) stops the server and removes the
//! directory once the test process is gone, so a shared cluster needs no
//! explicit teardown.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::OnceCell;
use tokio_postgres::Config;

use crate::pg_embedded::PgBinaries;
use crate::pg_embedded::account::Account;
use crate::pgwire::{Event, PgConn};

pub const SCRAM_USER: &str = "scram_user";
pub const SCRAM_PASSWORD: &str = "scram secret";
pub const MD5_USER: &str = "md5_user";
pub const MD5_PASSWORD: &str = "md5 secret";

const PG_HBA: &str = "\
local all postgres trust
local all md5_user md5
local all all scram-sha-256
host all md5_user 127.0.0.1/32 md5
host all all 127.0.0.1/32 scram-sha-256
";

pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
    postmaster: Option<Child>,
}

static SHARED: OnceCell<Cluster> = OnceCell::const_new();

/// The cluster shared by every test of this process.
pub async fn shared() -> &'static Cluster {
    SHARED.get_or_init(Cluster::start).await
}

/// The binaries and the account they run as (none: this process's own).
struct Server {
    bindir: PathBuf,
    account: Option<Account>,
}

fn server() -> &'static Server {
    static SERVER: std::sync::OnceLock<Server> = std::sync::OnceLock::new();
    SERVER.get_or_init(|| Server {
        bindir: PgBinaries::locate(None)
            .expect("PostgreSQL's server binaries (./cor4-dev install test installs them)")
            .bindir()
            .to_path_buf(),
        account: Account::for_server().expect("an account for PostgreSQL"),
    })
}

/// `name` from the server binaries, run as the server account.
fn pg_command(name: &str) -> Command {
    let mut cmd = Command::new(server().bindir.join(name));
    as_postgres(&mut cmd);
    cmd
}

fn as_postgres(cmd: &mut Command) -> &mut Command {
    if let Some(account) = &server().account {
        account.apply(cmd);
    }
    cmd
}

impl Cluster {
    /// Starts a new cluster with the test roles; panics on any failure.
    pub async fn start() -> Cluster {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("cor4-pgwire-{}-{nanos}", std::process::id()));
        fs::create_dir(&dir).expect("create cluster dir");
        if let Some(account) = &server().account {
            account.chown(&dir).expect("chown cluster dir");
        }
        let data = dir.join("data");
        let log = dir.join("postgres.log");

        let status = pg_command("initdb")
            .current_dir(&dir)
            .args([
                "-D",
                path_str(&data),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
            ])
            .args(["-E", "UTF8", "--locale=C"])
            .stdout(Stdio::null())
            .stderr(fs::File::create(dir.join("initdb.log")).expect("initdb log"))
            .status()
            .expect("run initdb");
        assert!(status.success(), "initdb failed, see {}", dir.display());
        fs::write(data.join("pg_hba.conf"), PG_HBA).expect("write pg_hba.conf");

        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let logfile = fs::File::create(&log).expect("postgres log");
        let postmaster = pg_command("postgres")
            .current_dir(&dir)
            .args([
                "-D",
                path_str(&data),
                "-p",
                &port.to_string(),
                "-k",
                path_str(&dir),
            ])
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .args([
                "-c",
                "password_encryption=scram-sha-256",
                "-c",
                "max_connections=60",
            ])
            .args(["-c", "shared_buffers=16MB"])
            .stdin(Stdio::null())
            .stdout(logfile.try_clone().expect("log fd"))
            .stderr(logfile)
            .spawn()
            .expect("start postgres");

        // Stop the server and remove its files once this process is gone.
        let watchdog = format!(
            "while [ -d /proc/{me} ]; do sleep 0.5; done; \
             '{pg_ctl}' -D '{data}' -m immediate -w stop; rm -rf '{dir}'",
            me = std::process::id(),
            pg_ctl = server().bindir.join("pg_ctl").display(),
            data = data.display(),
            dir = dir.display(),
        );
        // Never waited for on purpose: it must outlive this process.
        #[allow(clippy::zombie_processes)]
        let _watchdog = as_postgres(Command::new("/bin/sh").current_dir("/"))
            .args(["-c", &watchdog])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start watchdog");

        let cluster = Cluster {
            dir,
            port,
            postmaster: Some(postmaster),
        };
        let mut admin = cluster.wait_ready().await;
        let setup = format!(
            "SET password_encryption = 'md5'; \
             CREATE ROLE {MD5_USER} LOGIN PASSWORD '{MD5_PASSWORD}'; \
             RESET password_encryption; \
             CREATE ROLE {SCRAM_USER} LOGIN PASSWORD '{SCRAM_PASSWORD}'"
        );
        for event in run(&mut admin, &setup).await {
            assert!(!matches!(event, Event::Error(_)), "setup failed: {event:?}");
        }
        admin.close().await.expect("close setup connection");
        cluster
    }

    async fn wait_ready(&self) -> PgConn {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match PgConn::connect(&self.superuser(), &[]).await {
                Ok(conn) => return conn,
                Err(e) if Instant::now() > deadline => {
                    panic!("postgres did not start ({e}), see {}", self.dir.display())
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// `postgres` over the Unix socket (trust).
    pub fn superuser(&self) -> Config {
        let mut config = Config::new();
        config
            .host_path(&self.dir)
            .port(self.port)
            .user("postgres")
            .dbname("postgres");
        config
    }

    /// `user` over TCP on 127.0.0.1.
    pub fn tcp(&self, user: &str, password: &str) -> Config {
        let mut config = Config::new();
        config
            .host("127.0.0.1")
            .port(self.port)
            .user(user)
            .password(password)
            .dbname("postgres");
        config
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = pg_command("pg_ctl")
            .current_dir("/")
            .args(["-D", path_str(&data), "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Some(mut child) = self.postmaster.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// Runs `sql` and collects its events, `Ready` included.
pub async fn run(conn: &mut PgConn, sql: &str) -> Vec<Event> {
    conn.send_query(sql).await.expect("send query");
    let mut events = Vec::new();
    loop {
        let event = conn.next_event().await.expect("next event");
        let done = matches!(event, Event::Ready(_));
        events.push(event);
        if done {
            return events;
        }
    }
}

/// A compact rendering of events for order assertions:
/// `T2` (columns), `D` (row), `C:<tag>`, `E:<sqlstate>`, `N`, `I` (empty),
/// `S:<parameter>`, `t2` (parameter types), `n` (no data), `G` / `H` (COPY
/// in / out begins), `d` (COPY data), `c` (COPY done), `Z:<status>`.
pub fn summary(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::RowDescription(cols) => format!("T{}", cols.len()),
            Event::DataRow(_) => "D".to_owned(),
            Event::CommandComplete(tag) => format!("C:{tag}"),
            Event::EmptyQuery => "I".to_owned(),
            Event::Error(e) => format!("E:{}", e.code),
            Event::Notice(_) => "N".to_owned(),
            Event::Parameter { name, .. } => format!("S:{name}"),
            Event::ParameterDescription(oids) => format!("t{}", oids.len()),
            Event::NoData => "n".to_owned(),
            Event::CopyIn(_) => "G".to_owned(),
            Event::CopyOut(_) => "H".to_owned(),
            Event::CopyData(_) => "d".to_owned(),
            Event::CopyDone => "c".to_owned(),
            Event::Ready(s) => format!("Z:{s:?}"),
        })
        .collect()
}
