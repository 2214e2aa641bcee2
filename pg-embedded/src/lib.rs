//! The embedded PostgreSQL cluster the proxy runs when it is given no
//! database URL.
//!
//! The cluster lives in the proxy's data directory, listens on a Unix socket
//! only (`listen_addresses=''`) and is run by the machine's own PostgreSQL
//! binaries ([`PgBinaries::locate`]):
//!
//! ```text
//! <data-dir>/
//!   pgdata/             the cluster (initdb runs once, when PG_VERSION is missing)
//!   run/                socket directory: run/.s.PGSQL.5432 (mode 0700)
//!   pg.log              the server log (pg_ctl -l)
//!   superuser.password  password of the `cor4_admin` superuser (mode 0600)
//! ```
//!
//! When the proxy runs as root, `initdb`, `pg_ctl` and `postgres` run as the
//! `postgres` account (else `nobody`), which owns `pgdata/`, `run/` and
//! `pg.log`; the password file stays the proxy's. Local connections need the
//! password (`scram-sha-256`); TCP connections are rejected even if someone
//! enables a listen address.
//!
//! Everything here blocks (it runs programs with `std::process`); async
//! callers use `tokio::task::spawn_blocking`. A started cluster keeps running
//! when [`EmbeddedCluster`] is dropped: call [`EmbeddedCluster::stop`].

mod account;
mod binaries;
mod error;
mod files;
#[cfg(test)]
mod tests;

use std::ffi::OsStr;
use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rand::distr::{Alphanumeric, SampleString};

pub use account::Account;
pub use binaries::PgBinaries;
pub use error::EmbeddedError;
use files::{prepare_data_dir, write_private};

/// The superuser `initdb` creates.
pub const SUPERUSER: &str = "cor4_admin";

/// The port number in the socket's name (`.s.PGSQL.<port>`); no TCP port is
/// opened.
pub const SOCKET_PORT: u16 = 5432;

/// How long `pg_ctl start` and the readiness check may take.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a crashed postmaster may stay unreaped before its pid file is
/// removed.
const REAP_TIMEOUT: Duration = Duration::from_secs(10);

/// Length of the generated superuser password.
const PASSWORD_LEN: usize = 32;

/// Longest path a Unix socket address holds (`sun_path` minus the NUL).
const MAX_SOCKET_PATH: usize = 107;

/// A running PostgreSQL cluster inside a data directory.
pub struct EmbeddedCluster {
    binaries: PgBinaries,
    account: Option<Account>,
    data_dir: PathBuf,
    pgdata: PathBuf,
    socket_dir: PathBuf,
    log: PathBuf,
    password: String,
    freshly_initialized: bool,
    started_here: bool,
}

impl std::fmt::Debug for EmbeddedCluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedCluster")
            .field("bindir", &self.binaries.bindir())
            .field(
                "account",
                &self.account.as_ref().map(|account| &account.name),
            )
            .field("data_dir", &self.data_dir)
            .field("password", &"<redacted>")
            .field("freshly_initialized", &self.freshly_initialized)
            .finish()
    }
}

impl EmbeddedCluster {
    /// Creates the cluster in `data_dir` if needed (as `initdb` with a random
    /// superuser password), starts it unless it already runs, and waits until
    /// it accepts connections. Blocking.
    pub fn start(data_dir: &Path, binaries: &PgBinaries) -> Result<Self, EmbeddedError> {
        let account = Account::for_server()?;
        let data_dir = prepare_data_dir(data_dir, account.as_ref())?;
        let mut cluster = Self {
            binaries: binaries.clone(),
            pgdata: data_dir.join("pgdata"),
            socket_dir: data_dir.join("run"),
            log: data_dir.join("pg.log"),
            data_dir,
            account,
            password: String::new(),
            freshly_initialized: false,
            started_here: false,
        };
        cluster.prepare_server_files()?;
        if cluster.pgdata.join("PG_VERSION").exists() {
            cluster.password = cluster.read_password()?;
        } else {
            cluster.initdb()?;
            cluster.freshly_initialized = true;
        }
        cluster.clear_dead_postmaster()?;
        if cluster.postmaster_pid().is_none() || !cluster.status_running()? {
            cluster.pg_ctl_start()?;
            cluster.started_here = true;
        }
        cluster.wait_ready()?;
        Ok(cluster)
    }

    /// True when this [`start`](Self::start) started the server, false when
    /// it found it already running (e.g. a `serve` on the same directory).
    pub fn started_here(&self) -> bool {
        self.started_here
    }

    /// True when this [`start`](Self::start) created the cluster.
    pub fn freshly_initialized(&self) -> bool {
        self.freshly_initialized
    }

    /// The data directory (absolute).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The cluster's own directory, `<data-dir>/pgdata`.
    pub fn pgdata(&self) -> &Path {
        &self.pgdata
    }

    /// The directory holding the server's socket.
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The port number in the socket's name.
    pub fn port(&self) -> u16 {
        SOCKET_PORT
    }

    /// The server log.
    pub fn log_file(&self) -> &Path {
        &self.log
    }

    /// The binaries running the cluster.
    pub fn binaries(&self) -> &PgBinaries {
        &self.binaries
    }

    /// The superuser's password.
    pub fn superuser_password(&self) -> &str {
        &self.password
    }

    /// The postmaster's pid, from `postmaster.pid`, when that file exists and
    /// the process is alive.
    pub fn postmaster_pid(&self) -> Option<u32> {
        self.recorded_pid().filter(|&pid| process_alive(pid))
    }

    /// The pid in `postmaster.pid`, alive or not.
    fn recorded_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.pgdata.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// A postmaster that died (a crash, `kill -9`) stays a zombie until its
    /// parent, init, reaps it, and PostgreSQL refuses to start while that pid
    /// exists. Waits for the reaping; when it does not come (an init that
    /// never reaps, as in some containers), removes the stale
    /// `postmaster.pid`: the dead server's children have exited by then, as
    /// they do as soon as they notice its death.
    fn clear_dead_postmaster(&self) -> Result<(), EmbeddedError> {
        let Some(pid) = self.recorded_pid() else {
            return Ok(());
        };
        let deadline = Instant::now() + REAP_TIMEOUT;
        while process_is_zombie(pid) {
            if Instant::now() >= deadline {
                let pid_file = self.pgdata.join("postmaster.pid");
                tracing::warn!(pid, file = %pid_file.display(), "removing the pid file of a dead, unreaped postmaster");
                return std::fs::remove_file(&pid_file).map_err(|source| EmbeddedError::Io {
                    action: "remove",
                    path: pid_file,
                    source,
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// Starts the server again after it died (a crash, `kill -9`) and waits
    /// until it accepts connections; does nothing to a running one.
    /// Blocking.
    pub fn restart(&self) -> Result<(), EmbeddedError> {
        self.clear_dead_postmaster()?;
        if self.postmaster_pid().is_none() {
            self.pg_ctl_start()?;
        }
        self.wait_ready()
    }

    /// Settings for connecting to database `postgres` as the superuser
    /// [`SUPERUSER`] over the socket.
    pub fn admin_config(&self) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(&self.socket_dir)
            .port(SOCKET_PORT)
            .user(SUPERUSER)
            .password(&self.password)
            .dbname("postgres")
            .application_name("cor4-proxy");
        config
    }

    /// Stops the server (`pg_ctl stop -m fast -w`); does nothing when it is
    /// not running. Blocking.
    pub fn stop(&self) -> Result<(), EmbeddedError> {
        if self.postmaster_pid().is_none() {
            return Ok(());
        }
        let output = self.pg_ctl(["stop", "-m", "fast", "-w"])?;
        if output.status.success() || self.postmaster_pid().is_none() {
            return Ok(());
        }
        Err(self.failure("pg_ctl stop", &output))
    }

    /// Creates `pgdata/`, `run/` and `pg.log`, owned by the server's account.
    fn prepare_server_files(&self) -> Result<(), EmbeddedError> {
        for dir in [&self.pgdata, &self.socket_dir] {
            if !dir.exists() {
                DirBuilder::new()
                    .mode(0o700)
                    .create(dir)
                    .map_err(|source| EmbeddedError::Io {
                        action: "create directory",
                        path: dir.clone(),
                        source,
                    })?;
                if let Some(account) = &self.account {
                    account.chown(dir)?;
                }
            }
        }
        if let Some(account) = &self.account {
            // The socket directory's owner must be the server's account.
            account.chown(&self.socket_dir)?;
        }
        OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&self.log)
            .map_err(|source| EmbeddedError::Io {
                action: "create",
                path: self.log.clone(),
                source,
            })?;
        if let Some(account) = &self.account {
            account.chown(&self.log)?;
        }
        Ok(())
    }

    fn password_file(&self) -> PathBuf {
        self.data_dir.join("superuser.password")
    }

    fn read_password(&self) -> Result<String, EmbeddedError> {
        let missing = || EmbeddedError::PasswordFileMissing {
            pgdata: self.pgdata.clone(),
            password_file: self.password_file(),
        };
        let text = std::fs::read_to_string(self.password_file()).map_err(|_| missing())?;
        let password = text.trim().to_owned();
        if password.is_empty() {
            return Err(missing());
        }
        Ok(password)
    }

    /// Runs `initdb` with a new random password, saved in the password file.
    fn initdb(&mut self) -> Result<(), EmbeddedError> {
        let password = Alphanumeric.sample_string(&mut rand::rng(), PASSWORD_LEN);
        write_private(&self.password_file(), &password, None)?;
        // initdb reads the password as the server's account, which cannot
        // read the proxy's own file: hand it a copy that is deleted at once.
        let pwfile = self.socket_dir.join("initdb.pwfile");
        write_private(&pwfile, &password, self.account.as_ref())?;
        let mut result = self.run_initdb(&pwfile, "--locale=C.UTF-8");
        if result.is_err() {
            // Not every system has C.UTF-8; the C locale always exists.
            result = self.run_initdb(&pwfile, "--no-locale");
        }
        let removed = std::fs::remove_file(&pwfile);
        result?;
        removed.map_err(|source| EmbeddedError::Io {
            action: "remove",
            path: pwfile,
            source,
        })?;
        self.password = password;
        Ok(())
    }

    fn run_initdb(&self, pwfile: &Path, locale: &str) -> Result<(), EmbeddedError> {
        let mut pwfile_arg = std::ffi::OsString::from("--pwfile=");
        pwfile_arg.push(pwfile);
        let mut pgdata_arg = std::ffi::OsString::from("--pgdata=");
        pgdata_arg.push(&self.pgdata);
        let args: [&OsStr; 8] = [
            pgdata_arg.as_os_str(),
            OsStr::new("--username"),
            OsStr::new(SUPERUSER),
            pwfile_arg.as_os_str(),
            OsStr::new("--auth-local=scram-sha-256"),
            OsStr::new("--auth-host=reject"),
            OsStr::new("--encoding=UTF8"),
            OsStr::new(locale),
            // No `--no-instructions`: PostgreSQL 13's initdb does not know it.
        ];
        let output = self.run("initdb", args)?;
        // Keep initdb's report with the server's, where errors point.
        if let Ok(mut log) = OpenOptions::new().append(true).open(&self.log) {
            let _ = log.write_all(&output.stdout);
            let _ = log.write_all(&output.stderr);
        }
        if output.status.success() {
            return Ok(());
        }
        Err(EmbeddedError::CommandFailed {
            program: "initdb",
            status: output.status,
            detail: last_line(&output.stderr).unwrap_or_else(|| "no output".to_owned()),
            log: self.log.clone(),
        })
    }

    /// `pg_ctl status`: true when the server in `pgdata` runs.
    fn status_running(&self) -> Result<bool, EmbeddedError> {
        Ok(self.pg_ctl(["status"])?.status.success())
    }

    fn pg_ctl_start(&self) -> Result<(), EmbeddedError> {
        // pg_ctl hands -o to a shell; check_paths rules out quotes in it.
        let options = format!(
            "-c listen_addresses='' -k '{}' -c unix_socket_permissions=0700 -p {SOCKET_PORT}",
            self.socket_dir.display()
        );
        let timeout = START_TIMEOUT.as_secs().to_string();
        let mut log_arg = std::ffi::OsString::from("--log=");
        log_arg.push(&self.log);
        let args: [&OsStr; 7] = [
            OsStr::new("start"),
            OsStr::new("-w"),
            OsStr::new("-t"),
            OsStr::new(&timeout),
            log_arg.as_os_str(),
            OsStr::new("-o"),
            OsStr::new(&options),
        ];
        let mut output = self.pg_ctl_args(args)?;
        if !output.status.success() && self.log_tail().contains("shared memory block") {
            // After a crash, the old server's children may linger a moment
            // holding its shared memory; they exit once they notice.
            std::thread::sleep(Duration::from_secs(2));
            output = self.pg_ctl_args(args)?;
        }
        if output.status.success() {
            return Ok(());
        }
        Err(self.failure("pg_ctl start", &output))
    }

    /// Waits until `postmaster.pid` says `ready` and the socket exists.
    fn wait_ready(&self) -> Result<(), EmbeddedError> {
        let socket = self.socket_dir.join(format!(".s.PGSQL.{SOCKET_PORT}"));
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let status = std::fs::read_to_string(self.pgdata.join("postmaster.pid"))
                .ok()
                .and_then(|text| text.lines().nth(7).map(|line| line.trim().to_owned()));
            if status.as_deref() == Some("ready") && socket.exists() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(EmbeddedError::NotReady {
                    timeout: START_TIMEOUT,
                    detail: self.log_tail(),
                    log: self.log.clone(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn failure(&self, program: &'static str, output: &Output) -> EmbeddedError {
        let log = self.log_tail();
        let detail = if log.is_empty() {
            last_line(&output.stderr)
                .or_else(|| last_line(&output.stdout))
                .unwrap_or_else(|| "no output".to_owned())
        } else {
            log
        };
        EmbeddedError::CommandFailed {
            program,
            status: output.status,
            detail,
            log: self.log.clone(),
        }
    }

    /// The server log's last line, or an empty string.
    fn log_tail(&self) -> String {
        std::fs::read(&self.log)
            .ok()
            .and_then(|bytes| last_line(&bytes))
            .unwrap_or_default()
    }

    fn pg_ctl<const N: usize>(&self, args: [&str; N]) -> Result<Output, EmbeddedError> {
        self.pg_ctl_args(args.map(OsStr::new))
    }

    fn pg_ctl_args<const N: usize>(&self, args: [&OsStr; N]) -> Result<Output, EmbeddedError> {
        let mut pgdata_arg = std::ffi::OsString::from("--pgdata=");
        pgdata_arg.push(&self.pgdata);
        self.run(
            "pg_ctl",
            std::iter::once(pgdata_arg.as_os_str()).chain(args),
        )
    }

    /// Runs one of the cluster's programs as the server's account.
    fn run<'a>(
        &self,
        program: &str,
        args: impl IntoIterator<Item = &'a OsStr>,
    ) -> Result<Output, EmbeddedError> {
        let path = self.binaries.program(program);
        let mut command = Command::new(&path);
        command
            .args(args)
            .current_dir(&self.data_dir)
            .env_remove("PGDATA")
            .env_remove("PGPORT")
            .env_remove("PGHOST")
            .env_remove("PGUSER")
            .env("LC_MESSAGES", "C")
            .stdin(Stdio::null());
        if let Some(account) = &self.account {
            account.apply(&mut command);
        }
        command.output().map_err(|source| EmbeddedError::Spawn {
            program: path,
            source,
        })
    }
}

/// True when process `pid` exists and is not a zombie (an exited process
/// whose parent has not reaped it yet).
fn process_alive(pid: u32) -> bool {
    process_state(pid).is_some_and(|state| state != 'Z')
}

fn process_is_zombie(pid: u32) -> bool {
    process_state(pid) == Some('Z')
}

/// The state letter of `/proc/<pid>/status` (`R`, `S`, `Z`, …), or `None`
/// when there is no such process.
fn process_state(pid: u32) -> Option<char> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("State:"))?;
    line["State:".len()..].trim_start().chars().next()
}

/// The last non-empty line of a program's output.
fn last_line(bytes: &[u8]) -> Option<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .map(str::to_owned)
}
