//! A minimal PostgreSQL frontend for the relay path.
//!
//! tokio-postgres cannot relay arbitrary SQL the way cor4 needs: its simple
//! query API gives no column type OIDs, and its extended query API forces
//! binary results and one statement per call. This module speaks the simple
//! query protocol itself, on top of `postgres-protocol`'s message codec, and
//! hands each result back as it arrives, in PostgreSQL's own text format.
//!
//! ```text
//!  send_query(sql) ──Query──▶ PostgreSQL
//!  next_event() ◀── RowDescription, DataRow…, CommandComplete, … ReadyForQuery
//!        │
//!        └─ reads the socket only when the buffer holds no whole message,
//!           so a slow caller makes PostgreSQL wait (TCP backpressure)
//! ```
//!
//! One query string may hold several statements; their events follow in
//! order, and an error ends the string early ([`Event::Error`], then
//! [`Event::Ready`]). COPY is refused without breaking the connection:
//! `COPY … FROM STDIN` is answered with CopyFail (PostgreSQL then reports
//! the error), and `COPY … TO STDOUT` data is drained and replaced by an
//! [`Event::Error`]. NotificationResponses (LISTEN/NOTIFY) are dropped;
//! ParameterStatus updates are applied whenever they arrive.
//!
//! ```no_run
//! # async fn demo(config: &tokio_postgres::Config) -> Result<(), cor4_proxy::pgwire::PgError> {
//! use cor4_proxy::pgwire::{Event, PgConn};
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

mod error;
mod message;
mod socket;
mod startup;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use bytes::{Buf, BytesMut};
use postgres_protocol::message::backend::Message;
use postgres_protocol::message::frontend;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub use error::{AuthError, PgError};
pub use message::{Column, DataRow, DbError, Event, MAX_MESSAGE_LEN, TransactionStatus};
pub use socket::CancelToken;

use socket::{Socket, Target};

/// The connect timeout when the config sets none.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How much the read buffer grows by when it needs room.
const READ_CHUNK: usize = 16 * 1024;

/// The longest query text a Query message can carry (its length field is an
/// `i32` counting itself and the terminating NUL).
const MAX_QUERY_LEN: usize = i32::MAX as usize - 5;

/// Sent as CopyFail when a query starts `COPY … FROM STDIN`.
const COPY_IN_REFUSAL: &str = "COPY FROM STDIN is not supported through the cor4 proxy";

/// Where the connection is in the simple query cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// ReadyForQuery seen; the next call is `send_query`.
    Idle,
    /// A query was sent; events up to ReadyForQuery are pending.
    Query,
    /// Inside `COPY … TO STDOUT`: the data is drained and dropped.
    CopyOut,
    /// The refused COPY's data is drained; its CommandComplete is dropped too,
    /// since the caller already got an error for it.
    CopyOutDone,
    /// A fatal error happened; every call fails with [`PgError::Closed`].
    Broken,
}

/// One connection to PostgreSQL, running one simple query at a time.
///
/// Use: [`send_query`](Self::send_query), then
/// [`next_event`](Self::next_event) until it returns [`Event::Ready`].
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
    connect_timeout: Duration,
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
    /// Connects and logs in to the first host of `config`.
    ///
    /// Uses the config's host, port, user, password, dbname,
    /// application_name and options; the startup parameters also set
    /// `client_encoding=UTF8` and `DateStyle=ISO, MDY`, then `extra` (which
    /// overrides any of them). Supports trust, cleartext, MD5 and
    /// SCRAM-SHA-256 authentication, without TLS. The whole of connecting and
    /// logging in is bounded by the config's connect timeout, or
    /// [`DEFAULT_CONNECT_TIMEOUT`].
    pub async fn connect(
        config: &tokio_postgres::Config,
        extra: &[(&str, &str)],
    ) -> Result<PgConn, PgError> {
        let timeout = config
            .get_connect_timeout()
            .copied()
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        tokio::time::timeout(timeout, startup::connect(config, extra, timeout))
            .await
            .map_err(|_| PgError::Timeout(timeout))?
    }

    /// The latest value PostgreSQL reported for a parameter such as
    /// `server_version`, `TimeZone`, `DateStyle` or `integer_datetimes`.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters.get(name).map(String::as_str)
    }

    /// The process id of the PostgreSQL backend serving this connection.
    pub fn backend_pid(&self) -> i32 {
        self.process_id
    }

    /// The transaction status from the latest ReadyForQuery.
    pub fn transaction_status(&self) -> TransactionStatus {
        self.status
    }

    /// Whether the connection waits for a query (no events are pending).
    pub fn is_idle(&self) -> bool {
        self.phase == Phase::Idle
    }

    /// Whether a fatal error made the connection unusable.
    pub fn is_broken(&self) -> bool {
        self.phase == Phase::Broken
    }

    /// A handle that cancels this connection's running query from any task.
    pub fn cancel_token(&self) -> CancelToken {
        CancelToken {
            target: self.target.clone(),
            process_id: self.process_id,
            secret_key: self.secret_key,
            timeout: self.connect_timeout,
        }
    }

    /// Sends `sql` (one or more statements) as a simple query.
    ///
    /// Fails with [`PgError::Misuse`] while the previous query still has
    /// events to read, and with [`PgError::NulInQuery`] or
    /// [`PgError::QueryTooLarge`] without sending anything.
    pub async fn send_query(&mut self, sql: &str) -> Result<(), PgError> {
        match self.phase {
            Phase::Idle => {}
            Phase::Broken => return Err(PgError::Closed),
            Phase::Query | Phase::CopyOut | Phase::CopyOutDone => {
                return Err(PgError::Misuse(
                    "the previous query is still running; read its events up to Ready first",
                ));
            }
        }
        if sql.len() > MAX_QUERY_LEN {
            return Err(PgError::QueryTooLarge);
        }
        if sql.contains('\0') {
            return Err(PgError::NulInQuery);
        }
        // Cannot fail: NUL bytes and oversized text were refused above.
        frontend::query(sql, &mut self.write_buf).map_err(PgError::Io)?;
        self.phase = Phase::Query;
        self.flush()
            .await
            .inspect_err(|_| self.phase = Phase::Broken)
    }

    /// The next event of the running query; after [`Event::Ready`] the
    /// connection takes the next query.
    ///
    /// Reads the socket only when no whole message is buffered. Cancel-safe:
    /// dropping the future loses no data. An `Err` means the connection is
    /// unusable (see [`PgError::is_fatal`]); SQL errors are [`Event::Error`].
    pub async fn next_event(&mut self) -> Result<Event, PgError> {
        let event = self.next_event_inner().await;
        if let Err(e) = &event {
            if e.is_fatal() {
                self.phase = Phase::Broken;
            }
        }
        event
    }

    async fn next_event_inner(&mut self) -> Result<Event, PgError> {
        loop {
            match self.phase {
                Phase::Idle => return Err(PgError::Misuse("no query is running")),
                Phase::Broken => return Err(PgError::Closed),
                Phase::Query | Phase::CopyOut | Phase::CopyOutDone => {}
            }
            self.flush().await?;
            let message = self.read_message().await?;
            match (self.phase, message) {
                (Phase::Query, Message::RowDescription(body)) => {
                    return Ok(Event::RowDescription(message::columns(&body)?));
                }
                (Phase::Query, Message::DataRow(body)) => {
                    return Ok(Event::DataRow(DataRow::new(&body)?));
                }
                (Phase::Query, Message::CommandComplete(body)) => {
                    let tag = body.tag().map_err(PgError::Malformed)?;
                    return Ok(Event::CommandComplete(tag.to_owned()));
                }
                (Phase::Query, Message::EmptyQueryResponse) => return Ok(Event::EmptyQuery),
                (Phase::Query, Message::ReadyForQuery(body)) => {
                    self.status = TransactionStatus::from_byte(body.status())?;
                    self.phase = Phase::Idle;
                    return Ok(Event::Ready(self.status));
                }
                (Phase::Query, Message::CopyInResponse(_)) => {
                    // The server answers with an ErrorResponse naming our reason.
                    frontend::copy_fail(COPY_IN_REFUSAL, &mut self.write_buf)
                        .map_err(PgError::Io)?;
                }
                (Phase::Query, Message::CopyOutResponse(_)) => {
                    self.phase = Phase::CopyOut;
                    return Ok(Event::Error(Box::new(DbError::synthetic(
                        "0A000",
                        "COPY TO STDOUT is not supported through the cor4 proxy",
                        "Use SELECT to read the rows, or run COPY against PostgreSQL directly.",
                    ))));
                }
                (Phase::CopyOut, Message::CopyData(_)) => {}
                (Phase::CopyOut, Message::CopyDone) => self.phase = Phase::CopyOutDone,
                (Phase::CopyOutDone, Message::CommandComplete(_)) => self.phase = Phase::Query,
                (_, Message::ErrorResponse(body)) => {
                    self.phase = Phase::Query;
                    return Ok(Event::Error(Box::new(DbError::parse(body.fields())?)));
                }
                (_, Message::NoticeResponse(body)) => {
                    return Ok(Event::Notice(Box::new(DbError::parse(body.fields())?)));
                }
                (_, Message::ParameterStatus(body)) => {
                    let name = body.name().map_err(PgError::Malformed)?;
                    let value = body.value().map_err(PgError::Malformed)?;
                    self.parameters.insert(name.to_owned(), value.to_owned());
                }
                // LISTEN/NOTIFY is not relayed; dropping keeps memory flat.
                (_, Message::NotificationResponse(_)) => {}
                _ => return Err(PgError::Protocol("unexpected message during a query")),
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
        self.socket.shutdown().await?;
        Ok(())
    }

    /// Reads until one whole message is buffered, and splits it off.
    async fn read_message(&mut self) -> Result<Message, PgError> {
        loop {
            if let Some(message) = message::decode(&mut self.read_buf, MAX_MESSAGE_LEN)? {
                return Ok(message);
            }
            if self.read_buf.capacity() - self.read_buf.len() < READ_CHUNK / 2 {
                self.read_buf.reserve(READ_CHUNK);
            }
            if self.socket.read_buf(&mut self.read_buf).await? == 0 {
                return Err(PgError::Closed);
            }
        }
    }

    /// Writes out `write_buf`, consuming it as bytes go out (cancel-safe).
    async fn flush(&mut self) -> Result<(), PgError> {
        while !self.write_buf.is_empty() {
            let n = self.socket.write(&self.write_buf).await?;
            if n == 0 {
                return Err(PgError::Closed);
            }
            self.write_buf.advance(n);
        }
        Ok(())
    }

    #[cfg(test)]
    fn read_buffer_capacity(&self) -> usize {
        self.read_buf.capacity()
    }
}
