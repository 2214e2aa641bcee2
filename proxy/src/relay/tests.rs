//! Sessions against a real PostgreSQL 15 (the pgwire tests' throwaway
//! cluster), driven by hand from the client end of an in-memory duplex
//! channel sealed with fixed keys.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cor4_protocol::crypto::{Direction, PasswordKey, RecordOpener, RecordSealer};
use cor4_protocol::io::{Incoming, SealedReader, SealedWriter};
use cor4_protocol::packet::{ErrorPacket, OkDetail, ResultHead, kind};
use cor4_protocol::{ErrorCode, Packet, Type, Value};
use tokio::io::{DuplexStream, ReadHalf, WriteHalf, duplex, split};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{
    PasswordChanger, PasswordFuture, SessionContext, SessionEnd, SessionSummary, run_session,
};
use crate::pgwire::PgConn;
use crate::pgwire::tests::cluster::{SCRAM_PASSWORD, SCRAM_USER, run, shared};
use crate::users::UserError;

const C2S_KEY: [u8; 16] = [0xc1; 16];
const S2C_KEY: [u8; 16] = [0x5c; 16];
const MAX_RECORD: u32 = 16 * 1024;
/// How long any single reply may take in these tests.
const REPLY_TIMEOUT: Duration = Duration::from_secs(15);

/// A password store that records its calls and accepts or refuses.
#[derive(Default)]
struct FakeStore {
    refuse: bool,
    calls: Mutex<Vec<(String, [u8; 16])>>,
}

impl PasswordChanger for FakeStore {
    fn set_password<'a>(&'a self, user: &'a str, key: &'a PasswordKey) -> PasswordFuture<'a> {
        Box::pin(async move {
            self.calls
                .lock()
                .expect("not poisoned")
                .push((user.to_owned(), *key.as_bytes()));
            if self.refuse {
                Err(UserError::PasswordRejected("too short"))
            } else {
                Ok(())
            }
        })
    }
}

struct Options {
    idle_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    shutdown_grace: Duration,
    must_change_password: bool,
    passwords: Arc<FakeStore>,
    max_packet: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            idle_timeout: Some(Duration::from_secs(60)),
            write_timeout: None,
            shutdown_grace: Duration::from_secs(30),
            must_change_password: false,
            passwords: Arc::default(),
            max_packet: 1 << 20,
        }
    }
}

/// The client end of a session under test.
struct Client {
    writer: SealedWriter<WriteHalf<DuplexStream>>,
    reader: SealedReader<ReadHalf<DuplexStream>>,
    columns: Option<Vec<Type>>,
    session: JoinHandle<SessionSummary>,
    shutdown: watch::Sender<bool>,
    /// The backend serving the session.
    pid: i32,
    /// The session in a registry of its own.
    live: Arc<crate::registry::LiveSession>,
}

async fn start(options: Options) -> Client {
    let cluster = shared().await;
    let pg = PgConn::connect(&cluster.tcp_config(SCRAM_USER, SCRAM_PASSWORD), &[])
        .await
        .expect("connect to PostgreSQL");
    let pid = pg.backend_pid();
    let (client_end, server_end) = duplex(64 * 1024);
    let (server_read, server_write) = split(server_end);
    let (client_read, client_write) = split(client_end);
    let (shutdown, shutdown_rx) = watch::channel(false);
    let live = crate::registry::Registry::new("test")
        .register("alice", "127.0.0.1:1".parse().expect("address"));
    let ctx = SessionContext {
        user: "alice".into(),
        idle_timeout: options.idle_timeout,
        write_timeout: options.write_timeout,
        log_queries: true,
        shutdown: shutdown_rx,
        shutdown_grace: options.shutdown_grace,
        must_change_password: options.must_change_password,
        passwords: options.passwords,
        live: Arc::clone(&live),
        budget: crate::limits::ByteBudget::new(options.max_packet as usize),
    };
    let session = tokio::spawn(run_session(
        SealedReader::new(
            server_read,
            RecordOpener::new(&C2S_KEY, Direction::ClientToServer, MAX_RECORD),
            options.max_packet,
        ),
        SealedWriter::new(
            server_write,
            RecordSealer::new(&S2C_KEY, Direction::ServerToClient),
            MAX_RECORD,
        ),
        crate::pool::Backend::dedicated(pg),
        ctx,
    ));
    Client {
        writer: SealedWriter::new(
            client_write,
            RecordSealer::new(&C2S_KEY, Direction::ClientToServer),
            MAX_RECORD,
        ),
        reader: SealedReader::new(
            client_read,
            RecordOpener::new(&S2C_KEY, Direction::ServerToClient, MAX_RECORD),
            1 << 30,
        ),
        columns: None,
        session,
        shutdown,
        pid,
        live,
    }
}

impl Client {
    async fn send(&mut self, packet: Packet) {
        self.writer
            .send(&packet)
            .await
            .expect("send to the session");
    }

    /// The next packet, `None` once the session closed the connection.
    async fn recv(&mut self) -> Option<Packet> {
        let next = tokio::time::timeout(REPLY_TIMEOUT, self.reader.next(self.columns.as_deref()))
            .await
            .expect("a reply in time")
            .expect("a well-formed reply");
        let packet = match next? {
            Incoming::Packet(p) => p,
            other => panic!("unexpected {other:?}"),
        };
        match &packet {
            Packet::ResultHead(head) => self.columns = Some(head.types.clone()),
            Packet::ResultEnd(_) | Packet::Error(_) | Packet::Ready(_) => self.columns = None,
            _ => {}
        }
        Some(packet)
    }

    /// Packets up to and including the next READY.
    async fn until_ready(&mut self) -> Vec<Packet> {
        let mut packets = Vec::new();
        loop {
            let packet = self.recv().await.expect("READY before the end");
            let done = matches!(packet, Packet::Ready(_));
            packets.push(packet);
            if done {
                return packets;
            }
        }
    }

    /// Packets up to the end of the connection.
    async fn until_closed(&mut self) -> Vec<Packet> {
        let mut packets = Vec::new();
        while let Some(packet) = self.recv().await {
            packets.push(packet);
        }
        packets
    }

    async fn query(&mut self, sql: &str) -> Vec<Packet> {
        self.send(Packet::Query(sql.into())).await;
        self.until_ready().await
    }

    async fn query_shown(&mut self, sql: &str) -> Vec<String> {
        let packets = self.query(sql).await;
        packets.iter().map(show).collect()
    }

    /// Waits for the session to end on its own.
    async fn ended(self) -> SessionSummary {
        tokio::time::timeout(REPLY_TIMEOUT, self.session)
            .await
            .expect("the session ends in time")
            .expect("the session does not panic")
    }

    /// Says DISCONNECT and waits for the session to end.
    async fn disconnect(mut self) -> SessionSummary {
        self.send(Packet::Disconnect).await;
        let summary = self.ended().await;
        assert_eq!(summary.end, SessionEnd::ClientClosed);
        summary
    }
}

/// A compact rendering for order assertions.
fn show(packet: &Packet) -> String {
    match packet {
        Packet::Ok(ok) => match (&ok.detail, ok.answered) {
            (OkDetail::Command { affected, tag }, _) => format!("OK {tag} ({affected})"),
            (_, kind::PING) => "PONG".to_owned(),
            (_, answered) => format!("OK answering {answered}"),
        },
        Packet::ResultHead(head) => format!("HEAD {}", head.names.join(",")),
        Packet::ResultRow(row) => format!("ROW {}", row.number),
        Packet::ResultEnd(end) => format!("END {} {}", end.rows, end.tag),
        Packet::Error(e) => format!("ERROR {} {}", e.code, e.sqlstate)
            .trim_end()
            .to_owned(),
        Packet::Notice(n) => format!("NOTICE {}", n.message),
        Packet::Ready(status) => format!("READY {}", char::from(status.byte())),
        other => format!("{other:?}"),
    }
}

fn error(packet: &Packet) -> &ErrorPacket {
    match packet {
        Packet::Error(e) => e,
        other => panic!("expected ERROR, got {other:?}"),
    }
}

/// The first value of `sql`'s first row, run as the superuser.
async fn admin_value(sql: &str) -> Option<String> {
    let cluster = shared().await;
    let mut admin = PgConn::connect(&cluster.superuser_config(), &[])
        .await
        .expect("connect as superuser");
    let events = run(&mut admin, sql).await;
    admin.close().await.expect("close");
    match &events[1] {
        crate::pgwire::Event::DataRow(row) => {
            row.get(0).map(|v| String::from_utf8_lossy(v).into_owned())
        }
        other => panic!("expected a row, got {other:?}"),
    }
}

/// Whether backend `pid` is still in pg_stat_activity.
async fn backend_alive(pid: i32) -> bool {
    admin_value(&format!(
        "SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}"
    ))
    .await
        != Some("0".to_owned())
}

/// How long any observable change may take (generous: a loaded 2-core
/// machine; how fast it happens is the bench's business).
const DEADLINE: Duration = Duration::from_secs(60);

/// Waits until backend `pid` leaves pg_stat_activity.
async fn wait_backend_gone(pid: i32) {
    let start = Instant::now();
    while backend_alive(pid).await {
        assert!(
            start.elapsed() < DEADLINE,
            "backend {pid} still in pg_stat_activity after {DEADLINE:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the relay has sent the client's request to PostgreSQL.
async fn wait_active(c: &Client) {
    let start = Instant::now();
    while c.live.state().name() != "active" {
        assert!(start.elapsed() < DEADLINE, "the request never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn select_streams_head_rows_nulls_and_end() {
    let mut c = start(Options::default()).await;
    let packets = c
        .query(
            "SELECT * FROM (VALUES \
               (1, 'one'::text, 2.50::numeric, true, DATE '2024-02-29', 9000000000::int8, \
                '{\"a\": 1}'::jsonb, '\\x0102'::bytea, 1.5::float8), \
               (2, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL)) \
             AS t(i, s, n, b, d, big, j, raw, f) ORDER BY i",
        )
        .await;
    let shown: Vec<String> = packets.iter().map(show).collect();
    assert_eq!(
        shown,
        [
            "HEAD i,s,n,b,d,big,j,raw,f",
            "ROW 1",
            "ROW 2",
            "END 2 SELECT 2",
            "READY I"
        ]
    );
    let Packet::ResultHead(ResultHead { types, rows, .. }) = &packets[0] else {
        unreachable!("checked above");
    };
    assert_eq!(*rows, None, "the proxy always streams");
    assert_eq!(
        types,
        &[
            Type::Int4,
            Type::Text,
            Type::Numeric,
            Type::Bool,
            Type::Date,
            Type::Int8,
            Type::Json,
            Type::Bytea,
            Type::Float8
        ]
    );
    let (Packet::ResultRow(first), Packet::ResultRow(second)) = (&packets[1], &packets[2]) else {
        unreachable!("checked above");
    };
    assert_eq!(packets[1].kind(), kind::RESULT_ROW, "no NULL: a seed row");
    assert_eq!(packets[2].kind(), kind::RESULT_ROW_NULLS);
    assert_eq!(
        first.values,
        [
            Value::Int4(1),
            Value::Text("one".into()),
            Value::Numeric("2.50".into()),
            Value::Bool(true),
            Value::Date(8825),
            Value::Int8(9_000_000_000),
            Value::Json("{\"a\": 1}".into()),
            Value::Bytea(vec![1, 2]),
            Value::Float8(1.5),
        ]
    );
    assert_eq!(second.values[0], Value::Int4(2));
    assert_eq!(second.values[3], Value::Bool(false));
    assert!(
        [1, 2, 4, 5, 6, 7, 8]
            .into_iter()
            .all(|i| second.values[i] == Value::Null)
    );
    let summary = c.disconnect().await;
    assert_eq!((summary.queries, summary.rows), (1, 2));
}

#[tokio::test]
async fn statements_of_one_query_answer_in_order() {
    let mut c = start(Options::default()).await;
    let shown = c
        .query_shown(
            "CREATE TEMP TABLE t (a int); \
             INSERT INTO t VALUES (1), (2); \
             SELECT a FROM t ORDER BY a; \
             UPDATE t SET a = a + 10; \
             DO $$ BEGIN RAISE NOTICE 'hello'; END $$; \
             SELECT a FROM t WHERE false; \
             ;",
        )
        .await;
    assert_eq!(
        shown,
        [
            "OK CREATE TABLE (0)",
            "OK INSERT 0 2 (2)",
            "HEAD a",
            "ROW 1",
            "ROW 2",
            "END 2 SELECT 2",
            "OK UPDATE 2 (2)",
            "NOTICE hello",
            "OK DO (0)",
            "HEAD a",
            "END 0 SELECT 0",
            "READY I",
        ]
    );
    assert_eq!(
        c.query_shown("").await,
        ["READY I"],
        "an empty QUERY answers just READY"
    );
    c.disconnect().await;
}

#[tokio::test]
async fn an_error_stops_the_query_and_the_session_goes_on() {
    let mut c = start(Options::default()).await;
    let packets = c.query("SELECT 1 AS a; SELECT 1/0; SELECT 2").await;
    let shown: Vec<String> = packets.iter().map(show).collect();
    assert_eq!(
        shown,
        [
            "HEAD a",
            "ROW 1",
            "END 1 SELECT 1",
            "ERROR 20 22012",
            "READY I"
        ]
    );
    let e = error(&packets[3]);
    assert_eq!(e.answered, kind::QUERY);
    assert_eq!(e.severity, "ERROR");
    assert_eq!(e.message, "division by zero");

    // An error in the middle of a result: no RESULT_END, then READY.
    let shown = c
        .query_shown("SELECT 10 / (3 - g) AS q FROM generate_series(1, 5) g")
        .await;
    assert_eq!(
        shown,
        ["HEAD q", "ROW 1", "ROW 2", "ERROR 20 22012", "READY I"]
    );

    // Position, detail and hint travel.
    let packets = c.query("SELECT * FROM no_such_table").await;
    let e = error(&packets[0]);
    assert_eq!((e.sqlstate.as_str(), e.position), ("42P01", 15));
    assert!(e.message.contains("no_such_table"), "{}", e.message);

    assert_eq!(
        c.query_shown("SELECT 3 AS b").await,
        ["HEAD b", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn transactions_span_queries_with_ready_statuses() {
    let mut c = start(Options::default()).await;
    assert_eq!(c.query_shown("BEGIN").await, ["OK BEGIN (0)", "READY T"]);
    assert_eq!(
        c.query_shown("CREATE TEMP TABLE x (a int)").await,
        ["OK CREATE TABLE (0)", "READY T"]
    );
    assert_eq!(
        c.query_shown("SELECT 1/0").await,
        ["ERROR 20 22012", "READY E"]
    );
    assert_eq!(
        c.query_shown("SELECT 1").await,
        ["ERROR 20 25P02", "READY E"]
    );
    assert_eq!(
        c.query_shown("ROLLBACK").await,
        ["OK ROLLBACK (0)", "READY I"]
    );
    assert_eq!(
        c.query_shown("SELECT count(*) FROM x").await,
        ["ERROR 20 42P01", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn cancel_interrupts_a_long_query_quickly() {
    let mut c = start(Options::default()).await;
    // Ten minutes: only a working cancel ends it with 57014 in time.
    c.send(Packet::Query("SELECT pg_sleep(600)".into())).await;
    wait_active(&c).await;
    c.send(Packet::Cancel).await;
    let shown: Vec<String> = c.until_ready().await.iter().map(show).collect();
    let tail: Vec<&str> = shown
        .iter()
        .map(String::as_str)
        .filter(|s| !s.starts_with("HEAD"))
        .collect();
    assert_eq!(tail, ["ERROR 20 57014", "READY I"]);
    // A CANCEL with nothing running is ignored; the session goes on.
    c.send(Packet::Cancel).await;
    assert_eq!(
        c.query_shown("SELECT 1 AS a").await,
        ["HEAD a", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn ping_is_answered_during_a_long_query() {
    let mut c = start(Options::default()).await;
    // PONG arriving before the query's row shows it was answered while
    // the query ran.
    c.send(Packet::Query("SELECT 1 AS a, pg_sleep(1.5)".into()))
        .await;
    wait_active(&c).await;
    c.send(Packet::Ping).await;
    let first = c.recv().await.map(|p| show(&p));
    let first = if first.as_deref() == Some("HEAD a,pg_sleep") {
        c.recv().await.map(|p| show(&p))
    } else {
        first
    };
    assert_eq!(first.as_deref(), Some("PONG"));
    let rest: Vec<String> = c.until_ready().await.iter().map(show).collect();
    assert_eq!(
        rest[rest.len() - 3..],
        ["ROW 1", "END 1 SELECT 1", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn a_query_sent_during_another_waits_its_turn() {
    let mut c = start(Options::default()).await;
    c.send(Packet::Query("SELECT pg_sleep(0.3) AS s".into()))
        .await;
    c.send(Packet::Query("SELECT 2 AS b".into())).await;
    c.send(Packet::Ping).await;
    let mut shown: Vec<String> = c.until_ready().await.iter().map(show).collect();
    // The PING is answered at once, wherever it falls in the first result.
    let pong = shown.iter().position(|s| s == "PONG").expect("PONG");
    shown.remove(pong);
    assert_eq!(shown, ["HEAD s", "ROW 1", "END 1 SELECT 1", "READY I"]);
    assert_eq!(
        c.until_ready().await.iter().map(show).collect::<Vec<_>>(),
        ["HEAD b", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn chpass_checks_the_digest_and_stores_the_password() {
    let store = Arc::new(FakeStore::default());
    let mut c = start(Options {
        passwords: store.clone(),
        ..Options::default()
    })
    .await;
    for bad in ["not base64", "1B2M2Y8AsgTpgAmY7PhCfg", "AAAA"] {
        c.send(Packet::ChPass(bad.into())).await;
        let reply = c.recv().await.expect("a reply");
        let e = error(&reply);
        assert_eq!(
            (e.answered, e.code),
            (kind::CHPASS, ErrorCode::BadPasswordDigest.as_i32())
        );
    }
    assert!(store.calls.lock().expect("not poisoned").is_empty());
    // The session goes on.
    c.send(Packet::Ping).await;
    assert_eq!(c.recv().await.map(|p| show(&p)).as_deref(), Some("PONG"));

    c.send(Packet::ChPass("PLTnMmMfR+brlh80VUt83g==".into()))
        .await;
    assert_eq!(
        c.recv().await.map(|p| show(&p)).as_deref(),
        Some("OK answering 3")
    );
    assert_eq!(
        store.calls.lock().expect("not poisoned").as_slice(),
        [(
            "alice".to_owned(),
            *PasswordKey::from_password("correct horse").as_bytes()
        )]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn a_forced_password_change_blocks_queries_until_chpass() {
    let refusing = Arc::new(FakeStore {
        refuse: true,
        ..FakeStore::default()
    });
    let mut c = start(Options {
        must_change_password: true,
        passwords: refusing,
        ..Options::default()
    })
    .await;
    let packets = c.query("SELECT 1").await;
    assert_eq!(
        packets.iter().map(show).collect::<Vec<_>>(),
        ["ERROR 12", "READY I"]
    );
    assert_eq!(error(&packets[0]).answered, kind::QUERY);
    c.send(Packet::ChPass("1B2M2Y8AsgTpgAmY7PhCfg==".into()))
        .await;
    let reply = c.recv().await.expect("a reply");
    assert_eq!(error(&reply).code, ErrorCode::PasswordRejected.as_i32());
    assert_eq!(c.query_shown("SELECT 1").await, ["ERROR 12", "READY I"]);
    c.disconnect().await;

    let mut c = start(Options {
        must_change_password: true,
        ..Options::default()
    })
    .await;
    assert_eq!(c.query_shown("SELECT 1").await, ["ERROR 12", "READY I"]);
    c.send(Packet::ChPass("1B2M2Y8AsgTpgAmY7PhCfg==".into()))
        .await;
    assert_eq!(
        c.recv().await.map(|p| show(&p)).as_deref(),
        Some("OK answering 3")
    );
    assert_eq!(
        c.query_shown("SELECT 1 AS a").await,
        ["HEAD a", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn refuses_oversized_and_server_only_packets_and_goes_on() {
    let mut c = start(Options {
        max_packet: 1024,
        ..Options::default()
    })
    .await;
    let big = format!("SELECT '{}'", "x".repeat(4000));
    assert_eq!(c.query_shown(&big).await, ["ERROR 31", "READY I"]);
    c.send(Packet::Ready(
        cor4_protocol::packet::TransactionStatus::Idle,
    ))
    .await;
    let reply = c.recv().await.expect("a reply");
    let e = error(&reply);
    assert_eq!(
        (e.answered, e.code),
        (kind::READY, ErrorCode::NotAllowed.as_i32())
    );
    assert_eq!(
        c.query_shown("SELECT 1 AS a").await,
        ["HEAD a", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn non_iso_datestyle_sends_dates_as_text() {
    let mut c = start(Options::default()).await;
    assert_eq!(
        c.query_shown("SET DateStyle = 'German'").await,
        ["OK SET (0)", "READY I"]
    );
    let packets = c.query("SELECT DATE '2024-02-29' AS d").await;
    let Packet::ResultHead(head) = &packets[0] else {
        panic!("expected a head, got {packets:?}");
    };
    assert_eq!(head.types, [Type::Text]);
    let Packet::ResultRow(row) = &packets[1] else {
        panic!("expected a row, got {packets:?}");
    };
    assert_eq!(row.values, [Value::Text("29.02.2024".into())]);
    c.disconnect().await;
}

#[tokio::test]
async fn a_datestyle_changed_earlier_in_the_query_sends_dates_as_text() {
    let mut c = start(Options::default()).await;
    let packets = c
        .query("SET DateStyle = 'German'; SELECT DATE '2026-12-01' AS d")
        .await;
    let rows: Vec<&Value> = packets
        .iter()
        .filter_map(|p| match p {
            Packet::ResultRow(r) => r.values.first(),
            _ => None,
        })
        .collect();
    assert_eq!(rows, [&Value::Text("01.12.2026".into())], "{packets:?}");
    // Back to ISO in one QUERY, then dates are typed again from the next.
    c.query("SET DateStyle = ISO").await;
    let packets = c.query("SELECT DATE '2026-12-01' AS d").await;
    let Packet::ResultHead(head) = &packets[0] else {
        panic!("expected a head, got {packets:?}");
    };
    assert_eq!(head.types, [Type::Date]);
    c.disconnect().await;
}

#[tokio::test]
async fn an_unknown_packet_type_is_refused_and_the_session_goes_on() {
    let mut c = start(Options::default()).await;
    c.writer.queue_encoded(&[3, 0, 0, 0, 99, 1, 2]).unwrap();
    c.writer.flush().await.unwrap();
    let reply = c.recv().await.expect("a reply");
    let e = error(&reply);
    assert_eq!((e.answered, e.code), (99, ErrorCode::NotAllowed.as_i32()));
    assert_eq!(
        c.query_shown("SELECT 1 AS a").await,
        ["HEAD a", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn options_turn_on_text_values_types_parameters_and_fields() {
    use cor4_protocol::packet::{ColumnType, option};
    let mut c = start(Options::default()).await;
    c.send(Packet::Options(0x100)).await;
    let reply = c.recv().await.expect("a reply");
    assert_eq!(error(&reply).code, ErrorCode::NotAllowed.as_i32());
    c.send(Packet::Options(option::ALL)).await;
    let mut parameters = Vec::new();
    loop {
        match c.recv().await.expect("a reply") {
            Packet::Parameter { name, value } => parameters.push((name, value)),
            Packet::Ok(ok) => {
                assert_eq!(ok.answered, kind::OPTIONS);
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        parameters
            .iter()
            .any(|(n, v)| n == "DateStyle" && v == "ISO, MDY"),
        "{parameters:?}"
    );
    let packets = c.query("SELECT 1.50::numeric(5,2) AS n, 2 AS i").await;
    assert_eq!(
        packets[0],
        Packet::ResultColumns(vec![
            ColumnType {
                oid: 1700,
                typmod: (5 << 16) + 2 + 4
            },
            ColumnType {
                oid: 23,
                typmod: -1
            }
        ])
    );
    let Packet::ResultRow(row) = &packets[2] else {
        panic!("expected a row, got {packets:?}");
    };
    assert_eq!(
        row.values,
        [Value::Text("1.50".into()), Value::Text("2".into())]
    );
    // A SET reports the new value before READY.
    let shown = c.query_shown("SET TimeZone = 'Asia/Tokyo'").await;
    assert_eq!(shown[0], "OK SET (0)");
    assert!(shown[1].contains("TimeZone"), "{shown:?}");
    // Errors carry PostgreSQL's other fields.
    let packets = c
        .query("DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'd'; END $$")
        .await;
    let e = error(&packets[0]);
    assert!(
        e.fields
            .iter()
            .any(|f| f.code == b'W' && f.value.contains("PL/pgSQL function")),
        "{e:?}"
    );
    c.disconnect().await;
}

#[tokio::test]
async fn an_unreadable_value_fails_the_query_cleanly() {
    let mut c = start(Options::default()).await;
    assert_eq!(
        c.query_shown("SET client_encoding = 'LATIN1'").await,
        ["OK SET (0)", "READY I"]
    );
    let packets = c
        .query("SELECT chr(233) || g AS s FROM generate_series(1, 100000) g; SELECT 1")
        .await;
    let shown: Vec<String> = packets.iter().map(show).collect();
    assert_eq!(shown, ["HEAD s", "ERROR 36", "READY I"]);
    let message = &error(&packets[1]).message;
    assert!(message.contains("cannot relay column \"s\""), "{message}");
    assert_eq!(
        c.query_shown("RESET client_encoding").await,
        ["OK RESET (0)", "READY I"]
    );
    assert_eq!(
        c.query_shown("SELECT 1 AS a").await,
        ["HEAD a", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    c.disconnect().await;
}

#[tokio::test]
async fn a_client_dropping_mid_result_ends_the_backend() {
    let mut c = start(Options::default()).await;
    let pid = c.pid;
    c.send(Packet::Query(
        "SELECT g, repeat('x', 200) FROM generate_series(1, 50000000) g".into(),
    ))
    .await;
    for _ in 0..10 {
        c.recv().await.expect("rows");
    }
    vanish_and_expect_backend_gone(c, pid).await;
}

#[tokio::test]
async fn a_client_vanishing_during_a_silent_query_ends_the_backend() {
    let mut c = start(Options::default()).await;
    let pid = c.pid;
    c.send(Packet::Query("SELECT pg_sleep(600)".into())).await;
    wait_active(&c).await;
    assert!(backend_alive(pid).await);
    vanish_and_expect_backend_gone(c, pid).await;
}

#[tokio::test]
async fn disconnect_mid_query_cancels_it() {
    let mut c = start(Options::default()).await;
    let pid = c.pid;
    // The backend leaving long before its ten-minute sleep ends shows the
    // query was cancelled.
    c.send(Packet::Query("SELECT pg_sleep(600)".into())).await;
    wait_active(&c).await;
    let summary = c.disconnect().await;
    assert_eq!(summary.queries, 1);
    wait_backend_gone(pid).await;
}

#[tokio::test]
async fn an_idle_session_times_out() {
    let mut c = start(Options {
        idle_timeout: Some(Duration::from_secs(3)),
        ..Options::default()
    })
    .await;
    let pid = c.pid;
    // Activity keeps it alive: five pings spanning more than the timeout.
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        c.send(Packet::Ping).await;
        assert_eq!(c.recv().await.map(|p| show(&p)).as_deref(), Some("PONG"));
    }
    // A query longer than the timeout is not idleness.
    assert_eq!(
        c.query_shown("SELECT pg_sleep(4) AS s").await,
        ["HEAD s", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    let reply = c.recv().await.expect("an ERROR");
    let e = error(&reply);
    assert_eq!((e.answered, e.code), (0, ErrorCode::IdleTimeout.as_i32()));
    assert_eq!(c.recv().await, None, "then the connection closes");
    assert_eq!(c.ended().await.end, SessionEnd::IdleTimeout);
    wait_backend_gone(pid).await;
}

#[tokio::test]
async fn an_operator_ends_a_session_mid_query_with_its_error() {
    let mut c = start(Options::default()).await;
    let pid = c.pid;
    assert_eq!(c.live.state().name(), "idle");
    c.send(Packet::Query("SELECT pg_sleep(60)".into())).await;
    wait_active(&c).await;
    c.live
        .end(ErrorCode::SessionEnded, "an operator ended this session");
    let reply = c.recv().await.expect("an ERROR");
    let e = error(&reply);
    assert_eq!((e.answered, e.code), (0, ErrorCode::SessionEnded.as_i32()));
    assert_eq!(e.message, "an operator ended this session");
    assert_eq!(c.recv().await, None, "then the connection closes");
    assert_eq!(c.live.queries.load(std::sync::atomic::Ordering::Relaxed), 1);
    assert_eq!(c.ended().await.end, SessionEnd::Ended);
    wait_backend_gone(pid).await;
}

#[tokio::test]
async fn shutdown_ends_an_idle_session_at_once() {
    let mut c = start(Options::default()).await;
    c.shutdown.send(true).expect("session listening");
    let reply = c.recv().await.expect("an ERROR");
    assert_eq!(error(&reply).code, ErrorCode::ServerShutdown.as_i32());
    assert_eq!(c.recv().await, None);
    assert_eq!(c.ended().await.end, SessionEnd::Shutdown);
}

#[tokio::test]
async fn shutdown_lets_a_query_finish_within_the_grace() {
    let mut c = start(Options {
        shutdown_grace: Duration::from_secs(60),
        ..Options::default()
    })
    .await;
    c.send(Packet::Query("SELECT pg_sleep(0.3) AS s".into()))
        .await;
    wait_active(&c).await;
    c.shutdown.send(true).expect("session listening");
    assert_eq!(
        c.until_ready().await.iter().map(show).collect::<Vec<_>>(),
        ["HEAD s", "ROW 1", "END 1 SELECT 1", "READY I"]
    );
    let reply = c.recv().await.expect("an ERROR");
    assert_eq!(error(&reply).code, ErrorCode::ServerShutdown.as_i32());
    assert_eq!(c.recv().await, None);
    assert_eq!(c.ended().await.end, SessionEnd::Shutdown);
}

#[tokio::test]
async fn shutdown_cancels_a_query_after_the_grace() {
    let mut c = start(Options {
        shutdown_grace: Duration::from_millis(300),
        ..Options::default()
    })
    .await;
    let pid = c.pid;
    c.send(Packet::Query("SELECT pg_sleep(600)".into())).await;
    wait_active(&c).await;
    c.shutdown.send(true).expect("session listening");
    let replies = c.until_ready().await;
    let shown: Vec<String> = replies.iter().map(show).collect();
    // The cancelled statement says the server is shutting down, not that
    // the user asked (PostgreSQL's 57014 stays in the sqlstate field).
    assert_eq!(shown[shown.len() - 2..], ["ERROR 32 57014", "READY I"]);
    assert!(
        error(&replies[replies.len() - 2])
            .message
            .contains("shutting down"),
        "{shown:?}"
    );
    let reply = c.recv().await.expect("an ERROR");
    assert_eq!(error(&reply).code, ErrorCode::ServerShutdown.as_i32());
    assert_eq!(c.ended().await.end, SessionEnd::Shutdown);
    wait_backend_gone(pid).await;
}

#[tokio::test]
async fn losing_postgres_ends_the_session_with_backend_unavailable() {
    let mut c = start(Options::default()).await;
    c.send(Packet::Query(
        "SELECT pg_terminate_backend(pg_backend_pid())".into(),
    ))
    .await;
    let packets = c.until_closed().await;
    let shown: Vec<String> = packets.iter().map(show).collect();
    assert_eq!(
        shown.last().map(String::as_str),
        Some("ERROR 35"),
        "{shown:?}"
    );
    assert!(
        shown.iter().any(|s| s == "ERROR 20 57P01"),
        "PostgreSQL's own FATAL is relayed first: {shown:?}"
    );
    assert_eq!(c.ended().await.end, SessionEnd::BackendGone);
}

#[tokio::test]
async fn a_client_that_reads_nothing_makes_postgres_wait() {
    let mut c = start(Options::default()).await;
    let pid = c.pid;
    c.send(Packet::Query(
        "SELECT g, repeat('z', 500) FROM generate_series(1, 20000000) g".into(),
    ))
    .await;
    // The client reads nothing: once the duplex buffer and the sockets are
    // full, the backend must be blocked writing to the relay (no buffering
    // of the result in the relay).
    let start = Instant::now();
    let sql = format!("SELECT coalesce(wait_event, '') FROM pg_stat_activity WHERE pid = {pid}");
    while admin_value(&sql).await.as_deref() != Some("ClientWrite") {
        assert!(
            start.elapsed() < DEADLINE,
            "PostgreSQL never waited for the relay"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // CANCEL is still heard; the rows already on their way come first.
    c.send(Packet::Cancel).await;
    let shown: Vec<String> = c.until_ready().await.iter().map(show).collect();
    assert_eq!(shown[0], "HEAD g,repeat");
    assert!(shown.len() < 100_000, "{} packets buffered", shown.len());
    assert_eq!(shown[shown.len() - 2..], ["ERROR 20 57014", "READY I"]);
    c.disconnect().await;
}

#[tokio::test]
async fn large_results_stream_in_order() {
    let mut c = start(Options::default()).await;
    c.send(Packet::Query(
        "SELECT g, repeat('y', g % 300) FROM generate_series(1, 100000) g".into(),
    ))
    .await;
    assert!(matches!(c.recv().await, Some(Packet::ResultHead(_))));
    for expected in 1..=100_000u32 {
        match c.recv().await {
            Some(Packet::ResultRow(row)) => {
                assert_eq!(row.number, expected);
                assert_eq!(
                    row.values[0],
                    Value::Int4(i32::try_from(expected).unwrap_or(0))
                );
            }
            other => panic!("row {expected}: {other:?}"),
        }
    }
    assert_eq!(
        c.until_ready().await.iter().map(show).collect::<Vec<_>>(),
        ["END 100000 SELECT 100000", "READY I"]
    );
    assert_eq!(c.disconnect().await.rows, 100_000);
}

/// Drops the client's socket halves without DISCONNECT; the session must
/// end as "client disconnected" and its backend `pid` go away.
async fn vanish_and_expect_backend_gone(c: Client, pid: i32) {
    let Client {
        writer,
        reader,
        session,
        ..
    } = c;
    drop((writer, reader));
    let summary = tokio::time::timeout(REPLY_TIMEOUT, session)
        .await
        .expect("ends")
        .expect("no panic");
    assert_eq!(summary.end, SessionEnd::ClientDisconnected);
    wait_backend_gone(pid).await;
}

#[tokio::test]
async fn a_client_that_stops_reading_is_ended_after_the_write_timeout() {
    let mut c = start(Options {
        write_timeout: Some(Duration::from_millis(500)),
        ..Options::default()
    })
    .await;
    let pid = c.pid;
    // Far more than the socket pair holds; the client never reads.
    c.send(Packet::Query(
        "SELECT repeat('x', 1000) FROM generate_series(1, 100000)".into(),
    ))
    .await;
    let summary = c.ended().await;
    assert_eq!(summary.end, SessionEnd::WriteTimeout);
    wait_backend_gone(pid).await;
}
