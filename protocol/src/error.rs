//! Errors of the sans-IO layers: decoding frames, packets and values, and
//! opening sealed records.

use thiserror::Error;

/// Why bytes could not be decoded into a frame, packet or value.
///
/// Every variant is something a peer can cause by sending bad bytes; none of
/// them is a bug in the receiver. The receiver answers with an ERROR packet
/// (code [`crate::ErrorCode::ProtocolViolation`]) where it still can, then
/// closes the connection.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended before the field being read was complete.
    #[error("truncated input: {field} needs {needed} more byte(s)")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// How many bytes were missing.
        needed: usize,
    },
    /// A packet had bytes left over after its last field.
    #[error("{0} trailing byte(s) after the last field of the packet")]
    TrailingBytes(usize),
    /// The packet type byte is not one this protocol defines.
    #[error("unknown packet type {0}")]
    UnknownPacketType(u8),
    /// A column type code is not one this protocol defines.
    #[error("unknown value type code {0}")]
    UnknownTypeCode(u8),
    /// A string field was not valid UTF-8.
    #[error("a string field is not valid UTF-8")]
    InvalidUtf8,
    /// A boolean byte was neither 0 nor 1.
    #[error("boolean byte {0} is neither 0 nor 1")]
    InvalidBool(u8),
    /// A frame or packet announced more bytes than the configured maximum.
    #[error("length {len} exceeds the maximum of {max} bytes")]
    TooLarge {
        /// The announced length.
        len: u64,
        /// The configured maximum.
        max: u64,
    },
    /// A frame announced a length of zero: every packet has a type byte.
    #[error("empty frame: every packet needs at least its type byte")]
    EmptyFrame,
    /// READY carried a status byte other than `I`, `T` or `E`.
    #[error("transaction status byte {0} is not I, T or E")]
    InvalidTransactionStatus(u8),
    /// COPY_IN or COPY_OUT carried a format byte other than 0 or 1.
    #[error("copy format byte {0} is neither 0 (text) nor 1 (binary)")]
    InvalidCopyFormat(u8),
    /// A row arrived that no RESULT_HEAD describes.
    #[error("a result row arrived without a RESULT_HEAD")]
    RowWithoutHead,
    /// A row's number of values or null bitmap disagrees with its head.
    #[error("row does not match its head: {0}")]
    RowMismatch(RowMismatch),
    /// The same content has a single valid encoding, and this is not it.
    #[error("non-canonical encoding: {0}")]
    NonCanonical(NonCanonical),
}

/// How a row disagrees with the RESULT_HEAD that describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RowMismatch {
    /// The null bitmap marks a column past the last one.
    #[error("null bitmap marks a column that does not exist")]
    BitmapPastColumns,
    /// The number of values does not match the number of columns.
    #[error("row has {got} values, head has {expected} columns")]
    ValueCount {
        /// Values in the row.
        got: usize,
        /// Columns in the head.
        expected: usize,
    },
    /// A value's type does not match its column's type.
    #[error("value in column {0} does not match the column type")]
    ValueType(usize),
}

/// An encoding that is well-formed but not the single canonical one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum NonCanonical {
    /// A string shorter than 0xFFFF bytes used the long-string escape.
    #[error("long-string escape used for a short string")]
    LongStringEscape,
    /// A RESULT_ROW_NULLS packet whose bitmap marks no NULL.
    #[error("null row packet without any NULL")]
    NullRowWithoutNull,
    /// A parameter without a type code was not marked NULL.
    #[error("a parameter without a type is not NULL")]
    UntypedValue,
    /// ERROR or NOTICE carried an empty trailing field list (it is left out
    /// when empty).
    #[error("empty trailing field list")]
    EmptyFieldList,
    /// A version-1 LOGIN carried a nonce, or a version-2 LOGIN lacked one.
    #[error("LOGIN nonce does not match the client version")]
    LoginNonce,
}

/// Why a sealed record could not be opened.
///
/// Deliberately opaque about *what* was wrong with an authenticated record:
/// a flipped bit, a replay, a reordering, a drop and a reflection all fail the
/// same tag check, and the connection ends either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The record's length field is below the tag size or above the maximum.
    #[error("record length {len} is outside 17..={max}")]
    BadLength {
        /// The announced length.
        len: u32,
        /// The largest acceptable length (maximum plaintext plus tag).
        max: u32,
    },
    /// The record failed authentication.
    #[error("record failed authentication (tampered, replayed, reordered, dropped or reflected)")]
    Unauthentic,
    /// The sender's record counter is exhausted; the session must end.
    #[error("record counter exhausted")]
    CounterExhausted,
}
