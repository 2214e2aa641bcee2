//! The client's side of the login.

use super::{Channel, HandshakeError, LOGIN_REPLY_LEN};
use crate::crypto::{
    Direction, MAX_ITERATIONS, MAX_RECORD_LIMIT, MIN_ITERATIONS, MIN_RECORD_LIMIT, PasswordKey,
    RECORD_HEADER_LEN, RecordOpener, RecordSealer, SessionKeys, TAG_LEN, transcript_hash,
};
use crate::packet::{
    Login, LoginChallenge, LoginV2, NONCE_LEN, OkDetail, PROTOCOL_VERSION, Packet, kind,
    split_frame,
};

/// Starts a login.
#[derive(Debug)]
pub struct ClientHandshake;

impl ClientHandshake {
    /// Builds the LOGIN frame with a fresh nonce. `max_record` is the largest
    /// record plaintext this client accepts.
    pub fn start(user: &str, key: PasswordKey, max_record: u32) -> (AwaitChallenge, Vec<u8>) {
        let mut nonce = [0u8; NONCE_LEN];
        rand::fill(&mut nonce);
        Self::start_with_nonce(user, key, max_record, nonce)
    }

    /// As [`start`](Self::start) with a given nonce: for test vectors only.
    pub fn start_with_nonce(
        user: &str,
        key: PasswordKey,
        max_record: u32,
        nonce: [u8; NONCE_LEN],
    ) -> (AwaitChallenge, Vec<u8>) {
        let frame = Packet::Login(Login {
            user: user.to_owned(),
            version: PROTOCOL_VERSION,
            v2: Some(LoginV2 { nonce, max_record }),
        })
        .to_frame();
        let state = AwaitChallenge {
            login_body: frame[4..].to_vec(),
            key,
            max_record,
        };
        (state, frame)
    }
}

/// LOGIN sent; waiting for LOGIN_CHALLENGE.
#[derive(Debug)]
pub struct AwaitChallenge {
    login_body: Vec<u8>,
    key: PasswordKey,
    max_record: u32,
}

impl AwaitChallenge {
    /// Handles the LOGIN_CHALLENGE frame body: stretches the password with
    /// the announced salt and iterations (the expensive step) and derives the
    /// session keys.
    pub fn on_challenge(self, challenge_body: &[u8]) -> Result<AwaitReply, HandshakeError> {
        let challenge = match Packet::decode(challenge_body, None)? {
            Packet::LoginChallenge(c) => c,
            other => {
                return Err(HandshakeError::UnexpectedPacket {
                    expected: kind::LOGIN_CHALLENGE,
                    got: other.kind(),
                });
            }
        };
        let LoginChallenge {
            salt,
            iterations,
            max_record: server_max_record,
            ..
        } = challenge;
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(HandshakeError::BadIterations(iterations));
        }
        if !(MIN_RECORD_LIMIT..=MAX_RECORD_LIMIT).contains(&server_max_record) {
            return Err(HandshakeError::BadRecordLimit(server_max_record));
        }
        let secret = self.key.stretch(&salt, iterations);
        let keys = SessionKeys::derive(&secret, &transcript_hash(&self.login_body, challenge_body));
        Ok(AwaitReply {
            keys,
            max_record: self.max_record,
            server_max_record,
        })
    }
}

/// Keys derived; waiting for the sealed reply.
#[derive(Debug)]
pub struct AwaitReply {
    keys: SessionKeys,
    max_record: u32,
    server_max_record: u32,
}

/// A successful login.
#[derive(Debug)]
pub struct ClientEstablished {
    /// The record channel.
    pub channel: Channel,
    /// The OK's `LOGIN_FLAG_*` bits.
    pub flags: u8,
}

impl AwaitReply {
    /// The exact length of the sealed reply record, header included.
    pub const REPLY_RECORD_LEN: usize = RECORD_HEADER_LEN + LOGIN_REPLY_LEN + TAG_LEN;

    /// Opens the sealed reply record (header included). Failing to open it
    /// means wrong credentials; an ERROR inside means the server refused a
    /// correct password (locked, address not allowed, …).
    pub fn on_reply(self, record: &mut [u8]) -> Result<ClientEstablished, HandshakeError> {
        let mut opener = RecordOpener::new(
            &self.keys.server_to_client,
            Direction::ServerToClient,
            self.max_record,
        );
        let range = match opener.open_in_place(record) {
            Ok(Some((range, total))) if total == record.len() => range,
            _ => return Err(HandshakeError::WrongCredentials),
        };
        let plaintext = &record[range];
        let (body, used) =
            split_frame(plaintext, u32::MAX)?.ok_or(crate::error::DecodeError::Truncated {
                field: "login reply",
                needed: 1,
            })?;
        if used != plaintext.len() {
            return Err(crate::error::DecodeError::TrailingBytes(plaintext.len() - used).into());
        }
        match Packet::decode(body, None)? {
            Packet::Ok(ok) if ok.answered == kind::LOGIN => {
                let flags = match ok.detail {
                    OkDetail::Login { flags } => flags,
                    _ => 0,
                };
                Ok(ClientEstablished {
                    channel: Channel {
                        sealer: RecordSealer::new(
                            &self.keys.client_to_server,
                            Direction::ClientToServer,
                        ),
                        opener,
                        peer_max_record: self.server_max_record,
                    },
                    flags,
                })
            }
            Packet::Error(e) => Err(HandshakeError::Refused(Box::new(e))),
            other => Err(HandshakeError::UnexpectedPacket {
                expected: kind::OK,
                got: other.kind(),
            }),
        }
    }
}
