use super::*;
use crate::crypto::{KsfParams, PasswordKey, ServerKeys, Verifier};
use crate::handshake::{
    Account, AwaitReply, Channel, ClientHandshake, HandshakeError, ServerHandshake,
};
use crate::packet::{ResultHead, ResultRow};
use crate::value::Value;
use tokio::io::{AsyncWriteExt, DuplexStream, duplex};

const MAX: u32 = 4096;
const KSF: KsfParams = KsfParams {
    memory_kib: 64,
    iterations: 1,
    parallelism: 1,
};

async fn client_side(
    mut stream: DuplexStream,
    user: &str,
    password: &str,
) -> Result<(Channel, DuplexStream), HandshakeError> {
    let (state, login) = ClientHandshake::start(user, PasswordKey::from_password(password), MAX)?;
    stream.write_all(&login).await.unwrap();
    let response = read_clear_frame(&mut stream, 1024).await.unwrap().unwrap();
    // On failure the client sends nothing more and closes.
    let (state, finish) = state.on_response(&response)?;
    stream.write_all(&finish).await.unwrap();
    let mut record = vec![0u8; AwaitReply::REPLY_RECORD_LEN];
    stream.read_exact(&mut record).await.unwrap();
    let est = state.on_reply(&mut record)?;
    Ok((est.channel, stream))
}

/// The server's side: returns the channel once the client's first
/// record (a PING) opened.
async fn server_side(mut stream: DuplexStream, password: &str) -> Result<Channel, HandshakeError> {
    let keys = ServerKeys::generate();
    let alice =
        Verifier::register(&keys, "alice", &PasswordKey::from_password(password), KSF).unwrap();
    let body = read_clear_frame(&mut stream, 1024).await.unwrap().unwrap();
    let lookup = ServerHandshake::on_login(&body)?;
    let account = if lookup.user() == "alice" {
        Account::Verifier(&alice)
    } else {
        Account::Fake { ksf: KSF }
    };
    let (awaiting, response) = lookup.respond(&keys, account, MAX)?;
    stream.write_all(&response).await.unwrap();
    let Ok(Some(finish)) = read_clear_frame(&mut stream, 1024).await else {
        return Err(HandshakeError::NotConfirmed);
    };
    let (mut channel, reply) = awaiting.on_finish(&finish)?.accept(0);
    stream.write_all(&reply).await.unwrap();
    let mut record = Vec::new();
    assert!(
        read_record(&mut stream, &channel.opener, &mut record)
            .await
            .unwrap()
    );
    let (range, _) = channel.opener.open_in_place(&mut record).unwrap().unwrap();
    assert_eq!(Packet::decode(&record[range][4..], None), Ok(Packet::Ping));
    Ok(channel)
}

async fn run_login(
    user: &str,
    password: &str,
) -> (Result<(), HandshakeError>, Result<(), HandshakeError>) {
    let (c, s) = duplex(1 << 16);
    let server = tokio::spawn(async move { server_side(s, "right").await.map(|_| ()) });
    let client = async {
        let (mut channel, mut stream) = client_side(c, user, password).await?;
        let mut first = Vec::new();
        channel
            .sealer
            .seal(&Packet::Ping.to_frame(), &mut first)
            .unwrap();
        stream.write_all(&first).await.unwrap();
        Ok(())
    }
    .await;
    (client, server.await.unwrap())
}

#[tokio::test]
async fn full_login_over_duplex() {
    let (client, server) = run_login("alice", "right").await;
    assert!(client.is_ok(), "{client:?}");
    assert!(server.is_ok(), "{server:?}");
}

#[tokio::test]
async fn wrong_password_over_duplex() {
    let (client, server) = run_login("alice", "wrong").await;
    assert!(matches!(client, Err(HandshakeError::WrongCredentials)));
    assert!(matches!(server, Err(HandshakeError::NotConfirmed)));
}

#[tokio::test]
async fn unknown_user_over_duplex() {
    let (client, server) = run_login("mallory", "right").await;
    assert!(matches!(client, Err(HandshakeError::WrongCredentials)));
    assert!(matches!(server, Err(HandshakeError::NotConfirmed)));
}

fn pair(max_record: u32) -> (SealedWriter<DuplexStream>, SealedReader<DuplexStream>) {
    let (a, b) = duplex(1 << 20);
    let key = [9u8; 16];
    let sealer = RecordSealer::new(&key, crate::crypto::Direction::ServerToClient);
    let opener = RecordOpener::new(&key, crate::crypto::Direction::ServerToClient, max_record);
    (
        SealedWriter::new(a, sealer, max_record),
        SealedReader::new(b, opener, 1 << 20),
    )
}

#[tokio::test]
async fn packets_span_and_share_records() {
    let (mut w, mut r) = pair(1024);
    let head = ResultHead {
        names: vec!["n".into(), "t".into()],
        types: vec![Type::Int8, Type::Text],
        rows: None,
    };
    w.queue(&Packet::ResultHead(head.clone())).unwrap();
    let big = "x".repeat(5000);
    for i in 0..100i64 {
        let text = if i == 50 {
            big.clone()
        } else {
            format!("row {i}")
        };
        let values = vec![
            Value::Int8(i),
            if i == 7 {
                Value::Null
            } else {
                Value::Text(text)
            },
        ];
        w.queue(&Packet::ResultRow(ResultRow { number: 1, values }))
            .unwrap();
    }
    w.flush().await.unwrap();
    drop(w);
    let Some(Incoming::Packet(Packet::ResultHead(got))) = r.next(None).await.unwrap() else {
        panic!("expected head");
    };
    assert_eq!(got, head);
    for i in 0..100i64 {
        match r.next(Some(&head.types)).await.unwrap() {
            Some(Incoming::Packet(Packet::ResultRow(row))) => {
                assert_eq!(row.values[0], Value::Int8(i));
                if i == 50 {
                    assert_eq!(row.values[1], Value::Text(big.clone()));
                }
            }
            other => panic!("row {i}: {other:?}"),
        }
    }
    assert_eq!(r.next(None).await.unwrap(), None);
    assert!(r.records() > 5, "the 5000-byte row spans records");
}

#[tokio::test]
async fn rejects_stream_truncated_mid_record() {
    let (a, mut b_writer) = duplex(1 << 16);
    let key = [9u8; 16];
    let mut sealer = RecordSealer::new(&key, crate::crypto::Direction::ServerToClient);
    let mut record = Vec::new();
    sealer.seal(&Packet::Ping.to_frame(), &mut record).unwrap();
    b_writer
        .write_all(&record[..record.len() - 3])
        .await
        .unwrap();
    drop(b_writer);
    let opener = RecordOpener::new(&key, crate::crypto::Direction::ServerToClient, MAX);
    let mut r = SealedReader::new(a, opener, 1 << 20);
    assert!(matches!(r.next(None).await, Err(ChannelError::Truncated)));
}

#[tokio::test]
async fn rejects_stream_ending_mid_packet() {
    let (mut w, mut r) = pair(1024);
    // A frame header promising 100 bytes, then the record stream ends.
    w.outbound.plain.extend_from_slice(&100u32.to_le_bytes());
    w.outbound.plain.push(4);
    w.flush().await.unwrap();
    drop(w);
    assert!(matches!(r.next(None).await, Err(ChannelError::Truncated)));
}

#[tokio::test]
async fn oversized_packet_is_skipped_and_stream_continues() {
    let (a, b) = duplex(1 << 20);
    let key = [9u8; 16];
    let mut w = SealedWriter::new(
        a,
        RecordSealer::new(&key, crate::crypto::Direction::ClientToServer),
        1024,
    );
    let mut r = SealedReader::new(
        b,
        RecordOpener::new(&key, crate::crypto::Direction::ClientToServer, 1024),
        100,
    );
    w.queue(&Packet::Query("y".repeat(3000))).unwrap();
    w.queue(&Packet::Ping).unwrap();
    w.flush().await.unwrap();
    assert_eq!(
        r.next(None).await.unwrap(),
        Some(Incoming::Oversized {
            len: 3003,
            kind: Some(crate::packet::kind::QUERY)
        })
    );
    assert_eq!(
        r.next(None).await.unwrap(),
        Some(Incoming::Packet(Packet::Ping))
    );
}
