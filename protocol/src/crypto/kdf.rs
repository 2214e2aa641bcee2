//! Key derivation: the seed's K = MD5(password), the transcript hash, and
//! per-session, per-direction record keys.

use hkdf::Hkdf;
use md5::{Digest, Md5};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

const V3_INFO_C2S: &[u8] = b"cor4 v3 client to server key";
const V3_INFO_S2C: &[u8] = b"cor4 v3 server to client key";
const V2_INFO_C2S: &[u8] = b"cor4 v2 client to server key";
const V2_INFO_S2C: &[u8] = b"cor4 v2 server to client key";

/// K = MD5(password): the seed's key and the password input of the login.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PasswordKey([u8; 16]);

impl PasswordKey {
    /// Hashes a password (its UTF-8 bytes, unnormalised).
    pub fn from_password(password: &str) -> Self {
        PasswordKey(Md5::digest(password.as_bytes()).into())
    }

    /// Wraps an MD5 digest received in CHPASS, or one a client kept instead
    /// of the password.
    pub fn from_digest(digest: [u8; 16]) -> Self {
        PasswordKey(digest)
    }

    /// The 16 digest bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl std::fmt::Debug for PasswordKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordKey(..)")
    }
}

/// SHA-256 of `parts`, concatenated: the login transcript (the bodies of
/// the clear login packets, type byte onward, in the order sent).
pub fn transcript_hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
    }
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
    /// The Cor4 v3 record keys: HKDF-SHA-256 with the transcript hash as
    /// salt and OPAQUE's session key as input keying material; 16-byte
    /// outputs with distinct info strings per direction.
    pub fn derive(session_key: &[u8], transcript: &[u8; 32]) -> Self {
        Self::expand(session_key, transcript, V3_INFO_C2S, V3_INFO_S2C)
    }

    /// The same construction with Cor4 v2's info strings. v2 logins are
    /// gone; the proxy still derives its PostgreSQL role passwords this way,
    /// and they must not change.
    pub fn derive_v2(ikm: &[u8], salt: &[u8; 32]) -> Self {
        Self::expand(ikm, salt, V2_INFO_C2S, V2_INFO_S2C)
    }

    fn expand(ikm: &[u8], salt: &[u8; 32], c2s: &[u8], s2c: &[u8]) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(salt), ikm);
        let mut keys = SessionKeys {
            client_to_server: [0; 16],
            server_to_client: [0; 16],
        };
        // 16 bytes is far below HKDF-SHA-256's 8160-byte limit.
        let ok = hk.expand(c2s, &mut keys.client_to_server).is_ok()
            && hk.expand(s2c, &mut keys.server_to_client).is_ok();
        debug_assert!(ok);
        keys
    }
}

impl std::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKeys(..)")
    }
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
    fn two_transcripts_derive_different_keys() {
        let ikm = [7u8; 64];
        let a = SessionKeys::derive(&ikm, &transcript_hash(&[b"login A", b"response"]));
        let b = SessionKeys::derive(&ikm, &transcript_hash(&[b"login B", b"response"]));
        assert_ne!(a.client_to_server, b.client_to_server);
        assert_ne!(a.server_to_client, b.server_to_client);
        assert_ne!(a.client_to_server, a.server_to_client);
    }

    #[test]
    fn v2_and_v3_labels_differ() {
        let salt = transcript_hash(&[b"x"]);
        let v2 = SessionKeys::derive_v2(&[1; 32], &salt);
        let v3 = SessionKeys::derive(&[1; 32], &salt);
        assert_ne!(v2.client_to_server, v3.client_to_server);
    }

    #[test]
    fn transcript_hash_is_sha256_of_the_concatenation() {
        // FIPS 180-2 example: SHA-256("abc").
        assert_eq!(
            hex(&transcript_hash(&[b"a", b"", b"bc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
