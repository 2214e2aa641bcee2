//! Where PostgreSQL listens (every host of a multi-host config), the socket
//! to it (TCP, TLS over TCP, or Unix), and query cancellation (which needs
//! a second socket to the same place).

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
use super::tls::{TlsConnector, TlsError};

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
    /// Every host of `config`, in order, paired with its port (one port for
    /// all, or one each) and `hostaddr`, as libpq pairs them.
    pub(crate) fn all(config: &Config) -> Result<Vec<Self>, PgError> {
        let hosts = config.get_hosts();
        let addrs = config.get_hostaddrs();
        let ports = config.get_ports();
        let count = hosts.len().max(addrs.len());
        if count == 0 {
            return Err(PgError::Config("no host"));
        }
        if (!hosts.is_empty() && !addrs.is_empty() && hosts.len() != addrs.len())
            || (ports.len() > 1 && ports.len() != count)
        {
            return Err(PgError::Config(
                "host, hostaddr and port must list as many entries as there are hosts (or one port)",
            ));
        }
        let mut targets = Vec::with_capacity(count);
        for i in 0..count {
            let port = ports
                .get(i)
                .or(ports.first())
                .copied()
                .unwrap_or(DEFAULT_PORT);
            let addr = addrs.get(i).copied();
            targets.push(match (hosts.get(i), addr) {
                (Some(Host::Unix(dir)), _) => Target::Unix(dir.join(format!(".s.PGSQL.{port}"))),
                (Some(Host::Tcp(host)), addr) => Target::Tcp {
                    host: host.clone(),
                    addr,
                    port,
                },
                (None, Some(addr)) => Target::Tcp {
                    host: addr.to_string(),
                    addr: Some(addr),
                    port,
                },
                (None, None) => return Err(PgError::Config("no host")),
            });
        }
        Ok(targets)
    }

    /// Connects, with TLS as `tls` says (never over a Unix socket).
    pub(crate) async fn connect(&self, tls: &TlsConnector) -> Result<Socket, PgError> {
        match self {
            Target::Tcp {
                addr: Some(addr),
                host,
                port,
            } => {
                tls.negotiate(tcp(TcpStream::connect((*addr, *port)).await?)?, host)
                    .await
            }
            Target::Tcp { host, port, .. } => {
                let stream = tcp(TcpStream::connect((host.as_str(), *port)).await?)?;
                tls.negotiate(stream, host).await
            }
            Target::Unix(_) if tls.mode().requires_tls() => {
                Err(TlsError::UnixSocket { mode: tls.mode() }.into())
            }
            Target::Unix(path) => Ok(Socket::Unix(UnixStream::connect(path).await?)),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Tcp { host, port, .. } => write!(f, "{host}:{port}"),
            Target::Unix(path) => write!(f, "{}", path.display()),
        }
    }
}

fn tcp(stream: TcpStream) -> Result<TcpStream, PgError> {
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// A connected socket of any kind.
#[derive(Debug)]
pub(crate) enum Socket {
    Tcp(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
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
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
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
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_flush(cx),
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Socket::Unix(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Socket::Unix(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

/// Cancels whatever query a [`PgConn`](super::PgConn) is running, from any
/// task: it needs no access to the connection itself.
#[derive(Clone)]
pub struct CancelToken {
    pub(crate) target: Target,
    pub(crate) tls: TlsConnector,
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
    /// Opens a new connection to the same server (over TLS when the
    /// session's settings ask for it), sends a CancelRequest and
    /// waits until the server closes it. Success means the request was
    /// delivered, not that a query was cancelled: if none was running, or it
    /// finished first, nothing happens.
    pub async fn cancel(&self) -> Result<(), PgError> {
        tokio::time::timeout(self.timeout, self.send())
            .await
            .map_err(|_| PgError::Timeout(self.timeout))?
    }

    async fn send(&self) -> Result<(), PgError> {
        let mut socket = self.target.connect(&self.tls).await?;
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::str::FromStr;

    use super::*;

    #[test]
    fn pairs_hosts_with_ports_and_hostaddrs_as_libpq_does() {
        let config = Config::from_str("host=a,b,/run/pg port=5432,5433,5434 user=u").unwrap();
        let all: Vec<String> = Target::all(&config)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(all, ["a:5432", "b:5433", "/run/pg/.s.PGSQL.5434"]);

        let config = Config::from_str("host=a,b port=6000 user=u").unwrap();
        let all: Vec<String> = Target::all(&config)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(all, ["a:6000", "b:6000"]);

        let config = Config::from_str("host=db hostaddr=127.0.0.1 user=u").unwrap();
        match &Target::all(&config).unwrap()[0] {
            Target::Tcp { host, addr, .. } => {
                assert_eq!(host, "db");
                assert_eq!(addr.map(|a| a.to_string()).as_deref(), Some("127.0.0.1"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_mismatched_host_and_port_counts() {
        let config = Config::from_str("host=a,b,c port=1,2 user=u").unwrap();
        assert!(matches!(Target::all(&config), Err(PgError::Config(_))));
        assert!(matches!(
            Target::all(&Config::new()),
            Err(PgError::Config("no host"))
        ));
    }
}
