//! Sealed records: a clear 4-byte length, then RC6-GCM ciphertext and tag.
//!
//! ```text
//! record  = len:u32le ‖ ciphertext ‖ tag[16]      len = |ciphertext| + 16
//! nonce   = direction:u8 ‖ 00 00 00 ‖ counter:u64le    (12 bytes)
//! aad     = the 4 length bytes
//! ```
//!
//! Each direction has its own key and its own counter starting at 0, and the
//! direction byte is in the nonce too: a record replayed, reordered, dropped
//! (the next one is opened with the wrong counter) or reflected back to its
//! sender fails authentication, and the connection ends.

use aes_gcm::AesGcm;
use aes_gcm::aead::{AeadInOut, consts::U12};
use cipher::KeyInit;

use super::rc6::Rc6;
use crate::error::RecordError;

/// RC6 in Galois/Counter Mode with a 96-bit nonce and 128-bit tag.
pub type Rc6Gcm = AesGcm<Rc6, U12>;

/// Bytes of the clear length before every record.
pub const RECORD_HEADER_LEN: usize = 4;
/// Bytes of the GCM tag after every record's ciphertext.
pub const TAG_LEN: usize = 16;
/// [`TAG_LEN`] as a wire length.
const TAG_LEN_U32: u32 = 16;
/// The smallest record-size limit a peer may announce.
pub const MIN_RECORD_LIMIT: u32 = 1024;
/// The largest record-size limit a peer may announce (16 MiB).
pub const MAX_RECORD_LIMIT: u32 = 16 << 20;

/// Which way a record travels; the byte goes into the nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client to server: nonce byte `0x43` ('C').
    ClientToServer,
    /// Server to client: nonce byte `0x53` ('S').
    ServerToClient,
}

impl Direction {
    fn byte(self) -> u8 {
        match self {
            Direction::ClientToServer => b'C',
            Direction::ServerToClient => b'S',
        }
    }
}

fn nonce(direction: Direction, counter: u64) -> aes_gcm::Nonce<U12> {
    let mut n = [0u8; 12];
    n[0] = direction.byte();
    n[4..].copy_from_slice(&counter.to_le_bytes());
    n.into()
}

/// Seals outgoing records for one direction.
pub struct RecordSealer {
    cipher: Rc6Gcm,
    direction: Direction,
    counter: u64,
}

impl RecordSealer {
    /// A sealer with counter 0.
    pub fn new(key: &[u8; 16], direction: Direction) -> Self {
        RecordSealer {
            cipher: Rc6Gcm::new(key.into()),
            direction,
            counter: 0,
        }
    }

    /// Appends one sealed record carrying `plaintext` to `out`.
    ///
    /// The caller keeps `plaintext` within the peer's record limit.
    pub fn seal(&mut self, plaintext: &[u8], out: &mut Vec<u8>) -> Result<(), RecordError> {
        let start = out.len();
        let len = u32::try_from(plaintext.len() + TAG_LEN).map_err(|_| RecordError::BadLength {
            len: u32::MAX,
            max: MAX_RECORD_LIMIT + TAG_LEN_U32,
        })?;
        let header = len.to_le_bytes();
        out.extend_from_slice(&header);
        out.extend_from_slice(plaintext);
        let nonce = nonce(self.direction, self.counter);
        let body = &mut out[start + RECORD_HEADER_LEN..];
        let tag = self
            .cipher
            .encrypt_inout_detached(&nonce, &header, body.into())
            .map_err(|_| RecordError::Unauthentic)?;
        out.extend_from_slice(&tag);
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or(RecordError::CounterExhausted)?;
        Ok(())
    }

    /// Records sealed so far.
    pub fn counter(&self) -> u64 {
        self.counter
    }
}

/// Opens incoming records for one direction, in order.
pub struct RecordOpener {
    cipher: Rc6Gcm,
    direction: Direction,
    counter: u64,
    max_plaintext: u32,
}

impl RecordOpener {
    /// An opener with counter 0 accepting records of up to `max_plaintext`
    /// bytes of plaintext.
    pub fn new(key: &[u8; 16], direction: Direction, max_plaintext: u32) -> Self {
        RecordOpener {
            cipher: Rc6Gcm::new(key.into()),
            direction,
            counter: 0,
            max_plaintext,
        }
    }

    /// Checks a record's clear length before any of its body is read or
    /// buffered; returns the number of bytes that follow the header.
    pub fn check_header(&self, header: [u8; RECORD_HEADER_LEN]) -> Result<usize, RecordError> {
        let len = u32::from_le_bytes(header);
        let max = self.max_plaintext.saturating_add(TAG_LEN_U32);
        if len <= TAG_LEN_U32 || len > max {
            return Err(RecordError::BadLength { len, max });
        }
        usize::try_from(len).map_err(|_| RecordError::BadLength { len, max })
    }

    /// Opens the first record in `input` in place.
    ///
    /// Returns `Ok(None)` when `input` does not yet hold a whole record;
    /// otherwise the plaintext range within `input` and the record's total
    /// length. The plaintext is decrypted in place.
    pub fn open_in_place(
        &mut self,
        input: &mut [u8],
    ) -> Result<Option<(std::ops::Range<usize>, usize)>, RecordError> {
        let Some(header) = input.first_chunk::<RECORD_HEADER_LEN>().copied() else {
            return Ok(None);
        };
        let len = self.check_header(header)?;
        let total = RECORD_HEADER_LEN + len;
        let Some(record) = input.get_mut(..total) else {
            return Ok(None);
        };
        self.open_body(header, &mut record[RECORD_HEADER_LEN..])?;
        Ok(Some((RECORD_HEADER_LEN..total - TAG_LEN, total)))
    }

    /// Opens a record whose header was already checked with
    /// [`check_header`](Self::check_header): `body` is ciphertext ‖ tag and
    /// is decrypted in place; the plaintext is `body[..body.len() - 16]`.
    pub fn open_body(
        &mut self,
        header: [u8; RECORD_HEADER_LEN],
        body: &mut [u8],
    ) -> Result<(), RecordError> {
        let split = body
            .len()
            .checked_sub(TAG_LEN)
            .ok_or(RecordError::Unauthentic)?;
        let (ciphertext, tag) = body.split_at_mut(split);
        let tag: &[u8; TAG_LEN] = (&*tag).try_into().map_err(|_| RecordError::Unauthentic)?;
        let nonce = nonce(self.direction, self.counter);
        self.cipher
            .decrypt_inout_detached(&nonce, &header, ciphertext.into(), tag.into())
            .map_err(|_| RecordError::Unauthentic)?;
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or(RecordError::CounterExhausted)?;
        Ok(())
    }

    /// Records opened so far.
    pub fn counter(&self) -> u64 {
        self.counter
    }
}

#[cfg(test)]
mod tests;
