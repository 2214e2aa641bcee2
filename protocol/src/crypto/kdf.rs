//! Key derivation: the seed's K = MD5(password), the stretched secret the
//! server stores, and per-session, per-direction keys.

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// PBKDF2 iterations for new passwords unless configured otherwise
/// (OWASP's 2023 figure for PBKDF2-HMAC-SHA-256).
pub const DEFAULT_ITERATIONS: u32 = 600_000;
/// The fewest iterations a server may store or a client will accept.
pub const MIN_ITERATIONS: u32 = 1_000;
/// The most iterations a client will run: a bound on the work a hostile
/// server can make it do.
pub const MAX_ITERATIONS: u32 = 10_000_000;

const HKDF_INFO_C2S: &[u8] = b"cor4 v2 client to server key";
const HKDF_INFO_S2C: &[u8] = b"cor4 v2 server to client key";
const FAKE_SALT_LABEL: &[u8] = b"cor4 v2 fake salt";

/// K = MD5(password): the seed's key, the root of every other secret.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PasswordKey([u8; 16]);

impl PasswordKey {
    /// Hashes a password.
    pub fn from_password(password: &str) -> Self {
        PasswordKey(Md5::digest(password.as_bytes()).into())
    }

    /// Wraps an MD5 digest received in CHPASS.
    pub fn from_digest(digest: [u8; 16]) -> Self {
        PasswordKey(digest)
    }

    /// The 16 digest bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Stretches K with the user's salt: each offline guess costs
    /// `iterations` HMAC-SHA-256 pairs.
    pub fn stretch(&self, salt: &[u8], iterations: u32) -> StretchedSecret {
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(&self.0, salt, iterations, &mut out);
        StretchedSecret(out)
    }
}

impl std::fmt::Debug for PasswordKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordKey(..)")
    }
}

/// S = PBKDF2-HMAC-SHA-256(K, salt, iterations, 32): what the server stores
/// instead of the password.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct StretchedSecret([u8; 32]);

impl StretchedSecret {
    /// Wraps stored bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        StretchedSecret(bytes)
    }

    /// The 32 secret bytes (to store them).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl PartialEq for StretchedSecret {
    /// Constant-time comparison.
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for StretchedSecret {}

impl std::fmt::Debug for StretchedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StretchedSecret(..)")
    }
}

/// SHA-256 of the two clear handshake packets' bodies (type byte onward),
/// LOGIN then LOGIN_CHALLENGE. Binding the keys to it means a changed nonce,
/// salt, iteration count or record limit yields keys nobody shares.
pub fn transcript_hash(login_body: &[u8], challenge_body: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(login_body);
    h.update(challenge_body);
    h.finalize().into()
}

/// The two keys of one session, one per direction.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionKeys {
    /// Seals what the client sends.
    pub client_to_server: [u8; 16],
    /// Seals what the server sends.
    pub server_to_client: [u8; 16],
}

impl SessionKeys {
    /// HKDF-SHA-256 with the transcript hash as salt and S as input keying
    /// material; 16-byte outputs with distinct info strings per direction.
    pub fn derive(secret: &StretchedSecret, transcript: &[u8; 32]) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(transcript), &secret.0);
        let mut keys = SessionKeys {
            client_to_server: [0; 16],
            server_to_client: [0; 16],
        };
        // 16 bytes is far below HKDF-SHA-256's 8160-byte limit.
        let ok = hk.expand(HKDF_INFO_C2S, &mut keys.client_to_server).is_ok()
            && hk.expand(HKDF_INFO_S2C, &mut keys.server_to_client).is_ok();
        debug_assert!(ok);
        keys
    }

    /// Keys nobody can know: sealing the reply to an unknown user.
    pub fn random() -> Self {
        let mut keys = SessionKeys {
            client_to_server: [0; 16],
            server_to_client: [0; 16],
        };
        rand::fill(&mut keys.client_to_server);
        rand::fill(&mut keys.server_to_client);
        keys
    }
}

impl std::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKeys(..)")
    }
}

/// The salt shown for a user that does not exist:
/// HMAC-SHA-256(server secret, "cor4 v2 fake salt" ‖ user)[..16].
/// Stable across attempts and proxies sharing the secret, so probing cannot
/// tell it from a real user's salt.
pub fn fake_salt(server_secret: &[u8], user: &str) -> [u8; 16] {
    // HMAC accepts keys of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(server_secret)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(FAKE_SALT_LABEL);
    mac.update(user.as_bytes());
    let full = mac.finalize().into_bytes();
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&full[..16]);
    salt
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn k_is_md5_of_password() {
        // RFC 1321 test suite: MD5("abc").
        assert_eq!(
            hex(PasswordKey::from_password("abc").as_bytes()),
            "900150983cd24fb0d6963f7d28e17f72"
        );
    }

    #[test]
    fn pbkdf2_matches_rfc7914_vector() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA-256("passwd", "salt", 1, 64), first 32 bytes.
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(
            hex(&out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn two_logins_with_the_same_password_derive_different_keys() {
        let s = PasswordKey::from_password("secret").stretch(b"0123456789abcdef", 1000);
        let a = SessionKeys::derive(&s, &transcript_hash(b"login nonce A", b"challenge"));
        let b = SessionKeys::derive(&s, &transcript_hash(b"login nonce B", b"challenge"));
        assert_ne!(a.client_to_server, b.client_to_server);
        assert_ne!(a.server_to_client, b.server_to_client);
        assert_ne!(a.client_to_server, a.server_to_client);
    }

    #[test]
    fn fake_salt_is_stable_and_per_user() {
        assert_eq!(fake_salt(b"k", "alice"), fake_salt(b"k", "alice"));
        assert_ne!(fake_salt(b"k", "alice"), fake_salt(b"k", "bob"));
        assert_ne!(fake_salt(b"k", "alice"), fake_salt(b"j", "alice"));
    }

    #[test]
    fn stretched_secrets_compare_by_value() {
        let a = StretchedSecret::from_bytes([1; 32]);
        assert_eq!(a, StretchedSecret::from_bytes([1; 32]));
        assert_ne!(a, StretchedSecret::from_bytes([2; 32]));
    }
}
