//! A minimal PostgreSQL frontend for the relay path.
//!
//! tokio-postgres cannot relay arbitrary SQL the way cor4 needs: its simple
//! query API gives no column type OIDs, its extended query API forces
//! binary results, and it has no streamed COPY in both directions under one
//! event loop. This module speaks PostgreSQL's frontend protocol itself, on
//! top of `postgres-protocol`'s message codec, and hands each result back as
//! it arrives, in PostgreSQL's own text format.
//!
//! ```text
//!  send_query(sql)          ──Query──────────────────────────▶ PostgreSQL
//!  send_prepare(name, sql)  ──Parse, Describe S, Sync────────▶
//!  send_execute(stmt, args) ──[Parse,] Bind, Describe P, Execute, Sync ─▶
//!  send_close(name)         ──Close S, Sync──────────────────▶
//!  copy_data / copy_done / copy_fail (inside COPY FROM STDIN) ─▶
//!  next_event() ◀── RowDescription, DataRow…, CommandComplete, CopyIn/Out,
//!                   CopyData…, ParameterDescription, … ReadyForQuery
//!        │
//!        └─ reads the socket only when the buffer holds no whole message,
//!           so a slow caller makes PostgreSQL wait (TCP backpressure)
//! ```
//!
//! Every request ends with exactly one [`Event::Ready`]. A simple query may
//! hold several statements; their events follow in order, and an error ends
//! the string early ([`Event::Error`], then [`Event::Ready`]). Writes keep
//! reading what PostgreSQL sends meanwhile into the read buffer, so a server
//! that talks while we write (notices during a COPY) never deadlocks us.
//! NotificationResponses (LISTEN/NOTIFY) are dropped; ParameterStatus
//! updates are applied and reported as [`Event::Parameter`].
//!
//! ```no_run
//! # async fn demo(config: &tokio_postgres::Config) -> Result<(), cor4_proxy::PgError> {
//! use cor4_proxy::{Event, PgConn};
//!
//! let mut conn = PgConn::connect(config, &[]).await?;
//! conn.send_query("SELECT 1; SELECT 'two'").await?;
//! loop {
//!     match conn.next_event().await? {
//!         Event::DataRow(row) => println!("{:?}", row.get(0)),
//!         Event::Ready(_) => break,
//!         _ => {}
//!     }
//! }
//! conn.close().await
//! # }
//! ```

mod conninfo;
mod copy;
mod error;
mod extended;
pub(crate) mod message;
mod socket;
mod startup;
#[cfg(test)]
pub(crate) mod tests;
mod tls;

use std::collections::HashMap;
use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use bytes::{Buf, BytesMut};
use tokio::sync::OwnedSemaphorePermit;

use crate::limits::{ByteBudget, SMALL_PACKET};
use postgres_protocol::message::backend::Message;
use postgres_protocol::message::frontend;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

pub use conninfo::PgConfig;
pub use error::PgError;
pub(crate) use error::full_message;
pub use extended::{Param, Statement};
pub use message::{Column, CopyStart, DataRow, DbError, Event, MAX_MESSAGE_LEN, TransactionStatus};
pub use socket::CancelToken;
pub use tls::TlsConnector;

use socket::{Socket, Target};

/// The connect timeout when the config sets none.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How much the read buffer grows by when it needs room.
const READ_CHUNK: usize = 16 * 1024;

/// While a write waits, what PostgreSQL sends is read ahead into the read
/// buffer up to this many bytes (then the write just waits).
const READ_AHEAD_LIMIT: usize = 1 << 20;

/// Texts longer than this are written straight from the caller's buffer
/// rather than copied into the write buffer.
const COPY_THRESHOLD: usize = 64 * 1024;

/// The longest text a protocol message can carry (its length field is an
/// `i32` counting itself and the terminating NUL).
const MAX_QUERY_LEN: usize = i32::MAX as usize - 5;

/// Where the connection is in the request cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// ReadyForQuery seen; the next call sends a request.
    Idle,
    /// A request was sent; events up to ReadyForQuery are pending.
    Busy,
    /// Inside `COPY … FROM STDIN`: PostgreSQL waits for CopyData.
    CopyIn,
    /// Inside `COPY … TO STDOUT`: CopyData arrives until CopyDone.
    CopyOut,
    /// A fatal error happened; every call fails with [`PgError::Closed`].
    Broken,
}

/// One connection to PostgreSQL, running one request at a time.
///
/// Use: one of the `send_*` methods, then [`next_event`](Self::next_event)
/// until it returns [`Event::Ready`].
pub struct PgConn {
    socket: Socket,
    read_buf: BytesMut,
    /// Bytes not yet written; kept across calls so cancelled futures lose nothing.
    write_buf: BytesMut,
    parameters: HashMap<String, String>,
    process_id: i32,
    secret_key: i32,
    status: TransactionStatus,
    phase: Phase,
    target: Target,
    tls: TlsConnector,
    connect_timeout: Duration,
    /// Where a message over [`SMALL_PACKET`] gets its memory from; none:
    /// unbounded (the user store's own connections).
    budget: Option<Arc<ByteBudget>>,
    /// The share held for the large message being read and relayed.
    large: Option<OwnedSemaphorePermit>,
}

/// Leaves out the cancel secret and the buffers.
impl fmt::Debug for PgConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConn")
            .field("target", &self.target)
            .field("process_id", &self.process_id)
            .field("status", &self.status)
            .field("phase", &self.phase)
            .finish_non_exhaustive()
    }
}

impl PgConn {
    /// Connects and logs in to the first host of `config` that accepts the
    /// session (libpq's rules: hosts in order, or shuffled with
    /// `load_balance_hosts=random`; `target_session_attrs=read-write` skips
    /// read-only servers such as hot standbys).
    ///
    /// `config` is a [`PgConfig`] (TLS as its `sslmode` says) or a
    /// `tokio_postgres::Config` (its own `sslmode`, no certificate checks).
    /// Uses the config's hosts, ports, user, password, dbname,
    /// application_name and options; the startup parameters also set
    /// `client_encoding=UTF8` and `DateStyle=ISO, MDY`, then `extra` (which
    /// overrides any of them). Supports trust, cleartext, MD5 and
    /// SCRAM-SHA-256 authentication (without channel binding). Connecting to
    /// and logging in at each host is bounded by the config's connect
    /// timeout, or [`DEFAULT_CONNECT_TIMEOUT`].
    pub async fn connect(
        config: impl Into<PgConfig>,
        extra: &[(&str, &str)],
    ) -> Result<PgConn, PgError> {
        let config = config.into();
        let timeout = config
            .get_connect_timeout()
            .copied()
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        startup::connect(&config, extra, timeout).await
    }

    /// The latest value PostgreSQL reported for a parameter such as
    /// `server_version`, `TimeZone`, `DateStyle` or `integer_datetimes`.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters.get(name).map(String::as_str)
    }

    /// Every parameter PostgreSQL reported, sorted by name.
    pub fn parameters(&self) -> Vec<(&str, &str)> {
        sorted_parameters(&self.parameters)
    }

    /// The process id of the PostgreSQL backend serving this connection.
    pub fn backend_pid(&self) -> i32 {
        self.process_id
    }

    /// The transaction status from the latest ReadyForQuery.
    pub fn transaction_status(&self) -> TransactionStatus {
        self.status
    }

    /// Whether the connection waits for a request (no events are pending).
    pub fn is_idle(&self) -> bool {
        self.phase == Phase::Idle
    }

    /// Whether PostgreSQL waits for COPY data from us.
    pub fn is_copy_in(&self) -> bool {
        self.phase == Phase::CopyIn
    }

    /// Whether a fatal error made the connection unusable.
    pub fn is_broken(&self) -> bool {
        self.phase == Phase::Broken
    }

    /// A handle that cancels this connection's running query from any task.
    pub fn cancel_token(&self) -> CancelToken {
        CancelToken {
            target: self.target.clone(),
            tls: self.tls.clone(),
            process_id: self.process_id,
            secret_key: self.secret_key,
            timeout: self.connect_timeout,
        }
    }

    /// Sends `sql` (one or more statements) as a simple query.
    ///
    /// Fails with [`PgError::Misuse`] while the previous request still has
    /// events to read, and with [`PgError::NulInQuery`] or
    /// [`PgError::QueryTooLarge`] without sending anything.
    pub async fn send_query(&mut self, sql: &str) -> Result<(), PgError> {
        self.check_idle()?;
        check_text(sql)?;
        // Checked above: the length fits the i32 length field.
        let len = i32::try_from(sql.len() + 5).map_err(|_| PgError::QueryTooLarge)?;
        self.write_buf.extend_from_slice(b"Q");
        self.write_buf.extend_from_slice(&len.to_be_bytes());
        if sql.len() <= COPY_THRESHOLD {
            self.write_buf.extend_from_slice(sql.as_bytes());
            self.write_buf.extend_from_slice(&[0]);
            return self.start_request().await;
        }
        // A large text goes out straight from the caller's buffer.
        self.phase = Phase::Busy;
        let sent = async {
            self.flush().await?;
            self.write_through(sql.as_bytes()).await?;
            self.write_buf.extend_from_slice(&[0]);
            self.flush().await
        };
        sent.await.inspect_err(|_| self.phase = Phase::Broken)
    }

    /// The next event if a whole message is already buffered, without
    /// reading the socket; `Ok(None)` when [`next_event`](Self::next_event)
    /// would have to wait.
    pub fn try_next_event(&mut self) -> Result<Option<Event>, PgError> {
        let event = self.try_next_event_inner();
        if let Err(e) = &event
            && e.is_fatal()
        {
            self.phase = Phase::Broken;
        }
        event
    }

    fn try_next_event_inner(&mut self) -> Result<Option<Event>, PgError> {
        loop {
            match self.phase {
                Phase::Idle => return Ok(None),
                Phase::Broken => return Err(PgError::Closed),
                Phase::Busy | Phase::CopyIn | Phase::CopyOut => {}
            }
            if !self.write_buf.is_empty() {
                return Ok(None);
            }
            let Some(message) = message::decode(&mut self.read_buf, MAX_MESSAGE_LEN)? else {
                return Ok(None);
            };
            if let Some(event) = self.on_message(message)? {
                return Ok(Some(event));
            }
        }
    }

    fn check_idle(&self) -> Result<(), PgError> {
        match self.phase {
            Phase::Idle => Ok(()),
            Phase::Broken => Err(PgError::Closed),
            Phase::Busy | Phase::CopyIn | Phase::CopyOut => Err(PgError::Misuse(
                "the previous request is still running; read its events up to Ready first",
            )),
        }
    }

    /// Sends what `write_buf` holds as a new request.
    async fn start_request(&mut self) -> Result<(), PgError> {
        self.phase = Phase::Busy;
        self.flush()
            .await
            .inspect_err(|_| self.phase = Phase::Broken)
    }

    /// The next event of the running request; after [`Event::Ready`] the
    /// connection takes the next request.
    ///
    /// Reads the socket only when no whole message is buffered. Cancel-safe:
    /// dropping the future loses no data. An `Err` means the connection is
    /// unusable (see [`PgError::is_fatal`]); SQL errors are [`Event::Error`].
    pub async fn next_event(&mut self) -> Result<Event, PgError> {
        let event = self.next_event_inner().await;
        if let Err(e) = &event
            && e.is_fatal()
        {
            self.phase = Phase::Broken;
        }
        event
    }

    async fn next_event_inner(&mut self) -> Result<Event, PgError> {
        loop {
            match self.phase {
                Phase::Idle => return Err(PgError::Misuse("no request is running")),
                Phase::Broken => return Err(PgError::Closed),
                Phase::Busy | Phase::CopyIn | Phase::CopyOut => {}
            }
            self.flush().await?;
            let message = self.read_message().await?;
            if let Some(event) = self.on_message(message)? {
                return Ok(event);
            }
        }
    }

    /// Turns one backend message into the caller's event, if it makes one.
    fn on_message(&mut self, message: Message) -> Result<Option<Event>, PgError> {
        let event = match (self.phase, message) {
            (Phase::Busy, Message::RowDescription(body)) => {
                Event::RowDescription(message::columns(&body)?)
            }
            (Phase::Busy, Message::DataRow(body)) => Event::DataRow(DataRow::new(&body)?),
            (Phase::Busy, Message::CommandComplete(body)) => {
                Event::CommandComplete(body.tag().map_err(PgError::Malformed)?.to_owned())
            }
            (Phase::Busy, Message::EmptyQueryResponse) => Event::EmptyQuery,
            (Phase::Busy, Message::ReadyForQuery(body)) => {
                self.status = TransactionStatus::from_byte(body.status())?;
                self.phase = Phase::Idle;
                Event::Ready(self.status)
            }
            (Phase::Busy, Message::ParameterDescription(body)) => {
                Event::ParameterDescription(message::parameter_types(&body)?)
            }
            (Phase::Busy, Message::NoData) => Event::NoData,
            (
                Phase::Busy,
                Message::ParseComplete | Message::BindComplete | Message::CloseComplete,
            ) => return Ok(None),
            (Phase::Busy, Message::CopyInResponse(body)) => {
                self.phase = Phase::CopyIn;
                Event::CopyIn(CopyStart::parse(body.format(), body.column_formats())?)
            }
            (Phase::Busy, Message::CopyOutResponse(body)) => {
                self.phase = Phase::CopyOut;
                Event::CopyOut(CopyStart::parse(body.format(), body.column_formats())?)
            }
            (Phase::CopyOut, Message::CopyData(body)) => Event::CopyData(body.into_bytes()),
            (Phase::CopyOut, Message::CopyDone) => {
                self.phase = Phase::Busy;
                Event::CopyDone
            }
            (_, Message::ErrorResponse(body)) => {
                // An error ends any COPY; ReadyForQuery follows.
                self.phase = Phase::Busy;
                Event::Error(Box::new(DbError::parse(body.fields())?))
            }
            (_, Message::NoticeResponse(body)) => {
                Event::Notice(Box::new(DbError::parse(body.fields())?))
            }
            (_, Message::ParameterStatus(body)) => {
                let name = body.name().map_err(PgError::Malformed)?.to_owned();
                let value = body.value().map_err(PgError::Malformed)?.to_owned();
                self.parameters.insert(name.clone(), value.clone());
                Event::Parameter { name, value }
            }
            // LISTEN/NOTIFY is not relayed; dropping keeps memory flat.
            (_, Message::NotificationResponse(_)) => return Ok(None),
            _ => return Err(PgError::Protocol("unexpected message during a request")),
        };
        Ok(Some(event))
    }

    /// Whether an idle connection heard from PostgreSQL although it asked
    /// nothing (a FATAL before PostgreSQL closed it, or the end of the
    /// stream): it must not be used again. Never waits.
    pub fn is_stale(&mut self) -> bool {
        if self.phase != Phase::Idle {
            return self.phase == Phase::Broken;
        }
        let mut byte = [0u8; 1];
        let mut buf = ReadBuf::new(&mut byte);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match Pin::new(&mut self.socket).poll_read(&mut cx, &mut buf) {
            Poll::Pending => false,
            Poll::Ready(_) => {
                self.phase = Phase::Broken;
                true
            }
        }
    }

    /// Says goodbye (Terminate) and closes the socket.
    pub async fn close(mut self) -> Result<(), PgError> {
        if self.phase == Phase::Broken {
            return Ok(());
        }
        frontend::terminate(&mut self.write_buf);
        self.flush().await?;
        tokio::io::AsyncWriteExt::shutdown(&mut self.socket).await?;
        Ok(())
    }

    /// Makes messages over [`SMALL_PACKET`] wait for a share of `budget`
    /// (three times their size: the message, and its copies on the way to
    /// the client) before they are read, until
    /// [`release_large`](Self::release_large).
    pub fn set_budget(&mut self, budget: Arc<ByteBudget>) {
        self.budget = Some(budget);
    }

    /// Whether a share of the budget is held for a large message.
    pub fn holds_large(&self) -> bool {
        self.large.is_some()
    }

    /// Bytes received from PostgreSQL and not yet taken as messages.
    pub fn buffered(&self) -> usize {
        self.read_buf.len()
    }

    /// Gives back the large message's share and the buffer that held it,
    /// keeping `keep` bytes of room.
    pub fn release_large(&mut self, keep: usize) {
        self.large = None;
        if self.read_buf.capacity() > self.read_buf.len() + keep {
            let mut fresh = BytesMut::with_capacity(self.read_buf.len().max(keep));
            fresh.extend_from_slice(&self.read_buf);
            self.read_buf = fresh;
        }
    }

    /// The whole length of a message that has begun to arrive and is not
    /// complete (type byte and length field included).
    pub fn incomplete_message_len(&self) -> Option<usize> {
        let [_, header @ ..] = *self.read_buf.first_chunk::<5>()?;
        let total = usize::try_from(u32::from_be_bytes(header))
            .ok()?
            .checked_add(1)?;
        (self.read_buf.len() < total && total <= MAX_MESSAGE_LEN + 1).then_some(total)
    }

    /// Reads until one whole message is buffered, and splits it off.
    async fn read_message(&mut self) -> Result<Message, PgError> {
        loop {
            if let Some(message) = message::decode(&mut self.read_buf, MAX_MESSAGE_LEN)? {
                return Ok(message);
            }
            match self.incomplete_message_len() {
                Some(total) if total > SMALL_PACKET => {
                    if let (Some(budget), None) = (&self.budget, &self.large) {
                        self.large = Some(budget.take(total.saturating_mul(3)).await);
                    }
                    // Exactly the message: the budget accounts for it.
                    if self.read_buf.capacity() < total {
                        let mut whole = BytesMut::with_capacity(total);
                        whole.extend_from_slice(&self.read_buf);
                        self.read_buf = whole;
                    }
                }
                _ => {
                    if self.read_buf.capacity() - self.read_buf.len() < READ_CHUNK / 2 {
                        self.read_buf.reserve(READ_CHUNK);
                    }
                }
            }
            if tokio::io::AsyncReadExt::read_buf(&mut self.socket, &mut self.read_buf).await? == 0 {
                return Err(PgError::Closed);
            }
        }
    }

    /// Writes out `write_buf`, consuming it as bytes go out (cancel-safe).
    async fn flush(&mut self) -> Result<(), PgError> {
        while !self.write_buf.is_empty() {
            let n = self.write_some(None).await?;
            self.write_buf.advance(n);
        }
        Ok(())
    }

    /// Writes `data` straight from the caller's buffer (after `write_buf`
    /// was flushed). Not cancel-safe: the caller marks the connection broken
    /// if it is dropped half-way.
    async fn write_through(&mut self, mut data: &[u8]) -> Result<(), PgError> {
        while !data.is_empty() {
            let n = self.write_some(Some(data)).await?;
            data = &data[n..];
        }
        Ok(())
    }

    /// Writes some bytes (of `data`, or of `write_buf`), reading what
    /// PostgreSQL sends meanwhile into `read_buf` so neither side can block
    /// the other. Returns how many bytes were written.
    async fn write_some(&mut self, data: Option<&[u8]>) -> Result<usize, PgError> {
        let PgConn {
            socket,
            read_buf,
            write_buf,
            ..
        } = self;
        let out: &[u8] = data.unwrap_or(write_buf);
        let mut scratch = [0u8; 8192];
        poll_fn(|cx| {
            if let Poll::Ready(result) = Pin::new(&mut *socket).poll_write(cx, out) {
                return Poll::Ready(match result {
                    Ok(0) => Err(PgError::Closed),
                    Ok(n) => Ok(n),
                    Err(e) => Err(PgError::from(e)),
                });
            }
            // The write waits: take in whatever PostgreSQL says meanwhile.
            while read_buf.len() < READ_AHEAD_LIMIT {
                let mut rb = ReadBuf::new(&mut scratch);
                match Pin::new(&mut *socket).poll_read(cx, &mut rb) {
                    Poll::Ready(Ok(())) if rb.filled().is_empty() => {
                        return Poll::Ready(Err(PgError::Closed));
                    }
                    Poll::Ready(Ok(())) => read_buf.extend_from_slice(rb.filled()),
                    Poll::Ready(Err(e)) => return Poll::Ready(Err(PgError::from(e))),
                    Poll::Pending => break,
                }
            }
            Poll::Pending
        })
        .await
    }

    #[cfg(test)]
    fn read_buffer_capacity(&self) -> usize {
        self.read_buf.capacity()
    }
}

/// Refuses text the protocol cannot carry: a NUL byte, or more than a
/// message can hold.
/// Reported parameters as name–value pairs sorted by name.
pub fn sorted_parameters(parameters: &HashMap<String, String>) -> Vec<(&str, &str)> {
    let mut all: Vec<_> = parameters
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.sort_unstable();
    all
}

fn check_text(text: &str) -> Result<(), PgError> {
    if text.len() > MAX_QUERY_LEN {
        return Err(PgError::QueryTooLarge);
    }
    if text.contains('\0') {
        return Err(PgError::NulInQuery);
    }
    Ok(())
}
