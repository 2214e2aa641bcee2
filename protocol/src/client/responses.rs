//! The consumer's side of a request: the chunks of frames the connection
//! task routed to it, decoded into [`Message`]s; and the row stream built
//! on them.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes};
use futures_util::Stream;
use tokio::sync::mpsc;

use super::connection::{End, Handles, Urgent};
use super::error::{DbError, Error, Kind};
use super::row::{Column, Row};
use crate::packet::{
    ColumnType, CopyResponse, Description, OkDetail, Packet, TransactionStatus, kind,
};
use crate::value::Type;

/// One thing the server said in answer to a request, for callers that
/// handle every kind of answer (the `cor4` shell).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Message {
    /// A statement returning rows began: its columns.
    Columns(Arc<[Column]>),
    /// A row of the current result.
    Row(Row),
    /// The current result ended.
    ResultEnd {
        /// Rows in the result.
        rows: u64,
        /// The command tag (`SELECT 3`).
        tag: String,
    },
    /// A statement without rows finished.
    Command {
        /// Rows affected.
        affected: u64,
        /// The command tag (`INSERT 0 3`, `COPY 5`).
        tag: String,
    },
    /// A notice or warning.
    Notice(DbError),
    /// The request (or one statement of it) failed; no later statement of
    /// a QUERY runs.
    Error(DbError),
    /// A run-time parameter's value (after OPTIONS asked for them).
    Parameter {
        /// Its name.
        name: String,
        /// Its value.
        value: String,
    },
    /// `COPY … FROM STDIN` waits for data.
    CopyIn(CopyResponse),
    /// `COPY … TO STDOUT` began.
    CopyOut(CopyResponse),
    /// A chunk of COPY TO STDOUT data.
    CopyData(Bytes),
    /// The COPY TO STDOUT data is complete.
    CopyDone,
    /// A prepared statement's description.
    Description(Description),
    /// OK answering a request without rows of its own (CHPASS, OPTIONS,
    /// CLOSE): the request's type byte.
    Ok(u8),
    /// The request is fully answered.
    Ready(TransactionStatus),
}

/// The frames of one request's answer, as they arrive.
pub(crate) struct Responses {
    rx: mpsc::Receiver<Bytes>,
    buf: Bytes,
    pub(crate) handles: Arc<Handles>,
    /// The current result's columns (row packets need their types).
    columns: Option<Arc<[Column]>>,
    types: Vec<Type>,
    /// RESULT_COLUMNS waiting for its RESULT_HEAD.
    pg_types: Option<Vec<ColumnType>>,
    /// How the answer ends.
    end: End,
    /// READY or the request's final answer was seen.
    finished: bool,
}

impl Responses {
    pub(crate) fn new(rx: mpsc::Receiver<Bytes>, handles: Arc<Handles>, end: End) -> Self {
        Responses {
            end,
            rx,
            buf: Bytes::new(),
            handles,
            columns: None,
            types: Vec::new(),
            pg_types: None,
            finished: false,
        }
    }

    /// Whether the answer is complete.
    pub(crate) fn is_finished(&self) -> bool {
        self.finished
    }

    fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Result<Bytes, Error>> {
        loop {
            if let Some(header) = self.buf.first_chunk::<4>() {
                let len = u32::from_le_bytes(*header) as usize;
                // The connection task wrote whole frames with their length.
                if self.buf.len() >= 4 + len {
                    self.buf.advance(4);
                    return Poll::Ready(Ok(self.buf.split_to(len)));
                }
                return Poll::Ready(Err(Error::new(Kind::Protocol(
                    "a frame split across chunks",
                ))));
            }
            match ready!(self.rx.poll_recv(cx)) {
                Some(chunk) => self.buf = chunk,
                None => {
                    self.finished = true;
                    return Poll::Ready(Err(self.handles.shared.closed_error()));
                }
            }
        }
    }

    /// The next message; after [`Message::Ready`] (or the final OK/ERROR
    /// of a request without READY) there are no more.
    pub(crate) fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Result<Message, Error>> {
        loop {
            let frame = ready!(self.poll_frame(cx))?;
            if let Some(message) = self.decode(frame)? {
                return Poll::Ready(Ok(message));
            }
        }
    }

    pub(crate) async fn message(&mut self) -> Result<Message, Error> {
        std::future::poll_fn(|cx| self.poll_message(cx)).await
    }

    fn decode(&mut self, frame: Bytes) -> Result<Option<Message>, Error> {
        if frame.first() == Some(&kind::COPY_DATA) {
            return Ok(Some(Message::CopyData(frame.slice(1..))));
        }
        let packet = Packet::decode(&frame, self.columns.as_ref().map(|_| &self.types[..]))?;
        let message = match packet {
            Packet::ResultColumns(types) => {
                self.pg_types = Some(types);
                return Ok(None);
            }
            Packet::ResultHead(head) => {
                let pg_types = self.pg_types.take();
                let columns: Arc<[Column]> = head
                    .names
                    .into_iter()
                    .zip(head.types.iter().copied())
                    .enumerate()
                    .map(|(i, (name, ty))| {
                        Column::new(name, ty, pg_types.as_ref().and_then(|t| t.get(i).copied()))
                    })
                    .collect();
                self.types = head.types;
                self.columns = Some(columns.clone());
                Message::Columns(columns)
            }
            Packet::ResultRow(row) => match &self.columns {
                Some(columns) => Message::Row(Row::new(columns.clone(), row.values)),
                None => return Err(Error::new(Kind::Protocol("row without RESULT_HEAD"))),
            },
            Packet::ResultEnd(end) => {
                self.columns = None;
                Message::ResultEnd {
                    rows: end.rows,
                    tag: end.tag,
                }
            }
            Packet::Ok(ok) => {
                self.finished |= self.end == End::Answer(ok.answered);
                match ok.detail {
                    OkDetail::Command { affected, tag } => Message::Command { affected, tag },
                    _ => Message::Ok(ok.answered),
                }
            }
            Packet::Notice(n) => Message::Notice(n.into()),
            Packet::Error(e) => {
                self.columns = None;
                if e.answered == 0 {
                    self.finished = true;
                    return Err(Error::new(Kind::Closed(Some(Box::new(e.into())))));
                }
                self.finished |= self.end == End::Answer(e.answered);
                Message::Error(e.into())
            }
            Packet::Parameter { name, value } => Message::Parameter { name, value },
            Packet::CopyIn(c) => Message::CopyIn(c),
            Packet::CopyOut(c) => Message::CopyOut(c),
            Packet::CopyDone => Message::CopyDone,
            Packet::Description(d) => Message::Description(d),
            Packet::Ready(status) => {
                self.columns = None;
                self.finished = true;
                Message::Ready(status)
            }
            _ => {
                return Err(Error::new(Kind::Protocol(
                    "unexpected packet from the server",
                )));
            }
        };
        Ok(Some(message))
    }

    /// Asks the proxy to abort a COPY FROM STDIN this answer started.
    pub(crate) fn refuse_copy_in(&self, reason: &str) {
        let _ = self
            .handles
            .urgent
            .send(Urgent::CopyFail(reason.to_owned()));
    }

    /// Reads to the end of the answer, returning its first error.
    pub(crate) async fn finish(&mut self) -> Result<(), Error> {
        let mut first_error = None;
        while !self.finished {
            match self.message().await? {
                Message::Error(e) => {
                    first_error.get_or_insert(e);
                }
                Message::CopyIn(_) => self.refuse_copy_in("COPY FROM STDIN needs Client::copy_in"),
                _ => {}
            }
        }
        match first_error {
            Some(e) => Err(Error::db(e)),
            None => Ok(()),
        }
    }
}

/// The rows of a query, in order; the first error ends the stream.
///
/// After the stream ended, [`rows_affected`](Self::rows_affected) says how
/// many rows the statements reported.
pub struct RowStream {
    responses: Responses,
    error: Option<DbError>,
    affected: u64,
}

impl std::fmt::Debug for RowStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowStream")
            .field("affected", &self.affected)
            .finish_non_exhaustive()
    }
}

impl RowStream {
    pub(crate) fn new(responses: Responses) -> Self {
        RowStream {
            responses,
            error: None,
            affected: 0,
        }
    }

    /// Rows the statements reported (`SELECT 3` → 3, `UPDATE 2` → 2),
    /// summed; complete once the stream has ended.
    pub fn rows_affected(&self) -> u64 {
        self.affected
    }
}

impl Stream for RowStream {
    type Item = Result<Row, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.responses.is_finished() {
                return Poll::Ready(this.error.take().map(|e| Err(Error::db(e))));
            }
            let message = match ready!(this.responses.poll_message(cx)) {
                Ok(m) => m,
                Err(e) => return Poll::Ready(Some(Err(e))),
            };
            match message {
                Message::Row(row) => return Poll::Ready(Some(Ok(row))),
                Message::Error(e) => {
                    this.error.get_or_insert(e);
                }
                Message::ResultEnd { rows, .. } => {
                    this.affected = this.affected.saturating_add(rows)
                }
                Message::Command { affected, .. } => {
                    this.affected = this.affected.saturating_add(affected);
                }
                Message::CopyIn(_) => this
                    .responses
                    .refuse_copy_in("COPY FROM STDIN needs Client::copy_in"),
                _ => {}
            }
        }
    }
}

/// Every answer to a QUERY, in order, ending with [`Message::Ready`]: what
/// [`Client::simple_query`](super::Client::simple_query) returns.
pub struct MessageStream {
    responses: Responses,
}

impl std::fmt::Debug for MessageStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MessageStream")
    }
}

impl MessageStream {
    pub(crate) fn new(responses: Responses) -> Self {
        MessageStream { responses }
    }

    /// The next answer; `None` after [`Message::Ready`].
    pub async fn next(&mut self) -> Option<Result<Message, Error>> {
        if self.responses.is_finished() {
            return None;
        }
        Some(self.responses.message().await)
    }

    /// Sends a chunk of data for the COPY FROM STDIN this query started.
    pub async fn copy_data(&self, data: &[u8]) -> Result<(), Error> {
        super::copy::send_copy_data(&self.responses.handles, data).await
    }

    /// Ends the COPY FROM STDIN this query started; its OK follows.
    pub async fn copy_done(&self) -> Result<(), Error> {
        super::copy::send_copy_frame(&self.responses.handles, &Packet::CopyDone).await
    }

    /// Aborts the COPY FROM STDIN this query started; PostgreSQL answers
    /// with an error naming `reason`.
    pub async fn copy_fail(&self, reason: &str) -> Result<(), Error> {
        super::copy::send_copy_frame(
            &self.responses.handles,
            &Packet::CopyFail(reason.to_owned()),
        )
        .await
    }
}

impl Stream for MessageStream {
    type Item = Result<Message, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.responses.is_finished() {
            return Poll::Ready(None);
        }
        this.responses.poll_message(cx).map(Some)
    }
}
