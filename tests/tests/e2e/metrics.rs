//! The proxy's metrics listener: `/metrics` parses as Prometheus text and
//! its values match the work done, `/healthz` and `/readyz` answer.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

/// `GET path` on `addr`: the status line and the body.
async fn get(addr: std::net::SocketAddr, path: &str) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").as_bytes())
        .await
        .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let (head, body) = response.split_once("\r\n\r\n").expect("a response");
    (
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    )
}

/// The value of the sample `name` with label `label=value` (or none).
fn sample(scrape: &prometheus_parse::Scrape, name: &str, label: Option<(&str, &str)>) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name)
        .filter(|s| label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => 0.0,
        })
        .sum()
}

#[tokio::test]
async fn metrics_parse_and_count_the_work_done() {
    let proxy = Proxy::start(&["--metrics-listen", "127.0.0.1:0"]);
    let addr = proxy.metrics_addr().expect("a metrics address in the log");
    let (user, password) = new_user("metrics").await;
    let client = connect(&proxy, &user, &password).await;
    let rows = client
        .query_all("SELECT g FROM generate_series(1, 7) g", &[])
        .await
        .expect("query");
    assert_eq!(rows.len(), 7);
    assert!(
        Client::connect(&config(&proxy, &user, "not the password"))
            .await
            .is_err()
    );

    // The wrong-password login is counted once the attempt is over.
    let deadline = Instant::now() + Duration::from_secs(30);
    let scrape = loop {
        let (status, body) = get(addr, "/metrics").await;
        assert_eq!(status, "HTTP/1.1 200 OK");
        let lines = body.lines().map(|l| Ok(l.to_owned()));
        let scrape = prometheus_parse::Scrape::parse(lines).expect("Prometheus text");
        let failed = sample(
            &scrape,
            "cor4_logins_total",
            Some(("reason", "wrong_password")),
        );
        if failed >= 1.0 || Instant::now() > deadline {
            break scrape;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        sample(
            &scrape,
            "cor4_logins_total",
            Some(("reason", "wrong_password"))
        ),
        1.0
    );
    assert_eq!(
        sample(&scrape, "cor4_logins_total", Some(("outcome", "ok"))),
        1.0
    );
    assert_eq!(sample(&scrape, "cor4_rows_total", None), 7.0);
    assert_eq!(sample(&scrape, "cor4_queries_total", None), 1.0);
    assert_eq!(sample(&scrape, "cor4_sessions", None), 1.0);
    assert_eq!(sample(&scrape, "cor4_backend_connections", None), 1.0);
    // Every byte after the login is a record: the plaintext in them is
    // the bytes on the wire less a header and a tag per record.
    let sent = sample(&scrape, "cor4_client_bytes_sent_total", None);
    let sealed = sample(&scrape, "cor4_rc6_bytes_sealed_total", None);
    assert!(sent > 0.0);
    assert!(sealed > 0.0 && sealed < sent, "sealed {sealed} of {sent}");
    let received = sample(&scrape, "cor4_client_bytes_received_total", None);
    let opened = sample(&scrape, "cor4_rc6_bytes_opened_total", None);
    assert!(
        opened > 0.0 && opened < received,
        "opened {opened} of {received}"
    );
    let (_, body) = get(addr, "/metrics").await;
    assert!(body.contains("cor4_query_seconds_count 1\n"), "{body}");

    assert_eq!(
        get(addr, "/healthz").await,
        ("HTTP/1.1 200 OK".into(), "ok\n".into())
    );
    assert_eq!(
        get(addr, "/readyz").await,
        ("HTTP/1.1 200 OK".into(), "ready\n".into())
    );
    assert_eq!(get(addr, "/nothing").await.0, "HTTP/1.1 404 Not Found");
}
