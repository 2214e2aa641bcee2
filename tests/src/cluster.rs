//! Extra PostgreSQL servers for the deployment tests: on a TCP port, with
//! TLS, as a streaming standby. The shared [`TestDatabase`](crate::TestDatabase)
//! stays Unix-socket only; these are private to the test that makes them.
//!
//! ```text
//! /tmp/cor4-test-<pid>-<n>/          (0711; a watchdog removes it if the test process dies)
//!   pgdata/    the cluster, owned by the server account
//!   pg.log     its log
//! ```
//!
//! Each server runs from the machine's binaries ([`PgBinaries::locate`]); as
//! root, as the `postgres` account (else `nobody`), as the proxy's embedded
//! cluster does. Superuser `cor4_admin` with a random password; local
//! connections trusted, TCP ones by `scram-sha-256` unless [`PgServer::hba`]
//! says otherwise.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cor4_proxy::pg_embedded::PgBinaries;

use crate::{Watchdog, fresh_temp_dir};

/// The superuser of every [`PgServer`].
pub const SUPERUSER: &str = "cor4_admin";

/// One PostgreSQL server listening on `127.0.0.1:<port>`; stopped and
/// removed on drop.
#[derive(Debug)]
pub struct PgServer {
    binaries: PgBinaries,
    account: Option<(u32, u32)>,
    dir: PathBuf,
    port: u16,
    password: String,
    _watchdog: Watchdog,
}

impl PgServer {
    /// Runs `initdb` in a fresh directory and picks a free port; the server
    /// is not started yet (see [`start`](Self::start)).
    pub fn init() -> PgServer {
        let server = PgServer::empty();
        let pwfile = server.write_owned(&server.dir.join("initdb.pw"), &server.password);
        let mut pgdata = std::ffi::OsString::from("--pgdata=");
        pgdata.push(server.pgdata());
        let mut pw = std::ffi::OsString::from("--pwfile=");
        pw.push(&pwfile);
        server.run_ok(
            "initdb",
            &[
                pgdata.as_os_str(),
                "--username=cor4_admin".as_ref(),
                pw.as_os_str(),
                "--auth-local=trust".as_ref(),
                "--auth-host=scram-sha-256".as_ref(),
                "--encoding=UTF8".as_ref(),
                "--no-locale".as_ref(),
                "--no-instructions".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        std::fs::remove_file(&pwfile).expect("remove the initdb password file");
        server.set(&format!(
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = ''\n\
             fsync = off\nmax_connections = 300\nwal_level = replica\n",
            server.port
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
        let dir = fresh_temp_dir().expect("a temp dir");
        let watchdog = Watchdog::spawn(&dir).expect("the cleanup watchdog");
        let account = server_account();
        if let Some((uid, gid)) = account {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).expect("chown the server dir");
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
            dir,
            port: free_port(),
            password,
            _watchdog: watchdog,
        }
    }

    /// A streaming standby of this (running) server: `pg_basebackup -R`
    /// into a fresh directory, on its own port; not started yet.
    pub fn standby(&self) -> PgServer {
        let mut standby = PgServer::empty();
        standby.password = self.password.clone();
        let mut pgdata = std::ffi::OsString::from("--pgdata=");
        pgdata.push(standby.pgdata());
        let port = self.port.to_string();
        let mut command = standby.command("pg_basebackup");
        command
            .arg(&pgdata)
            .args(["-h", "127.0.0.1", "-p", &port, "-U", SUPERUSER])
            .args(["-X", "stream", "-R", "--no-sync", "-c", "fast"])
            .env("PGPASSWORD", &self.password);
        check(
            &command.output().expect("run pg_basebackup"),
            "pg_basebackup",
        );
        standby.set(&format!("port = {}\n", standby.port));
        standby
    }

    /// The data directory.
    pub fn pgdata(&self) -> PathBuf {
        self.dir.join("pgdata")
    }

    /// The TCP port.
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
        if let Some((uid, gid)) = self.account {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid)).expect("chown the file");
        }
        path
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start(&self) {
        let pgdata = self.pgdata();
        let log = self.dir.join("pg.log");
        let output = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&pgdata)
            .arg("-l")
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
        let pgdata = self.pgdata();
        let output = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&pgdata)
            .args(["-w", "-t", "120", "-m", "fast", "stop"])
            .output()
            .expect("run pg_ctl stop");
        check(&output, "pg_ctl stop");
    }

    /// Promotes a standby and waits until it accepts writes.
    pub fn promote(&self) {
        let pgdata = self.pgdata();
        let output = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&pgdata)
            .args(["-w", "-t", "120", "promote"])
            .output()
            .expect("run pg_ctl promote");
        check(&output, "pg_ctl promote");
    }

    /// Runs `sql` with `psql -At` as the superuser and returns its output.
    pub fn psql(&self, sql: &str) -> String {
        let psql = self.binaries.program("psql");
        let mut command = Command::new(if psql.exists() {
            psql
        } else {
            PathBuf::from("psql")
        });
        command
            .args(["-X", "-w", "-At", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.url(""))
            .arg("-c")
            .arg(sql)
            .stdin(Stdio::null());
        let output = command.output().expect("run psql");
        check(&output, "psql");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.binaries.program(program));
        command
            .current_dir(&self.dir)
            .env("LC_MESSAGES", "C")
            .env_remove("PGDATA")
            .env_remove("PGHOST")
            .env_remove("PGPORT")
            .stdin(Stdio::null());
        if let Some((uid, gid)) = self.account {
            command.uid(uid).gid(gid);
        }
        command
    }

    fn run_ok(&self, program: &str, args: &[&std::ffi::OsStr]) {
        let output = self
            .command(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        check(&output, program);
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let pgdata = self.pgdata();
        if pgdata.join("postmaster.pid").exists() {
            let _ = self
                .command("pg_ctl")
                .arg("-D")
                .arg(&pgdata)
                .args(["-w", "-m", "immediate", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
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

/// As root: the uid and gid of `postgres`, else `nobody` (PostgreSQL
/// refuses to run as root). Otherwise `None`: the tests' own user.
fn server_account() -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).ok()?;
    if uid != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").expect("read /etc/passwd");
    ["postgres", "nobody"].iter().find_map(|name| {
        passwd.lines().find_map(|line| {
            let mut fields = line.split(':');
            (fields.next()? == *name).then_some(())?;
            let _ = fields.next()?;
            Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
        })
    })
}
