//! A recording TCP relay: what an eavesdropper between client and proxy
//! sees, byte for byte.
//!
//! ```text
//! client ──► Recorder (127.0.0.1:any) ──► proxy
//!               │ to_server: every byte the client sent
//!               └ to_client: every byte the proxy sent
//! ```

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Relays one connection to `target` and keeps a copy of both directions.
pub struct Recorder {
    addr: SocketAddr,
    to_server: Arc<Mutex<Vec<u8>>>,
    to_client: Arc<Mutex<Vec<u8>>>,
    done: JoinHandle<()>,
}

/// What one recorded connection carried.
#[derive(Debug, Clone)]
pub struct Recording {
    /// Client → proxy bytes.
    pub to_server: Vec<u8>,
    /// Proxy → client bytes.
    pub to_client: Vec<u8>,
}

impl Recorder {
    /// Listens on a free loopback port; relays the first connection to
    /// `target`.
    pub async fn start(target: SocketAddr) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let to_server = Arc::new(Mutex::new(Vec::new()));
        let to_client = Arc::new(Mutex::new(Vec::new()));
        let (up, down) = (to_server.clone(), to_client.clone());
        let done = tokio::spawn(async move {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let Ok(server) = TcpStream::connect(target).await else {
                return;
            };
            let (cr, cw) = client.into_split();
            let (sr, sw) = server.into_split();
            let a = tokio::spawn(copy(cr, sw, up));
            let b = tokio::spawn(copy(sr, cw, down));
            let _ = tokio::join!(a, b);
        });
        Recorder {
            addr,
            to_server,
            to_client,
            done,
        }
    }

    /// Where clients should connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until both directions closed and returns what they carried.
    pub async fn finish(self) -> Recording {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), self.done).await;
        let take = |m: &Arc<Mutex<Vec<u8>>>| m.lock().map(|v| v.clone()).unwrap_or_default();
        Recording {
            to_server: take(&self.to_server),
            to_client: take(&self.to_client),
        }
    }
}

async fn copy(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    log: Arc<Mutex<Vec<u8>>>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Ok(mut log) = log.lock() {
            log.extend_from_slice(&buf[..n]);
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// Splits a recorded direction into its units — clear frames and sealed
/// records alike start with a 4-byte little-endian length — each with its
/// length prefix. A cut-off last unit is dropped.
pub fn units(mut bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while bytes.len() >= 4 {
        let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let Ok(len) = usize::try_from(len) else { break };
        if bytes.len() < 4 + len {
            break;
        }
        out.push(bytes[..4 + len].to_vec());
        bytes = &bytes[4 + len..];
    }
    out
}
