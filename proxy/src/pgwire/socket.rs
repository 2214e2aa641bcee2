//! Where PostgreSQL listens, the socket to it, and query cancellation
//! (which needs a second socket to the same place).

use std::io;
use std::net::IpAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::BytesMut;
use postgres_protocol::message::frontend;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpStream, UnixStream};
use tokio_postgres::config::{Config, Host};

use super::error::PgError;

const DEFAULT_PORT: u16 = 5432;

/// The address of one PostgreSQL server.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A TCP host name (resolved at connect time), or a fixed address.
    Tcp {
        host: String,
        addr: Option<IpAddr>,
        port: u16,
    },
    /// The path of a Unix socket file, `<dir>/.s.PGSQL.<port>`.
    Unix(PathBuf),
}

impl Target {
    /// The first host of `config`, like libpq's first connection attempt.
    pub(crate) fn from_config(config: &Config) -> Result<Self, PgError> {
        let port = config.get_ports().first().copied().unwrap_or(DEFAULT_PORT);
        let addr = config.get_hostaddrs().first().copied();
        match config.get_hosts().first() {
            Some(Host::Tcp(host)) => Ok(Target::Tcp {
                host: host.clone(),
                addr,
                port,
            }),
            Some(Host::Unix(dir)) => Ok(Target::Unix(dir.join(format!(".s.PGSQL.{port}")))),
            None => match addr {
                Some(addr) => Ok(Target::Tcp {
                    host: addr.to_string(),
                    addr: Some(addr),
                    port,
                }),
                None => Err(PgError::Config("no host")),
            },
        }
    }

    pub(crate) async fn connect(&self) -> Result<Socket, PgError> {
        match self {
            Target::Tcp {
                addr: Some(addr),
                port,
                ..
            } => tcp(TcpStream::connect((*addr, *port)).await?),
            Target::Tcp { host, port, .. } => {
                tcp(TcpStream::connect((host.as_str(), *port)).await?)
            }
            Target::Unix(path) => Ok(Socket::Unix(UnixStream::connect(path).await?)),
        }
    }
}

fn tcp(stream: TcpStream) -> Result<Socket, PgError> {
    stream.set_nodelay(true)?;
    Ok(Socket::Tcp(stream))
}

/// A connected socket of either kind.
#[derive(Debug)]
pub(crate) enum Socket {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_flush(cx),
            Socket::Unix(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Socket::Unix(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

/// Cancels whatever query a [`PgConn`](super::PgConn) is running, from any
/// task: it needs no access to the connection itself.
#[derive(Clone)]
pub struct CancelToken {
    pub(crate) target: Target,
    pub(crate) process_id: i32,
    pub(crate) secret_key: i32,
    pub(crate) timeout: Duration,
}

/// Leaves out the secret key.
impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken")
            .field("target", &self.target)
            .field("process_id", &self.process_id)
            .finish_non_exhaustive()
    }
}

impl CancelToken {
    /// Asks PostgreSQL to cancel the running query of the connection.
    ///
    /// Opens a new connection to the same server, sends a CancelRequest and
    /// waits until the server closes it. Success means the request was
    /// delivered, not that a query was cancelled: if none was running, or it
    /// finished first, nothing happens.
    pub async fn cancel(&self) -> Result<(), PgError> {
        tokio::time::timeout(self.timeout, self.send())
            .await
            .map_err(|_| PgError::Timeout(self.timeout))?
    }

    async fn send(&self) -> Result<(), PgError> {
        let mut socket = self.target.connect().await?;
        let mut buf = BytesMut::with_capacity(16);
        frontend::cancel_request(self.process_id, self.secret_key, &mut buf);
        socket.write_all(&buf).await?;
        socket.flush().await?;
        // The server answers nothing and closes the socket once it has acted
        // on the request; wait for that, as libpq does.
        // A reset at this point is as good as a close.
        let mut scratch = [0u8; 16];
        while let Ok(1..) = socket.read(&mut scratch).await {}
        Ok(())
    }
}
