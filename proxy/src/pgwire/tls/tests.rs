//! Each TLS failure says what failed: the SSLRequest against a fake server
//! on loopback, and rustls' certificate errors through [`classify`]. The
//! same failures from real handshakes with a real PostgreSQL are in
//! `tests/tests/e2e/tls.rs`.

use rustls::pki_types::ServerName;
use rustls::{AlertDescription, CertificateError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::error::classify;
use super::{SSL_REQUEST, SslMode, TlsConnector, TlsError};
use crate::pgwire::PgError;
use crate::pgwire::socket::Socket;

/// A connection to a fake server that answers the first 8 bytes it reads
/// with `answer`; the receiver gets those 8 bytes.
async fn server_answering(answer: u8) -> (TcpStream, oneshot::Receiver<[u8; 8]>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    let (sent, received) = oneshot::channel();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut request = [0u8; 8];
        if socket.read_exact(&mut request).await.is_err() {
            return;
        }
        let _ = sent.send(request);
        let _ = socket.write_all(&[answer]).await;
        // Hold the socket until the client is done with it.
        let _ = socket.read(&mut request).await;
    });
    let tcp = TcpStream::connect(addr).await.expect("connect");
    (tcp, received)
}

#[tokio::test]
async fn says_the_server_does_not_support_ssl_when_require_needs_it() {
    let (tcp, request) = server_answering(b'N').await;
    let connector = TlsConnector::unverified(SslMode::Require);
    let err = match connector.negotiate(tcp, "127.0.0.1").await {
        Ok(_) => panic!("sslmode=require went on without TLS"),
        Err(e) => e,
    };
    assert_eq!(request.await.expect("the request"), SSL_REQUEST);
    assert!(
        matches!(
            err,
            PgError::Tls(TlsError::NotSupported {
                mode: SslMode::Require
            })
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "TLS with PostgreSQL failed: the server does not support SSL, but sslmode=require requires it"
    );
}

#[tokio::test]
async fn accepts_a_server_without_ssl_under_prefer() {
    let (tcp, request) = server_answering(b'N').await;
    let socket = TlsConnector::unverified(SslMode::Prefer)
        .negotiate(tcp, "127.0.0.1")
        .await
        .expect("prefer goes on in clear");
    assert_eq!(request.await.expect("the request"), SSL_REQUEST);
    assert!(matches!(socket, Socket::Tcp(_)), "not the plain socket");
}

#[tokio::test]
async fn rejects_an_ssl_answer_that_is_neither_s_nor_n() {
    let (tcp, _request) = server_answering(b'E').await;
    let result = TlsConnector::unverified(SslMode::Prefer)
        .negotiate(tcp, "127.0.0.1")
        .await;
    assert!(matches!(result, Err(PgError::Protocol(_))), "not refused");
}

#[test]
fn names_an_unknown_ca_and_the_roots_it_checked() {
    let err = classify(
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        Some("/etc/cor4/ca.pem"),
        "db.internal",
    );
    assert!(matches!(err, TlsError::UnknownCa { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the server's certificate is not signed by a CA in sslrootcert /etc/cor4/ca.pem (unknown CA)"
    );
}

#[test]
fn names_a_name_mismatch_with_the_names_the_certificate_holds() {
    let expected = ServerName::try_from("db2.internal")
        .expect("a DNS name")
        .to_owned();
    let err = classify(
        rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            expected,
            // webpki's own rendering of a certificate's names.
            presented: vec![
                "DnsName(\"db1.internal\")".to_owned(),
                "IpAddress(10.0.0.1)".to_owned(),
            ],
        }),
        Some("/etc/cor4/ca.pem"),
        "db2.internal",
    );
    assert!(matches!(err, TlsError::NameMismatch { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the server's certificate does not match the host name \"db2.internal\" \
         (name mismatch; it names db1.internal, 10.0.0.1)"
    );
}

#[test]
fn names_a_name_mismatch_without_the_certificates_names() {
    let err = classify(
        rustls::Error::InvalidCertificate(CertificateError::NotValidForName),
        None,
        "db2.internal",
    );
    let message = err.to_string();
    assert!(message.contains("name mismatch"), "{message}");
    assert!(message.contains("\"db2.internal\""), "{message}");
}

#[test]
fn points_at_the_client_certificate_when_the_server_aborts() {
    let err = classify(
        rustls::Error::AlertReceived(AlertDescription::CertificateRequired),
        None,
        "db.internal",
    );
    assert!(matches!(err, TlsError::Alert(_)), "{err:?}");
    assert!(
        err.to_string().contains("check sslcert and sslkey"),
        "{err}"
    );
}
