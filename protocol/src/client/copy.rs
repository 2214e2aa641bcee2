//! COPY through the client: a sink for `COPY … FROM STDIN` and a stream for
//! `COPY … TO STDOUT`, both with backpressure (the client never holds more
//! than a few chunks).

use std::pin::Pin;
use std::task::{Context, Poll, Waker, ready};

use bytes::Bytes;
use futures_util::Stream;

use super::Client;
use super::connection::{End, Handles, Urgent};
use super::error::{DbError, Error};
use super::responses::{Message, Responses};
use crate::packet::{CopyResponse, Packet, kind};

/// The largest COPY_DATA packet the client sends; bigger chunks are split.
const MAX_COPY_PACKET: usize = 256 * 1024;

impl Client {
    /// Starts `COPY … FROM STDIN` (`sql`) and returns the sink its data goes
    /// to. Requests made meanwhile wait until the COPY ends.
    pub async fn copy_in(&self, sql: &str) -> Result<CopyInSink, Error> {
        let (responses, layout) = self.start_copy(sql, CopyWay::In).await?;
        Ok(CopyInSink::new(responses, layout))
    }

    /// Runs `COPY … TO STDOUT` (`sql`) and streams its data.
    pub async fn copy_out(&self, sql: &str) -> Result<CopyOutStream, Error> {
        let (responses, layout) = self.start_copy(sql, CopyWay::Out).await?;
        Ok(CopyOutStream::new(responses, layout))
    }

    /// Sends `sql` and waits for the COPY in direction `want` to start; a
    /// statement that starts the other COPY, or none, is a usage error and
    /// leaves the session ready.
    async fn start_copy(
        &self,
        sql: &str,
        want: CopyWay,
    ) -> Result<(Responses, CopyResponse), Error> {
        let query = Packet::Query(sql.to_owned());
        let mut responses = self.request(&query, End::Ready, want == CopyWay::In)?;
        loop {
            let started = match responses.message().await? {
                Message::CopyIn(layout) => (CopyWay::In, layout),
                Message::CopyOut(layout) => (CopyWay::Out, layout),
                Message::Error(e) => {
                    responses.finish().await.ok();
                    return Err(Error::db(e));
                }
                Message::Ready(_) => {
                    return Err(Error::usage(format!(
                        "not a COPY {} statement: {sql}",
                        want.direction()
                    )));
                }
                _ => continue,
            };
            return match started {
                (got, layout) if got == want => Ok((responses, layout)),
                (CopyWay::In, _) => {
                    responses.refuse_copy_in("COPY FROM STDIN needs Client::copy_in");
                    responses.finish().await.ok();
                    Err(Error::usage("COPY FROM STDIN needs Client::copy_in"))
                }
                (CopyWay::Out, _) => {
                    responses.finish().await.ok();
                    Err(Error::usage("COPY TO STDOUT needs Client::copy_out"))
                }
            };
        }
    }
}

/// Which way a COPY moves data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CopyWay {
    /// `COPY … FROM STDIN`: to the server.
    In,
    /// `COPY … TO STDOUT`: from the server.
    Out,
}

impl CopyWay {
    fn direction(self) -> &'static str {
        match self {
            CopyWay::In => "FROM STDIN",
            CopyWay::Out => "TO STDOUT",
        }
    }
}

/// Queues `data` as COPY_DATA packets, waiting while the connection's COPY
/// queue is full.
pub(crate) async fn send_copy_data(handles: &Handles, data: &[u8]) -> Result<(), Error> {
    for piece in data.chunks(MAX_COPY_PACKET) {
        let mut frame = Vec::with_capacity(piece.len() + 5);
        let len = u32::try_from(piece.len() + 1).unwrap_or(u32::MAX);
        frame.extend_from_slice(&len.to_le_bytes());
        frame.push(kind::COPY_DATA);
        frame.extend_from_slice(piece);
        handles
            .copy
            .send(frame)
            .await
            .map_err(|_| handles.shared.closed_error())?;
    }
    Ok(())
}

/// Queues COPY_DONE or COPY_FAIL behind the data sent so far.
pub(crate) async fn send_copy_frame(handles: &Handles, packet: &Packet) -> Result<(), Error> {
    handles
        .copy
        .send(packet.to_frame())
        .await
        .map_err(|_| handles.shared.closed_error())
}

/// Where the data of a `COPY … FROM STDIN` goes: from
/// [`Client::copy_in`](super::Client::copy_in).
///
/// [`send`](Self::send) as many chunks as needed (any boundaries), then
/// [`finish`](Self::finish) to commit them, or [`abort`](Self::abort).
/// Dropping the sink without finishing aborts the COPY: PostgreSQL keeps
/// none of its rows.
pub struct CopyInSink {
    responses: Responses,
    layout: CopyResponse,
    /// An error the server sent while data was still going out.
    early_error: Option<DbError>,
    ended: bool,
}

impl std::fmt::Debug for CopyInSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopyInSink")
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

impl CopyInSink {
    pub(crate) fn new(responses: Responses, layout: CopyResponse) -> Self {
        CopyInSink {
            responses,
            layout,
            early_error: None,
            ended: false,
        }
    }

    /// The COPY's format, as PostgreSQL announced it.
    pub fn layout(&self) -> &CopyResponse {
        &self.layout
    }

    /// Sends a chunk of COPY data. Fails early, with PostgreSQL's error,
    /// once PostgreSQL has rejected the COPY (bad data on some line).
    pub async fn send(&mut self, data: impl AsRef<[u8]>) -> Result<(), Error> {
        self.check_early_error()?;
        send_copy_data(&self.responses.handles, data.as_ref()).await
    }

    /// Reads, without waiting, whatever the server already answered.
    fn check_early_error(&mut self) -> Result<(), Error> {
        let mut cx = Context::from_waker(Waker::noop());
        while self.early_error.is_none() && !self.responses.is_finished() {
            match self.responses.poll_message(&mut cx) {
                Poll::Pending => break,
                Poll::Ready(Ok(Message::Error(e))) => self.early_error = Some(e),
                Poll::Ready(Ok(_)) => {}
                Poll::Ready(Err(e)) => return Err(e),
            }
        }
        match &self.early_error {
            Some(e) => Err(Error::db(e.clone())),
            None => Ok(()),
        }
    }

    /// Ends the data and waits for PostgreSQL's verdict: the number of rows
    /// copied (`COPY 1000` → 1000).
    pub async fn finish(mut self) -> Result<u64, Error> {
        self.ended = true;
        if self.early_error.is_none() {
            send_copy_frame(&self.responses.handles, &Packet::CopyDone).await?;
        }
        self.outcome().await
    }

    /// Aborts the COPY with `reason`; PostgreSQL rolls it back. Returns
    /// the error PostgreSQL reported for it.
    pub async fn abort(mut self, reason: &str) -> Result<DbError, Error> {
        self.ended = true;
        send_copy_frame(
            &self.responses.handles,
            &Packet::CopyFail(reason.to_owned()),
        )
        .await?;
        match self.outcome().await {
            Err(e) => match e.as_db_error() {
                Some(db) => Ok(db.clone()),
                None => Err(e),
            },
            Ok(_) => Err(Error::usage("the COPY ended before it could be aborted")),
        }
    }

    async fn outcome(&mut self) -> Result<u64, Error> {
        let mut rows = 0;
        let mut error = self.early_error.take();
        while !self.responses.is_finished() {
            match self.responses.message().await? {
                Message::Command { affected, .. } => rows = affected,
                Message::Error(e) => {
                    error.get_or_insert(e);
                }
                _ => {}
            }
        }
        match error {
            Some(e) => Err(Error::db(e)),
            None => Ok(rows),
        }
    }
}

impl Drop for CopyInSink {
    fn drop(&mut self) {
        if !self.ended && !self.responses.is_finished() {
            let _ = self
                .responses
                .handles
                .urgent
                .send(Urgent::CopyFail("the client abandoned the COPY".to_owned()));
        }
    }
}

/// The data of a `COPY … TO STDOUT`, chunk by chunk: from
/// [`Client::copy_out`](super::Client::copy_out). After the stream ended,
/// [`rows`](Self::rows) says how many rows it had.
pub struct CopyOutStream {
    responses: Responses,
    layout: CopyResponse,
    error: Option<DbError>,
    rows: u64,
}

impl std::fmt::Debug for CopyOutStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopyOutStream")
            .field("layout", &self.layout)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl CopyOutStream {
    pub(crate) fn new(responses: Responses, layout: CopyResponse) -> Self {
        CopyOutStream {
            responses,
            layout,
            error: None,
            rows: 0,
        }
    }

    /// The COPY's format, as PostgreSQL announced it.
    pub fn layout(&self) -> &CopyResponse {
        &self.layout
    }

    /// Rows copied; complete once the stream has ended.
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

impl Stream for CopyOutStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.responses.is_finished() {
                return Poll::Ready(this.error.take().map(|e| Err(Error::db(e))));
            }
            match ready!(this.responses.poll_message(cx)) {
                Ok(Message::CopyData(data)) => return Poll::Ready(Some(Ok(data))),
                Ok(Message::Command { affected, .. }) => this.rows = affected,
                Ok(Message::Error(e)) => {
                    this.error.get_or_insert(e);
                }
                Ok(_) => {}
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
    }
}
