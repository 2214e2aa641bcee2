//! Command line, environment and config file, merged once into [`Config`].
//!
//! Precedence: a flag, then its `COR4_*` environment variable, then the TOML
//! file given with `--config`, then the default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

mod args;

pub use args::{Cli, Command, CommonArgs, LogFormat, ServeArgs, UserCommand};

use crate::pool::{PoolLimits, PoolMode};
use cor4_protocol::crypto::{KsfParams, MAX_RECORD_LIMIT, MIN_RECORD_LIMIT};

/// What a second login of a user who already has a session gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DuplicateLogin {
    /// Both sessions live.
    #[default]
    Allow,
    /// The newer login is refused with ERROR 39.
    Refuse,
    /// The older sessions end with ERROR 40; the newer one goes on.
    Replace,
}

/// The config file: every option, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct FileConfig {
    database_url: Option<String>,
    database_password_file: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    pg_bindir: Option<PathBuf>,
    log_format: Option<LogFormat>,
    log_level: Option<String>,
    listen: Option<SocketAddr>,
    max_record: Option<u32>,
    max_packet: Option<u32>,
    login_timeout: Option<u64>,
    idle_timeout: Option<u64>,
    write_timeout: Option<u64>,
    max_backends: Option<usize>,
    max_sessions: Option<usize>,
    max_pending_logins: Option<usize>,
    max_pending_per_address: Option<usize>,
    max_buffered: Option<usize>,
    connect_retry: Option<u64>,
    kdf_iterations: Option<u32>,
    kdf_memory: Option<u32>,
    shutdown_grace: Option<u64>,
    audit_log: Option<String>,
    log_queries: Option<bool>,
    duplicate_login: Option<DuplicateLogin>,
    instance_name: Option<String>,
    metrics_listen: Option<SocketAddr>,
    pool_mode: Option<PoolMode>,
    pool_size: Option<usize>,
    pool_idle_timeout: Option<u64>,
    pool_wait_timeout: Option<u64>,
}

/// Where the proxy's PostgreSQL is.
#[derive(Debug, Clone)]
pub enum Database {
    /// An existing server (or several: a libpq multi-host URL).
    Url {
        /// The libpq URL or `key=value` string.
        url: String,
        /// Where the password is, when not in the URL.
        password_file: Option<PathBuf>,
    },
    /// The embedded cluster in this directory.
    Embedded {
        /// The data directory.
        data_dir: PathBuf,
        /// Explicit binaries directory.
        pg_bindir: Option<PathBuf>,
    },
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where PostgreSQL is.
    pub database: Database,
    /// Log format.
    pub log_format: LogFormat,
    /// Log level or filter (`tracing` EnvFilter syntax).
    pub log_level: String,
    /// Listen address.
    pub listen: SocketAddr,
    /// Record limit (plaintext bytes).
    pub max_record: u32,
    /// Packet limit.
    pub max_packet: u32,
    /// Login timeout.
    pub login_timeout: Duration,
    /// Idle timeout; `None` = never.
    pub idle_timeout: Option<Duration>,
    /// Write-stall timeout; `None` = never.
    pub write_timeout: Option<Duration>,
    /// Session bound.
    pub max_sessions: usize,
    /// Bound on sessions' PostgreSQL connections; `None`: from PostgreSQL.
    pub max_backends: Option<usize>,
    /// Bound on connections not yet logged in.
    pub max_pending_logins: usize,
    /// Bound on connections not yet logged in from one address.
    pub max_pending_per_address: usize,
    /// Bytes all sessions may hold for large packets in flight.
    pub max_buffered: usize,
    /// How long an unreachable database is retried at start.
    pub connect_retry: Duration,
    /// Argon2id cost of new passwords' verifiers.
    pub kdf: KsfParams,
    /// Shutdown grace period.
    pub shutdown_grace: Duration,
    /// Audit log destination; `None` = stderr.
    pub audit_log: Option<PathBuf>,
    /// Whether query text is logged.
    pub log_queries: bool,
    /// The duplicate-login policy.
    pub duplicate_login: DuplicateLogin,
    /// This proxy's name among the proxies sharing the database, when
    /// given (see [`Config::instance_name_for`]).
    pub instance_name: Option<String>,
    /// Where metrics and health are served.
    pub metrics_listen: Option<SocketAddr>,
    /// How long a session holds its PostgreSQL connection.
    pub pool_mode: PoolMode,
    /// The pool's limits.
    pub pool: PoolLimits,
}

/// A configuration problem, reported before anything starts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The config file is not valid TOML for this program.
    #[error("invalid config file {path}: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        source: Box<toml::de::Error>,
    },
    /// The log level is not a level or a filter.
    #[error(
        "invalid log level {0:?}: use error, warn, info, debug, trace, or a filter such as \
         info,cor4_proxy=debug"
    )]
    LogLevel(String),
    /// A value is out of its range.
    #[error("{option} must be within {range}, got {value}")]
    OutOfRange {
        /// The option.
        option: &'static str,
        /// The accepted range.
        range: &'static str,
        /// The value given.
        value: u64,
    },
}

/// The log format and level: the flag or environment, else the config
/// file's (read before logging starts; a broken file is reported later,
/// by [`Config::resolve`]), else human and info.
pub fn logging(common: &CommonArgs) -> (LogFormat, String) {
    let file = common
        .config
        .as_deref()
        .and_then(|path| read_file(path).ok());
    let format = common
        .log_format
        .or_else(|| file.as_ref()?.log_format)
        .unwrap_or(LogFormat::Human);
    let level = common
        .log_level
        .clone()
        .or_else(|| file?.log_level)
        .unwrap_or_else(|| "info".to_owned());
    (format, level)
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.to_owned(),
        source: Box::new(source),
    })
}

fn check(
    option: &'static str,
    range: &'static str,
    value: u64,
    ok: bool,
) -> Result<(), ConfigError> {
    if ok {
        Ok(())
    } else {
        Err(ConfigError::OutOfRange {
            option,
            range,
            value,
        })
    }
}

impl Config {
    /// Merges flags, environment (already in `common`/`serve` via clap) and
    /// the config file, then validates.
    pub fn resolve(common: &CommonArgs, serve: &ServeArgs) -> Result<Config, ConfigError> {
        let file = match &common.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let database = match common.database_url.clone().or(file.database_url) {
            Some(url) => Database::Url {
                url,
                password_file: common
                    .database_password_file
                    .clone()
                    .or(file.database_password_file),
            },
            None => Database::Embedded {
                data_dir: common
                    .data_dir
                    .clone()
                    .or(file.data_dir)
                    .unwrap_or_else(|| PathBuf::from("cor4-data")),
                pg_bindir: common.pg_bindir.clone().or(file.pg_bindir),
            },
        };
        let max_record = serve.max_record.or(file.max_record).unwrap_or(65_536);
        check(
            "max-record",
            "1024..=16777216",
            u64::from(max_record),
            (MIN_RECORD_LIMIT..=MAX_RECORD_LIMIT).contains(&max_record),
        )?;
        let max_packet = serve.max_packet.or(file.max_packet).unwrap_or(64 << 20);
        check(
            "max-packet",
            "1024..=1073741824",
            u64::from(max_packet),
            (1024..=1 << 30).contains(&max_packet),
        )?;
        let kdf_iterations = serve
            .kdf_iterations
            .or(file.kdf_iterations)
            .unwrap_or(KsfParams::DEFAULT.iterations);
        check(
            "kdf-iterations",
            "1..=16 (Argon2id passes since Cor4 v3)",
            u64::from(kdf_iterations),
            (1..=16).contains(&kdf_iterations),
        )?;
        let kdf_memory = serve
            .kdf_memory
            .or(file.kdf_memory)
            .unwrap_or(KsfParams::DEFAULT.memory_kib);
        let kdf = KsfParams::new(kdf_memory, kdf_iterations);
        check(
            "kdf-memory",
            "32..=262144 KiB, and memory × iterations ≤ 1048576",
            u64::from(kdf_memory),
            kdf.check().is_ok(),
        )?;
        let login_timeout = serve.login_timeout.or(file.login_timeout).unwrap_or(10);
        check(
            "login-timeout",
            "1..=300",
            login_timeout,
            (1..=300).contains(&login_timeout),
        )?;
        let max_sessions = serve.max_sessions.or(file.max_sessions).unwrap_or(100);
        check(
            "max-sessions",
            "1..=100000",
            max_sessions as u64,
            (1..=100_000).contains(&max_sessions),
        )?;
        let max_pending_logins = serve
            .max_pending_logins
            .or(file.max_pending_logins)
            .unwrap_or(256);
        check(
            "max-pending-logins",
            "1..=100000",
            max_pending_logins as u64,
            (1..=100_000).contains(&max_pending_logins),
        )?;
        let max_pending_per_address = serve
            .max_pending_per_address
            .or(file.max_pending_per_address)
            .unwrap_or(64);
        check(
            "max-pending-per-address",
            "1..=100000",
            max_pending_per_address as u64,
            (1..=100_000).contains(&max_pending_per_address),
        )?;
        let max_buffered = serve
            .max_buffered
            .or(file.max_buffered)
            .unwrap_or(128 << 20);
        check(
            "max-buffered",
            "at least max-packet, at most 2^32-1",
            max_buffered as u64,
            max_buffered >= max_packet as usize && u32::try_from(max_buffered).is_ok(),
        )?;
        let idle = serve.idle_timeout.or(file.idle_timeout).unwrap_or(3600);
        let audit_log = match serve.audit_log.clone().or(file.audit_log) {
            Some(s) if s == "-" => None,
            Some(s) => Some(PathBuf::from(s)),
            None => match &database {
                Database::Embedded { data_dir, .. } => Some(data_dir.join("audit.log")),
                Database::Url { .. } => None,
            },
        };
        let listen = serve
            .listen
            .or(file.listen)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 7654)));
        let instance_name = serve.instance_name.clone().or(file.instance_name);
        let log_level = common
            .log_level
            .clone()
            .or(file.log_level)
            .unwrap_or_else(|| "info".to_owned());
        if tracing_subscriber::EnvFilter::try_new(&log_level).is_err() {
            return Err(ConfigError::LogLevel(log_level));
        }
        Ok(Config {
            database,
            log_level,
            log_format: common
                .log_format
                .or(file.log_format)
                .unwrap_or(LogFormat::Human),
            listen,
            max_record,
            max_packet,
            login_timeout: Duration::from_secs(login_timeout),
            idle_timeout: (idle > 0).then(|| Duration::from_secs(idle)),
            write_timeout: {
                let secs = serve.write_timeout.or(file.write_timeout).unwrap_or(60);
                (secs > 0).then(|| Duration::from_secs(secs))
            },
            max_sessions,
            max_backends: serve.max_backends.or(file.max_backends),
            max_pending_logins,
            max_pending_per_address,
            max_buffered,
            connect_retry: Duration::from_secs(
                serve.connect_retry.or(file.connect_retry).unwrap_or(60),
            ),
            kdf,
            shutdown_grace: Duration::from_secs(
                serve.shutdown_grace.or(file.shutdown_grace).unwrap_or(10),
            ),
            audit_log,
            log_queries: serve.log_queries || file.log_queries.unwrap_or(false),
            duplicate_login: serve
                .duplicate_login
                .or(file.duplicate_login)
                .unwrap_or_default(),
            instance_name,
            metrics_listen: serve.metrics_listen.or(file.metrics_listen),
            pool_mode: serve.pool_mode.or(file.pool_mode).unwrap_or_default(),
            pool: PoolLimits {
                size: serve.pool_size.or(file.pool_size).unwrap_or(20).max(1),
                idle_timeout: Duration::from_secs(
                    serve
                        .pool_idle_timeout
                        .or(file.pool_idle_timeout)
                        .unwrap_or(600),
                ),
                wait_timeout: Duration::from_secs(
                    serve
                        .pool_wait_timeout
                        .or(file.pool_wait_timeout)
                        .unwrap_or(30),
                ),
            },
        })
    }
}

impl Config {
    /// This proxy's name: the configured one, else the host name and the
    /// port it listens on.
    pub fn instance_name_for(&self, bound: SocketAddr) -> String {
        self.instance_name
            .clone()
            .unwrap_or_else(|| format!("{}:{}", host_name(), bound.port()))
    }
}

/// This machine's name (Linux), or `localhost`.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

#[cfg(test)]
mod tests;
