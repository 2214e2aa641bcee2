//! TLS to PostgreSQL with rustls, for the relay's frontend and the user
//! store, under libpq's `sslmode` rules:
//!
//! | sslmode | TLS | server certificate checked |
//! |---|---|---|
//! | `disable` | never | — |
//! | `prefer` (default) | when the server offers it | no |
//! | `require` | always | against `sslrootcert` when one is given, else no |
//! | `verify-ca` | always | chains to `sslrootcert` |
//! | `verify-full` | always | chains to `sslrootcert` and names the host |
//!
//! The relay asks with PostgreSQL's SSLRequest and wraps the TCP socket
//! ([`TlsConnector::negotiate`]); the user store hands the same connector to
//! tokio-postgres (`MakeTlsConnect`, in `driver`). Unix-domain sockets
//! never carry TLS (PostgreSQL offers none there). Handshake failures are
//! [`TlsError`]s that say what failed: unknown CA, name mismatch, no TLS on
//! the server, a refused client certificate.
//!
//! | file | holds |
//! |---|---|
//! | `mod.rs` | [`TlsConnector`]: the rustls configuration for a mode, the SSLRequest |
//! | `verify.rs` | root stores and the `verify-ca` and no-check verifiers |
//! | `error.rs` | [`TlsSetupError`], [`TlsError`], rustls failures named |
//! | `driver.rs` | the connector as tokio-postgres' TLS, for the user store |

mod driver;
mod error;
#[cfg(test)]
mod tests;
mod verify;

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;

use rustls::ClientConfig;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub use super::conninfo::SslMode;
use super::conninfo::TlsKeys;
pub use driver::ClientConnection;
pub(crate) use driver::connect_client;
pub use error::{TlsError, TlsSetupError};
use verify::{CaOnly, NoCheck, load_certs, load_roots, system_roots, web_pki};

/// PostgreSQL's SSLRequest: length 8, code 80877103.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

/// How the server's certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verify {
    Nothing,
    Ca,
    Full,
}

/// The TLS half of a [`PgConfig`](super::PgConfig): the mode and, unless
/// `disable`, a ready rustls configuration. Cloning is cheap.
#[derive(Clone)]
pub struct TlsConnector {
    mode: SslMode,
    config: Option<Arc<ClientConfig>>,
    rootcert: Option<String>,
}

impl fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConnector")
            .field("mode", &self.mode)
            .field("rootcert", &self.rootcert)
            .finish_non_exhaustive()
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl TlsConnector {
    /// Builds the connector for `keys`, reading the files they name.
    pub(crate) fn new(keys: &TlsKeys) -> Result<TlsConnector, TlsSetupError> {
        let mode = keys.sslmode.unwrap_or(SslMode::Prefer);
        if mode == SslMode::Disable {
            return Ok(TlsConnector {
                mode,
                config: None,
                rootcert: None,
            });
        }
        let rootcert = keys.sslrootcert.clone();
        let roots = match rootcert.as_deref() {
            Some("system") if mode != SslMode::VerifyFull => {
                return Err(TlsSetupError::SystemNeedsVerifyFull { mode });
            }
            Some("system") => Some(system_roots()?),
            Some(path) => Some(load_roots(Path::new(path))?),
            None => None,
        };
        let verify = match (mode, &roots) {
            (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
                return Err(TlsSetupError::MissingRootCert { mode });
            }
            (SslMode::VerifyFull, Some(_)) => Verify::Full,
            (SslMode::VerifyCa | SslMode::Require, Some(_)) => Verify::Ca,
            _ => Verify::Nothing,
        };
        let provider = provider();
        let verifier: Arc<dyn ServerCertVerifier> = match (verify, roots) {
            (Verify::Full, Some(roots)) => web_pki(roots, &provider)?,
            (Verify::Ca, Some(roots)) => Arc::new(CaOnly(web_pki(roots, &provider)?)),
            _ => Arc::new(NoCheck(provider.signature_verification_algorithms)),
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(TlsSetupError::Rustls)?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match (&keys.sslcert, &keys.sslkey) {
            (None, None) => builder.with_no_client_auth(),
            (Some(cert), Some(key)) => {
                let chain = load_certs("sslcert", cert)?;
                let key =
                    PrivateKeyDer::from_pem_file(key).map_err(|source| TlsSetupError::File {
                        what: "sslkey",
                        path: key.clone(),
                        source,
                    })?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(TlsSetupError::Rustls)?
            }
            (Some(_), None) => return Err(TlsSetupError::HalfClientCert { missing: "sslkey" }),
            (None, Some(_)) => return Err(TlsSetupError::HalfClientCert { missing: "sslcert" }),
        };
        Ok(TlsConnector {
            mode,
            config: Some(Arc::new(config)),
            rootcert,
        })
    }

    /// A connector for `mode` that checks no certificate (what a
    /// tokio-postgres config without certificate files means).
    pub(crate) fn unverified(mode: SslMode) -> TlsConnector {
        let keys = TlsKeys {
            sslmode: Some(mode.min(SslMode::Require)),
            ..TlsKeys::default()
        };
        TlsConnector::new(&keys).unwrap_or(TlsConnector {
            // Unreachable: nothing above reads a file or can be refused.
            mode,
            config: None,
            rootcert: None,
        })
    }

    /// The `sslmode` in force.
    pub fn mode(&self) -> SslMode {
        self.mode
    }

    /// Asks the server for TLS on a fresh TCP connection (SSLRequest) and,
    /// when it agrees, runs the handshake for `host`. Without TLS (mode
    /// `disable`, or `prefer` and a server that says no) the stream comes
    /// back as it was.
    pub(crate) async fn negotiate(
        &self,
        mut tcp: TcpStream,
        host: &str,
    ) -> Result<super::socket::Socket, super::PgError> {
        use super::socket::Socket;
        let Some(config) = self.config.clone() else {
            if self.mode.requires_tls() {
                return Err(TlsError::NotConfigured("no rustls configuration").into());
            }
            return Ok(Socket::Tcp(tcp));
        };
        tcp.write_all(&SSL_REQUEST).await?;
        // Exactly one byte: anything the server (or someone in between)
        // sends after it must be part of the TLS handshake.
        let answer = tcp.read_u8().await?;
        match answer {
            b'S' => {}
            b'N' if self.mode.requires_tls() => {
                return Err(TlsError::NotSupported { mode: self.mode }.into());
            }
            b'N' => return Ok(Socket::Tcp(tcp)),
            _ => {
                return Err(super::PgError::Protocol(
                    "the server answered the SSL request with neither S nor N",
                ));
            }
        }
        let name = server_name(host)?;
        let stream = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(|e| self.handshake_error(e, host))?;
        Ok(Socket::Tls(Box::new(stream)))
    }

    /// The rustls configuration, unless `disable`.
    pub(crate) fn client_config(&self) -> Option<Arc<ClientConfig>> {
        self.config.clone()
    }

    /// Turns a failed handshake into an error that names the cause; an
    /// I/O failure without a TLS cause stays an I/O error.
    pub(crate) fn handshake_error(&self, e: io::Error, host: &str) -> super::PgError {
        match error::rustls_cause(&e) {
            Some(cause) => self.classify(cause.clone(), host).into(),
            None => super::PgError::from(e),
        }
    }

    /// Names the cause of a rustls failure with `host`.
    pub(crate) fn classify(&self, e: rustls::Error, host: &str) -> TlsError {
        error::classify(e, self.rootcert.as_deref(), host)
    }
}

/// The name the server's certificate must carry: a DNS name or an IP.
pub(crate) fn server_name(host: &str) -> Result<ServerName<'static>, TlsError> {
    ServerName::try_from(host.to_owned()).map_err(|_| TlsError::InvalidHostName {
        host: host.to_owned(),
    })
}
