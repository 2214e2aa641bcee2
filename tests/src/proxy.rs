//! Running the real `cor4-proxy` binary against the test database.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::{TEST_KSF, test_database};

/// Path of a workspace binary, built on first use so the tests never run a
/// stale one.
pub fn binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    // target/<profile>/deps/<test exe> or target/<profile>/<bin> →
    // target/<profile>/<name>
    let exe = std::env::current_exe().expect("current exe");
    let mut dir = exe.parent().expect("target dir").to_path_buf();
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir.pop();
    }
    let release = dir.file_name().is_some_and(|n| n == "release");
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .args(["build", "-p", "cor4-proxy", "-p", "cor4-cli", "--bins"])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        // Cargo runs tests with the test crate's CARGO_MANIFEST_DIR,
        // CARGO_PKG_* and so on set. ring's build script watches those
        // (rerun-if-env-changed), so passing them on would rebuild ring,
        // rustls and the proxy here and again at the next `cargo test`.
        for (key, _) in std::env::vars_os() {
            if key.to_str().is_some_and(is_per_crate_cargo_var) {
                build.env_remove(key);
            }
        }
        if release {
            build.arg("--release");
        }
        let status = build.status().expect("run cargo build");
        assert!(status.success(), "building the binaries failed");
    });
    dir.join(name)
}

/// The variables Cargo sets for one crate's build script or test, as
/// opposed to the CARGO_HOME, CARGO_TARGET_DIR, … that configure Cargo.
fn is_per_crate_cargo_var(key: &str) -> bool {
    const EXACT: [&str; 9] = [
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_MANIFEST_LINKS",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    EXACT.contains(&key) || key.starts_with("CARGO_PKG_") || key.starts_with("CARGO_BIN_EXE_")
}

/// A running `cor4-proxy serve`, stopped (SIGTERM) on drop.
pub struct Proxy {
    child: Child,
    addr: SocketAddr,
    metrics: Option<SocketAddr>,
    stderr_lines: std::sync::mpsc::Receiver<String>,
    startup_lines: std::sync::Mutex<Vec<String>>,
}

impl Proxy {
    /// Starts the proxy on a free loopback port against the test database,
    /// with `extra` flags and the tests' Argon2id cost ([`TEST_KSF`],
    /// unless `extra` has `--kdf-memory`).
    pub fn start(extra: &[&str]) -> Proxy {
        Self::start_on(&test_database().url(), extra)
    }

    /// Like [`start`](Self::start), with the user store in the database at
    /// `database_url`.
    pub fn start_on(database_url: &str, extra: &[&str]) -> Proxy {
        let (memory, passes) = (
            TEST_KSF.memory_kib.to_string(),
            TEST_KSF.iterations.to_string(),
        );
        // The tests' cheap Argon2id unless `extra` chooses a cost.
        let cost: &[&str] = if extra.contains(&"--kdf-memory") {
            &[]
        } else {
            &["--kdf-memory", &memory, "--kdf-iterations", &passes]
        };
        let mut child = Command::new(binary("cor4-proxy"))
            .args(["serve", "--listen", "127.0.0.1:0", "--audit-log", "-"])
            .args(cost)
            .args(extra)
            .env("COR4_DATABASE_URL", database_url)
            .env("COR4_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cor4-proxy");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut metrics = None;
        let mut startup_lines = Vec::new();
        let addr = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = rx.recv_timeout(left) else {
                // Never leave a half-started proxy behind a failed test.
                let _ = child.kill();
                let _ = child.wait();
                panic!("cor4-proxy did not start within 60 s");
            };
            if let Some(rest) = line.split("serving metrics and health").nth(1) {
                metrics = rest
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("listen="))
                    .and_then(|a| a.parse().ok());
            }
            startup_lines.push(line.clone());
            if let Some(rest) = line.split("accepting sessions").nth(1) {
                let addr = rest
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("listen="))
                    .and_then(|a| a.parse().ok());
                match addr {
                    Some(addr) => break addr,
                    None => {
                        let _ = child.kill();
                        let _ = child.wait();
                        panic!("no listen=ADDR in the startup line: {line}");
                    }
                }
            }
        };
        Proxy {
            child,
            addr,
            metrics,
            stderr_lines: rx,
            startup_lines: std::sync::Mutex::new(startup_lines),
        }
    }

    /// Where it serves metrics and health (`--metrics-listen`), if it does.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
    }

    /// The proxy's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The proxy's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident set size of the proxy process, and its peak, in KiB.
    pub fn rss_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("read /proc status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// CPU time the proxy has used so far, all threads together (the sum
    /// of each thread's `schedstat`, in nanoseconds).
    pub fn cpu_time(&self) -> std::time::Duration {
        let dir = format!("/proc/{}/task", self.pid());
        let mut ns = 0u64;
        for task in std::fs::read_dir(&dir).expect("read /proc tasks").flatten() {
            let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            ns += stat
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
        std::time::Duration::from_nanos(ns)
    }

    /// Stderr lines (logs and audit events) printed so far and not yet
    /// drained, those of the start included.
    pub fn drain_log(&self) -> Vec<String> {
        let mut lines = self
            .startup_lines
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default();
        lines.extend(self.stderr_lines.try_iter());
        lines
    }

    /// Kills the process (SIGKILL), as a crash or an OOM kill would, and
    /// waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return self.child.wait().expect("wait");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.terminate();
        }
    }
}
