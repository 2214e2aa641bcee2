//! The accept loop: everything between a TCP connection and an
//! authenticated session handed to the relay (the login itself is in
//! `login`).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use cor4_protocol::ErrorCode;
use cor4_protocol::io::{SealedReader, SealedWriter};
use cor4_protocol::packet::{ErrorPacket, Packet, kind};

use crate::audit::Audit;
use crate::config::Config;
use crate::login::login;
use crate::pgwire::PgConn;
use crate::relay::{self, SessionContext};
use crate::users::{UserRecord, UserStore};

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
    sessions: Arc<Semaphore>,
    failures_by_address: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl ServerState {
    /// Shared state for `config`.
    pub fn new(config: Arc<Config>, store: Arc<UserStore>, audit: Arc<Audit>) -> Arc<Self> {
        Arc::new(ServerState {
            sessions: Arc::new(Semaphore::new(config.max_sessions)),
            config,
            store,
            audit,
            failures_by_address: Mutex::new(HashMap::new()),
        })
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
    let login =
        tokio::time::timeout(state.config.login_timeout, login(&mut stream, peer, &state)).await;
    let (user, channel, first_plaintext) = match login {
        Ok(Ok(ok)) => ok,
        Ok(Err(failure)) => {
            failure.audit(&state, peer);
            return;
        }
        Err(_) => {
            state.audit.record(
                "login_failed",
                Some(peer),
                json!({"reason": "login timeout"}),
            );
            return;
        }
    };
    let started = Instant::now();
    let pg = match connect_backend(&state.store, &user).await {
        Ok(pg) => pg,
        Err(e) => {
            tracing::error!(user = %user.name, error = %e, "cannot connect to PostgreSQL for a session");
            let (_, write) = stream.into_split();
            let mut writer = SealedWriter::new(write, channel.sealer, channel.peer_max_record);
            let _ = writer
                .send(&Packet::Error(ErrorPacket {
                    answered: kind::LOGIN,
                    code: ErrorCode::BackendUnavailable.as_i32(),
                    message:
                        "the proxy cannot reach PostgreSQL; try again later or tell the operator"
                            .into(),
                    ..ErrorPacket::default()
                }))
                .await;
            return;
        }
    };
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
    };
    let summary = relay::run_session(reader, writer, pg, ctx).await;
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
