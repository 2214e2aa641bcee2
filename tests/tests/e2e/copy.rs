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

/// The shell and the proxy each stay under this much memory while half a
/// gigabyte of COPY data streams through them.
const COPY_RSS_LIMIT_KIB: u64 = 64 * 1024;

fn shell(
    proxy: &Proxy,
    user: &str,
    password: &str,
    dir: &std::path::Path,
) -> std::process::Command {
    let mut c = std::process::Command::new(cor4_tests::binary("cor4"));
    c.env("COR4_HOST", proxy.addr().ip().to_string())
        .env("COR4_PORT", proxy.addr().port().to_string())
        .env("COR4_USER", user)
        .env("COR4_PASSWORD", password)
        .current_dir(dir)
        .stdin(std::process::Stdio::null());
    c
}

fn scratch(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cor4-copy-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn half_a_gigabyte_of_copy_to_stdout_streams_in_bounded_memory() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("bigout").await;
    let dir = scratch("out");
    let out = dir.join("out.txt");
    // 1,100,000 lines of 7-digit number, tab, 500 x's, newline: 561 MB.
    let (status, shell_peak) = cor4_tests::run_with_peak_rss(
        shell(&proxy, &user, &password, &dir)
            .args([
                "-c",
                "COPY (SELECT 1000000 + g, repeat('x', 500) FROM generate_series(1, 1100000) g) TO STDOUT",
            ])
            .stdout(std::fs::File::create(&out).unwrap()),
    );
    assert!(status.success());
    let size = std::fs::metadata(&out).unwrap().len();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(size, 1_100_000 * 509);
    let (_, proxy_peak) = proxy.rss_kib();
    eprintln!(
        "COPY TO STDOUT of {size} bytes: shell peak {shell_peak} KiB, proxy peak {proxy_peak} KiB"
    );
    assert!(
        shell_peak > 0 && shell_peak < COPY_RSS_LIMIT_KIB,
        "shell peak {shell_peak} KiB"
    );
    assert!(
        proxy_peak < COPY_RSS_LIMIT_KIB,
        "proxy peak {proxy_peak} KiB"
    );
}

#[tokio::test]
async fn half_a_gigabyte_of_slash_copy_from_a_file_streams_in_bounded_memory() {
    use std::io::Write;
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("bigin").await;
    let c = connect(&proxy, &user, &password).await;
    c.batch_execute("CREATE TABLE big (id int, body text)")
        .await
        .unwrap();
    let dir = scratch("in");
    let file = dir.join("big.txt");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        let body = "y".repeat(500);
        for i in 0..1_100_000 {
            writeln!(w, "{i}\t{body}").unwrap();
        }
        w.flush().unwrap();
    }
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(size > 512 * 1024 * 1024);
    let (status, shell_peak) = cor4_tests::run_with_peak_rss(
        shell(&proxy, &user, &password, &dir)
            .args(["-c", "\\copy big from 'big.txt'"])
            .stdout(std::process::Stdio::null()),
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(status.success());
    assert_eq!(count(&c, "big").await, 1_100_000);
    let (_, proxy_peak) = proxy.rss_kib();
    eprintln!(
        "\\copy from a {size}-byte file: shell peak {shell_peak} KiB, proxy peak {proxy_peak} KiB"
    );
    assert!(
        shell_peak > 0 && shell_peak < COPY_RSS_LIMIT_KIB,
        "shell peak {shell_peak} KiB"
    );
    assert!(
        proxy_peak < COPY_RSS_LIMIT_KIB,
        "proxy peak {proxy_peak} KiB"
    );
    c.batch_execute("DROP TABLE big").await.unwrap();
}
