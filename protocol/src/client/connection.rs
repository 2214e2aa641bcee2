//! The connection task: it owns the socket, writes requests in the order
//! they were made, and routes each answer back to whoever asked — so one
//! [`Client`](super::Client) serves many tasks with requests pipelined, as
//! tokio-postgres does.
//!
//! ```text
//!  Client / Statement / sinks ──requests (in order)──┐
//!                             ──COPY data────────────┤   ┌───────────────┐
//!                             ──urgent: CANCEL, PING─┴──▶│ Connection    │──records──▶ proxy
//!  RowStream ◀──chunks of frames── pending FIFO ◀────────│ (one task)    │◀─records───
//!                                                        └───────────────┘
//! ```
//!
//! Answers are frames, not decoded packets: the task only looks at a
//! frame's type byte (and `answered` byte) to know whose it is and where a
//! request's answer ends; the consumer decodes. Frames travel in chunks of
//! everything one read brought, so a million-row result costs a few
//! thousand channel sends, not a million.
//!
//! A request marked exclusive (a COPY FROM STDIN) holds back the requests
//! made after it until it is answered, so its COPY data can never be stuck
//! behind them.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

use super::error::{DbError, Error, Kind};
use crate::io::{SealedInbound, SealedOutbound};
use crate::packet::{FrameEvent, Packet, kind};

/// Outgoing bytes past which no further request or COPY data is taken in.
const OUT_LIMIT: usize = 256 * 1024;
/// A chunk of answers is handed over once it holds this much.
const CHUNK_LIMIT: usize = 64 * 1024;
/// Chunks of answers waiting for a slow consumer, per request.
pub(crate) const ANSWER_CHUNKS: usize = 4;
/// COPY data packets waiting to be sent.
pub(crate) const COPY_QUEUE: usize = 8;

/// How a request's answer ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// With READY (every request that reaches PostgreSQL).
    Ready,
    /// With OK or ERROR answering this packet type (CHPASS, OPTIONS).
    Answer(u8),
    /// Not a request: the client is closing; finish what was asked before,
    /// then say DISCONNECT.
    Close,
}

/// A request: its encoded packets, and where its answer goes.
pub(crate) struct Request {
    pub(crate) frames: Vec<u8>,
    pub(crate) end: End,
    pub(crate) answers: mpsc::Sender<Bytes>,
    pub(crate) exclusive: bool,
}

/// What jumps the queue.
pub(crate) enum Urgent {
    /// Cancel the running statement.
    Cancel,
    /// Round trip; answered at once by the proxy.
    Ping(oneshot::Sender<Result<(), Error>>),
    /// Abort the running COPY FROM STDIN.
    CopyFail(String),
}

/// State the client's handles read.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// The transaction status byte of the latest READY.
    status: AtomicU8,
    closed: AtomicBool,
    /// Woken when the connection task ends.
    pub(crate) closed_notify: tokio::sync::Notify,
    /// Why the server ended the session, when it said.
    reason: Mutex<Option<DbError>>,
}

impl Shared {
    pub(crate) fn status_byte(&self) -> u8 {
        self.status.load(Ordering::Relaxed)
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Relaxed)
    }

    /// The error for a request that finds the connection gone.
    pub(crate) fn closed_error(&self) -> Error {
        let reason = self.reason.lock().ok().and_then(|r| r.clone());
        Error::new(Kind::Closed(reason.map(Box::new)))
    }
}

/// The senders every handle on the connection shares.
#[derive(Debug)]
pub(crate) struct Handles {
    pub(crate) requests: mpsc::UnboundedSender<Request>,
    pub(crate) copy: mpsc::Sender<Vec<u8>>,
    pub(crate) urgent: mpsc::UnboundedSender<Urgent>,
    pub(crate) shared: Arc<Shared>,
}

struct Pending {
    end: End,
    /// `None` once the consumer went away: its answers are dropped.
    answers: Option<mpsc::Sender<Bytes>>,
    exclusive: bool,
}

/// The task's side of the connection.
pub(crate) struct Connection<R, W> {
    rd: R,
    inbound: SealedInbound,
    wr: W,
    out: SealedOutbound,
    requests: mpsc::UnboundedReceiver<Request>,
    copy: mpsc::Receiver<Vec<u8>>,
    urgent: mpsc::UnboundedReceiver<Urgent>,
    pending: VecDeque<Pending>,
    pings: VecDeque<oneshot::Sender<Result<(), Error>>>,
    /// Requests made after an exclusive one that is still running.
    held: VecDeque<Request>,
    chunk: BytesMut,
    shared: Arc<Shared>,
    requests_done: bool,
    copy_done: bool,
    urgent_done: bool,
}

/// Starts the task; returns the handles to it.
pub(crate) fn spawn<R, W>(rd: R, inbound: SealedInbound, wr: W, out: SealedOutbound) -> Arc<Handles>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (requests_tx, requests) = mpsc::unbounded_channel();
    let (copy_tx, copy) = mpsc::channel(COPY_QUEUE);
    let (urgent_tx, urgent) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        status: AtomicU8::new(b'I'),
        ..Shared::default()
    });
    let conn = Connection {
        rd,
        inbound,
        wr,
        out,
        requests,
        copy,
        urgent,
        pending: VecDeque::new(),
        pings: VecDeque::new(),
        held: VecDeque::new(),
        chunk: BytesMut::new(),
        shared: shared.clone(),
        requests_done: false,
        copy_done: false,
        urgent_done: false,
    };
    tokio::spawn(conn.run());
    Arc::new(Handles {
        requests: requests_tx,
        copy: copy_tx,
        urgent: urgent_tx,
        shared,
    })
}

/// Why the task stopped.
enum Stop {
    /// Every handle is gone and every answer delivered.
    Done,
    /// The connection failed or the server closed it.
    Failed(Error),
}

impl<R, W> Connection<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    async fn run(mut self) {
        let stop = loop {
            if let Err(stop) = self.step().await {
                break stop;
            }
        };
        self.shared.closed.store(true, Ordering::Relaxed);
        self.shared.closed_notify.notify_waiters();
        match stop {
            Stop::Done => {
                let _ = self.out.queue(&Packet::Disconnect);
                let _ = self.out.seal_all();
                let _ = self.out.write_to(&mut self.wr).await;
                let _ = self.wr.shutdown().await;
            }
            Stop::Failed(e) => {
                if let Kind::Closed(Some(reason)) = &*e.0
                    && let Ok(mut slot) = self.shared.reason.lock()
                {
                    slot.get_or_insert_with(|| (**reason).clone());
                }
                let _ = self.wr.shutdown().await;
            }
        }
        // Whoever still waits learns the connection is gone when its
        // channel closes (dropped here).
    }

    async fn step(&mut self) -> Result<(), Stop> {
        if self.requests_done
            && self.pending.is_empty()
            && self.held.is_empty()
            && self.pings.is_empty()
        {
            return Err(Stop::Done);
        }
        let room = self.out.sealed().len() < OUT_LIMIT;
        let exclusive_running = self.pending.iter().any(|p| p.exclusive);
        let has_unsealed = self.out.has_unsealed();
        tokio::select! {
            biased;
            urgent = self.urgent.recv(), if !self.urgent_done => match urgent {
                Some(u) => self.on_urgent(u),
                None => {
                    self.urgent_done = true;
                    Ok(())
                }
            },
            written = self.wr.write(self.out.sealed()), if !self.out.sealed().is_empty() => {
                match written {
                    Ok(0) | Err(_) => Err(Stop::Failed(Error::closed())),
                    Ok(n) => {
                        self.out.consume(n);
                        Ok(())
                    }
                }
            }
            read = self.inbound.read_from(&mut self.rd) => match read {
                Ok(0) => Err(Stop::Failed(self.closed_error())),
                Ok(_) => self.route().await,
                Err(e) => Err(Stop::Failed(e.into())),
            },
            data = self.copy.recv(), if room && !self.copy_done => match data {
                Some(frames) => self.send_frames(&frames),
                None => {
                    self.copy_done = true;
                    Ok(())
                }
            },
            request = self.requests.recv(), if room && !self.requests_done => match request {
                Some(r) if r.end == End::Close => {
                    self.requests_done = true;
                    Ok(())
                }
                Some(r) if exclusive_running => {
                    self.held.push_back(r);
                    Ok(())
                }
                Some(r) => self.submit(r),
                // Every handle is gone, so nobody waits for any answer:
                // leave at once rather than read the rest of a result.
                None => Err(Stop::Done),
            },
            () = std::future::ready(()), if has_unsealed => self.seal(),
        }
    }

    fn closed_error(&self) -> Error {
        self.shared.closed_error()
    }

    fn send_frames(&mut self, frames: &[u8]) -> Result<(), Stop> {
        self.out
            .queue_encoded(frames)
            .map_err(|e| Stop::Failed(e.into()))
    }

    fn seal(&mut self) -> Result<(), Stop> {
        self.out.seal_all().map_err(|e| Stop::Failed(e.into()))
    }

    fn submit(&mut self, request: Request) -> Result<(), Stop> {
        self.pending.push_back(Pending {
            end: request.end,
            answers: Some(request.answers),
            exclusive: request.exclusive,
        });
        self.send_frames(&request.frames)
    }

    fn on_urgent(&mut self, urgent: Urgent) -> Result<(), Stop> {
        let packet = match urgent {
            Urgent::Cancel => Packet::Cancel,
            Urgent::Ping(reply) => {
                self.pings.push_back(reply);
                Packet::Ping
            }
            Urgent::CopyFail(reason) => Packet::CopyFail(reason),
        };
        self.out
            .queue(&packet)
            .map_err(|e| Stop::Failed(e.into()))?;
        self.seal()
    }

    /// Routes every whole frame buffered so far.
    async fn route(&mut self) -> Result<(), Stop> {
        loop {
            let (kind, answered, status) = match self.inbound.next_frame() {
                Err(e) => return Err(Stop::Failed(e.into())),
                Ok(None) => break,
                Ok(Some(FrameEvent::Oversized { .. })) => {
                    return Err(Stop::Failed(Error::new(Kind::Protocol(
                        "the server sent a packet larger than this client accepts",
                    ))));
                }
                Ok(Some(FrameEvent::Frame(body))) => {
                    let kind = body[0];
                    let answered = body.get(1).copied().unwrap_or(0);
                    match (kind, answered) {
                        (kind::OK | kind::ERROR, kind::PING) => {
                            let result = match Packet::decode(body, None) {
                                Ok(Packet::Error(e)) => Err(Error::db(e.into())),
                                Ok(_) => Ok(()),
                                Err(e) => Err(e.into()),
                            };
                            if let Some(waiter) = self.pings.pop_front() {
                                let _ = waiter.send(result);
                            }
                            continue;
                        }
                        (kind::ERROR, 0 | kind::LOGIN) => {
                            // The server ends the session (or refuses it
                            // right after the login); say why to whoever
                            // asks next.
                            if let Ok(Packet::Error(e)) = Packet::decode(body, None)
                                && let Ok(mut slot) = self.shared.reason.lock()
                            {
                                *slot = Some(e.into());
                            }
                        }
                        _ => {}
                    }
                    let len = u32::try_from(body.len()).unwrap_or(u32::MAX);
                    self.chunk.extend_from_slice(&len.to_le_bytes());
                    self.chunk.extend_from_slice(body);
                    (kind, answered, body.get(1).copied())
                }
            };
            if kind == kind::READY
                && let Some(s) = status
            {
                self.shared.status.store(s, Ordering::Relaxed);
            }
            let Some(front) = self.pending.front() else {
                if kind == kind::ERROR && (answered == 0 || answered == kind::LOGIN) {
                    self.chunk.clear();
                    continue;
                }
                return Err(Stop::Failed(Error::new(Kind::Protocol(
                    "the server sent an answer nobody asked for",
                ))));
            };
            let ends = match front.end {
                End::Ready => kind == kind::READY,
                End::Answer(k) => matches!(kind, kind::OK | kind::ERROR) && answered == k,
                End::Close => false,
            } || (kind == kind::ERROR && (answered == 0 || answered == kind::LOGIN));
            if ends {
                self.deliver().await?;
                if let Some(done) = self.pending.pop_front()
                    && done.exclusive
                {
                    self.release_held()?;
                }
            } else if self.chunk.len() >= CHUNK_LIMIT {
                self.deliver().await?;
            }
        }
        if !self.chunk.is_empty() {
            self.deliver().await?;
        }
        Ok(())
    }

    /// Submits the requests held back by an exclusive one, up to the next
    /// exclusive one.
    fn release_held(&mut self) -> Result<(), Stop> {
        while let Some(request) = self.held.pop_front() {
            let exclusive = request.exclusive;
            self.submit(request)?;
            if exclusive {
                break;
            }
        }
        Ok(())
    }

    /// Hands the chunk to the front request's consumer, waiting while it
    /// is full; CANCEL and PING still go out meanwhile.
    async fn deliver(&mut self) -> Result<(), Stop> {
        let chunk = self.chunk.split().freeze();
        let Some(answers) = self.pending.front().and_then(|f| f.answers.clone()) else {
            return Ok(());
        };
        loop {
            tokio::select! {
                biased;
                permit = answers.reserve() => {
                    match permit {
                        Ok(permit) => permit.send(chunk),
                        Err(_) => {
                            if let Some(front) = self.pending.front_mut() {
                                front.answers = None;
                            }
                        }
                    }
                    return Ok(());
                }
                urgent = self.urgent.recv(), if !self.urgent_done => match urgent {
                    Some(u) => {
                        self.on_urgent(u)?;
                        self.out
                            .write_to(&mut self.wr)
                            .await
                            .map_err(|e| Stop::Failed(e.into()))?;
                    }
                    None => self.urgent_done = true,
                },
            }
        }
    }
}
