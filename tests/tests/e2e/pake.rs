//! The Cor4 v3 login's security properties (issue 12), each against the
//! real proxy, the real client and the real user store. `docs/security.md`
//! §1 names these tests in its attacker table.

use std::time::Duration;

use cor4_protocol::Packet;
use cor4_protocol::client::Client;
use cor4_protocol::crypto::{
    Direction, KE2_LEN, KsfParams, PasswordKey, RecordOpener, ServerKeys, SessionKeys, Verifier,
    transcript_hash,
};
use cor4_protocol::handshake::{Account, AwaitReply, ClientHandshake, ServerHandshake};
use cor4_protocol::io::read_clear_frame;
use cor4_tests::{Recorder, Recording, TEST_KSF, units};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::login::{RESPONSE_LEN, raw_reply};
use super::*;

/// Logs in through a recording relay, runs one query, and returns the
/// recording.
async fn recorded_session(proxy: &Proxy, user: &str, password: &str) -> Recording {
    let recorder = Recorder::start(proxy.addr()).await;
    let addr = recorder.addr();
    let config =
        cor4_protocol::client::Config::new(&addr.ip().to_string(), addr.port(), user, password);
    let client = Client::connect(&config).await.unwrap();
    let rows = client
        .query_all("SELECT 'the secret row'::text", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), "the secret row");
    client.close().await.unwrap();
    recorder.finish().await
}

/// What the user store holds about `user`: the stored verifier and the
/// deployment's OPAQUE server keys and server secret (a copy of
/// `cor4.users` and `cor4.settings`).
async fn stolen_store(user: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let pg = admin_pg().await;
    let verifier: Vec<u8> = pg
        .query_one("SELECT verifier FROM cor4.users WHERE name = $1", &[&user])
        .await
        .unwrap()
        .get(0);
    let keys = setting(&pg, "opaque_server_keys").await;
    let secret = setting(&pg, "server_secret").await;
    (verifier, keys, secret)
}

async fn setting(pg: &tokio_postgres::Client, name: &str) -> Vec<u8> {
    pg.query_one("SELECT value FROM cor4.settings WHERE name = $1", &[&name])
        .await
        .unwrap()
        .get(0)
}

/// Whether any of `keys` opens `record` in `direction` as record 0.
fn opens_with_any(keys: &[SessionKeys], record: &[u8], direction: Direction) -> bool {
    keys.iter().any(|k| {
        let key = match direction {
            Direction::ClientToServer => &k.client_to_server,
            Direction::ServerToClient => &k.server_to_client,
        };
        let mut copy = record.to_vec();
        RecordOpener::new(key, direction, 1 << 24)
            .open_in_place(&mut copy)
            .is_ok_and(|r| r.is_some())
    })
}

/// Forward secrecy: a complete recorded session, the user's password and a
/// copy of the user store (verifier, OPAQUE server keys, server secret) do
/// not decrypt any record of it. The record keys come from OPAQUE's 3DH
/// with both sides' ephemeral keys, which nobody keeps.
#[tokio::test]
async fn forward_secrecy_a_recorded_session_stays_sealed() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("fs").await;
    let rec = recorded_session(&proxy, &user, &password).await;
    let (verifier, keys, secret) = stolen_store(&user).await;
    let up = units(&rec.to_server);
    let down = units(&rec.to_client);
    let (login, finish, first_request) = (&up[0], &up[1], &up[2]);
    let (response, reply) = (&down[0], &down[1]);

    // 1. Be the server: the stolen keys and verifier answer the recorded
    //    LOGIN, but with new ephemeral keys, so the recorded KE3 fails.
    let server_keys = ServerKeys::from_bytes(&keys).unwrap();
    let stolen = Verifier::from_bytes(&verifier).unwrap();
    let (awaiting, again) = ServerHandshake::on_login(&login[4..])
        .unwrap()
        .respond(&server_keys, Account::Verifier(&stolen), 65536)
        .unwrap();
    assert_ne!(&again, response, "the server's ephemeral key is fresh");
    assert!(awaiting.on_finish(&finish[4..]).is_err());

    // 2. Be the client: the password finishes no recorded LOGIN_RESPONSE,
    //    because the recorded KE1's blind and ephemeral key are gone.
    let (client, _) =
        ClientHandshake::start(&user, PasswordKey::from_password(&password), 65536).unwrap();
    assert!(client.on_response(&response[4..]).is_err());

    // 3. Every secret the attacker holds, as the keying material of the
    //    record keys with the recorded transcript (and v2's labels).
    let transcript = transcript_hash(&[&login[4..], &response[4..], &finish[4..]]);
    let k = PasswordKey::from_password(&password);
    let mut candidates = Vec::new();
    for ikm in [
        &k.as_bytes()[..],
        &verifier,
        &keys,
        &secret,
        password.as_bytes(),
    ] {
        candidates.push(SessionKeys::derive(ikm, &transcript));
        candidates.push(SessionKeys::derive_v2(ikm, &transcript));
    }
    assert!(!opens_with_any(
        &candidates,
        reply,
        Direction::ServerToClient
    ));
    assert!(!opens_with_any(
        &candidates,
        first_request,
        Direction::ClientToServer
    ));

    // Control: with the password the attacker can log in now — a new
    // session whose keys open nothing recorded either.
    let _ = connect(&proxy, &user, &password).await;
}

/// No offline guessing: neither a recorded exchange nor one provoked by
/// sending LOGIN contains anything a guess can be checked against. Even
/// the right password does not fit a recording; a provoked exchange tests
/// exactly the one guess its KE1 was made with, and counts as a failed
/// login.
#[tokio::test]
async fn no_exchange_lets_a_guess_be_tested_offline() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("guess").await;
    let rec = recorded_session(&proxy, &user, &password).await;
    let response = units(&rec.to_client)[0].clone();
    // Eavesdropper: every guess — the right one too — fails the same way
    // against the recorded LOGIN_RESPONSE.
    for guess in ["123456", "password", "wrong", password.as_str()] {
        let (client, _) =
            ClientHandshake::start(&user, PasswordKey::from_password(guess), 65536).unwrap();
        assert!(
            client.on_response(&response[4..]).is_err(),
            "a recording confirmed the guess {guess:?}"
        );
    }
    // Two LOGINs with the same password share no byte pattern: KE1 is a
    // freshly blinded element.
    let (_, a) =
        ClientHandshake::start(&user, PasswordKey::from_password(&password), 65536).unwrap();
    let (_, b) =
        ClientHandshake::start(&user, PasswordKey::from_password(&password), 65536).unwrap();
    assert_ne!(a, b);

    // Provoker: a LOGIN made for the guess "wrong" tests that guess, and
    // nothing else: the right password cannot be tried against its answer.
    let before = failures(&user).await;
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let (state, login) =
        ClientHandshake::start(&user, PasswordKey::from_password("wrong"), 65536).unwrap();
    stream.write_all(&login).await.unwrap();
    let body = read_clear_frame(&mut stream, 4096).await.unwrap().unwrap();
    drop(stream); // the attacker closes instead of finishing
    assert!(state.on_response(&body).is_err(), "the guess was wrong");
    let (other, _) =
        ClientHandshake::start(&user, PasswordKey::from_password(&password), 65536).unwrap();
    assert!(
        other.on_response(&body).is_err(),
        "the right password cannot be tested against another LOGIN's answer"
    );
    // Each provoked exchange was an online attempt the store counted.
    wait_for(|| async { failures(&user).await > before }).await;
}

/// Failed logins counted for `user`.
async fn failures(user: &str) -> i32 {
    admin_pg()
        .await
        .query_one(
            "SELECT failed_attempts FROM cor4.users WHERE name = $1",
            &[&user],
        )
        .await
        .unwrap()
        .get(0)
}

/// Polls `check` until it holds (at most 10 s).
async fn wait_for<F, Fut>(check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("condition not reached within 10 s");
}

/// A server that speaks v3 with its own keys and a verifier for `guess`:
/// an impostor that does not hold the user's verifier. Returns its address
/// and, for each connection, every byte it received after its
/// LOGIN_RESPONSE.
async fn impostor(
    user: &str,
    guess: &str,
) -> (std::net::SocketAddr, tokio::task::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let keys = ServerKeys::generate();
    let verifier =
        Verifier::register(&keys, user, &PasswordKey::from_password(guess), TEST_KSF).unwrap();
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let login = read_clear_frame(&mut stream, 4096).await.unwrap().unwrap();
        let (_, response) = ServerHandshake::on_login(&login)
            .unwrap()
            .respond(&keys, Account::Verifier(&verifier), 65536)
            .unwrap();
        stream.write_all(&response).await.unwrap();
        let mut after = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut after)).await;
        after
    });
    (addr, task)
}

/// Mutual authentication: a client talking to an impostor without the
/// user's verifier fails before it sends anything more than LOGIN, and
/// says the server could not prove it knows the password. The impostor
/// learns whether one guess — the one it built its answer from — was
/// right: one guess per attempt.
#[tokio::test]
async fn an_impostor_gets_no_sealed_request_and_one_guess_per_attempt() {
    let (user, password) = ("victim".to_owned(), "the real password".to_owned());
    let (addr, task) = impostor(&user, "a wrong guess").await;
    let config =
        cor4_protocol::client::Config::new(&addr.ip().to_string(), addr.port(), &user, &password);
    let err = Client::connect(&config).await.unwrap_err();
    assert!(err.is_wrong_credentials());
    assert!(
        err.to_string()
            .contains("the server could not prove it knows the password"),
        "{err}"
    );
    assert!(
        task.await.unwrap().is_empty(),
        "the client sent nothing after LOGIN: no LOGIN_FINISH, no sealed record"
    );

    // An impostor whose single guess is right sees the client go on.
    let (addr, task) = impostor(&user, &password).await;
    let config =
        cor4_protocol::client::Config::new(&addr.ip().to_string(), addr.port(), &user, &password);
    let _ = tokio::time::timeout(Duration::from_secs(2), Client::connect(&config)).await;
    let after = task.await.unwrap();
    assert_eq!(
        after.first(),
        Some(&0x41),
        "a 65-byte LOGIN_FINISH followed"
    );
}

/// The stored verifier and server keys do not let anyone log in: used as
/// the password, as K, or as the client's proof, every attempt fails.
#[tokio::test]
async fn the_stored_record_does_not_log_anyone_in() {
    let proxy = Proxy::start(&[]);
    let (user, _) = new_user("stolen").await;
    let (verifier, keys, secret) = stolen_store(&user).await;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    for candidate in [
        hex(&verifier),
        hex(&verifier[12..]),
        hex(&keys),
        hex(&secret),
    ] {
        let err = Client::connect(&config(&proxy, &user, &candidate))
            .await
            .unwrap_err();
        assert!(err.is_wrong_credentials(), "{err}");
    }
    // K taken from any 16 stored bytes: the client's public key, the
    // masking key, the envelope.
    let pieces = verifier[12..].chunks(16).chain(keys.chunks(16));
    for piece in pieces.take(8) {
        let key = PasswordKey::from_digest(piece.try_into().unwrap());
        let (client, login) = ClientHandshake::start(&user, key, 65536).unwrap();
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        stream.write_all(&login).await.unwrap();
        let body = read_clear_frame(&mut stream, 4096).await.unwrap().unwrap();
        assert!(client.on_response(&body).is_err());
    }
    // A LOGIN_FINISH made of stored bytes (the masking key is 64 bytes,
    // like a MAC) gets no OK: the proxy closes.
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let (_, login) = ClientHandshake::start(&user, PasswordKey::from_password("x"), 65536).unwrap();
    stream.write_all(&login).await.unwrap();
    let _ = read_clear_frame(&mut stream, 4096).await.unwrap().unwrap();
    let forged: [u8; 64] = verifier[12 + 32..12 + 96].try_into().unwrap();
    stream
        .write_all(&Packet::LoginFinish(forged).to_frame())
        .await
        .unwrap();
    assert_eq!(
        read_rest(&mut stream).await,
        Some(Vec::new()),
        "closed, no sealed OK for a forged proof"
    );
}

/// Unknown user, wrong password and locked account look the same to
/// someone without the password: same bytes on the wire (lengths, clear
/// header), the same client error, the same time. A fake record even
/// answers a repeated KE1 consistently, as a real one does.
#[tokio::test]
async fn unknown_wrong_and_locked_are_indistinguishable() {
    let proxy = Proxy::start(&[]);
    let (known, _) = new_user("same").await;
    let (locked, locked_pw) = new_user("same").await;
    store().await.lock(&locked).await.unwrap();
    let unknown: String = known
        .chars()
        .map(|c| if c == '_' { '_' } else { 'z' })
        .collect();
    let replies = [
        raw_reply(&proxy, &known).await,
        raw_reply(&proxy, &unknown).await,
        raw_reply(&proxy, &locked).await,
    ];
    let head = RESPONSE_LEN - KE2_LEN;
    for r in &replies[1..] {
        assert_eq!(r.len(), replies[0].len());
        assert_eq!(r[..head], replies[0][..head], "same clear header");
    }
    assert_eq!(
        KsfParams::decode(&replies[1][9..21].try_into().unwrap()),
        TEST_KSF,
        "an unknown user shows the configured cost, as a real user has"
    );
    // The same KE1 twice: the OPRF answer is stable for real and fake
    // records alike, so repetition does not expose a fake.
    for name in [&known, &unknown] {
        let (_, login) =
            ClientHandshake::start(name, PasswordKey::from_password("x"), 65536).unwrap();
        let mut evaluated = Vec::new();
        for _ in 0..2 {
            let mut s = TcpStream::connect(proxy.addr()).await.unwrap();
            s.write_all(&login).await.unwrap();
            let body = read_clear_frame(&mut s, 4096).await.unwrap().unwrap();
            evaluated.push(body[17..49].to_vec());
        }
        assert_eq!(evaluated[0], evaluated[1], "{name}");
    }
    // The client's verdict, in words.
    let errors = [
        Client::connect(&config(&proxy, &known, "wrong"))
            .await
            .unwrap_err(),
        Client::connect(&config(&proxy, &unknown, "wrong"))
            .await
            .unwrap_err(),
        Client::connect(&config(&proxy, &locked, &locked_pw))
            .await
            .unwrap_err(),
    ];
    for e in &errors {
        assert!(e.is_wrong_credentials());
        assert_eq!(e.to_string(), errors[0].to_string());
    }
    // That they also take the same time is measured by the bench
    // ("LOGIN_RESPONSE time"), not asserted here.
}

/// Replayed and reflected login messages fail: a recorded LOGIN_FINISH
/// against a fresh LOGIN_RESPONSE, a LOGIN_RESPONSE sent back as
/// LOGIN_FINISH, the sealed OK sent back as the client's first record.
#[tokio::test]
async fn replayed_and_reflected_login_messages_fail() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("replay").await;
    let rec = recorded_session(&proxy, &user, &password).await;
    let up = units(&rec.to_server);

    // Replay of the recorded LOGIN and LOGIN_FINISH.
    let mut s = TcpStream::connect(proxy.addr()).await.unwrap();
    s.write_all(&up[0]).await.unwrap();
    let fresh = read_clear_frame(&mut s, 4096).await.unwrap().unwrap();
    assert_ne!(
        fresh,
        units(&rec.to_client)[0][4..],
        "fresh server randomness"
    );
    s.write_all(&up[1]).await.unwrap();
    assert_eq!(read_rest(&mut s).await, Some(Vec::new()), "closed, no OK");

    // LOGIN_RESPONSE reflected as LOGIN_FINISH.
    let mut s = TcpStream::connect(proxy.addr()).await.unwrap();
    let (_, login) =
        ClientHandshake::start(&user, PasswordKey::from_password(&password), 65536).unwrap();
    s.write_all(&login).await.unwrap();
    let body = read_clear_frame(&mut s, 4096).await.unwrap().unwrap();
    let mut reflected = (u32::try_from(body.len()).unwrap()).to_le_bytes().to_vec();
    reflected.extend_from_slice(&body);
    s.write_all(&reflected).await.unwrap();
    assert_eq!(read_rest(&mut s).await, Some(Vec::new()), "closed, no OK");

    // A real login whose first record is the server's own sealed OK.
    let mut s = TcpStream::connect(proxy.addr()).await.unwrap();
    let (state, login) =
        ClientHandshake::start(&user, PasswordKey::from_password(&password), 65536).unwrap();
    s.write_all(&login).await.unwrap();
    let body = read_clear_frame(&mut s, 4096).await.unwrap().unwrap();
    let (state, finish) = state.on_response(&body).unwrap();
    s.write_all(&finish).await.unwrap();
    let mut reply = vec![0u8; AwaitReply::REPLY_RECORD_LEN];
    s.read_exact(&mut reply).await.unwrap();
    let ok = reply.clone();
    state.on_reply(&mut reply).unwrap();
    s.write_all(&ok).await.unwrap();
    let rest = read_rest(&mut s).await;
    assert!(rest.is_some(), "the session ended instead of answering");
}

/// Everything until the peer closes; `None` if it is still open after 5 s.
async fn read_rest(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut rest = Vec::new();
    match tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut rest)).await {
        Ok(_) => Some(rest),
        Err(_) => None,
    }
}
