//! After the password is proven and before the reply: whether the session
//! may start, and its PostgreSQL connection. Every refusal here goes to the
//! client in the sealed login reply (`docs/protocol.md` §6.2 step 5), so a
//! client is never told OK and then dropped.

use std::sync::Arc;

use cor4_protocol::ErrorCode;

use crate::config::DuplicateLogin;
use crate::pgwire::PgConn;
use crate::pool::Connect;
use crate::registry::{Control, LiveSession, notify_control};
use crate::server::ServerState;
use crate::users::{UserRecord, UserStore};
use tokio_postgres::error::SqlState;

/// After the password is proven: whether the session may start. The
/// account is read again (a lock that came during the handshake wins), and
/// the duplicate-login policy applies.
pub(crate) async fn admission(
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
    match state.config().duplicate_login {
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
                "this user already has a session and only one is allowed; end that one first",
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

/// How the pool opens a connection for `user`: as the user's own role. If
/// the role's password was changed behind the proxy's back (a user may
/// `ALTER ROLE CURRENT_USER PASSWORD`), it is reset once and retried.
pub(crate) fn connector(store: &Arc<UserStore>, user: &UserRecord) -> Connect {
    let store = Arc::clone(store);
    let user = Arc::new(user.clone());
    Arc::new(move || {
        let store = Arc::clone(&store);
        let user = Arc::clone(&user);
        Box::pin(async move { connect_backend(&store, &user).await })
    })
}

async fn connect_backend(
    store: &UserStore,
    user: &UserRecord,
) -> Result<PgConn, crate::pgwire::PgError> {
    let config = store.session_config(user);
    match PgConn::connect(&config, &[]).await {
        Err(e) if e.code() == Some(SqlState::INVALID_PASSWORD.code()) => {
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
