//! The async client: log in to a cor4 proxy, run SQL with typed
//! parameters, read typed rows, COPY in both directions — in the shape of
//! tokio-postgres.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cor4_protocol::client::Error> {
//! use cor4_protocol::client::{Client, Config};
//! use futures_util::TryStreamExt;
//!
//! let config = Config::new("127.0.0.1", 7654, "alice", "correct horse");
//! let client = Client::connect(&config).await?;
//! // Values travel beside the SQL, never spliced into it.
//! let row = client.query_one("SELECT $1::int + 1 AS n, $2::text AS t", &[&41i32, &"it's"]).await?;
//! let n: i32 = row.get("n");
//! let stmt = client.prepare("SELECT * FROM generate_series(1, $1::int)").await?;
//! let mut rows = client.query(&stmt, &[&3i32]).await?;
//! while let Some(row) = rows.try_next().await? {
//!     let _: i32 = row.get(0);
//! }
//! client.close().await?;
//! # let _ = n; Ok(()) }
//! ```
//!
//! A [`Client`] is used through `&self` from any number of tasks: its
//! requests are pipelined in order over one connection, and a background
//! task routes each answer to whoever asked ([`connection`]).

mod config;
mod connection;
mod copy;
mod error;
#[cfg(feature = "pool")]
pub mod pool;
mod responses;
mod row;
mod sqlstate;
mod statement;
mod to_value;
mod transaction;

pub use config::{Config, DEFAULT_PORT};
pub use copy::{CopyInSink, CopyOutStream};
pub use error::{ConversionError, DbError, Error, ErrorKind};
pub use responses::{Message, MessageStream, RowStream};
pub use row::{Column, ColumnIndex, FromValue, Row};
pub use sqlstate::SqlState;
pub use statement::{Statement, Target, ToStatement};
pub use to_value::{ToValue, ValueType};
pub use transaction::Transaction;

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};

use crate::crypto::PasswordKey;
use crate::handshake::{AwaitReply, ClientHandshake};
use crate::io::{SealedReader, SealedWriter, read_clear_frame};
use crate::packet::{
    LOGIN_FLAG_MUST_CHANGE_PASSWORD, Packet, Param, Prepare, QueryParams, TransactionStatus, kind,
};
use crate::value::Type;
use connection::{ANSWER_CHUNKS, End, Handles, Request, Urgent};
use error::Kind;
use responses::Responses;

/// A logged-in session with a cor4 proxy, usable from many tasks at once
/// (`&self` methods, requests pipelined in order).
pub struct Client {
    handles: Arc<Handles>,
    must_change_password: bool,
    user: String,
    peer: std::net::SocketAddr,
    statements: std::sync::atomic::AtomicU64,
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
    handles: Arc<Handles>,
}

impl std::fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CancelHandle")
    }
}

impl CancelHandle {
    /// Sends CANCEL; the running statement then fails with SQLSTATE 57014.
    /// Harmless when nothing runs.
    pub async fn cancel(&self) -> Result<(), Error> {
        self.handles
            .urgent
            .send(Urgent::Cancel)
            .map_err(|_| self.handles.shared.closed_error())
    }
}

/// The parameters of a call, as `&[&(dyn ToValue + Sync)]` like
/// tokio-postgres's.
pub type Params<'a> = [&'a (dyn ToValue + Sync)];

fn to_params(params: &Params<'_>) -> Result<Vec<Param>, Error> {
    if params.len() > crate::packet::MAX_PARAMS {
        return Err(Error::usage(format!(
            "{} parameters given; a statement takes at most {}",
            params.len(),
            crate::packet::MAX_PARAMS
        )));
    }
    Ok(params.iter().map(|p| p.to_param()).collect())
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
            ClientHandshake::start(&config.user, config.key.clone(), config.max_record)
                .map_err(|e| Error::new(Kind::Handshake(e)))?;
        stream
            .write_all(&login)
            .await
            .map_err(|e| Error::new(Kind::Connect(e)))?;
        let response = match read_clear_frame(&mut stream, 4096).await? {
            Some(body) => body,
            None => return Err(Error::closed()),
        };
        if response.first() == Some(&kind::ERROR) {
            // A clear ERROR: the server refused before any key exchange
            // (an old server, a full server).
            if let Ok(Packet::Error(e)) = Packet::decode(&response, None) {
                return Err(Error::db(e.into()));
            }
        }
        // Argon2id is deliberately slow: keep it off the async threads. If
        // the server cannot prove it holds the verifier, this fails and
        // nothing more is sent.
        let (state, finish) = tokio::task::spawn_blocking(move || state.on_response(&response))
            .await
            .map_err(|_| Error::new(Kind::Protocol("login task failed")))?
            .map_err(|e| Error::new(Kind::Handshake(e)))?;
        stream
            .write_all(&finish)
            .await
            .map_err(|e| Error::new(Kind::Connect(e)))?;
        let mut record = vec![0u8; AwaitReply::REPLY_RECORD_LEN];
        // The server closes instead of replying only if it did not accept
        // the proof, which an honest server always does once it sent KE2.
        stream
            .read_exact(&mut record)
            .await
            .map_err(|_| Error::closed())?;
        let established = state
            .on_reply(&mut record)
            .map_err(|e| Error::new(Kind::Handshake(e)))?;
        let (read, write) = stream.into_split();
        let channel = established.channel;
        let (read, inbound) =
            SealedReader::new(read, channel.opener, config.max_packet).into_parts();
        let (write, outbound) =
            SealedWriter::new(write, channel.sealer, channel.peer_max_record).into_parts();
        let handles = connection::spawn(read, inbound, write, outbound);
        let client = Client {
            handles,
            must_change_password: established.flags & LOGIN_FLAG_MUST_CHANGE_PASSWORD != 0,
            user: config.user.clone(),
            peer,
            statements: std::sync::atomic::AtomicU64::new(0),
        };
        // The first record proves to the server that we hold the password;
        // it also asks for every field of errors and notices, so that
        // `DbError::where_`, `table`, `constraint`… are filled in.
        let (pinged, options) = tokio::join!(
            client.ping(),
            client.set_options(crate::packet::option::ERROR_FIELDS)
        );
        pinged?;
        match options {
            // A server without the option still serves everything else.
            Err(e) if e.kind() == ErrorKind::Db => {}
            other => {
                other?;
            }
        }
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

    /// The transaction status after the latest completed request.
    pub fn transaction_status(&self) -> TransactionStatus {
        match self.handles.shared.status_byte() {
            b'T' => TransactionStatus::InTransaction,
            b'E' => TransactionStatus::Failed,
            _ => TransactionStatus::Idle,
        }
    }

    /// Whether the connection is gone.
    pub fn is_closed(&self) -> bool {
        self.handles.shared.is_closed()
    }

    /// A handle that cancels the running query from another task.
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle {
            handles: self.handles.clone(),
        }
    }

    /// Sends a request and returns where its answer arrives.
    pub(crate) fn request(
        &self,
        packet: &Packet,
        end: End,
        exclusive: bool,
    ) -> Result<Responses, Error> {
        let (answers, rx) = mpsc::channel(ANSWER_CHUNKS);
        self.handles
            .requests
            .send(Request {
                frames: packet.to_frame(),
                end,
                answers,
                exclusive,
            })
            .map_err(|_| self.handles.shared.closed_error())?;
        Ok(Responses::new(rx, self.handles.clone(), end))
    }

    /// The request that runs `statement` with `params`.
    fn run_packet<T: ToStatement + ?Sized>(
        statement: &T,
        params: &Params<'_>,
    ) -> Result<Packet, Error> {
        match statement.as_target() {
            Target::Sql(sql) if params.is_empty() => Ok(Packet::Query(sql.to_owned())),
            Target::Sql(sql) => Ok(Packet::QueryParams(QueryParams {
                sql: sql.to_owned(),
                params: to_params(params)?,
            })),
            Target::Prepared(stmt) => {
                if params.len() != stmt.params().len() {
                    return Err(Error::usage(format!(
                        "the statement takes {} parameter(s), {} given",
                        stmt.params().len(),
                        params.len()
                    )));
                }
                Ok(Packet::Execute(crate::packet::Execute {
                    name: stmt.name().to_owned(),
                    params: to_params(params)?,
                }))
            }
        }
    }

    /// Runs a statement and streams its rows.
    ///
    /// With parameters, `statement` is one SQL statement (or a prepared
    /// [`Statement`]) and `$1`…`$n` take `params`, sent as typed values
    /// beside the SQL. Without parameters, SQL text may hold several
    /// statements; the rows of each are yielded in order. The first error
    /// ends the stream.
    pub async fn query<T: ToStatement + ?Sized>(
        &self,
        statement: &T,
        params: &Params<'_>,
    ) -> Result<RowStream, Error> {
        let packet = Self::run_packet(statement, params)?;
        Ok(RowStream::new(self.request(&packet, End::Ready, false)?))
    }

    /// Runs a statement and collects its rows.
    pub async fn query_all<T: ToStatement + ?Sized>(
        &self,
        statement: &T,
        params: &Params<'_>,
    ) -> Result<Vec<Row>, Error> {
        use futures_util::TryStreamExt;
        self.query(statement, params).await?.try_collect().await
    }

    /// Runs a statement that returns exactly one row; any other number of
    /// rows is an error.
    pub async fn query_one<T: ToStatement + ?Sized>(
        &self,
        statement: &T,
        params: &Params<'_>,
    ) -> Result<Row, Error> {
        match self.query_opt(statement, params).await? {
            Some(row) => Ok(row),
            None => Err(Error::usage(
                "the query returned no rows; exactly one expected",
            )),
        }
    }

    /// Runs a statement that returns at most one row.
    pub async fn query_opt<T: ToStatement + ?Sized>(
        &self,
        statement: &T,
        params: &Params<'_>,
    ) -> Result<Option<Row>, Error> {
        use futures_util::TryStreamExt;
        let mut rows = self.query(statement, params).await?;
        let first = rows.try_next().await?;
        if first.is_some() && rows.try_next().await?.is_some() {
            // Read the rest so the error is the only thing reported.
            while rows.try_next().await?.is_some() {}
            return Err(Error::usage(
                "the query returned more than one row; at most one expected",
            ));
        }
        Ok(first)
    }

    /// Runs a statement and returns the rows it affected (summed over the
    /// statements of a QUERY without parameters).
    pub async fn execute<T: ToStatement + ?Sized>(
        &self,
        statement: &T,
        params: &Params<'_>,
    ) -> Result<u64, Error> {
        use futures_util::TryStreamExt;
        let mut rows = self.query(statement, params).await?;
        while rows.try_next().await?.is_some() {}
        Ok(rows.rows_affected())
    }

    /// Runs SQL text holding any number of statements, discarding rows.
    pub async fn batch_execute(&self, sql: &str) -> Result<(), Error> {
        self.request(&Packet::Query(sql.to_owned()), End::Ready, false)?
            .finish()
            .await
    }

    /// Sends SQL text as one QUERY and returns every answer in order
    /// (results, commands, notices, errors, COPY, READY): for callers that
    /// handle all of them, like the `cor4` shell.
    pub async fn simple_query(&self, sql: &str) -> Result<MessageStream, Error> {
        Ok(MessageStream::new(self.request(
            &Packet::Query(sql.to_owned()),
            End::Ready,
            false,
        )?))
    }

    /// Parses `sql` once on the server; PostgreSQL infers the parameter
    /// types.
    pub async fn prepare(&self, sql: &str) -> Result<Statement, Error> {
        self.prepare_typed(sql, &[]).await
    }

    /// Parses `sql` once, with the first parameters' types given.
    pub async fn prepare_typed(&self, sql: &str, types: &[Type]) -> Result<Statement, Error> {
        let n = self
            .statements
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("cor4_s{n}");
        let packet = Packet::Prepare(Prepare {
            name: name.clone(),
            sql: sql.to_owned(),
            types: types.iter().copied().map(Some).collect(),
        });
        let mut responses = self.request(&packet, End::Ready, false)?;
        let mut description = None;
        let mut error = None;
        while !responses.is_finished() {
            match responses.message().await? {
                Message::Description(d) => description = Some(d),
                Message::Error(e) => error = Some(e),
                _ => {}
            }
        }
        if let Some(e) = error {
            return Err(Error::db(e));
        }
        let description = description
            .ok_or_else(|| Error::new(Kind::Protocol("PREPARE answered without a description")))?;
        let columns = description
            .columns
            .into_iter()
            .map(|c| {
                Column::new(
                    c.name,
                    c.ty,
                    Some(crate::packet::ColumnType {
                        oid: c.oid,
                        typmod: c.typmod,
                    }),
                )
            })
            .collect();
        Ok(Statement::new(
            name,
            description.params,
            columns,
            &self.handles,
        ))
    }

    /// Begins a transaction. The guard commits or rolls back; dropped, it
    /// rolls back. While it lives, the client serves only it.
    pub async fn transaction(&mut self) -> Result<Transaction<'_>, Error> {
        self.batch_execute("BEGIN").await?;
        Ok(Transaction::new(self))
    }

    /// Sets the session's options (`packet::option` bits). With
    /// `PARAMETER_STATUS` the answer lists every current parameter.
    pub async fn set_options(&self, flags: u32) -> Result<Vec<(String, String)>, Error> {
        let mut responses =
            self.request(&Packet::Options(flags), End::Answer(kind::OPTIONS), false)?;
        let mut parameters = Vec::new();
        while !responses.is_finished() {
            match responses.message().await? {
                Message::Parameter { name, value } => parameters.push((name, value)),
                Message::Error(e) => return Err(Error::db(e)),
                _ => {}
            }
        }
        Ok(parameters)
    }

    /// Changes the password (CHPASS). The new password works from the next
    /// login; this session keeps its keys.
    pub async fn change_password(&self, new_password: &str) -> Result<(), Error> {
        let digest = PasswordKey::from_password(new_password);
        let field = base64::engine::general_purpose::STANDARD.encode(digest.as_bytes());
        self.change_password_raw(&field).await
    }

    /// Sends CHPASS with `field` as is (for tests of the server's checks).
    #[doc(hidden)]
    pub async fn change_password_raw(&self, field: &str) -> Result<(), Error> {
        let mut responses = self.request(
            &Packet::ChPass(field.to_owned()),
            End::Answer(kind::CHPASS),
            false,
        )?;
        while !responses.is_finished() {
            if let Message::Error(e) = responses.message().await? {
                return Err(Error::db(e));
            }
        }
        Ok(())
    }

    /// Round trip to the server (answered at once, even while a result
    /// streams); returns how long it took.
    pub async fn ping(&self) -> Result<Duration, Error> {
        let start = Instant::now();
        let (tx, rx) = oneshot::channel();
        self.handles
            .urgent
            .send(Urgent::Ping(tx))
            .map_err(|_| self.handles.shared.closed_error())?;
        match rx.await {
            Ok(result) => result.map(|()| start.elapsed()),
            Err(_) => Err(self.handles.shared.closed_error()),
        }
    }

    /// Finishes what was asked before, says DISCONNECT and closes the
    /// connection.
    pub async fn close(self) -> Result<(), Error> {
        let shared = self.handles.shared.clone();
        let closed = shared.closed_notify.notified();
        let (answers, _) = mpsc::channel(1);
        let asked = self.handles.requests.send(Request {
            frames: Vec::new(),
            end: End::Close,
            answers,
            exclusive: false,
        });
        drop(self);
        if asked.is_ok() && !shared.is_closed() {
            // Bounded: a server that never answers does not hang the caller.
            let _ = tokio::time::timeout(Duration::from_secs(10), closed).await;
        }
        Ok(())
    }
}

/// Quotes `value` as an SQL string literal, for code that must build SQL
/// (prefer parameters): `it's` → `'it''s'`, with the `E''` form when it
/// holds a backslash.
pub fn escape_literal(value: &str) -> String {
    postgres_protocol::escape::escape_literal(value)
}

/// Quotes `name` as an SQL identifier: `My Table` → `"My Table"`.
pub fn escape_identifier(name: &str) -> String {
    postgres_protocol::escape::escape_identifier(name)
}
