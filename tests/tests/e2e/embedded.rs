use std::time::{Duration, Instant};

use cor4_protocol::ErrorCode;
use cor4_protocol::client::{Client, Config};
use cor4_tests::EmbeddedProxy;

/// The README's first command, in a fresh data directory: the proxy runs its
/// own PostgreSQL, creates `admin`, prints the password once, and accepts a
/// login with it.
#[tokio::test]
async fn embedded_default_starts_prints_admin_password_and_accepts_login() {
    let mut proxy = EmbeddedProxy::start(
        "embedded",
        &["--kdf-memory", "256", "--kdf-iterations", "1"],
    );
    let client = Client::connect(&admin_config(&proxy))
        .await
        .expect("admin login");
    let rows = client
        .query_all("SELECT current_user::text", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), "admin");
    client.close().await.unwrap();

    let status = proxy.stop().expect("proxy was running");
    assert!(status.success(), "proxy exit status {status}");
    // The cluster was stopped with the proxy.
    assert!(
        !proxy.data_dir().join("pgdata/postmaster.pid").exists(),
        "PostgreSQL still running"
    );
}

/// `kill -9` of the embedded postmaster: the proxy notices, refuses logins
/// with ERROR 35 (never a bare close) while it restarts PostgreSQL, and
/// logins work again without anyone's help.
#[tokio::test]
async fn a_killed_embedded_postgres_is_restarted_and_logins_resume() {
    let proxy = EmbeddedProxy::start(
        "supervised",
        &["--kdf-memory", "256", "--kdf-iterations", "1"],
    );
    let config = admin_config(&proxy);
    Client::connect(&config)
        .await
        .expect("login before the crash")
        .close()
        .await
        .unwrap();
    let pid = proxy.postmaster_pid().expect("postmaster pid");
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());

    // Within the 10 s every login is either refused with ERROR 35
    // or, once PostgreSQL is back, a working session.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut refused = 0;
    loop {
        match Client::connect(&config).await {
            Ok(client) => match client.query_all("SELECT 1", &[]).await {
                Ok(_) => break,
                Err(e) => panic!("a session after the crash failed its query: {e}"),
            },
            Err(e) => {
                assert_eq!(
                    e.error_code(),
                    Some(ErrorCode::BackendUnavailable),
                    "a login while PostgreSQL is down: {e}"
                );
                refused += 1;
            }
        }
        assert!(
            Instant::now() < deadline,
            "logins still refused 10 s after the crash ({refused} refused); log: {:?}",
            proxy.drain_log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log = proxy.drain_log();
    assert!(
        log.iter()
            .any(|l| l.contains("embedded PostgreSQL stopped unexpectedly")),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.contains("embedded PostgreSQL restarted")),
        "{log:?}"
    );
    assert_ne!(proxy.postmaster_pid(), Some(pid), "a new postmaster runs");
}

fn admin_config(proxy: &EmbeddedProxy) -> Config {
    let addr = proxy.addr();
    Config::new(
        &addr.ip().to_string(),
        addr.port(),
        "admin",
        proxy.admin_password(),
    )
}
