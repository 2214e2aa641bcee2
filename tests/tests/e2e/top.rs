//! `cor4-proxy top` as an operator uses it: the real binary under a
//! pseudo-terminal (rexpect), its screen read back through a terminal
//! emulator (vt100). It shows a live session with its user, client address
//! and query; `k` then `y` ends that session with ERROR 38 through the same
//! control queue as `cor4-proxy kill`; `q` leaves the alternate screen and
//! exits 0.

use std::num::NonZeroU16;
use std::process::Command;
use std::time::{Duration, Instant};

use cor4_protocol::ErrorCode;
use cor4_protocol::client::Client;
use cor4_tests::test_database;
use rexpect::process::WaitStatus;
use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};

use super::*;

/// How long any observable change may take.
const DEADLINE_MS: u64 = 30_000;
const DEADLINE: Duration = Duration::from_millis(DEADLINE_MS);

/// The pseudo-terminal's size: wide enough for every column.
const ROWS: NonZeroU16 = NonZeroU16::new(30).unwrap();
const COLUMNS: NonZeroU16 = NonZeroU16::new(200).unwrap();

/// `top` under a pty, and the screen it has drawn so far.
struct Top {
    session: PtySession,
    screen: vt100::Parser,
}

impl Top {
    /// Starts `cor4-proxy top --user USER` on the test database.
    fn start(user: &str) -> Top {
        // A fresh pty is 0×0; `stty` gives it a size before `top` asks.
        let script = format!("stty rows {ROWS} cols {COLUMNS} && exec \"$0\" \"$@\"");
        let mut command = Command::new("sh");
        command
            .args(["-c", &script])
            .arg(cor4_tests::binary("cor4-proxy"))
            .args(["top", "--interval", "0.2", "--user", user])
            .env("COR4_DATABASE_URL", test_database().url())
            .env("TERM", "xterm-256color");
        let options = Options::new().timeout_ms(Some(DEADLINE_MS));
        let session = spawn_with_options(command, options).expect("spawn top under a pty");
        Top {
            session,
            screen: vt100::Parser::new(ROWS, COLUMNS, 0),
        }
    }

    /// Feeds what `top` wrote since the last call to the emulator.
    fn pump(&mut self) {
        let mut bytes = Vec::new();
        // rexpect hands over each byte as the char of the same number.
        while let Some(c) = self.session.try_read() {
            bytes.push(u8::try_from(u32::from(c)).unwrap_or(b'?'));
        }
        self.screen.process(&bytes);
    }

    /// The screen's text now.
    fn text(&mut self) -> String {
        self.pump();
        self.screen.screen().contents()
    }

    /// Waits until the screen satisfies `ready`; returns its text.
    async fn wait_for(&mut self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if ready(&text) {
                return text;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the screen never showed {what}:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn press(&mut self, keys: &str) {
        self.session.send(keys).expect("send keys");
        self.session.flush().expect("flush keys");
    }

    /// Waits for the process to end; its exit status.
    async fn exit_status(&mut self) -> WaitStatus {
        let start = Instant::now();
        loop {
            self.pump();
            match self.session.process().status() {
                Some(WaitStatus::StillAlive) | None => {}
                Some(status) => return status,
            }
            assert!(start.elapsed() < DEADLINE, "top did not exit");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until what `top` wrote last has put the terminal back on its
    /// main screen.
    async fn wait_for_main_screen(&mut self) {
        let start = Instant::now();
        loop {
            self.pump();
            if !self.screen.screen().alternate_screen() {
                return;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the terminal was left on the alternate screen"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The live session of `user`, as every proxy's sync publishes it.
async fn live_session(user: &str) -> cor4_proxy::SessionRow {
    let store = store().await;
    let start = Instant::now();
    loop {
        let live = store.live_sessions().await.expect("live sessions");
        if let Some(row) = live.into_iter().find(|s| s.user == user) {
            return row;
        }
        assert!(start.elapsed() < DEADLINE, "{user}'s session is not listed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the server ends `client`'s session; the ERROR it gave.
async fn ended(client: &Client) -> cor4_protocol::client::Error {
    let start = Instant::now();
    loop {
        if let Err(e) = client.query_all("SELECT 1", &[]).await {
            return e;
        }
        assert!(start.elapsed() < DEADLINE, "the session was not ended");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn top_shows_a_session_and_ends_it_with_k_then_y() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("top").await;
    let client = connect(&proxy, &user, &password).await;
    client
        .query_all("SELECT 'seen by top' AS marker", &[])
        .await
        .expect("a query");
    let session = live_session(&user).await;

    let mut top = Top::start(&user);
    let text = top
        .wait_for("the session's user, address and query", |t| {
            t.contains(&user) && t.contains(&session.client) && t.contains("SELECT 'seen by top'")
        })
        .await;
    assert!(text.contains(&session.id), "{text}");
    assert!(
        text.contains("sessions: 1 of"),
        "--user shows only {user}:\n{text}"
    );
    assert!(top.screen.screen().alternate_screen());

    top.press("k");
    let question = format!(
        "kill session {} of {user} from {}? y/n",
        session.id, session.client
    );
    top.wait_for("the kill question", |t| t.contains(&question))
        .await;
    top.press("y");
    let error = ended(&client).await;
    assert_eq!(error.error_code(), Some(ErrorCode::SessionEnded), "{error}");
    let message = error.as_db_error().map(|e| e.message().to_owned());
    assert_eq!(
        message.as_deref(),
        Some("an operator ended this session"),
        "{error}"
    );
    top.wait_for("the session gone from the list", |t| {
        !t.contains(&session.client) && t.contains("sessions: 0 of")
    })
    .await;

    top.press("q");
    let status = top.exit_status().await;
    assert!(
        matches!(status, WaitStatus::Exited(_, 0)),
        "top ended with {status:?}"
    );
    top.wait_for_main_screen().await;
}
