//! The accept loop: everything between a TCP connection and an
//! authenticated session handed to the relay (the login itself is in
//! `login`).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use cor4_protocol::ErrorCode;
use cor4_protocol::handshake::Verified;
use cor4_protocol::io::{SealedReader, SealedWriter};
use cor4_protocol::packet::{ErrorPacket, LOGIN_FLAG_MUST_CHANGE_PASSWORD, Packet, kind};

use crate::admission::{admission, connector};
use crate::audit::Audit;
use crate::config::Config;
use crate::limits::{ByteBudget, PendingLogins, Slots};
use crate::login::login;
use crate::metrics::LoginOutcome;
use crate::pool::{AcquireError, Backend, Pool};
use crate::registry::Registry;
use crate::relay::{self, SessionContext};
use crate::supervisor::DatabaseStatus;
use crate::users::UserStore;

/// Failed logins from one address within [`ADDRESS_WINDOW`] before it is
/// refused for the rest of the window.
const ADDRESS_FAILURES: u32 = 20;
const ADDRESS_WINDOW: Duration = Duration::from_secs(60);

/// What every session shares.
pub struct ServerState {
    /// The configuration in force (SIGHUP swaps it: [`reload`](Self::reload)).
    config: std::sync::RwLock<Arc<Config>>,
    /// The user store.
    pub store: Arc<UserStore>,
    /// The audit log.
    pub audit: Arc<Audit>,
    /// This proxy's live sessions.
    pub registry: Arc<Registry>,
    /// Whether PostgreSQL is up.
    pub database: Arc<DatabaseStatus>,
    /// Sessions, taken only once a login is proven (`--max-sessions`).
    sessions: Arc<Slots>,
    /// Sessions' PostgreSQL connections (`--max-backends`).
    pub backends: Arc<Slots>,
    /// Where sessions get their PostgreSQL connections.
    pub pool: Arc<Pool>,
    /// Connections that have not logged in yet.
    pending: Arc<PendingLogins>,
    /// The bytes sessions share for large packets.
    budget: Arc<ByteBudget>,
    failures_by_address: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl ServerState {
    /// Shared state for `config`.
    pub fn new(
        config: Arc<Config>,
        store: Arc<UserStore>,
        audit: Arc<Audit>,
        registry: Arc<Registry>,
        database: Arc<DatabaseStatus>,
    ) -> Arc<Self> {
        let backends = Slots::new(config.max_backends.unwrap_or(usize::MAX));
        let pool = Pool::new(
            config.pool_mode,
            config.pool,
            Arc::clone(&backends),
            Arc::clone(registry.metrics()),
        );
        Arc::new(ServerState {
            registry,
            database,
            sessions: Slots::new(config.max_sessions),
            backends,
            pool,
            pending: PendingLogins::new(config.max_pending_logins, config.max_pending_per_address),
            budget: ByteBudget::new(config.max_buffered),
            config: std::sync::RwLock::new(Arc::clone(&config)),
            store,
            audit,
            failures_by_address: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration in force now.
    pub fn config(&self) -> Arc<Config> {
        Arc::clone(
            &self
                .config
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Puts `new` in force for what follows (new connections, new
    /// sessions; running sessions keep their timeouts), and the limits at
    /// once; settings that need a restart keep their value. Returns what
    /// changed, for the log.
    pub fn reload(&self, new: Config) -> crate::reload::Changes {
        let old = self.config();
        let (kept, changes) = crate::reload::merge(&old, new);
        self.sessions.set_limit(kept.max_sessions);
        if let Some(max) = kept.max_backends {
            self.backends.set_limit(max);
        }
        self.pool.set_limits(kept.pool);
        self.pending
            .set_limits(kept.max_pending_logins, kept.max_pending_per_address);
        *self
            .config
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(kept);
        changes
    }

    pub(crate) fn address_limited(&self, ip: IpAddr) -> bool {
        let Ok(map) = self.failures_by_address.lock() else {
            return false;
        };
        map.get(&ip)
            .is_some_and(|(n, since)| *n >= ADDRESS_FAILURES && since.elapsed() < ADDRESS_WINDOW)
    }

    pub(crate) fn address_failed(&self, ip: IpAddr) {
        let Ok(mut map) = self.failures_by_address.lock() else {
            return;
        };
        let entry = map.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= ADDRESS_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < ADDRESS_WINDOW);
        }
    }
}

/// Accepts connections until `shutdown` turns true, then waits for the
/// sessions to end (they drain within the grace period).
pub async fn serve(
    listener: TcpListener,
    state: Arc<ServerState>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let state = state.clone();
                    let shutdown = shutdown.clone();
                    sessions.spawn(async move { connection(stream, peer, state, shutdown).await });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            _ = shutdown.changed() => break,
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
    drop(listener);
    tracing::info!(
        sessions = sessions.len(),
        "no longer accepting; waiting for sessions to end"
    );
    while sessions.join_next().await.is_some() {}
}

pub(crate) async fn clear_error(stream: &mut TcpStream, code: ErrorCode, message: &str) {
    let packet = Packet::Error(ErrorPacket {
        answered: kind::LOGIN,
        code: code.as_i32(),
        message: message.to_owned(),
        ..ErrorPacket::default()
    });
    let _ = stream.write_all(&packet.to_frame()).await;
    let _ = stream.shutdown().await;
}

async fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    state: Arc<ServerState>,
    shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let metrics = Arc::clone(state.registry.metrics());
    if !state.database.is_up() {
        metrics.login(LoginOutcome::DatabaseDown);
        clear_error(
            &mut stream,
            ErrorCode::BackendUnavailable,
            "PostgreSQL is restarting after a failure; try again in a few seconds",
        )
        .await;
        return;
    }
    let ticket = match state.pending.admit(peer.ip()) {
        Ok(ticket) => ticket,
        Err(full) => {
            tracing::warn!(%peer, cap = full.cap, "too many pending logins from one address; refusing");
            metrics.login(LoginOutcome::Refused);
            clear_error(
                &mut stream,
                ErrorCode::TooManySessions,
                &format!(
                    "{} connections from your address are already logging in (the limit); \
                     finish or close them and try again",
                    full.cap
                ),
            )
            .await;
            return;
        }
    };
    metrics.pending_logins.fetch_add(1, Ordering::Relaxed);
    let attempt = tokio::select! {
        login = tokio::time::timeout(state.config().login_timeout, login(&mut stream, peer, &state)) => {
            Some(login)
        }
        () = ticket.evicted() => None,
    };
    metrics.pending_logins.fetch_sub(1, Ordering::Relaxed);
    drop(ticket);
    let (user, verified) = match attempt {
        Some(Ok(Ok(ok))) => ok,
        Some(Ok(Err(failure))) => {
            metrics.login(failure.outcome());
            failure.audit(&state, peer);
            return;
        }
        Some(Err(_)) => {
            metrics.login(LoginOutcome::Timeout);
            state.audit.record(
                "login_failed",
                Some(peer),
                json!({"reason": "login timeout"}),
            );
            return;
        }
        None => {
            metrics.login(LoginOutcome::Timeout);
            clear_error(
                &mut stream,
                ErrorCode::TooManySessions,
                "too many connections are waiting to log in; this one waited longest \
                 and was closed; try again",
            )
            .await;
            return;
        }
    };
    let Some(slot) = state.sessions.try_take() else {
        tracing::warn!(%peer, user = %user.name, "session limit reached; refusing the login");
        let refusal = (
            ErrorCode::TooManySessions,
            "the server has no room for another session; try again later",
        );
        refuse_session(&state, peer, &user.name, verified, stream, refusal).await;
        return;
    };
    let live = state.registry.register(&user.name, peer);
    // Registered first: a lock or kill from now on reaches this session.
    if let Some((code, message)) = admission(&state, &user, &live).await {
        state.registry.remove(&live.id);
        refuse_session(&state, peer, &user.name, verified, stream, (code, message)).await;
        return;
    }
    let pg = match Backend::login(&state.pool, &user.name, connector(&state.store, &user)).await {
        Ok(pg) => pg,
        Err(AcquireError::Connect(e)) => {
            tracing::error!(user = %user.name, error = %e, "cannot connect to PostgreSQL for a session");
            state.registry.remove(&live.id);
            let message = match e.code() {
                Some(code) => format!("PostgreSQL refused the session ({code}): {e}"),
                None => format!("the proxy cannot reach PostgreSQL: {e}"),
            };
            let refusal = (ErrorCode::BackendUnavailable, message.as_str());
            refuse_session(&state, peer, &user.name, verified, stream, refusal).await;
            return;
        }
        Err(full @ AcquireError::Exhausted { .. }) => {
            tracing::warn!(%peer, user = %user.name, "no PostgreSQL connection left; refusing the login");
            state.registry.remove(&live.id);
            let message = format!(
                "PostgreSQL has no connection left for another session ({full}); try again later"
            );
            let refusal = (ErrorCode::BackendUnavailable, message.as_str());
            refuse_session(&state, peer, &user.name, verified, stream, refusal).await;
            return;
        }
    };
    let flags = if user.must_change_password {
        LOGIN_FLAG_MUST_CHANGE_PASSWORD
    } else {
        0
    };
    let (channel, reply) = verified.accept(flags);
    if stream.write_all(&reply).await.is_err() {
        state.registry.remove(&live.id);
        metrics.login(LoginOutcome::Bad);
        return;
    }
    metrics.login(LoginOutcome::Ok);
    let started = Instant::now();
    let (read, write) = stream.into_split();
    let reader = SealedReader::new(read, channel.opener, state.config().max_packet);
    let writer = SealedWriter::new(write, channel.sealer, channel.peer_max_record);
    let ctx = SessionContext {
        user: user.name.clone(),
        idle_timeout: state.config().idle_timeout,
        write_timeout: state.config().write_timeout,
        log_queries: state.config().log_queries,
        shutdown,
        shutdown_grace: state.config().shutdown_grace,
        must_change_password: user.must_change_password,
        passwords: Arc::new(AuditedPasswords {
            store: state.store.clone(),
            audit: state.audit.clone(),
            peer,
        }),
        live: Arc::clone(&live),
        budget: Arc::clone(&state.budget),
    };
    let summary = relay::run_session(reader, writer, pg, ctx).await;
    state.registry.remove(&live.id);
    state.audit.record(
        "session_end",
        Some(peer),
        json!({
            "user": user.name,
            "duration_ms": u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "queries": summary.queries,
            "rows": summary.rows,
            "end": summary.end.as_str(),
        }),
    );
    drop(slot);
}

/// CHPASS through the user store, with an audit record of each attempt.
struct AuditedPasswords {
    store: Arc<UserStore>,
    audit: Arc<Audit>,
    peer: SocketAddr,
}

impl relay::PasswordChanger for AuditedPasswords {
    fn set_password<'a>(
        &'a self,
        user: &'a str,
        key: &'a cor4_protocol::crypto::PasswordKey,
    ) -> relay::PasswordFuture<'a> {
        Box::pin(async move {
            let result = self.store.set_password(user, key).await;
            let outcome = match &result {
                Ok(()) => "ok".to_owned(),
                Err(e) => format!("refused: {e}"),
            };
            self.audit.record(
                "chpass",
                Some(self.peer),
                json!({"user": user, "outcome": outcome}),
            );
            result
        })
    }
}

/// Refuses a session after the proof: the sealed login reply carries the
/// reason, then the connection closes.
async fn refuse_session(
    state: &ServerState,
    peer: SocketAddr,
    user: &str,
    verified: Verified,
    mut stream: TcpStream,
    (code, message): (ErrorCode, &str),
) {
    state.audit.record(
        "login_refused",
        Some(peer),
        json!({"user": user, "reason": message}),
    );
    state.registry.metrics().login(LoginOutcome::Refused);
    let reply = verified.refuse(code, message);
    let _ = stream.write_all(&reply).await;
    let _ = stream.shutdown().await;
}
