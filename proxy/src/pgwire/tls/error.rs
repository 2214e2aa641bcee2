//! What can go wrong with TLS to PostgreSQL, in words that say what
//! failed: [`TlsSetupError`] when the certificate files are loaded (at
//! start), [`TlsError`] while connecting. [`classify`] turns rustls'
//! handshake errors into the latter:
//!
//! ```text
//! rustls::Error::InvalidCertificate(UnknownIssuer)   ─▶ UnknownCa       "… (unknown CA)"
//!   … InvalidCertificate(NotValidForName[Context])   ─▶ NameMismatch    "… (name mismatch; it names …)"
//!   … InvalidCertificate(_)                          ─▶ BadCertificate
//!   … AlertReceived(_)                               ─▶ Alert           "… check sslcert and sslkey"
//!   … anything else                                  ─▶ Handshake
//! SSLRequest answered "N", sslmode require or above  ─▶ NotSupported    (TlsConnector::negotiate)
//! ```
//! ```

use std::io;
use std::path::PathBuf;

use rustls::CertificateError;
use rustls::client::VerifierBuilderError;

use super::SslMode;

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
    /// rustls could not build a verifier from the root certificates.
    #[error("cannot check server certificates against sslrootcert: {0}")]
    Verifier(#[source] VerifierBuilderError),
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
    /// The connection failed during the handshake (reset, closed).
    #[error("the connection to PostgreSQL failed during the TLS handshake: {0}")]
    Io(#[source] io::Error),
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

/// The rustls error inside an I/O error from tokio-rustls, if that is what
/// ended the handshake.
pub(super) fn rustls_cause(e: &io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

/// Names the cause of a failed handshake with `host`, whose certificate was
/// checked against `rootcert`.
pub(super) fn classify(e: rustls::Error, rootcert: Option<&str>, host: &str) -> TlsError {
    match e {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => TlsError::UnknownCa {
            rootcert: rootcert.unwrap_or_default().to_owned(),
        },
        rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            presented,
            ..
        }) => TlsError::NameMismatch {
            host: host.to_owned(),
            presented: presented_names(&presented),
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

/// The certificate's names as a person writes them: webpki reports them in
/// debug form (`DnsName("db1.internal")`, `IpAddress(10.0.0.1)`).
fn presented_names(presented: &[String]) -> String {
    if presented.is_empty() {
        return "no host name".to_owned();
    }
    let plain = |name: &str| -> String {
        for (prefix, suffix) in [("DnsName(\"", "\")"), ("IpAddress(", ")")] {
            if let Some(inner) = name
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
            {
                return inner.to_owned();
            }
        }
        name.to_owned()
    };
    presented
        .iter()
        .map(|name| plain(name))
        .collect::<Vec<_>>()
        .join(", ")
}
