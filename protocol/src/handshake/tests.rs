#![allow(clippy::unwrap_used)]

use super::*;
use crate::crypto::{
    Direction, FixedRandom, KsfParams, PasswordKey, RecordSealer, ServerKeys, Verifier,
    transcript_hash,
};
use crate::error_code::ErrorCode;
use crate::packet::{LOGIN_FLAG_MUST_CHANGE_PASSWORD, Login, LoginFields, LoginV2, Packet};
use crate::vectors;

const USER: &str = "alice";
const PASSWORD: &str = "correct horse";
const MAX_RECORD: u32 = 65536;
/// A cheap Argon2id so the tests run fast; vectors use the same.
const KSF: KsfParams = KsfParams {
    memory_kib: 1024,
    iterations: 1,
    parallelism: 1,
};

fn keys() -> ServerKeys {
    ServerKeys::generate_fixed(&mut FixedRandom::new(0x40))
}

fn verifier(keys: &ServerKeys, user: &str, password: &str) -> Verifier {
    Verifier::register_fixed(
        &mut FixedRandom::new(0x60),
        keys,
        user,
        &PasswordKey::from_password(password),
        KSF,
    )
    .unwrap()
}

/// What one login produced, step by step.
struct Run {
    login: Vec<u8>,
    response: Vec<u8>,
    client: Result<(AwaitReply, Vec<u8>), HandshakeError>,
    server: AwaitFinish,
}

/// LOGIN and LOGIN_RESPONSE in memory, then the client's verdict.
fn run(user: &str, password: &str, account: Account<'_>, keys: &ServerKeys) -> Run {
    let (client, login) = ClientHandshake::start_fixed(
        &mut FixedRandom::new(0x00),
        user,
        PasswordKey::from_password(password),
        MAX_RECORD,
    )
    .unwrap();
    let lookup = ServerHandshake::on_login(&login[4..]).unwrap();
    assert_eq!(lookup.user(), user);
    let (server, response) = lookup
        .respond_fixed(&mut FixedRandom::new(0x80), keys, account, MAX_RECORD)
        .unwrap();
    let client = client.on_response_fixed(&mut FixedRandom::new(0xc0), &response[4..]);
    Run {
        login,
        response,
        client,
        server,
    }
}

#[test]
fn full_login_then_records_both_ways() {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let r = run(USER, PASSWORD, Account::Verifier(&v), &keys);
    let (awaiting, finish) = r.client.unwrap();
    let verified = r.server.on_finish(&finish[4..]).unwrap();
    let (mut server, mut reply) = verified.accept(0);
    assert_eq!(reply.len(), AwaitReply::REPLY_RECORD_LEN);
    let mut client = awaiting.on_reply(&mut reply).unwrap();
    assert_eq!(client.flags, 0);
    let mut ping = Vec::new();
    client
        .channel
        .sealer
        .seal(&Packet::Ping.to_frame(), &mut ping)
        .unwrap();
    let (range, _) = server.opener.open_in_place(&mut ping).unwrap().unwrap();
    assert_eq!(Packet::decode(&ping[range][4..], None), Ok(Packet::Ping));
    let mut pong = Vec::new();
    server.sealer.seal(b"pong", &mut pong).unwrap();
    let (range, _) = client
        .channel
        .opener
        .open_in_place(&mut pong)
        .unwrap()
        .unwrap();
    assert_eq!(&pong[range], b"pong");
}

#[test]
fn wrong_password_fails_at_the_response_and_sends_nothing() {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let r = run(USER, "wrong", Account::Verifier(&v), &keys);
    assert!(matches!(r.client, Err(HandshakeError::WrongCredentials)));
}

#[test]
fn unknown_user_and_locked_account_fail_like_a_wrong_password() {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let unknown = run("bobby", PASSWORD, Account::Fake { ksf: KSF }, &keys);
    assert!(matches!(
        unknown.client,
        Err(HandshakeError::WrongCredentials)
    ));
    assert!(!unknown.server.is_genuine());
    // Locked: the right password, but a fake record.
    let locked = run(USER, PASSWORD, Account::Fake { ksf: v.ksf() }, &keys);
    assert!(matches!(
        locked.client,
        Err(HandshakeError::WrongCredentials)
    ));
    let wrong = run(USER, "wrong", Account::Verifier(&v), &keys);
    for other in [&unknown, &locked] {
        assert_eq!(other.response.len(), wrong.response.len());
        // Same clear header (length, type, limit, cost): only KE2 differs.
        let head = 4 + 1 + 4 + KsfParams::ENCODED_LEN;
        assert_eq!(other.response[..head], wrong.response[..head]);
    }
}

#[test]
fn a_fake_record_never_confirms_even_a_forged_finish() {
    let keys = keys();
    let r = run(USER, PASSWORD, Account::Fake { ksf: KSF }, &keys);
    let forged = Packet::LoginFinish([7; 64]).to_frame();
    assert!(matches!(
        r.server.on_finish(&forged[4..]),
        Err(HandshakeError::NotConfirmed)
    ));
}

#[test]
fn a_replayed_finish_fails_against_a_new_response() {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let first = run(USER, PASSWORD, Account::Verifier(&v), &keys);
    let (_, finish) = first.client.unwrap();
    // The same LOGIN replayed: the server answers with fresh randomness.
    let lookup = ServerHandshake::on_login(&first.login[4..]).unwrap();
    let (server, response) = lookup
        .respond(&keys, Account::Verifier(&v), MAX_RECORD)
        .unwrap();
    assert_ne!(response, first.response);
    assert!(matches!(
        server.on_finish(&finish[4..]),
        Err(HandshakeError::NotConfirmed)
    ));
}

#[test]
fn a_reflected_reply_or_response_is_refused() {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let r = run(USER, PASSWORD, Account::Verifier(&v), &keys);
    let (_, finish) = r.client.unwrap();
    // LOGIN_RESPONSE sent back as LOGIN_FINISH.
    let again = run(USER, PASSWORD, Account::Verifier(&v), &keys);
    assert!(matches!(
        again.server.on_finish(&r.response[4..]),
        Err(HandshakeError::UnexpectedPacket { .. })
    ));
    // The sealed OK reflected to the server as the client's first record.
    let (mut server, mut reply) = r.server.on_finish(&finish[4..]).unwrap().accept(0);
    assert!(server.opener.open_in_place(&mut reply).is_err());
}

#[test]
fn an_altered_clear_field_fails_the_servers_proof() {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let r = run(USER, PASSWORD, Account::Verifier(&v), &keys);
    // A man in the middle lowers the server's record limit in transit.
    let (client, _) = ClientHandshake::start_fixed(
        &mut FixedRandom::new(0x00),
        USER,
        PasswordKey::from_password(PASSWORD),
        MAX_RECORD,
    )
    .unwrap();
    let mut response = r.response.clone();
    response[5..9].copy_from_slice(&4096u32.to_le_bytes());
    assert!(matches!(
        client.on_response(&response[4..]),
        Err(HandshakeError::WrongCredentials)
    ));
}

#[test]
fn must_change_password_flag_and_refusal_reach_the_client() {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let r = run(USER, PASSWORD, Account::Verifier(&v), &keys);
    let (awaiting, finish) = r.client.unwrap();
    let (_, mut reply) = r
        .server
        .on_finish(&finish[4..])
        .unwrap()
        .accept(LOGIN_FLAG_MUST_CHANGE_PASSWORD);
    assert_eq!(
        awaiting.on_reply(&mut reply).unwrap().flags,
        LOGIN_FLAG_MUST_CHANGE_PASSWORD
    );

    let r = run(USER, PASSWORD, Account::Verifier(&v), &keys);
    let (awaiting, finish) = r.client.unwrap();
    let long = "no room for another session; try again later ".repeat(4);
    let mut reply = r
        .server
        .on_finish(&finish[4..])
        .unwrap()
        .refuse(ErrorCode::TooManySessions, &long);
    assert_eq!(reply.len(), AwaitReply::REPLY_RECORD_LEN);
    match awaiting.on_reply(&mut reply) {
        Err(HandshakeError::Refused(e)) => {
            assert_eq!(e.code, ErrorCode::TooManySessions.as_i32());
            assert!(long.starts_with(&e.message));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn two_logins_with_the_same_password_derive_different_keys() {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let once = || {
        let (client, login) =
            ClientHandshake::start(USER, PasswordKey::from_password(PASSWORD), MAX_RECORD).unwrap();
        let (server, response) = ServerHandshake::on_login(&login[4..])
            .unwrap()
            .respond(&keys, Account::Verifier(&v), MAX_RECORD)
            .unwrap();
        let (awaiting, finish) = client.on_response(&response[4..]).unwrap();
        let (_, mut reply) = server.on_finish(&finish[4..]).unwrap().accept(0);
        let mut est = awaiting.on_reply(&mut reply).unwrap();
        let mut sealed = Vec::new();
        est.channel.sealer.seal(b"same", &mut sealed).unwrap();
        sealed
    };
    assert_ne!(once(), once());
}

#[test]
fn server_rejects_version_1_and_2_logins() {
    for (version, fields) in [
        ([1, 2, 3, 4], LoginFields::V1),
        (
            [2, 0, 0, 0],
            LoginFields::V2(LoginV2 {
                nonce: [1; 32],
                max_record: MAX_RECORD,
            }),
        ),
    ] {
        let frame = Packet::Login(Login {
            user: USER.into(),
            version,
            fields,
        })
        .to_frame();
        assert!(matches!(
            ServerHandshake::on_login(&frame[4..]),
            Err(HandshakeError::UnsupportedVersion(v)) if v == version
        ));
    }
}

#[test]
fn client_rejects_an_absurd_argon2_cost_before_computing_it() {
    let keys = keys();
    let huge = KsfParams::new(u32::MAX, 16);
    let r = run(USER, PASSWORD, Account::Fake { ksf: huge }, &keys);
    assert!(matches!(r.client, Err(HandshakeError::BadKsf(_))));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Computes every vector of the document's login example (§8.3, §8.4),
/// named as in the document, and checks that the login succeeds.
fn login_vectors() -> Vec<(&'static str, Vec<u8>)> {
    let keys = keys();
    let v = verifier(&keys, USER, PASSWORD);
    let r = run(USER, PASSWORD, Account::Verifier(&v), &keys);
    let (awaiting, finish) = r.client.unwrap();
    let client_keys = awaiting.keys().clone();
    let verified = r.server.on_finish(&finish[4..]).unwrap();
    assert_eq!(
        verified.keys().client_to_server,
        client_keys.client_to_server
    );
    let (_, reply) = verified.accept(0);
    let mut opened = reply.clone();
    let mut opener = crate::crypto::RecordOpener::new(
        &client_keys.server_to_client,
        Direction::ServerToClient,
        MAX_RECORD,
    );
    let (range, _) = opener.open_in_place(&mut opened).unwrap().unwrap();
    let mut check = reply.clone();
    assert!(awaiting.on_reply(&mut check).is_ok());
    let query = Packet::Query("SELECT 1".into()).to_frame();
    let mut sealer = RecordSealer::new(&client_keys.client_to_server, Direction::ClientToServer);
    let mut sealed = Vec::new();
    sealer.seal(&query, &mut sealed).unwrap();
    // The second record (counter 1): a nonce with a little-endian counter
    // is what tells it from a big-endian one.
    let ping = Packet::Ping.to_frame();
    let mut second = Vec::new();
    sealer.seal(&ping, &mut second).unwrap();
    let transcript = transcript_hash(&[&r.login[4..], &r.response[4..], &finish[4..]]);
    vec![
        (
            "login-k",
            PasswordKey::from_password(PASSWORD).as_bytes().to_vec(),
        ),
        ("server-keys", keys.to_bytes().to_vec()),
        ("verifier", v.to_bytes()),
        ("login", r.login.clone()),
        ("login-response", r.response.clone()),
        ("login-finish", finish.clone()),
        ("login-transcript", transcript.to_vec()),
        ("login-key-c2s", client_keys.client_to_server.to_vec()),
        ("login-key-s2c", client_keys.server_to_client.to_vec()),
        ("login-reply-plaintext", opened[range].to_vec()),
        ("login-reply-record", reply),
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
