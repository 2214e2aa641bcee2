use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cor4_protocol::client::Client;

/// The README's first command, in a fresh data directory: the proxy runs its
/// own PostgreSQL, creates `admin`, prints the password once, and accepts a
/// login with it.
#[tokio::test]
async fn embedded_default_starts_prints_admin_password_and_accepts_login() {
    let dir = std::env::temp_dir().join(format!("cor4-e2e-embedded-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let child = Command::new(cor4_tests::binary("cor4-proxy"))
        .args(["--data-dir"])
        .arg(&dir)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--kdf-memory",
            "256",
            "--kdf-iterations",
            "1",
        ])
        .env_remove("COR4_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cor4-proxy");
    let mut child = KillOnDrop(Some(child));
    let stdout = child.get().stdout.take().expect("stdout");
    let stderr = child.get().stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    std::thread::spawn(move || {
        for l in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx2.send(l);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let (mut password, mut addr) = (None, None);
    while password.is_none() || addr.is_none() {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("proxy output within 120 s");
        if let Some(rest) = line.split("with password: ").nth(1) {
            password = Some(rest.trim().to_owned());
        }
        if let Some(rest) = line.split("accepting sessions").nth(1) {
            addr = rest
                .split_whitespace()
                .find_map(|w| w.strip_prefix("listen="))
                .and_then(|a| a.parse::<std::net::SocketAddr>().ok());
        }
    }
    let (password, addr) = (password.unwrap(), addr.unwrap());
    let config =
        cor4_protocol::client::Config::new(&addr.ip().to_string(), addr.port(), "admin", &password);
    let client = Client::connect(&config).await.expect("admin login");
    let rows = client
        .query_all("SELECT current_user::text", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), "admin");
    client.close().await.unwrap();

    let mut child = child.0.take().expect("child");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "proxy exit status {status}");
    // The cluster was stopped with the proxy.
    assert!(
        !dir.join("pgdata/postmaster.pid").exists(),
        "PostgreSQL still running"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Stops the proxy (and with it its cluster) if the test fails half-way.
struct KillOnDrop(Option<std::process::Child>);

impl KillOnDrop {
    fn get(&mut self) -> &mut std::process::Child {
        self.0.as_mut().expect("child")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
