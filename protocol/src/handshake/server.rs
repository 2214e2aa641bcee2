//! The server's side of the login.

use super::{Channel, HandshakeError, LOGIN_REPLY_LEN};
use crate::crypto::{
    Direction, MAX_RECORD_LIMIT, MIN_RECORD_LIMIT, RecordOpener, RecordSealer, SessionKeys,
    StretchedSecret, transcript_hash,
};
use crate::error_code::ErrorCode;
use crate::packet::{
    ErrorPacket, Login, LoginChallenge, NONCE_LEN, OkDetail, OkPacket, Packet, SALT_LEN, kind,
};

/// Starts the server's side of a login.
#[derive(Debug)]
pub struct ServerHandshake;

impl ServerHandshake {
    /// Handles the clear LOGIN frame body.
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
        let Some(v2) = login.v2 else {
            return Err(HandshakeError::UnsupportedVersion(login.version));
        };
        if login.version[0] != 2 {
            return Err(HandshakeError::UnsupportedVersion(login.version));
        }
        if !(MIN_RECORD_LIMIT..=MAX_RECORD_LIMIT).contains(&v2.max_record) {
            return Err(HandshakeError::BadRecordLimit(v2.max_record));
        }
        Ok(AwaitLookup {
            client_max_record: v2.max_record,
            login,
            login_body: login_body.to_vec(),
        })
    }
}

/// LOGIN received; the caller looks the user up.
#[derive(Debug)]
pub struct AwaitLookup {
    login: Login,
    login_body: Vec<u8>,
    client_max_record: u32,
}

/// What the user store knows about the user named in LOGIN.
#[derive(Debug)]
pub enum Account {
    /// The user exists.
    Known {
        /// The stored S.
        secret: StretchedSecret,
        /// The stored salt.
        salt: [u8; SALT_LEN],
        /// The stored iteration count.
        iterations: u32,
        /// Whether to let the user in.
        verdict: Verdict,
    },
    /// No such user: answer with a fake salt and a reply nobody can open.
    Unknown {
        /// From [`crate::crypto::fake_salt`].
        fake_salt: [u8; SALT_LEN],
        /// The default iteration count, as a real user would have.
        iterations: u32,
    },
}

/// Whether a known user may log in. Either way the reply is sealed under
/// the user's key, so only the password holder learns which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Let the user in with these `LOGIN_FLAG_*` flags.
    Accept {
        /// `LOGIN_FLAG_*` bits.
        flags: u8,
    },
    /// Refuse with this code and a short message (at most 80 bytes).
    Refuse {
        /// Why.
        code: ErrorCode,
        /// What the user should do.
        message: &'static str,
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

    /// Builds the reply (LOGIN_CHALLENGE frame, then the sealed OK or
    /// ERROR record) for `account`. `max_record` is the largest record
    /// plaintext this server accepts.
    pub fn respond(self, account: Account, max_record: u32) -> (AwaitConfirm, Vec<u8>) {
        let mut nonce = [0u8; NONCE_LEN];
        rand::fill(&mut nonce);
        let mut padding = [0u8; LOGIN_REPLY_LEN];
        rand::fill(&mut padding);
        self.respond_with(account, max_record, nonce, &padding)
    }

    /// As [`respond`](Self::respond) with a given nonce and padding: for
    /// test vectors only.
    pub fn respond_with(
        self,
        account: Account,
        max_record: u32,
        nonce: [u8; NONCE_LEN],
        padding: &[u8; LOGIN_REPLY_LEN],
    ) -> (AwaitConfirm, Vec<u8>) {
        let (salt, iterations) = match &account {
            Account::Known {
                salt, iterations, ..
            } => (*salt, *iterations),
            Account::Unknown {
                fake_salt,
                iterations,
            } => (*fake_salt, *iterations),
        };
        let challenge = Packet::LoginChallenge(LoginChallenge {
            salt,
            iterations,
            nonce,
            max_record,
        });
        let mut out = challenge.to_frame();
        let transcript = transcript_hash(&self.login_body, &out[4..]);
        let (keys, reply, verdict) = match account {
            Account::Known {
                secret, verdict, ..
            } => {
                let keys = SessionKeys::derive(&secret, &transcript);
                let reply = match &verdict {
                    Verdict::Accept { flags } => Packet::Ok(OkPacket {
                        answered: kind::LOGIN,
                        random: Vec::new(),
                        detail: OkDetail::Login { flags: *flags },
                    }),
                    Verdict::Refuse { code, message } => Packet::Error(ErrorPacket {
                        answered: kind::LOGIN,
                        code: code.as_i32(),
                        message: (*message).to_owned(),
                        ..ErrorPacket::default()
                    }),
                };
                (keys, reply, Some(verdict))
            }
            Account::Unknown { .. } => {
                // Same packet shape as a refusal, sealed under keys nobody has.
                let reply = Packet::Error(ErrorPacket {
                    answered: kind::LOGIN,
                    code: ErrorCode::LoginFailed.as_i32(),
                    message: "wrong user name or password".to_owned(),
                    ..ErrorPacket::default()
                });
                (SessionKeys::random(), reply, None)
            }
        };
        let plaintext = padded_reply(reply, padding);
        let mut sealer = RecordSealer::new(&keys.server_to_client, Direction::ServerToClient);
        // The reply is LOGIN_REPLY_LEN bytes, far below any record limit, and
        // the counter is fresh: sealing cannot fail.
        let sealed = sealer.seal(&plaintext, &mut out);
        debug_assert!(sealed.is_ok());
        let accepted = matches!(verdict, Some(Verdict::Accept { .. }));
        let channel = Channel {
            sealer,
            opener: RecordOpener::new(
                &keys.client_to_server,
                Direction::ClientToServer,
                max_record,
            ),
            peer_max_record: self.client_max_record,
        };
        (
            AwaitConfirm {
                channel,
                verdict,
                accepted,
            },
            out,
        )
    }
}

/// Pads the reply packet's random data so the frame is exactly
/// `LOGIN_REPLY_LEN` bytes.
fn padded_reply(mut reply: Packet, padding: &[u8; LOGIN_REPLY_LEN]) -> Vec<u8> {
    let bare = reply.to_frame().len();
    let fill = LOGIN_REPLY_LEN.saturating_sub(bare);
    match &mut reply {
        Packet::Ok(ok) => ok.random = padding[..fill].to_vec(),
        Packet::Error(e) => e.random = padding[..fill].to_vec(),
        _ => {}
    }
    let frame = reply.to_frame();
    debug_assert_eq!(frame.len(), LOGIN_REPLY_LEN, "login reply message too long");
    frame
}

/// Reply sent; waiting for the client's first record.
#[derive(Debug)]
pub struct AwaitConfirm {
    channel: Channel,
    verdict: Option<Verdict>,
    accepted: bool,
}

impl AwaitConfirm {
    /// `None` for an unknown user, else the verdict that was sealed.
    pub fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }

    /// Opens the client's first record (header included) in place. Success
    /// proves the client derived the same keys, i.e. knows the password.
    /// Returns the channel and the plaintext range within `record`.
    pub fn on_first_record(
        mut self,
        record: &mut [u8],
    ) -> Result<(Channel, std::ops::Range<usize>), HandshakeError> {
        match self.channel.opener.open_in_place(record) {
            Ok(Some((range, total))) if total == record.len() && self.accepted => {
                Ok((self.channel, range))
            }
            Ok(_) => Err(HandshakeError::NotConfirmed(
                crate::error::RecordError::Unauthentic,
            )),
            Err(e) => Err(HandshakeError::NotConfirmed(e)),
        }
    }

    /// The channel's opener, to check the first record's header before
    /// reading its body.
    pub fn opener(&self) -> &RecordOpener {
        &self.channel.opener
    }
}
