//! What `main` runs: parse the command line, bring the database up, then
//! serve or administer users.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use tokio::sync::watch;

use crate::audit::Audit;
use crate::config::{Cli, Command, CommonArgs, Config, Database, LogFormat, ServeArgs};
use crate::pg_embedded::{EmbeddedCluster, PgBinaries};
use crate::pgwire::PgConfig;
use crate::registry::{Registry, spawn_sync};
use crate::server::{ServerState, serve};
use crate::supervisor::{self, DatabaseStatus};

mod user_cli;
use crate::users::{UserError, UserStore, generate_password};
use user_cli::run_user;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// The database sessions use in the embedded cluster.
const EMBEDDED_DATABASE: &str = "cor4";
/// The proxy's own PostgreSQL connections (user store, notifications,
/// session registry), left out of the default `--max-backends`.
const PROXY_OWN_CONNECTIONS: usize = 3;

/// Runs the program; the exit code is 0 on success, 1 on failure.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let (format, level) = crate::config::logging(&cli.common);
    // `top` owns the terminal: log lines on stderr would tear its screen,
    // and it shows what goes wrong in its status line instead.
    if !matches!(cli.command, Some(Command::Top { .. })) {
        init_logging(format, &level);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cor4-proxy: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            None => run_serve(&cli.common, &cli.serve).await,
            Some(Command::Serve(args)) => run_serve(&cli.common, &args).await,
            Some(Command::User(cmd)) => run_user(&cli.common, cmd).await,
            Some(Command::Sessions { json }) => {
                with_store(&cli.common, |store, _| async move {
                    crate::admin::list_sessions(&store, json).await?;
                    Ok(())
                })
                .await
            }
            Some(Command::Top { interval, user }) => run_top(&cli.common, interval, user).await,
            Some(Command::Kill { id, user }) => {
                with_store(&cli.common, |store, config| async move {
                    let audit = Audit::open(config.audit_log.as_deref())
                        .map_err(|e| format!("cannot open the audit log: {e}"))?;
                    let said = crate::admin::kill(&store, id.clone(), user.clone()).await?;
                    audit.admin(
                        "session_kill",
                        serde_json::json!({"session": id, "user": user}),
                    );
                    println!("{said}");
                    Ok(())
                })
                .await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cor4-proxy: {}", crate::pgwire::full_message(e.as_ref()));
            ExitCode::FAILURE
        }
    }
}

/// Replaces the log filter in force (SIGHUP); set once logging starts.
type SetLogLevel = Box<dyn Fn(&str) -> Result<(), String> + Send + Sync>;
static SET_LOG_LEVEL: std::sync::OnceLock<SetLogLevel> = std::sync::OnceLock::new();

fn init_logging(format: LogFormat, level: &str) {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    use tracing_subscriber::{EnvFilter, Layer as _, fmt, reload};
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let (filter, handle) = reload::Layer::new(filter);
    let output = match format {
        LogFormat::Human => fmt::layer()
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .boxed(),
        LogFormat::Json => fmt::layer().json().with_writer(std::io::stderr).boxed(),
    };
    if tracing_subscriber::registry()
        .with(filter)
        .with(output)
        .try_init()
        .is_ok()
    {
        let _ = SET_LOG_LEVEL.set(Box::new(move |level| {
            let filter = EnvFilter::try_new(level).map_err(|e| e.to_string())?;
            handle.reload(filter).map_err(|e| e.to_string())
        }));
    }
}

/// Reads the configuration again on every SIGHUP and puts in force what
/// can change while running; logs what changed and what needs a restart.
fn spawn_reload(common: CommonArgs, serve: ServeArgs, state: Arc<ServerState>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hup) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP; the configuration cannot be reloaded");
        return;
    };
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            let new = match Config::resolve(&common, &serve) {
                Ok(new) => new,
                Err(e) => {
                    tracing::error!("configuration not reloaded: {e}; the running settings stay");
                    continue;
                }
            };
            let level = new.log_level.clone();
            let changes = state.reload(new);
            if let Some(set) = SET_LOG_LEVEL.get()
                && let Err(e) = set(&level)
            {
                tracing::warn!("log level not changed: {e}");
            }
            if !changes.restart_only.is_empty() {
                tracing::warn!(
                    settings = %changes.restart_only.join(", "),
                    "configuration reloaded; these changed but need a restart and keep their running value"
                );
            }
            tracing::info!(
                changed = %if changes.applied.is_empty() { "nothing".to_owned() } else { changes.applied.join("; ") },
                "configuration reloaded"
            );
        }
    });
}

/// The database the proxy administers with, brought up if embedded.
struct Backend {
    admin: PgConfig,
    cluster: Option<Arc<EmbeddedCluster>>,
}

impl Backend {
    async fn start(config_db: &Database) -> Result<Backend, AnyError> {
        match config_db {
            Database::Url { url, password_file } => {
                let mut admin =
                    PgConfig::parse(url).map_err(|e| format!("invalid --database-url: {e}"))?;
                if let Some(path) = password_file {
                    admin.password(read_password_file(path)?);
                }
                Ok(Backend {
                    admin,
                    cluster: None,
                })
            }
            Database::Embedded {
                data_dir,
                pg_bindir,
            } => {
                let data_dir = data_dir.clone();
                let pg_bindir = pg_bindir.clone();
                let cluster = tokio::task::spawn_blocking(move || {
                    let binaries = PgBinaries::locate(pg_bindir.as_deref())?;
                    EmbeddedCluster::start(&data_dir, &binaries)
                })
                .await??;
                tracing::info!(data_dir = %cluster.data_dir().display(), "embedded PostgreSQL is up");
                Ok(Backend {
                    admin: cluster.admin_config().into(),
                    cluster: Some(Arc::new(cluster)),
                })
            }
        }
    }

    /// The user store: in the URL's database, or in the embedded cluster's
    /// own `cor4` database.
    async fn open_store(&self, config: &Config) -> Result<UserStore, AnyError> {
        let store = open_store_at(&self.admin, self.cluster.is_some()).await?;
        Ok(store.with_ksf(config.kdf)?)
    }

    /// Opens the user store each time it is called (`top` retries until
    /// the database answers).
    fn store_opener(&self) -> crate::top::OpenStore {
        let admin = self.admin.clone();
        let embedded = self.cluster.is_some();
        Box::new(move || {
            let admin = admin.clone();
            Box::pin(async move { Ok(open_store_at(&admin, embedded).await?) })
        })
    }

    /// Stops the embedded cluster if `always` or if this process started it.
    async fn stop(self, always: bool) {
        if let Some(cluster) = self.cluster
            && (always || cluster.started_here())
        {
            let result = tokio::task::spawn_blocking(move || cluster.stop()).await;
            match result {
                Ok(Ok(())) => tracing::info!("embedded PostgreSQL stopped"),
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "stopping embedded PostgreSQL failed")
                }
                Err(e) => tracing::error!(error = %e, "stopping embedded PostgreSQL failed"),
            }
        }
    }
}

/// The first line of a password file (a container secret, say), without
/// its line end.
fn read_password_file(path: &std::path::Path) -> Result<String, AnyError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read the database password file {}: {e}",
            path.display()
        )
    })?;
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(format!("the database password file {} is empty", path.display()).into());
    }
    Ok(password)
}

/// The user store in the embedded cluster's own database, or in the
/// database of `admin`.
async fn open_store_at(admin: &PgConfig, embedded: bool) -> Result<UserStore, UserError> {
    if embedded {
        UserStore::open_database(admin, EMBEDDED_DATABASE).await
    } else {
        UserStore::open(admin).await
    }
}

/// `cor4-proxy top`, on the embedded cluster (started for the while if it
/// was not running) or the URL's database.
async fn run_top(
    common: &CommonArgs,
    interval: Duration,
    user: Option<String>,
) -> Result<(), AnyError> {
    let config = Config::resolve(common, &ServeArgs::default())?;
    // Kills from `top` go to the audit log when there is a file for it
    // (stderr would tear the screen; the proxy that ends the session
    // records it either way).
    let audit = match config.audit_log.as_deref() {
        Some(path) => Some(Arc::new(Audit::open(Some(path)).map_err(|e| {
            format!("cannot open the audit log {}: {e}", path.display())
        })?)),
        None => None,
    };
    let options = crate::top::Options {
        interval,
        user,
        audit,
    };
    let backend = Backend::start(&config.database).await?;
    let result = crate::top::run(backend.store_opener(), options).await;
    backend.stop(false).await;
    result
}

async fn run_serve(common: &CommonArgs, args: &ServeArgs) -> Result<(), AnyError> {
    let config = Arc::new(Config::resolve(common, args)?);
    let backend = Backend::start(&config.database).await?;
    let result = serve_with(&config, &backend, (common, args)).await;
    backend.stop(true).await;
    result
}

/// On the first start (no cor4 user yet) creates `admin` with a random
/// password and prints it once. When several proxies start at once on an
/// empty store, one wins and the others carry on.
async fn create_first_admin(
    store: &UserStore,
    config: &Config,
    bound: std::net::SocketAddr,
) -> Result<(), AnyError> {
    if !store.list().await?.is_empty() {
        return Ok(());
    }
    let password = generate_password();
    match store
        .add_user("admin", &password, None, true, config.kdf)
        .await
    {
        Ok(()) => {}
        Err(UserError::UserExists | UserError::RoleTaken) => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    let (host, port) = (bound.ip(), bound.port());
    println!();
    println!("  Created the cor4 user `admin` with password: {password}");
    println!("  This is shown only once. Connect with:");
    println!();
    println!("      COR4_PASSWORD='{password}' cor4 -h {host} -p {port} -U admin");
    println!();
    println!(
        "  (from the source tree: cargo run --release --bin cor4 -- -h {host} -p {port} -U admin)"
    );
    println!();
    Ok(())
}

/// Opens the user store; an external database that cannot be reached is
/// retried with backoff for `--connect-retry`, one line per attempt with
/// the cause.
async fn open_store_retrying(config: &Config, backend: &Backend) -> Result<UserStore, AnyError> {
    let deadline = tokio::time::Instant::now() + config.connect_retry;
    let mut wait = Duration::from_millis(500);
    let mut attempt = 1u32;
    loop {
        match backend.open_store(config).await {
            Ok(store) => return Ok(store),
            Err(e)
                if backend.cluster.is_none() && tokio::time::Instant::now() + wait < deadline =>
            {
                tracing::warn!(
                    attempt,
                    retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "cannot open the user store ({e}); retrying"
                );
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
                attempt += 1;
            }
            Err(e) => {
                return Err(format!(
                    "{e} (after {attempt} attempt{}; check --database-url, that PostgreSQL \
                     runs and accepts this user, or raise --connect-retry)",
                    if attempt == 1 { "" } else { "s" }
                )
                .into());
            }
        }
    }
}

async fn serve_with(
    config: &Arc<Config>,
    backend: &Backend,
    (common, args): (&CommonArgs, &ServeArgs),
) -> Result<(), AnyError> {
    let store = Arc::new(open_store_retrying(config, backend).await?);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| {
            format!(
                "cannot listen on {}: {e} (is another cor4-proxy running? use --listen)",
                config.listen
            )
        })?;
    let bound = listener.local_addr().unwrap_or(config.listen);
    create_first_admin(&store, config, bound).await?;
    let audit = Arc::new(Audit::open(config.audit_log.as_deref()).map_err(|e| {
        format!(
            "cannot open the audit log {}: {e}",
            config
                .audit_log
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        )
    })?);
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: no new sessions, running queries get the grace period");
        let _ = tx.send(true);
    });
    let registry = Arc::new(Registry::new(config.instance_name_for(bound)));
    let sync = spawn_sync(store.clone(), registry.clone(), rx.clone());
    let accepting = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let database = Arc::new(DatabaseStatus::default());
    let supervisor = backend
        .cluster
        .as_ref()
        .map(|cluster| supervisor::spawn(cluster.clone(), database.clone(), rx.clone()));
    if let Some(addr) = config.metrics_listen {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot serve metrics on {addr}: {e} (use --metrics-listen)"))?;
        let health = Arc::new(crate::metrics::http::Health {
            metrics: registry.metrics().clone(),
            registry: registry.clone(),
            store: store.clone(),
            accepting: accepting.clone(),
            database: database.clone(),
        });
        tracing::info!(listen = %listener.local_addr().unwrap_or(addr), "serving metrics and health");
        tokio::spawn(crate::metrics::http::serve(listener, health, rx.clone()));
    }
    tracing::info!(listen = %bound, "cor4-proxy accepting sessions");
    {
        let accepting = accepting.clone();
        let mut rx = rx.clone();
        tokio::spawn(async move {
            if rx.changed().await.is_ok() {
                accepting.store(false, std::sync::atomic::Ordering::Relaxed);
            }
        });
    }
    let state = ServerState::new(config.clone(), store.clone(), audit, registry, database);
    if config.max_backends.is_none() {
        match store.backend_capacity(PROXY_OWN_CONNECTIONS).await {
            Ok((left, max, reserved)) => {
                state.backends.set_limit(left);
                tracing::info!(
                    max_backends = left,
                    "sessions may hold {left} PostgreSQL connections (max_connections {max} \
                     − superuser_reserved_connections {reserved} − {PROXY_OWN_CONNECTIONS} for \
                     the proxy itself; set --max-backends when other clients or proxies share it)"
                );
            }
            Err(e) => tracing::warn!("cannot read max_connections ({e}); --max-backends unbounded"),
        }
    }
    spawn_reload(common.clone(), args.clone(), Arc::clone(&state));
    {
        // Idle pooled connections past --pool-idle-timeout are closed.
        let pool = Arc::clone(&state.pool);
        let mut rx = rx.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tokio::select! {
                    _ = tick.tick() => pool.reap(),
                    _ = rx.changed() => return,
                }
            }
        });
    }
    serve(listener, state, rx).await;
    let _ = sync.await;
    if let Some(supervisor) = supervisor {
        let _ = supervisor.await;
    }
    Ok(())
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {},
        _ = tokio::signal::ctrl_c() => {},
    }
}

/// Runs `f` with the user store (starting the embedded cluster if it is
/// not running, and stopping it again then).
async fn with_store<F, Fut>(common: &CommonArgs, f: F) -> Result<(), AnyError>
where
    F: FnOnce(UserStore, Config) -> Fut,
    Fut: std::future::Future<Output = Result<(), AnyError>>,
{
    let config = Config::resolve(common, &ServeArgs::default())?;
    let backend = Backend::start(&config.database).await?;
    let result = match backend.open_store(&config).await {
        Ok(store) => f(store, config.clone()).await,
        Err(e) => Err(e),
    };
    backend.stop(false).await;
    result
}
