//! Command line, environment and config file, merged once into [`Config`].
//!
//! Precedence: a flag, then its `COR4_*` environment variable, then the TOML
//! file given with `--config`, then the default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

use crate::pool::{PoolLimits, PoolMode};
use cor4_protocol::crypto::{KsfParams, MAX_RECORD_LIMIT, MIN_RECORD_LIMIT};

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "cor4-proxy",
    version,
    about = "Encrypted Cor4 v2 SQL proxy in front of PostgreSQL",
    long_about = "Encrypted Cor4 v2 SQL proxy in front of PostgreSQL.\n\n\
        Without --database-url it runs a private PostgreSQL cluster in --data-dir \
        (created on first start, which also creates the user `admin` and prints its \
        password once).\n\n\
        Every option can also come from a COR4_* environment variable or from the \
        TOML file given with --config (keys are the option names with '_' for '-')."
)]
pub struct Cli {
    /// Where the database is, logging.
    #[command(flatten)]
    pub common: CommonArgs,
    /// `serve`'s options, accepted without the subcommand too
    /// (`cor4-proxy --listen …` serves).
    #[command(flatten)]
    pub serve: ServeArgs,
    /// What to do; `serve` when absent.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands; `serve` is the default.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Accept client sessions (the default).
    Serve(Box<ServeArgs>),
    /// Manage cor4 users (works whether or not `serve` is running).
    #[command(subcommand)]
    User(UserCommand),
    /// List the live sessions of every proxy on the database.
    Sessions {
        /// One JSON object per session and line.
        #[arg(long)]
        json: bool,
    },
    /// End a session (or every session of a user) on whichever proxy holds
    /// it; the client gets ERROR 38.
    Kill {
        /// The session id, as `sessions` shows it.
        #[arg(required_unless_present = "user", conflicts_with = "user")]
        id: Option<String>,
        /// End every session of this user.
        #[arg(long)]
        user: Option<String>,
    },
    /// A live view of every proxy on the database and its sessions:
    /// logins, queries, rows, bytes and latency; sort, filter and end
    /// sessions from the keyboard (`?` lists the keys).
    Top {
        /// Seconds between refreshes (0.1 to 3600).
        #[arg(long, value_name = "SECONDS", default_value = "1", value_parser = parse_interval)]
        interval: Duration,
        /// Show only the sessions of user NAME (`/` filters by any text).
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
    },
}

/// `top --interval`: seconds, fractions allowed, within 0.1..=3600.
fn parse_interval(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.1..=3600.0).contains(&seconds) {
        return Err(format!("{seconds} s is outside 0.1..=3600 seconds"));
    }
    Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string())
}

/// `cor4-proxy user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; prints a generated password unless --password-stdin.
    Add {
        /// User name: lowercase letters, digits and '_', starting with a letter or '_'.
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// PostgreSQL role to map the user to (default: the user name).
        #[arg(long)]
        role: Option<String>,
        /// Give the user's role CREATEDB, pg_monitor and pg_signal_backend.
        #[arg(long)]
        admin: bool,
        /// Require a password change at the first login.
        #[arg(long)]
        must_change_password: bool,
    },
    /// Set a user's password; prints a generated one unless --password-stdin.
    Passwd {
        /// User name.
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// The user must change the password (CHPASS) at the next login.
        #[arg(long)]
        must_change_password: bool,
    },
    /// Lock a user: logins are refused until unlocked.
    Lock {
        /// User name.
        name: String,
    },
    /// Unlock a user and reset its failed-login counter.
    Unlock {
        /// User name.
        name: String,
    },
    /// List users.
    List,
    /// Remove a user and its PostgreSQL role (refused while the role owns
    /// objects, unless --force).
    Remove {
        /// User name.
        name: String,
        /// Drop everything the user's role owns, too.
        #[arg(long)]
        force: bool,
    },
    /// Limit where a user may log in from (no ranges: from anywhere).
    Allow {
        /// User name.
        name: String,
        /// Address ranges, e.g. 10.0.0.0/8 192.168.1.7/32 ::1/128.
        cidrs: Vec<String>,
    },
}

/// Options shared by every subcommand: where the database is.
#[derive(Debug, Clone, Args, Default)]
pub struct CommonArgs {
    /// PostgreSQL connection the proxy administers with (URL or key=value
    /// string); without it the proxy runs its embedded cluster.
    #[arg(long, env = "COR4_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// File whose first line is the password for --database-url (e.g. a
    /// container secret); overrides a password in the URL.
    #[arg(long, env = "COR4_DATABASE_PASSWORD_FILE", global = true)]
    pub database_password_file: Option<PathBuf>,
    /// Directory of the embedded cluster [default: ./cor4-data].
    #[arg(long, env = "COR4_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Directory with initdb, pg_ctl and postgres [default: search PATH,
    /// pg_config --bindir, /usr/lib/postgresql/*/bin].
    #[arg(long, env = "COR4_PG_BINDIR", global = true)]
    pub pg_bindir: Option<PathBuf>,
    /// TOML configuration file.
    #[arg(long, env = "COR4_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Log format on stderr: human or json [default: human].
    #[arg(long, env = "COR4_LOG_FORMAT", global = true)]
    pub log_format: Option<LogFormat>,
    /// Log level or filter: error, warn, info, debug, trace, or a filter
    /// such as `info,cor4_proxy=debug` [default: info].
    #[arg(long, env = "COR4_LOG", global = true)]
    pub log_level: Option<String>,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Human,
    /// One JSON object per line.
    Json,
}

/// `cor4-proxy serve` options.
#[derive(Debug, Clone, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:7654].
    #[arg(long, env = "COR4_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Largest record plaintext accepted from clients, bytes [default: 65536].
    #[arg(long, env = "COR4_MAX_RECORD")]
    pub max_record: Option<u32>,
    /// Largest packet accepted from clients, bytes [default: 67108864].
    #[arg(long, env = "COR4_MAX_PACKET")]
    pub max_packet: Option<u32>,
    /// Seconds a client has to complete the login [default: 10].
    #[arg(long, env = "COR4_LOGIN_TIMEOUT")]
    pub login_timeout: Option<u64>,
    /// Seconds an idle session may stay open, 0 = forever [default: 3600].
    #[arg(long, env = "COR4_IDLE_TIMEOUT")]
    pub idle_timeout: Option<u64>,
    /// Most PostgreSQL connections sessions may hold; past it a login is
    /// refused before OK [default: PostgreSQL's max_connections minus
    /// superuser_reserved_connections minus the proxy's own].
    #[arg(long, env = "COR4_MAX_BACKENDS")]
    pub max_backends: Option<usize>,
    /// Seconds a client may take none of the results waiting for it before
    /// its session ends (its query cancelled), 0 = never [default: 60].
    #[arg(long, env = "COR4_WRITE_TIMEOUT")]
    pub write_timeout: Option<u64>,
    /// Most concurrent sessions [default: 100].
    #[arg(long, env = "COR4_MAX_SESSIONS")]
    pub max_sessions: Option<usize>,
    /// Most connections that have not logged in yet; past it the oldest
    /// pending connection of the busiest address is closed [default: 256].
    #[arg(long, env = "COR4_MAX_PENDING_LOGINS")]
    pub max_pending_logins: Option<usize>,
    /// Most connections from one address that have not logged in yet
    /// (behind a TCP balancer every client has its address: raise it)
    /// [default: 64].
    #[arg(long, env = "COR4_MAX_PENDING_PER_ADDRESS")]
    pub max_pending_per_address: Option<usize>,
    /// Bytes all sessions together may hold for packets over 1 MiB in
    /// flight; a session waits for its share [default: 134217728].
    #[arg(long, env = "COR4_MAX_BUFFERED")]
    pub max_buffered: Option<usize>,
    /// Seconds to keep retrying an unreachable --database-url at start, one
    /// log line per attempt [default: 60].
    #[arg(long, env = "COR4_CONNECT_RETRY")]
    pub connect_retry: Option<u64>,
    /// Argon2id passes for new passwords' verifiers [default: 3].
    #[arg(long, env = "COR4_KDF_ITERATIONS")]
    pub kdf_iterations: Option<u32>,
    /// Argon2id memory in KiB for new passwords' verifiers [default: 65536].
    #[arg(long, env = "COR4_KDF_MEMORY")]
    pub kdf_memory: Option<u32>,
    /// Seconds running queries get to finish on shutdown [default: 10].
    #[arg(long, env = "COR4_SHUTDOWN_GRACE")]
    pub shutdown_grace: Option<u64>,
    /// Audit log file (JSON lines); "-" for stderr [default: <data-dir>/audit.log,
    /// or stderr with --database-url].
    #[arg(long, env = "COR4_AUDIT_LOG")]
    pub audit_log: Option<String>,
    /// Log the text of every query (off by default: queries may hold secrets).
    #[arg(long, env = "COR4_LOG_QUERIES")]
    pub log_queries: bool,
    /// A second login of a user with a live session: allow it, refuse it,
    /// or replace the older session [default: allow].
    #[arg(long, env = "COR4_DUPLICATE_LOGIN")]
    pub duplicate_login: Option<DuplicateLogin>,
    /// This proxy's name in `cor4-proxy sessions` [default: host name and
    /// listen port].
    #[arg(long, env = "COR4_INSTANCE_NAME")]
    pub instance_name: Option<String>,
    /// Serve Prometheus metrics (/metrics), /healthz and /readyz on this
    /// address [default: off].
    #[arg(long, env = "COR4_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// How long a session holds its PostgreSQL connection: for the whole
    /// session, or only while a transaction (or a statement outside one)
    /// runs [default: session].
    #[arg(long, env = "COR4_POOL_MODE")]
    pub pool_mode: Option<PoolMode>,
    /// Idle PostgreSQL connections kept per user; in transaction mode also
    /// the most one user's sessions use at once [default: 20].
    #[arg(long, env = "COR4_POOL_SIZE")]
    pub pool_size: Option<usize>,
    /// Seconds an unused pooled connection is kept open [default: 600].
    #[arg(long, env = "COR4_POOL_IDLE_TIMEOUT")]
    pub pool_idle_timeout: Option<u64>,
    /// Seconds a request waits for a pooled connection before it fails
    /// with ERROR 35 (SQLSTATE 53300) [default: 30].
    #[arg(long, env = "COR4_POOL_WAIT_TIMEOUT")]
    pub pool_wait_timeout: Option<u64>,
}

impl ServeArgs {
    /// The `serve` options the environment gives (`COR4_KDF_ITERATIONS`,
    /// `COR4_AUDIT_LOG`, …), for the subcommands that use them without
    /// taking them as flags (`user add` makes verifiers at the configured
    /// cost).
    pub fn from_env() -> ServeArgs {
        use clap::{Args as _, FromArgMatches as _};
        ServeArgs::augment_args(clap::Command::new("cor4-proxy"))
            .try_get_matches_from(["cor4-proxy"])
            .ok()
            .and_then(|matches| ServeArgs::from_arg_matches(&matches).ok())
            .unwrap_or_default()
    }
}

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
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let c = Config::resolve(&CommonArgs::default(), &ServeArgs::default()).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:7654");
        assert_eq!(c.max_record, 65_536);
        assert_eq!(c.kdf, KsfParams::DEFAULT);
        assert!(matches!(c.database, Database::Embedded { .. }));
    }

    #[test]
    fn flag_beats_file_beats_default() {
        let dir = std::env::temp_dir().join(format!("cor4-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cor4.toml");
        std::fs::write(
            &path,
            "max_record = 2048\nmax_sessions = 7\nlisten = \"127.0.0.1:9999\"\n",
        )
        .unwrap();
        let common = CommonArgs {
            config: Some(path),
            ..CommonArgs::default()
        };
        let serve = ServeArgs {
            max_record: Some(4096),
            ..ServeArgs::default()
        };
        let c = Config::resolve(&common, &serve).unwrap();
        assert_eq!(c.max_record, 4096);
        assert_eq!(c.max_sessions, 7);
        assert_eq!(c.listen.port(), 9999);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn top_takes_an_interval_in_seconds() {
        let cli = Cli::try_parse_from(["cor4-proxy", "top", "--interval", "0.5", "--user", "al"])
            .unwrap();
        match cli.command {
            Some(Command::Top { interval, user }) => {
                assert_eq!(interval, Duration::from_millis(500));
                assert_eq!(user.as_deref(), Some("al"));
            }
            other => panic!("{other:?}"),
        }
        let default = Cli::try_parse_from(["cor4-proxy", "top"]).unwrap();
        assert!(matches!(
            default.command,
            Some(Command::Top { interval, user: None }) if interval == Duration::from_secs(1)
        ));
        for bad in ["0", "-1", "nan", "soon", "7200"] {
            assert!(
                Cli::try_parse_from(["cor4-proxy", "top", "--interval", bad]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_out_of_range_and_unknown_keys() {
        let serve = ServeArgs {
            max_record: Some(10),
            ..ServeArgs::default()
        };
        assert!(matches!(
            Config::resolve(&CommonArgs::default(), &serve),
            Err(ConfigError::OutOfRange {
                option: "max-record",
                ..
            })
        ));
        assert!(toml::from_str::<FileConfig>("nonsense = 1").is_err());
    }

    #[test]
    fn log_format_comes_from_the_file_unless_a_flag_says() {
        let dir = std::env::temp_dir().join(format!("cor4-logfmt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("cor4.toml");
        std::fs::write(&path, "log_format = \"json\"\n").expect("write config");
        let mut common = CommonArgs {
            config: Some(path.clone()),
            ..CommonArgs::default()
        };
        assert_eq!(logging(&common).0, LogFormat::Json);
        common.log_format = Some(LogFormat::Human);
        assert_eq!(logging(&common).0, LogFormat::Human);
        common.log_format = None;
        common.config = None;
        assert_eq!(logging(&common), (LogFormat::Human, "info".to_owned()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
