//! The registry through the database: twice a second this proxy reads the
//! control queue (kills for any session or user, from `cor4-proxy kill`,
//! `user lock` or a newer login elsewhere), and once a second it publishes
//! its sessions and heartbeat; on shutdown it withdraws them.

use std::sync::Arc;
use std::time::Duration;

use cor4_protocol::ErrorCode;
use tokio::sync::watch;

use super::Registry;
use crate::users::{ControlRow, UserStore};

/// How often the control queue is read.
const POLL: Duration = Duration::from_millis(500);

/// A request for every proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// End one session (an operator's `kill ID`).
    KillSession(String),
    /// End every session of a user, but `except`: an operator's `kill
    /// --user`, a lock, or a newer login replacing older ones.
    KillUser {
        /// The user.
        user: String,
        /// `operator`, `locked` or `replaced`.
        reason: &'static str,
        /// The session to spare.
        except: Option<String>,
    },
}

/// Queues `control` for every proxy on the database (this one included).
pub async fn notify_control(
    store: &UserStore,
    control: &Control,
) -> Result<(), crate::users::UserError> {
    match control {
        Control::KillSession(id) => {
            store
                .send_control("kill", Some(id), None, "operator", None)
                .await
        }
        Control::KillUser {
            user,
            reason,
            except,
        } => {
            store
                .send_control("kill_user", None, Some(user), reason, except.as_deref())
                .await
        }
    }
}

/// The ERROR a session ended for `reason` gets.
pub fn end_reason(reason: &str) -> (ErrorCode, &'static str) {
    match reason {
        "locked" => (
            ErrorCode::AccountLocked,
            "this account was locked by an administrator; the session has ended",
        ),
        "replaced" => (
            ErrorCode::SessionReplaced,
            "this user logged in again elsewhere and the server allows one session; this one has ended",
        ),
        _ => (ErrorCode::SessionEnded, "an operator ended this session"),
    }
}

fn apply(registry: &Registry, row: &ControlRow) {
    let (code, message) = end_reason(&row.reason);
    match (row.op.as_str(), &row.session, &row.user) {
        ("kill", Some(id), _) => {
            if registry.end_session(id, code, message) {
                tracing::info!(session = %id, "session ended by an operator");
            }
        }
        ("kill_user", _, Some(user)) => {
            let n = registry.end_user(user, code, message, row.except.as_deref());
            if n > 0 {
                tracing::info!(user = %user, sessions = n, reason = %row.reason, "sessions ended");
            }
        }
        _ => tracing::warn!(request = ?row, "unknown control request ignored"),
    }
}

/// Runs the sync until `shutdown`, then withdraws this proxy's sessions.
pub fn spawn_sync(
    store: Arc<UserStore>,
    registry: Arc<Registry>,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let instance = registry.instance().to_owned();
        let mut position = store.control_position().await.unwrap_or(0);
        let mut ticks: u64 = 0;
        let mut failing = false;
        loop {
            let round = async {
                for row in store.control_after(position).await? {
                    position = position.max(row.id);
                    apply(&registry, &row);
                }
                if ticks.is_multiple_of(2) {
                    store
                        .publish_sessions(
                            &instance,
                            &registry.snapshot(),
                            &registry.metrics().stats(),
                        )
                        .await?;
                }
                Ok::<(), crate::users::UserError>(())
            };
            match round.await {
                Ok(()) if failing => {
                    failing = false;
                    tracing::info!("session registry reaches the database again");
                }
                Ok(()) => {}
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!(error = %e, "cannot share the session list through the database");
                }
                Err(_) => {}
            }
            ticks += 1;
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                _ = shutdown.changed() => break,
            }
        }
        if let Err(e) = store.withdraw_proxy(&instance).await {
            tracing::warn!(error = %e, "cannot withdraw this proxy's sessions from the list");
        }
    })
}
