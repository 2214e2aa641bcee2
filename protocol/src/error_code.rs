//! The integer error codes an ERROR packet carries.

/// Cor4 error codes: the seed's "error code (integer)" field of ERROR.
///
/// SQL errors all carry [`ErrorCode::Sql`] and put PostgreSQL's SQLSTATE in
/// the packet's `sqlstate` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Wrong user name or password. Never sent: a failed login shows as a
    /// server that cannot prove it knows the password. Clients report it
    /// with this code.
    LoginFailed = 1,
    /// The account is locked by an administrator.
    AccountLocked = 2,
    /// The account may not log in from this address.
    AddressNotAllowed = 3,
    /// Too many failed logins; try again later.
    TooManyAttempts = 5,
    /// The client's version is not supported.
    UnsupportedVersion = 6,
    /// CHPASS did not carry base64 of a 16-byte MD5 digest.
    BadPasswordDigest = 10,
    /// CHPASS was well-formed but the server refused the new password.
    PasswordRejected = 11,
    /// The password must be changed (CHPASS) before anything else.
    PasswordChangeRequired = 12,
    /// The account's password was set before Cor4 v3 and must be reset by
    /// an administrator (sent in clear in answer to LOGIN).
    PasswordResetRequired = 13,
    /// PostgreSQL reported an error; see the SQLSTATE.
    Sql = 20,
    /// The peer broke the protocol; the connection ends.
    ProtocolViolation = 30,
    /// A packet was larger than the receiver's limit; it was skipped.
    PacketTooLarge = 31,
    /// The server is shutting down.
    ServerShutdown = 32,
    /// The session was idle for too long.
    IdleTimeout = 33,
    /// The server has no room for another session.
    TooManySessions = 34,
    /// The server cannot reach PostgreSQL.
    BackendUnavailable = 35,
    /// An internal server error (logged on the server).
    Internal = 36,
    /// The packet is not allowed in this state.
    NotAllowed = 37,
    /// An operator ended the session (`cor4-proxy kill`).
    SessionEnded = 38,
    /// The user already has a session and the server refuses another
    /// (`--duplicate-login refuse`).
    DuplicateLogin = 39,
    /// A newer login of the same user replaced this session
    /// (`--duplicate-login replace`).
    SessionReplaced = 40,
}

impl ErrorCode {
    /// Every defined code.
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::LoginFailed,
        ErrorCode::AccountLocked,
        ErrorCode::AddressNotAllowed,
        ErrorCode::TooManyAttempts,
        ErrorCode::UnsupportedVersion,
        ErrorCode::BadPasswordDigest,
        ErrorCode::PasswordRejected,
        ErrorCode::PasswordChangeRequired,
        ErrorCode::PasswordResetRequired,
        ErrorCode::Sql,
        ErrorCode::ProtocolViolation,
        ErrorCode::PacketTooLarge,
        ErrorCode::ServerShutdown,
        ErrorCode::IdleTimeout,
        ErrorCode::TooManySessions,
        ErrorCode::BackendUnavailable,
        ErrorCode::Internal,
        ErrorCode::NotAllowed,
        ErrorCode::SessionEnded,
        ErrorCode::DuplicateLogin,
        ErrorCode::SessionReplaced,
    ];

    /// The wire value.
    pub fn as_i32(self) -> i32 {
        self as i32
    }

    /// The code for a wire value, if defined.
    pub fn from_i32(code: i32) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_i32() == code)
    }
}
