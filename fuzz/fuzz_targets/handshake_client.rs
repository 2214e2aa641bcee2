//! The client's login state machine against a hostile server: an arbitrary
//! LOGIN_CHALLENGE body, then an arbitrary sealed reply. Nothing may panic.
//!
//! Input: a mode byte, a u16 little-endian length n, n bytes of challenge
//! body (type byte onward), then the rest. With mode bit 0 clear the rest is
//! the reply record as received; with it set the rest is a plaintext that
//! the target seals under the key the server would use, so what the client
//! does after decryption (frame split, OK or ERROR) is fuzzed too. A sealed
//! plaintext of 1 byte up to the client's record limit must open (an empty
//! one makes a record shorter than §5 allows, which must not), and the login
//! succeeds exactly when it is one frame holding an OK that answers LOGIN.
//!
//! The client is `alice` / `correct horse` with nonce `00 01 … 1f` and
//! record limit 65 536, the login of `docs/protocol.md` §8.3, so that
//! section's vectors are seeds that go all the way. An iteration count the
//! client would accept is lowered to 1 000 first: PBKDF2 at up to ten
//! million iterations would make each run take seconds.
#![no_main]

use cor4_protocol::Packet;
use cor4_protocol::crypto::{
    Direction, MAX_ITERATIONS, MIN_ITERATIONS, PasswordKey, RecordSealer, SessionKeys,
    transcript_hash,
};
use cor4_protocol::handshake::{ClientHandshake, HandshakeError};
use cor4_protocol::packet::{OkDetail, kind, split_frame};
use libfuzzer_sys::fuzz_target;

const USER: &str = "alice";
const PASSWORD: &str = "correct horse";
const MAX_RECORD: u32 = 65_536;
const NONCE: [u8; 32] = {
    let mut n = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        n[i] = i as u8;
        i += 1;
    }
    n
};

/// Lowers an acceptable iteration count (bytes 17..21 of a LOGIN_CHALLENGE
/// body) to the minimum.
fn cap_iterations(body: &mut [u8]) {
    if body.first() != Some(&kind::LOGIN_CHALLENGE) {
        return;
    }
    if let Some(field) = body.get_mut(17..21) {
        let n = u32::from_le_bytes(field.try_into().expect("four bytes"));
        if (MIN_ITERATIONS..=MAX_ITERATIONS).contains(&n) {
            field.copy_from_slice(&MIN_ITERATIONS.to_le_bytes());
        }
    }
}

/// Seals `plaintext` as the server's record 0 under the keys of this login.
fn seal_reply(login_body: &[u8], challenge_body: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let Ok(Packet::LoginChallenge(c)) = Packet::decode(challenge_body, None) else {
        panic!("the client accepted a challenge that does not decode");
    };
    let secret = PasswordKey::from_password(PASSWORD).stretch(&c.salt, c.iterations);
    let keys = SessionKeys::derive(&secret, &transcript_hash(login_body, challenge_body));
    let mut record = Vec::new();
    RecordSealer::new(&keys.server_to_client, Direction::ServerToClient)
        .seal(plaintext, &mut record)
        .expect("a small plaintext seals");
    record
}

/// The flags of a plaintext that is exactly one OK frame answering LOGIN.
fn login_ok(plaintext: &[u8]) -> Option<u8> {
    let (body, used) = split_frame(plaintext, u32::MAX).ok()??;
    if used != plaintext.len() {
        return None;
    }
    match Packet::decode(body, None).ok()? {
        Packet::Ok(ok) if ok.answered == kind::LOGIN => match ok.detail {
            OkDetail::Login { flags } => Some(flags),
            _ => Some(0),
        },
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Some((len, rest)) = rest.split_first_chunk::<2>() else {
        return;
    };
    let len = usize::from(u16::from_le_bytes(*len)).min(rest.len());
    let (challenge, tail) = rest.split_at(len);
    let mut challenge = challenge.to_vec();
    cap_iterations(&mut challenge);

    let (client, login_frame) = ClientHandshake::start_with_nonce(
        USER,
        PasswordKey::from_password(PASSWORD),
        MAX_RECORD,
        NONCE,
    );
    let Ok(awaiting) = client.on_challenge(&challenge) else {
        return;
    };
    let sealed = mode & 1 == 1;
    let mut record = if sealed {
        seal_reply(&login_frame[4..], &challenge, tail)
    } else {
        tail.to_vec()
    };
    let outcome = awaiting.on_reply(&mut record);
    if sealed {
        let fits = (1..=MAX_RECORD as usize).contains(&tail.len());
        assert_eq!(
            matches!(outcome, Err(HandshakeError::WrongCredentials)),
            !fits,
            "{outcome:?}"
        );
        if fits {
            assert_eq!(outcome.as_ref().ok().map(|e| e.flags), login_ok(tail));
        }
    }
});
