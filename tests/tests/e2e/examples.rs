use std::process::Command;

use super::*;

/// The client crate's example program runs against a real proxy and
/// prints what it read.
#[tokio::test]
async fn quickstart_example_runs() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("example").await;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "run",
            "-q",
            "-p",
            "cor4-protocol",
            "--example",
            "quickstart",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COR4_HOST", proxy.addr().ip().to_string())
        .env("COR4_PORT", proxy.addr().port().to_string())
        .env("COR4_USER", &user)
        .env("COR4_PASSWORD", &password)
        .output()
        .expect("run the example");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("inserted 2 rows"), "{stdout}");
    assert!(
        stdout.contains("1 budapest Some(1873-11-17) 525.2"),
        "{stdout}"
    );
    assert!(stdout.contains("2 zomba None 39.1"), "{stdout}");
    assert!(stdout.contains("2,zomba,,39.1\n"), "{stdout}");
    assert!(
        stdout.contains("error as expected: ERROR: relation \"no_such_table\" does not exist"),
        "{stdout}"
    );
}
