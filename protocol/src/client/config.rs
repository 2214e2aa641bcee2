//! Where and as whom a [`Client`](super::Client) connects.

use std::time::Duration;

use crate::crypto::PasswordKey;

/// Default TCP port of `cor4-proxy`.
pub const DEFAULT_PORT: u16 = 7654;

/// Where and as whom to connect.
#[derive(Clone)]
pub struct Config {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) user: String,
    pub(super) key: PasswordKey,
    pub(super) connect_timeout: Duration,
    pub(super) max_record: u32,
    pub(super) max_packet: u32,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration with defaults: 10 s connect timeout (which includes
    /// the login's Argon2id), 64 KiB records, 1 GiB packets.
    pub fn new(host: &str, port: u16, user: &str, password: &str) -> Self {
        Config {
            host: host.to_owned(),
            port,
            user: user.to_owned(),
            key: PasswordKey::from_password(password),
            connect_timeout: Duration::from_secs(10),
            max_record: 65_536,
            max_packet: 1 << 30,
        }
    }

    /// Sets the connect-and-login timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }
}
