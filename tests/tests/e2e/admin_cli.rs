//! `cor4-proxy user …` and `kill` as an operator runs them: every action audited, the
//! list shows ranges and locks, a reset can force a password change.

use std::io::Write;
use std::process::{Command, Stdio};

use super::*;

/// Runs `cor4-proxy ARGS` on the test database with `stdin`; returns
/// stdout and stderr (where the audit log goes with --database-url).
fn cor4_proxy(args: &[&str], stdin: &str) -> (String, String) {
    let mut child = Command::new(cor4_tests::binary("cor4-proxy"))
        .args(args)
        .env("COR4_DATABASE_URL", test_database().url())
        .env(
            "COR4_KDF_MEMORY",
            cor4_tests::TEST_KSF.memory_kib.to_string(),
        )
        .env(
            "COR4_KDF_ITERATIONS",
            cor4_tests::TEST_KSF.iterations.to_string(),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cor4-proxy");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("cor4-proxy output");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "cor4-proxy {args:?}: {stderr}");
    (stdout, stderr)
}

/// The audit record of `event` for `user` among `stderr`'s lines.
fn audited(stderr: &str, event: &str, user: &str) -> serde_json::Value {
    stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["event"] == event && v["user"] == user)
        .unwrap_or_else(|| panic!("no {event} record for {user} in: {stderr}"))
}

/// The line of `user` in `user list`.
fn listed(user: &str) -> String {
    let (list, _) = cor4_proxy(&["user", "list"], "");
    list.lines()
        .find(|l| l.starts_with(&format!("{user} ")))
        .unwrap_or_else(|| panic!("{user} not listed: {list}"))
        .to_owned()
}

#[tokio::test]
async fn admin_actions_are_audited_and_listed() {
    let user = unique_name("ops");
    let password = format!("{user} first password");
    let (_, err) = cor4_proxy(&["user", "add", &user, "--password-stdin"], &password);
    audited(&err, "user_add", &user);
    // COR4_KDF_MEMORY / COR4_KDF_ITERATIONS set the verifier's cost.
    let record = store().await.lookup(&user).await.unwrap().expect("added");
    assert_eq!(
        record.verifier.expect("a v3 verifier").ksf(),
        cor4_tests::TEST_KSF
    );

    let (_, err) = cor4_proxy(&["user", "allow", &user, "10.1.0.0/16"], "");
    assert_eq!(
        audited(&err, "user_allow", &user)["ranges"][0],
        "10.1.0.0/16"
    );
    assert!(listed(&user).ends_with("10.1.0.0/16"), "{}", listed(&user));
    let (_, err) = cor4_proxy(&["user", "allow", &user], "");
    audited(&err, "user_allow", &user);
    assert!(listed(&user).ends_with("anywhere"), "{}", listed(&user));

    let (_, err) = cor4_proxy(&["user", "lock", &user], "");
    audited(&err, "user_lock", &user);
    assert!(listed(&user).contains(" locked "), "{}", listed(&user));
    let (_, err) = cor4_proxy(&["user", "unlock", &user], "");
    audited(&err, "user_unlock", &user);

    // A reset that forces a change at the next login.
    let reset = format!("{user} second password");
    let (_, err) = cor4_proxy(
        &[
            "user",
            "passwd",
            &user,
            "--password-stdin",
            "--must-change-password",
        ],
        &reset,
    );
    assert_eq!(
        audited(&err, "user_passwd", &user)["must_change_password"],
        true
    );
    let proxy = Proxy::start(&[]);
    let client = connect(&proxy, &user, &reset).await;
    assert!(client.must_change_password(), "the reset forces a change");
    client.close().await.expect("close");

    // Ending sessions is an admin action too (its effect is in sessions.rs).
    let (said, err) = cor4_proxy(&["kill", "--user", &user], "");
    assert!(said.contains(&user), "{said}");
    assert!(!audited(&err, "session_kill", &user)["by"].is_null());

    let (_, err) = cor4_proxy(&["user", "remove", &user], "");
    audited(&err, "user_remove", &user);
}
