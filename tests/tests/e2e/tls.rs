//! TLS to PostgreSQL: a server with `ssl=on` and a CA made here; the
//! relay's frontend, the user store and the whole proxy connect with each
//! `sslmode`, and the failures say what failed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cor4_proxy::UserStore;
use cor4_proxy::{Event, PgConfig, PgConn, PgError};
use cor4_tests::{PgServer, Proxy};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};

/// The names the server's certificate is for.
const SERVER_NAMES: [&str; 2] = ["db.cor4.test", "127.0.0.1"];

/// Certificates and keys, as PEM files in a directory of their own.
struct Pki {
    dir: PathBuf,
    ca: PathBuf,
    wrong_ca: PathBuf,
    client_cert: PathBuf,
    client_key: PathBuf,
    server_cert: String,
    server_key: String,
    ca_pem: String,
}

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

impl Pki {
    fn new() -> Pki {
        let dir = std::env::temp_dir().join(crate::unique_name("cor4-e2e-tls"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ca = ca("cor4 test CA");
        let wrong = ca_pem_only("someone else's CA");

        let server_key = KeyPair::generate().unwrap();
        let server = CertificateParams::new(SERVER_NAMES.map(String::from).to_vec())
            .unwrap()
            .signed_by(&server_key, &ca)
            .unwrap();

        let client_key = KeyPair::generate().unwrap();
        let mut client = CertificateParams::new(Vec::<String>::new()).unwrap();
        client
            .distinguished_name
            .push(DnType::CommonName, "cert_user");
        let client = client.signed_by(&client_key, &ca).unwrap();

        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        Pki {
            ca: write("ca.pem", &ca.pem()),
            wrong_ca: write("wrong-ca.pem", &wrong),
            client_cert: write("client.crt", &client.pem()),
            client_key: write("client.key", &client_key.serialize_pem()),
            server_cert: server.pem(),
            server_key: server_key.serialize_pem(),
            ca_pem: ca.pem(),
            dir,
        }
    }
}

fn ca_pem_only(name: &str) -> String {
    ca(name).pem()
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A server that takes only TLS on TCP, and client certificates for
/// `cert_user`.
fn tls_server(pki: &Pki) -> PgServer {
    let server = PgServer::init();
    server.write_file("server.crt", &pki.server_cert);
    server.write_file("server.key", &pki.server_key);
    server.write_file("ca.crt", &pki.ca_pem);
    server.set(
        "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'ca.crt'\n",
    );
    server.hba(
        "hostnossl all all 127.0.0.1/32 reject\n\
         hostssl all cert_user 127.0.0.1/32 cert\n\
         hostssl all all 127.0.0.1/32 scram-sha-256\n",
    );
    server.start();
    server.psql("CREATE ROLE cert_user LOGIN");
    server
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// Connects with the relay's frontend and reports whether the session is
/// encrypted (from `pg_stat_ssl`).
async fn relay_ssl(conninfo: &str) -> Result<bool, PgError> {
    let config = PgConfig::parse(conninfo).expect("a valid connection string");
    let mut conn = PgConn::connect(&config, &[]).await?;
    conn.send_query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .await?;
    let mut ssl = None;
    loop {
        match conn.next_event().await? {
            Event::DataRow(row) => ssl = Some(row.get(0) == Some(b"t".as_slice())),
            Event::Ready(_) => break,
            Event::Error(e) => panic!("query failed: {e:?}"),
            _ => {}
        }
    }
    conn.close().await?;
    Ok(ssl.expect("one row"))
}

#[tokio::test]
async fn tls_modes_connect_to_a_server_they_trust() {
    let pki = Pki::new();
    let server = tls_server(&pki);
    let ca = path(&pki.ca);

    // verify-full, by IP address and by name (hostaddr connects).
    let full = server.url(&format!("sslmode=verify-full sslrootcert={ca}"));
    assert!(relay_ssl(&full).await.unwrap(), "not encrypted");
    let by_name = server.url_with_host(
        "host=db.cor4.test hostaddr=127.0.0.1",
        &format!("sslmode=verify-full sslrootcert={ca}"),
    );
    assert!(relay_ssl(&by_name).await.unwrap());

    // verify-ca checks the chain, not the name.
    let other_name = server.url_with_host(
        "host=wrong.cor4.test hostaddr=127.0.0.1",
        &format!("sslmode=verify-ca sslrootcert={ca}"),
    );
    assert!(relay_ssl(&other_name).await.unwrap());

    // require encrypts without checking; prefer takes TLS when offered;
    // disable meets the server's hostnossl reject.
    assert!(relay_ssl(&server.url("sslmode=require")).await.unwrap());
    assert!(relay_ssl(&server.url("")).await.unwrap());
    let message = error_chain(&relay_ssl(&server.url("sslmode=disable")).await.unwrap_err());
    assert!(message.contains("no encryption"), "{message}");

    // A client certificate instead of a password.
    let cert_login = format!(
        "host=127.0.0.1 port={} user=cert_user dbname=postgres sslmode=verify-full \
         sslrootcert={ca} sslcert={} sslkey={}",
        server.port(),
        path(&pki.client_cert),
        path(&pki.client_key)
    );
    assert!(relay_ssl(&cert_login).await.unwrap());

    // The user store (tokio-postgres with the same connector).
    let store = UserStore::open(PgConfig::parse(&full).unwrap()).await;
    assert!(store.is_ok(), "{:?}", store.err());
}

/// A CA that did not sign the server's certificate: both connection paths
/// say "unknown CA" and name the file they trusted.
#[tokio::test]
async fn rejects_a_server_signed_by_an_unknown_ca() {
    let pki = Pki::new();
    let server = tls_server(&pki);
    let wrong_ca = path(&pki.wrong_ca);
    let url = server.url(&format!("sslmode=verify-full sslrootcert={wrong_ca}"));

    let message = relay_ssl(&url).await.unwrap_err().to_string();
    assert!(message.contains("unknown CA"), "{message}");
    assert!(message.contains(&wrong_ca), "{message}");

    let err = UserStore::open(PgConfig::parse(&url).unwrap())
        .await
        .expect_err("the wrong CA is refused");
    let chain = error_chain(&err);
    assert!(chain.contains("unknown CA"), "{chain}");
}

/// verify-full with a host the certificate does not name: both paths say
/// "name mismatch", the host asked for and the names the certificate holds.
#[tokio::test]
async fn rejects_a_name_mismatch_under_verify_full() {
    let pki = Pki::new();
    let server = tls_server(&pki);
    let url = server.url_with_host(
        "host=wrong.cor4.test hostaddr=127.0.0.1",
        &format!("sslmode=verify-full sslrootcert={}", path(&pki.ca)),
    );

    let message = relay_ssl(&url).await.unwrap_err().to_string();
    assert!(message.contains("name mismatch"), "{message}");
    assert!(message.contains("\"wrong.cor4.test\""), "{message}");
    assert!(
        message.contains("it names db.cor4.test, 127.0.0.1"),
        "{message}"
    );

    let err = UserStore::open(PgConfig::parse(&url).unwrap())
        .await
        .expect_err("the wrong name is refused");
    let chain = error_chain(&err);
    assert!(chain.contains("name mismatch"), "{chain}");
}

/// A server with `ssl=off`: `require` says the server does not support
/// SSL, on both paths; `prefer` goes on in clear.
#[tokio::test]
async fn says_when_the_server_does_not_support_ssl() {
    let server = PgServer::init();
    server.start();
    let require = server.url("sslmode=require");

    let message = relay_ssl(&require).await.unwrap_err().to_string();
    assert!(
        message.contains("does not support SSL") && message.contains("sslmode=require"),
        "{message}"
    );

    // tokio-postgres answers the SSLRequest itself, in its own words.
    let err = UserStore::open(PgConfig::parse(&require).unwrap())
        .await
        .expect_err("require without TLS is refused");
    let chain = error_chain(&err);
    assert!(chain.contains("does not support TLS"), "{chain}");

    assert!(!relay_ssl(&server.url("sslmode=prefer")).await.unwrap());
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The whole proxy on verify-full: sessions are encrypted to PostgreSQL and
/// queries work as before; with the wrong CA it refuses to start and says
/// why.
#[tokio::test]
async fn proxy_runs_over_verified_tls() {
    let pki = Pki::new();
    let server = tls_server(&pki);
    let url = server.url(&format!(
        "sslmode=verify-full sslrootcert={}",
        path(&pki.ca)
    ));
    let store = UserStore::open(PgConfig::parse(&url).unwrap())
        .await
        .expect("user store over TLS");
    store
        .add_user(
            "tls_alice",
            "tls alice password",
            None,
            false,
            cor4_tests::TEST_KSF,
        )
        .await
        .unwrap();
    let proxy = Proxy::start_on(&url, &[]);
    let addr = proxy.addr();
    let config = cor4_protocol::client::Config::new(
        &addr.ip().to_string(),
        addr.port(),
        "tls_alice",
        "tls alice password",
    );
    let client = cor4_protocol::client::Client::connect(&config)
        .await
        .expect("login through the proxy");
    let row = client
        .query_one(
            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    assert!(row.get::<_, bool>(0), "the session's backend is not on TLS");
    assert!(row.get::<_, &str>(1).starts_with("TLSv1"));
    let rows = client
        .query_all("SELECT g, g * g FROM generate_series(1, 1000) g", &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1000);
    assert_eq!(rows[999].get::<_, i32>(1), 1_000_000);
    client.close().await.unwrap();
    drop(proxy);

    let wrong = server.url(&format!(
        "sslmode=verify-full sslrootcert={}",
        path(&pki.wrong_ca)
    ));
    let output = Command::new(cor4_tests::binary("cor4-proxy"))
        // No retries: the refusal is the same on every attempt.
        .args(["serve", "--listen", "127.0.0.1:0", "--connect-retry", "0"])
        .env("COR4_DATABASE_URL", &wrong)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown CA"), "{stderr}");
}
