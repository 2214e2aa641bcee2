//! The [`TlsConnector`] as tokio-postgres' TLS implementation, for the user
//! store's connections (tokio-postgres runs the SSLRequest, the hosts in
//! turn and `target_session_attrs`; we run the handshake).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::ClientConfig;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::config::Host;
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
use tokio_postgres::{Client, NoTls};

use super::error::rustls_cause;
use super::{SslMode, TlsConnector, TlsError, server_name};

/// The connection half of a tokio-postgres client, to be spawned.
pub type ClientConnection = Pin<Box<dyn Future<Output = Result<(), tokio_postgres::Error>> + Send>>;

/// Connects a tokio-postgres client with `driver`'s hosts and login and
/// `tls`'s TLS. Unix-domain sockets and `sslmode=disable` skip TLS (and the
/// SSLRequest round trip) altogether.
pub(crate) async fn connect_client(
    driver: &tokio_postgres::Config,
    tls: &TlsConnector,
) -> Result<(Client, ClientConnection), tokio_postgres::Error> {
    let only_unix = driver.get_hostaddrs().is_empty()
        && driver
            .get_hosts()
            .iter()
            .all(|h| matches!(h, Host::Unix(_)));
    if tls.mode() == SslMode::Disable || (only_unix && !tls.mode().requires_tls()) {
        let (client, connection) = driver.connect(NoTls).await?;
        return Ok((client, Box::pin(connection)));
    }
    let (client, connection) = driver.connect(tls.clone()).await?;
    Ok((client, Box::pin(connection)))
}

impl<S> MakeTlsConnect<S> for TlsConnector
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = HostConnect;
    type Error = TlsError;

    fn make_tls_connect(&mut self, domain: &str) -> Result<HostConnect, TlsError> {
        Ok(HostConnect {
            connector: self.clone(),
            config: self.client_config(),
            host: domain.to_owned(),
        })
    }
}

/// One host's handshake.
pub struct HostConnect {
    connector: TlsConnector,
    config: Option<Arc<ClientConfig>>,
    host: String,
}

impl<S> TlsConnect<S> for HostConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = TlsError;
    type Future = Pin<Box<dyn Future<Output = Result<RustlsStream<S>, TlsError>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let Some(config) = self.config else {
                return Err(TlsError::NotConfigured("sslmode=disable"));
            };
            if self.host.is_empty() {
                return Err(TlsError::UnixSocket {
                    mode: self.connector.mode(),
                });
            }
            let name = server_name(&self.host)?;
            tokio_rustls::TlsConnector::from(config)
                .connect(name, stream)
                .await
                .map(RustlsStream)
                .map_err(|e| match rustls_cause(&e) {
                    Some(cause) => self.connector.classify(cause.clone(), &self.host),
                    None => TlsError::Io(e),
                })
        })
    }
}

/// A TLS stream to PostgreSQL, for tokio-postgres.
pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for RustlsStream<S> {
    /// No channel binding: SCRAM runs without it, as with the relay.
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}
