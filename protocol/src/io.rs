//! The async adapter: clear frames and sealed records over any tokio
//! `AsyncRead`/`AsyncWrite`. A thin shell over the sans-IO codec; nothing
//! here decides anything about the protocol.

use bytes::BufMut;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::crypto::{RECORD_HEADER_LEN, RecordOpener, RecordSealer, TAG_LEN};
use crate::error::{DecodeError, RecordError};
use crate::packet::{FRAME_HEADER_LEN, FrameAssembler, FrameEvent, Packet};
use crate::value::Type;
use thiserror::Error;

/// Why reading or writing the channel failed. Every variant ends the
/// connection.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ChannelError {
    /// The socket failed.
    #[error("connection error: {0}")]
    Io(#[from] std::io::Error),
    /// The peer closed the connection in the middle of a record or packet.
    #[error("connection closed in the middle of a record or packet")]
    Truncated,
    /// A record failed to open.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// A packet failed to decode.
    #[error("malformed packet: {0}")]
    Decode(#[from] DecodeError),
}

/// Reads one clear frame (before login), refusing a length above `max`
/// before reading the body. Returns the body (type byte onward), or `None`
/// on a clean EOF before the first byte.
pub async fn read_clear_frame<R: AsyncRead + Unpin>(
    reader: &mut R,
    max: u32,
) -> Result<Option<Vec<u8>>, ChannelError> {
    let mut header = [0u8; FRAME_HEADER_LEN];
    if !read_exact_or_eof(reader, &mut header).await? {
        return Ok(None);
    }
    let len = crate::packet::check_len(u32::from_le_bytes(header), max)?;
    let mut body = vec![0u8; len];
    reader
        .read_exact(&mut body)
        .await
        .map_err(truncated_on_eof)?;
    Ok(Some(body))
}

/// Reads one whole record (header included) after checking its header with
/// `opener`; `None` on a clean EOF before the first byte. Does not open it.
pub async fn read_record<R: AsyncRead + Unpin>(
    reader: &mut R,
    opener: &RecordOpener,
    buf: &mut Vec<u8>,
) -> Result<bool, ChannelError> {
    let mut header = [0u8; RECORD_HEADER_LEN];
    if !read_exact_or_eof(reader, &mut header).await? {
        return Ok(false);
    }
    let len = opener.check_header(header)?;
    buf.clear();
    buf.extend_from_slice(&header);
    buf.resize(RECORD_HEADER_LEN + len, 0);
    reader
        .read_exact(&mut buf[RECORD_HEADER_LEN..])
        .await
        .map_err(truncated_on_eof)?;
    Ok(true)
}

async fn read_exact_or_eof<R: AsyncRead + Unpin>(
    reader: &mut R,
    buf: &mut [u8],
) -> Result<bool, ChannelError> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = reader.read(&mut buf[filled..]).await?;
        if n == 0 {
            return if filled == 0 {
                Ok(false)
            } else {
                Err(ChannelError::Truncated)
            };
        }
        filled += n;
    }
    Ok(true)
}

fn truncated_on_eof(e: std::io::Error) -> ChannelError {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        ChannelError::Truncated
    } else {
        ChannelError::Io(e)
    }
}

/// What the sealed reader delivers.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// A decoded packet.
    Packet(Packet),
    /// A packet over the receive limit began and is being skipped.
    Oversized {
        /// Its announced length.
        len: u32,
        /// Its type byte, if it had arrived.
        kind: Option<u8>,
    },
}

/// The receiving half of a sealed channel without any I/O: ciphertext goes
/// in ([`read_from`](Self::read_from) or [`push_ciphertext`](Self::push_ciphertext)),
/// frames come out ([`next_frame`](Self::next_frame)).
///
/// A record's clear length is checked before its body is read, and the
/// buffer only ever grows by what actually arrived.
pub struct SealedInbound {
    opener: RecordOpener,
    frames: FrameAssembler,
    ciphertext: Vec<u8>,
    /// Plaintext bytes opened and not yet reported by `take_opened`.
    opened: u64,
}

/// Bytes read from the socket at once.
const READ_CHUNK: usize = 64 * 1024;

impl SealedInbound {
    /// Opens records with `opener` and refuses packets over `max_packet`.
    pub fn new(opener: RecordOpener, max_packet: u32) -> Self {
        SealedInbound {
            opener,
            frames: FrameAssembler::new(max_packet),
            ciphertext: Vec::new(),
            opened: 0,
        }
    }

    /// Feeds plaintext that arrived with the handshake's first record.
    pub fn push_plaintext(&mut self, bytes: &[u8]) {
        self.frames.push(bytes);
    }

    /// Feeds bytes read from the peer.
    pub fn push_ciphertext(&mut self, bytes: &[u8]) {
        self.ciphertext.extend_from_slice(bytes);
    }

    /// Reads what the peer sent so far into the buffer: at most the rest of
    /// the current record and a little more. Returns the number of bytes
    /// read, 0 at the end of the stream. Cancel-safe.
    pub async fn read_from<R: AsyncRead + Unpin>(
        &mut self,
        reader: &mut R,
    ) -> Result<usize, ChannelError> {
        let want = self.wanted()?;
        if self.ciphertext.capacity() - self.ciphertext.len() < want {
            self.ciphertext.reserve(want);
        }
        let mut limited = (&mut self.ciphertext).limit(want);
        Ok(reader.read_buf(&mut limited).await?)
    }

    /// How many more bytes to read at most: the rest of the record under
    /// way (its length was checked), else a chunk.
    fn wanted(&self) -> Result<usize, ChannelError> {
        match self.ciphertext.first_chunk::<RECORD_HEADER_LEN>() {
            Some(header) => {
                let total = RECORD_HEADER_LEN + self.opener.check_header(*header)?;
                Ok(total.saturating_sub(self.ciphertext.len()).max(READ_CHUNK))
            }
            None => Ok(READ_CHUNK),
        }
    }

    /// Whether the stream is at a packet boundary: an end of stream now is
    /// a clean close.
    pub fn at_boundary(&self) -> bool {
        self.ciphertext.is_empty() && self.frames.is_idle()
    }

    /// Opens every complete record buffered so far, then returns the next
    /// frame; `Ok(None)` when more bytes must be read.
    pub fn next_frame(&mut self) -> Result<Option<FrameEvent<'_>>, ChannelError> {
        let mut used = 0;
        while let Some(header) = self.ciphertext[used..].first_chunk::<RECORD_HEADER_LEN>() {
            let header = *header;
            let total = RECORD_HEADER_LEN + self.opener.check_header(header)?;
            let Some(record) = self.ciphertext.get_mut(used..used + total) else {
                break;
            };
            let body = &mut record[RECORD_HEADER_LEN..];
            self.opener.open_body(header, body)?;
            let plain = &body[..body.len() - TAG_LEN];
            self.opened += plain.len() as u64;
            self.frames.push(plain);
            used += total;
        }
        if used > 0 {
            self.ciphertext.drain(..used);
        }
        Ok(self.frames.next_frame()?)
    }

    /// Records opened so far.
    pub fn records(&self) -> u64 {
        self.opener.counter()
    }

    /// Plaintext bytes opened since the last call (for metrics).
    pub fn take_opened(&mut self) -> u64 {
        std::mem::take(&mut self.opened)
    }

    /// The whole length and, once it arrived, the type byte of a packet
    /// that has begun to arrive and is not complete.
    pub fn incomplete_packet(&self) -> Option<(usize, Option<u8>)> {
        let len = self.frames.incomplete_frame_len()?;
        Some((len, self.frames.incomplete_frame_kind()))
    }

    /// Bytes of packets received and not yet taken by `next_frame`.
    pub fn buffered(&self) -> usize {
        self.frames.buffered()
    }

    /// Gives memory back after a large packet, keeping `keep` bytes.
    pub fn shrink(&mut self, keep: usize) {
        self.frames.shrink(keep);
        if self.ciphertext.is_empty() {
            self.ciphertext.shrink_to(keep);
        }
    }
}

/// Reads sealed records and yields the packets inside them.
pub struct SealedReader<R> {
    inner: R,
    inbound: SealedInbound,
}

impl<R: AsyncRead + Unpin> SealedReader<R> {
    /// Wraps the read half of an established channel.
    pub fn new(inner: R, opener: RecordOpener, max_packet: u32) -> Self {
        SealedReader {
            inner,
            inbound: SealedInbound::new(opener, max_packet),
        }
    }

    /// Feeds plaintext that arrived with the handshake's first record.
    pub fn push_plaintext(&mut self, bytes: &[u8]) {
        self.inbound.push_plaintext(bytes);
    }

    /// The sans-IO half and the reader, for callers that drive reads
    /// themselves (the proxy's session loop).
    pub fn into_parts(self) -> (R, SealedInbound) {
        (self.inner, self.inbound)
    }

    /// The next packet, or `None` when the peer closed the connection at a
    /// packet boundary. `columns` are the current RESULT_HEAD's types.
    pub async fn next(
        &mut self,
        columns: Option<&[Type]>,
    ) -> Result<Option<Incoming>, ChannelError> {
        loop {
            match self.inbound.next_frame()? {
                Some(FrameEvent::Frame(body)) => {
                    return Ok(Some(Incoming::Packet(Packet::decode(body, columns)?)));
                }
                Some(FrameEvent::Oversized { len, kind }) => {
                    return Ok(Some(Incoming::Oversized { len, kind }));
                }
                None => {}
            }
            if self.inbound.read_from(&mut self.inner).await? == 0 {
                return if self.inbound.at_boundary() {
                    Ok(None)
                } else {
                    Err(ChannelError::Truncated)
                };
            }
        }
    }

    #[cfg(test)]
    fn records(&self) -> u64 {
        self.inbound.records()
    }
}

/// The sending half of a sealed channel without any I/O: packets go in,
/// sealed records come out.
///
/// Packets are queued into a plaintext buffer; whenever it holds a full
/// record's worth, that record is sealed. [`seal_all`](Self::seal_all)
/// seals the rest: call it when there is nothing more to send at once, so
/// latency stays low.
pub struct SealedOutbound {
    sealer: RecordSealer,
    max_record: usize,
    plain: Vec<u8>,
    sealed: Vec<u8>,
    /// Bytes at the front of `sealed` already written.
    written: usize,
    /// Plaintext bytes sealed and not yet reported by `take_sealed`.
    sealed_plain: u64,
}

impl SealedOutbound {
    /// Seals with `sealer` into records of at most `max_record` bytes of
    /// plaintext (the peer's limit).
    pub fn new(sealer: RecordSealer, max_record: u32) -> Self {
        SealedOutbound {
            sealer,
            max_record: usize::try_from(max_record).unwrap_or(usize::MAX).max(1),
            plain: Vec::new(),
            sealed: Vec::new(),
            written: 0,
            sealed_plain: 0,
        }
    }

    /// Queues a packet; seals full records as they fill up.
    pub fn queue(&mut self, packet: &Packet) -> Result<(), ChannelError> {
        packet.encode(&mut self.plain);
        self.seal_full()
    }

    /// Queues frames that are already encoded (length, type, fields each).
    pub fn queue_encoded(&mut self, frames: &[u8]) -> Result<(), ChannelError> {
        self.plain.extend_from_slice(frames);
        self.seal_full()
    }

    /// Makes room for about `plain` more bytes of packets and their
    /// records in one allocation each, rather than by doubling (a large
    /// packet then takes its own size, not the next power of two).
    pub fn reserve(&mut self, plain: usize) {
        self.plain.reserve_exact(plain);
        let records = plain / self.max_record + 1;
        self.sealed.reserve_exact(
            plain + records * (crate::crypto::RECORD_HEADER_LEN + crate::crypto::TAG_LEN),
        );
    }

    /// Queues the frames `write` appends straight into the buffer (no copy);
    /// when it fails nothing is queued and its error is returned inside.
    pub fn queue_with<E>(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), E>,
    ) -> Result<Result<(), E>, ChannelError> {
        let start = self.plain.len();
        if let Err(e) = write(&mut self.plain) {
            self.plain.truncate(start);
            return Ok(Err(e));
        }
        self.seal_full().map(Ok)
    }

    /// Seals the records that are full.
    fn seal_full(&mut self) -> Result<(), ChannelError> {
        let full = self.plain.len() / self.max_record * self.max_record;
        if full > 0 {
            for chunk in self.plain[..full].chunks(self.max_record) {
                self.sealer.seal(chunk, &mut self.sealed)?;
            }
            self.sealed_plain += full as u64;
            self.plain.drain(..full);
        }
        Ok(())
    }

    /// Seals whatever is queued, full record or not.
    pub fn seal_all(&mut self) -> Result<(), ChannelError> {
        self.seal_full()?;
        if !self.plain.is_empty() {
            self.sealer.seal(&self.plain, &mut self.sealed)?;
            self.sealed_plain += self.plain.len() as u64;
            self.plain.clear();
        }
        Ok(())
    }

    /// Plaintext bytes sealed since the last call (for metrics).
    pub fn take_sealed(&mut self) -> u64 {
        std::mem::take(&mut self.sealed_plain)
    }

    /// Whether plaintext waits to be sealed.
    pub fn has_unsealed(&self) -> bool {
        !self.plain.is_empty()
    }

    /// The sealed bytes not yet written.
    pub fn sealed(&self) -> &[u8] {
        &self.sealed[self.written..]
    }

    /// Marks `n` sealed bytes as written.
    pub fn consume(&mut self, n: usize) {
        self.written = (self.written + n).min(self.sealed.len());
        if self.written == self.sealed.len() {
            self.sealed.clear();
            self.written = 0;
        } else if self.written >= self.sealed.len() / 2 {
            // Moving what is left costs no more than what was written.
            self.sealed.drain(..self.written);
            self.written = 0;
        }
    }

    /// Lets go of buffer memory held beyond `keep` spare bytes each (after
    /// a large packet went out).
    pub fn shrink(&mut self, keep: usize) {
        self.plain.shrink_to(self.plain.len() + keep);
        self.sealed.drain(..self.written);
        self.written = 0;
        self.sealed.shrink_to(self.sealed.len() + keep);
    }

    /// Writes every sealed byte to `writer` (not cancel-safe).
    pub async fn write_to<W: AsyncWrite + Unpin>(
        &mut self,
        writer: &mut W,
    ) -> Result<(), ChannelError> {
        if !self.sealed().is_empty() {
            writer.write_all(&self.sealed[self.written..]).await?;
            self.sealed.clear();
            self.written = 0;
        }
        Ok(())
    }
}

/// Buffers outgoing packets and seals them into records, then writes them.
pub struct SealedWriter<W> {
    inner: W,
    outbound: SealedOutbound,
}

impl<W: AsyncWrite + Unpin> SealedWriter<W> {
    /// Wraps the write half of an established channel; `max_record` is the
    /// peer's record limit.
    pub fn new(inner: W, sealer: RecordSealer, max_record: u32) -> Self {
        SealedWriter {
            inner,
            outbound: SealedOutbound::new(sealer, max_record),
        }
    }

    /// The sans-IO half and the writer, for callers that drive writes
    /// themselves (the proxy's session loop).
    pub fn into_parts(self) -> (W, SealedOutbound) {
        (self.inner, self.outbound)
    }

    /// Queues a packet; seals full records as they fill up.
    pub fn queue(&mut self, packet: &Packet) -> Result<(), ChannelError> {
        self.outbound.queue(packet)
    }

    /// Queues frames that are already encoded (tests send malformed ones).
    pub fn queue_encoded(&mut self, frames: &[u8]) -> Result<(), ChannelError> {
        self.outbound.queue_encoded(frames)
    }

    /// Bytes sealed but not yet written.
    pub fn sealed_pending(&self) -> usize {
        self.outbound.sealed().len()
    }

    /// Writes the records sealed so far (not the partial one): lets a
    /// streaming sender keep memory bounded and feel backpressure.
    pub async fn write_sealed(&mut self) -> Result<(), ChannelError> {
        self.outbound.write_to(&mut self.inner).await
    }

    /// Seals what is queued and writes and flushes everything.
    pub async fn flush(&mut self) -> Result<(), ChannelError> {
        self.outbound.seal_all()?;
        self.outbound.write_to(&mut self.inner).await?;
        self.inner.flush().await?;
        Ok(())
    }

    /// Sends one packet right away.
    pub async fn send(&mut self, packet: &Packet) -> Result<(), ChannelError> {
        self.queue(packet)?;
        self.flush().await
    }

    /// Shuts the write half down.
    pub async fn shutdown(&mut self) -> Result<(), ChannelError> {
        self.inner.shutdown().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
