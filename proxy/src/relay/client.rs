//! What each thing the client sends asks of the session: a pure mapping
//! from the sealed reader's output to [`ClientEvent`]s.
//!
//! The rule that keeps the reply stream unambiguous: answers to QUERY and
//! CHPASS (which both end in an `answered` of 4 or 3, and a QUERY's in
//! READY) go out in request order, so such requests wait while a QUERY
//! runs; everything else (PING, refusals of server-only packets) is
//! answered at once, even in the middle of a result, since its `answered`
//! byte says what it belongs to.

use cor4_protocol::io::{ChannelError, Incoming};
use cor4_protocol::packet::kind;
use cor4_protocol::{ErrorCode, Packet};

use super::SessionEnd;
use super::convert::{error_packet, plain_ok};

/// One read from the client, as the reader task hands it over.
pub(super) type ClientItem = Result<Option<Incoming>, ChannelError>;

/// A request answered in order with the QUERYs around it.
#[derive(Debug, PartialEq)]
pub(super) enum Request {
    /// QUERY: run the SQL.
    Query(String),
    /// CHPASS with its field as sent (not yet validated).
    ChangePassword(String),
    /// A QUERY or CHPASS over the packet limit, skipped unread: answered
    /// ERROR 31 in its turn.
    TooLarge(u8),
}

impl Request {
    /// Roughly how much memory the request holds while it waits.
    pub(super) fn size(&self) -> usize {
        match self {
            Request::Query(s) | Request::ChangePassword(s) => s.len(),
            Request::TooLarge(_) => 0,
        }
    }
}

/// What the session must do about one client item.
#[derive(Debug, PartialEq)]
pub(super) enum ClientEvent {
    /// Send this packet now (it answers PING, or refuses a packet).
    Reply(Packet),
    /// Answer this in order, once no QUERY runs.
    Request(Request),
    /// Cancel the running statement, if any; no reply.
    Cancel,
    /// The session ends; send the packet first if there is one.
    End(SessionEnd, Option<Packet>),
}

/// Maps one item from the reader task; `None` means the reader task is gone
/// (it stops after an EOF or an error, which it has handed over first).
pub(super) fn classify(item: Option<ClientItem>) -> ClientEvent {
    let incoming = match item {
        None | Some(Ok(None)) => return ClientEvent::End(SessionEnd::ClientDisconnected, None),
        Some(Ok(Some(incoming))) => incoming,
        Some(Err(e)) => return channel_failed(&e),
    };
    match incoming {
        Incoming::Packet(packet) => match packet {
            Packet::Ping => ClientEvent::Reply(plain_ok(kind::PING)),
            Packet::Cancel => ClientEvent::Cancel,
            Packet::Disconnect => ClientEvent::End(SessionEnd::ClientClosed, None),
            Packet::Query(sql) => ClientEvent::Request(Request::Query(sql)),
            Packet::ChPass(digest) => ClientEvent::Request(Request::ChangePassword(digest)),
            other => ClientEvent::Reply(error_packet(
                other.kind(),
                ErrorCode::NotAllowed,
                format!(
                    "packet type {} is not allowed from a client in a session",
                    other.kind()
                ),
            )),
        },
        Incoming::Oversized { len, kind } => match kind {
            Some(k @ (kind::QUERY | kind::CHPASS)) => ClientEvent::Request(Request::TooLarge(k)),
            // Without a type byte the packet is answered as "packet 0".
            other => ClientEvent::Reply(too_large(other.unwrap_or(0), len)),
        },
    }
}

/// ERROR 31 for a skipped packet of `len` bytes.
pub(super) fn too_large(answered: u8, len: u32) -> Packet {
    error_packet(
        answered,
        ErrorCode::PacketTooLarge,
        if len == 0 {
            "the packet exceeded the server's size limit and was skipped".to_owned()
        } else {
            format!("a {len}-byte packet exceeds the server's size limit; it was skipped")
        },
    )
}

/// A read that failed: a peer that went away, or one that broke the
/// protocol (told so with ERROR 30 before the close).
fn channel_failed(e: &ChannelError) -> ClientEvent {
    match e {
        ChannelError::Io(_) | ChannelError::Truncated => {
            tracing::debug!(error = %e, "client connection lost");
            ClientEvent::End(SessionEnd::ClientDisconnected, None)
        }
        _ => {
            tracing::warn!(error = %e, "client broke the protocol; closing the session");
            ClientEvent::End(
                SessionEnd::ProtocolError,
                Some(error_packet(
                    0,
                    ErrorCode::ProtocolViolation,
                    format!("protocol violation ({e}); the connection is closed"),
                )),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cor4_protocol::DecodeError;
    use cor4_protocol::packet::TransactionStatus;

    fn packet(p: Packet) -> Option<ClientItem> {
        Some(Ok(Some(Incoming::Packet(p))))
    }

    #[test]
    fn answers_ping_at_once_and_queues_requests() {
        assert_eq!(
            classify(packet(Packet::Ping)),
            ClientEvent::Reply(plain_ok(kind::PING))
        );
        assert_eq!(classify(packet(Packet::Cancel)), ClientEvent::Cancel);
        assert_eq!(
            classify(packet(Packet::Query("SELECT 1".into()))),
            ClientEvent::Request(Request::Query("SELECT 1".into()))
        );
        assert_eq!(
            classify(packet(Packet::ChPass("x".into()))),
            ClientEvent::Request(Request::ChangePassword("x".into()))
        );
    }

    #[test]
    fn refuses_server_only_packets_with_not_allowed() {
        let ClientEvent::Reply(Packet::Error(e)) =
            classify(packet(Packet::Ready(TransactionStatus::Idle)))
        else {
            panic!("expected an ERROR reply");
        };
        assert_eq!(
            (e.answered, e.code),
            (kind::READY, ErrorCode::NotAllowed.as_i32())
        );
    }

    #[test]
    fn oversized_requests_keep_their_turn() {
        let oversized = |kind| Some(Ok(Some(Incoming::Oversized { len: 99, kind })));
        assert_eq!(
            classify(oversized(Some(kind::QUERY))),
            ClientEvent::Request(Request::TooLarge(kind::QUERY))
        );
        assert_eq!(
            classify(oversized(Some(kind::PING))),
            ClientEvent::Reply(too_large(kind::PING, 99))
        );
        assert_eq!(
            classify(oversized(None)),
            ClientEvent::Reply(too_large(0, 99))
        );
    }

    #[test]
    fn ends_on_close_disconnect_and_garbage() {
        assert_eq!(
            classify(None),
            ClientEvent::End(SessionEnd::ClientDisconnected, None)
        );
        assert_eq!(
            classify(Some(Ok(None))),
            ClientEvent::End(SessionEnd::ClientDisconnected, None)
        );
        assert_eq!(
            classify(packet(Packet::Disconnect)),
            ClientEvent::End(SessionEnd::ClientClosed, None)
        );
        assert_eq!(
            classify(Some(Err(ChannelError::Truncated))),
            ClientEvent::End(SessionEnd::ClientDisconnected, None)
        );
        let ClientEvent::End(SessionEnd::ProtocolError, Some(Packet::Error(e))) =
            classify(Some(Err(ChannelError::Decode(DecodeError::EmptyFrame))))
        else {
            panic!("expected a protocol error");
        };
        assert_eq!(e.code, ErrorCode::ProtocolViolation.as_i32());
    }
}
