//! Primitive encodings shared by every packet: little-endian integers,
//! u16-length strings with the 0xFFFF long-string escape, u32-count string
//! lists.
//!
//! Encoders append to a `Vec<u8>`; [`Reader`] walks a complete buffer and
//! never reads past its end, so a length field can claim anything without
//! making the decoder allocate more than the bytes actually present.

use crate::error::{DecodeError, NonCanonical};

/// The u16 length value that escapes to a following u32 length.
pub const LONG_STRING_ESCAPE: u16 = 0xFFFF;

/// A cursor over a complete, already length-delimited buffer.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Fails with [`DecodeError::TrailingBytes`] unless every byte was read.
    pub fn expect_end(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(DecodeError::TrailingBytes(n)),
        }
    }

    /// Takes the next `n` bytes.
    pub fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let remaining = self.remaining();
        if n > remaining {
            return Err(DecodeError::Truncated {
                field,
                needed: n - remaining,
            });
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Takes exactly `N` bytes as an array.
    pub fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    /// Reads one byte.
    pub fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.array::<1>(field)?[0])
    }

    /// Reads a little-endian u16.
    pub fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_le_bytes(self.array(field)?))
    }

    /// Reads a little-endian u32.
    pub fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array(field)?))
    }

    /// Reads a little-endian i32.
    pub fn i32(&mut self, field: &'static str) -> Result<i32, DecodeError> {
        Ok(i32::from_le_bytes(self.array(field)?))
    }

    /// Reads a little-endian u64.
    pub fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array(field)?))
    }

    /// Reads a little-endian i64.
    pub fn i64(&mut self, field: &'static str) -> Result<i64, DecodeError> {
        Ok(i64::from_le_bytes(self.array(field)?))
    }

    /// Reads the length prefix of a string or byte string: u16, or the
    /// 0xFFFF escape followed by a u32.
    fn length(&mut self, field: &'static str) -> Result<usize, DecodeError> {
        let short = self.u16(field)?;
        if short != LONG_STRING_ESCAPE {
            return Ok(usize::from(short));
        }
        let long = self.u32(field)?;
        if long < u32::from(LONG_STRING_ESCAPE) {
            return Err(DecodeError::NonCanonical(NonCanonical::LongStringEscape));
        }
        // A u32 always fits in usize on the 32- and 64-bit targets we build for.
        usize::try_from(long).map_err(|_| DecodeError::TooLarge {
            len: u64::from(long),
            max: usize::MAX as u64,
        })
    }

    /// Reads a length-prefixed byte string.
    pub fn bytes(&mut self, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let len = self.length(field)?;
        self.take(len, field)
    }

    /// Reads a length-prefixed UTF-8 string.
    pub fn string(&mut self, field: &'static str) -> Result<String, DecodeError> {
        let raw = self.bytes(field)?;
        std::str::from_utf8(raw)
            .map(str::to_owned)
            .map_err(|_| DecodeError::InvalidUtf8)
    }

    /// Reads a u32-count list of strings.
    pub fn string_list(&mut self, field: &'static str) -> Result<Vec<String>, DecodeError> {
        let count = self.u32(field)?;
        // Each string takes at least its 2-byte length: never reserve more
        // entries than the remaining bytes could hold.
        let plausible = (self.remaining() / 2).min(usize::try_from(count).unwrap_or(usize::MAX));
        let mut out = Vec::with_capacity(plausible);
        for _ in 0..count {
            out.push(self.string(field)?);
        }
        Ok(out)
    }
}

/// Appends one byte.
pub fn put_u8(out: &mut Vec<u8>, v: u8) {
    out.push(v);
}

/// Appends a little-endian u16.
pub fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Appends a little-endian u32.
pub fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Appends a little-endian i32.
pub fn put_i32(out: &mut Vec<u8>, v: i32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Appends a little-endian u64.
pub fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Appends a little-endian i64.
pub fn put_i64(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Appends a length-prefixed byte string, escaping to a u32 length at 0xFFFF
/// bytes and above.
///
/// # Panics
///
/// If `bytes` is 4 GiB or longer. Callers bound their payloads by the packet
/// limit (at most 1 GiB) long before that.
pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    match u16::try_from(bytes.len()) {
        Ok(short) if short != LONG_STRING_ESCAPE => put_u16(out, short),
        _ => {
            put_u16(out, LONG_STRING_ESCAPE);
            #[allow(clippy::expect_used)]
            let long = u32::try_from(bytes.len()).expect("string longer than 4 GiB");
            put_u32(out, long);
        }
    }
    out.extend_from_slice(bytes);
}

/// Appends a length-prefixed UTF-8 string.
pub fn put_string(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

/// Appends a u32-count list of strings.
pub fn put_string_list<S: AsRef<str>>(out: &mut Vec<u8>, list: &[S]) {
    put_u32(out, len_u32(list.len()));
    for s in list {
        put_string(out, s.as_ref());
    }
}

/// Converts an in-memory length to a u32 wire length.
///
/// # Panics
///
/// If `len` exceeds `u32::MAX`; callers enforce the packet limit first.
pub fn len_u32(len: usize) -> u32 {
    #[allow(clippy::expect_used)]
    u32::try_from(len).expect("length exceeds u32::MAX")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_strings_keep_the_seed_encoding() {
        let mut out = Vec::new();
        put_string(&mut out, "nev");
        assert_eq!(out, [3, 0, b'n', b'e', b'v']);
    }

    #[test]
    fn long_string_escape_starts_at_0xffff() {
        for len in [0xFFFEusize, 0xFFFF, 0x1_0000] {
            let s = "x".repeat(len);
            let mut out = Vec::new();
            put_string(&mut out, &s);
            let escaped = len >= 0xFFFF;
            assert_eq!(out.len(), len + if escaped { 6 } else { 2 });
            let mut r = Reader::new(&out);
            assert_eq!(r.string("s").map(|s| s.len()), Ok(len));
            assert_eq!(r.expect_end(), Ok(()));
        }
    }

    #[test]
    fn rejects_long_escape_for_short_string() {
        let mut r = Reader::new(&[0xFF, 0xFF, 3, 0, 0, 0, b'a', b'b', b'c']);
        assert_eq!(
            r.string("s"),
            Err(DecodeError::NonCanonical(NonCanonical::LongStringEscape))
        );
    }

    #[test]
    fn rejects_truncated_string_without_allocating_its_claim() {
        // Claims 4 GiB - 1, carries 1 byte.
        let mut r = Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, b'a']);
        assert!(matches!(r.string("s"), Err(DecodeError::Truncated { .. })));
    }

    #[test]
    fn rejects_huge_string_list_count() {
        let mut r = Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0]);
        assert!(matches!(
            r.string_list("l"),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn rejects_invalid_utf8() {
        let mut r = Reader::new(&[2, 0, 0xC3, 0x28]);
        assert_eq!(r.string("s"), Err(DecodeError::InvalidUtf8));
    }
}
