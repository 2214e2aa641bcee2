//! Cor4 v2: the wire protocol of the cor4 encrypted SQL proxy.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod codec;
pub mod pgtext;
mod error;
mod value;

pub use error::{DecodeError, NonCanonical, RecordError, RowMismatch};
pub use value::{Type, USECS_PER_DAY, Value, civil_from_days, days_from_civil};
