//! The client's side of the login.

use opaque_ke::{
    ClientLogin, ClientLoginFinishParameters, CredentialResponse, Identifiers,
    errors::{InternalError, ProtocolError},
};
use rand_core_06::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::{Channel, HandshakeError, LOGIN_REPLY_LEN, check_ksf, opaque_context};
use crate::crypto::{
    Direction, KE1_LEN, KE2_LEN, MAX_RECORD_LIMIT, MIN_RECORD_LIMIT, PakeError, PasswordKey,
    RECORD_HEADER_LEN, RecordOpener, RecordSealer, SessionKeys, Suite, TAG_LEN, os_rng,
    transcript_hash,
};
use crate::error::DecodeError;
use crate::packet::{
    Login, LoginFields, LoginV3, OkDetail, PROTOCOL_VERSION, Packet, kind, split_frame,
};

/// Starts a login.
#[derive(Debug)]
pub struct ClientHandshake;

impl ClientHandshake {
    /// Builds the LOGIN frame: the user name, this client's record limit
    /// (`max_record`, the largest record plaintext it accepts) and OPAQUE's
    /// KE1 for K.
    pub fn start(
        user: &str,
        key: PasswordKey,
        max_record: u32,
    ) -> Result<(AwaitResponse, Vec<u8>), HandshakeError> {
        Self::start_with(&mut os_rng(), user, key, max_record)
    }

    fn start_with<R: RngCore + CryptoRng>(
        rng: &mut R,
        user: &str,
        key: PasswordKey,
        max_record: u32,
    ) -> Result<(AwaitResponse, Vec<u8>), HandshakeError> {
        let started = ClientLogin::<Suite>::start(rng, key.as_bytes())
            .map_err(|_| HandshakeError::Pake(PakeError::Failed))?;
        let ke1: [u8; KE1_LEN] = started
            .message
            .serialize()
            .as_slice()
            .try_into()
            .map_err(|_| HandshakeError::MalformedPake("KE1 length"))?;
        let frame = Packet::Login(Login {
            user: user.to_owned(),
            version: PROTOCOL_VERSION,
            fields: LoginFields::V3(LoginV3 { max_record, ke1 }),
        })
        .to_frame();
        let state = AwaitResponse {
            login_body: frame[4..].to_vec(),
            key,
            max_record,
            opaque: started.state,
        };
        Ok((state, frame))
    }
}

/// LOGIN sent; waiting for LOGIN_RESPONSE.
pub struct AwaitResponse {
    login_body: Vec<u8>,
    key: PasswordKey,
    max_record: u32,
    opaque: ClientLogin<Suite>,
}

impl std::fmt::Debug for AwaitResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwaitResponse")
            .field("max_record", &self.max_record)
            .finish_non_exhaustive()
    }
}

impl AwaitResponse {
    /// Handles the LOGIN_RESPONSE frame body: runs Argon2id at the
    /// announced cost (the expensive step: keep it off async threads),
    /// opens the envelope and checks the server's MAC. On success returns
    /// the LOGIN_FINISH frame to send; on failure nothing must be sent.
    pub fn on_response(
        self,
        response_body: &[u8],
    ) -> Result<(AwaitReply, Vec<u8>), HandshakeError> {
        self.on_response_with(&mut os_rng(), response_body)
    }

    fn on_response_with<R: RngCore + CryptoRng>(
        self,
        rng: &mut R,
        response_body: &[u8],
    ) -> Result<(AwaitReply, Vec<u8>), HandshakeError> {
        let response = match Packet::decode(response_body, None)? {
            Packet::LoginResponse(r) => r,
            other => {
                return Err(HandshakeError::UnexpectedPacket {
                    expected: kind::LOGIN_RESPONSE,
                    got: other.kind(),
                });
            }
        };
        if !(MIN_RECORD_LIMIT..=MAX_RECORD_LIMIT).contains(&response.max_record) {
            return Err(HandshakeError::BadRecordLimit(response.max_record));
        }
        check_ksf(response.ksf)?;
        let argon2 = response.ksf.argon2()?;
        let ke2 = CredentialResponse::<Suite>::deserialize(&response.ke2)
            .map_err(|_| HandshakeError::WrongCredentials)?;
        let context = opaque_context(
            &self.login_body[..self.login_body.len() - KE1_LEN],
            &response_body[..response_body.len() - KE2_LEN],
        );
        let finished = self
            .opaque
            .finish(
                rng,
                self.key.as_bytes(),
                ke2,
                ClientLoginFinishParameters::new(
                    Some(&context),
                    Identifiers::default(),
                    Some(&argon2),
                ),
            )
            .map_err(|e| match e {
                ProtocolError::LibraryError(InternalError::KsfError) => {
                    HandshakeError::Pake(PakeError::Failed)
                }
                // A wrong password, a fake record, a forged or altered
                // KE2: the server did not prove it holds the verifier.
                _ => HandshakeError::WrongCredentials,
            })?;
        let frame = Packet::LoginFinish(
            finished
                .message
                .serialize()
                .as_slice()
                .try_into()
                .map_err(|_| HandshakeError::MalformedPake("KE3 length"))?,
        )
        .to_frame();
        let session_key = Zeroizing::new(finished.session_key.to_vec());
        let transcript = transcript_hash(&[&self.login_body, response_body, &frame[4..]]);
        let keys = SessionKeys::derive(&session_key, &transcript);
        Ok((
            AwaitReply {
                keys,
                max_record: self.max_record,
                server_max_record: response.max_record,
            },
            frame,
        ))
    }
}

/// LOGIN_FINISH sent; waiting for the sealed reply.
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

    /// Opens the sealed reply record (header included): OK lets the client
    /// in; ERROR is a refusal after the password was proven (the server
    /// could not start the session). A record that does not open means the
    /// clear packets were altered on the way.
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
        let (body, used) = split_frame(plaintext, u32::MAX)?.ok_or(DecodeError::Truncated {
            field: "login reply",
            needed: 1,
        })?;
        if used != plaintext.len() {
            return Err(DecodeError::TrailingBytes(plaintext.len() - used).into());
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

    /// The session keys: test vectors only.
    #[cfg(any(test, feature = "test-vectors"))]
    #[doc(hidden)]
    pub fn keys(&self) -> &SessionKeys {
        &self.keys
    }
}

#[cfg(any(test, feature = "test-vectors"))]
impl ClientHandshake {
    /// [`start`](Self::start) drawing from a fixed random stream: test
    /// vectors and fuzzing only.
    #[doc(hidden)]
    pub fn start_fixed(
        rng: &mut crate::crypto::FixedRandom,
        user: &str,
        key: PasswordKey,
        max_record: u32,
    ) -> Result<(AwaitResponse, Vec<u8>), HandshakeError> {
        Self::start_with(rng, user, key, max_record)
    }
}

#[cfg(any(test, feature = "test-vectors"))]
impl AwaitResponse {
    /// [`on_response`](Self::on_response) drawing from a fixed random
    /// stream: test vectors and fuzzing only.
    #[doc(hidden)]
    pub fn on_response_fixed(
        self,
        rng: &mut crate::crypto::FixedRandom,
        response_body: &[u8],
    ) -> Result<(AwaitReply, Vec<u8>), HandshakeError> {
        self.on_response_with(rng, response_body)
    }
}
