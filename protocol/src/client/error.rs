//! The client's error type: opaque, with query methods, in the shape of
//! tokio-postgres's.

use super::SqlState;
use crate::handshake::HandshakeError;
use crate::io::ChannelError;
use crate::packet::{DiagField, ErrorPacket, Notice};
use crate::{DecodeError, ErrorCode};

/// An error (or notice) PostgreSQL or the proxy reported, with every field
/// that came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DbError {
    code: i32,
    sqlstate: SqlState,
    severity: String,
    message: String,
    detail: String,
    hint: String,
    position: u32,
    fields: Vec<DiagField>,
}

impl From<ErrorPacket> for DbError {
    fn from(e: ErrorPacket) -> Self {
        DbError {
            code: e.code,
            sqlstate: SqlState::from_code(&e.sqlstate),
            severity: e.severity,
            message: e.message,
            detail: e.detail,
            hint: e.hint,
            position: e.position,
            fields: e.fields,
        }
    }
}

impl From<Notice> for DbError {
    fn from(n: Notice) -> Self {
        let position = n
            .fields
            .iter()
            .find(|f| f.code == b'P')
            .and_then(|f| f.value.parse().ok())
            .unwrap_or(0);
        DbError {
            code: 0,
            sqlstate: SqlState::from_code(&n.sqlstate),
            severity: n.severity,
            message: n.message,
            detail: n.detail,
            hint: n.hint,
            position,
            fields: n.fields,
        }
    }
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

impl DbError {
    /// The cor4 error code ([`ErrorCode::Sql`] for PostgreSQL's errors; 0
    /// for notices).
    pub fn error_code(&self) -> Option<ErrorCode> {
        ErrorCode::from_i32(self.code)
    }

    /// The raw cor4 error code.
    pub fn raw_error_code(&self) -> i32 {
        self.code
    }

    /// The SQLSTATE (empty for the proxy's own errors).
    pub fn code(&self) -> &SqlState {
        &self.sqlstate
    }

    /// `ERROR`, `FATAL`, `WARNING`, `NOTICE`, … (empty for the proxy's own
    /// errors).
    pub fn severity(&self) -> &str {
        &self.severity
    }

    /// The primary message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// PostgreSQL's DETAIL.
    pub fn detail(&self) -> Option<&str> {
        non_empty(&self.detail)
    }

    /// PostgreSQL's HINT.
    pub fn hint(&self) -> Option<&str> {
        non_empty(&self.hint)
    }

    /// The 1-based character position of the error in the statement.
    pub fn position(&self) -> Option<u32> {
        (self.position != 0).then_some(self.position)
    }

    fn field(&self, code: u8) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.code == code)
            .map(|f| f.value.as_str())
    }

    /// The 1-based position of the error in [`internal_query`](Self::internal_query).
    pub fn internal_position(&self) -> Option<u32> {
        self.field(b'p').and_then(|p| p.parse().ok())
    }

    /// The internally generated query the error happened in (a PL/pgSQL
    /// expression, a dynamic `EXECUTE`).
    pub fn internal_query(&self) -> Option<&str> {
        self.field(b'q')
    }

    /// The context: the call stack the error happened in (`CONTEXT:`).
    pub fn where_(&self) -> Option<&str> {
        self.field(b'W')
    }

    /// The schema of the object the error is about.
    pub fn schema(&self) -> Option<&str> {
        self.field(b's')
    }

    /// The table the error is about.
    pub fn table(&self) -> Option<&str> {
        self.field(b't')
    }

    /// The column the error is about.
    pub fn column(&self) -> Option<&str> {
        self.field(b'c')
    }

    /// The data type the error is about.
    pub fn datatype(&self) -> Option<&str> {
        self.field(b'd')
    }

    /// The constraint the error is about.
    pub fn constraint(&self) -> Option<&str> {
        self.field(b'n')
    }

    /// PostgreSQL's source file that raised the error.
    pub fn file(&self) -> Option<&str> {
        self.field(b'F')
    }

    /// PostgreSQL's source line that raised the error.
    pub fn line(&self) -> Option<u32> {
        self.field(b'L').and_then(|l| l.parse().ok())
    }

    /// PostgreSQL's source routine that raised the error.
    pub fn routine(&self) -> Option<&str> {
        self.field(b'R')
    }

    /// Every extra field as PostgreSQL's letter and text.
    pub fn fields(&self) -> &[DiagField] {
        &self.fields
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.severity.is_empty() {
            write!(f, "{}: ", self.severity)?;
        }
        f.write_str(&self.message)?;
        if !self.sqlstate.code().is_empty() {
            write!(f, " (SQLSTATE {})", self.sqlstate)?;
        }
        Ok(())
    }
}

impl std::error::Error for DbError {}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The proxy could not be reached.
    Connect,
    /// Connecting and logging in took too long.
    Timeout,
    /// The login failed (wrong credentials, refused, version).
    Login,
    /// The connection is gone.
    Closed,
    /// PostgreSQL or the proxy answered the request with an error.
    Db,
    /// The peer broke the protocol.
    Protocol,
    /// A value could not become the requested Rust type.
    Conversion,
    /// The caller asked for something the API cannot do (a query that
    /// returned no row to `query_one`, a COPY that is not one).
    Usage,
}

#[derive(Debug)]
pub(crate) enum Kind {
    Connect(std::io::Error),
    Timeout,
    Handshake(HandshakeError),
    Channel(ChannelError),
    Closed(Option<Box<DbError>>),
    Db(Box<DbError>),
    Protocol(&'static str),
    Conversion(ConversionError),
    Usage(String),
}

/// Why a value could not be converted to the requested Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConversionError {
    /// The column does not exist.
    NoSuchColumn(String),
    /// The column index is out of range.
    IndexOutOfRange(usize),
    /// The value is NULL but the requested type is not an `Option`.
    UnexpectedNull,
    /// The value's wire type cannot become the requested type.
    WrongType {
        /// The value's type name.
        actual: &'static str,
        /// The requested Rust type.
        requested: &'static str,
    },
    /// The value does not fit the requested type (out of range, infinity,
    /// more precision than the type holds).
    OutOfRange(&'static str),
}

impl std::fmt::Display for ConversionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConversionError::NoSuchColumn(c) => write!(f, "no column named {c:?}"),
            ConversionError::IndexOutOfRange(i) => write!(f, "column index {i} out of range"),
            ConversionError::UnexpectedNull => f.write_str("value is NULL; use Option<T>"),
            ConversionError::WrongType { actual, requested } => {
                write!(f, "cannot convert a {actual} value to {requested}")
            }
            ConversionError::OutOfRange(what) => write!(f, "value out of range for {what}"),
        }
    }
}

impl std::error::Error for ConversionError {}

/// A client error. Ask it what happened with [`kind`](Self::kind),
/// [`code`](Self::code), [`as_db_error`](Self::as_db_error),
/// [`is_closed`](Self::is_closed).
#[derive(Debug)]
pub struct Error(pub(crate) Box<Kind>);

impl Error {
    pub(crate) fn new(kind: Kind) -> Self {
        Error(Box::new(kind))
    }

    pub(crate) fn db(e: DbError) -> Self {
        Error::new(Kind::Db(Box::new(e)))
    }

    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Error::new(Kind::Usage(message.into()))
    }

    pub(crate) fn closed() -> Self {
        Error::new(Kind::Closed(None))
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match &*self.0 {
            Kind::Connect(_) => ErrorKind::Connect,
            Kind::Timeout => ErrorKind::Timeout,
            Kind::Handshake(_) => ErrorKind::Login,
            Kind::Channel(ChannelError::Io(_) | ChannelError::Truncated) | Kind::Closed(_) => {
                ErrorKind::Closed
            }
            Kind::Channel(_) | Kind::Protocol(_) => ErrorKind::Protocol,
            Kind::Db(_) => ErrorKind::Db,
            Kind::Conversion(_) => ErrorKind::Conversion,
            Kind::Usage(_) => ErrorKind::Usage,
        }
    }

    /// The SQLSTATE of a database error.
    pub fn code(&self) -> Option<&SqlState> {
        self.as_db_error()
            .map(DbError::code)
            .filter(|c| !c.code().is_empty())
    }

    /// The cor4 error code of an ERROR the server sent.
    pub fn error_code(&self) -> Option<ErrorCode> {
        match &*self.0 {
            Kind::Db(db) => db.error_code(),
            Kind::Closed(Some(db)) => db.error_code(),
            Kind::Handshake(HandshakeError::Refused(e)) => ErrorCode::from_i32(e.code),
            Kind::Handshake(HandshakeError::WrongCredentials) => Some(ErrorCode::LoginFailed),
            _ => None,
        }
    }

    /// The error the server reported, if it reported one (for a closed
    /// connection: the reason the server gave, if any).
    pub fn as_db_error(&self) -> Option<&DbError> {
        match &*self.0 {
            Kind::Db(db) | Kind::Closed(Some(db)) => Some(db),
            _ => None,
        }
    }

    /// Whether the login failed because the server could not prove it
    /// knows the password: the user name or password is wrong, the account
    /// is locked, or the server is an impostor (indistinguishable by design).
    pub fn is_wrong_credentials(&self) -> bool {
        matches!(&*self.0, Kind::Handshake(HandshakeError::WrongCredentials))
    }

    /// Whether the connection is gone (the client must reconnect).
    pub fn is_closed(&self) -> bool {
        matches!(
            &*self.0,
            Kind::Closed(_) | Kind::Channel(_) | Kind::Connect(_) | Kind::Protocol(_)
        )
    }

    /// Whether this is a connection or authentication failure.
    pub fn is_connection_error(&self) -> bool {
        matches!(
            &*self.0,
            Kind::Connect(_) | Kind::Timeout | Kind::Handshake(_)
        )
    }

    /// The conversion failure, for errors from typed getters.
    pub fn as_conversion_error(&self) -> Option<&ConversionError> {
        match &*self.0 {
            Kind::Conversion(c) => Some(c),
            _ => None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.0 {
            Kind::Connect(e) => write!(f, "could not connect to the cor4 proxy: {e}"),
            Kind::Timeout => f.write_str("timed out connecting to the cor4 proxy"),
            Kind::Handshake(HandshakeError::WrongCredentials) => f.write_str(
                "login failed: the server could not prove it knows the password \
                 (wrong user name or password, a locked account, or not the real cor4 proxy)",
            ),
            Kind::Handshake(HandshakeError::Refused(e)) => {
                write!(f, "login refused: {}", e.message)
            }
            Kind::Handshake(e) => write!(f, "login failed: {e}"),
            Kind::Channel(e) => write!(f, "connection to the cor4 proxy lost: {e}"),
            Kind::Closed(None) => f.write_str("the cor4 proxy closed the connection"),
            Kind::Closed(Some(db)) => {
                write!(f, "the cor4 proxy closed the connection: {}", db.message())
            }
            Kind::Db(db) => std::fmt::Display::fmt(db, f),
            Kind::Protocol(what) => write!(f, "protocol error: {what}"),
            Kind::Conversion(c) => std::fmt::Display::fmt(c, f),
            Kind::Usage(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            Kind::Connect(e) => Some(e),
            Kind::Handshake(e) => Some(e),
            Kind::Channel(e) => Some(e),
            Kind::Db(e) => Some(e),
            Kind::Conversion(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ChannelError> for Error {
    fn from(e: ChannelError) -> Self {
        Error::new(Kind::Channel(e))
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::new(Kind::Channel(ChannelError::Decode(e)))
    }
}

impl From<ConversionError> for Error {
    fn from(e: ConversionError) -> Self {
        Error::new(Kind::Conversion(e))
    }
}
