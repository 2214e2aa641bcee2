//! The client's v3 login state machine against a hostile server: an
//! arbitrary LOGIN_RESPONSE, then an arbitrary sealed reply. Nothing may
//! panic.
//!
//! Input: a mode byte, then with mode bit 1 clear a u16 little-endian
//! length n and n bytes of LOGIN_RESPONSE body (type byte onward); with it
//! set the genuine LOGIN_RESPONSE of `docs/protocol.md` §8.3 is used. Then
//! the rest: with mode bit 0 clear the reply record as received; with it
//! set a plaintext that the target seals under the key the real server
//! derived, so what the client does after decryption (frame split, OK or
//! ERROR) is fuzzed too.
//!
//! Asserted: the client accepts a LOGIN_RESPONSE only if it is the genuine
//! one (anything else would be a forged server MAC: mutual authentication);
//! a sealed plaintext of 1 byte up to the client's record limit opens, and
//! the login succeeds exactly when it is one frame holding an OK that
//! answers LOGIN.
//!
//! The client is §8.3's (`alice` / `correct horse`, its fixed randomness),
//! so the genuine response goes all the way. An Argon2id cost the client
//! would accept is lowered to §8.3's (1 024 KiB, 1 pass, 1 lane) when it is
//! higher, so that a run does not spend seconds in Argon2id.
#![no_main]

use std::sync::OnceLock;

use cor4_protocol::Packet;
use cor4_protocol::crypto::{
    Direction, FixedRandom, KsfParams, PasswordKey, RecordSealer, ServerKeys, Verifier,
};
use cor4_protocol::handshake::{Account, ClientHandshake, HandshakeError, ServerHandshake};
use cor4_protocol::packet::{OkDetail, kind, split_frame};
use libfuzzer_sys::fuzz_target;

const USER: &str = "alice";
const PASSWORD: &str = "correct horse";
const MAX_RECORD: u32 = 65_536;
const CHEAP: KsfParams = KsfParams {
    memory_kib: 1024,
    iterations: 1,
    parallelism: 1,
};

/// §8.3's server: its keys, `alice`'s verifier, the LOGIN_RESPONSE body to
/// the client's LOGIN, and the session keys' s→c half after KE3.
struct Genuine {
    response: Vec<u8>,
    server_to_client: [u8; 16],
}

fn genuine() -> &'static Genuine {
    static G: OnceLock<Genuine> = OnceLock::new();
    G.get_or_init(|| {
        let keys = ServerKeys::generate_fixed(&mut FixedRandom::new(0x40));
        let key = PasswordKey::from_password(PASSWORD);
        let v = Verifier::register_fixed(&mut FixedRandom::new(0x60), &keys, USER, &key, CHEAP)
            .expect("registration");
        let (client, login) = start();
        let (server, response) = ServerHandshake::on_login(&login[4..])
            .expect("LOGIN")
            .respond_fixed(&mut FixedRandom::new(0x80), &keys, Account::Verifier(&v), MAX_RECORD)
            .expect("LOGIN_RESPONSE");
        let (_, finish) = client
            .on_response_fixed(&mut FixedRandom::new(0xc0), &response[4..])
            .expect("the genuine response verifies");
        let verified = server.on_finish(&finish[4..]).expect("KE3");
        Genuine {
            response: response[4..].to_vec(),
            server_to_client: verified.keys().server_to_client,
        }
    })
}

fn start() -> (cor4_protocol::handshake::AwaitResponse, Vec<u8>) {
    ClientHandshake::start_fixed(
        &mut FixedRandom::new(0x00),
        USER,
        PasswordKey::from_password(PASSWORD),
        MAX_RECORD,
    )
    .expect("KE1")
}

/// Lowers an acceptable but costly Argon2id cost (bytes 5..17 of a
/// LOGIN_RESPONSE body) to §8.3's.
fn cap_cost(body: &mut [u8]) {
    if body.first() != Some(&kind::LOGIN_RESPONSE) {
        return;
    }
    if let Some(field) = body.get_mut(5..17) {
        let cost = KsfParams::decode(&<[u8; 12]>::try_from(&*field).expect("twelve bytes"));
        let work = u64::from(cost.memory_kib) * u64::from(cost.iterations);
        if cost.check().is_ok() && work > 1024 {
            let mut cheap = Vec::new();
            CHEAP.encode(&mut cheap);
            field.copy_from_slice(&cheap);
        }
    }
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
    let g = genuine();
    let (response, tail) = if mode & 2 == 2 {
        (g.response.clone(), rest)
    } else {
        let Some((len, rest)) = rest.split_first_chunk::<2>() else {
            return;
        };
        let len = usize::from(u16::from_le_bytes(*len)).min(rest.len());
        let (response, tail) = rest.split_at(len);
        let mut response = response.to_vec();
        cap_cost(&mut response);
        (response, tail)
    };
    let (client, _) = start();
    let Ok((awaiting, _finish)) =
        client.on_response_fixed(&mut FixedRandom::new(0xc0), &response)
    else {
        return;
    };
    assert_eq!(
        response, g.response,
        "the client accepted a LOGIN_RESPONSE the server did not make"
    );
    let sealed = mode & 1 == 1;
    let mut record = if sealed {
        let mut record = Vec::new();
        RecordSealer::new(&g.server_to_client, Direction::ServerToClient)
            .seal(tail, &mut record)
            .expect("a small plaintext seals");
        record
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
