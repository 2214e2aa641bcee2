//! Errors of the PostgreSQL frontend, one enum per concern: the connection
//! ([`PgError`]) and, inside it, the login ([`AuthError`]).

use std::io;
use std::time::Duration;

use super::message::DbError;
use super::tls::TlsError;

/// Everything that can go wrong while talking to PostgreSQL.
///
/// SQL errors raised by a query are *not* `PgError`s: they arrive as
/// [`Event::Error`](super::Event::Error) and leave the connection usable.
/// A `PgError` from [`PgConn::next_event`](super::PgConn::next_event) or
/// [`PgConn::send_query`](super::PgConn::send_query) means the connection is
/// unusable, except for [`PgError::Misuse`], [`PgError::NulInQuery`] and
/// [`PgError::QueryTooLarge`] (see [`PgError::is_fatal`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PgError {
    /// Reading from or writing to the socket failed for a reason other than
    /// the peer going away (which is [`PgError::Closed`]).
    #[error("I/O error talking to PostgreSQL")]
    Io(#[source] io::Error),
    /// PostgreSQL went away: end of stream or connection reset, or an
    /// earlier fatal error already left this connection unusable.
    #[error("PostgreSQL closed the connection")]
    Closed,
    /// The login failed; see [`AuthError`].
    #[error("authentication with PostgreSQL failed")]
    Auth(#[from] AuthError),
    /// PostgreSQL refused the session with an error outside authentication,
    /// such as an unknown database or too many connections.
    #[error("PostgreSQL refused the connection: {0}")]
    Db(Box<DbError>),
    /// PostgreSQL sent a well-formed message that makes no sense at this
    /// point of the protocol.
    #[error("protocol violation by PostgreSQL: {0}")]
    Protocol(&'static str),
    /// PostgreSQL sent a message that could not be decoded.
    #[error("malformed message from PostgreSQL")]
    Malformed(#[source] io::Error),
    /// A message header announced more bytes than we are willing to buffer;
    /// nothing was allocated for it.
    #[error("PostgreSQL announced a {len}-byte message, over the {max}-byte limit")]
    MessageTooLarge {
        /// The announced length, counting the length field itself.
        len: usize,
        /// The limit in force.
        max: usize,
    },
    /// Connecting and logging in took longer than the connect timeout.
    #[error("connecting to PostgreSQL timed out after {0:?}")]
    Timeout(Duration),
    /// The `tokio_postgres::Config` asks for something this frontend cannot
    /// do (no host, no user, TLS required, …).
    #[error("unusable PostgreSQL connection config: {0}")]
    Config(&'static str),
    /// The query text contains a NUL byte, which the protocol cannot carry;
    /// nothing was sent and the connection is still usable.
    #[error("the query text contains a NUL byte")]
    NulInQuery,
    /// The query text is larger than a protocol message can be; nothing was
    /// sent and the connection is still usable.
    #[error("the query text is too large to send to PostgreSQL")]
    QueryTooLarge,
    /// TLS with PostgreSQL failed; the variant says why (unknown CA, name
    /// mismatch, no TLS on the server, …).
    #[error("TLS with PostgreSQL failed: {0}")]
    Tls(#[from] TlsError),
    /// The server does not have the session attributes
    /// `target_session_attrs` asks for (e.g. a hot standby when read-write
    /// is wanted).
    #[error("the server does not accept {wanted} sessions (target_session_attrs)")]
    SessionAttrs {
        /// What was asked for: `read-write` or `read-only`.
        wanted: &'static str,
    },
    /// Every host of a multi-host config failed; each with its reason, in
    /// the order tried.
    #[error("no PostgreSQL host accepted the session: {}", describe_failures(.0))]
    NoHost(Vec<HostFailure>),
    /// The caller used the connection out of order, e.g. sent a query while
    /// the previous one still had events to read; the connection is unchanged.
    #[error("PostgreSQL connection used out of order: {0}")]
    Misuse(&'static str),
}

impl PgError {
    /// Whether the connection this error came from can no longer be used.
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self,
            PgError::NulInQuery | PgError::QueryTooLarge | PgError::Misuse(_)
        )
    }

    /// Whether PostgreSQL went away (as opposed to a protocol or SQL problem).
    pub fn is_closed(&self) -> bool {
        matches!(self, PgError::Closed)
    }

    /// The server's error, if PostgreSQL sent one (for [`PgError::NoHost`],
    /// the first host's that did).
    pub fn as_db_error(&self) -> Option<&DbError> {
        match self {
            PgError::Db(e) | PgError::Auth(AuthError::Rejected(e)) => Some(e),
            PgError::NoHost(failures) => failures.iter().find_map(|f| f.error.as_db_error()),
            _ => None,
        }
    }

    /// The SQLSTATE of the server's error, if PostgreSQL sent one.
    pub fn code(&self) -> Option<&str> {
        self.as_db_error().map(|e| e.code.as_str())
    }
}

impl From<io::Error> for PgError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted => PgError::Closed,
            _ => PgError::Io(e),
        }
    }
}

/// One host's failure in [`PgError::NoHost`].
#[derive(Debug)]
pub struct HostFailure {
    /// `host:port`, or the socket's path.
    pub host: String,
    /// Why that host did not do.
    pub error: PgError,
}

fn describe_failures(failures: &[HostFailure]) -> String {
    failures
        .iter()
        .map(|f| format!("{}: {}", f.host, full_message(&f.error)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// An error's message followed by those of its sources that it does not
/// already include.
pub(crate) fn full_message(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// Why logging in to PostgreSQL failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// PostgreSQL rejected the login (SQLSTATE class 28: wrong password,
    /// unknown role, no `pg_hba.conf` entry); its error is kept whole.
    #[error("PostgreSQL rejected the login: {0}")]
    Rejected(Box<DbError>),
    /// PostgreSQL asked for a password and the config has none.
    #[error("PostgreSQL asked for a password but none is configured")]
    MissingPassword,
    /// PostgreSQL asked for an authentication method this frontend does not
    /// implement (GSSAPI, SSPI, Kerberos, SCRAM without SHA-256, …).
    #[error("PostgreSQL asked for unsupported authentication: {0}")]
    Unsupported(&'static str),
    /// The SCRAM-SHA-256 exchange failed: a malformed server message or a
    /// server signature that does not prove knowledge of the password.
    #[error("SCRAM-SHA-256 exchange with PostgreSQL failed")]
    Scram(#[source] io::Error),
}
