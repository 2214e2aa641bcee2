//! Faults at start: an unreachable database is retried, each attempt says
//! why, and the last error says what to do.

use std::process::Command;

use cor4_tests::free_port;

#[test]
fn an_unreachable_database_is_retried_with_the_cause_each_time() {
    let port = free_port();
    let output = Command::new(cor4_tests::binary("cor4-proxy"))
        .args(["serve", "--listen", "127.0.0.1:0", "--connect-retry", "2"])
        .env(
            "COR4_DATABASE_URL",
            format!("host=127.0.0.1 port={port} user=cor4 dbname=cor4 connect_timeout=2"),
        )
        .env_remove("COR4_DATA_DIR")
        .output()
        .expect("run cor4-proxy");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "gave up: {stderr}");
    let retries = stderr.lines().filter(|l| l.contains("retrying")).count();
    assert!(retries >= 2, "one line per attempt: {stderr}");
    assert!(
        stderr.to_lowercase().contains("refused"),
        "the cause is named: {stderr}"
    );
    assert!(
        stderr.contains("--connect-retry"),
        "the last error says what to do: {stderr}"
    );
}
