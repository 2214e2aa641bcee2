//! Cryptography: the password input, OPAQUE, key derivation and the
//! sealed-record channel (RC6 in GCM mode).
//!
//! ```text
//!  password ──MD5──► K (16 B, the seed's key, OPAQUE's password input)
//!  K, server's OPRF key ──OPRF, Argon2id──► the envelope key (client side only)
//!  OPAQUE 3DH with ephemeral keys ──► session key (64 B, both sides)
//!  session key, SHA-256(clear login packets) ──HKDF-SHA-256──► key c→s, key s→c (16 B each)
//!  key, direction, record counter ──RC6-32/20/16-GCM──► sealed records
//! ```

mod kdf;
mod opaque;
mod rc6;
mod record;

pub use kdf::{PasswordKey, SessionKeys, transcript_hash};
#[cfg(any(test, feature = "test-vectors"))]
#[doc(hidden)]
pub use opaque::FixedRandom;
pub use opaque::{
    KE1_LEN, KE2_LEN, KE3_LEN, KsfParams, PakeError, RECORD_LEN, SERVER_KEYS_LEN, ServerKeys,
    VERIFIER_LEN, Verifier,
};
pub(crate) use opaque::{Suite, os_rng};
pub use rc6::{PORTABLE_ENV, Rc6, Rc6Backend};
pub use record::{
    Direction, MAX_RECORD_LIMIT, MIN_RECORD_LIMIT, RECORD_HEADER_LEN, Rc6Gcm, RecordOpener,
    RecordSealer, TAG_LEN,
};
