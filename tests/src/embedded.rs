//! Running `cor4-proxy` on its embedded PostgreSQL, as the README's first
//! command does, in a throwaway data directory.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crate::binary;

/// A `cor4-proxy serve` that runs its own PostgreSQL in a fresh data
/// directory; on drop it is stopped with SIGTERM (stopping its cluster) and
/// the directory removed.
pub struct EmbeddedProxy {
    child: Option<Child>,
    dir: PathBuf,
    addr: SocketAddr,
    password: String,
    lines: Receiver<String>,
}

impl EmbeddedProxy {
    /// Starts it in a new directory named after `name`, with `extra` flags
    /// after `serve`, and waits for the admin password and the listening
    /// line.
    ///
    /// # Panics
    ///
    /// When it does not start within two minutes.
    pub fn start(name: &str, extra: &[&str]) -> EmbeddedProxy {
        let dir = std::env::temp_dir().join(format!("cor4-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut child = Command::new(binary("cor4-proxy"))
            .arg("--data-dir")
            .arg(&dir)
            .args(["serve", "--listen", "127.0.0.1:0", "--audit-log", "-"])
            .args(extra)
            .env_remove("COR4_DATABASE_URL")
            .env("COR4_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cor4-proxy");
        let (tx, lines) = std::sync::mpsc::channel::<String>();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
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
        let mut proxy = EmbeddedProxy {
            child: Some(child),
            dir,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            password: String::new(),
            lines,
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut addr = None;
        while proxy.password.is_empty() || addr.is_none() {
            let line = proxy
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("proxy output within 120 s");
            if let Some(rest) = line.split("with password: ").nth(1) {
                proxy.password = rest.trim().to_owned();
            }
            if let Some(rest) = line.split("accepting sessions").nth(1) {
                addr = rest
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("listen="))
                    .and_then(|a| a.parse::<SocketAddr>().ok());
            }
        }
        proxy.addr = addr.expect("listen address");
        proxy
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The generated password of `admin`.
    pub fn admin_password(&self) -> &str {
        &self.password
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    /// The embedded postmaster's pid, from its pid file.
    pub fn postmaster_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.dir.join("pgdata/postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// Output lines (stdout and stderr) printed so far and not yet read.
    pub fn drain_log(&self) -> Vec<String> {
        self.lines.try_iter().collect()
    }

    /// Sends SIGTERM and waits (up to 20 s, then SIGKILL) for the exit.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        child.wait().ok()
    }
}

impl Drop for EmbeddedProxy {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
