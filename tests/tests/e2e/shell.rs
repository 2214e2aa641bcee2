//! The `cor4` shell interactively, under a pseudo-terminal (rexpect): what
//! a person at the keyboard sees. psql's prompts (`postgres=>`, `->`,
//! `'>`, `=*>`, `@` in a skipped `\if` branch), history recall across
//! restarts, a pasted block of statements, Tab completion of table and
//! schema-qualified names, `\timing`, `\x` and `\x auto`, `\gset`,
//! `\password`, `\e`, and Ctrl-C cancelling a running query while the
//! session goes on.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use rexpect::reader::Options;
use rexpect::session::{PtySession, spawn_with_options};

use super::*;

/// How long any one expectation may wait.
const TIMEOUT_MS: u64 = 20_000;

/// Up arrow, as an xterm sends it.
const UP: &str = "\x1b[A";

/// A proxy, a user, and a directory for the history file.
struct Shell {
    proxy: Proxy,
    user: String,
    password: String,
    dir: PathBuf,
    /// The database the proxy serves: psql's default prompt shows it.
    db: String,
}

impl Shell {
    async fn start() -> Shell {
        let proxy = Proxy::start(&[]);
        let (user, password) = new_user("shell").await;
        let dir = std::env::temp_dir().join(unique_name("cor4-shell"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let db = cor4_tests::test_database()
            .admin_config()
            .get_dbname()
            .unwrap_or("postgres")
            .to_owned();
        Shell {
            proxy,
            user,
            password,
            dir,
            db,
        }
    }

    /// psql's default prompt with `status` for `%R%x` (`=`, `-`, `'`,
    /// `=*`, `@` …).
    fn prompt(&self, status: &str) -> String {
        format!("{}{status}> ", self.db)
    }

    fn history_file(&self) -> PathBuf {
        self.dir.join("history")
    }

    /// `cor4` logged in with `password`, under a pty, waiting at its first
    /// prompt.
    fn spawn_with(&self, password: &str) -> Pty {
        self.spawn_sized(password, 80)
    }

    /// As [`spawn_with`](Self::spawn_with), on a terminal `columns` wide.
    fn spawn_sized(&self, password: &str, columns: u16) -> Pty {
        let addr = self.proxy.addr();
        let mut command = Command::new(cor4_tests::binary("cor4"));
        command
            .args(["-h", &addr.ip().to_string()])
            .args(["-p", &addr.port().to_string()])
            .args(["-U", &self.user])
            .env("COR4_PASSWORD", password)
            .env("COR4_HISTFILE", self.history_file())
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .env("PAGER", "")
            .env("COLUMNS", columns.to_string())
            // `\e` "edits" by turning 41 into 42.
            .env("EDITOR", "sed -i s/41/42/")
            .env_remove("COR4_EDITOR")
            .env_remove("VISUAL")
            .env_remove("COR4_HOST")
            .env_remove("COR4_PORT")
            .env_remove("COR4_USER");
        let options = Options::new()
            .timeout_ms(Some(TIMEOUT_MS))
            .strip_ansi_escape_codes(true);
        let session = spawn_with_options(command, options).expect("spawn cor4 under a pty");
        let mut pty = Pty {
            session,
            prompt: self.prompt("="),
        };
        pty.expect_prompt();
        pty
    }

    fn spawn(&self) -> Pty {
        self.spawn_with(&self.password)
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The shell under a pty, and the prompt it shows.
struct Pty {
    session: PtySession,
    prompt: String,
}

impl Pty {
    fn expect(&mut self, text: &str) -> String {
        match self.session.exp_string(text) {
            Ok(before) => before,
            Err(e) => panic!("expected {text:?}: {e}"),
        }
    }

    fn expect_prompt(&mut self) {
        let prompt = self.prompt.clone();
        self.expect(&prompt);
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).expect("send keys");
        self.session.flush().expect("flush keys");
    }

    fn line(&mut self, line: &str) {
        self.send(&format!("{line}\r"));
    }

    /// Ctrl-D at the prompt: the shell says `\q` and ends with status 0.
    fn eof(mut self) {
        self.session.send_control('d').expect("Ctrl-D");
        self.expect("\\q");
        self.wait_success();
    }

    fn wait_success(&mut self) {
        let status = self.session.process_mut().wait().expect("wait for cor4");
        assert!(
            matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
            "cor4 ended with {status:?}"
        );
    }

    /// `\q`, then the process ends with status 0.
    fn quit(mut self) {
        self.line("\\q");
        self.wait_success();
    }
}

#[tokio::test]
async fn history_recalls_a_query_after_restart() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.line("SELECT 'history-probe' AS probe;");
    pty.expect("history-probe");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.eof();

    let saved = std::fs::read_to_string(shell.history_file()).expect("history file");
    assert!(
        saved.contains("SELECT 'history-probe' AS probe;"),
        "history file: {saved:?}"
    );

    let mut pty = shell.spawn();
    pty.send(UP);
    pty.expect("SELECT 'history-probe' AS probe;");
    pty.send("\r");
    pty.expect("probe");
    pty.expect("history-probe");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn multi_line_statement_uses_the_continuation_prompt() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    let continuation = shell.prompt("-");
    pty.line("SELECT");
    pty.expect(&continuation);
    pty.line("40 + 2 AS answer");
    pty.expect(&continuation);
    pty.line(";");
    pty.expect("answer");
    pty.expect("42");
    pty.expect("(1 row)");
    pty.expect_prompt();
    // An open quote shows in the prompt, as psql's `'>`.
    pty.line("SELECT 'a;");
    pty.expect(&shell.prompt("'"));
    pty.line("b' AS text;");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn tab_completes_a_table_name() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.line("CREATE TABLE completion_target_xyz (id int);");
    pty.expect("CREATE TABLE");
    pty.expect_prompt();
    pty.send("SELECT * FROM completion_t");
    pty.send("\t");
    pty.expect("completion_target_xyz");
    // The completed name is a real table: the query runs.
    pty.send(";\r");
    pty.expect("(0 rows)");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn timing_prints_the_duration() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.line("\\timing");
    pty.expect("Timing is on.");
    pty.line("SELECT 1 AS one;");
    pty.expect("(1 row)");
    pty.session
        .exp_regex(r"Time: \d+\.\d{3} ms")
        .expect("a Time: line");
    pty.expect_prompt();
    pty.line("\\timing off");
    pty.expect("Timing is off.");
    pty.quit();
}

#[tokio::test]
async fn expanded_output_shows_records() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.line("\\x");
    pty.expect("Expanded display is on.");
    pty.line("SELECT 1 AS a, 'two' AS b;");
    pty.expect("-[ RECORD 1 ]");
    pty.expect("a | 1");
    pty.expect("b | two");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn password_is_asked_twice_and_works_at_next_login() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();

    // Too short: refused before anything is sent.
    pty.line("\\password");
    pty.expect(&format!("Enter new password for user \"{}\": ", shell.user));
    pty.line("short");
    pty.expect("Enter it again: ");
    pty.line("short");
    pty.expect("at least 8 characters");
    pty.expect_prompt();

    // Two different entries: refused.
    pty.line("\\password");
    pty.expect("Enter new password");
    pty.line("first-long-password");
    pty.expect("Enter it again: ");
    pty.line("second-long-password");
    pty.expect("Passwords didn't match.");
    pty.expect_prompt();

    let new_password = "a-new-shell-password";
    pty.line("\\password");
    pty.expect("Enter new password");
    pty.line(new_password);
    pty.expect("Enter it again: ");
    pty.line(new_password);
    pty.expect_prompt();
    // This session goes on with its keys.
    pty.line("SELECT 'still here' AS s;");
    pty.expect("still here");
    pty.expect_prompt();
    pty.quit();

    let mut pty = shell.spawn_with(new_password);
    pty.line("SELECT 'logged in again' AS relogin;");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn ctrl_c_cancels_a_running_query_and_the_session_goes_on() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();

    // At the prompt, Ctrl-C drops the line.
    pty.send("SELECT broken garbage");
    pty.session.send_control('c').expect("Ctrl-C");
    pty.expect_prompt();

    pty.line("SELECT pg_sleep(60);");
    // Wait until the query runs on the server, then interrupt it.
    wait_for_sleeping_query(&shell.user).await;
    pty.session.send_control('c').expect("Ctrl-C");
    pty.expect("Cancel request sent");
    pty.expect("ERROR:  canceling statement due to user request");
    pty.expect_prompt();

    pty.line("SELECT 42 AS answer;");
    pty.expect("42");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn prompt_shows_the_transaction_state() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.line("BEGIN;");
    pty.expect(&shell.prompt("=*"));
    pty.line("SELECT 1/0;");
    pty.expect("division by zero");
    pty.expect(&shell.prompt("=!"));
    pty.line("ROLLBACK;");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn edit_reruns_the_edited_query() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.line("SELECT 41 AS edited;");
    pty.expect("41");
    pty.expect_prompt();
    pty.line("\\e");
    pty.expect("edited");
    pty.expect("42");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.quit();
}

/// Waits until a `pg_sleep` of `user`'s session is running on the server.
async fn wait_for_sleeping_query(user: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let admin = cor4_tests::test_database().admin_config().clone();
    let (client, connection) = admin
        .connect(tokio_postgres::NoTls)
        .await
        .expect("admin connection");
    tokio::spawn(connection);
    loop {
        let rows = client
            .query(
                "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND state = 'active' AND usename <> current_user",
                &[],
            )
            .await
            .expect("pg_stat_activity");
        if !rows.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "{user}'s query never started");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_pasted_block_runs_every_statement_in_order() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    // 20 statements over 50 lines, some split across lines, some sharing
    // one, pasted at once (bracketed paste, as a terminal sends it).
    let mut block = String::new();
    for i in 1..=20 {
        match i % 3 {
            0 => block.push_str(&format!("SELECT\n  'paste-{i:02}'\n  AS step;\n")),
            1 => block.push_str(&format!("SELECT 'paste-{i:02}' AS step;\n\n")),
            _ => block.push_str(&format!("SELECT 'paste-{i:02}'\nAS step;\n")),
        }
    }
    while block.lines().count() < 50 {
        block.push_str("-- padding\n");
    }
    pty.send(&format!("\x1b[200~{}\x1b[201~", block.replace('\n', "\r")));
    // The paste is on the line; Enter sends it.
    pty.send("\r");
    for i in 1..=20 {
        pty.expect(&format!("paste-{i:02}"));
        pty.expect("(1 row)");
    }
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn skipped_if_branches_show_in_the_prompt() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.line("\\if false");
    pty.expect(&shell.prompt("@"));
    pty.line("SELECT 'never' AS x;");
    pty.expect("query ignored; use \\endif or Ctrl-C to exit current \\if block");
    pty.expect(&shell.prompt("@"));
    pty.line("\\else");
    pty.expect_prompt();
    pty.line("SELECT 'in else' AS x;");
    pty.expect("in else");
    pty.expect_prompt();
    pty.line("\\endif");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn gset_variables_interpolate_into_later_statements() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.line("SELECT 6 * 7 AS answer, 'a b' AS words \\gset");
    pty.expect_prompt();
    pty.line("SELECT :answer + 1 AS next, :'words' AS w;");
    pty.expect("43");
    pty.expect("a b");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn expanded_auto_switches_on_a_narrow_terminal() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn_sized(&shell.password, 30);
    pty.line("\\x auto");
    pty.expect("Expanded display is used automatically.");
    pty.line("SELECT 1 AS a;");
    pty.expect(" a \r\n");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.line("SELECT repeat('w', 40) AS wide, 2 AS b;");
    pty.expect("-[ RECORD 1 ]");
    pty.expect("b    | 2");
    pty.expect_prompt();
    pty.quit();
}

#[tokio::test]
async fn tab_completes_schema_qualified_names() {
    let shell = Shell::start().await;
    let mut pty = shell.spawn();
    pty.send("SELECT count(*) > 0 AS has FROM pg_cat");
    pty.send("\t");
    pty.expect("pg_catalog.");
    pty.send("pg_clas");
    pty.send("\t");
    pty.expect("pg_catalog.pg_class");
    pty.send(";\r");
    pty.expect("(1 row)");
    pty.expect_prompt();
    pty.quit();
}
