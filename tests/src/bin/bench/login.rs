//! What a login costs: the client's and the server's CPU per Cor4 v3 login
//! (OPAQUE, Argon2id at the default cost) beside Cor4 v2's (PBKDF2 at
//! 600 000 iterations, then HKDF), measured in process on one thread; then
//! the real proxy's CPU per refused and per completed login, as logins per
//! second one core can take.

use std::time::{Duration, Instant};

use cor4_protocol::client::Client;
use cor4_protocol::crypto::{
    Direction, KsfParams, PasswordKey, RecordSealer, ServerKeys, SessionKeys, Verifier,
    transcript_hash,
};
use cor4_protocol::handshake::{Account, ClientHandshake, ServerHandshake};
use cor4_protocol::io::read_clear_frame;
use cor4_proxy::UserStore;
use sha2::Sha256;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::{Bench, Figure, best, micros, ratio, seconds};

/// In-process logins timed for the server's side.
const SERVER_LOGINS: u32 = 300;
/// Refused LOGINs sent to the proxy, and how many at once.
const REFUSED: u32 = 600;
const AT_ONCE: u32 = 8;
/// Completed logins through the proxy.
const COMPLETED: u32 = 60;
/// LOGIN_RESPONSEs timed per user for the known/unknown comparison.
const REPLIES: usize = 40;

/// One in-memory v3 login at `ksf`: (client time, server time).
fn v3_login(keys: &ServerKeys, verifier: &Verifier, key: &PasswordKey) -> (Duration, Duration) {
    let t = Instant::now();
    let (client, login) = ClientHandshake::start("bench", key.clone(), 65536).unwrap();
    let mut client_time = t.elapsed();
    let t = Instant::now();
    let (server, response) = ServerHandshake::on_login(&login[4..])
        .unwrap()
        .respond(keys, Account::Verifier(verifier), 65536)
        .unwrap();
    let mut server_time = t.elapsed();
    let t = Instant::now();
    let (awaiting, finish) = client.on_response(&response[4..]).unwrap();
    client_time += t.elapsed();
    let t = Instant::now();
    let (_, mut reply) = server.on_finish(&finish[4..]).unwrap().accept(0);
    server_time += t.elapsed();
    let t = Instant::now();
    awaiting.on_reply(&mut reply).unwrap();
    client_time += t.elapsed();
    (client_time, server_time)
}

/// Cor4 v2's login work: the client's PBKDF2 and HKDF, the server's HKDF
/// and seal of the reply (it stored S).
fn v2_login(key: &PasswordKey) -> (Duration, Duration) {
    let t = Instant::now();
    let mut s = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(key.as_bytes(), &[7; 16], 600_000, &mut s);
    let transcript = transcript_hash(&[b"LOGIN body", b"LOGIN_CHALLENGE body"]);
    let _ = SessionKeys::derive_v2(&s, &transcript);
    let client = t.elapsed();
    let t = Instant::now();
    let keys = SessionKeys::derive_v2(&s, &transcript);
    let mut out = Vec::new();
    RecordSealer::new(&keys.server_to_client, Direction::ServerToClient)
        .seal(&[0; 128], &mut out)
        .unwrap();
    (client, t.elapsed())
}

/// A connection to the proxy from `127.0.<n / 250 + 1>.<n % 250 + 2>`:
/// abandoned logins count against their address (20 a minute), so probes
/// come from addresses of their own and the bench's real logins from
/// 127.0.0.1 are never refused for them.
async fn connect_from(bench: &Bench, n: u32) -> TcpStream {
    let [third, fourth] = [n / 250 + 1, n % 250 + 2].map(|b| u8::try_from(b).unwrap_or(255));
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(std::net::SocketAddr::from(([127, 0, third, fourth], 0)))
        .unwrap();
    socket.connect(bench.proxy.addr()).await.unwrap()
}

/// Sends LOGIN for a user that does not exist, reads the LOGIN_RESPONSE
/// and closes, as an attacker probing names would.
async fn refused_login(bench: &Bench, n: u32) {
    let name = format!("nobody_{n}");
    let (_, login) = ClientHandshake::start(&name, PasswordKey::from_password("x"), 65536).unwrap();
    let mut s = connect_from(bench, n).await;
    s.write_all(&login).await.unwrap();
    read_clear_frame(&mut s, 4096).await.unwrap().unwrap();
}

/// How long the proxy takes to answer LOGIN for `user`, from the first
/// byte sent to the whole LOGIN_RESPONSE read.
async fn reply_time(bench: &Bench, user: &str, from: u32) -> Duration {
    let (_, login) = ClientHandshake::start(user, PasswordKey::from_password("x"), 65536).unwrap();
    let mut s = connect_from(bench, from).await;
    let start = Instant::now();
    s.write_all(&login).await.unwrap();
    read_clear_frame(&mut s, 4096).await.unwrap().unwrap();
    start.elapsed()
}

/// The median LOGIN_RESPONSE time of a known user and of an unknown one,
/// interleaved: they must not tell an attacker which names exist. The
/// known name is a user of its own, unlocked after each probe (an
/// abandoned login counts as a failure).
async fn reply_times(bench: &Bench) -> (Duration, Duration) {
    let store = UserStore::open(&cor4_tests::test_database().admin_config())
        .await
        .expect("user store");
    let known = format!("{}_probe", bench.user);
    store
        .add_user(
            &known,
            "probe password 1",
            None,
            false,
            cor4_tests::TEST_KSF,
        )
        .await
        .expect("add the probe user");
    let unknown: String = known.chars().map(|_| 'q').collect();
    let (mut known_times, mut unknown_times) = (Vec::new(), Vec::new());
    for i in 0..REPLIES {
        let order = if i % 2 == 0 {
            [known.as_str(), unknown.as_str()]
        } else {
            [unknown.as_str(), known.as_str()]
        };
        for name in order {
            // Addresses after the refused flood's.
            let from = REFUSED + u32::try_from(i).unwrap_or(0);
            let t = reply_time(bench, name, from).await;
            // Let the server record the abandoned attempt, then forget it.
            tokio::time::sleep(Duration::from_millis(20)).await;
            if name == known {
                known_times.push(t);
                store.unlock(&known).await.expect("unlock the probe user");
            } else {
                unknown_times.push(t);
            }
        }
    }
    let _ = store.remove(&known).await;
    known_times.sort();
    unknown_times.sort();
    (
        known_times[known_times.len() / 2],
        unknown_times[unknown_times.len() / 2],
    )
}

pub async fn run(bench: &Bench, figures: &mut Vec<Figure>) {
    let keys = ServerKeys::generate();
    let key = PasswordKey::from_password("bench password 1");
    let t = Instant::now();
    let verifier = Verifier::register(&keys, "bench", &key, KsfParams::DEFAULT).unwrap();
    let registration = t.elapsed();
    let mut clients = Vec::new();
    for _ in 0..3 {
        clients.push(v3_login(&keys, &verifier, &key).0);
    }
    let cheap = Verifier::register(&keys, "bench", &key, cor4_tests::TEST_KSF).unwrap();
    let mut servers = Vec::new();
    for _ in 0..SERVER_LOGINS {
        servers.push(v3_login(&keys, &cheap, &key).1);
    }
    servers.sort();
    let v2: Vec<(Duration, Duration)> = (0..3).map(|_| v2_login(&key)).collect();
    let v2_client = best(v2.iter().map(|v| v.0).collect());
    let v2_server = best(v2.iter().map(|v| v.1).collect());
    let v3_client = best(clients);
    let v3_server = servers[servers.len() / 2];
    figures.push(Figure::new(
        "login, client CPU (v3 Argon2id 64 MiB×3 vs v2)",
        seconds(v3_client),
        seconds(v2_client),
        ratio(v3_client, v2_client),
    ));
    figures.push(Figure::new(
        "login, server CPU, median (v3 OPAQUE vs v2)",
        micros(v3_server),
        micros(v2_server),
        ratio(v3_server, v2_server),
    ));
    figures.push(Figure::new(
        "password set (user add, CHPASS), server CPU",
        seconds(registration),
        String::new(),
        None,
    ));

    // The real proxy: CPU per refused LOGIN (an unknown name answered from
    // a fake record) and per completed login (with the session's
    // PostgreSQL connection), as logins per second per core.
    let cpu = bench.proxy.cpu_time();
    let mut n = 0;
    while n < REFUSED {
        let batch: Vec<_> = (n..n + AT_ONCE).map(|i| refused_login(bench, i)).collect();
        futures_util::future::join_all(batch).await;
        n += AT_ONCE;
    }
    let refused = bench.proxy.cpu_time().saturating_sub(cpu) / REFUSED;
    figures.push(Figure::new(
        "proxy CPU per refused LOGIN (unknown user)",
        micros(refused),
        per_core(refused),
        None,
    ));
    let config = bench.config();
    let cpu = bench.proxy.cpu_time();
    for _ in 0..COMPLETED {
        let client = Client::connect(&config).await.unwrap();
        client.close().await.unwrap();
    }
    let completed = bench.proxy.cpu_time().saturating_sub(cpu) / COMPLETED;
    figures.push(Figure::new(
        "proxy CPU per completed login + session",
        micros(completed),
        per_core(completed),
        None,
    ));
    // Last: the probes are abandoned logins, which count as failures.
    let (known, absent) = reply_times(bench).await;
    figures.push(Figure::new(
        "LOGIN_RESPONSE time, median, known vs unknown user",
        micros(known),
        micros(absent),
        ratio(known, absent),
    ));
}

/// `1234 logins/s/core` for a CPU cost per login.
fn per_core(cpu: Duration) -> String {
    if cpu.is_zero() {
        return String::new();
    }
    format!("{:.0} logins/s/core", 1.0 / cpu.as_secs_f64())
}
