//! Cor4 v3: the wire protocol of the cor4 encrypted SQL proxy.
//!
//! ```text
//!   packet/     frames and packets (sans-IO: bytes in, packets out)
//!   value       column types and values
//!   pgtext      PostgreSQL's text forms of values
//!   crypto/     K = MD5(password) → OPAQUE (Argon2id, 3DH) → HKDF → RC6-GCM records
//!   handshake/  the login, both ends, as state machines
//!   io          tokio adapter: clear frames, sealed records
//! ```
//!
//! `docs/protocol.md` in the repository is the byte-exact specification.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "client")]
pub mod client;
pub mod codec;
pub mod crypto;
mod error;
mod error_code;
pub mod handshake;
#[cfg(feature = "client")]
pub mod io;
pub mod packet;
mod password;
pub mod pgtext;
mod value;
#[cfg(test)]
mod vectors;

pub use error::{DecodeError, NonCanonical, RecordError, RowMismatch};
pub use error_code::ErrorCode;
pub use packet::Packet;
pub use password::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, PasswordFault, password_fault};
pub use value::{Type, USECS_PER_DAY, Value, civil_from_days, days_from_civil};
