//! Operators and live sessions across two proxies on one database:
//! `cor4-proxy sessions` lists both proxies' sessions with their client
//! addresses, `kill` ends a session on the other proxy with ERROR 38,
//! `--duplicate-login replace` ends the older session (ERROR 40), `refuse`
//! refuses the newer login (ERROR 39), and `user lock` ends every live
//! session of the user with ERROR 2.

use std::process::Command;
use std::time::{Duration, Instant};

use cor4_protocol::ErrorCode;
use cor4_protocol::client::Client;
use cor4_tests::test_database;

use super::*;

/// How long any observable change may take.
const DEADLINE: Duration = Duration::from_secs(30);

/// `cor4-proxy ARGS` against the test database; its stdout.
fn admin(args: &[&str]) -> String {
    let out = Command::new(cor4_tests::binary("cor4-proxy"))
        .args(args)
        .env("COR4_DATABASE_URL", test_database().url())
        .output()
        .expect("run cor4-proxy");
    assert!(
        out.status.success(),
        "cor4-proxy {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The live sessions of `user`, as `sessions --json` lists them.
fn sessions_of(user: &str) -> Vec<serde_json::Value> {
    admin(&["sessions", "--json"])
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["user"] == user)
        .collect()
}

/// Waits until `user` has `n` listed sessions; returns them.
async fn wait_for_sessions(user: &str, n: usize) -> Vec<serde_json::Value> {
    let start = Instant::now();
    loop {
        let list = sessions_of(user);
        if list.len() == n {
            return list;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{user} has {} sessions, not {n}",
            list.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until `client`'s session is ended by the server; returns the code
/// of the ERROR it gave.
async fn ended_with(client: &Client) -> Option<ErrorCode> {
    let start = Instant::now();
    loop {
        match client.query_all("SELECT 1", &[]).await {
            Ok(_) => {}
            Err(e) => return e.error_code(),
        }
        assert!(start.elapsed() < DEADLINE, "the session was not ended");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn operators_list_and_end_sessions_on_every_proxy() {
    let a = Proxy::start(&[]);
    let b = Proxy::start(&[]);
    let (user, password) = new_user("ops").await;
    let on_a = connect(&a, &user, &password).await;
    let on_b = connect(&b, &user, &password).await;
    let listed = wait_for_sessions(&user, 2).await;
    let proxies: std::collections::BTreeSet<String> = listed
        .iter()
        .map(|s| s["proxy"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(proxies.len(), 2, "one session per proxy: {listed:?}");
    for s in &listed {
        assert!(
            s["client"]
                .as_str()
                .unwrap_or_default()
                .starts_with("127.0.0.1:"),
            "{s}"
        );
    }
    let table = admin(&["sessions"]);
    assert!(table.contains(&user), "{table}");

    // Kill the session held by proxy b, from the command line.
    let b_id = listed
        .iter()
        .find(|s| {
            s["proxy"]
                .as_str()
                .unwrap_or_default()
                .ends_with(&format!(":{}", b.addr().port()))
        })
        .and_then(|s| s["id"].as_str())
        .expect("b's session")
        .to_owned();
    let said = admin(&["kill", &b_id]);
    assert!(said.contains(&b_id), "{said}");
    assert_eq!(ended_with(&on_b).await, Some(ErrorCode::SessionEnded));
    // The other session is untouched.
    on_a.query_all("SELECT 1", &[])
        .await
        .expect("a's session goes on");
    wait_for_sessions(&user, 1).await;

    // A lock ends every session of the user, on any proxy, with ERROR 2.
    admin(&["user", "lock", &user]);
    assert_eq!(ended_with(&on_a).await, Some(ErrorCode::AccountLocked));
    wait_for_sessions(&user, 0).await;
}

#[tokio::test]
async fn kill_user_ends_all_of_a_users_sessions() {
    let a = Proxy::start(&[]);
    let (user, password) = new_user("killu").await;
    let one = connect(&a, &user, &password).await;
    let two = connect(&a, &user, &password).await;
    wait_for_sessions(&user, 2).await;
    admin(&["kill", "--user", &user]);
    assert_eq!(ended_with(&one).await, Some(ErrorCode::SessionEnded));
    assert_eq!(ended_with(&two).await, Some(ErrorCode::SessionEnded));
}

#[tokio::test]
async fn duplicate_logins_are_replaced_or_refused_across_proxies() {
    let a = Proxy::start(&["--duplicate-login", "replace"]);
    let b = Proxy::start(&["--duplicate-login", "replace"]);
    let (user, password) = new_user("dup").await;
    let older = connect(&a, &user, &password).await;
    wait_for_sessions(&user, 1).await;
    let newer = connect(&b, &user, &password).await;
    assert_eq!(ended_with(&older).await, Some(ErrorCode::SessionReplaced));
    newer
        .query_all("SELECT 1", &[])
        .await
        .expect("the newer session goes on");
    wait_for_sessions(&user, 1).await;

    let c = Proxy::start(&["--duplicate-login", "refuse"]);
    let refused = match Client::connect(&config(&c, &user, &password)).await {
        Err(e) => e.error_code(),
        Ok(client) => ended_with(&client).await,
    };
    assert_eq!(refused, Some(ErrorCode::DuplicateLogin));
    newer
        .query_all("SELECT 1", &[])
        .await
        .expect("the first session is untouched");
}
