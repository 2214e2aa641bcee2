//! The async client: log in to a cor4 proxy, run SQL, read typed rows.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cor4_protocol::client::Error> {
//! use cor4_protocol::client::{Client, Config};
//! use futures_util::TryStreamExt;
//!
//! let config = Config::new("127.0.0.1", 7654, "alice", "correct horse");
//! let mut client = Client::connect(&config).await?;
//! let n = client.execute("CREATE TEMP TABLE t AS SELECT 1 AS id").await?;
//! let rows = client.query_all("SELECT id, 'x' AS name FROM t").await?;
//! let id: i32 = rows[0].get("id");
//! {
//!     let mut stream = client.query("SELECT * FROM generate_series(1, 3)").await?;
//!     while let Some(row) = stream.try_next().await? {
//!         let _: i32 = row.get(0);
//!     }
//! }
//! client.close().await?;
//! # let _ = (n, id); Ok(()) }
//! ```

mod error;
mod row;

pub use error::{ConversionError, DbError, Error};
pub use row::{Column, ColumnIndex, FromValue, Row};

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use futures_util::Stream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::Mutex;

use crate::crypto::{DEFAULT_ITERATIONS, PasswordKey};
use crate::handshake::{AwaitReply, ClientHandshake};
use crate::io::{Incoming, SealedReader, SealedWriter, read_clear_frame};
use crate::packet::{
    LOGIN_FLAG_MUST_CHANGE_PASSWORD, Notice, OkDetail, Packet, TransactionStatus, kind,
};
use crate::value::Type;
use error::Kind;

/// Default TCP port of `cor4-proxy`.
pub const DEFAULT_PORT: u16 = 7654;

/// Where and as whom to connect.
#[derive(Clone)]
pub struct Config {
    host: String,
    port: u16,
    user: String,
    key: PasswordKey,
    connect_timeout: Duration,
    max_record: u32,
    max_packet: u32,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration with defaults: 10 s connect timeout (which includes
    /// the login's key stretching), 64 KiB records, 1 GiB packets.
    pub fn new(host: &str, port: u16, user: &str, password: &str) -> Self {
        Config {
            host: host.to_owned(),
            port,
            user: user.to_owned(),
            key: PasswordKey::from_password(password),
            connect_timeout: Duration::from_secs(10),
            max_record: 65_536,
            max_packet: 1 << 30,
        }
    }

    /// Sets the connect-and-login timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }
}

/// One thing the server said in answer to a QUERY, for callers that handle
/// several statements and every kind of answer (the `cor4` shell).
#[derive(Debug, Clone)]
pub enum Message {
    /// A statement returning rows began: its columns.
    Columns(Arc<[Column]>),
    /// A row of the current result.
    Row(Row),
    /// The current result ended.
    ResultEnd {
        /// Rows in the result.
        rows: u64,
        /// The command tag (`SELECT 3`).
        tag: String,
    },
    /// A statement without rows finished.
    Command {
        /// Rows affected.
        affected: u64,
        /// The command tag (`INSERT 0 3`).
        tag: String,
    },
    /// A notice or warning.
    Notice(Notice),
    /// A statement failed; no later statement of this QUERY runs.
    Error(DbError),
    /// The QUERY is fully answered.
    Ready(TransactionStatus),
}

type Writer = Arc<Mutex<SealedWriter<OwnedWriteHalf>>>;

/// The rows of a query, in order; the first error ends the stream.
pub type RowStream<'a> = std::pin::Pin<Box<dyn Stream<Item = Result<Row, Error>> + Send + 'a>>;

/// A logged-in session with a cor4 proxy.
pub struct Client {
    reader: SealedReader<OwnedReadHalf>,
    writer: Writer,
    columns: Option<Arc<[Column]>>,
    /// READYs still owed for QUERYs sent.
    pending: usize,
    must_change_password: bool,
    user: String,
    peer: std::net::SocketAddr,
    status: TransactionStatus,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("user", &self.user)
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}

/// Cancels the query running on a [`Client`], from any task.
#[derive(Clone)]
pub struct CancelHandle {
    writer: Writer,
}

impl std::fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CancelHandle")
    }
}

impl CancelHandle {
    /// Sends CANCEL; the running query then fails with SQLSTATE 57014.
    /// Harmless when nothing runs.
    pub async fn cancel(&self) -> Result<(), Error> {
        self.writer.lock().await.send(&Packet::Cancel).await?;
        Ok(())
    }
}

fn closed() -> Error {
    Error::new(Kind::Closed)
}

impl Client {
    /// Connects and logs in. Fails with
    /// [`Error::is_wrong_credentials`] when the user name or password is
    /// wrong (the two are indistinguishable by design).
    pub async fn connect(config: &Config) -> Result<Client, Error> {
        match tokio::time::timeout(config.connect_timeout, Self::connect_inner(config)).await {
            Ok(result) => result,
            Err(_) => Err(Error::new(Kind::Timeout)),
        }
    }

    async fn connect_inner(config: &Config) -> Result<Client, Error> {
        let mut stream = TcpStream::connect((config.host.as_str(), config.port))
            .await
            .map_err(|e| Error::new(Kind::Connect(e)))?;
        stream
            .set_nodelay(true)
            .map_err(|e| Error::new(Kind::Connect(e)))?;
        let peer = stream
            .peer_addr()
            .map_err(|e| Error::new(Kind::Connect(e)))?;
        let (state, login) =
            ClientHandshake::start(&config.user, config.key.clone(), config.max_record);
        stream
            .write_all(&login)
            .await
            .map_err(|e| Error::new(Kind::Connect(e)))?;
        let challenge = match read_clear_frame(&mut stream, 4096).await? {
            Some(body) => body,
            None => return Err(closed()),
        };
        if challenge.first() == Some(&kind::ERROR) {
            // A clear ERROR: the server refused before any key exchange.
            if let Ok(Packet::Error(e)) = Packet::decode(&challenge, None) {
                return Err(Error::new(Kind::Db(Box::new(e.into()))));
            }
        }
        // Key stretching is deliberately slow: keep it off the async threads.
        let state = tokio::task::spawn_blocking(move || state.on_challenge(&challenge))
            .await
            .map_err(|_| Error::new(Kind::Protocol("login task failed")))?
            .map_err(|e| Error::new(Kind::Handshake(e)))?;
        let mut record = vec![0u8; AwaitReply::REPLY_RECORD_LEN];
        stream.read_exact(&mut record).await.map_err(|_| {
            Error::new(Kind::Handshake(
                crate::handshake::HandshakeError::WrongCredentials,
            ))
        })?;
        let established = state
            .on_reply(&mut record)
            .map_err(|e| Error::new(Kind::Handshake(e)))?;
        let (read, write) = stream.into_split();
        let channel = established.channel;
        let mut client = Client {
            reader: SealedReader::new(read, channel.opener, config.max_packet),
            writer: Arc::new(Mutex::new(SealedWriter::new(
                write,
                channel.sealer,
                channel.peer_max_record,
            ))),
            columns: None,
            pending: 0,
            must_change_password: established.flags & LOGIN_FLAG_MUST_CHANGE_PASSWORD != 0,
            user: config.user.clone(),
            peer,
            status: TransactionStatus::Idle,
        };
        // The first record proves to the server that we hold the password.
        client.ping().await?;
        Ok(client)
    }

    /// Whether the server requires a password change before any query.
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    /// The user this session is logged in as.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The proxy's address.
    pub fn peer_addr(&self) -> std::net::SocketAddr {
        self.peer
    }

    /// The transaction status after the last completed QUERY.
    pub fn transaction_status(&self) -> TransactionStatus {
        self.status
    }

    /// A handle that cancels the running query from another task.
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle {
            writer: self.writer.clone(),
        }
    }

    async fn send(&mut self, packet: &Packet) -> Result<(), Error> {
        self.writer.lock().await.send(packet).await?;
        Ok(())
    }

    async fn next_packet(&mut self) -> Result<Packet, Error> {
        let columns = self
            .columns
            .as_ref()
            .map(|c| c.iter().map(Column::type_).collect::<Vec<Type>>());
        match self.reader.next(columns.as_deref()).await? {
            Some(Incoming::Packet(p)) => Ok(p),
            Some(Incoming::Oversized { .. }) => Err(Error::new(Kind::Protocol(
                "the server sent a packet larger than this client accepts",
            ))),
            None => Err(closed()),
        }
    }

    /// Reads answers until every QUERY sent so far is answered: after a row
    /// stream was dropped half-way.
    async fn drain(&mut self) -> Result<(), Error> {
        while self.pending > 0 {
            self.next_message().await?;
        }
        Ok(())
    }

    /// Sends a QUERY without waiting; read its answers with
    /// [`next_message`](Self::next_message) until [`Message::Ready`].
    pub async fn send_query(&mut self, sql: &str) -> Result<(), Error> {
        self.drain().await?;
        self.send(&Packet::Query(sql.to_owned())).await?;
        self.pending += 1;
        Ok(())
    }

    /// The next answer to the QUERYs sent with [`send_query`](Self::send_query).
    pub async fn next_message(&mut self) -> Result<Message, Error> {
        if self.pending == 0 {
            return Err(Error::new(Kind::Protocol("no query is running")));
        }
        loop {
            let msg = match self.next_packet().await? {
                Packet::ResultHead(head) => {
                    let columns: Arc<[Column]> = head
                        .names
                        .into_iter()
                        .zip(head.types)
                        .map(|(n, t)| Column::new(n, t))
                        .collect();
                    self.columns = Some(columns.clone());
                    Message::Columns(columns)
                }
                Packet::ResultRow(row) => {
                    let columns = self
                        .columns
                        .clone()
                        .ok_or_else(|| Error::new(Kind::Protocol("row without RESULT_HEAD")))?;
                    Message::Row(Row::new(columns, row.values))
                }
                Packet::ResultEnd(end) => {
                    self.columns = None;
                    Message::ResultEnd {
                        rows: end.rows,
                        tag: end.tag,
                    }
                }
                Packet::Ok(ok) if ok.answered == kind::QUERY => match ok.detail {
                    OkDetail::Command { affected, tag } => Message::Command { affected, tag },
                    _ => Message::Command {
                        affected: 0,
                        tag: String::new(),
                    },
                },
                // Answers to PINGs whose caller went away.
                Packet::Ok(_) => continue,
                Packet::Notice(n) => Message::Notice(n),
                Packet::Error(e) => {
                    self.columns = None;
                    Message::Error(e.into())
                }
                Packet::Ready(status) => {
                    self.pending = self.pending.saturating_sub(1);
                    self.status = status;
                    self.columns = None;
                    Message::Ready(status)
                }
                _ => return Err(Error::new(Kind::Protocol("unexpected packet from server"))),
            };
            return Ok(msg);
        }
    }

    /// Runs `sql` and streams its rows. The rows of every statement that
    /// returns rows are yielded in order; the first error ends the stream.
    pub async fn query(&mut self, sql: &str) -> Result<RowStream<'_>, Error> {
        self.send_query(sql).await?;
        Ok(Box::pin(futures_util::stream::unfold(
            (self, None::<DbError>),
            |(client, mut failed)| async move {
                loop {
                    if client.pending == 0 {
                        return failed
                            .take()
                            .map(|e| (Err(Error::new(Kind::Db(Box::new(e)))), (client, None)));
                    }
                    match client.next_message().await {
                        Ok(Message::Row(row)) => return Some((Ok(row), (client, failed))),
                        Ok(Message::Error(e)) => failed = Some(e),
                        Ok(_) => {}
                        Err(e) => {
                            client.pending = 0;
                            return Some((Err(e), (client, None)));
                        }
                    }
                }
            },
        )))
    }

    /// Runs `sql` and collects its rows.
    pub async fn query_all(&mut self, sql: &str) -> Result<Vec<Row>, Error> {
        use futures_util::TryStreamExt;
        self.query(sql).await?.try_collect().await
    }

    /// Runs `sql` and returns the rows affected (summed over its statements).
    pub async fn execute(&mut self, sql: &str) -> Result<u64, Error> {
        self.send_query(sql).await?;
        let mut affected = 0u64;
        let mut failed = None;
        loop {
            match self.next_message().await? {
                Message::Command { affected: n, .. } => affected = affected.saturating_add(n),
                Message::ResultEnd { rows, .. } => affected = affected.saturating_add(rows),
                Message::Error(e) => failed = Some(e),
                Message::Ready(_) => break,
                _ => {}
            }
        }
        match failed {
            Some(e) => Err(Error::new(Kind::Db(Box::new(e)))),
            None => Ok(affected),
        }
    }

    /// Changes the password (CHPASS). The new password works from the next
    /// login; this session keeps its keys.
    pub async fn change_password(&mut self, new_password: &str) -> Result<(), Error> {
        let digest = PasswordKey::from_password(new_password);
        let field = base64::engine::general_purpose::STANDARD.encode(digest.as_bytes());
        self.change_password_raw(&field).await
    }

    /// Sends CHPASS with `field` as is (for tests of the server's checks).
    #[doc(hidden)]
    pub async fn change_password_raw(&mut self, field: &str) -> Result<(), Error> {
        self.drain().await?;
        self.send(&Packet::ChPass(field.to_owned())).await?;
        loop {
            match self.next_packet().await? {
                Packet::Ok(ok) if ok.answered == kind::CHPASS => {
                    self.must_change_password = false;
                    return Ok(());
                }
                Packet::Error(e) if e.answered == kind::CHPASS => {
                    return Err(Error::new(Kind::Db(Box::new(e.into()))));
                }
                Packet::Ok(_) | Packet::Notice(_) => {}
                _ => return Err(Error::new(Kind::Protocol("unexpected answer to CHPASS"))),
            }
        }
    }

    /// Round trip to the server; returns how long it took.
    pub async fn ping(&mut self) -> Result<Duration, Error> {
        self.drain().await?;
        let start = Instant::now();
        self.send(&Packet::Ping).await?;
        loop {
            match self.next_packet().await? {
                Packet::Ok(ok) if ok.answered == kind::PING => return Ok(start.elapsed()),
                Packet::Error(e) => return Err(Error::new(Kind::Db(Box::new(e.into())))),
                Packet::Notice(_) => {}
                _ => return Err(Error::new(Kind::Protocol("unexpected answer to PING"))),
            }
        }
    }

    /// Sends DISCONNECT and closes the connection.
    pub async fn close(self) -> Result<(), Error> {
        let mut writer = self.writer.lock().await;
        writer.send(&Packet::Disconnect).await?;
        writer.shutdown().await?;
        Ok(())
    }
}

/// The default PBKDF2 iteration count new passwords get (for reference).
pub const SERVER_DEFAULT_ITERATIONS: u32 = DEFAULT_ITERATIONS;
