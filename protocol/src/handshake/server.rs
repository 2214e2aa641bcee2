//! The server's side of the login.

use opaque_ke::{
    CredentialFinalization, CredentialRequest, Identifiers, ServerLogin, ServerLoginParameters,
};
use rand_core_06::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::{Channel, HandshakeError, LOGIN_REPLY_LEN, opaque_context};
use crate::crypto::{
    Direction, KE1_LEN, KE2_LEN, KsfParams, MAX_RECORD_LIMIT, MIN_RECORD_LIMIT, RecordOpener,
    RecordSealer, ServerKeys, SessionKeys, Suite, Verifier, os_rng, transcript_hash,
};
use crate::error_code::ErrorCode;
use crate::packet::{
    ErrorPacket, Login, LoginFields, LoginResponse, OkDetail, OkPacket, Packet, kind,
};

/// Starts the server's side of a login.
#[derive(Debug)]
pub struct ServerHandshake;

impl ServerHandshake {
    /// Handles the clear LOGIN frame body. A client that is not 3.x gets
    /// [`HandshakeError::UnsupportedVersion`] (answer it with ERROR 6).
    pub fn on_login(login_body: &[u8]) -> Result<AwaitLookup, HandshakeError> {
        let login = match Packet::decode(login_body, None)? {
            Packet::Login(l) => l,
            other => {
                return Err(HandshakeError::UnexpectedPacket {
                    expected: kind::LOGIN,
                    got: other.kind(),
                });
            }
        };
        let v3 = match (&login.fields, login.version[0]) {
            (LoginFields::V3(v3), 3) => *v3,
            _ => return Err(HandshakeError::UnsupportedVersion(login.version)),
        };
        if !(MIN_RECORD_LIMIT..=MAX_RECORD_LIMIT).contains(&v3.max_record) {
            return Err(HandshakeError::BadRecordLimit(v3.max_record));
        }
        let request = CredentialRequest::<Suite>::deserialize(&v3.ke1)
            .map_err(|_| HandshakeError::MalformedPake("KE1"))?;
        Ok(AwaitLookup {
            client_max_record: v3.max_record,
            login,
            login_body: login_body.to_vec(),
            request,
        })
    }
}

/// LOGIN received; the caller looks the user up.
pub struct AwaitLookup {
    login: Login,
    login_body: Vec<u8>,
    client_max_record: u32,
    request: CredentialRequest<Suite>,
}

impl std::fmt::Debug for AwaitLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwaitLookup")
            .field("user", &self.login.user)
            .finish_non_exhaustive()
    }
}

/// How to answer the user named in LOGIN.
#[derive(Debug, Clone, Copy)]
pub enum Account<'a> {
    /// Let the client prove the password against this verifier.
    Verifier(&'a Verifier),
    /// Answer with a fake record (RFC 9807 §10.9): no password can succeed,
    /// and no guess can be tested. For users that do not exist and for
    /// users refused before any proof (locked, address not allowed, rate
    /// limited), so that neither existence nor the lock shows and the
    /// lockout stops online guessing. `ksf` is the cost to show: the
    /// user's own for a known user, the default for an unknown one.
    Fake {
        /// The Argon2id cost announced in LOGIN_RESPONSE.
        ksf: KsfParams,
    },
}

impl AwaitLookup {
    /// The user name from LOGIN.
    pub fn user(&self) -> &str {
        &self.login.user
    }

    /// The client's version bytes.
    pub fn client_version(&self) -> [u8; 4] {
        self.login.version
    }

    /// Builds the LOGIN_RESPONSE frame for `account` with the deployment's
    /// `keys`; `max_record` is the largest record plaintext this server
    /// accepts. Costs a few group operations, never Argon2id.
    pub fn respond(
        self,
        keys: &ServerKeys,
        account: Account<'_>,
        max_record: u32,
    ) -> Result<(AwaitFinish, Vec<u8>), HandshakeError> {
        self.respond_with(&mut os_rng(), keys, account, max_record)
    }

    fn respond_with<R: RngCore + CryptoRng>(
        self,
        rng: &mut R,
        keys: &ServerKeys,
        account: Account<'_>,
        max_record: u32,
    ) -> Result<(AwaitFinish, Vec<u8>), HandshakeError> {
        let (record, ksf) = match account {
            Account::Verifier(v) => (Some(v.record.clone()), v.ksf()),
            Account::Fake { ksf } => (None, ksf),
        };
        let genuine = record.is_some();
        // The frame without KE2 gives OPAQUE's context; KE2 is appended.
        let mut frame = Packet::LoginResponse(Box::new(LoginResponse {
            max_record,
            ksf,
            ke2: [0; KE2_LEN],
        }))
        .to_frame();
        frame.truncate(frame.len() - KE2_LEN);
        let context = opaque_context(
            &self.login_body[..self.login_body.len() - KE1_LEN],
            &frame[4..],
        );
        let started = ServerLogin::start(
            rng,
            &keys.0,
            record,
            self.request,
            self.login.user.as_bytes(),
            ServerLoginParameters {
                context: Some(&context),
                identifiers: Identifiers::default(),
            },
        )
        .map_err(|_| HandshakeError::MalformedPake("KE1"))?;
        let ke2 = started.message.serialize();
        if ke2.len() != KE2_LEN {
            return Err(HandshakeError::MalformedPake("KE2 length"));
        }
        frame.extend_from_slice(&ke2);
        let state = AwaitFinish {
            login_body: self.login_body,
            response_body: frame[4..].to_vec(),
            context,
            opaque: started.state,
            genuine,
            client_max_record: self.client_max_record,
            max_record,
        };
        Ok((state, frame))
    }
}

/// LOGIN_RESPONSE sent; waiting for LOGIN_FINISH.
pub struct AwaitFinish {
    login_body: Vec<u8>,
    response_body: Vec<u8>,
    context: Vec<u8>,
    opaque: ServerLogin<Suite>,
    genuine: bool,
    client_max_record: u32,
    max_record: u32,
}

impl std::fmt::Debug for AwaitFinish {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwaitFinish")
            .field("genuine", &self.genuine)
            .finish_non_exhaustive()
    }
}

impl AwaitFinish {
    /// Whether the response came from a real verifier (not a fake record).
    pub fn is_genuine(&self) -> bool {
        self.genuine
    }

    /// Handles the LOGIN_FINISH frame body: checks the client's MAC. Success
    /// proves the client knows the password; the session keys follow.
    pub fn on_finish(self, finish_body: &[u8]) -> Result<Verified, HandshakeError> {
        let ke3 = match Packet::decode(finish_body, None)? {
            Packet::LoginFinish(ke3) => ke3,
            other => {
                return Err(HandshakeError::UnexpectedPacket {
                    expected: kind::LOGIN_FINISH,
                    got: other.kind(),
                });
            }
        };
        let ke3 = CredentialFinalization::<Suite>::deserialize(&ke3)
            .map_err(|_| HandshakeError::NotConfirmed)?;
        let finished = self
            .opaque
            .finish(
                ke3,
                ServerLoginParameters {
                    context: Some(&self.context),
                    identifiers: Identifiers::default(),
                },
            )
            .map_err(|_| HandshakeError::NotConfirmed)?;
        if !self.genuine {
            // Unreachable in practice: a fake record's client key has no
            // private half anyone knows. Refuse anyway.
            return Err(HandshakeError::NotConfirmed);
        }
        let session_key = Zeroizing::new(finished.session_key.to_vec());
        let transcript = transcript_hash(&[&self.login_body, &self.response_body, finish_body]);
        Ok(Verified {
            keys: SessionKeys::derive(&session_key, &transcript),
            client_max_record: self.client_max_record,
            max_record: self.max_record,
        })
    }
}

/// The client proved the password; the caller lets it in or refuses.
pub struct Verified {
    keys: SessionKeys,
    client_max_record: u32,
    max_record: u32,
}

impl std::fmt::Debug for Verified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verified(..)")
    }
}

impl Verified {
    /// Lets the client in with `LOGIN_FLAG_*` `flags`: returns the channel
    /// and the sealed OK record to send (server→client record 0).
    pub fn accept(self, flags: u8) -> (Channel, Vec<u8>) {
        let reply = Packet::Ok(OkPacket {
            answered: kind::LOGIN,
            random: Vec::new(),
            detail: OkDetail::Login { flags },
        });
        self.seal_reply(reply)
    }

    /// Refuses after the proof (for reasons only the password holder
    /// should read): returns the sealed ERROR record to send before
    /// closing. `message` is cut to fit the reply.
    pub fn refuse(self, code: ErrorCode, message: &str) -> Vec<u8> {
        let mut message = message.to_owned();
        let room = LOGIN_REPLY_LEN - 40;
        if message.len() > room {
            let mut cut = room;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            message.truncate(cut);
        }
        let reply = Packet::Error(ErrorPacket {
            answered: kind::LOGIN,
            code: code.as_i32(),
            message,
            ..ErrorPacket::default()
        });
        self.seal_reply(reply).1
    }

    fn seal_reply(self, reply: Packet) -> (Channel, Vec<u8>) {
        let plaintext = padded_reply(reply);
        let mut sealer = RecordSealer::new(&self.keys.server_to_client, Direction::ServerToClient);
        let mut out = Vec::new();
        // The reply is LOGIN_REPLY_LEN bytes, far below any record limit, and
        // the counter is fresh: sealing cannot fail.
        let sealed = sealer.seal(&plaintext, &mut out);
        debug_assert!(sealed.is_ok());
        let channel = Channel {
            sealer,
            opener: RecordOpener::new(
                &self.keys.client_to_server,
                Direction::ClientToServer,
                self.max_record,
            ),
            peer_max_record: self.client_max_record,
        };
        (channel, out)
    }

    /// The session keys: test vectors only.
    #[cfg(any(test, feature = "test-vectors"))]
    #[doc(hidden)]
    pub fn keys(&self) -> &SessionKeys {
        &self.keys
    }
}

/// Pads the reply packet's random data with zeros so the frame is exactly
/// `LOGIN_REPLY_LEN` bytes.
fn padded_reply(mut reply: Packet) -> Vec<u8> {
    let bare = reply.to_frame().len();
    let fill = vec![0u8; LOGIN_REPLY_LEN.saturating_sub(bare)];
    match &mut reply {
        Packet::Ok(ok) => ok.random = fill,
        Packet::Error(e) => e.random = fill,
        _ => {}
    }
    let frame = reply.to_frame();
    debug_assert_eq!(frame.len(), LOGIN_REPLY_LEN, "login reply message too long");
    frame
}

#[cfg(any(test, feature = "test-vectors"))]
impl AwaitLookup {
    /// [`respond`](Self::respond) drawing from a fixed random stream: test
    /// vectors and fuzzing only.
    #[doc(hidden)]
    pub fn respond_fixed(
        self,
        rng: &mut crate::crypto::FixedRandom,
        keys: &ServerKeys,
        account: Account<'_>,
        max_record: u32,
    ) -> Result<(AwaitFinish, Vec<u8>), HandshakeError> {
        self.respond_with(rng, keys, account, max_record)
    }
}
