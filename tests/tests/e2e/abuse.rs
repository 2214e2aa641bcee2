//! The proxy under abuse (`docs/security.md`, abuse defences): floods of
//! connections that never log in, and parallel password guesses.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use cor4_protocol::client::Client;
use tokio::net::{TcpSocket, TcpStream};

use super::*;

/// Opens a connection to `to` from `from` that never sends a byte.
async fn silent_connection(from: Ipv4Addr, to: SocketAddr) -> Option<TcpStream> {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(IpAddr::V4(from), 0))
        .expect("bind a loopback source address");
    socket.connect(to).await.ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn silent_connections_do_not_keep_a_user_out() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("flood").await;
    let mut flood = Vec::new();
    // 200 from one address, 200 from 100 others (two each).
    for _ in 0..200 {
        flood.extend(silent_connection(Ipv4Addr::new(127, 0, 0, 2), proxy.addr()).await);
    }
    for i in 0..200u16 {
        let last = u8::try_from(10 + i / 2).expect("fits");
        flood.extend(silent_connection(Ipv4Addr::new(127, 0, 1, last), proxy.addr()).await);
    }
    assert!(flood.len() >= 300, "the flood connected ({})", flood.len());
    // Throughout the flood (held open, within the login timeout), a user
    // logs in at once, three times over.
    for round in 0..3 {
        let started = Instant::now();
        let client = Client::connect(&config(&proxy, &user, &password))
            .await
            .unwrap_or_else(|e| panic!("login {round} during the flood: {e}"));
        eprintln!(
            "login {round} during a flood of {} silent connections: {:?}",
            flood.len(),
            started.elapsed()
        );
        client.close().await.expect("close");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    drop(flood);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_get_exactly_the_threshold_judged() {
    const GUESSES: usize = 64;
    const THRESHOLD: usize = 5;
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("guess").await;
    let mut tasks = Vec::new();
    for i in 0..GUESSES {
        let config = config(&proxy, &user, &format!("wrong guess {i}"));
        tasks.push(tokio::spawn(async move { Client::connect(&config).await }));
    }
    for task in tasks {
        let result = task.await.expect("guess task");
        assert!(result.is_err(), "a wrong password never logs in");
    }
    // Every guess is in the audit log, with its reason.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut log = Vec::new();
    let failures = loop {
        log.extend(proxy.drain_log());
        let failures: Vec<&String> = log
            .iter()
            .filter(|l| l.contains("login_failed") && l.contains(&user))
            .collect();
        if failures.len() >= GUESSES || Instant::now() > deadline {
            break failures.into_iter().cloned().collect::<Vec<_>>();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        failures.len(),
        GUESSES,
        "every guess audited: {failures:#?}"
    );
    let judged = failures
        .iter()
        .filter(|l| l.contains("wrong password"))
        .count();
    let limited = failures
        .iter()
        .filter(|l| l.contains("rate limited"))
        .count();
    assert_eq!(judged, THRESHOLD, "judged guesses: {failures:#?}");
    assert_eq!(limited, GUESSES - THRESHOLD);
    // Locked now: even the right password is refused.
    assert!(
        Client::connect(&config(&proxy, &user, &password))
            .await
            .is_err()
    );
}
