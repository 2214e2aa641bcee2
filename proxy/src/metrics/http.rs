//! The metrics listener: a deliberately small HTTP/1.1 server for three
//! GETs — `/metrics` (Prometheus text), `/healthz` (the process is up) and
//! `/readyz` (the database answers and logins are accepted). One request
//! per connection; anything else is 404 or 405; requests larger than 8 KiB
//! or slower than 5 seconds are dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::Metrics;
use crate::registry::Registry;
use crate::supervisor::DatabaseStatus;
use crate::users::UserStore;

/// What the listener reports on.
pub struct Health {
    /// The counters.
    pub metrics: Arc<Metrics>,
    /// The live sessions.
    pub registry: Arc<Registry>,
    /// The user store (its database answering means ready).
    pub store: Arc<UserStore>,
    /// Cleared when the proxy stops accepting logins (shutting down).
    pub accepting: Arc<AtomicBool>,
    /// Whether PostgreSQL is up (the embedded one's supervisor clears it
    /// while restarting it).
    pub database: Arc<DatabaseStatus>,
}

/// Serves `listener` until `shutdown`.
pub async fn serve(
    listener: TcpListener,
    health: Arc<Health>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let health = Arc::clone(&health);
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(5), answer(stream, &health)).await;
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

async fn answer(mut stream: TcpStream, health: &Health) -> std::io::Result<()> {
    let mut request = Vec::with_capacity(512);
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || request.len() + n > 8192 {
            return Ok(());
        }
        request.extend_from_slice(&buf[..n]);
    }
    let line = request.split(|&b| b == b'\r').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut words = line.split(' ');
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or(path);
    let (status, content_type, body) = match (method, path) {
        ("GET", "/metrics") => (
            "200 OK",
            "text/plain; version=0.0.4; charset=utf-8",
            health.metrics.render(&health.registry),
        ),
        ("GET", "/healthz") => ("200 OK", "text/plain", "ok\n".to_owned()),
        ("GET", "/readyz") => ready(health).await,
        ("GET", _) => ("404 Not Found", "text/plain", "not found\n".to_owned()),
        _ => (
            "405 Method Not Allowed",
            "text/plain",
            "only GET\n".to_owned(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

async fn ready(health: &Health) -> (&'static str, &'static str, String) {
    if !health.accepting.load(Ordering::Relaxed) {
        return (
            "503 Service Unavailable",
            "text/plain",
            "not accepting logins\n".to_owned(),
        );
    }
    if !health.database.is_up() {
        return (
            "503 Service Unavailable",
            "text/plain",
            "PostgreSQL is restarting\n".to_owned(),
        );
    }
    match tokio::time::timeout(Duration::from_secs(2), health.store.ping()).await {
        Ok(Ok(())) => ("200 OK", "text/plain", "ready\n".to_owned()),
        Ok(Err(e)) => (
            "503 Service Unavailable",
            "text/plain",
            format!("database unreachable: {e}\n"),
        ),
        Err(_) => (
            "503 Service Unavailable",
            "text/plain",
            "database did not answer within 2 s\n".to_owned(),
        ),
    }
}
