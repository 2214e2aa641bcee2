//! Tests against a real PostgreSQL (see `cluster`) and against fake
//! servers on loopback for what a real one never does.

pub(crate) mod cluster;

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::Statement;
use super::error::AuthError;
use super::{Event, PgConn, PgError, TransactionStatus};
use cluster::{MD5_PASSWORD, MD5_USER, SCRAM_PASSWORD, SCRAM_USER, run, shared, summary};

/// How long any observable change may take.
const DEADLINE: Duration = Duration::from_secs(60);

async fn scram_conn() -> PgConn {
    let cluster = shared().await;
    PgConn::connect(&cluster.tcp_config(SCRAM_USER, SCRAM_PASSWORD), &[])
        .await
        .expect("connect with SCRAM")
}

fn text(event: &Event, i: usize) -> Option<String> {
    match event {
        Event::DataRow(row) => row.get(i).map(|v| String::from_utf8_lossy(v).into_owned()),
        other => panic!("expected a row, got {other:?}"),
    }
}

#[tokio::test]
async fn connects_with_scram_and_reports_parameters() {
    let mut conn = scram_conn().await;
    assert!(conn.backend_pid() > 0);
    assert_eq!(conn.transaction_status(), TransactionStatus::Idle);
    assert_eq!(conn.parameter("client_encoding"), Some("UTF8"));
    assert_eq!(conn.parameter("DateStyle"), Some("ISO, MDY"));
    assert!(
        conn.parameter("server_version")
            .is_some_and(|v| v.starts_with("15"))
    );
    let events = run(&mut conn, "SELECT current_user, pg_backend_pid()").await;
    assert_eq!(text(&events[1], 0).as_deref(), Some(SCRAM_USER));
    assert_eq!(text(&events[1], 1), Some(conn.backend_pid().to_string()));
    conn.close().await.expect("close");
}

#[tokio::test]
async fn connects_with_md5() {
    let cluster = shared().await;
    let mut conn = PgConn::connect(&cluster.tcp_config(MD5_USER, MD5_PASSWORD), &[])
        .await
        .expect("connect with MD5");
    let events = run(&mut conn, "SELECT current_user").await;
    assert_eq!(text(&events[1], 0).as_deref(), Some(MD5_USER));
}

#[tokio::test]
async fn rejects_wrong_password_with_server_error() {
    let cluster = shared().await;
    for user in [SCRAM_USER, MD5_USER] {
        match PgConn::connect(&cluster.tcp_config(user, "wrong"), &[]).await {
            Err(PgError::Auth(AuthError::Rejected(e))) => {
                assert_eq!(e.code, "28P01", "{user}");
                assert!(e.message.contains("password authentication failed"), "{e}");
            }
            other => panic!("{user}: expected a rejection, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn rejects_missing_password() {
    let cluster = shared().await;
    let mut config = tokio_postgres::Config::new();
    config
        .host("127.0.0.1")
        .port(cluster.port())
        .user(SCRAM_USER)
        .dbname("postgres");
    assert!(matches!(
        PgConn::connect(&config, &[]).await,
        Err(PgError::Auth(AuthError::MissingPassword))
    ));
}

#[tokio::test]
async fn refuses_unknown_database_as_db_error() {
    let cluster = shared().await;
    let mut config = cluster.superuser_config();
    config.dbname("no_such_db");
    match PgConn::connect(&config, &[]).await {
        Err(e @ PgError::Db(_)) => assert_eq!(e.code(), Some("3D000")),
        other => panic!("expected a Db error, got {other:?}"),
    }
}

#[tokio::test]
async fn connects_over_unix_socket_with_extra_parameters() {
    let cluster = shared().await;
    let mut config = cluster.superuser_config();
    config.application_name("pgwire-test");
    let mut conn = PgConn::connect(
        &config,
        &[("TimeZone", "Asia/Tokyo"), ("DateStyle", "ISO, DMY")],
    )
    .await
    .expect("connect over the socket");
    assert_eq!(conn.parameter("TimeZone"), Some("Asia/Tokyo"));
    assert_eq!(conn.parameter("DateStyle"), Some("ISO, DMY"));
    assert_eq!(conn.parameter("application_name"), Some("pgwire-test"));
    let events = run(&mut conn, "SET TimeZone = 'UTC'").await;
    assert_eq!(summary(&events), ["C:SET", "S:TimeZone", "Z:Idle"]);
    assert_eq!(conn.parameter("TimeZone"), Some("UTC"));
}

#[tokio::test]
async fn reports_column_types_and_text_values() {
    let mut conn = scram_conn().await;
    let events = run(
        &mut conn,
        "SELECT 1::int4 AS a, 'x'::text, NULL::int, now(), 1.50::numeric(5,2)",
    )
    .await;
    assert_eq!(summary(&events), ["T5", "D", "C:SELECT 1", "Z:Idle"]);
    let Event::RowDescription(cols) = &events[0] else {
        panic!("no columns")
    };
    let oids: Vec<u32> = cols.iter().map(|c| c.type_oid).collect();
    assert_eq!(oids, [23, 25, 23, 1184, 1700]);
    assert_eq!(cols[0].name, "a");
    assert_eq!(cols[1].name, "text");
    assert_eq!(cols[0].type_modifier, -1);
    assert_eq!(cols[4].type_modifier, (5 << 16 | 2) + 4);
    let Event::DataRow(row) = &events[1] else {
        panic!("no row")
    };
    assert_eq!(row.len(), 5);
    assert_eq!(row.get(0), Some(&b"1"[..]));
    assert_eq!(row.get(1), Some(&b"x"[..]));
    assert_eq!(row.get(2), None);
    assert!(row.is_null(2));
    let now = String::from_utf8_lossy(row.get(3).expect("now() is not null")).into_owned();
    assert!(
        now.len() >= 19 && now.as_bytes()[4] == b'-',
        "ISO timestamp: {now}"
    );
    assert_eq!(row.get(4), Some(&b"1.50"[..]));
}

#[tokio::test]
async fn runs_several_statements_in_order() {
    let mut conn = scram_conn().await;
    let events = run(
        &mut conn,
        "SELECT 1; SELECT 2; CREATE TEMP TABLE t(a int); INSERT INTO t VALUES (1),(2)",
    )
    .await;
    assert_eq!(
        summary(&events),
        [
            "T1",
            "D",
            "C:SELECT 1",
            "T1",
            "D",
            "C:SELECT 1",
            "C:CREATE TABLE",
            "C:INSERT 0 2",
            "Z:Idle"
        ]
    );
    assert_eq!(text(&events[1], 0).as_deref(), Some("1"));
    assert_eq!(text(&events[4], 0).as_deref(), Some("2"));
    let events = run(&mut conn, "SELECT a FROM t ORDER BY a").await;
    assert_eq!(summary(&events), ["T1", "D", "D", "C:SELECT 2", "Z:Idle"]);
}

#[tokio::test]
async fn error_ends_the_query_string_and_keeps_the_connection() {
    let mut conn = scram_conn().await;
    let events = run(&mut conn, "SELECT 1; SELECT 1/0; SELECT 3").await;
    assert_eq!(
        summary(&events),
        ["T1", "D", "C:SELECT 1", "E:22012", "Z:Idle"]
    );
    let Event::Error(e) = &events[3] else {
        panic!("no error")
    };
    assert_eq!(e.severity, "ERROR");
    assert_eq!(e.message, "division by zero");

    let events = run(&mut conn, "SELECT nosuchcolumn FROM pg_class").await;
    let Event::Error(e) = &events[0] else {
        panic!("no error")
    };
    assert_eq!(e.code, "42703");
    assert_eq!(e.position, 8);

    let events = run(&mut conn, "SELECT 3").await;
    assert_eq!(summary(&events), ["T1", "D", "C:SELECT 1", "Z:Idle"]);
}

#[tokio::test]
async fn tracks_transaction_status() {
    let mut conn = scram_conn().await;
    assert_eq!(
        summary(&run(&mut conn, "BEGIN").await),
        ["C:BEGIN", "Z:InTransaction"]
    );
    assert_eq!(conn.transaction_status(), TransactionStatus::InTransaction);
    assert_eq!(
        summary(&run(&mut conn, "SELECT 1/0").await),
        ["E:22012", "Z:Failed"]
    );
    assert_eq!(conn.transaction_status(), TransactionStatus::Failed);
    assert_eq!(
        summary(&run(&mut conn, "SELECT 1").await),
        ["E:25P02", "Z:Failed"]
    );
    assert_eq!(
        summary(&run(&mut conn, "ROLLBACK").await),
        ["C:ROLLBACK", "Z:Idle"]
    );
    assert_eq!(conn.transaction_status(), TransactionStatus::Idle);
}

#[tokio::test]
async fn cancel_interrupts_a_running_query() {
    let cluster = shared().await;
    let mut admin = PgConn::connect(&cluster.superuser_config(), &[])
        .await
        .expect("admin");
    let mut conn = scram_conn().await;
    let token = conn.cancel_token();
    // Ten minutes of sleep: only a working cancel ends it with 57014.
    conn.send_query("SELECT pg_sleep(600)").await.expect("send");
    let active = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE pid = {} AND state = 'active'",
        conn.backend_pid()
    );
    let started = Instant::now();
    while text(&run(&mut admin, &active).await[1], 0).as_deref() != Some("1") {
        assert!(started.elapsed() < DEADLINE, "the query never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    token.cancel().await.expect("cancel");
    let mut events = Vec::new();
    loop {
        let event = conn.next_event().await.expect("event");
        let done = matches!(event, Event::Ready(_));
        events.push(event);
        if done {
            break;
        }
    }
    let codes = summary(&events);
    assert!(codes.contains(&"E:57014".to_owned()), "{codes:?}");
    assert_eq!(codes.last().map(String::as_str), Some("Z:Idle"));
    assert_eq!(
        summary(&run(&mut conn, "SELECT 1").await),
        ["T1", "D", "C:SELECT 1", "Z:Idle"]
    );
}

#[tokio::test]
async fn streams_a_large_result_in_bounded_memory() {
    let mut conn = scram_conn().await;
    conn.send_query("SELECT i, repeat('x', 200) FROM generate_series(1, 200000) i")
        .await
        .expect("send");
    let (mut rows, mut max_capacity, mut last) = (0u64, 0usize, 0u64);
    loop {
        match conn.next_event().await.expect("event") {
            Event::DataRow(row) => {
                rows += 1;
                let i = std::str::from_utf8(row.get(0).expect("i")).expect("utf8");
                last = i.parse().expect("number");
                assert_eq!(row.get(1).map(<[u8]>::len), Some(200));
            }
            Event::CommandComplete(tag) => assert_eq!(tag, "SELECT 200000"),
            Event::Ready(_) => break,
            Event::RowDescription(_) => {}
            other => panic!("unexpected {other:?}"),
        }
        max_capacity = max_capacity.max(conn.read_buffer_capacity());
    }
    assert_eq!((rows, last), (200_000, 200_000));
    // About 45 MB went through; the buffer never held more than a few chunks.
    assert!(
        max_capacity <= 256 * 1024,
        "read buffer grew to {max_capacity} bytes"
    );
}

#[tokio::test]
async fn streams_copy_to_stdout_then_runs_the_rest() {
    let mut conn = scram_conn().await;
    let events = run(
        &mut conn,
        "COPY (SELECT generate_series(1, 3)) TO STDOUT; SELECT 7",
    )
    .await;
    assert_eq!(
        summary(&events),
        [
            "H",
            "d",
            "d",
            "d",
            "c",
            "C:COPY 3",
            "T1",
            "D",
            "C:SELECT 1",
            "Z:Idle"
        ]
    );
    let data: Vec<u8> = events
        .iter()
        .filter_map(|e| match e {
            Event::CopyData(d) => Some(d.to_vec()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(data, b"1\n2\n3\n");
    assert_eq!(text(&events[7], 0).as_deref(), Some("7"));
}

/// Sends `sql`, expects COPY FROM STDIN, feeds `chunks`, then ends the COPY
/// with `fail` (or COPY done); returns the events up to Ready.
async fn copy_in(conn: &mut PgConn, sql: &str, chunks: &[&[u8]], fail: Option<&str>) -> Vec<Event> {
    conn.send_query(sql).await.expect("send");
    let first = conn.next_event().await.expect("copy in");
    let Event::CopyIn(start) = first else {
        panic!("expected CopyIn, got {first:?}");
    };
    assert!(!start.binary);
    assert!(conn.is_copy_in());
    for chunk in chunks {
        conn.copy_data(chunk).await.expect("copy data");
    }
    match fail {
        Some(reason) => conn.copy_fail(reason).await.expect("copy fail"),
        None => conn.copy_done().await.expect("copy done"),
    }
    let mut events = Vec::new();
    loop {
        let event = conn.next_event().await.expect("event");
        let done = matches!(event, Event::Ready(_));
        events.push(event);
        if done {
            return events;
        }
    }
}

#[tokio::test]
async fn copies_from_stdin_and_rolls_back_on_copy_fail() {
    let mut conn = scram_conn().await;
    run(&mut conn, "CREATE TEMP TABLE c(a int, b text)").await;
    let events = copy_in(
        &mut conn,
        "COPY c FROM STDIN",
        &[b"1\tx\n2\t", b"y\n"],
        None,
    )
    .await;
    assert_eq!(summary(&events), ["C:COPY 2", "Z:Idle"]);
    let events = copy_in(
        &mut conn,
        "COPY c FROM STDIN",
        &[b"3\tz\n"],
        Some("stop here"),
    )
    .await;
    assert_eq!(summary(&events), ["E:57014", "Z:Idle"]);
    let Event::Error(e) = &events[0] else {
        panic!("no error")
    };
    assert!(e.message.contains("stop here"), "{e}");
    let events = run(&mut conn, "SELECT count(*) FROM c").await;
    assert_eq!(text(&events[1], 0).as_deref(), Some("2"));
}

#[tokio::test]
async fn copy_error_in_the_data_ends_the_copy_and_keeps_the_connection() {
    let mut conn = scram_conn().await;
    run(&mut conn, "CREATE TEMP TABLE c(a int)").await;
    let events = copy_in(
        &mut conn,
        "COPY c FROM STDIN",
        &[b"1\nnot a number\n3\n"],
        None,
    )
    .await;
    assert_eq!(summary(&events), ["E:22P02", "Z:Idle"]);
    assert!(!conn.is_copy_in());
    let events = run(&mut conn, "SELECT count(*) FROM c").await;
    assert_eq!(text(&events[1], 0).as_deref(), Some("0"));
}

/// Collects the events of the request just sent, Ready included.
async fn events(conn: &mut PgConn) -> Vec<Event> {
    let mut events = Vec::new();
    loop {
        let event = conn.next_event().await.expect("event");
        let done = matches!(event, Event::Ready(_));
        events.push(event);
        if done {
            return events;
        }
    }
}

#[tokio::test]
async fn prepares_executes_and_closes_named_statements() {
    let mut conn = scram_conn().await;
    conn.send_prepare("s1", "SELECT $1::int + 1 AS n, $2 AS t", &[0, 25])
        .await
        .expect("prepare");
    let described = events(&mut conn).await;
    assert_eq!(summary(&described), ["t2", "T2", "Z:Idle"]);
    let Event::ParameterDescription(oids) = &described[0] else {
        panic!("no parameter description")
    };
    assert_eq!(oids, &[23, 25]);
    for _ in 0..3 {
        conn.send_execute(Statement::Named("s1"), &[Some(b"41"), None])
            .await
            .expect("execute");
        let got = events(&mut conn).await;
        assert_eq!(summary(&got), ["T2", "D", "C:SELECT 1", "Z:Idle"]);
        assert_eq!(text(&got[1], 0).as_deref(), Some("42"));
        assert_eq!(text(&got[1], 1), None);
    }
    // A wrong parameter count is PostgreSQL's protocol error, not ours.
    conn.send_execute(Statement::Named("s1"), &[Some(b"1")])
        .await
        .expect("execute");
    assert_eq!(summary(&events(&mut conn).await), ["E:08P01", "Z:Idle"]);
    conn.send_close("s1").await.expect("close");
    assert_eq!(summary(&events(&mut conn).await), ["Z:Idle"]);
    conn.send_execute(Statement::Named("s1"), &[Some(b"41"), None])
        .await
        .expect("execute");
    assert_eq!(summary(&events(&mut conn).await), ["E:26000", "Z:Idle"]);
}

#[tokio::test]
async fn runs_unnamed_statements_with_parameters() {
    let mut conn = scram_conn().await;
    let sql = "SELECT $1::text || '!', $2 + 1";
    conn.send_execute(
        Statement::Unnamed {
            sql,
            types: &[0, 20],
        },
        &[Some(b"it's"), Some(b"9")],
    )
    .await
    .expect("execute");
    let got = events(&mut conn).await;
    assert_eq!(summary(&got), ["T2", "D", "C:SELECT 1", "Z:Idle"]);
    assert_eq!(text(&got[1], 0).as_deref(), Some("it's!"));
    assert_eq!(text(&got[1], 1).as_deref(), Some("10"));
    // A statement without rows answers NoData.
    conn.send_execute(
        Statement::Unnamed {
            sql: "SET search_path = public",
            types: &[],
        },
        &[],
    )
    .await
    .expect("execute");
    assert_eq!(summary(&events(&mut conn).await), ["n", "C:SET", "Z:Idle"]);
    // A value PostgreSQL rejects leaves the connection usable.
    conn.send_execute(
        Statement::Unnamed {
            sql: "SELECT $1::int",
            types: &[],
        },
        &[Some(b"x")],
    )
    .await
    .expect("execute");
    assert_eq!(summary(&events(&mut conn).await), ["E:22P02", "Z:Idle"]);
    assert_eq!(
        summary(&run(&mut conn, "SELECT 1").await),
        ["T1", "D", "C:SELECT 1", "Z:Idle"]
    );
}

#[tokio::test]
async fn relays_notices_and_empty_queries() {
    let mut conn = scram_conn().await;
    let events = run(&mut conn, "DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$").await;
    assert_eq!(summary(&events), ["N", "C:DO", "Z:Idle"]);
    let Event::Notice(n) = &events[0] else {
        panic!("no notice")
    };
    assert_eq!(
        (n.severity.as_str(), n.code.as_str(), n.message.as_str()),
        ("NOTICE", "00000", "hello 42")
    );
    assert_eq!(summary(&run(&mut conn, "").await), ["I", "Z:Idle"]);
    assert_eq!(summary(&run(&mut conn, " ; ").await), ["I", "Z:Idle"]);
}

#[tokio::test]
async fn refuses_misuse_without_breaking() {
    let mut conn = scram_conn().await;
    assert!(matches!(conn.next_event().await, Err(PgError::Misuse(_))));
    assert!(matches!(
        conn.send_query("SELECT '\0'").await,
        Err(PgError::NulInQuery)
    ));
    conn.send_query("SELECT 1").await.expect("send");
    assert!(matches!(
        conn.send_query("SELECT 2").await,
        Err(PgError::Misuse(_))
    ));
    let mut tags = Vec::new();
    loop {
        match conn.next_event().await.expect("event") {
            Event::Ready(_) => break,
            event => tags.push(event),
        }
    }
    assert_eq!(summary(&tags), ["T1", "D", "C:SELECT 1"]);
    assert!(conn.is_idle() && !conn.is_broken());
}

#[tokio::test]
async fn terminated_backend_reports_closed() {
    let cluster = shared().await;
    let mut victim = scram_conn().await;
    let mut admin = PgConn::connect(&cluster.superuser_config(), &[])
        .await
        .expect("admin");
    assert!(!victim.is_stale(), "an idle connection is not stale");
    let sql = format!("SELECT pg_terminate_backend({})", victim.backend_pid());
    assert_eq!(
        text(&run(&mut admin, &sql).await[1], 0).as_deref(),
        Some("t")
    );
    // The pool's check notices, without sending anything.
    let started = Instant::now();
    while !victim.is_stale() {
        assert!(started.elapsed() < DEADLINE, "never noticed the end");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The server may say FATAL 57P01 before closing; either way we end at Closed.
    let err = match victim.send_query("SELECT 1").await {
        Err(e) => e,
        Ok(()) => loop {
            match victim.next_event().await {
                Ok(Event::Error(e)) => assert_eq!(e.code, "57P01"),
                Ok(other) => panic!("unexpected {other:?}"),
                Err(e) => break e,
            }
        },
    };
    assert!(err.is_closed(), "{err:?}");
    assert!(victim.is_broken());
    assert!(matches!(
        victim.send_query("SELECT 1").await,
        Err(PgError::Closed)
    ));
}

#[tokio::test]
async fn killed_server_mid_result_reports_closed() {
    let cluster = cluster::start().await;
    let mut conn = PgConn::connect(&cluster.tcp_config(SCRAM_USER, SCRAM_PASSWORD), &[])
        .await
        .expect("connect");
    conn.send_query("SELECT generate_series(1, 100000000)")
        .await
        .expect("send");
    assert!(matches!(
        conn.next_event().await,
        Ok(Event::RowDescription(_))
    ));
    assert!(matches!(conn.next_event().await, Ok(Event::DataRow(_))));
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &conn.backend_pid().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let err = loop {
        match conn.next_event().await {
            Ok(Event::DataRow(_)) => {}
            Ok(other) => panic!("unexpected {other:?}"),
            Err(e) => break e,
        }
    };
    assert!(err.is_closed(), "{err:?}");
    assert!(matches!(conn.next_event().await, Err(PgError::Closed)));
    drop(cluster);
}

/// A one-shot fake server: accepts one connection and sends `reply`
/// after reading the startup message. It speaks no TLS, so the config
/// says `sslmode=disable` (a real server would answer the SSLRequest "N").
async fn fake_server(reply: &'static [u8]) -> tokio_postgres::Config {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        if let Ok((mut socket, _)) = listener.accept().await {
            let mut startup = [0u8; 256];
            let _ = socket.read(&mut startup).await;
            let _ = socket.write_all(reply).await;
            // Hold the socket until the client gives up.
            let _ = socket.read(&mut startup).await;
        }
    });
    let mut config = tokio_postgres::Config::new();
    config
        .host("127.0.0.1")
        .port(port)
        .user("u")
        .ssl_mode(tokio_postgres::config::SslMode::Disable)
        .connect_timeout(Duration::from_secs(2));
    config
}

#[tokio::test]
async fn rejects_absurd_message_length() {
    let config = fake_server(&[b'R', 0x7f, 0xff, 0xff, 0xff]).await;
    assert!(matches!(
        PgConn::connect(&config, &[]).await,
        Err(PgError::MessageTooLarge {
            len: 0x7fff_ffff,
            ..
        })
    ));
}

#[tokio::test]
async fn reports_eof_during_startup_as_closed() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        if let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    let mut config = tokio_postgres::Config::new();
    config.host("127.0.0.1").port(port).user("u");
    assert!(matches!(
        PgConn::connect(&config, &[]).await,
        Err(PgError::Closed)
    ));
}

#[tokio::test]
async fn times_out_on_a_silent_server() {
    let mut config = fake_server(b"").await;
    config.connect_timeout(Duration::from_millis(300));
    assert!(matches!(
        PgConn::connect(&config, &[]).await,
        Err(PgError::Timeout(_))
    ));
}

#[tokio::test]
async fn refuses_unsupported_authentication() {
    // AuthenticationGSS (code 7).
    let config = fake_server(&[b'R', 0, 0, 0, 8, 0, 0, 0, 7]).await;
    assert!(matches!(
        PgConn::connect(&config, &[]).await,
        Err(PgError::Auth(AuthError::Unsupported("GSSAPI")))
    ));
}

#[tokio::test]
async fn reads_a_value_larger_than_the_read_chunk() {
    let mut conn = scram_conn().await;
    let events = run(&mut conn, "SELECT repeat('ab', 5000000), 'tail'").await;
    assert_eq!(summary(&events), ["T2", "D", "C:SELECT 1", "Z:Idle"]);
    let Event::DataRow(row) = &events[1] else {
        panic!("no row")
    };
    assert_eq!(row.get(0).map(<[u8]>::len), Some(10_000_000));
    assert_eq!(row.get(1), Some(&b"tail"[..]));
}

#[test]
fn handles_cross_task_boundaries() {
    fn cancel_token<T: Clone + Send + Sync + 'static>() {}
    fn connection<T: Send + 'static>() {}
    cancel_token::<super::CancelToken>();
    connection::<PgConn>();
    connection::<Event>();
    connection::<PgError>();
}
