use super::*;
use crate::crypto::{PasswordKey, SessionKeys, fake_salt, transcript_hash};
use crate::error_code::ErrorCode;
use crate::packet::{LOGIN_FLAG_MUST_CHANGE_PASSWORD, Packet};
use crate::vectors;

const USER: &str = "alice";
const PASSWORD: &str = "correct horse";
const ITERATIONS: u32 = 1000;
const MAX_RECORD: u32 = 65536;
const SALT: [u8; 16] = [
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
];

fn seq(start: u8) -> [u8; 32] {
    std::array::from_fn(|i| start + u8::try_from(i).unwrap())
}

fn known(password: &str, verdict: Verdict) -> Account {
    Account::Known {
        secret: PasswordKey::from_password(password).stretch(&SALT, ITERATIONS),
        salt: SALT,
        iterations: ITERATIONS,
        verdict,
    }
}

fn accept() -> Verdict {
    Verdict::Accept { flags: 0 }
}

/// Runs a login in memory: returns the server's reply bytes, the client's
/// outcome, and the server's state.
fn login(
    user: &str,
    password: &str,
    account: Account,
) -> (
    Vec<u8>,
    Result<ClientEstablished, HandshakeError>,
    AwaitConfirm,
) {
    let (client, login_frame) = ClientHandshake::start_with_nonce(
        user,
        PasswordKey::from_password(password),
        MAX_RECORD,
        seq(0x00),
    );
    let lookup = ServerHandshake::on_login(&login_frame[4..]).unwrap();
    assert_eq!(lookup.user(), user);
    let (confirm, reply) =
        lookup.respond_with(account, MAX_RECORD, seq(0x20), &[0; LOGIN_REPLY_LEN]);
    let (challenge_len, _) = reply.split_at(4);
    let challenge_len =
        usize::try_from(u32::from_le_bytes(challenge_len.try_into().unwrap())).unwrap();
    let challenge_body = &reply[4..4 + challenge_len];
    let mut record = reply[4 + challenge_len..].to_vec();
    assert_eq!(record.len(), AwaitReply::REPLY_RECORD_LEN);
    let outcome = client
        .on_challenge(challenge_body)
        .and_then(|awaiting| awaiting.on_reply(&mut record));
    (reply, outcome, confirm)
}

#[test]
fn full_login_then_confirming_record() {
    let (_, outcome, confirm) = login(USER, PASSWORD, known(PASSWORD, accept()));
    let mut client = outcome.unwrap();
    assert_eq!(client.flags, 0);
    let mut first = Vec::new();
    client
        .channel
        .sealer
        .seal(&Packet::Ping.to_frame(), &mut first)
        .unwrap();
    let (mut server, range) = confirm.on_first_record(&mut first).unwrap();
    assert_eq!(Packet::decode(&first[range][4..], None), Ok(Packet::Ping));
    // And back the other way.
    let mut answer = Vec::new();
    server.sealer.seal(b"pong", &mut answer).unwrap();
    let (range, _) = client
        .channel
        .opener
        .open_in_place(&mut answer)
        .unwrap()
        .unwrap();
    assert_eq!(&answer[range], b"pong");
}

#[test]
fn wrong_password_cannot_open_reply_and_is_not_confirmed() {
    let (_, outcome, confirm) = login(USER, "wrong", known(PASSWORD, accept()));
    assert!(matches!(outcome, Err(HandshakeError::WrongCredentials)));
    // Whatever the client seals with its wrong keys, the server refuses it.
    let wrong_keys = SessionKeys::random();
    let mut sealer = crate::crypto::RecordSealer::new(
        &wrong_keys.client_to_server,
        crate::crypto::Direction::ClientToServer,
    );
    let mut record = Vec::new();
    sealer.seal(&Packet::Ping.to_frame(), &mut record).unwrap();
    assert!(matches!(
        confirm.on_first_record(&mut record),
        Err(HandshakeError::NotConfirmed(_))
    ));
}

#[test]
fn unknown_user_fails_like_wrong_password() {
    let unknown = Account::Unknown {
        fake_salt: fake_salt(b"server secret", "mallory"),
        iterations: ITERATIONS,
    };
    let (_, outcome, confirm) = login("mallory", PASSWORD, unknown);
    assert!(matches!(outcome, Err(HandshakeError::WrongCredentials)));
    assert!(confirm.verdict().is_none());
}

#[test]
fn reply_to_unknown_user_has_same_length_and_layout_as_known_user() {
    // Same name length: "alice" and "bobby".
    let (known_reply, _, _) = login(USER, "wrong", known(PASSWORD, accept()));
    let unknown = Account::Unknown {
        fake_salt: fake_salt(b"server secret", "bobby"),
        iterations: ITERATIONS,
    };
    let (unknown_reply, _, _) = login("bobby", "wrong", unknown);
    let (locked_reply, _, _) = login(
        USER,
        "wrong",
        known(
            PASSWORD,
            Verdict::Refuse {
                code: ErrorCode::AccountLocked,
                message: "account locked: ask an administrator to unlock it",
            },
        ),
    );
    assert_eq!(known_reply.len(), unknown_reply.len());
    assert_eq!(known_reply.len(), locked_reply.len());
    // Layout: the clear challenge frame then one record, with identical
    // clear headers (lengths and type byte); only random-looking bytes differ.
    for reply in [&unknown_reply, &locked_reply] {
        assert_eq!(reply[..5], known_reply[..5]);
        let record_at = 4 + 57;
        assert_eq!(
            reply[record_at..record_at + 4],
            known_reply[record_at..record_at + 4]
        );
    }
}

#[test]
fn locked_account_is_refused_with_reason_for_password_holder() {
    let verdict = Verdict::Refuse {
        code: ErrorCode::AccountLocked,
        message: "account locked",
    };
    let (_, outcome, confirm) = login(USER, PASSWORD, known(PASSWORD, verdict));
    match outcome {
        Err(HandshakeError::Refused(e)) => {
            assert_eq!(e.code, ErrorCode::AccountLocked.as_i32());
            assert_eq!(e.message, "account locked");
        }
        other => panic!("expected refusal, got {other:?}"),
    }
    assert!(matches!(confirm.verdict(), Some(Verdict::Refuse { .. })));
}

#[test]
fn must_change_password_flag_reaches_client() {
    let verdict = Verdict::Accept {
        flags: LOGIN_FLAG_MUST_CHANGE_PASSWORD,
    };
    let (_, outcome, _) = login(USER, PASSWORD, known(PASSWORD, verdict));
    assert_eq!(outcome.unwrap().flags, LOGIN_FLAG_MUST_CHANGE_PASSWORD);
}

#[test]
fn two_logins_with_the_same_password_derive_different_keys() {
    let run = |nonce: u8| {
        let (client, frame) = ClientHandshake::start_with_nonce(
            USER,
            PasswordKey::from_password(PASSWORD),
            MAX_RECORD,
            seq(nonce),
        );
        let (_, reply) = ServerHandshake::on_login(&frame[4..])
            .unwrap()
            .respond(known(PASSWORD, accept()), MAX_RECORD);
        let mut record = reply[61..].to_vec();
        let mut est = client
            .on_challenge(&reply[4..61])
            .unwrap()
            .on_reply(&mut record)
            .unwrap();
        let mut sealed = Vec::new();
        est.channel
            .sealer
            .seal(b"same plaintext", &mut sealed)
            .unwrap();
        sealed
    };
    // Same client nonce even: the server's fresh nonce still separates them.
    assert_ne!(run(0), run(0));
}

#[test]
fn server_rejects_version_1_login() {
    let frame = Packet::Login(crate::packet::Login {
        user: USER.into(),
        version: [1, 2, 3, 4],
        v2: None,
    })
    .to_frame();
    assert!(matches!(
        ServerHandshake::on_login(&frame[4..]),
        Err(HandshakeError::UnsupportedVersion([1, 2, 3, 4]))
    ));
}

#[test]
fn client_rejects_absurd_iteration_count() {
    let (client, frame) = ClientHandshake::start_with_nonce(
        USER,
        PasswordKey::from_password(PASSWORD),
        MAX_RECORD,
        seq(0),
    );
    let account = Account::Known {
        secret: PasswordKey::from_password(PASSWORD).stretch(&SALT, 1000),
        salt: SALT,
        iterations: u32::MAX,
        verdict: accept(),
    };
    let (_, reply) = ServerHandshake::on_login(&frame[4..])
        .unwrap()
        .respond(account, MAX_RECORD);
    assert!(matches!(
        client.on_challenge(&reply[4..61]),
        Err(HandshakeError::BadIterations(u32::MAX))
    ));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Computes every vector of the document's login example (§8.3, §8.4),
/// named as in the document, and checks that the client accepts the reply.
fn login_vectors() -> Vec<(&'static str, Vec<u8>)> {
    let (client, login_frame) = ClientHandshake::start_with_nonce(
        USER,
        PasswordKey::from_password(PASSWORD),
        MAX_RECORD,
        seq(0x00),
    );
    let lookup = ServerHandshake::on_login(&login_frame[4..]).unwrap();
    let (_, reply) = lookup.respond_with(
        known(PASSWORD, accept()),
        MAX_RECORD,
        seq(0x20),
        &[0; LOGIN_REPLY_LEN],
    );
    let k = PasswordKey::from_password(PASSWORD);
    let s = k.stretch(&SALT, ITERATIONS);
    let th = transcript_hash(&login_frame[4..], &reply[4..61]);
    let keys = SessionKeys::derive(&s, &th);
    let mut opened = reply[61..].to_vec();
    let mut opener = crate::crypto::RecordOpener::new(
        &keys.server_to_client,
        crate::crypto::Direction::ServerToClient,
        MAX_RECORD,
    );
    let (range, _) = opener.open_in_place(&mut opened).unwrap().unwrap();
    let mut record = reply[61..].to_vec();
    assert!(
        client
            .on_challenge(&reply[4..61])
            .unwrap()
            .on_reply(&mut record)
            .is_ok()
    );
    let query = Packet::Query("SELECT 1".into()).to_frame();
    let mut sealer = crate::crypto::RecordSealer::new(
        &keys.client_to_server,
        crate::crypto::Direction::ClientToServer,
    );
    let mut sealed = Vec::new();
    sealer.seal(&query, &mut sealed).unwrap();
    // The second record (counter 1): a nonce with a little-endian counter
    // is what tells it from a big-endian one.
    let ping = Packet::Ping.to_frame();
    let mut second = Vec::new();
    sealer.seal(&ping, &mut second).unwrap();
    vec![
        ("login", login_frame.clone()),
        ("login-challenge", reply[..61].to_vec()),
        ("login-k", k.as_bytes().to_vec()),
        ("login-s", s.as_bytes().to_vec()),
        ("login-transcript", th.to_vec()),
        ("login-key-c2s", keys.client_to_server.to_vec()),
        ("login-key-s2c", keys.server_to_client.to_vec()),
        ("login-reply-plaintext", opened[range].to_vec()),
        ("login-reply-record", reply[61..].to_vec()),
        ("sealed-record-plaintext", query),
        ("sealed-record", sealed),
        ("sealed-record-1-plaintext", ping),
        ("sealed-record-1", second),
    ]
}

/// The names of the login example's vectors.
pub(crate) fn login_vector_names() -> Vec<&'static str> {
    login_vectors().into_iter().map(|(n, _)| n).collect()
}

/// Every value of the document's login vector, computed here and compared
/// with the document.
#[test]
fn golden_login_exchange() {
    for (name, bytes) in login_vectors() {
        assert_eq!(hex(&bytes), hex(&vectors::get(name)), "vector {name}");
    }
}

/// Prints the document's vectors: `cargo test -p cor4-protocol
/// print_vectors -- --ignored --nocapture`, after changing the handshake.
#[test]
#[ignore = "generator for docs/protocol.md"]
fn print_vectors() {
    for (name, bytes) in login_vectors() {
        println!("{name}: {}", hex(&bytes));
    }
}
