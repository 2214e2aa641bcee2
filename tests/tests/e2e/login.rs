use std::time::Duration;

use cor4_protocol::Packet;
use cor4_protocol::client::Client;
use cor4_protocol::crypto::{KE1_LEN, KE2_LEN, KsfParams, PasswordKey};
use cor4_protocol::handshake::ClientHandshake;
use cor4_protocol::io::read_clear_frame;
use cor4_protocol::packet::{Login, LoginFields, LoginV2, LoginV3, PROTOCOL_VERSION};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

#[tokio::test]
async fn login_works_and_ping_answers() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("login").await;
    let client = connect(&proxy, &user, &password).await;
    client.ping().await.unwrap();
    let rows = client
        .query_all("SELECT current_user::text", &[])
        .await
        .unwrap();
    assert_eq!(
        rows[0].get::<_, &str>(0),
        user,
        "the session runs as the user's role"
    );
    client.close().await.unwrap();
}

/// Bytes of LOGIN_RESPONSE: length, type, record limit, Argon2id cost, KE2.
pub const RESPONSE_LEN: usize = 4 + 1 + 4 + KsfParams::ENCODED_LEN + KE2_LEN;

/// Sends LOGIN for `user` by hand and returns every byte of the reply.
pub async fn raw_reply(proxy: &Proxy, user: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let (_, login) = ClientHandshake::start(user, PasswordKey::from_password("x"), 65536).unwrap();
    stream.write_all(&login).await.unwrap();
    let mut reply = vec![0u8; RESPONSE_LEN];
    stream.read_exact(&mut reply).await.unwrap();
    // Nothing more follows: the server waits for LOGIN_FINISH.
    let extra = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut [0u8; 1])).await;
    assert!(extra.is_err(), "the reply is exactly one LOGIN_RESPONSE");
    reply
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("same").await;
    // An unknown name of the same length.
    let unknown: String = user
        .chars()
        .map(|c| if c == '_' { '_' } else { 'z' })
        .collect();
    let known_reply = raw_reply(&proxy, &user).await;
    let unknown_reply = raw_reply(&proxy, &unknown).await;
    assert_eq!(known_reply.len(), unknown_reply.len());
    assert_eq!(
        known_reply[..RESPONSE_LEN - KE2_LEN],
        unknown_reply[..RESPONSE_LEN - KE2_LEN],
        "same clear header: length, type, record limit, Argon2id cost"
    );

    let wrong = Client::connect(&config(&proxy, &user, "not the password"))
        .await
        .unwrap_err();
    let nouser = Client::connect(&config(&proxy, &unknown, &password))
        .await
        .unwrap_err();
    assert!(wrong.is_wrong_credentials() && nouser.is_wrong_credentials());
    assert_eq!(wrong.to_string(), nouser.to_string());
    assert!(
        wrong
            .to_string()
            .contains("the server could not prove it knows the password"),
        "{wrong}"
    );
}

#[tokio::test]
async fn chpass_changes_the_password_for_the_next_login() {
    let proxy = Proxy::start(&[]);
    let (user, old) = new_user("chpass").await;
    let client = connect(&proxy, &user, &old).await;
    // A malformed payload: refused, and the session goes on.
    let err = client.change_password_raw("not base64!").await.unwrap_err();
    assert_eq!(
        err.error_code(),
        Some(cor4_protocol::ErrorCode::BadPasswordDigest)
    );
    let err = client.change_password_raw("AAAA").await.unwrap_err();
    assert_eq!(
        err.error_code(),
        Some(cor4_protocol::ErrorCode::BadPasswordDigest)
    );
    assert_eq!(client.execute("SELECT 1", &[]).await.unwrap(), 1);

    client
        .change_password("a brand new password")
        .await
        .unwrap();
    // The session keeps working with its keys.
    assert_eq!(client.execute("SELECT 1", &[]).await.unwrap(), 1);
    client.close().await.unwrap();

    let old_login = Client::connect(&config(&proxy, &user, &old))
        .await
        .unwrap_err();
    assert!(old_login.is_wrong_credentials());
    let again = connect(&proxy, &user, "a brand new password").await;
    again.ping().await.unwrap();
}

/// A locked account answers with a fake record: the right password fails
/// exactly as a wrong one (no guess can be tested while it is locked), and
/// the error says that a lock is one possible cause.
#[tokio::test]
async fn locked_account_is_refused_like_a_wrong_password() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("locked").await;
    store().await.lock(&user).await.unwrap();
    let right = Client::connect(&config(&proxy, &user, &password))
        .await
        .unwrap_err();
    let guess = Client::connect(&config(&proxy, &user, "guess"))
        .await
        .unwrap_err();
    assert!(right.is_wrong_credentials() && guess.is_wrong_credentials());
    assert_eq!(right.to_string(), guess.to_string());
    assert!(right.to_string().contains("locked account"), "{right}");
    store().await.unlock(&user).await.unwrap();
    connect(&proxy, &user, &password)
        .await
        .ping()
        .await
        .unwrap();
}

/// Many users created at once (several admins or proxies): none fails with
/// PostgreSQL's "tuple concurrently updated".
#[tokio::test]
async fn users_can_be_created_concurrently() {
    let tasks: Vec<_> = (0..8)
        .map(|_| tokio::spawn(async { new_user("concurrent").await }))
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
}

/// A LOGIN whose record limit is out of range gets a clear ERROR saying so
/// (not a silent close).
#[tokio::test]
async fn an_out_of_range_record_limit_is_refused_with_a_reason() {
    let proxy = Proxy::start(&[]);
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let login = Packet::Login(Login {
        user: "anyone".into(),
        version: PROTOCOL_VERSION,
        fields: LoginFields::V3(LoginV3 {
            max_record: 100,
            ke1: [1; KE1_LEN],
        }),
    });
    stream.write_all(&login.to_frame()).await.unwrap();
    let body = read_clear_frame(&mut stream, 4096).await.unwrap().unwrap();
    let Packet::Error(e) = Packet::decode(&body, None).unwrap() else {
        panic!("expected a clear ERROR");
    };
    assert_eq!(e.code, cor4_protocol::ErrorCode::ProtocolViolation.as_i32());
    assert!(
        e.message.contains("max_record of 100 bytes"),
        "{}",
        e.message
    );
}

/// A client of an earlier protocol version gets a clear ERROR 6 telling it
/// to upgrade, not a silent close.
#[tokio::test]
async fn v1_and_v2_clients_are_told_to_upgrade() {
    let proxy = Proxy::start(&[]);
    for (version, fields) in [
        ([1, 2, 3, 4], LoginFields::V1),
        (
            [2, 0, 0, 0],
            LoginFields::V2(LoginV2 {
                nonce: [1; 32],
                max_record: 65536,
            }),
        ),
    ] {
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        let login = Packet::Login(Login {
            user: "anyone".into(),
            version,
            fields,
        });
        stream.write_all(&login.to_frame()).await.unwrap();
        let body = read_clear_frame(&mut stream, 4096).await.unwrap().unwrap();
        let Packet::Error(e) = Packet::decode(&body, None).unwrap() else {
            panic!("expected a clear ERROR");
        };
        assert_eq!(
            e.code,
            cor4_protocol::ErrorCode::UnsupportedVersion.as_i32()
        );
        assert!(e.message.contains("upgrade the client"), "{}", e.message);
    }
}
