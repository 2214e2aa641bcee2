//! The Cor4 v3 login, for both ends, as state machines over bytes: OPAQUE
//! (RFC 9807) with K = MD5(password) as the password input.
//!
//! ```text
//! client                                          server
//!   LOGIN (clear): user, version 3.0.0.0,
//!         max_record, KE1            ───────►
//!                                                looks the user up: a verifier,
//!                                                or a fake record (unknown user,
//!                                                locked or refused account)
//!                  ◄─────── LOGIN_RESPONSE (clear): max_record, Argon2id cost, KE2
//!   Argon2id, open the envelope, check the
//!   server's MAC — or fail here, having sent
//!   nothing that tests a second guess
//!   LOGIN_FINISH (clear): KE3        ───────►    checks the client's MAC: the
//!                                                client knows the password
//!                  ◄─────── sealed record (s→c #0): OK (flags) or ERROR,
//!                                   padded to LOGIN_REPLY_LEN bytes
//!   keys = HKDF(OPAQUE session key, SHA-256(LOGIN ‖ LOGIN_RESPONSE ‖ LOGIN_FINISH))
//! ```
//!
//! Each state is its own type; handling input consumes it and returns the
//! next, so a step cannot be skipped or repeated.

mod client;
mod server;

pub use client::{AwaitReply, AwaitResponse, ClientEstablished, ClientHandshake};
pub use server::{Account, AwaitFinish, AwaitLookup, ServerHandshake, Verified};

use crate::crypto::{KsfParams, PakeError, RecordOpener, RecordSealer};
use crate::error::DecodeError;
use crate::packet::ErrorPacket;
use thiserror::Error;

/// Plaintext bytes of the sealed login reply: one OK or ERROR frame, its
/// random data padded with zeros so every reply has this length.
pub const LOGIN_REPLY_LEN: usize = 128;

/// Domain separation at the start of OPAQUE's context (§6.1 of
/// `docs/protocol.md`): the context is this label, the LOGIN body before
/// KE1 and the LOGIN_RESPONSE body before KE2.
const CONTEXT_LABEL: &[u8] = b"cor4 v3 login";

/// OPAQUE's context for one login: binds every clear field (user name,
/// version, record limits, Argon2id cost) into both MACs.
fn opaque_context(login_head: &[u8], response_head: &[u8]) -> Vec<u8> {
    let mut context =
        Vec::with_capacity(CONTEXT_LABEL.len() + login_head.len() + response_head.len());
    context.extend_from_slice(CONTEXT_LABEL);
    context.extend_from_slice(login_head);
    context.extend_from_slice(response_head);
    context
}

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
    /// The client's version is not 3.x.
    #[error("client version {0:?} is not supported: this server speaks Cor4 v3")]
    UnsupportedVersion([u8; 4]),
    /// The server announced an Argon2id cost outside what the client
    /// computes.
    #[error("the server asked for {0}")]
    BadKsf(PakeError),
    /// A peer announced a record limit outside the protocol's range.
    #[error("peer announced a record limit of {0} bytes, outside 1024..=16 MiB")]
    BadRecordLimit(u32),
    /// An OPAQUE message is not a valid encoding (a point off the group).
    #[error("malformed OPAQUE {0}")]
    MalformedPake(&'static str),
    /// The server's answer did not prove that it holds the user's
    /// verifier: the user name or password is wrong, the account is locked
    /// or refused, or the server is not the real proxy. These are
    /// indistinguishable by design; the client sent nothing after it.
    #[error(
        "the server could not prove it knows the password: the user name or password is \
         wrong, the account is locked, or this is not the real cor4 proxy"
    )]
    WrongCredentials,
    /// The client's KE3 did not verify: it does not know the password (or
    /// the account was answered with a fake record).
    #[error("the client did not prove it knows the password")]
    NotConfirmed,
    /// The server refused the login after it was proven, with a reason
    /// only the password holder can read.
    #[error("login refused: {}", .0.message)]
    Refused(Box<ErrorPacket>),
    /// A local OPAQUE computation failed (Argon2id could not allocate).
    #[error("{0}")]
    Pake(PakeError),
}

impl From<PakeError> for HandshakeError {
    fn from(e: PakeError) -> Self {
        match e {
            PakeError::KsfOutOfRange(_) => HandshakeError::BadKsf(e),
            other => HandshakeError::Pake(other),
        }
    }
}

/// Checks a peer's announced Argon2id cost.
fn check_ksf(ksf: KsfParams) -> Result<(), HandshakeError> {
    ksf.check().map_err(HandshakeError::BadKsf)
}

#[cfg(test)]
pub(crate) mod tests;
