//! SIGHUP reloads what can change while running, logs what changed, and
//! names what needs a restart.

use std::process::Command;
use std::time::{Duration, Instant};

use cor4_protocol::ErrorCode;
use cor4_protocol::client::Client;

use super::*;

/// Waits for a log line containing every one of `parts`; returns every
/// line logged until then.
fn wait_for_line(proxy: &Proxy, parts: &[&str]) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    loop {
        seen.extend(proxy.drain_log());
        if seen.iter().any(|l| parts.iter().all(|p| l.contains(p))) {
            return seen;
        }
        assert!(
            Instant::now() < deadline,
            "no log line with {parts:?}: {seen:#?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
async fn sighup_applies_new_limits_and_names_restart_only_settings() {
    let dir = std::env::temp_dir().join(unique_name("cor4-reload"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("cor4.toml");
    std::fs::write(&file, "max_sessions = 5\n").expect("write config");
    let proxy = Proxy::start(&["--config", file.to_str().expect("utf-8 path")]);
    let (user, password) = new_user("reload").await;

    std::fs::write(
        &file,
        "max_sessions = 1\nlog_level = \"debug\"\nmax_record = 2048\n",
    )
    .expect("rewrite config");
    let sent = Command::new("kill")
        .args(["-HUP", &proxy.pid().to_string()])
        .status()
        .expect("kill -HUP");
    assert!(sent.success());
    let log = wait_for_line(&proxy, &["configuration reloaded", "max_sessions: 5 → 1"]);
    assert!(
        log.iter()
            .any(|l| l.contains("need a restart") && l.contains("max_record")),
        "the restart-only setting is named: {log:#?}"
    );

    // The new limit holds: one session, and the second is refused.
    let first = connect(&proxy, &user, &password).await;
    let second = Client::connect(&config(&proxy, &user, &password)).await;
    let Err(err) = second else {
        panic!("the second session is refused");
    };
    assert_eq!(err.error_code(), Some(ErrorCode::TooManySessions), "{err}");
    first.close().await.expect("close");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_login_past_max_backends_is_refused_before_ok() {
    let proxy = Proxy::start(&["--max-backends", "1"]);
    let (user, password) = new_user("backends").await;
    let first = connect(&proxy, &user, &password).await;
    let Err(err) = Client::connect(&config(&proxy, &user, &password)).await else {
        panic!("no PostgreSQL connection left");
    };
    assert_eq!(
        err.error_code(),
        Some(ErrorCode::BackendUnavailable),
        "{err}"
    );
    assert!(err.to_string().contains("no connection left"), "{err}");
    first.close().await.expect("close");
    // The slot is given back with the session.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Client::connect(&config(&proxy, &user, &password)).await {
            Ok(again) => {
                again.close().await.expect("close");
                break;
            }
            Err(e) => assert!(Instant::now() < deadline, "slot never freed: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
