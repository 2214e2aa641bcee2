//! What each thing the client sends asks of the session: a pure mapping
//! from a decoded packet (or a skipped oversized one) to a [`ClientEvent`].
//!
//! The rule that keeps the reply stream unambiguous: answers to requests
//! (QUERY, QUERY_PARAMS, PREPARE, EXECUTE, CLOSE, CHPASS, OPTIONS) go out in
//! request order, so such requests wait while one runs; PING and refusals
//! of packets a client may not send are answered at once, even in the
//! middle of a result, since their `answered` byte says what they belong
//! to. COPY_DATA, COPY_DONE and COPY_FAIL feed the running
//! `COPY … FROM STDIN` and are dropped when none runs (as PostgreSQL drops
//! them).

use cor4_protocol::packet::{Execute, Prepare, QueryParams, kind};
use cor4_protocol::{ErrorCode, Packet};

use super::SessionEnd;
use super::convert::{error_packet, plain_ok};

/// A request answered in order with the ones around it.
#[derive(Debug, PartialEq)]
pub(super) enum Request {
    /// QUERY: run the SQL.
    Query(String),
    /// QUERY_PARAMS: one statement with parameters.
    QueryParams(QueryParams),
    /// PREPARE: parse and describe a named statement.
    Prepare(Prepare),
    /// EXECUTE: run a prepared statement.
    Execute(Execute),
    /// CLOSE: forget a prepared statement.
    Close(String),
    /// CHPASS with its field as sent (not yet validated).
    ChangePassword(String),
    /// OPTIONS with its bit set.
    Options(u32),
    /// A request over the packet limit, skipped unread: answered ERROR 31
    /// in its turn.
    TooLarge(u8),
}

impl Request {
    /// Roughly how much memory the request holds while it waits.
    pub(super) fn size(&self) -> usize {
        match self {
            Request::Query(s) | Request::ChangePassword(s) | Request::Close(s) => s.len(),
            Request::QueryParams(q) => q.sql.len() + 16 * q.params.len(),
            Request::Prepare(p) => p.sql.len() + p.name.len() + p.types.len(),
            Request::Execute(e) => e.name.len() + 16 * e.params.len(),
            Request::Options(_) | Request::TooLarge(_) => 0,
        }
    }

    /// The request's packet type, for the `answered` byte of its answers.
    pub(super) fn kind(&self) -> u8 {
        match self {
            Request::Query(_) => kind::QUERY,
            Request::QueryParams(_) => kind::QUERY_PARAMS,
            Request::Prepare(_) => kind::PREPARE,
            Request::Execute(_) => kind::EXECUTE,
            Request::Close(_) => kind::CLOSE,
            Request::ChangePassword(_) => kind::CHPASS,
            Request::Options(_) => kind::OPTIONS,
            Request::TooLarge(k) => *k,
        }
    }
}

/// Whether answers to requests of this type end with READY (the ones that
/// reach PostgreSQL).
pub(super) fn ends_with_ready(kind: u8) -> bool {
    matches!(
        kind,
        kind::QUERY | kind::QUERY_PARAMS | kind::PREPARE | kind::EXECUTE | kind::CLOSE
    )
}

/// Data for the running `COPY … FROM STDIN`.
#[derive(Debug, PartialEq)]
pub(super) enum CopyMessage {
    /// COPY_DATA.
    Data(Vec<u8>),
    /// COPY_DONE.
    Done,
    /// COPY_FAIL with the client's reason.
    Fail(String),
}

/// What the session must do about one client packet.
#[derive(Debug, PartialEq)]
pub(super) enum ClientEvent {
    /// Send this packet now (it answers PING, or refuses a packet).
    Reply(Packet),
    /// Answer this in order, once nothing runs.
    Request(Request),
    /// Feed the running COPY FROM STDIN, if any.
    Copy(CopyMessage),
    /// Cancel the running statement, if any; no reply.
    Cancel,
    /// The session ends; send the packet first if there is one.
    End(SessionEnd, Option<Packet>),
}

/// Maps one decoded packet from the client.
pub(super) fn classify(packet: Packet) -> ClientEvent {
    match packet {
        Packet::Ping => ClientEvent::Reply(plain_ok(kind::PING)),
        Packet::Cancel => ClientEvent::Cancel,
        Packet::Disconnect => ClientEvent::End(SessionEnd::ClientClosed, None),
        Packet::Query(sql) => ClientEvent::Request(Request::Query(sql)),
        Packet::QueryParams(q) => ClientEvent::Request(Request::QueryParams(q)),
        Packet::Prepare(p) => ClientEvent::Request(Request::Prepare(p)),
        Packet::Execute(e) => ClientEvent::Request(Request::Execute(e)),
        Packet::Close(name) => ClientEvent::Request(Request::Close(name)),
        Packet::ChPass(digest) => ClientEvent::Request(Request::ChangePassword(digest)),
        Packet::Options(flags) => ClientEvent::Request(Request::Options(flags)),
        Packet::CopyData(data) => ClientEvent::Copy(CopyMessage::Data(data)),
        Packet::CopyDone => ClientEvent::Copy(CopyMessage::Done),
        Packet::CopyFail(reason) => ClientEvent::Copy(CopyMessage::Fail(reason)),
        other => ClientEvent::Reply(error_packet(
            other.kind(),
            ErrorCode::NotAllowed,
            format!(
                "packet type {} is not allowed from a client in a session",
                other.kind()
            ),
        )),
    }
}

/// Maps a packet over the size limit that was skipped unread.
pub(super) fn classify_oversized(len: u32, kind: Option<u8>) -> ClientEvent {
    match kind {
        Some(k) if is_request(k) => ClientEvent::Request(Request::TooLarge(k)),
        // A COPY chunk too large to relay: the COPY cannot be completed.
        Some(kind::COPY_DATA) => ClientEvent::Copy(CopyMessage::Fail(format!(
            "a {len}-byte COPY_DATA packet exceeds the server's size limit"
        ))),
        // Without a type byte the packet is answered as "packet 0".
        other => ClientEvent::Reply(too_large(other.unwrap_or(0), len)),
    }
}

/// Whether packets of this type are requests answered in order.
fn is_request(k: u8) -> bool {
    matches!(
        k,
        kind::QUERY
            | kind::QUERY_PARAMS
            | kind::PREPARE
            | kind::EXECUTE
            | kind::CLOSE
            | kind::CHPASS
            | kind::OPTIONS
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use cor4_protocol::packet::TransactionStatus;

    #[test]
    fn answers_ping_at_once_and_queues_requests() {
        assert_eq!(
            classify(Packet::Ping),
            ClientEvent::Reply(plain_ok(kind::PING))
        );
        assert_eq!(classify(Packet::Cancel), ClientEvent::Cancel);
        assert_eq!(
            classify(Packet::Query("SELECT 1".into())),
            ClientEvent::Request(Request::Query("SELECT 1".into()))
        );
        assert_eq!(
            classify(Packet::ChPass("x".into())),
            ClientEvent::Request(Request::ChangePassword("x".into()))
        );
        assert_eq!(
            classify(Packet::Close("s1".into())),
            ClientEvent::Request(Request::Close("s1".into()))
        );
        assert_eq!(
            classify(Packet::CopyDone),
            ClientEvent::Copy(CopyMessage::Done)
        );
    }

    #[test]
    fn refuses_server_only_packets_with_not_allowed() {
        for packet in [
            Packet::Ready(TransactionStatus::Idle),
            Packet::CopyOut(cor4_protocol::packet::CopyResponse {
                format: cor4_protocol::packet::CopyFormat::Text,
                columns: Vec::new(),
            }),
        ] {
            let kind = packet.kind();
            let ClientEvent::Reply(Packet::Error(e)) = classify(packet) else {
                panic!("expected an ERROR reply");
            };
            assert_eq!((e.answered, e.code), (kind, ErrorCode::NotAllowed.as_i32()));
        }
    }

    #[test]
    fn oversized_requests_keep_their_turn() {
        assert_eq!(
            classify_oversized(99, Some(kind::QUERY)),
            ClientEvent::Request(Request::TooLarge(kind::QUERY))
        );
        assert_eq!(
            classify_oversized(99, Some(kind::EXECUTE)),
            ClientEvent::Request(Request::TooLarge(kind::EXECUTE))
        );
        assert_eq!(
            classify_oversized(99, Some(kind::PING)),
            ClientEvent::Reply(too_large(kind::PING, 99))
        );
        assert_eq!(
            classify_oversized(99, None),
            ClientEvent::Reply(too_large(0, 99))
        );
        assert!(matches!(
            classify_oversized(99, Some(kind::COPY_DATA)),
            ClientEvent::Copy(CopyMessage::Fail(_))
        ));
    }

    #[test]
    fn disconnect_ends_the_session() {
        assert_eq!(
            classify(Packet::Disconnect),
            ClientEvent::End(SessionEnd::ClientClosed, None)
        );
    }
}
