//! What the client sends: whole frames taken from the inbound buffer (a
//! QUERY straight from it, without a copy, when nothing waits), decoded
//! into requests, COPY data and control events, and acted on.

use super::*;

impl<R, W> Session<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send,
{
    /// Handles one whole frame the client already sent, if there is one.
    pub(super) async fn handle_buffered_frame(&mut self) -> Step<bool> {
        let idle = self.running.is_none() && self.deferred.is_empty();
        let event = match self.inbound.next_frame() {
            Ok(None) => return Ok(false),
            Ok(Some(FrameEvent::Oversized { len, kind })) => classify_oversized(len, kind),
            Ok(Some(FrameEvent::Frame(body))) => {
                // COPY data and a QUERY that can run now go to PostgreSQL
                // straight from the frame buffer, without another copy.
                match body.split_first() {
                    Some((&kind::COPY_DATA, data)) if self.pg.is_copy_in() => {
                        let sent = self.pg.copy_data(data).await;
                        self.last_heard = Instant::now();
                        return match sent {
                            Ok(()) => Ok(true),
                            Err(e) => self.backend_gone(&e).map(|()| true),
                        };
                    }
                    Some((&kind::QUERY, _)) if idle && self.state.may_query() => {
                        if let Some(sql) = borrowed_query(body) {
                            self.ctx.live.set_query(sql);
                            let sent = self.pg.send_query(sql).await;
                            self.last_heard = Instant::now();
                            return self.began(kind::QUERY, sent).map(|()| true);
                        }
                        decode(body)
                    }
                    _ => decode(body),
                }
            }
            Err(e) => return self.channel_failed(&e).map(|()| true),
        };
        self.last_heard = Instant::now();
        self.on_client(event).await?;
        Ok(true)
    }

    /// Acts on one client event.
    pub(super) async fn on_client(&mut self, event: ClientEvent) -> Step {
        match event {
            ClientEvent::Reply(packet) => self.queue(&packet),
            ClientEvent::Request(request) => {
                if self.running.is_none() && self.deferred.is_empty() {
                    return self.start(request).await;
                }
                self.deferred_bytes += request.size();
                self.deferred.push_back(request);
                if self.pg.is_copy_in()
                    && (self.deferred.len() > MAX_DEFERRED
                        || self.deferred_bytes > MAX_DEFERRED_BYTES)
                {
                    // The client should be sending COPY data, not requests.
                    let failed = self
                        .pg
                        .copy_fail("the client sent other requests instead of the COPY data")
                        .await;
                    if let Err(e) = failed {
                        return self.backend_gone(&e);
                    }
                }
                Ok(())
            }
            ClientEvent::Copy(message) => self.on_copy(message).await,
            ClientEvent::Cancel => {
                // With nothing running there is nothing to cancel (§6.3).
                if self.running.is_some() {
                    spawn_cancel(self.pg.cancel_token());
                }
                Ok(())
            }
            ClientEvent::End(end, last) => {
                if let Some(packet) = last {
                    self.queue(&packet)?;
                }
                Err(end)
            }
        }
    }

    /// Feeds the running COPY FROM STDIN; outside one, COPY packets are
    /// dropped, as PostgreSQL drops them after a failed COPY.
    async fn on_copy(&mut self, message: CopyMessage) -> Step {
        if !self.pg.is_copy_in() {
            return Ok(());
        }
        let sent = match message {
            CopyMessage::Data(data) => self.pg.copy_data(&data).await,
            CopyMessage::Done => self.pg.copy_done().await,
            CopyMessage::Fail(reason) => self.pg.copy_fail(&reason).await,
        };
        match sent {
            Ok(()) => Ok(()),
            Err(e) => self.backend_gone(&e),
        }
    }
}

/// Decodes a client frame; a type this server does not know is refused
/// with ERROR 37 and the session goes on, a malformed packet of a known
/// type ends it with ERROR 30.
fn decode(body: &[u8]) -> ClientEvent {
    match Packet::decode(body, None) {
        Ok(packet) => classify(packet),
        Err(DecodeError::UnknownPacketType(t)) => ClientEvent::Reply(convert::error_packet(
            t,
            ErrorCode::NotAllowed,
            format!("packet type {t} is not defined; it was ignored"),
        )),
        Err(e) => {
            tracing::warn!(error = %e, "client sent a malformed packet; closing the session");
            ClientEvent::End(
                SessionEnd::ProtocolError,
                Some(convert::error_packet(
                    body.first().copied().unwrap_or(0),
                    ErrorCode::ProtocolViolation,
                    format!("malformed packet ({e}); the connection is closed"),
                )),
            )
        }
    }
}

/// The SQL of a QUERY frame, borrowed from the frame, when it is well
/// formed (else the normal decoder reports what is wrong).
fn borrowed_query(body: &[u8]) -> Option<&str> {
    let mut r = cor4_protocol::codec::Reader::new(body.get(1..)?);
    let sql = r.bytes("query text").ok()?;
    r.expect_end().ok()?;
    std::str::from_utf8(sql).ok()
}
