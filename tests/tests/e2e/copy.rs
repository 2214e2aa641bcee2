//! COPY through the proxy with the client crate: both directions, every
//! format, aborts, errors half-way, and a client that vanishes mid-COPY.

use std::time::{Duration, Instant};

use cor4_protocol::client::{Message, SqlState};
use cor4_protocol::packet::CopyFormat;
use futures_util::TryStreamExt;

use super::*;

async fn copy_out_all(c: &Client, sql: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stream = c.copy_out(sql).await.unwrap();
    while let Some(chunk) = stream.try_next().await.unwrap() {
        out.extend_from_slice(&chunk);
    }
    out
}

async fn count(c: &Client, table: &str) -> i64 {
    c.query_one(&format!("SELECT count(*) FROM {table}"), &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn copies_in_and_out_in_every_format() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("copy").await;
    let c = connect(&proxy, &user, &password).await;
    c.batch_execute(
        "CREATE TABLE src (id int, name text, at timestamptz); \
         CREATE TABLE dst (LIKE src)",
    )
    .await
    .unwrap();
    let mut sink = c.copy_in("COPY src FROM STDIN").await.unwrap();
    assert_eq!(sink.layout().format, CopyFormat::Text);
    let mut data = String::new();
    for i in 0..100_000 {
        data.push_str(&format!(
            "{i}\tname {i}\t2024-01-01 00:00:{:02}+00\n",
            i % 60
        ));
        if data.len() > 50_000 {
            sink.send(std::mem::take(&mut data)).await.unwrap();
        }
    }
    sink.send(data).await.unwrap();
    // A row split across two chunks still arrives whole.
    sink.send("100000\tsplit ").await.unwrap();
    sink.send("row\t\\N\n").await.unwrap();
    assert_eq!(sink.finish().await.unwrap(), 100_001);
    assert_eq!(count(&c, "src").await, 100_001);

    for format in ["text", "csv", "binary"] {
        c.batch_execute("TRUNCATE dst").await.unwrap();
        let out = copy_out_all(&c, &format!("COPY src TO STDOUT (FORMAT {format})")).await;
        let mut sink = c
            .copy_in(&format!("COPY dst FROM STDIN (FORMAT {format})"))
            .await
            .unwrap();
        for piece in out.chunks(7919) {
            sink.send(piece).await.unwrap();
        }
        assert_eq!(sink.finish().await.unwrap(), 100_001, "{format}");
        let differ: i64 = c
            .query_one(
                "SELECT count(*) FROM ((TABLE src EXCEPT ALL TABLE dst) UNION ALL \
                 (TABLE dst EXCEPT ALL TABLE src)) d",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(differ, 0, "{format}");
    }
    let mut stream = c
        .copy_out("COPY (SELECT 1 UNION ALL SELECT 2) TO STDOUT (FORMAT binary)")
        .await
        .unwrap();
    assert_eq!(stream.layout().format, CopyFormat::Binary);
    while stream.try_next().await.unwrap().is_some() {}
    assert_eq!(stream.rows(), 2);
}

#[tokio::test]
async fn an_aborted_or_abandoned_copy_keeps_no_row() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("abort").await;
    let c = connect(&proxy, &user, &password).await;
    c.batch_execute("CREATE TABLE t (id int)").await.unwrap();
    let mut sink = c.copy_in("COPY t FROM STDIN").await.unwrap();
    sink.send("1\n2\n3\n").await.unwrap();
    let err = sink.abort("the user changed their mind").await.unwrap();
    assert_eq!(err.code(), &SqlState::QUERY_CANCELED);
    assert!(
        err.message().contains("the user changed their mind"),
        "{err}"
    );
    assert_eq!(count(&c, "t").await, 0);

    let mut sink = c.copy_in("COPY t FROM STDIN").await.unwrap();
    sink.send("4\n5\n").await.unwrap();
    drop(sink);
    assert_eq!(count(&c, "t").await, 0);

    // Bad data: PostgreSQL's error, with the line it is on; nothing kept.
    let mut sink = c.copy_in("COPY t FROM STDIN").await.unwrap();
    sink.send("6\nseven\n8\n").await.unwrap();
    let err = sink.finish().await.unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::INVALID_TEXT_REPRESENTATION));
    assert_eq!(
        err.as_db_error().and_then(|e| e.where_()),
        Some("COPY t, line 2, column id: \"seven\"")
    );
    assert_eq!(count(&c, "t").await, 0);
}

#[tokio::test]
async fn an_error_in_the_middle_of_copy_out_ends_it_cleanly() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("copyerr").await;
    let c = connect(&proxy, &user, &password).await;
    let mut stream = c
        .copy_out("COPY (SELECT 1 / (5000 - x) FROM generate_series(1, 10000) x) TO STDOUT")
        .await
        .unwrap();
    let mut lines = 0;
    let err = loop {
        match stream.try_next().await {
            Ok(Some(chunk)) => lines += chunk.iter().filter(|&&b| b == b'\n').count(),
            Ok(None) => panic!("the COPY should fail"),
            Err(e) => break e,
        }
    };
    assert_eq!(err.code(), Some(&SqlState::DIVISION_BY_ZERO));
    assert_eq!(lines, 4999);
    assert_eq!(
        c.query_one("SELECT 7", &[]).await.unwrap().get::<_, i32>(0),
        7
    );
}

#[tokio::test]
async fn copy_in_a_multi_statement_query_follows_the_statement_rules() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("copymulti").await;
    let c = connect(&proxy, &user, &password).await;
    let mut seen = Vec::new();
    let mut stream = c
        .simple_query(
            "CREATE TEMP TABLE m (a int); COPY m FROM STDIN; \
             COPY m TO STDOUT; SELECT 1/0; COPY m TO STDOUT",
        )
        .await
        .unwrap();
    while let Some(message) = stream.next().await {
        match message.unwrap() {
            Message::CopyIn(_) => {
                seen.push("copy in".to_owned());
                stream.copy_data(b"1\n2\n").await.unwrap();
                stream.copy_done().await.unwrap();
            }
            Message::CopyOut(_) => seen.push("copy out".to_owned()),
            Message::CopyData(d) => seen.push(format!("data {}", String::from_utf8_lossy(&d))),
            Message::CopyDone => seen.push("done".to_owned()),
            Message::Command { tag, .. } => seen.push(tag),
            Message::Error(e) => seen.push(format!("error {}", e.code())),
            Message::Ready(_) => seen.push("ready".to_owned()),
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            "CREATE TABLE",
            "copy in",
            "COPY 2",
            "copy out",
            "data 1\n2\n",
            "done",
            "COPY 2",
            "error 22012",
            "ready"
        ]
    );
    // COPY data sent when no COPY runs is dropped, as PostgreSQL drops it.
    let mut stream = c.simple_query("SELECT 1").await.unwrap();
    stream.copy_data(b"stray\n").await.unwrap();
    while stream.next().await.is_some() {}
    assert_eq!(
        c.query_one("SELECT 2", &[]).await.unwrap().get::<_, i32>(0),
        2
    );
}

#[tokio::test]
async fn a_client_vanishing_mid_copy_leaves_no_rows_and_no_backend() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("vanish").await;
    let admin = admin_pg().await;
    let c = connect(&proxy, &user, &password).await;
    c.batch_execute("CREATE TABLE v (id int)").await.unwrap();
    // A shell feeding COPY from a pipe that stays open, then killed.
    let mut shell = Command::new(cor4_tests::binary("cor4"))
        .env("COR4_HOST", proxy.addr().ip().to_string())
        .env("COR4_PORT", proxy.addr().port().to_string())
        .env("COR4_USER", &user)
        .env("COR4_PASSWORD", &password)
        .args(["-c", "COPY v FROM STDIN"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = shell.stdin.take().unwrap();
    input.write_all("1\n".repeat(100_000).as_bytes()).unwrap();
    input.flush().unwrap();
    let start = Instant::now();
    while copying(&admin, &user).await == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the COPY never started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    shell.kill().unwrap();
    shell.wait().unwrap();
    drop(input);
    let start = Instant::now();
    while copying(&admin, &user).await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the abandoned COPY's backend is still there"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(&c, "v").await, 0);
}

/// Backends of `user` running the test's COPY.
async fn copying(admin: &tokio_postgres::Client, user: &str) -> i64 {
    admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE usename = $1 AND query = 'COPY v FROM STDIN'",
            &[&user],
        )
        .await
        .unwrap()
        .get(0)
}
