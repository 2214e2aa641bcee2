//! PostgreSQL servers a test configures itself: on a TCP port, with its own
//! `pg_hba.conf`, TLS, as a streaming standby. The shared
//! [`TestDatabase`](crate::TestDatabase) is the proxy's embedded cluster;
//! these are private to the test that makes them.
//!
//! ```text
//! /tmp/cor4-test-<pid>-<n>/   a TempDir (its watchdog stops the server if the test dies)
//!   pgdata/                   the cluster, owned by the server account
//!   .s.PGSQL.<port>           its Unix socket
//!   pg.log                    its log
//! ```
//!
//! Each server runs from the machine's binaries ([`PgBinaries::locate`]); as
//! root, as the account the proxy's embedded cluster uses
//! ([`Account::for_server`]). Superuser `cor4_admin` with a random password;
//! local connections trusted, TCP ones by `scram-sha-256` unless
//! [`PgServer::hba`] says otherwise.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cor4_pg_embedded::{Account, PgBinaries};

use crate::{TempDir, psql_program};

/// The superuser of every [`PgServer`].
pub const SUPERUSER: &str = "cor4_admin";

/// One PostgreSQL server listening on `127.0.0.1:<port>` and on a Unix
/// socket in its directory; stopped and removed on drop.
#[derive(Debug)]
pub struct PgServer {
    binaries: PgBinaries,
    account: Option<Account>,
    port: u16,
    password: String,
    dir: TempDir,
}

impl PgServer {
    /// Runs `initdb` in a fresh directory and picks a free port; the server
    /// is not started yet (see [`start`](Self::start)).
    pub fn init() -> PgServer {
        let server = PgServer::empty();
        let pwfile = server.write_owned(&server.dir().join("initdb.pw"), &server.password);
        let mut pw = OsString::from("--pwfile=");
        pw.push(&pwfile);
        let mut initdb = server.command("initdb");
        initdb
            .arg(server.pgdata_arg())
            .arg(format!("--username={SUPERUSER}"))
            .arg(&pw)
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .args(["--encoding=UTF8", "--no-locale", "--no-sync"]);
        check(&initdb.output().expect("run initdb"), "initdb");
        std::fs::remove_file(&pwfile).expect("remove the initdb password file");
        server.set(&format!(
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
             fsync = off\nmax_connections = 300\nwal_level = replica\n",
            server.port,
            server.dir().display()
        ));
        server.hba(
            "host all all 127.0.0.1/32 scram-sha-256\n\
             host replication all 127.0.0.1/32 scram-sha-256\n",
        );
        server
    }

    /// A directory and a port, no cluster.
    fn empty() -> PgServer {
        let binaries = PgBinaries::locate(None).expect("PostgreSQL server binaries");
        let dir = TempDir::new().expect("a temp dir");
        let account = Account::for_server().expect("an account for PostgreSQL");
        if let Some(account) = &account {
            account.chown(dir.path()).expect("chown the server dir");
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        // Unique, not secret: the server listens on loopback only.
        let password = format!("pw{}x{nanos}", std::process::id());
        PgServer {
            binaries,
            account,
            port: free_port(),
            password,
            dir,
        }
    }

    /// A streaming standby of this (running) server: `pg_basebackup -R`
    /// into a fresh directory, on its own port and socket; not started yet.
    pub fn standby(&self) -> PgServer {
        let mut standby = PgServer::empty();
        standby.password = self.password.clone();
        let port = self.port.to_string();
        let mut command = standby.command("pg_basebackup");
        command
            .arg(standby.pgdata_arg())
            .args(["-h", "127.0.0.1", "-p", &port, "-U", SUPERUSER])
            .args(["-X", "stream", "-R", "--no-sync", "-c", "fast"])
            .env("PGPASSWORD", &self.password);
        check(
            &command.output().expect("run pg_basebackup"),
            "pg_basebackup",
        );
        standby.set(&format!(
            "port = {}\nunix_socket_directories = '{}'\n",
            standby.port,
            standby.dir().display()
        ));
        standby
    }

    /// The server's directory: `pgdata/`, the socket, the log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The data directory.
    pub fn pgdata(&self) -> PathBuf {
        self.dir().join("pgdata")
    }

    fn pgdata_arg(&self) -> OsString {
        let mut arg = OsString::from("--pgdata=");
        arg.push(self.pgdata());
        arg
    }

    /// The TCP port (also the number in the socket's name).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The superuser's password.
    pub fn password(&self) -> &str {
        &self.password
    }

    /// A libpq `key=value` string for the superuser on database `postgres`,
    /// followed by `extra` (more `key=value` pairs).
    pub fn url(&self, extra: &str) -> String {
        self.url_with_host("host=127.0.0.1", extra)
    }

    /// Like [`url`](Self::url) with `host` (e.g. `host=db hostaddr=127.0.0.1`)
    /// in place of `host=127.0.0.1`.
    pub fn url_with_host(&self, host: &str, extra: &str) -> String {
        format!(
            "{host} port={} user={SUPERUSER} password={} dbname=postgres {extra}",
            self.port, self.password
        )
    }

    /// The superuser on database `postgres` over the Unix socket (trusted).
    pub fn superuser_config(&self) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(self.dir())
            .port(self.port)
            .user(SUPERUSER)
            .dbname("postgres");
        config
    }

    /// `user` with `password` on database `postgres` over TCP on 127.0.0.1.
    pub fn tcp_config(&self, user: &str, password: &str) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host("127.0.0.1")
            .port(self.port)
            .user(user)
            .password(password)
            .dbname("postgres");
        config
    }

    /// Appends `lines` to `postgresql.conf` (later settings win).
    pub fn set(&self, lines: &str) {
        let path = self.pgdata().join("postgresql.conf");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open postgresql.conf");
        file.write_all(b"\n").expect("write postgresql.conf");
        file.write_all(lines.as_bytes())
            .expect("write postgresql.conf");
    }

    /// Replaces `pg_hba.conf` with `lines` (after a rule that trusts local
    /// socket connections).
    pub fn hba(&self, lines: &str) {
        self.write_file("pg_hba.conf", &format!("local all all trust\n{lines}"));
    }

    /// Writes `contents` to `name` in the data directory (mode 0600, owned
    /// by the server account) and returns its path.
    pub fn write_file(&self, name: &str, contents: &str) -> PathBuf {
        self.write_owned(&self.pgdata().join(name), contents)
    }

    fn write_owned(&self, path: &Path, contents: &str) -> PathBuf {
        let path = path.to_path_buf();
        let _ = std::fs::remove_file(&path);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .unwrap_or_else(|e| panic!("create {}: {e}", path.display()));
        file.write_all(contents.as_bytes()).expect("write the file");
        if let Some(account) = &self.account {
            account.chown(&path).expect("chown the file");
        }
        path
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start(&self) {
        let log = self.dir().join("pg.log");
        let output = self
            .pg_ctl(&["-l"])
            .arg(&log)
            .args(["-w", "-t", "120", "start"])
            .output()
            .expect("run pg_ctl start");
        if !output.status.success() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!(
                "pg_ctl start failed: {}\n{log}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }

    /// Stops the server (`pg_ctl stop -m fast`: sessions are ended, a
    /// standby receives all WAL before the primary exits).
    pub fn stop(&self) {
        let output = self
            .pg_ctl(&["-w", "-t", "120", "-m", "fast", "stop"])
            .output()
            .expect("run pg_ctl stop");
        check(&output, "pg_ctl stop");
    }

    /// Promotes a standby and waits until it accepts writes.
    pub fn promote(&self) {
        let output = self
            .pg_ctl(&["-w", "-t", "120", "promote"])
            .output()
            .expect("run pg_ctl promote");
        check(&output, "pg_ctl promote");
    }

    /// Runs `sql` with `psql -At` as the superuser and returns its output.
    pub fn psql(&self, sql: &str) -> String {
        let output = Command::new(psql_program())
            .args(["-X", "-w", "-At", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.url(""))
            .arg("-c")
            .arg(sql)
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        check(&output, "psql");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// `pg_ctl -D <pgdata> <args>`.
    fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut command = self.command("pg_ctl");
        command.arg("-D").arg(self.pgdata()).args(args);
        command
    }

    /// `program` from the server binaries, run as the server account in the
    /// server's directory, with none of the `PG*` variables that would point
    /// it elsewhere.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.binaries.program(program));
        command
            .current_dir(self.dir())
            .env("LC_MESSAGES", "C")
            .env_remove("PGDATA")
            .env_remove("PGHOST")
            .env_remove("PGPORT")
            .stdin(Stdio::null());
        if let Some(account) = &self.account {
            account.apply(&mut command);
        }
        command
    }
}

fn check(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
