//! The session's one event loop: client reads and writes, PostgreSQL's
//! events, shutdown and timers, all in one `select!` whose futures are
//! cancel-safe.
//!
//! ```text
//!  step ─┬─ idle and a request waits? ──▶ start it (request.rs)
//!        ├─ a whole client frame buffered? ──▶ handle it
//!        └─ select (biased):
//!              write sealed bytes ▸ read the client ▸ shutdown ▸ grace/hard
//!              stop ▸ idle timeout ▸ PostgreSQL's events (while the
//!              outbound buffer has room) ▸ nothing else ready: seal the
//!              partial record so it goes out now
//! ```

use std::collections::VecDeque;
use std::pin::Pin;
use std::time::Duration;

use cor4_protocol::io::{ChannelError, SealedInbound, SealedOutbound, SealedReader, SealedWriter};
use cor4_protocol::packet::{FrameEvent, kind};
use cor4_protocol::{DecodeError, ErrorCode, Packet};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::{OwnedSemaphorePermit, watch};
use tokio::time::Instant;

use super::client::{ClientEvent, CopyMessage, Request, classify, classify_oversized};
use super::request::{Running, SessionState};
use super::{
    CANCEL_WAIT, CLOSE_TIMEOUT, MAX_DEFERRED, MAX_DEFERRED_BYTES, MAX_OUTBOUND, SessionContext,
    SessionEnd, WRITE_THRESHOLD, convert,
};
use crate::limits::SMALL_PACKET;
use crate::pgwire::{CancelToken, PgError};
use crate::pool::Backend;

mod client_events;

/// The idle timer's deadline when sessions may idle forever.
const NO_IDLE_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 3600);

/// Buffer capacity a session keeps after a large packet went through.
const RETAINED_BUFFER: usize = 64 * 1024;

/// What the packet arriving from the client needs before more of it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LargePacket {
    /// Nothing large is arriving.
    None,
    /// A large packet arrives and its share of the budget is held.
    Budgeted,
    /// Its share, in bytes, must be taken first.
    NeedsBudget(usize),
    /// It is a request behind a running one: read it once idle.
    WaitForIdle,
}

impl LargePacket {
    fn bytes(self) -> usize {
        match self {
            LargePacket::NeedsBudget(n) => n,
            _ => 0,
        }
    }
}

/// The session goes on (`Ok`) or is over (`Err`, with the reason).
pub(super) type Step<T = ()> = Result<T, SessionEnd>;

/// Where shutdown stands: once the signal comes, a running request has
/// until `grace`; then it is cancelled, and the session ends at
/// `hard_stop` whether or not PostgreSQL answered.
#[derive(Debug, Default)]
struct ShutdownClock {
    grace: Option<Instant>,
    hard_stop: Option<Instant>,
}

/// One authenticated session.
pub(super) struct Session<R, W> {
    rd: R,
    inbound: SealedInbound,
    wr: W,
    pub(super) out: SealedOutbound,
    /// A write to the client failed or was abandoned: nothing more may go out.
    poisoned: bool,
    pub(super) pg: Backend,
    pub(super) ctx: SessionContext,
    pub(super) state: SessionState,
    deferred: VecDeque<Request>,
    deferred_bytes: usize,
    /// The share of the byte budget held while a large packet arrives and
    /// until its bytes are given back.
    large: Option<OwnedSemaphorePermit>,
    pub(super) running: Option<Running>,
    clock: ShutdownClock,
    /// When the client last sent something (for the idle timeout).
    last_heard: Instant,
    /// Since when records wait for the client without any being taken
    /// (for the write timeout); `None` while nothing waits.
    write_stalled: Option<Instant>,
    /// The idle timer: one timer for the whole session, moved on only when
    /// it fires early (a timer set per request would wake the runtime's
    /// timer thread on every round trip).
    idle: Pin<Box<tokio::time::Sleep>>,
    pub(super) queries: u64,
    pub(super) rows: u64,
}

impl<R, W> Session<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    pub(super) fn new(
        reader: SealedReader<R>,
        writer: SealedWriter<W>,
        pg: Backend,
        ctx: SessionContext,
    ) -> Self {
        let (rd, inbound) = reader.into_parts();
        let (wr, out) = writer.into_parts();
        let mut pg = pg;
        pg.set_budget(std::sync::Arc::clone(&ctx.budget));
        let idle_deadline = Instant::now() + ctx.idle_timeout.unwrap_or(NO_IDLE_TIMEOUT);
        Session {
            rd,
            inbound,
            wr,
            out,
            poisoned: false,
            pg,
            state: SessionState::new(ctx.must_change_password),
            ctx,
            deferred: VecDeque::new(),
            deferred_bytes: 0,
            large: None,
            running: None,
            clock: ShutdownClock::default(),
            last_heard: Instant::now(),
            write_stalled: None,
            idle: Box::pin(tokio::time::sleep_until(idle_deadline)),
            queries: 0,
            rows: 0,
        }
    }

    /// Requests run and rows sent so far.
    pub(super) fn counts(&self) -> (u64, u64) {
        (self.queries, self.rows)
    }

    /// The cor4 user.
    pub(super) fn user(&self) -> &str {
        &self.ctx.user
    }

    /// Runs until the session ends, and says why.
    pub(super) async fn run(&mut self) -> SessionEnd {
        loop {
            if let Err(end) = self.step().await {
                return end;
            }
        }
    }

    async fn step(&mut self) -> Step {
        if self.running.is_none() {
            if self.clock.grace.is_some() {
                return self.last_words(ErrorCode::ServerShutdown, SessionEnd::Shutdown);
            }
            if let Some(request) = self.deferred.pop_front() {
                self.deferred_bytes -= request.size();
                return self.start(request).await;
            }
        }
        if self.can_take() && self.handle_buffered_frame().await? {
            return Ok(());
        }
        self.give_back_large();
        let large = self.large_packet_arriving();
        let can_read = self.can_take()
            && self.outbound_len() < MAX_OUTBOUND
            && matches!(large, LargePacket::None | LargePacket::Budgeted);
        let read_pg = self.running.is_some() && self.out.sealed().len() < WRITE_THRESHOLD;
        let quiet = self.running.is_none() && self.outbound_len() == 0;
        let watch_idle = quiet && self.ctx.idle_timeout.is_some();
        let shutting_down = self.clock.grace.is_some();
        let has_unsealed = self.out.has_unsealed() || self.has_pending_copy_data();
        if self.out.sealed().is_empty() {
            self.write_stalled = None;
        } else if self.write_stalled.is_none() {
            self.write_stalled = Some(Instant::now());
        }
        let write_deadline = self
            .ctx
            .write_timeout
            .zip(self.write_stalled)
            .map(|(timeout, since)| since + timeout);
        tokio::select! {
            biased;
            written = self.wr.write(self.out.sealed()), if !self.out.sealed().is_empty() => {
                match written {
                    Ok(0) | Err(_) => {
                        self.poisoned = true;
                        Err(SessionEnd::ClientDisconnected)
                    }
                    Ok(n) => {
                        self.out.consume(n);
                        self.ctx.live.add_bytes_out(n);
                        self.count_records();
                        self.write_stalled = None;
                        Ok(())
                    }
                }
            }
            read = self.inbound.read_from(&mut self.rd), if can_read => match read {
                Ok(0) => Err(SessionEnd::ClientDisconnected),
                Ok(n) => {
                    self.last_heard = Instant::now();
                    self.ctx.live.add_bytes_in(n);
                    self.count_records();
                    Ok(())
                }
                Err(e) => self.channel_failed(&e),
            },
            permit = self.ctx.budget.take(large.bytes()), if matches!(large, LargePacket::NeedsBudget(_)) => {
                self.large = Some(permit);
                Ok(())
            }
            () = shutdown_signal(&mut self.ctx.shutdown), if !shutting_down => {
                self.clock.grace = Some(Instant::now() + self.ctx.shutdown_grace);
                Ok(())
            }
            () = at(self.clock.grace), if self.running.is_some() && self.clock.hard_stop.is_none() => {
                tracing::info!(user = %self.ctx.user, "shutdown grace over; cancelling the running query");
                spawn_cancel(self.pg.cancel_token());
                self.clock.hard_stop = Some(Instant::now() + CANCEL_WAIT);
                Ok(())
            }
            () = at(write_deadline) => {
                tracing::warn!(user = %self.ctx.user, "the client took nothing for the write timeout; ending the session");
                if self.running.is_some() {
                    spawn_cancel(self.pg.cancel_token());
                }
                // Nothing more can reach it.
                self.poisoned = true;
                Err(SessionEnd::WriteTimeout)
            }
            () = at(self.clock.hard_stop) => {
                self.last_words(ErrorCode::ServerShutdown, SessionEnd::Shutdown)
            }
            () = self.idle.as_mut(), if watch_idle => {
                let due = self.ctx.idle_timeout.and_then(|t| self.last_heard.checked_add(t));
                match due {
                    Some(due) if Instant::now() < due => {
                        // The client spoke since the timer was set.
                        self.idle.as_mut().reset(due);
                        Ok(())
                    }
                    _ => {
                        tracing::info!(user = %self.ctx.user, "session idle too long");
                        self.last_words(ErrorCode::IdleTimeout, SessionEnd::IdleTimeout)
                    }
                }
            }
            request = self.ctx.live.end_requested() => {
                if self.running.is_some() {
                    spawn_cancel(self.pg.cancel_token());
                }
                self.queue(&convert::error_packet(0, request.code, request.message))?;
                Err(SessionEnd::Ended)
            }
            event = self.pg.next_event(), if read_pg => self.on_pg(event).await,
            // Nothing more to send at once: let the client have it.
            () = std::future::ready(()), if has_unsealed => self.seal_all(),
        }
    }

    /// Whether a packet over [`SMALL_PACKET`] is arriving, and what reading
    /// the rest of it needs.
    fn large_packet_arriving(&self) -> LargePacket {
        let Some((len, kind)) = self.inbound.incomplete_packet() else {
            return LargePacket::None;
        };
        if len <= SMALL_PACKET {
            return LargePacket::None;
        }
        if self.large.is_some() {
            return LargePacket::Budgeted;
        }
        let idle = self.running.is_none() && self.deferred.is_empty();
        let copy_data = kind == Some(kind::COPY_DATA) && self.pg.is_copy_in();
        match kind {
            // Relayed from the frame buffer as it stands: its own size.
            Some(kind::QUERY) if idle => LargePacket::NeedsBudget(len),
            _ if copy_data => LargePacket::NeedsBudget(len),
            // A request behind a running one would be decoded and wait as
            // a copy: read it once the session is idle instead.
            Some(_) if !idle => LargePacket::WaitForIdle,
            // Decoded into a packet: the frame and its copy.
            _ => LargePacket::NeedsBudget(len.saturating_mul(2)),
        }
    }

    /// Gives the large packet's share of the budget back, and the memory
    /// that held it, once it is through.
    fn give_back_large(&mut self) {
        let small = |len: usize| len <= SMALL_PACKET;
        if self.large.is_some()
            && self
                .inbound
                .incomplete_packet()
                .is_none_or(|(len, _)| small(len))
            && self.inbound.buffered() <= SMALL_PACKET
            && self.deferred_bytes <= SMALL_PACKET
        {
            self.inbound.shrink(RETAINED_BUFFER);
            self.large = None;
        }
        // A large result: held until it is on its way to the client.
        if self.pg.holds_large()
            && self.pg.incomplete_message_len().is_none_or(small)
            && self.pg.buffered() <= SMALL_PACKET
            && self.out.sealed().len() <= SMALL_PACKET
        {
            self.out.shrink(RETAINED_BUFFER);
            self.pg.release_large(RETAINED_BUFFER);
        }
    }

    /// Whether the running statement was cancelled because the server is
    /// shutting down (its error then says so, as ERROR 32).
    pub(super) fn cancelled_for_shutdown(&self) -> bool {
        self.clock.hard_stop.is_some()
    }

    /// Bytes waiting to go to the client, sealed or not.
    fn outbound_len(&self) -> usize {
        self.out.sealed().len() + usize::from(self.out.has_unsealed())
    }

    /// Whether the session may take more client input now: there is room
    /// for another waiting request, or a COPY FROM STDIN needs its data.
    fn can_take(&self) -> bool {
        self.pg.is_copy_in()
            || self.deferred.is_empty()
            || (self.deferred.len() < MAX_DEFERRED && self.deferred_bytes < MAX_DEFERRED_BYTES)
    }

    /// Relays one event of PostgreSQL's, then every further one already
    /// buffered, as long as the outbound buffer has room.
    async fn on_pg(&mut self, event: Result<crate::pgwire::Event, PgError>) -> Step {
        let mut event = event;
        loop {
            match event {
                Ok(e) => self.on_event(e)?,
                Err(e) => return self.backend_gone(&e),
            }
            if let Some(reason) = self.take_copy_abort()
                && let Err(e) = self.pg.copy_fail(&reason).await
            {
                return self.backend_gone(&e);
            }
            if self.running.is_none() || self.out.sealed().len() >= WRITE_THRESHOLD {
                return Ok(());
            }
            event = match self.pg.try_next_event() {
                Ok(Some(e)) => Ok(e),
                Ok(None) => return Ok(()),
                Err(e) => Err(e),
            };
        }
    }

    /// Queues an unsolicited ERROR (`answered` 0: it answers no request)
    /// and ends the session with `end`; [`close`](Self::close) sends it.
    pub(super) fn last_words<T>(&mut self, code: ErrorCode, end: SessionEnd) -> Step<T> {
        let message = match code {
            ErrorCode::ServerShutdown => "the server is shutting down",
            ErrorCode::IdleTimeout => "the session was idle for too long and is closed",
            _ => "the session is closed",
        };
        self.queue(&convert::error_packet(0, code, message))?;
        Err(end)
    }

    /// A client read failed: a peer that went away, or one that broke the
    /// protocol (told so with ERROR 30 before the close).
    fn channel_failed(&mut self, e: &ChannelError) -> Step {
        match e {
            ChannelError::Io(_) | ChannelError::Truncated => {
                tracing::debug!(error = %e, "client connection lost");
                Err(SessionEnd::ClientDisconnected)
            }
            _ => {
                tracing::warn!(error = %e, "client broke the protocol; closing the session");
                self.queue(&convert::error_packet(
                    0,
                    ErrorCode::ProtocolViolation,
                    format!("protocol violation ({e}); the connection is closed"),
                ))?;
                Err(SessionEnd::ProtocolError)
            }
        }
    }

    /// PostgreSQL failed: ERROR 35 and the end of the session.
    pub(super) fn backend_gone(&mut self, e: &PgError) -> Step {
        tracing::warn!(user = %self.ctx.user, error = %e, "PostgreSQL connection lost");
        self.queue(&convert::error_packet(
            0,
            ErrorCode::BackendUnavailable,
            format!("the connection to PostgreSQL was lost ({e}); the session is closed"),
        ))?;
        Err(SessionEnd::BackendGone)
    }

    /// Queues a packet for the client.
    pub(super) fn queue(&mut self, packet: &Packet) -> Step {
        if self.poisoned {
            return Err(SessionEnd::ClientDisconnected);
        }
        if let Packet::Error(e) = packet {
            self.ctx.live.error_sent(e.code);
        }
        self.out.queue(packet).map_err(sealing_failed)
    }

    /// Queues the frames `write` appends in place; its own error comes back
    /// inside (nothing queued then).
    pub(super) fn queue_with<E>(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), E>,
    ) -> Step<Result<(), E>> {
        if self.poisoned {
            return Err(SessionEnd::ClientDisconnected);
        }
        self.out.queue_with(write).map_err(sealing_failed)
    }

    /// Seals whatever is queued so it can be written now.
    /// Reports the plaintext sealed and opened since the last report.
    fn count_records(&mut self) {
        let sealed = self.out.take_sealed();
        let opened = self.inbound.take_opened();
        self.ctx.live.add_record_bytes(sealed, opened);
    }

    fn seal_all(&mut self) -> Step {
        self.flush_copy_data()?;
        self.out.seal_all().map_err(sealing_failed)
    }

    /// Sends what is queued (the last words), then leaves PostgreSQL: a
    /// running request is cancelled first, so its backend is gone at once
    /// rather than when the statement finishes.
    pub(super) async fn close(self) {
        let Session {
            pg,
            mut out,
            mut wr,
            poisoned,
            ..
        } = self;
        pg.finish().await;
        if !poisoned {
            let goodbye = async {
                out.seal_all()?;
                out.write_to(&mut wr).await?;
                wr.shutdown().await?;
                Ok::<(), ChannelError>(())
            };
            if let Ok(Err(e)) = tokio::time::timeout(CLOSE_TIMEOUT, goodbye).await {
                tracing::debug!(error = %e, "closing the client connection");
            }
        }
    }
}

fn sealing_failed(e: ChannelError) -> SessionEnd {
    tracing::error!(error = %e, "cannot seal a packet for the client");
    SessionEnd::ClientDisconnected
}

/// Resolves once shutdown is signalled (at once if it already was); never,
/// if the sender is gone.
async fn shutdown_signal(rx: &mut watch::Receiver<bool>) {
    if rx.wait_for(|&down| down).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Resolves at `deadline`; never if there is none.
async fn at(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Asks PostgreSQL to cancel the running statement, without waiting
/// (nothing to cancel while no connection is held).
pub(super) fn spawn_cancel(token: Option<CancelToken>) {
    let Some(token) = token else {
        return;
    };
    tokio::spawn(async move {
        if let Err(e) = token.cancel().await {
            tracing::warn!(error = %e, "cancel request to PostgreSQL failed");
        }
    });
}
