//! OPAQUE (RFC 9807) as Cor4 v3 uses it: the cipher suite, the Argon2id
//! parameters, the server's long-term keys and the per-user verifier.
//!
//! ```text
//! suite   OPRF ristretto255-SHA512, 3DH over ristretto255 with SHA-512,
//!         KSF Argon2id (salt 16 zero bytes, RFC 9807 §7), per-user cost
//! input   K = MD5(password), 16 bytes (the seed's key)
//! server  ServerKeys: OPRF seed, static key pair, the public key fake
//!         records use (one per deployment, in cor4.settings)
//! user    Verifier: Argon2id cost ‖ RFC 9807 registration record
//!         (client public key, masking key, envelope) — 204 bytes
//! ```
//!
//! The crate is `opaque-ke` 4, which follows RFC 9807. The server makes a
//! verifier on its own from K ([`Verifier::register`]): it runs both halves
//! of OPAQUE's registration locally, which is what `cor4-proxy user add`,
//! `user passwd` and CHPASS (which carries K) need.

use opaque_ke::argon2::{Algorithm, Argon2, Params, Version};
use opaque_ke::ciphersuite::CipherSuite;
use opaque_ke::{
    ClientRegistration, ClientRegistrationFinishParameters, Identifiers, Ristretto255,
    ServerRegistration, ServerSetup, TripleDh,
};
use rand_core_06::{CryptoRng, RngCore};
use thiserror::Error;
use zeroize::Zeroizing;

use super::PasswordKey;

/// Cor4 v3's OPAQUE cipher suite.
pub(crate) struct Suite;

impl CipherSuite for Suite {
    type OprfCs = Ristretto255;
    type KeyExchange = TripleDh<Ristretto255, sha2_010::Sha512>;
    type Ksf = Argon2<'static>;
}

/// Bytes of OPAQUE's KE1 (blinded element, client nonce, client key share).
pub const KE1_LEN: usize = 96;
/// Bytes of OPAQUE's KE2 (evaluated element, masking nonce, masked
/// response, server nonce, server key share, server MAC).
pub const KE2_LEN: usize = 320;
/// Bytes of OPAQUE's KE3 (the client's MAC).
pub const KE3_LEN: usize = 64;
/// Bytes of the registration record inside a [`Verifier`].
pub const RECORD_LEN: usize = 192;
/// Bytes of a stored [`Verifier`]: the Argon2id cost, then the record.
pub const VERIFIER_LEN: usize = KsfParams::ENCODED_LEN + RECORD_LEN;
/// Bytes of stored [`ServerKeys`].
pub const SERVER_KEYS_LEN: usize = 128;

/// Why an OPAQUE step failed. Failures of the login itself are
/// [`crate::handshake::HandshakeError`]s; these are about parameters and
/// stored bytes.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PakeError {
    /// Argon2id parameters outside what Cor4 accepts.
    #[error(
        "Argon2id cost of {} KiB × {} passes × {} lanes is outside the accepted range \
         (1..=16 passes, 1..=16 lanes, 8 KiB per lane..=256 MiB, memory × passes ≤ 1 GiB)",
        .0.memory_kib, .0.iterations, .0.parallelism
    )]
    KsfOutOfRange(KsfParams),
    /// Stored bytes do not have the expected length or content.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The computation failed (Argon2id could not allocate its memory).
    #[error("OPAQUE registration failed")]
    Failed,
}

/// Argon2id's cost: what each guess at a password costs whoever holds a
/// verifier, and what each login costs the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KsfParams {
    /// Memory in KiB (Argon2's m).
    pub memory_kib: u32,
    /// Passes over the memory (Argon2's t).
    pub iterations: u32,
    /// Lanes (Argon2's p).
    pub parallelism: u32,
}

impl KsfParams {
    /// RFC 9106 §4's second recommended option: 64 MiB, 3 passes, 4 lanes.
    pub const DEFAULT: KsfParams = KsfParams {
        memory_kib: 65_536,
        iterations: 3,
        parallelism: 4,
    };
    /// Bytes on the wire and in a verifier: three `u32`s, little-endian.
    pub const ENCODED_LEN: usize = 12;
    /// The most memory a client spends, in KiB (256 MiB).
    pub const MAX_MEMORY_KIB: u32 = 262_144;
    /// The most memory × passes a client spends, in KiB (1 GiB).
    pub const MAX_WORK_KIB: u64 = 1 << 20;

    /// The default lanes with `memory_kib` and `iterations`.
    pub fn new(memory_kib: u32, iterations: u32) -> Self {
        KsfParams {
            memory_kib,
            iterations,
            parallelism: Self::DEFAULT.parallelism,
        }
    }

    /// Whether the parameters are in range: what a client will compute for
    /// any server, and what a server will store.
    pub fn check(&self) -> Result<(), PakeError> {
        let ok = (1..=16).contains(&self.iterations)
            && (1..=16).contains(&self.parallelism)
            && self.memory_kib >= 8 * self.parallelism
            && self.memory_kib <= Self::MAX_MEMORY_KIB
            && u64::from(self.memory_kib) * u64::from(self.iterations) <= Self::MAX_WORK_KIB;
        if ok {
            Ok(())
        } else {
            Err(PakeError::KsfOutOfRange(*self))
        }
    }

    /// Appends the three `u32`s.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.memory_kib.to_le_bytes());
        out.extend_from_slice(&self.iterations.to_le_bytes());
        out.extend_from_slice(&self.parallelism.to_le_bytes());
    }

    /// Reads the three `u32`s (no range check: see [`check`](Self::check)).
    pub fn decode(bytes: &[u8; Self::ENCODED_LEN]) -> Self {
        let word =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        KsfParams {
            memory_kib: word(0),
            iterations: word(4),
            parallelism: word(8),
        }
    }

    /// The Argon2id instance, after [`check`](Self::check).
    pub(crate) fn argon2(&self) -> Result<Argon2<'static>, PakeError> {
        self.check()?;
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|_| PakeError::KsfOutOfRange(*self))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for KsfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The operating system's random source, in the `rand_core` generation
/// opaque-ke takes.
pub(crate) fn os_rng() -> rand_core_06::OsRng {
    rand_core_06::OsRng
}

/// The server's long-term OPAQUE keys: the OPRF seed, the static key pair
/// and the public key of fake records. One per deployment; every proxy
/// sharing a user store uses the same.
pub struct ServerKeys(pub(crate) ServerSetup<Suite>);

impl ServerKeys {
    /// Fresh keys from the operating system's random source.
    pub fn generate() -> Self {
        Self::generate_with(&mut os_rng())
    }

    pub(crate) fn generate_with<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        ServerKeys(ServerSetup::new(rng))
    }

    /// Reads stored keys.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PakeError> {
        if bytes.len() != SERVER_KEYS_LEN {
            return Err(PakeError::Malformed("server keys (wrong length)"));
        }
        ServerSetup::deserialize(bytes)
            .map(ServerKeys)
            .map_err(|_| PakeError::Malformed("server keys"))
    }

    /// The bytes to store (secret: they include the private key and the
    /// OPRF seed).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.0.serialize().to_vec())
    }

    /// The server's static public key, which every verifier commits to.
    pub fn public_key(&self) -> Vec<u8> {
        self.0.keypair().public().serialize().to_vec()
    }
}

impl std::fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKeys(..)")
    }
}

/// What the server stores per user instead of a password: the Argon2id
/// cost and the RFC 9807 registration record. It is not
/// password-equivalent: logging in still needs the password (or K), and
/// testing a guess against it costs one OPRF evaluation and one Argon2id.
#[derive(Clone)]
pub struct Verifier {
    ksf: KsfParams,
    pub(crate) record: ServerRegistration<Suite>,
}

impl Verifier {
    /// Runs OPAQUE's registration locally from K for `user` (the credential
    /// identifier): one Argon2id at `ksf`, so keep it off async threads.
    pub fn register(
        keys: &ServerKeys,
        user: &str,
        key: &PasswordKey,
        ksf: KsfParams,
    ) -> Result<Self, PakeError> {
        Self::register_with(&mut os_rng(), keys, user, key, ksf)
    }

    pub(crate) fn register_with<R: RngCore + CryptoRng>(
        rng: &mut R,
        keys: &ServerKeys,
        user: &str,
        key: &PasswordKey,
        ksf: KsfParams,
    ) -> Result<Self, PakeError> {
        let argon2 = ksf.argon2()?;
        let password = key.as_bytes();
        let start =
            ClientRegistration::<Suite>::start(rng, password).map_err(|_| PakeError::Failed)?;
        let response = ServerRegistration::<Suite>::start(&keys.0, start.message, user.as_bytes())
            .map_err(|_| PakeError::Failed)?;
        let finish = start
            .state
            .finish(
                rng,
                password,
                response.message,
                ClientRegistrationFinishParameters::new(Identifiers::default(), Some(&argon2)),
            )
            .map_err(|_| PakeError::Failed)?;
        Ok(Verifier {
            ksf,
            record: ServerRegistration::finish(finish.message),
        })
    }

    /// The Argon2id cost this verifier was made with.
    pub fn ksf(&self) -> KsfParams {
        self.ksf
    }

    /// The bytes to store: the cost's three `u32`s, then the record.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(VERIFIER_LEN);
        self.ksf.encode(&mut out);
        out.extend_from_slice(&self.record.serialize());
        out
    }

    /// Reads stored bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PakeError> {
        if bytes.len() != VERIFIER_LEN {
            return Err(PakeError::Malformed("verifier (wrong length)"));
        }
        let (cost, record) = bytes.split_at(KsfParams::ENCODED_LEN);
        let cost: &[u8; KsfParams::ENCODED_LEN] = cost
            .try_into()
            .map_err(|_| PakeError::Malformed("verifier cost"))?;
        let ksf = KsfParams::decode(cost);
        ksf.check()?;
        let record = ServerRegistration::deserialize(record)
            .map_err(|_| PakeError::Malformed("verifier record"))?;
        Ok(Verifier { ksf, record })
    }
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("ksf", &self.ksf)
            .finish_non_exhaustive()
    }
}

/// A deterministic random source for test vectors and fuzzing: the bytes
/// `start`, `start + 1`, … (wrapping), in the order they are drawn. Never
/// for real logins.
#[cfg(any(test, feature = "test-vectors"))]
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct FixedRandom {
    next: u8,
}

#[cfg(any(test, feature = "test-vectors"))]
impl FixedRandom {
    /// A stream starting at `start`.
    pub fn new(start: u8) -> Self {
        FixedRandom { next: start }
    }
}

#[cfg(any(test, feature = "test-vectors"))]
impl RngCore for FixedRandom {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for byte in dest {
            *byte = self.next;
            self.next = self.next.wrapping_add(1);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core_06::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

#[cfg(any(test, feature = "test-vectors"))]
impl CryptoRng for FixedRandom {}

#[cfg(any(test, feature = "test-vectors"))]
impl ServerKeys {
    /// Keys from a fixed random stream: test vectors only.
    #[doc(hidden)]
    pub fn generate_fixed(rng: &mut FixedRandom) -> Self {
        Self::generate_with(rng)
    }
}

#[cfg(any(test, feature = "test-vectors"))]
impl Verifier {
    /// [`register`](Self::register) from a fixed random stream: test
    /// vectors only.
    #[doc(hidden)]
    pub fn register_fixed(
        rng: &mut FixedRandom,
        keys: &ServerKeys,
        user: &str,
        key: &PasswordKey,
        ksf: KsfParams,
    ) -> Result<Self, PakeError> {
        Self::register_with(rng, keys, user, key, ksf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KsfParams = KsfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    #[test]
    fn sizes_are_the_documented_ones() {
        let keys = ServerKeys::generate();
        assert_eq!(keys.to_bytes().len(), SERVER_KEYS_LEN);
        let v =
            Verifier::register(&keys, "alice", &PasswordKey::from_password("pw"), CHEAP).unwrap();
        assert_eq!(v.to_bytes().len(), VERIFIER_LEN);
    }

    #[test]
    fn stored_forms_round_trip() {
        let keys = ServerKeys::generate();
        let again = ServerKeys::from_bytes(&keys.to_bytes()).unwrap();
        assert_eq!(keys.to_bytes(), again.to_bytes());
        let v =
            Verifier::register(&keys, "alice", &PasswordKey::from_password("pw"), CHEAP).unwrap();
        let back = Verifier::from_bytes(&v.to_bytes()).unwrap();
        assert_eq!(back.to_bytes(), v.to_bytes());
        assert_eq!(back.ksf(), CHEAP);
    }

    #[test]
    fn rejects_malformed_stored_bytes() {
        assert!(ServerKeys::from_bytes(&[0; 10]).is_err());
        assert!(Verifier::from_bytes(&[0; VERIFIER_LEN - 1]).is_err());
        let mut bad_cost = vec![0u8; VERIFIER_LEN];
        bad_cost[..4].copy_from_slice(&1u32.to_le_bytes());
        assert!(matches!(
            Verifier::from_bytes(&bad_cost),
            Err(PakeError::KsfOutOfRange(_))
        ));
    }

    #[test]
    fn ksf_bounds() {
        assert!(KsfParams::DEFAULT.check().is_ok());
        assert!(CHEAP.check().is_ok());
        for bad in [
            KsfParams::new(65_536, 0),
            KsfParams::new(65_536, 17),
            KsfParams::new(16, 1),
            KsfParams::new(KsfParams::MAX_MEMORY_KIB + 1, 1),
            KsfParams::new(KsfParams::MAX_MEMORY_KIB, 5),
            KsfParams {
                parallelism: 0,
                ..CHEAP
            },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fixed_random_is_a_counter() {
        let mut r = FixedRandom::new(0xfe);
        let mut b = [0u8; 4];
        r.fill_bytes(&mut b);
        assert_eq!(b, [0xfe, 0xff, 0x00, 0x01]);
    }
}
