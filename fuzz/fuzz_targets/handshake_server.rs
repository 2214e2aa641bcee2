//! The server's login state machine against a hostile client: an arbitrary
//! LOGIN body, then an arbitrary first record. Nothing may panic.
//!
//! Input: a mode byte, a u16 little-endian length n, n bytes of LOGIN body
//! (type byte onward), then the rest. Mode bits 1–2 pick the account: a
//! known user let in, let in with must-change-password, refused, or
//! unknown. With mode bit 0 clear the rest is the first record as received;
//! with it set the rest is a plaintext that the target seals under the key
//! a client knowing the password derives. Such a record (1 byte up to the
//! server's record limit: an empty one is shorter than §5 allows) must
//! confirm the login exactly when the account is let in, and give back the
//! plaintext; no record ever confirms a refused or unknown user.
//!
//! The account is that of `docs/protocol.md` §8.3 (salt `a0 … af`, 1 000
//! iterations, its S, server nonce `20 … 3f`, zero padding), so that
//! section's LOGIN and first record are seeds that go all the way.
#![no_main]

use cor4_protocol::ErrorCode;
use cor4_protocol::crypto::{
    Direction, RecordSealer, SessionKeys, StretchedSecret, fake_salt, transcript_hash,
};
use cor4_protocol::handshake::{Account, AwaitReply, LOGIN_REPLY_LEN, ServerHandshake, Verdict};
use cor4_protocol::packet::{LOGIN_FLAG_MUST_CHANGE_PASSWORD, split_frame};
use libfuzzer_sys::fuzz_target;

const MAX_RECORD: u32 = 65_536;
const ITERATIONS: u32 = 1_000;
/// S = PBKDF2(MD5("correct horse"), a0…af, 1000): the `login-s` vector.
const SECRET: [u8; 32] = [
    0x02, 0x9b, 0xee, 0xcc, 0xc6, 0x90, 0xc9, 0xef, 0xc5, 0xb1, 0xc0, 0x0f, 0x07, 0x8c, 0x39, 0x89,
    0x84, 0x5a, 0xf5, 0x7c, 0x9c, 0x3f, 0xf6, 0xc5, 0xee, 0xb9, 0x57, 0xd0, 0x8f, 0xa2, 0xbf, 0x4e,
];

const fn seq(start: u8) -> [u8; 32] {
    let mut n = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        n[i] = start + i as u8;
        i += 1;
    }
    n
}

fn salt() -> [u8; 16] {
    let mut s = [0u8; 16];
    s.copy_from_slice(&seq(0xa0)[..16]);
    s
}

fn known(verdict: Verdict) -> Account {
    Account::Known {
        secret: StretchedSecret::from_bytes(SECRET),
        salt: salt(),
        iterations: ITERATIONS,
        verdict,
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
    let (login_body, tail) = rest.split_at(len);

    let Ok(lookup) = ServerHandshake::on_login(login_body) else {
        return;
    };
    let (account, accepted) = match (mode >> 1) & 3 {
        0 => (known(Verdict::Accept { flags: 0 }), true),
        1 => (
            known(Verdict::Accept {
                flags: LOGIN_FLAG_MUST_CHANGE_PASSWORD,
            }),
            true,
        ),
        2 => (
            known(Verdict::Refuse {
                code: ErrorCode::AccountLocked,
                message: "account locked: ask an administrator to unlock it",
            }),
            false,
        ),
        _ => (
            Account::Unknown {
                fake_salt: fake_salt(b"fuzz", lookup.user()),
                iterations: ITERATIONS,
            },
            false,
        ),
    };
    let (confirm, reply) =
        lookup.respond_with(account, MAX_RECORD, seq(0x20), &[0; LOGIN_REPLY_LEN]);
    let (challenge_body, used) = split_frame(&reply, u32::MAX)
        .expect("the challenge frame is well formed")
        .expect("the challenge frame is complete");
    assert_eq!(reply.len() - used, AwaitReply::REPLY_RECORD_LEN);

    let sealed = mode & 1 == 1;
    let mut record = if sealed {
        let secret = StretchedSecret::from_bytes(SECRET);
        let keys = SessionKeys::derive(&secret, &transcript_hash(login_body, challenge_body));
        let mut record = Vec::new();
        RecordSealer::new(&keys.client_to_server, Direction::ClientToServer)
            .seal(tail, &mut record)
            .expect("a small plaintext seals");
        record
    } else {
        tail.to_vec()
    };
    let outcome = confirm.on_first_record(&mut record);
    if !accepted {
        assert!(outcome.is_err(), "a refused or unknown user was confirmed");
    }
    if sealed && accepted {
        let fits = (1..=MAX_RECORD as usize).contains(&tail.len());
        assert_eq!(outcome.is_ok(), fits, "{outcome:?}");
        if let Ok((_, range)) = outcome {
            assert_eq!(&record[range], tail);
        }
    }
});
