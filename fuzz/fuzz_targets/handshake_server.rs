//! The server's v3 login state machine against a hostile client: an
//! arbitrary LOGIN, then an arbitrary LOGIN_FINISH. Nothing may panic.
//!
//! Input: a mode byte, then with mode bit 1 clear a u16 little-endian
//! length n and n bytes of LOGIN body (type byte onward); with it set the
//! LOGIN of `docs/protocol.md` §8.3. Then the rest, the LOGIN_FINISH body —
//! or, with mode bit 0 set, the genuine KE3 of §8.3's client (so the seeds
//! go all the way). Mode bit 2 answers `alice` from a fake record, as a
//! locked account is; every other name gets a fake record too.
//!
//! Asserted: the server confirms a login only for `alice` answered from
//! her verifier with exactly §8.3's LOGIN and KE3 (anything else would be a
//! forged client MAC); a fake record never confirms, not even with the
//! genuine KE3; the server never runs Argon2id.
#![no_main]

use std::sync::OnceLock;

use cor4_protocol::crypto::{FixedRandom, KsfParams, PasswordKey, ServerKeys, Verifier};
use cor4_protocol::handshake::{Account, ClientHandshake, ServerHandshake};
use libfuzzer_sys::fuzz_target;

const USER: &str = "alice";
const PASSWORD: &str = "correct horse";
const MAX_RECORD: u32 = 65_536;
const CHEAP: KsfParams = KsfParams {
    memory_kib: 1024,
    iterations: 1,
    parallelism: 1,
};

/// §8.3: the server keys, `alice`'s verifier, the client's LOGIN body and
/// its LOGIN_FINISH body.
struct Genuine {
    keys: ServerKeys,
    verifier: Verifier,
    login: Vec<u8>,
    finish: Vec<u8>,
}

fn genuine() -> &'static Genuine {
    static G: OnceLock<Genuine> = OnceLock::new();
    G.get_or_init(|| {
        let keys = ServerKeys::generate_fixed(&mut FixedRandom::new(0x40));
        let key = PasswordKey::from_password(PASSWORD);
        let verifier =
            Verifier::register_fixed(&mut FixedRandom::new(0x60), &keys, USER, &key, CHEAP)
                .expect("registration");
        let (client, login) =
            ClientHandshake::start_fixed(&mut FixedRandom::new(0x00), USER, key, MAX_RECORD)
                .expect("KE1");
        let (_, response) = ServerHandshake::on_login(&login[4..])
            .expect("LOGIN")
            .respond_fixed(
                &mut FixedRandom::new(0x80),
                &keys,
                Account::Verifier(&verifier),
                MAX_RECORD,
            )
            .expect("LOGIN_RESPONSE");
        let (_, finish) = client
            .on_response_fixed(&mut FixedRandom::new(0xc0), &response[4..])
            .expect("the genuine response verifies");
        Genuine {
            keys,
            verifier,
            login: login[4..].to_vec(),
            finish: finish[4..].to_vec(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let g = genuine();
    let (login, tail) = if mode & 2 == 2 {
        (g.login.clone(), rest)
    } else {
        let Some((len, rest)) = rest.split_first_chunk::<2>() else {
            return;
        };
        let len = usize::from(u16::from_le_bytes(*len)).min(rest.len());
        let (login, tail) = rest.split_at(len);
        (login.to_vec(), tail)
    };
    let finish = if mode & 1 == 1 {
        g.finish.clone()
    } else {
        tail.to_vec()
    };
    let Ok(lookup) = ServerHandshake::on_login(&login) else {
        return;
    };
    let genuine_account = lookup.user() == USER && mode & 4 == 0;
    let account = if genuine_account {
        Account::Verifier(&g.verifier)
    } else {
        Account::Fake { ksf: CHEAP }
    };
    let Ok((awaiting, _response)) =
        lookup.respond_fixed(&mut FixedRandom::new(0x80), &g.keys, account, MAX_RECORD)
    else {
        return;
    };
    let confirmed = awaiting.on_finish(&finish).is_ok();
    if confirmed {
        assert!(genuine_account, "a fake record confirmed a login");
        assert_eq!(login, g.login, "confirmed a LOGIN §8.3's client did not send");
        assert_eq!(finish, g.finish, "confirmed a forged KE3");
    }
    if genuine_account && login == g.login && finish == g.finish {
        assert!(confirmed, "the genuine login was not confirmed");
    }
});
