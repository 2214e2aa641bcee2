//! The Cor4 v3 login on the proxy's side (`docs/protocol.md` §6): from the
//! clear LOGIN to a proven password, with the user-store decisions and the
//! audit records. What follows the proof (admission, the reply) is the
//! server's.
//!
//! ```text
//! LOGIN ──► version 3? ── no ──► clear ERROR 6 (upgrade)
//!   │
//!   └─► look the user up ──► unknown, locked, address refused, rate limited
//!         │                      └─► LOGIN_RESPONSE from a fake record
//!         ├─► no verifier (a password from Cor4 v2) ──► clear ERROR 13 (reset)
//!         └─► begin the attempt (counted in advance; refused if a lockout runs)
//!               └─► LOGIN_RESPONSE from the verifier
//!                     ◄── LOGIN_FINISH: proven ──► Verified (the server replies)
//!                                       not proven, or closed ──► stays counted
//! ```
//!
//! The server never runs Argon2id here: a login costs it a few group
//! operations, whether the user exists or not.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use cor4_protocol::ErrorCode;
use cor4_protocol::handshake::{Account, HandshakeError, ServerHandshake, Verified};
use cor4_protocol::io::{ChannelError, read_clear_frame};

use crate::metrics::LoginOutcome;
use crate::server::{ServerState, clear_error};
use crate::users::{Attempt, UserRecord};

/// Largest clear login frame accepted (LOGIN and LOGIN_FINISH).
const MAX_LOGIN_FRAME: u32 = 1024;

/// Why a login that named a user did not prove a password. Refusals before
/// the proof answer from a fake record, so only the audit log and the
/// metrics tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No such user (or a name no user can have).
    UnknownUser,
    /// Locked by an administrator.
    Locked,
    /// Not allowed from the client's address.
    AddressNotAllowed,
    /// A failed-login lockout runs, for the user or for the address.
    RateLimited,
    /// The password was not proven: wrong, or the client gave up.
    WrongPassword,
    /// The password predates Cor4 v3 and must be reset.
    PasswordPredatesV3,
}

impl Refusal {
    /// The reason in the audit log.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Refusal::UnknownUser => "unknown user",
            Refusal::Locked => "account locked",
            Refusal::AddressNotAllowed => "address not allowed",
            Refusal::RateLimited => "rate limited",
            Refusal::WrongPassword => "wrong password or client gave up",
            Refusal::PasswordPredatesV3 => {
                "password predates Cor4 v3: reset it with cor4-proxy user passwd"
            }
        }
    }

    fn outcome(self) -> LoginOutcome {
        match self {
            Refusal::UnknownUser => LoginOutcome::UnknownUser,
            Refusal::Locked => LoginOutcome::Locked,
            Refusal::AddressNotAllowed => LoginOutcome::AddressNotAllowed,
            Refusal::RateLimited => LoginOutcome::RateLimited,
            Refusal::WrongPassword | Refusal::PasswordPredatesV3 => LoginOutcome::WrongPassword,
        }
    }
}

/// Why a login did not produce a session; audited.
pub(crate) enum LoginFailure {
    /// The client went away before or during LOGIN.
    NoLogin,
    /// Malformed or unsupported LOGIN.
    BadLogin(HandshakeError),
    /// The user store failed (the client was told so).
    Store(crate::users::UserError),
    /// The login named a user and was refused.
    Refused { user: String, refusal: Refusal },
}

impl LoginFailure {
    /// The outcome counted in the metrics.
    pub(crate) fn outcome(&self) -> LoginOutcome {
        match self {
            LoginFailure::NoLogin | LoginFailure::BadLogin(_) => LoginOutcome::Bad,
            LoginFailure::Store(_) => LoginOutcome::DatabaseDown,
            LoginFailure::Refused { refusal, .. } => refusal.outcome(),
        }
    }

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
            LoginFailure::Refused { user, refusal } => {
                state.audit.record(
                    "login_failed",
                    Some(peer),
                    json!({"user": user, "reason": refusal.as_str()}),
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

/// Tells the client the user store cannot be reached, and why it failed.
async fn store_failed(stream: &mut TcpStream, e: crate::users::UserError) -> LoginFailure {
    clear_error(
        stream,
        ErrorCode::BackendUnavailable,
        "the proxy cannot reach its user store (PostgreSQL); try again in a few seconds \
         or tell the operator",
    )
    .await;
    LoginFailure::Store(e)
}

/// How long a login waits for a lockout that began moments ago, which the
/// attempts under way may still lift by proving the password (a pool that
/// opens more connections at once than the failure threshold).
const FRESH_LOCKOUT_WAIT: Duration = Duration::from_secs(3);
const FRESH_LOCKOUT_POLL: Duration = Duration::from_millis(100);

/// [`UserStore::begin_attempt`](crate::users::UserStore::begin_attempt),
/// waiting a little when a lockout has just begun: the attempts counted in
/// advance that started it may be right, and a right one lifts it.
/// Parallel wrong guesses still get exactly the threshold judged.
async fn begin_attempt(
    state: &ServerState,
    name: &str,
    judged: bool,
) -> Result<Attempt, crate::users::UserError> {
    let give_up =
        tokio::time::Instant::now() + FRESH_LOCKOUT_WAIT.min(state.config().login_timeout / 2);
    loop {
        let attempt = state.store.begin_attempt(name, judged).await?;
        match attempt {
            Attempt::LockedOut { recent: true } if tokio::time::Instant::now() < give_up => {
                tokio::time::sleep(FRESH_LOCKOUT_POLL).await;
            }
            other => return Ok(other),
        }
    }
}

/// Runs the login on `stream` up to the proof; the caller bounds it with
/// the login timeout and sends the reply (OK, or a refusal after the proof).
pub(crate) async fn login(
    stream: &mut TcpStream,
    peer: SocketAddr,
    state: &ServerState,
) -> Result<(UserRecord, Verified), LoginFailure> {
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
    // PostgreSQL text cannot hold NUL: no user has such a name.
    let record = if name.contains('\0') {
        None
    } else {
        match state.store.lookup(&name).await {
            Ok(record) => record,
            Err(e) => return Err(store_failed(stream, e).await),
        }
    };
    let refused = |refusal: Refusal| {
        state.address_failed(peer.ip());
        LoginFailure::Refused {
            user: name.clone(),
            refusal,
        }
    };
    // Every refusal before the proof answers with a fake record: it shows
    // nothing, and it tests no password, so the lockout really stops
    // online guessing. Only the audit log says why. Refusals other than a
    // wrong password do not count as the user's failures.
    let default_ksf = state.store.ksf();
    let (account, refusal) = match &record {
        None => (
            Account::Fake { ksf: default_ksf },
            Some(Refusal::UnknownUser),
        ),
        Some(user) => {
            let ksf = user.verifier.as_ref().map_or(default_ksf, |v| v.ksf());
            let refusal = if user.locked {
                Some(Refusal::Locked)
            } else if !user.address_allowed(peer.ip()) {
                Some(Refusal::AddressNotAllowed)
            } else if state.address_limited(peer.ip()) {
                Some(Refusal::RateLimited)
            } else {
                None
            };
            match (&user.verifier, refusal) {
                (None, None) => {
                    clear_error(
                        stream,
                        ErrorCode::PasswordResetRequired,
                        "your password was set before Cor4 v3 and can no longer be used; \
                         ask an administrator to reset it (cor4-proxy user passwd NAME)",
                    )
                    .await;
                    return Err(LoginFailure::Refused {
                        user: name,
                        refusal: Refusal::PasswordPredatesV3,
                    });
                }
                (Some(v), None) => (Account::Verifier(v), None),
                (_, Some(refusal)) => (Account::Fake { ksf }, Some(refusal)),
            }
        }
    };
    // The attempt is counted before the verifier answers (an answer from
    // it lets the client test its password), in the statement that also
    // refuses it while a lockout runs. Every login runs that statement.
    let judged = refusal.is_none();
    let counted_name = if name.contains('\0') {
        ""
    } else {
        name.as_str()
    };
    let (account, refusal) = match begin_attempt(state, counted_name, judged).await {
        Ok(Attempt::Judged | Attempt::NotCounted) => (account, refusal),
        Ok(Attempt::LockedOut { .. }) => {
            let ksf = record
                .as_ref()
                .and_then(|u| u.verifier.as_ref())
                .map_or(default_ksf, |v| v.ksf());
            (Account::Fake { ksf }, Some(Refusal::RateLimited))
        }
        Err(e) => return Err(store_failed(stream, e).await),
    };
    let (awaiting, response) = lookup
        .respond(
            state.store.server_keys(),
            account,
            state.config().max_record,
        )
        .map_err(LoginFailure::BadLogin)?;
    if stream.write_all(&response).await.is_err() {
        return Err(LoginFailure::NoLogin);
    }
    // Wait for LOGIN_FINISH whatever the account, so that how long the
    // connection stays open says nothing either.
    let finish = read_login_frame(stream).await;
    if let Some(refusal) = refusal {
        return Err(refused(refusal));
    }
    let Some(user) = record else {
        return Err(refused(Refusal::UnknownUser));
    };
    let verified = match finish {
        Ok(Some(finish)) => awaiting.on_finish(&finish),
        _ => Err(HandshakeError::NotConfirmed),
    };
    // A failure was counted when the attempt began.
    let Ok(verified) = verified else {
        return Err(refused(Refusal::WrongPassword));
    };
    if let Err(e) = state.store.record_success(&name).await {
        tracing::warn!(user = %name, error = %e, "cannot reset the failed-login count");
    }
    state
        .audit
        .record("login_ok", Some(peer), json!({"user": name}));
    Ok((user, verified))
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
