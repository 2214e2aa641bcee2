//! The Cor4 v3 login on the proxy's side (`docs/protocol.md` §6): from the
//! clear LOGIN to an authenticated channel, with the user-store decisions
//! and the audit records.
//!
//! ```text
//! LOGIN ──► version 3? ── no ──► clear ERROR 6 (upgrade)
//!   │
//!   └─► look the user up ──► unknown, locked, address refused, rate limited
//!         │                      └─► LOGIN_RESPONSE from a fake record
//!         ├─► no verifier (a password from Cor4 v2) ──► clear ERROR 13 (reset)
//!         └─► LOGIN_RESPONSE from the verifier
//!               ◄── LOGIN_FINISH: proven ──► sealed OK (flags) ──► session
//!                                 not proven, or closed ──► failure counted
//! ```
//!
//! The server never runs Argon2id here: a login costs it a few group
//! operations, whether the user exists or not.

use std::net::SocketAddr;

use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use cor4_protocol::ErrorCode;
use cor4_protocol::handshake::{Account, Channel, HandshakeError, ServerHandshake};
use cor4_protocol::io::{ChannelError, read_clear_frame};
use cor4_protocol::packet::LOGIN_FLAG_MUST_CHANGE_PASSWORD;

use crate::server::{ServerState, clear_error};
use crate::users::UserRecord;

/// Largest clear login frame accepted (LOGIN and LOGIN_FINISH).
const MAX_LOGIN_FRAME: u32 = 1024;

/// What the session needs from a login: the user, the record channel and
/// plaintext that arrived with the login (always empty in v3: the first
/// request arrives through the session's reader).
pub(crate) type LoggedIn = (UserRecord, Channel, Vec<u8>);

/// Why a login did not produce a session; audited.
pub(crate) enum LoginFailure {
    /// The client went away before or during LOGIN.
    NoLogin,
    /// Malformed or unsupported LOGIN.
    BadLogin(HandshakeError),
    /// The user store failed.
    Store(crate::users::UserError),
    /// The client did not prove the password, or the login was refused.
    Failed { user: String, reason: &'static str },
}

impl LoginFailure {
    /// Writes the audit record of this failure.
    pub(crate) fn audit(self, state: &ServerState, peer: SocketAddr) {
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

/// Reads one clear login frame; `None` when the client closed.
async fn read_login_frame(stream: &mut TcpStream) -> Result<Option<Vec<u8>>, LoginFailure> {
    match read_clear_frame(stream, MAX_LOGIN_FRAME).await {
        Ok(body) => Ok(body),
        Err(ChannelError::Decode(d)) => Err(LoginFailure::BadLogin(HandshakeError::Decode(d))),
        Err(_) => Ok(None),
    }
}

/// Runs the login on `stream`; the caller bounds it with the login timeout.
pub(crate) async fn login(
    stream: &mut TcpStream,
    peer: SocketAddr,
    state: &ServerState,
) -> Result<LoggedIn, LoginFailure> {
    let Some(body) = read_login_frame(stream).await? else {
        return Err(LoginFailure::NoLogin);
    };
    let lookup = match ServerHandshake::on_login(&body) {
        Ok(l) => l,
        Err(e) => {
            refuse_login(stream, &e).await;
            return Err(LoginFailure::BadLogin(e));
        }
    };
    let name = lookup.user().to_owned();
    let record = state
        .store
        .lookup(&name)
        .await
        .map_err(LoginFailure::Store)?;
    let address_limited = state.address_limited(peer.ip());
    let failed = |reason: &'static str| {
        state.address_failed(peer.ip());
        LoginFailure::Failed {
            user: name.clone(),
            reason,
        }
    };
    // Every refusal before the proof answers with a fake record: it shows
    // nothing, and it tests no password, so the lockout really stops
    // online guessing. Only the audit log says why.
    let default_ksf = state.store.ksf();
    let (account, refusal) = match &record {
        None => (Account::Fake { ksf: default_ksf }, Some("unknown user")),
        Some(user) => {
            let ksf = user.verifier.as_ref().map_or(default_ksf, |v| v.ksf());
            let refusal = if user.locked {
                Some("account locked")
            } else if !user.address_allowed(peer.ip()) {
                Some("address not allowed")
            } else if address_limited || user.is_rate_limited() {
                Some("rate limited")
            } else {
                None
            };
            match (&user.verifier, refusal) {
                (Some(v), None) => (Account::Verifier(v), None),
                (None, None) => {
                    clear_error(
                        stream,
                        ErrorCode::PasswordResetRequired,
                        "your password was set before Cor4 v3 and can no longer be used; \
                         ask an administrator to reset it (cor4-proxy user passwd NAME)",
                    )
                    .await;
                    return Err(LoginFailure::Failed {
                        user: name,
                        reason: "password predates Cor4 v3: reset it with cor4-proxy user passwd",
                    });
                }
                (_, Some(reason)) => (Account::Fake { ksf }, Some(reason)),
            }
        }
    };
    let (awaiting, response) = lookup
        .respond(state.store.server_keys(), account, state.config.max_record)
        .map_err(LoginFailure::BadLogin)?;
    if stream.write_all(&response).await.is_err() {
        return Err(LoginFailure::NoLogin);
    }
    // Wait for LOGIN_FINISH whatever the account, so that how long the
    // connection stays open says nothing either.
    let finish = read_login_frame(stream).await;
    if let Some(reason) = refusal {
        if record.is_some() && reason != "rate limited" {
            let _ = state.store.record_failure(&name).await;
        }
        return Err(failed(reason));
    }
    let Some(user) = record else {
        return Err(failed("unknown user"));
    };
    let verified = match finish {
        Ok(Some(finish)) => awaiting.on_finish(&finish),
        _ => Err(HandshakeError::NotConfirmed),
    };
    let Ok(verified) = verified else {
        let _ = state.store.record_failure(&name).await;
        return Err(failed("wrong password or client gave up"));
    };
    let _ = state.store.record_success(&name).await;
    state
        .audit
        .record("login_ok", Some(peer), json!({"user": name}));
    let flags = if user.must_change_password {
        LOGIN_FLAG_MUST_CHANGE_PASSWORD
    } else {
        0
    };
    let (channel, reply) = verified.accept(flags);
    if stream.write_all(&reply).await.is_err() {
        return Err(LoginFailure::NoLogin);
    }
    Ok((user, channel, Vec::new()))
}

/// Answers a LOGIN the handshake refused with a clear ERROR that says what
/// to do, when there is something to say.
async fn refuse_login(stream: &mut TcpStream, error: &HandshakeError) {
    let (code, message) = match error {
        HandshakeError::UnsupportedVersion(v) => (
            ErrorCode::UnsupportedVersion,
            format!(
                "this server speaks Cor4 v3 and the client speaks version {}.{}.{}.{}; \
                 upgrade the client",
                v[0], v[1], v[2], v[3]
            ),
        ),
        HandshakeError::BadRecordLimit(limit) => (
            ErrorCode::ProtocolViolation,
            format!(
                "the client's max_record of {limit} bytes is outside the allowed \
                 1024..=16777216; use a limit in that range"
            ),
        ),
        HandshakeError::MalformedPake(what) => (
            ErrorCode::ProtocolViolation,
            format!("the LOGIN's {what} is not a valid OPAQUE message"),
        ),
        _ => return,
    };
    clear_error(stream, code, &message).await;
}
