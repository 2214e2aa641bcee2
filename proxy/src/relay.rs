//! One authenticated session: packets from the client relayed to its own
//! PostgreSQL connection, results streamed back (`docs/protocol.md` §6.3).
//!
//! ```text
//!   client ──records──▶ reader task ──mpsc──▶ ┌─────────────┐ ──send_query──▶ PgConn
//!                                              │  Session    │ ◀─next_event──
//!   client ◀──records── SealedWriter ◀─queue── └─────────────┘
//! ```
//!
//! The read half lives in its own task because `SealedReader::next` is not
//! cancel-safe; the session selects over its channel, PostgreSQL's next
//! event, the shutdown signal and the timers, so CANCEL, PING and a client
//! that goes away are noticed while a query streams.
//!
//! Two phases: *idle* ([`Session::run`]) waits for requests and enforces the
//! idle timeout; *querying* ([`Session::run_query`]) relays one QUERY's
//! events until ReadyForQuery. Rows are queued one at a time and sealed
//! records are written out once [`WRITE_THRESHOLD`] bytes wait, so a slow
//! client blocks the write, the session stops reading PostgreSQL and
//! PostgreSQL waits on its socket: memory stays flat whatever the result's
//! size. Whatever is queued is flushed as soon as PostgreSQL has nothing
//! more at once.
//!
//! A QUERY or CHPASS that arrives while a QUERY runs waits for its turn
//! (answers keep request order, see [`client`]); at most
//! [`MAX_DEFERRED`] requests or [`MAX_DEFERRED_BYTES`] wait before the
//! session stops reading the client.
//!
//! Every QUERY is answered by zero or more answers and then exactly one
//! READY, also when it is refused (ERROR 12, 31) or its statement could not
//! be sent; only the end of the session comes instead.

mod client;
mod convert;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use cor4_protocol::crypto::PasswordKey;
use cor4_protocol::io::{SealedReader, SealedWriter};
use cor4_protocol::packet::kind;
use cor4_protocol::{ErrorCode, Packet, Type};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::pgwire::{CancelToken, Event, PgConn, PgError};
use crate::users::{UserError, UserStore};
use client::{ClientEvent, ClientItem, Request, classify};

/// Sealed bytes the session lets pile up before writing them out.
pub const WRITE_THRESHOLD: usize = 64 * 1024;
/// Requests that may wait for the running QUERY before the session stops
/// reading the client.
pub const MAX_DEFERRED: usize = 16;
/// Bytes of waiting requests past which the session stops reading the
/// client (one request is always taken, whatever its size).
pub const MAX_DEFERRED_BYTES: usize = 1 << 20;
/// Immediate replies (PING answers, refusals) that may wait while a write
/// is blocked before the session stops reading the client.
const MAX_OWED: usize = 64;
/// Packets read ahead from the client.
const READ_AHEAD: usize = 4;
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
    /// The PostgreSQL connection failed (ERROR 35 sent).
    BackendGone,
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
            SessionEnd::BackendGone => "backend_gone",
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
    /// QUERY packets run against PostgreSQL.
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
    pg: PgConn,
    ctx: SessionContext,
) -> SessionSummary
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send,
{
    let started = Instant::now();
    let (client, reader_task) = spawn_reader(reader);
    let mut session = Session {
        writer,
        client,
        cancel: pg.cancel_token(),
        pg,
        password_change_required: ctx.must_change_password,
        ctx,
        deferred: VecDeque::new(),
        deferred_bytes: 0,
        owed: VecDeque::new(),
        dirty: false,
        poisoned: false,
        clock: ShutdownClock::default(),
        queries: 0,
        rows: 0,
    };
    let end = match session.run().await {
        Ok(never) => match never {},
        Err(end) => end,
    };
    reader_task.abort();
    let (queries, rows) = (session.queries, session.rows);
    let user = session.ctx.user.clone();
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

/// Reads the client in a task of its own and hands each item over; stops
/// after the first EOF or error.
fn spawn_reader<R>(mut reader: SealedReader<R>) -> (mpsc::Receiver<ClientItem>, JoinHandle<()>)
where
    R: AsyncRead + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::channel(READ_AHEAD);
    let task = tokio::spawn(async move {
        loop {
            let item = reader.next(None).await;
            let last = !matches!(item, Ok(Some(_)));
            if tx.send(item).await.is_err() || last {
                break;
            }
        }
    });
    (rx, task)
}

/// Where shutdown stands: once the signal comes, a running query has until
/// `grace`; then it is cancelled, and the session ends at `hard_stop`
/// whether or not PostgreSQL answered.
#[derive(Debug, Default)]
struct ShutdownClock {
    grace: Option<Instant>,
    hard_stop: Option<Instant>,
}

/// The session's state between and during queries.
struct Session<W> {
    writer: SealedWriter<W>,
    client: mpsc::Receiver<ClientItem>,
    pg: PgConn,
    cancel: CancelToken,
    ctx: SessionContext,
    password_change_required: bool,
    /// Requests waiting for the running QUERY to finish.
    deferred: VecDeque<Request>,
    deferred_bytes: usize,
    /// Immediate replies that came in while a write was under way.
    owed: VecDeque<Packet>,
    /// Packets queued and not yet flushed.
    dirty: bool,
    /// A write was abandoned halfway: nothing more may be sent.
    poisoned: bool,
    clock: ShutdownClock,
    queries: u64,
    rows: u64,
}

/// The session goes on (`Ok`) or is over (`Err`, with the reason).
type Step<T = ()> = Result<T, SessionEnd>;

/// Which write [`Session::write`] performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WriteKind {
    /// The records sealed so far (backpressure while streaming).
    Sealed,
    /// Everything queued.
    Flush,
}

/// The state of one QUERY's result stream.
#[derive(Debug, Default)]
struct QueryRun {
    /// The current result's column names and types, between RowDescription
    /// and its CommandComplete or error.
    result: Option<(Vec<String>, Vec<Type>)>,
    /// Rows of the current result so far.
    rows: u64,
    /// The relay failed this QUERY itself (a value it could not read): the
    /// client has its ERROR; PostgreSQL's events are dropped up to Ready.
    discarding: bool,
    /// A cancel was already requested for this QUERY.
    cancelled: bool,
}

impl<W: AsyncWrite + Unpin + Send> Session<W> {
    /// The idle phase: answers requests in order until the session ends.
    async fn run(&mut self) -> Step<std::convert::Infallible> {
        loop {
            if *self.ctx.shutdown.borrow() {
                return self.last_words(ErrorCode::ServerShutdown, SessionEnd::Shutdown);
            }
            if let Some(request) = self.deferred.pop_front() {
                self.deferred_bytes -= request.size();
                self.handle_request(request).await?;
                continue;
            }
            if self.dirty {
                self.write(WriteKind::Flush, false).await?;
                continue;
            }
            tokio::select! {
                biased;
                () = shutdown_signal(&mut self.ctx.shutdown) => {
                    return self.last_words(ErrorCode::ServerShutdown, SessionEnd::Shutdown);
                }
                item = self.client.recv() => self.on_client(classify(item), false)?,
                () = at(idle_deadline(self.ctx.idle_timeout)) => {
                    tracing::info!(user = %self.ctx.user, "session idle too long");
                    return self.last_words(ErrorCode::IdleTimeout, SessionEnd::IdleTimeout);
                }
            }
        }
    }

    /// Queues an unsolicited ERROR (`answered` 0: it answers no request)
    /// and ends the session with `end`; [`close`](Self::close) sends it.
    fn last_words<T>(&mut self, code: ErrorCode, end: SessionEnd) -> Step<T> {
        let message = match code {
            ErrorCode::ServerShutdown => "the server is shutting down",
            ErrorCode::IdleTimeout => "the session was idle for too long and is closed",
            _ => "the session is closed",
        };
        self.queue(&convert::error_packet(0, code, message))?;
        Err(end)
    }

    /// Acts on one client event outside a write. `running`: a QUERY runs.
    fn on_client(&mut self, event: ClientEvent, running: bool) -> Step {
        match event {
            ClientEvent::Reply(packet) => self.queue(&packet),
            ClientEvent::Request(request) => {
                self.deferred_bytes += request.size();
                self.deferred.push_back(request);
                Ok(())
            }
            ClientEvent::Cancel => {
                // With no QUERY running there is nothing to cancel (§6.3).
                if running {
                    spawn_cancel(self.cancel.clone());
                }
                Ok(())
            }
            ClientEvent::End(end, last) => {
                if let Some(packet) = last {
                    self.queue(&packet)?;
                }
                Err(end)
            }
        }
    }

    async fn handle_request(&mut self, request: Request) -> Step {
        match request {
            Request::Query(sql) if self.password_change_required => {
                drop(sql);
                self.queue(&convert::error_packet(
                    kind::QUERY,
                    ErrorCode::PasswordChangeRequired,
                    "the password must be changed (CHPASS) before running queries",
                ))?;
                self.queue(&convert::ready(self.pg.transaction_status()))
            }
            Request::Query(sql) => self.run_query(sql).await,
            Request::ChangePassword(digest) => self.change_password(&digest).await,
            Request::TooLarge(answered) => {
                self.queue(&client::too_large(answered, 0))?;
                if answered == kind::QUERY {
                    self.queue(&convert::ready(self.pg.transaction_status()))?;
                }
                Ok(())
            }
        }
    }

    /// CHPASS: ERROR 10 for a malformed digest, else the store's verdict.
    async fn change_password(&mut self, digest: &str) -> Step {
        let Some(digest) = convert::decode_digest(digest) else {
            return self.queue(&convert::error_packet(
                kind::CHPASS,
                ErrorCode::BadPasswordDigest,
                "CHPASS must carry the base64 (standard, padded) of a 16-byte MD5 digest",
            ));
        };
        let key = PasswordKey::from_digest(digest);
        let reply = match self.ctx.passwords.set_password(&self.ctx.user, &key).await {
            Ok(()) => {
                tracing::info!(user = %self.ctx.user, "password changed");
                self.password_change_required = false;
                convert::plain_ok(kind::CHPASS)
            }
            Err(UserError::PasswordRejected(reason)) => {
                tracing::info!(user = %self.ctx.user, reason, "password change refused");
                convert::error_packet(
                    kind::CHPASS,
                    ErrorCode::PasswordRejected,
                    format!("the new password was refused: {reason}"),
                )
            }
            Err(e) => {
                tracing::error!(user = %self.ctx.user, error = %e, "password change failed");
                convert::error_packet(
                    kind::CHPASS,
                    ErrorCode::Internal,
                    "the password could not be changed (see the server log)",
                )
            }
        };
        self.queue(&reply)
    }

    /// The querying phase: relays one QUERY up to and including READY.
    async fn run_query(&mut self, sql: String) -> Step {
        self.queries += 1;
        if self.ctx.log_queries {
            tracing::info!(user = %self.ctx.user, sql = %sql, "query");
        }
        let sent = self.pg.send_query(&sql).await;
        drop(sql);
        if let Err(e) = sent {
            return self.refuse_query(e);
        }
        let mut run = QueryRun::default();
        loop {
            let can_read = self.can_take();
            let shutting_down = self.clock.grace.is_some();
            tokio::select! {
                biased;
                item = self.client.recv(), if can_read => self.on_client(classify(item), !run.cancelled)?,
                () = shutdown_signal(&mut self.ctx.shutdown), if !shutting_down => {
                    self.clock.grace = Some(Instant::now() + self.ctx.shutdown_grace);
                }
                () = at(self.clock.grace), if self.clock.hard_stop.is_none() => {
                    self.shutdown_cancel();
                }
                () = at(self.clock.hard_stop) => {
                    return self.last_words(ErrorCode::ServerShutdown, SessionEnd::Shutdown);
                }
                event = self.pg.next_event() => match event {
                    Ok(Event::Ready(status)) => {
                        self.queue(&convert::ready(status))?;
                        // The QUERY is over: a CANCEL now has nothing to cancel.
                        return self.write(WriteKind::Flush, false).await;
                    }
                    Ok(event) => self.on_event(event, &mut run)?,
                    Err(e) => return self.backend_gone(&e),
                },
                // Nothing more to send at once: let the client have it.
                () = std::future::ready(()), if self.dirty => {
                    self.write(WriteKind::Flush, true).await?;
                }
            }
            if self.writer.sealed_pending() >= WRITE_THRESHOLD {
                self.write(WriteKind::Sealed, true).await?;
            }
        }
    }

    /// Answers a QUERY that PostgreSQL never saw.
    fn refuse_query(&mut self, e: PgError) -> Step {
        let (sqlstate, message) = match e {
            // What PostgreSQL itself says about a NUL in text.
            PgError::NulInQuery => ("22021", "invalid byte sequence for encoding \"UTF8\": 0x00"),
            PgError::QueryTooLarge => ("54000", "the query text is too large for PostgreSQL"),
            e => return self.backend_gone(&e),
        };
        self.queue(&Packet::Error(cor4_protocol::packet::ErrorPacket {
            answered: kind::QUERY,
            code: ErrorCode::Sql.as_i32(),
            message: message.to_owned(),
            sqlstate: sqlstate.to_owned(),
            severity: "ERROR".to_owned(),
            ..Default::default()
        }))?;
        self.queue(&convert::ready(self.pg.transaction_status()))
    }

    /// Relays one PostgreSQL event other than Ready.
    fn on_event(&mut self, event: Event, run: &mut QueryRun) -> Step {
        if run.discarding {
            return Ok(());
        }
        match event {
            Event::RowDescription(columns) => {
                let iso = convert::is_iso_datestyle(self.pg.parameter("DateStyle"));
                let types = convert::column_types(&columns, iso);
                self.queue(&convert::result_head(&columns, types.clone()))?;
                let names = columns.into_iter().map(|c| c.name).collect();
                run.result = Some((names, types));
                run.rows = 0;
            }
            Event::DataRow(row) => {
                let Some((names, types)) = &run.result else {
                    return self.relay_failed(
                        run,
                        convert::row_error(
                            convert::RowError::Width {
                                expected: 0,
                                got: row.len(),
                            },
                            &[],
                        ),
                    );
                };
                match convert::row_values(types, &row) {
                    Ok(values) => {
                        run.rows += 1;
                        self.rows += 1;
                        self.queue(&convert::result_row(run.rows, values))?;
                    }
                    Err(error) => {
                        tracing::warn!(
                            user = %self.ctx.user,
                            error = ?error,
                            "a value from PostgreSQL could not be relayed"
                        );
                        let packet = convert::row_error(error, names);
                        return self.relay_failed(run, packet);
                    }
                }
            }
            Event::CommandComplete(tag) => {
                let packet = match run.result.take() {
                    Some(_) => Packet::ResultEnd(cor4_protocol::packet::ResultEnd {
                        rows: run.rows,
                        tag,
                    }),
                    None => convert::command_ok(tag),
                };
                self.queue(&packet)?;
            }
            Event::EmptyQuery => {}
            Event::Error(e) => {
                run.result = None;
                self.queue(&convert::sql_error(&e))?;
            }
            Event::Notice(e) => self.queue(&convert::notice(&e))?,
            // Handled by the caller; nothing to relay here.
            Event::Ready(_) => {}
        }
        Ok(())
    }

    /// The relay could not pass a result on: the client gets `error`, the
    /// backend a cancel, and the rest of the QUERY's events are dropped, so
    /// the stream stays in step (READY still closes the QUERY).
    fn relay_failed(&mut self, run: &mut QueryRun, error: Packet) -> Step {
        self.queue(&error)?;
        run.result = None;
        run.discarding = true;
        if !run.cancelled {
            run.cancelled = true;
            spawn_cancel(self.cancel.clone());
        }
        Ok(())
    }

    /// PostgreSQL failed: ERROR 35 and the end of the session.
    fn backend_gone(&mut self, e: &PgError) -> Step {
        tracing::warn!(user = %self.ctx.user, error = %e, "PostgreSQL connection lost");
        self.queue(&convert::error_packet(
            0,
            ErrorCode::BackendUnavailable,
            format!("the connection to PostgreSQL was lost ({e}); the session is closed"),
        ))?;
        Err(SessionEnd::BackendGone)
    }

    /// The shutdown grace ran out: cancel the query and give PostgreSQL
    /// [`CANCEL_WAIT`] to answer.
    fn shutdown_cancel(&mut self) {
        tracing::info!(user = %self.ctx.user, "shutdown grace over; cancelling the running query");
        spawn_cancel(self.cancel.clone());
        self.clock.hard_stop = Some(Instant::now() + CANCEL_WAIT);
    }

    fn queue(&mut self, packet: &Packet) -> Step {
        if self.poisoned {
            return Err(SessionEnd::ClientDisconnected);
        }
        self.dirty = true;
        self.writer.queue(packet).map_err(|e| {
            tracing::error!(error = %e, "cannot seal a packet for the client");
            SessionEnd::ClientDisconnected
        })
    }

    /// Whether the session may take more client input now.
    fn can_take(&self) -> bool {
        room(&self.deferred, self.deferred_bytes, &self.owed)
    }

    /// Writes to the client, watching the client and the clocks meanwhile.
    ///
    /// The write cannot be cancelled without breaking the record stream, so
    /// it runs to completion unless the session ends (the writer is then
    /// poisoned). Meanwhile CANCEL still cancels, requests wait their turn,
    /// immediate replies are held in `owed`; in idle (`running` false) a
    /// write that stalls for the idle timeout ends the session.
    async fn write(&mut self, what: WriteKind, running: bool) -> Step {
        if what == WriteKind::Flush {
            self.dirty = false;
        }
        let stall_limit = if running {
            None
        } else {
            idle_deadline(self.ctx.idle_timeout)
        };
        let result = {
            let writer = &mut self.writer;
            let write = async move {
                match what {
                    WriteKind::Sealed => writer.write_sealed().await,
                    WriteKind::Flush => writer.flush().await,
                }
            };
            tokio::pin!(write);
            loop {
                let can_read = room(&self.deferred, self.deferred_bytes, &self.owed);
                let shutting_down = self.clock.grace.is_some();
                let end = tokio::select! {
                    biased;
                    result = &mut write => break result,
                    item = self.client.recv(), if can_read => match classify(item) {
                        ClientEvent::Reply(packet) => {
                            self.owed.push_back(packet);
                            None
                        }
                        ClientEvent::Request(request) => {
                            self.deferred_bytes += request.size();
                            self.deferred.push_back(request);
                            None
                        }
                        ClientEvent::Cancel => {
                            if running {
                                spawn_cancel(self.cancel.clone());
                            }
                            None
                        }
                        // The last words cannot be sent: a write is half done.
                        ClientEvent::End(end, _) => Some(end),
                    },
                    () = shutdown_signal(&mut self.ctx.shutdown), if !shutting_down => {
                        if running {
                            self.clock.grace = Some(Instant::now() + self.ctx.shutdown_grace);
                            None
                        } else {
                            Some(SessionEnd::Shutdown)
                        }
                    }
                    () = at(self.clock.grace), if running && self.clock.hard_stop.is_none() => {
                        spawn_cancel(self.cancel.clone());
                        self.clock.hard_stop = Some(Instant::now() + CANCEL_WAIT);
                        None
                    }
                    () = at(self.clock.hard_stop), if running => Some(SessionEnd::Shutdown),
                    () = at(stall_limit) => Some(SessionEnd::IdleTimeout),
                };
                if let Some(end) = end {
                    self.poisoned = true;
                    return Err(end);
                }
            }
        };
        if let Err(e) = result {
            tracing::debug!(user = %self.ctx.user, error = %e, "writing to the client failed");
            self.poisoned = true;
            return Err(SessionEnd::ClientDisconnected);
        }
        while let Some(packet) = self.owed.pop_front() {
            self.queue(&packet)?;
        }
        Ok(())
    }

    /// Sends what is queued (the last words), then leaves PostgreSQL:
    /// a running query is cancelled first, so its backend is gone at once
    /// rather than when the statement finishes.
    async fn close(mut self) {
        if !self.pg.is_broken() {
            if !self.pg.is_idle() {
                match tokio::time::timeout(CLOSE_TIMEOUT, self.cancel.cancel()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => tracing::warn!(error = %e, "cancelling the running query failed"),
                    Err(_) => tracing::warn!("cancelling the running query timed out"),
                }
            }
            match tokio::time::timeout(CLOSE_TIMEOUT, self.pg.close()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::debug!(error = %e, "closing the PostgreSQL connection"),
                Err(_) => tracing::debug!("closing the PostgreSQL connection timed out"),
            }
        }
        if !self.poisoned {
            let goodbye = async {
                self.writer.flush().await?;
                self.writer.shutdown().await
            };
            if let Ok(Err(e)) = tokio::time::timeout(CLOSE_TIMEOUT, goodbye).await {
                tracing::debug!(error = %e, "closing the client connection");
            }
        }
    }
}

/// Whether the waiting requests and replies leave room for more input.
fn room(deferred: &VecDeque<Request>, deferred_bytes: usize, owed: &VecDeque<Packet>) -> bool {
    (deferred.is_empty() || (deferred.len() < MAX_DEFERRED && deferred_bytes < MAX_DEFERRED_BYTES))
        && owed.len() < MAX_OWED
}

/// Resolves once shutdown is signalled (at once if it already was); never,
/// if the sender is gone.
async fn shutdown_signal(rx: &mut watch::Receiver<bool>) {
    if rx.wait_for(|&down| down).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// When the session counts as idle if nothing happens from now on; `None`
/// for no timeout (or one too large to represent).
fn idle_deadline(timeout: Option<Duration>) -> Option<Instant> {
    timeout.and_then(|t| Instant::now().checked_add(t))
}

/// Resolves at `deadline`; never if there is none.
async fn at(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Asks PostgreSQL to cancel the running statement, without waiting.
fn spawn_cancel(token: CancelToken) {
    tokio::spawn(async move {
        if let Err(e) = token.cancel().await {
            tracing::warn!(error = %e, "cancel request to PostgreSQL failed");
        }
    });
}
