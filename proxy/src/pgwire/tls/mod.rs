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

mod driver;
mod verify;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{PrivateKeyDer, ServerName};
use rustls::{CertificateError, ClientConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub use super::conninfo::SslMode;
use super::conninfo::TlsKeys;
pub use driver::ClientConnection;
pub(crate) use driver::connect_client;
use verify::{CaOnly, NoCheck, load_certs, load_roots, system_roots, web_pki};

/// PostgreSQL's SSLRequest: length 8, code 80877103.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

/// The certificates or keys of a connection string could not be used;
/// reported when the proxy starts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsSetupError {
    /// A certificate or key file could not be read or parsed.
    #[error("cannot read {what} {}: {source}", .path.display())]
    File {
        /// `sslrootcert`, `sslcert` or `sslkey`.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: rustls::pki_types::pem::Error,
    },
    /// A verifying mode without a root certificate to verify against.
    #[error(
        "sslmode={mode} checks the server's certificate: set sslrootcert to a PEM file of the CAs to trust (or to `system`)"
    )]
    MissingRootCert {
        /// The mode.
        mode: SslMode,
    },
    /// libpq's rule: the system's CAs vouch for any name, so only the full
    /// check is safe with them.
    #[error("sslrootcert=system needs sslmode=verify-full (got sslmode={mode})")]
    SystemNeedsVerifyFull {
        /// The mode given.
        mode: SslMode,
    },
    /// `sslrootcert=system` and no CA bundle on this machine.
    #[error(
        "sslrootcert=system, but no CA bundle was found (set SSL_CERT_FILE, or install ca-certificates)"
    )]
    NoSystemBundle,
    /// Only one of `sslcert` and `sslkey`.
    #[error("sslcert and sslkey go together: {missing} is missing")]
    HalfClientCert {
        /// The missing key.
        missing: &'static str,
    },
    /// rustls refused the configuration (e.g. a key that does not match the
    /// certificate, or a root certificate it cannot parse).
    #[error("cannot set up TLS to PostgreSQL: {0}")]
    Rustls(#[source] rustls::Error),
}

/// Why TLS with PostgreSQL failed while connecting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// The server answered the SSLRequest with "no".
    #[error("the server does not support SSL, but sslmode={mode} requires it")]
    NotSupported {
        /// The mode in force.
        mode: SslMode,
    },
    /// The server's certificate does not chain to a trusted CA.
    #[error(
        "the server's certificate is not signed by a CA in sslrootcert {rootcert} (unknown CA)"
    )]
    UnknownCa {
        /// The `sslrootcert` value.
        rootcert: String,
    },
    /// The server's certificate is for another name (`verify-full`).
    #[error(
        "the server's certificate does not match the host name {host:?} (name mismatch; it names {presented})"
    )]
    NameMismatch {
        /// The host connected to.
        host: String,
        /// The names in the certificate.
        presented: String,
    },
    /// The server's certificate is unusable for another reason (expired,
    /// not yet valid, bad signature, wrong purpose, …).
    #[error("the server's certificate was rejected: {0}")]
    BadCertificate(#[source] rustls::Error),
    /// The server ended the handshake with an alert, typically because it
    /// requires or refuses our client certificate.
    #[error("PostgreSQL aborted the TLS handshake ({0:?}); check sslcert and sslkey")]
    Alert(rustls::AlertDescription),
    /// Any other TLS failure.
    #[error("TLS handshake with PostgreSQL failed: {0}")]
    Handshake(#[source] rustls::Error),
    /// The host cannot be a TLS server name.
    #[error("{host:?} cannot be checked as a TLS server name")]
    InvalidHostName {
        /// The host.
        host: String,
    },
    /// A mode that requires TLS on a Unix-domain socket.
    #[error(
        "sslmode={mode} with a Unix-domain socket: PostgreSQL offers no TLS there; use a TCP host, or sslmode=prefer"
    )]
    UnixSocket {
        /// The mode in force.
        mode: SslMode,
    },
    /// The TLS setup could not be built (see [`TlsSetupError`]).
    #[error("TLS is not configured: {0}")]
    NotConfigured(&'static str),
}

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

    /// Turns a failed handshake into an error that names the cause.
    pub(crate) fn handshake_error(&self, e: io::Error, host: &str) -> super::PgError {
        let Some(tls) = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        else {
            return super::PgError::from(e);
        };
        self.classify(tls.clone(), host).into()
    }

    /// Names the cause of a rustls failure.
    pub(crate) fn classify(&self, e: rustls::Error, host: &str) -> TlsError {
        match e {
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
                TlsError::UnknownCa {
                    rootcert: self.rootcert.clone().unwrap_or_default(),
                }
            }
            rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
                presented,
                ..
            }) => TlsError::NameMismatch {
                host: host.to_owned(),
                presented: presented.join(", "),
            },
            rustls::Error::InvalidCertificate(CertificateError::NotValidForName) => {
                TlsError::NameMismatch {
                    host: host.to_owned(),
                    presented: "other names".to_owned(),
                }
            }
            e @ rustls::Error::InvalidCertificate(_) => TlsError::BadCertificate(e),
            rustls::Error::AlertReceived(alert) => TlsError::Alert(alert),
            e => TlsError::Handshake(e),
        }
    }
}

/// The name the server's certificate must carry: a DNS name or an IP.
pub(crate) fn server_name(host: &str) -> Result<ServerName<'static>, TlsError> {
    ServerName::try_from(host.to_owned()).map_err(|_| TlsError::InvalidHostName {
        host: host.to_owned(),
    })
}
