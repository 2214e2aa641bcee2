//! The client's error type: opaque, with query methods.

use crate::handshake::HandshakeError;
use crate::io::ChannelError;
use crate::packet::ErrorPacket;
use crate::{DecodeError, ErrorCode};

/// An error PostgreSQL (or the proxy) reported for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    /// The cor4 error code.
    pub code: i32,
    /// SQLSTATE, or empty for non-database errors.
    pub sqlstate: String,
    /// `ERROR`, `FATAL`, … or empty.
    pub severity: String,
    /// The primary message.
    pub message: String,
    /// DETAIL, or empty.
    pub detail: String,
    /// HINT, or empty.
    pub hint: String,
    /// 1-based character position in the query, 0 for none.
    pub position: u32,
}

impl From<ErrorPacket> for DbError {
    fn from(e: ErrorPacket) -> Self {
        DbError {
            code: e.code,
            sqlstate: e.sqlstate,
            severity: e.severity,
            message: e.message,
            detail: e.detail,
            hint: e.hint,
            position: e.position,
        }
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.severity.is_empty() {
            write!(f, "{}: ", self.severity)?;
        }
        f.write_str(&self.message)?;
        if !self.sqlstate.is_empty() {
            write!(f, " (SQLSTATE {})", self.sqlstate)?;
        }
        Ok(())
    }
}

#[derive(Debug)]
pub(crate) enum Kind {
    Connect(std::io::Error),
    Timeout,
    Handshake(HandshakeError),
    Channel(ChannelError),
    Closed,
    Db(Box<DbError>),
    Protocol(&'static str),
    Conversion(ConversionError),
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

/// A client error. Ask it what happened with [`code`](Self::code),
/// [`as_db_error`](Self::as_db_error), [`is_closed`](Self::is_closed).
#[derive(Debug)]
pub struct Error(pub(crate) Box<Kind>);

impl Error {
    pub(crate) fn new(kind: Kind) -> Self {
        Error(Box::new(kind))
    }

    /// The SQLSTATE of a database error.
    pub fn code(&self) -> Option<&str> {
        match &*self.0 {
            Kind::Db(db) if !db.sqlstate.is_empty() => Some(&db.sqlstate),
            _ => None,
        }
    }

    /// The cor4 error code of an ERROR the server sent.
    pub fn error_code(&self) -> Option<ErrorCode> {
        match &*self.0 {
            Kind::Db(db) => ErrorCode::from_i32(db.code),
            Kind::Handshake(HandshakeError::Refused(e)) => ErrorCode::from_i32(e.code),
            Kind::Handshake(HandshakeError::WrongCredentials) => Some(ErrorCode::LoginFailed),
            _ => None,
        }
    }

    /// The error the server reported, if it reported one.
    pub fn as_db_error(&self) -> Option<&DbError> {
        match &*self.0 {
            Kind::Db(db) => Some(db),
            _ => None,
        }
    }

    /// Whether the login failed because the user name or password is wrong.
    pub fn is_wrong_credentials(&self) -> bool {
        matches!(&*self.0, Kind::Handshake(HandshakeError::WrongCredentials))
    }

    /// Whether the connection is gone (the client must reconnect).
    pub fn is_closed(&self) -> bool {
        matches!(
            &*self.0,
            Kind::Closed | Kind::Channel(_) | Kind::Connect(_) | Kind::Protocol(_)
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
            Kind::Handshake(HandshakeError::WrongCredentials) => {
                f.write_str("login failed: wrong user name or password")
            }
            Kind::Handshake(HandshakeError::Refused(e)) => {
                write!(f, "login refused: {}", e.message)
            }
            Kind::Handshake(e) => write!(f, "login failed: {e}"),
            Kind::Channel(e) => write!(f, "connection to the cor4 proxy lost: {e}"),
            Kind::Closed => f.write_str("the cor4 proxy closed the connection"),
            Kind::Db(db) => std::fmt::Display::fmt(db, f),
            Kind::Protocol(what) => write!(f, "protocol error: {what}"),
            Kind::Conversion(c) => std::fmt::Display::fmt(c, f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            Kind::Connect(e) => Some(e),
            Kind::Handshake(e) => Some(e),
            Kind::Channel(e) => Some(e),
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
