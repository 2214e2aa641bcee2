//! Starts real clusters with the machine's PostgreSQL binaries.

#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use cor4_testpg::TempDir;

use super::*;

/// A fresh directory from the test harness (0711, so the server account
/// gets through); on drop, or if the process dies, any server in its
/// `pgdata/` is stopped and the directory removed.
fn temp_dir() -> TempDir {
    TempDir::new().unwrap()
}

fn wait_gone(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while process_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn select_one(cluster: &EmbeddedCluster) -> i32 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = cluster
            .admin_config()
            .connect(tokio_postgres::NoTls)
            .await
            .unwrap();
        let driver = tokio::spawn(connection);
        let row = client.query_one("SELECT 1", &[]).await.unwrap();
        drop(client);
        driver.await.unwrap().unwrap();
        row.get(0)
    })
}

#[test]
fn cluster_lifecycle() {
    let dir = temp_dir();
    let binaries = PgBinaries::locate(None).unwrap();

    let cluster = EmbeddedCluster::start(dir.path(), &binaries).unwrap();
    assert!(cluster.freshly_initialized());
    assert_eq!(select_one(&cluster), 1);
    let first_pid = cluster.postmaster_pid().unwrap();

    // The password file is the proxy's alone; the socket is not on TCP.
    let password_file = dir.path().join("superuser.password");
    let meta = std::fs::metadata(&password_file).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::read_to_string(&password_file).unwrap().trim(),
        cluster.superuser_password()
    );
    assert_eq!(cluster.superuser_password().len(), PASSWORD_LEN);
    assert!(cluster.socket_dir().join(".s.PGSQL.5432").exists());

    // A second start while it runs reuses the server.
    let again = EmbeddedCluster::start(dir.path(), &binaries).unwrap();
    assert!(!again.freshly_initialized());
    assert_eq!(again.postmaster_pid(), Some(first_pid));
    assert_eq!(select_one(&again), 1);

    // Stop, then start the existing cluster.
    cluster.stop().unwrap();
    assert_eq!(cluster.postmaster_pid(), None);
    cluster.stop().unwrap();
    let restarted = EmbeddedCluster::start(dir.path(), &binaries).unwrap();
    assert!(!restarted.freshly_initialized());
    assert_eq!(select_one(&restarted), 1);

    // A crash leaves a stale postmaster.pid; start must recover.
    let pid = restarted.postmaster_pid().unwrap();
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    wait_gone(pid);
    assert!(restarted.pgdata().join("postmaster.pid").exists());
    let recovered = EmbeddedCluster::start(dir.path(), &binaries).unwrap();
    assert_ne!(recovered.postmaster_pid(), Some(pid));
    assert_eq!(select_one(&recovered), 1);

    recovered.stop().unwrap();
    assert_eq!(recovered.postmaster_pid(), None);
}

#[test]
fn rejects_wrong_password() {
    let dir = temp_dir();
    let binaries = PgBinaries::locate(None).unwrap();
    let cluster = EmbeddedCluster::start(dir.path(), &binaries).unwrap();
    let mut config = cluster.admin_config();
    config.password("not the password");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(config.connect(tokio_postgres::NoTls));
    assert!(result.is_err());
    cluster.stop().unwrap();
}

#[test]
fn rejects_data_dir_with_quote() {
    let binaries = PgBinaries::locate(None).unwrap();
    let err = EmbeddedCluster::start(Path::new("/tmp/cor4 it's"), &binaries).unwrap_err();
    assert!(!Path::new("/tmp/cor4 it's").exists());
    assert!(
        matches!(err, EmbeddedError::UnsupportedPath { .. }),
        "{err}"
    );
}

#[test]
fn rejects_long_socket_path() {
    let binaries = PgBinaries::locate(None).unwrap();
    let dir = temp_dir();
    let long = dir.path().join("x".repeat(100));
    let err = EmbeddedCluster::start(&long, &binaries).unwrap_err();
    assert!(
        matches!(err, EmbeddedError::SocketPathTooLong { .. }),
        "{err}"
    );
    assert!(!long.exists());
}

#[test]
fn rejects_data_dir_the_server_account_cannot_reach() {
    let Some(account) = Account::for_server().unwrap() else {
        return; // Only root switches accounts.
    };
    let dir = temp_dir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let binaries = PgBinaries::locate(None).unwrap();
    let err = EmbeddedCluster::start(&dir.path().join("data"), &binaries).unwrap_err();
    match &err {
        EmbeddedError::DataDirUnreachable { user, blocked } => {
            assert_eq!(user, &account.name);
            assert_eq!(blocked, dir.path());
        }
        other => panic!("unexpected error: {other}"),
    }
    assert!(err.to_string().contains("--data-dir"));
}

#[test]
fn errors_are_one_line() {
    let err = EmbeddedError::BinariesNotFound { explicit: None };
    let message = err.to_string();
    assert!(message.contains("apt-get install postgresql"), "{message}");
    assert!(message.contains("--pg-bindir"), "{message}");
    let err = EmbeddedError::DataDirUnreachable {
        user: "postgres".into(),
        blocked: "/root".into(),
    };
    assert!(err.to_string().contains("/root"));
    for err in [
        EmbeddedError::BinariesNotFound { explicit: None },
        EmbeddedError::NoUnprivilegedAccount,
        EmbeddedError::UnknownUser,
        err,
    ] {
        assert!(!err.to_string().contains('\n'), "{err}");
    }
}

#[test]
fn sees_own_process_alive() {
    assert!(process_alive(std::process::id()));
    assert!(!process_alive(u32::MAX));
}

#[test]
fn last_line_skips_blank_lines() {
    assert_eq!(last_line(b"a\nb  \n\n").as_deref(), Some("b"));
    assert_eq!(last_line(b"\n \n"), None);
}
