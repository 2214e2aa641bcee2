//! Cryptography: key derivation from the password and the sealed-record
//! channel (RC6 in GCM mode).
//!
//! ```text
//!  password ──MD5──► K (16 B, the seed's key)
//!  K, salt, iterations ──PBKDF2-HMAC-SHA-256──► S (32 B, what the server stores)
//!  S, SHA-256(LOGIN body ‖ LOGIN_CHALLENGE body) ──HKDF-SHA-256──► key c→s, key s→c (16 B each)
//!  key, direction, record counter ──RC6-32/20/16-GCM──► sealed records
//! ```

mod kdf;
mod rc6;
mod record;

pub use kdf::{
    DEFAULT_ITERATIONS, MAX_ITERATIONS, MIN_ITERATIONS, PasswordKey, SessionKeys, StretchedSecret,
    fake_salt, transcript_hash,
};
pub use rc6::{PORTABLE_ENV, Rc6, Rc6Backend};
pub use record::{
    Direction, MAX_RECORD_LIMIT, MIN_RECORD_LIMIT, RECORD_HEADER_LEN, Rc6Gcm, RecordOpener,
    RecordSealer, TAG_LEN,
};
