//! Connection strings: libpq's URL (`postgresql://…?key=value`) or
//! `key=value` form, with the TLS keys tokio-postgres does not read.
//!
//! tokio-postgres parses hosts, ports, `target_session_attrs`,
//! `load_balance_hosts`, timeouts and the login; it knows only
//! `sslmode=disable|prefer|require` and no certificate files. [`PgConfig`]
//! takes `sslmode`, `sslrootcert`, `sslcert` and `sslkey` out of the string,
//! hands the rest to tokio-postgres, and loads the certificate files once:
//!
//! ```text
//! "host=a,b sslmode=verify-full sslrootcert=ca.pem target_session_attrs=read-write"
//!    ├─ sslmode, sslrootcert, sslcert, sslkey ──► TlsSettings (rustls config, built once)
//!    └─ everything else ───────────────────────► tokio_postgres::Config
//! ```
//!
//! Both the relay's own frontend ([`PgConn`](super::PgConn)) and the user
//! store (tokio-postgres, via [`PgConfig::connect_client`]) connect with it.

use std::borrow::Cow;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::str::FromStr;

use tokio_postgres::config::SslMode as DriverSslMode;

use super::tls::{self, TlsConnector, TlsSetupError};

/// libpq's `sslmode` values that cor4 supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it, without checking its certificate
    /// (libpq's default).
    Prefer,
    /// TLS or nothing; the certificate is checked against `sslrootcert`
    /// only when one is given (then as `VerifyCa`), as libpq does.
    Require,
    /// TLS, and the server's certificate must chain to `sslrootcert`.
    VerifyCa,
    /// Like `VerifyCa`, and the certificate must name the host connected to.
    VerifyFull,
}

impl SslMode {
    /// The name in a connection string.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(value: &str) -> Result<Self, ConnInfoError> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => {
                return Err(ConnInfoError::InvalidValue {
                    key: "sslmode",
                    value: value.to_owned(),
                    expected: "disable, prefer, require, verify-ca or verify-full",
                });
            }
        })
    }

    /// Whether a connection without TLS is refused.
    pub fn requires_tls(self) -> bool {
        self >= SslMode::Require
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The TLS keys of a connection string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsKeys {
    /// `sslmode`; `None` means libpq's default, `prefer`.
    pub sslmode: Option<SslMode>,
    /// `sslrootcert`: a PEM file of trusted CAs, or `system`.
    pub sslrootcert: Option<String>,
    /// `sslcert`: the client certificate (PEM).
    pub sslcert: Option<PathBuf>,
    /// `sslkey`: the client certificate's private key (PEM, unencrypted).
    pub sslkey: Option<PathBuf>,
}

/// A connection string that could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnInfoError {
    /// tokio-postgres refused the rest of the string.
    #[error("invalid PostgreSQL connection string: {0}")]
    Parse(#[source] tokio_postgres::Error),
    /// A `key=value` string has a key without `=` or an unterminated quote.
    #[error("invalid PostgreSQL connection string: {0}")]
    Syntax(&'static str),
    /// A key has a value it does not take.
    #[error("invalid value {value:?} for {key}: expected {expected}")]
    InvalidValue {
        /// The key.
        key: &'static str,
        /// The value given.
        value: String,
        /// What it takes.
        expected: &'static str,
    },
    /// The certificates or keys named in the string could not be used.
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
}

/// Connection settings for PostgreSQL: tokio-postgres' [`Config`] (reached
/// through `Deref`) plus the TLS settings, with certificate files already
/// loaded. Cloning is cheap.
///
/// [`Config`]: tokio_postgres::Config
#[derive(Clone)]
pub struct PgConfig {
    driver: tokio_postgres::Config,
    tls: TlsConnector,
}

impl PgConfig {
    /// Parses a libpq URL or `key=value` string and loads the certificate
    /// files it names.
    pub fn parse(conninfo: &str) -> Result<PgConfig, ConnInfoError> {
        let (rest, keys) = split_tls_keys(conninfo)?;
        let driver = tokio_postgres::Config::from_str(&rest).map_err(ConnInfoError::Parse)?;
        PgConfig::with_tls(driver, &keys)
    }

    /// `driver` with the TLS settings of `keys` (certificate files are read
    /// now).
    pub fn with_tls(
        mut driver: tokio_postgres::Config,
        keys: &TlsKeys,
    ) -> Result<PgConfig, ConnInfoError> {
        let tls = TlsConnector::new(keys)?;
        driver.ssl_mode(match tls.mode() {
            SslMode::Disable => DriverSslMode::Disable,
            SslMode::Prefer => DriverSslMode::Prefer,
            _ => DriverSslMode::Require,
        });
        Ok(PgConfig { driver, tls })
    }

    /// The TLS side of the settings.
    pub fn tls(&self) -> &TlsConnector {
        &self.tls
    }

    /// The effective `sslmode`.
    pub fn ssl_mode(&self) -> SslMode {
        self.tls.mode()
    }

    /// The tokio-postgres settings.
    pub fn driver(&self) -> &tokio_postgres::Config {
        &self.driver
    }

    /// Connects a tokio-postgres client with these settings, TLS included
    /// (multi-host and `target_session_attrs` as tokio-postgres does them).
    /// The connection future must be spawned, as with
    /// [`tokio_postgres::Config::connect`].
    pub async fn connect_client(
        &self,
    ) -> Result<(tokio_postgres::Client, tls::ClientConnection), tokio_postgres::Error> {
        tls::connect_client(&self.driver, &self.tls).await
    }
}

/// Leaves out the password (tokio-postgres' own `Debug` does).
impl fmt::Debug for PgConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConfig")
            .field("driver", &self.driver)
            .field("tls", &self.tls)
            .finish()
    }
}

impl Deref for PgConfig {
    type Target = tokio_postgres::Config;
    fn deref(&self) -> &tokio_postgres::Config {
        &self.driver
    }
}

impl DerefMut for PgConfig {
    fn deref_mut(&mut self) -> &mut tokio_postgres::Config {
        &mut self.driver
    }
}

/// A tokio-postgres config as it stands: its own `sslmode` (`disable`,
/// `prefer` or `require`), no certificate files.
impl From<tokio_postgres::Config> for PgConfig {
    fn from(driver: tokio_postgres::Config) -> PgConfig {
        let sslmode = match driver.get_ssl_mode() {
            DriverSslMode::Disable => SslMode::Disable,
            DriverSslMode::Require => SslMode::Require,
            _ => SslMode::Prefer,
        };
        PgConfig {
            tls: TlsConnector::unverified(sslmode),
            driver,
        }
    }
}

impl From<&tokio_postgres::Config> for PgConfig {
    fn from(driver: &tokio_postgres::Config) -> PgConfig {
        PgConfig::from(driver.clone())
    }
}

impl From<&PgConfig> for PgConfig {
    fn from(config: &PgConfig) -> PgConfig {
        config.clone()
    }
}

impl FromStr for PgConfig {
    type Err = ConnInfoError;
    fn from_str(s: &str) -> Result<PgConfig, ConnInfoError> {
        PgConfig::parse(s)
    }
}

/// Takes the TLS keys out of a connection string; returns the rest of it
/// (for tokio-postgres) and the keys.
pub fn split_tls_keys(conninfo: &str) -> Result<(String, TlsKeys), ConnInfoError> {
    let mut keys = TlsKeys::default();
    let mut take = |key: &str, value: Cow<'_, str>| -> Result<bool, ConnInfoError> {
        match key {
            "sslmode" => keys.sslmode = Some(SslMode::parse(&value)?),
            "sslrootcert" => keys.sslrootcert = Some(value.into_owned()),
            "sslcert" => keys.sslcert = Some(PathBuf::from(value.into_owned())),
            "sslkey" => keys.sslkey = Some(PathBuf::from(value.into_owned())),
            _ => return Ok(false),
        }
        Ok(true)
    };
    let trimmed = conninfo.trim();
    let rest = if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
        split_url(trimmed, &mut take)?
    } else {
        split_key_values(trimmed, &mut take)?
    };
    Ok((rest, keys))
}

type Take<'a> = dyn FnMut(&str, Cow<'_, str>) -> Result<bool, ConnInfoError> + 'a;

/// `postgresql://…?a=1&sslmode=require&b=2` → `postgresql://…?a=1&b=2`.
fn split_url(url: &str, take: &mut Take<'_>) -> Result<String, ConnInfoError> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok(url.to_owned());
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !take(&percent_decode(key), percent_decode(value))? {
            kept.push(pair);
        }
    }
    Ok(if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    })
}

/// `host=a sslmode='require' port=5432` → `host=a port=5432`.
fn split_key_values(text: &str, take: &mut Take<'_>) -> Result<String, ConnInfoError> {
    let mut kept = String::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(kept);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(ConnInfoError::Syntax("a key without \"=value\""));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                    None => return Err(ConnInfoError::Syntax("an unterminated quoted value")),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                match c {
                    '\\' => value.extend(chars.next()),
                    c => value.push(c),
                }
            }
        }
        if !take(&key, Cow::Borrowed(&value))? {
            if !kept.is_empty() {
                kept.push(' ');
            }
            kept.push_str(&key);
            kept.push('=');
            kept.push_str(&quote(&value));
        }
    }
}

/// A `key=value` value, quoted when it has to be.
fn quote(value: &str) -> String {
    if !value.is_empty() && !value.contains(|c: char| c.is_whitespace() || c == '\'' || c == '\\') {
        return value.to_owned();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Decodes `%XX` escapes (and leaves malformed ones as they are).
fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn takes_tls_keys_out_of_key_value_strings() {
        let (rest, keys) = split_tls_keys(
            "host=db1,db2 sslmode = verify-full sslrootcert='/etc/my ca.pem' \
             password='it\\'s' target_session_attrs=read-write sslcert=/c.pem sslkey=/k.pem",
        )
        .unwrap();
        assert_eq!(
            rest,
            "host=db1,db2 password='it\\'s' target_session_attrs=read-write"
        );
        assert_eq!(keys.sslmode, Some(SslMode::VerifyFull));
        assert_eq!(keys.sslrootcert.as_deref(), Some("/etc/my ca.pem"));
        assert_eq!(keys.sslcert, Some(PathBuf::from("/c.pem")));
        assert_eq!(keys.sslkey, Some(PathBuf::from("/k.pem")));
        let parsed = tokio_postgres::Config::from_str(&rest).unwrap();
        assert_eq!(parsed.get_password(), Some(&b"it's"[..]));
    }

    #[test]
    fn takes_tls_keys_out_of_urls() {
        let (rest, keys) = split_tls_keys(
            "postgresql://u:p@a:5432,b:5433/app?sslmode=verify-ca&sslrootcert=%2Ftmp%2Fca.pem&application_name=x",
        )
        .unwrap();
        assert_eq!(
            rest,
            "postgresql://u:p@a:5432,b:5433/app?application_name=x"
        );
        assert_eq!(keys.sslmode, Some(SslMode::VerifyCa));
        assert_eq!(keys.sslrootcert.as_deref(), Some("/tmp/ca.pem"));
        let (rest, _) = split_tls_keys("postgres://h/db?sslmode=disable").unwrap();
        assert_eq!(rest, "postgres://h/db");
    }

    #[test]
    fn rejects_unknown_sslmode_and_bad_syntax() {
        let err = split_tls_keys("host=a sslmode=allow").unwrap_err();
        assert!(err.to_string().contains("verify-full"), "{err}");
        assert!(matches!(
            split_tls_keys("host=a user"),
            Err(ConnInfoError::Syntax(_))
        ));
        assert!(matches!(
            split_tls_keys("host='a"),
            Err(ConnInfoError::Syntax(_))
        ));
    }

    #[test]
    fn maps_modes_onto_the_driver() {
        let c = PgConfig::parse("host=a user=u sslmode=require").unwrap();
        assert_eq!(c.get_ssl_mode(), DriverSslMode::Require);
        assert_eq!(c.ssl_mode(), SslMode::Require);
        let c = PgConfig::parse("host=a user=u").unwrap();
        assert_eq!(c.ssl_mode(), SslMode::Prefer);
        let c = PgConfig::parse("host=a user=u sslmode=disable").unwrap();
        assert_eq!(c.get_ssl_mode(), DriverSslMode::Disable);
    }

    #[test]
    fn verify_modes_need_a_root_certificate() {
        let err = PgConfig::parse("host=a user=u sslmode=verify-full sslrootcert=/nonexistent/ca")
            .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ca"), "{err}");
    }

    #[test]
    fn quotes_values_that_need_it() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("x'y\\"), "'x\\'y\\\\'");
    }
}
