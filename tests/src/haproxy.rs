//! HAProxy (the distribution's package) in TCP mode in front of several
//! proxies, as an operator would run it.

use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::free_port;

/// A running `haproxy`, killed on drop.
#[derive(Debug)]
pub struct Haproxy {
    child: Child,
    addr: SocketAddr,
    config: PathBuf,
}

/// The configuration: round robin over `servers`, health-checked by TCP
/// connect every 500 ms, a failed connect retried on another server.
fn config_text(listen: SocketAddr, servers: &[SocketAddr]) -> String {
    let mut text = format!(
        "global\n    maxconn 4000\n\
         defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 120s\n    timeout server 120s\n\
         \x20   retries 3\n    option redispatch 1\n\
         frontend cor4\n    bind {listen}\n    default_backend proxies\n\
         backend proxies\n    balance roundrobin\n"
    );
    for (i, server) in servers.iter().enumerate() {
        text.push_str(&format!(
            "    server proxy{i} {server} check inter 500ms fall 1 rise 1\n"
        ));
    }
    text
}

/// The `haproxy` program: on `PATH`, else Debian's `/usr/sbin/haproxy`.
fn program() -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("haproxy"))
            .find(|p| p.is_file())
    });
    on_path.unwrap_or_else(|| PathBuf::from("/usr/sbin/haproxy"))
}

impl Haproxy {
    /// Starts HAProxy on a free loopback port in front of `servers` and
    /// waits until it accepts connections.
    ///
    /// # Panics
    ///
    /// When `haproxy` is not installed (`./cor4-dev test` installs it) or
    /// does not start.
    pub fn start(servers: &[SocketAddr]) -> Haproxy {
        let program = program();
        assert!(
            program.is_file(),
            "haproxy is not installed: run the tests with ./cor4-dev test, or apt-get install haproxy"
        );
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let config = std::env::temp_dir().join(format!(
            "cor4-haproxy-{}-{}.cfg",
            std::process::id(),
            addr.port()
        ));
        std::fs::write(&config, config_text(addr, servers)).expect("write haproxy.cfg");
        let child = Command::new(&program)
            .arg("-db")
            .arg("-f")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn haproxy");
        let mut haproxy = Haproxy {
            child,
            addr,
            config,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = haproxy.child.try_wait() {
                panic!("haproxy exited at start: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "haproxy did not listen within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        haproxy
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.config);
    }
}
