//! One authenticated session: packets from the client relayed to its own
//! PostgreSQL connection, results streamed back (`docs/protocol.md` §6.3).
//!
//! ```text
//!   client ─records─▶ SealedInbound ─packets─▶ ┌──────────┐ ─send_*──────▶ PgConn
//!                                               │ Session  │ ◀─next_event──
//!   client ◀─records─ SealedOutbound ◀─queue── └──────────┘
//! ```
//!
//! One task, one event loop ([`session`]): it selects over the client's
//! socket (reads and writes), PostgreSQL's next event, the shutdown signal
//! and the timers, so CANCEL, PING and a client that goes away are noticed
//! while a result streams, and nothing hops between tasks. Every future in
//! the loop is cancel-safe; writes to PostgreSQL (a query, COPY data) are
//! awaited in place and read what PostgreSQL says meanwhile.
//!
//! Backpressure: sealed records wait in the outbound buffer; past
//! [`WRITE_THRESHOLD`] bytes the session stops reading PostgreSQL, which
//! then waits on its socket, so memory stays flat whatever a result's size.
//! A packet over [`SMALL_PACKET`](crate::limits::SMALL_PACKET) is read
//! only with a share of the proxy-wide [`ByteBudget`](crate::limits::ByteBudget),
//! and only once nothing runs, so it goes to PostgreSQL straight from the
//! frame buffer; the buffer is given back after it.
//! A request that arrives while another runs waits its turn (answers keep
//! request order, see [`client`]); at most [`MAX_DEFERRED`] requests or
//! [`MAX_DEFERRED_BYTES`] wait before the session stops reading the client.
//!
//! Every request that reaches PostgreSQL (QUERY, QUERY_PARAMS, PREPARE,
//! EXECUTE, CLOSE) is answered by zero or more answers and then exactly one
//! READY, also when it is refused (ERROR 12, 31); only the end of the
//! session comes instead.

mod client;
mod convert;
mod request;
mod session;
#[cfg(test)]
mod tests;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use cor4_protocol::crypto::PasswordKey;
use cor4_protocol::io::{SealedReader, SealedWriter};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::pool::Backend;
use crate::users::{UserError, UserStore};

/// Sealed bytes waiting for the client past which the session stops
/// reading PostgreSQL.
pub const WRITE_THRESHOLD: usize = 256 * 1024;
/// Requests that may wait for the running QUERY before the session stops
/// reading the client.
pub const MAX_DEFERRED: usize = 16;
/// Bytes of waiting requests past which the session stops reading the
/// client (one request is always taken, whatever its size).
pub const MAX_DEFERRED_BYTES: usize = 1 << 20;
/// Bytes waiting for the client past which the session stops reading the
/// client too (a client that sends PINGs but never reads).
const MAX_OUTBOUND: usize = 4 * WRITE_THRESHOLD;
/// After the shutdown grace, how long a cancelled query may take to answer
/// before the session ends regardless.
const CANCEL_WAIT: Duration = Duration::from_secs(2);
/// How long the session's last words and PostgreSQL's goodbye may take.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// A boxed future returned by [`PasswordChanger::set_password`].
pub type PasswordFuture<'a> = Pin<Box<dyn Future<Output = Result<(), UserError>> + Send + 'a>>;

/// Stores a user's new password (CHPASS). [`UserStore`] is the real one;
/// tests use their own.
pub trait PasswordChanger: Send + Sync {
    /// Replaces `user`'s password with the one whose MD5 is `key`.
    fn set_password<'a>(&'a self, user: &'a str, key: &'a PasswordKey) -> PasswordFuture<'a>;
}

impl PasswordChanger for UserStore {
    fn set_password<'a>(&'a self, user: &'a str, key: &'a PasswordKey) -> PasswordFuture<'a> {
        Box::pin(UserStore::set_password(self, user, key))
    }
}

/// What a session needs besides its channel and its PostgreSQL connection.
pub struct SessionContext {
    /// The cor4 user name (for logs and CHPASS).
    pub user: String,
    /// A session with no client packet for this long, while no query runs,
    /// is told ERROR 33 and closed; `None`: never.
    pub idle_timeout: Option<Duration>,
    /// A session whose client takes none of the records waiting for it for
    /// this long is ended, its running query cancelled; `None`: never.
    pub write_timeout: Option<Duration>,
    /// Log each query's text (`tracing` info). Off by default: queries can
    /// hold secrets.
    pub log_queries: bool,
    /// Becomes `true` when the server shuts down.
    pub shutdown: watch::Receiver<bool>,
    /// How long a running query may go on once shutdown begins.
    pub shutdown_grace: Duration,
    /// The login said the password must be changed: QUERY is refused with
    /// ERROR 12 until a CHPASS succeeds.
    pub must_change_password: bool,
    /// Where CHPASS stores the new password.
    pub passwords: Arc<dyn PasswordChanger>,
    /// The session in the registry: its state and counters, and the switch
    /// that ends it from outside.
    pub live: Arc<crate::registry::LiveSession>,
    /// The bytes every session shares for packets over
    /// [`SMALL_PACKET`](crate::limits::SMALL_PACKET) in flight.
    pub budget: Arc<crate::limits::ByteBudget>,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionEnd {
    /// The client's connection closed or broke without DISCONNECT.
    ClientDisconnected,
    /// The client sent DISCONNECT.
    ClientClosed,
    /// No client packet for the idle timeout (ERROR 33 sent).
    IdleTimeout,
    /// The server is shutting down (ERROR 32 sent).
    Shutdown,
    /// The client broke the protocol (ERROR 30 sent when possible).
    ProtocolError,
    /// The client read nothing for the write timeout.
    WriteTimeout,
    /// The PostgreSQL connection failed (ERROR 35 sent).
    BackendGone,
    /// Ended from outside: an operator, a lock, or a newer login (the
    /// ERROR said which).
    Ended,
}

impl SessionEnd {
    /// A stable snake_case name, for logs and the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEnd::ClientDisconnected => "client_disconnected",
            SessionEnd::ClientClosed => "client_closed",
            SessionEnd::IdleTimeout => "idle_timeout",
            SessionEnd::Shutdown => "shutdown",
            SessionEnd::ProtocolError => "protocol_error",
            SessionEnd::WriteTimeout => "write_timeout",
            SessionEnd::BackendGone => "backend_gone",
            SessionEnd::Ended => "ended",
        }
    }
}

impl std::fmt::Display for SessionEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a session did, for the server's log and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// Requests run against PostgreSQL (QUERY, QUERY_PARAMS, EXECUTE, …).
    pub queries: u64,
    /// Result rows sent.
    pub rows: u64,
    /// Why it ended.
    pub end: SessionEnd,
    /// From the start of the loop to the end of the cleanup.
    pub duration: Duration,
}

/// Runs an authenticated session until the client leaves, the idle timeout,
/// shutdown, a protocol error or the loss of PostgreSQL; then cancels any
/// running query and closes `pg`. Never panics on anything the client or
/// PostgreSQL send.
pub async fn run_session<R, W>(
    reader: SealedReader<R>,
    writer: SealedWriter<W>,
    pg: Backend,
    ctx: SessionContext,
) -> SessionSummary
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    let started = Instant::now();
    let mut session = session::Session::new(reader, writer, pg, ctx);
    let end = session.run().await;
    let (queries, rows) = session.counts();
    let user = session.user().to_owned();
    session.close().await;
    let summary = SessionSummary {
        queries,
        rows,
        end,
        duration: started.elapsed(),
    };
    tracing::info!(
        user = %user,
        end = %summary.end,
        queries,
        rows,
        duration_ms = u64::try_from(summary.duration.as_millis()).unwrap_or(u64::MAX),
        "session ended"
    );
    summary
}
