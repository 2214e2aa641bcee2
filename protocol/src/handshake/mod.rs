//! The login handshake, for both ends, as state machines over bytes.
//!
//! ```text
//! client                                         server
//!   LOGIN (clear): user, version 2.0.0.0,
//!         nonce r1, client max record   ───────►
//!                                               looks the user up
//!                 ◄─────── LOGIN_CHALLENGE (clear): salt, iterations,
//!                                   nonce r2, server max record
//!                 ◄─────── sealed record (s→c #0): OK or ERROR,
//!                                   padded to LOGIN_REPLY_LEN bytes
//!   S = PBKDF2(MD5(password), salt, iterations)
//!   keys = HKDF(S, transcript); open the reply
//!   first sealed record (c→s #0), e.g. PING ───►  opening it proves the
//!                                                 client knows the password
//! ```
//!
//! Each state is its own type; handling input consumes it and returns the
//! next, so a step cannot be skipped or repeated.

mod client;
mod server;

pub use client::{AwaitChallenge, AwaitReply, ClientEstablished, ClientHandshake};
pub use server::{Account, AwaitConfirm, AwaitLookup, ServerHandshake, Verdict};

use crate::crypto::{RecordOpener, RecordSealer};
use crate::error::{DecodeError, RecordError};
use crate::packet::ErrorPacket;
use thiserror::Error;

/// Plaintext bytes of the sealed login reply: one OK or ERROR frame, its
/// random data padded so every reply has this length.
pub const LOGIN_REPLY_LEN: usize = 128;

/// An established session's record channel, one half per direction.
pub struct Channel {
    /// Seals what this end sends.
    pub sealer: RecordSealer,
    /// Opens what the peer sends.
    pub opener: RecordOpener,
    /// The largest record plaintext the peer accepts.
    pub peer_max_record: u32,
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel")
            .field("peer_max_record", &self.peer_max_record)
            .finish_non_exhaustive()
    }
}

/// Why a handshake failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// A clear handshake packet could not be decoded.
    #[error("malformed handshake packet: {0}")]
    Decode(#[from] DecodeError),
    /// The peer sent a packet that does not belong at this step.
    #[error("expected packet type {expected}, got {got}")]
    UnexpectedPacket {
        /// The type expected.
        expected: u8,
        /// The type received.
        got: u8,
    },
    /// The client's version is not 2.x.
    #[error("client version {0:?} is not supported: this server speaks Cor4 v2")]
    UnsupportedVersion([u8; 4]),
    /// The server asked for an iteration count outside the accepted range.
    #[error("server asked for {0} PBKDF2 iterations, outside the accepted range")]
    BadIterations(u32),
    /// A peer announced a record limit outside the protocol's range.
    #[error("peer announced a record limit of {0} bytes, outside 1024..=16 MiB")]
    BadRecordLimit(u32),
    /// The client could not open the server's reply: the user does not
    /// exist or the password is wrong (deliberately indistinguishable).
    #[error("wrong user name or password")]
    WrongCredentials,
    /// The server opened no first record from the client: wrong password,
    /// unknown user, or the client gave up.
    #[error("the client did not prove it knows the password")]
    NotConfirmed(RecordError),
    /// The server refused the login with a reason only the password holder
    /// can read (locked account, address not allowed, …).
    #[error("login refused: {}", .0.message)]
    Refused(Box<ErrorPacket>),
}

#[cfg(test)]
pub(crate) mod tests;
