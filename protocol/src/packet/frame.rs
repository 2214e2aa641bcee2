//! Framing: the 4-byte little-endian length before every packet.
//!
//! [`FrameAssembler`] turns an arbitrary chunking of the packet byte stream
//! (opened records, or socket reads before login) back into frames. It never
//! allocates what a length field claims: bytes are buffered only as they
//! arrive, and a frame over the limit is skipped as it streams past instead
//! of being collected, so the session can answer ERROR and carry on.

use crate::error::DecodeError;

/// Bytes in a frame's length prefix.
pub const FRAME_HEADER_LEN: usize = 4;

/// Splits the first complete frame off `buf`.
///
/// Returns `Ok(None)` when more bytes are needed, otherwise the frame body
/// (type byte onward) and how many bytes of `buf` the frame took. A length
/// above `max` or of zero is an error, reported before anything is
/// buffered.
pub fn split_frame(buf: &[u8], max: u32) -> Result<Option<(&[u8], usize)>, DecodeError> {
    let Some(header) = buf.first_chunk::<FRAME_HEADER_LEN>() else {
        return Ok(None);
    };
    let len = check_len(u32::from_le_bytes(*header), max)?;
    let total = FRAME_HEADER_LEN + len;
    Ok(buf.get(FRAME_HEADER_LEN..total).map(|body| (body, total)))
}

/// A frame's announced length, refused when empty or over `max` (nothing
/// is read or allocated before this check).
pub(crate) fn check_len(len: u32, max: u32) -> Result<usize, DecodeError> {
    if len == 0 {
        return Err(DecodeError::EmptyFrame);
    }
    if len > max {
        return Err(DecodeError::TooLarge {
            len: u64::from(len),
            max: u64::from(max),
        });
    }
    usize::try_from(len).map_err(|_| DecodeError::TooLarge {
        len: u64::from(len),
        max: u64::from(max),
    })
}

/// What [`FrameAssembler::next_frame`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum FrameEvent<'a> {
    /// A complete frame body (type byte onward).
    Frame(&'a [u8]),
    /// A frame longer than the limit began; its bytes will be discarded as
    /// they arrive. Reported once per such frame.
    Oversized {
        /// The length it announced.
        len: u32,
        /// Its type byte, when it had arrived (to answer the right packet).
        kind: Option<u8>,
    },
}

/// Reassembles frames from a byte stream delivered in arbitrary pieces.
#[derive(Debug)]
pub struct FrameAssembler {
    buf: Vec<u8>,
    start: usize,
    max_packet: u32,
    /// Bytes of an oversized frame still to discard.
    skip: u64,
}

impl FrameAssembler {
    /// A new assembler refusing frames longer than `max_packet`.
    pub fn new(max_packet: u32) -> Self {
        FrameAssembler {
            buf: Vec::new(),
            start: 0,
            max_packet,
            skip: 0,
        }
    }

    /// Bytes buffered but not yet returned as frames.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Whether the stream is at a frame boundary (nothing half-received).
    pub fn is_idle(&self) -> bool {
        self.buffered() == 0 && self.skip == 0
    }

    /// Appends bytes from the stream.
    pub fn push(&mut self, mut bytes: &[u8]) {
        if self.skip > 0 {
            let n = usize::try_from(self.skip).map_or(bytes.len(), |s| s.min(bytes.len()));
            self.skip -= n as u64;
            bytes = &bytes[n..];
        }
        if self.start > 0 && self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        } else if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.reserve_for(bytes.len());
        self.buf.extend_from_slice(bytes);
    }

    /// Makes room for `more` bytes: doubling, as a `Vec` does, but never
    /// past the end of the frame under way once its length is known, so a
    /// large frame's buffer ends up its own size rather than the next power
    /// of two (and never more than twice what actually arrived).
    fn reserve_for(&mut self, more: usize) {
        let needed = self.buf.len() + more;
        if needed <= self.buf.capacity() {
            return;
        }
        let doubled = needed.max(self.buf.capacity() * 2);
        let target = match self.incomplete_frame_len() {
            Some(frame) => doubled.min(self.start + frame).max(needed),
            None => doubled,
        };
        self.buf.reserve_exact(target - self.buf.len());
    }

    /// The whole length (prefix included) of the frame under way when its
    /// prefix has arrived, it is within the limit, and it is not complete.
    pub fn incomplete_frame_len(&self) -> Option<usize> {
        if self.skip > 0 {
            return None;
        }
        let pending = &self.buf[self.start..];
        let header = pending.first_chunk::<FRAME_HEADER_LEN>()?;
        let body = check_len(u32::from_le_bytes(*header), self.max_packet).ok()?;
        let total = FRAME_HEADER_LEN + body;
        (pending.len() < total).then_some(total)
    }

    /// The type byte of the frame under way, once it arrived.
    pub fn incomplete_frame_kind(&self) -> Option<u8> {
        self.incomplete_frame_len()?;
        self.buf.get(self.start + FRAME_HEADER_LEN).copied()
    }

    /// Gives memory back after a large frame: keeps at most `keep` bytes of
    /// capacity beyond what is still buffered.
    pub fn shrink(&mut self, keep: usize) {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        if self.buf.capacity() > self.buf.len() + keep {
            self.buf.shrink_to(self.buf.len() + keep);
        }
    }

    /// The next complete frame, `Ok(None)` when more bytes are needed.
    ///
    /// An empty frame is an error: the stream cannot be resynchronised
    /// after it and the connection must end.
    pub fn next_frame(&mut self) -> Result<Option<FrameEvent<'_>>, DecodeError> {
        if self.skip > 0 {
            return Ok(None);
        }
        let pending = &self.buf[self.start..];
        let Some(header) = pending.first_chunk::<FRAME_HEADER_LEN>() else {
            return Ok(None);
        };
        let len = u32::from_le_bytes(*header);
        match check_len(len, self.max_packet) {
            Ok(body_len) => {
                let total = FRAME_HEADER_LEN + body_len;
                if pending.len() < total {
                    return Ok(None);
                }
                let body_start = self.start + FRAME_HEADER_LEN;
                self.start += total;
                Ok(Some(FrameEvent::Frame(&self.buf[body_start..self.start])))
            }
            Err(DecodeError::TooLarge { .. }) => {
                let kind = pending.get(FRAME_HEADER_LEN).copied();
                let available = pending.len() - FRAME_HEADER_LEN;
                let body = u64::from(len);
                let dropped = body.min(available as u64);
                // dropped <= available, which is a usize.
                let dropped_usize = usize::try_from(dropped).unwrap_or(available);
                self.start += FRAME_HEADER_LEN + dropped_usize;
                self.skip = body - dropped;
                Ok(Some(FrameEvent::Oversized { len, kind }))
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(body.len())
            .unwrap_or(0)
            .to_le_bytes()
            .to_vec();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn reassembles_frames_split_at_every_byte() {
        let mut stream = frame(&[4, 1, 0, b'a']);
        stream.extend(frame(&[9]));
        let mut asm = FrameAssembler::new(1024);
        let mut got = Vec::new();
        for b in &stream {
            asm.push(std::slice::from_ref(b));
            while let Some(FrameEvent::Frame(body)) = asm.next_frame().ok().flatten() {
                got.push(body.to_vec());
            }
        }
        assert_eq!(got, vec![vec![4, 1, 0, b'a'], vec![9]]);
        assert!(asm.is_idle());
    }

    #[test]
    fn rejects_oversized_frame_without_buffering_it() {
        let mut asm = FrameAssembler::new(8);
        let mut stream = 20u32.to_le_bytes().to_vec();
        stream.push(4);
        stream.extend([0u8; 5]);
        asm.push(&stream);
        assert_eq!(
            asm.next_frame(),
            Ok(Some(FrameEvent::Oversized {
                len: 20,
                kind: Some(4)
            }))
        );
        assert_eq!(asm.next_frame(), Ok(None));
        // The rest of the oversized body is discarded, then framing resumes.
        let mut rest = vec![0u8; 14];
        rest.extend(frame(&[9]));
        asm.push(&rest);
        assert_eq!(asm.next_frame(), Ok(Some(FrameEvent::Frame(&[9][..]))));
        assert!(asm.is_idle());
    }

    #[test]
    fn a_large_frame_gets_a_buffer_of_its_own_size_given_back_after() {
        let body = vec![7u8; 3_000_000];
        let stream = frame(&body);
        let mut asm = FrameAssembler::new(4 << 20);
        for chunk in stream.chunks(65_536) {
            assert_eq!(asm.next_frame(), Ok(None));
            asm.push(chunk);
            assert!(
                asm.buf.capacity() <= stream.len().max(2 * asm.buf.len()),
                "capacity {} for {} bytes of a {}-byte frame",
                asm.buf.capacity(),
                asm.buf.len(),
                stream.len()
            );
            if asm.buf.len() < stream.len() {
                assert_eq!(asm.incomplete_frame_len(), Some(stream.len()));
                assert_eq!(asm.incomplete_frame_kind(), Some(7));
            }
        }
        assert_eq!(asm.buf.capacity(), stream.len());
        assert_eq!(asm.next_frame(), Ok(Some(FrameEvent::Frame(&body[..]))));
        assert_eq!(asm.incomplete_frame_len(), None);
        asm.shrink(1024);
        assert!(asm.buf.capacity() <= 1024);
        assert!(asm.is_idle());
    }

    #[test]
    fn rejects_empty_frame() {
        let mut asm = FrameAssembler::new(8);
        asm.push(&[0, 0, 0, 0]);
        assert_eq!(asm.next_frame(), Err(DecodeError::EmptyFrame));
    }

    #[test]
    fn split_frame_refuses_length_above_max_before_body_arrives() {
        assert_eq!(
            split_frame(&[0xFF, 0xFF, 0xFF, 0x7F], 1 << 20),
            Err(DecodeError::TooLarge {
                len: 0x7FFF_FFFF,
                max: 1 << 20
            })
        );
        assert_eq!(split_frame(&[2, 0, 0], 8), Ok(None));
        assert_eq!(split_frame(&[2, 0, 0, 0, 9], 8), Ok(None));
        assert_eq!(
            split_frame(&[2, 0, 0, 0, 9, 9, 1], 8),
            Ok(Some((&[9u8, 9][..], 6)))
        );
    }
}
