//! The accept loop and the login: everything between a TCP connection and an
//! authenticated session handed to the relay.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use cor4_protocol::ErrorCode;
use cor4_protocol::crypto::fake_salt;
use cor4_protocol::handshake::{Account, HandshakeError, ServerHandshake, Verdict};
use cor4_protocol::io::{SealedReader, SealedWriter, read_clear_frame, read_record};
use cor4_protocol::packet::{ErrorPacket, LOGIN_FLAG_MUST_CHANGE_PASSWORD, Packet, kind};

use crate::audit::Audit;
use crate::config::Config;
use crate::config::DuplicateLogin;
use crate::limits::ByteBudget;
use crate::metrics::LoginOutcome;
use crate::pgwire::PgConn;
use crate::registry::{Control, LiveSession, Registry, notify_control};
use crate::relay::{self, SessionContext};
use crate::supervisor::DatabaseStatus;
use crate::users::{UserRecord, UserStore};

/// Largest LOGIN frame accepted.
const MAX_LOGIN_FRAME: u32 = 1024;
/// Failed logins from one address within [`ADDRESS_WINDOW`] before it is
/// refused for the rest of the window.
const ADDRESS_FAILURES: u32 = 20;
const ADDRESS_WINDOW: Duration = Duration::from_secs(60);

/// What every session shares.
pub struct ServerState {
    /// The configuration.
    pub config: Arc<Config>,
    /// The user store.
    pub store: Arc<UserStore>,
    /// The audit log.
    pub audit: Arc<Audit>,
    /// This proxy's live sessions.
    pub registry: Arc<Registry>,
    /// Whether PostgreSQL is up.
    pub database: Arc<DatabaseStatus>,
    sessions: Arc<Semaphore>,
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
        Arc::new(ServerState {
            registry,
            database,
            sessions: Arc::new(Semaphore::new(config.max_sessions)),
            budget: ByteBudget::new(config.max_buffered),
            config,
            store,
            audit,
            failures_by_address: Mutex::new(HashMap::new()),
        })
    }

    fn address_limited(&self, ip: IpAddr) -> bool {
        let Ok(map) = self.failures_by_address.lock() else {
            return false;
        };
        map.get(&ip)
            .is_some_and(|(n, since)| *n >= ADDRESS_FAILURES && since.elapsed() < ADDRESS_WINDOW)
    }

    fn address_failed(&self, ip: IpAddr) {
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

async fn clear_error(stream: &mut TcpStream, code: ErrorCode, message: &str) {
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
    if !state.database.is_up() {
        state.registry.metrics().login(LoginOutcome::DatabaseDown);
        clear_error(
            &mut stream,
            ErrorCode::BackendUnavailable,
            "PostgreSQL is restarting after a failure; try again in a few seconds",
        )
        .await;
        return;
    }
    let Ok(permit) = state.sessions.clone().try_acquire_owned() else {
        tracing::warn!(%peer, "session limit reached; refusing connection");
        clear_error(
            &mut stream,
            ErrorCode::TooManySessions,
            "the server has no room for another session; try again later",
        )
        .await;
        return;
    };
    let metrics = Arc::clone(state.registry.metrics());
    metrics.pending_logins.fetch_add(1, Ordering::Relaxed);
    let login =
        tokio::time::timeout(state.config.login_timeout, login(&mut stream, peer, &state)).await;
    metrics.pending_logins.fetch_sub(1, Ordering::Relaxed);
    let (user, channel, first_plaintext) = match login {
        Ok(Ok(ok)) => ok,
        Ok(Err(failure)) => {
            metrics.login(failure.outcome());
            failure.audit(&state, peer);
            return;
        }
        Err(_) => {
            metrics.login(LoginOutcome::Timeout);
            state.audit.record(
                "login_failed",
                Some(peer),
                json!({"reason": "login timeout"}),
            );
            return;
        }
    };
    let started = Instant::now();
    let live = state.registry.register(&user.name, peer);
    // Registered first: a lock or kill from now on reaches this session.
    if let Some((code, message)) = admission(&state, &user, &live).await {
        state.audit.record(
            "login_refused",
            Some(peer),
            json!({"user": user.name, "reason": message}),
        );
        state.registry.remove(&live.id);
        metrics.login(LoginOutcome::Refused);
        refuse_after_login(stream, channel, code, message).await;
        return;
    }
    let pg = match connect_backend(&state.store, &user).await {
        Ok(pg) => pg,
        Err(e) => {
            tracing::error!(user = %user.name, error = %e, "cannot connect to PostgreSQL for a session");
            state.registry.remove(&live.id);
            metrics.login(LoginOutcome::Refused);
            refuse_after_login(
                stream,
                channel,
                ErrorCode::BackendUnavailable,
                "the proxy cannot reach PostgreSQL; try again later or tell the operator",
            )
            .await;
            return;
        }
    };
    metrics.login(LoginOutcome::Ok);
    metrics.backends.fetch_add(1, Ordering::Relaxed);
    let (read, write) = stream.into_split();
    let mut reader = SealedReader::new(read, channel.opener, state.config.max_packet);
    reader.push_plaintext(&first_plaintext);
    let writer = SealedWriter::new(write, channel.sealer, channel.peer_max_record);
    let ctx = SessionContext {
        user: user.name.clone(),
        idle_timeout: state.config.idle_timeout,
        log_queries: state.config.log_queries,
        shutdown,
        shutdown_grace: state.config.shutdown_grace,
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
    metrics.backends.fetch_sub(1, Ordering::Relaxed);
    state.audit.record(
        "session_end",
        Some(peer),
        json!({
            "user": user.name,
            "duration_ms": u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "queries": summary.queries,
            "rows": summary.rows,
            "end": format!("{:?}", summary.end),
        }),
    );
    drop(permit);
}

/// Sends a sealed ERROR answering LOGIN over a channel that was just
/// established, and closes.
async fn refuse_after_login(
    stream: TcpStream,
    channel: cor4_protocol::handshake::Channel,
    code: ErrorCode,
    message: &str,
) {
    let (_, write) = stream.into_split();
    let mut writer = SealedWriter::new(write, channel.sealer, channel.peer_max_record);
    let _ = writer
        .send(&Packet::Error(ErrorPacket {
            answered: kind::LOGIN,
            code: code.as_i32(),
            message: message.to_owned(),
            ..ErrorPacket::default()
        }))
        .await;
}

/// After the password is proven: whether the session may start. The
/// account is read again (a lock that came during the handshake wins), and
/// the duplicate-login policy applies.
async fn admission(
    state: &ServerState,
    user: &UserRecord,
    live: &LiveSession,
) -> Option<(ErrorCode, &'static str)> {
    match state.store.lookup(&user.name).await {
        Ok(Some(now)) if now.locked => {
            return Some((
                ErrorCode::AccountLocked,
                "this account is locked; ask an administrator to unlock it",
            ));
        }
        Ok(Some(_)) => {}
        Ok(None) => {
            return Some((ErrorCode::AccountLocked, "this account no longer exists"));
        }
        Err(e) => {
            tracing::error!(error = %e, "user store failed while admitting a session");
            return Some((
                ErrorCode::BackendUnavailable,
                "the proxy cannot reach its user store; try again later or tell the operator",
            ));
        }
    }
    match state.config.duplicate_login {
        DuplicateLogin::Allow => None,
        DuplicateLogin::Refuse => {
            let here = state.registry.user_sessions(&user.name, Some(&live.id));
            let elsewhere = state
                .store
                .sessions_elsewhere(&user.name, state.registry.instance())
                .await
                .unwrap_or(0);
            (here > 0 || elsewhere > 0).then_some((
                ErrorCode::DuplicateLogin,
                "this user already has a session and the server allows only one; \
                 end it first (or ask an operator to)",
            ))
        }
        DuplicateLogin::Replace => {
            let control = Control::KillUser {
                user: user.name.clone(),
                reason: "replaced",
                except: Some(live.id.clone()),
            };
            let (code, message) = crate::registry::end_reason("replaced");
            state
                .registry
                .end_user(&user.name, code, message, Some(&live.id));
            if let Err(e) = notify_control(&state.store, &control).await {
                tracing::warn!(error = %e, "cannot ask other proxies to end the older sessions");
            }
            None
        }
    }
}

/// Connects the session's PostgreSQL connection as the user's own role. If
/// the role's password was changed behind the proxy's back (a user may
/// `ALTER ROLE CURRENT_USER PASSWORD`), it is reset once and retried.
async fn connect_backend(
    store: &UserStore,
    user: &UserRecord,
) -> Result<PgConn, crate::pgwire::PgError> {
    let config = store.session_config(user);
    match PgConn::connect(&config, &[]).await {
        Err(e) if e.code() == Some("28P01") => {
            tracing::warn!(user = %user.name, "role password did not match; resetting it");
            if let Err(reset) = store.reset_role_password(user).await {
                tracing::error!(user = %user.name, error = %reset, "cannot reset the role password");
                return Err(e);
            }
            PgConn::connect(&config, &[]).await
        }
        other => other,
    }
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

/// Why a login did not produce a session; audited.
enum LoginFailure {
    /// The client went away before or during LOGIN.
    NoLogin,
    /// Malformed or unsupported LOGIN.
    BadLogin(HandshakeError),
    /// The user store failed.
    Store(crate::users::UserError),
    /// The client did not prove the password (or the login was refused).
    Failed { user: String, reason: &'static str },
}

impl LoginFailure {
    /// How the metrics count it.
    fn outcome(&self) -> LoginOutcome {
        match self {
            LoginFailure::NoLogin | LoginFailure::BadLogin(_) => LoginOutcome::Bad,
            LoginFailure::Store(_) => LoginOutcome::DatabaseDown,
            LoginFailure::Failed { reason, .. } => match *reason {
                "unknown user" => LoginOutcome::UnknownUser,
                "account locked" => LoginOutcome::Locked,
                "address not allowed" => LoginOutcome::AddressNotAllowed,
                "rate limited" => LoginOutcome::RateLimited,
                _ => LoginOutcome::WrongPassword,
            },
        }
    }

    fn audit(self, state: &ServerState, peer: SocketAddr) {
        match self {
            LoginFailure::NoLogin => {}
            LoginFailure::BadLogin(e) => {
                state.audit.record(
                    "login_failed",
                    Some(peer),
                    json!({"reason": format!("bad LOGIN: {e}")}),
                );
            }
            LoginFailure::Store(e) => {
                tracing::error!(error = %e, "user store failed during login");
                state.audit.record(
                    "login_failed",
                    Some(peer),
                    json!({"reason": "user store unavailable"}),
                );
            }
            LoginFailure::Failed { user, reason } => {
                state.audit.record(
                    "login_failed",
                    Some(peer),
                    json!({"user": user, "reason": reason}),
                );
            }
        }
    }
}

type LoggedIn = (UserRecord, cor4_protocol::handshake::Channel, Vec<u8>);

async fn login(
    stream: &mut TcpStream,
    peer: SocketAddr,
    state: &ServerState,
) -> Result<LoggedIn, LoginFailure> {
    let body = match read_clear_frame(stream, MAX_LOGIN_FRAME).await {
        Ok(Some(body)) => body,
        Ok(None) => return Err(LoginFailure::NoLogin),
        Err(e) => {
            return Err(LoginFailure::BadLogin(HandshakeError::Decode(match e {
                cor4_protocol::io::ChannelError::Decode(d) => d,
                _ => return Err(LoginFailure::NoLogin),
            })));
        }
    };
    let lookup = match ServerHandshake::on_login(&body) {
        Ok(l) => l,
        Err(e @ HandshakeError::UnsupportedVersion(_)) => {
            clear_error(
                stream,
                ErrorCode::UnsupportedVersion,
                "this server speaks Cor4 v2; upgrade the client",
            )
            .await;
            return Err(LoginFailure::BadLogin(e));
        }
        Err(e @ HandshakeError::BadRecordLimit(limit)) => {
            clear_error(
                stream,
                ErrorCode::ProtocolViolation,
                &format!(
                    "the client's max_record of {limit} bytes is outside the allowed \
                     1024..=16777216; use a limit in that range"
                ),
            )
            .await;
            return Err(LoginFailure::BadLogin(e));
        }
        Err(e) => return Err(LoginFailure::BadLogin(e)),
    };
    let name = lookup.user().to_owned();
    let record = match state.store.lookup(&name).await {
        Ok(record) => record,
        Err(e) => {
            clear_error(
                stream,
                ErrorCode::BackendUnavailable,
                "the proxy cannot reach its user store in PostgreSQL; try again in a few seconds",
            )
            .await;
            return Err(LoginFailure::Store(e));
        }
    };
    let address_limited = state.address_limited(peer.ip());
    let (account, refusal) = match &record {
        None => (
            Account::Unknown {
                fake_salt: fake_salt(state.store.server_secret(), &name),
                iterations: state.config.kdf_iterations,
            },
            Some("unknown user"),
        ),
        Some(user) => {
            let verdict = if user.locked {
                Verdict::Refuse {
                    code: ErrorCode::AccountLocked,
                    message: "this account is locked; ask an administrator to unlock it",
                }
            } else if !user.address_allowed(peer.ip()) {
                Verdict::Refuse {
                    code: ErrorCode::AddressNotAllowed,
                    message: "this account may not log in from your address",
                }
            } else if address_limited || user.is_rate_limited() {
                Verdict::Refuse {
                    code: ErrorCode::TooManyAttempts,
                    message: "too many failed logins; wait a minute and try again",
                }
            } else {
                let flags = if user.must_change_password {
                    LOGIN_FLAG_MUST_CHANGE_PASSWORD
                } else {
                    0
                };
                Verdict::Accept { flags }
            };
            let refusal = match &verdict {
                Verdict::Accept { .. } => None,
                Verdict::Refuse {
                    code: ErrorCode::AccountLocked,
                    ..
                } => Some("account locked"),
                Verdict::Refuse {
                    code: ErrorCode::AddressNotAllowed,
                    ..
                } => Some("address not allowed"),
                Verdict::Refuse { .. } => Some("rate limited"),
            };
            (
                Account::Known {
                    secret: user.secret.clone(),
                    salt: user.salt,
                    iterations: user.iterations,
                    verdict,
                },
                refusal,
            )
        }
    };
    let (confirm, reply) = lookup.respond(account, state.config.max_record);
    if stream.write_all(&reply).await.is_err() {
        return Err(LoginFailure::NoLogin);
    }
    let mut first = Vec::new();
    let got = read_record(stream, confirm.opener(), &mut first).await;
    let failed = |reason: &'static str| {
        state.address_failed(peer.ip());
        LoginFailure::Failed {
            user: name.clone(),
            reason,
        }
    };
    if let Some(reason) = refusal {
        if record.is_some() && reason != "rate limited" {
            let _ = state.store.record_failure(&name).await;
        }
        return Err(failed(reason));
    }
    let Some(user) = record else {
        return Err(failed("unknown user"));
    };
    if !matches!(got, Ok(true)) {
        let _ = state.store.record_failure(&name).await;
        return Err(failed("wrong password or client gave up"));
    }
    match confirm.on_first_record(&mut first) {
        Ok((channel, range)) => {
            let _ = state.store.record_success(&name).await;
            state
                .audit
                .record("login_ok", Some(peer), json!({"user": name}));
            Ok((user, channel, first[range].to_vec()))
        }
        Err(_) => {
            let _ = state.store.record_failure(&name).await;
            Err(failed("wrong password"))
        }
    }
}
