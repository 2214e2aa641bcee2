//! The command line: `cor4-proxy [serve]`, `user …`, `sessions`, `kill`,
//! `top`, and the flags each takes (every flag also a `COR4_*` variable).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

use super::DuplicateLogin;
use crate::pool::PoolMode;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "cor4-proxy",
    version,
    about = "Encrypted Cor4 v3 SQL proxy in front of PostgreSQL",
    long_about = "Encrypted Cor4 v3 SQL proxy in front of PostgreSQL.\n\n\
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
