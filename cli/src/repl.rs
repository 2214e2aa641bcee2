//! The interactive shell: psql's read-a-line loop over rustyline.
//!
//! ```text
//!  loop ─ prompt `user@host=>` (`->` `'>` `(>` … while a statement is open,
//!  │       `=*>` in a transaction, `=!>` in a failed one)
//!  ├─ readline on a blocking thread ◀─▶ catalog requests served meanwhile
//!  ├─ `\cmd` outside a statement ─▶ command::execute (with the query buffer)
//!  └─ SQL ─▶ buffer ─ split::scan ─▶ each complete statement:
//!            run_cancellable (Ctrl-C ─▶ CANCEL) ─▶ history entry,
//!            catalog dropped after DDL
//! ```
//!
//! Ctrl-C at the prompt clears the line and the query buffer; Ctrl-D
//! leaves. History lives in `~/.cor4_history` (`COR4_HISTFILE` overrides),
//! one entry per statement as psql keeps it, written as it is added.

use std::path::PathBuf;

use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::{FileHistory, History};
use rustyline::{ColorMode, Editor};
use tokio::sync::mpsc;

use cor4_protocol::packet::TransactionStatus;

use crate::command::{CommandOutcome, QueryBuffer, execute, run_cancellable};
use crate::helper::{
    CATALOG_SQL, Catalog, CatalogCache, CatalogRequest, SqlHelper, changes_catalog,
};
use crate::session::{Session, StatementError};
use crate::split::{self, Open};

/// The environment variable naming the history file.
pub const HISTFILE_VAR: &str = "COR4_HISTFILE";

/// `COR4_HISTFILE`, else `~/.cor4_history`; `None` without a home.
pub fn history_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(HISTFILE_VAR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(".cor4_history"))
}

/// psql's prompt: `user@host=>`; the `=` becomes what is open (`-`, `'`,
/// `"`, `*`, `$`, `(`) on continuation lines, and `*` / `!` follow it in a
/// transaction / a failed transaction.
pub fn prompt(user: &str, host: &str, open: Option<Open>, status: TransactionStatus) -> String {
    let state = open.map_or('=', Open::prompt_char);
    let transaction = match status {
        TransactionStatus::Idle => "",
        TransactionStatus::InTransaction => "*",
        TransactionStatus::Failed => "!",
    };
    format!("{user}@{host}{state}{transaction}> ")
}

type ShellEditor = Editor<SqlHelper, FileHistory>;

fn editor(
    requests: mpsc::UnboundedSender<CatalogRequest>,
    cache: CatalogCache,
) -> rustyline::Result<ShellEditor> {
    let config = Config::builder()
        .max_history_size(2000)?
        .history_ignore_dups(true)?
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .color_mode(ColorMode::Enabled)
        .build();
    let color = std::env::var_os("NO_COLOR").is_none()
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    let mut editor = ShellEditor::with_config(config)?;
    editor.set_helper(Some(SqlHelper::new(requests, cache, color)));
    Ok(editor)
}

/// Reads the catalog for completion through the session.
async fn load_catalog(session: &mut Session) -> Option<std::sync::Arc<Catalog>> {
    // In a failed transaction every query fails; do not add to the noise.
    if session.transaction_status() == TransactionStatus::Failed {
        return None;
    }
    let rows = session.client().query_all(CATALOG_SQL, &[]).await.ok()?;
    let pairs = rows.iter().filter_map(|row| {
        let kind = row.try_get::<_, String>(0).ok()?;
        let name = row.try_get::<_, String>(1).ok()?;
        Some((kind, name))
    });
    Some(std::sync::Arc::new(Catalog::from_rows(pairs)))
}

/// One line from the editor, or why there is none.
enum Input {
    Line(String),
    Interrupted,
    Eof,
}

/// Reads a line on a blocking thread (rustyline blocks), answering the
/// completer's catalog requests while waiting.
async fn read_line(
    session: &mut Session,
    editor: ShellEditor,
    prompt: String,
    initial: String,
    requests: &mut mpsc::UnboundedReceiver<CatalogRequest>,
) -> (Option<ShellEditor>, Result<Input, String>) {
    let mut editor = editor;
    let mut reading = tokio::task::spawn_blocking(move || {
        let line = editor.readline_with_initial(&prompt, (&initial, ""));
        (editor, line)
    });
    let joined = loop {
        tokio::select! {
            joined = &mut reading => break joined,
            Some(request) = requests.recv() => {
                let catalog = load_catalog(session).await;
                let _ = request.reply.send(catalog);
            }
        }
    };
    match joined {
        Ok((editor, Ok(line))) => (Some(editor), Ok(Input::Line(line))),
        Ok((editor, Err(ReadlineError::Interrupted))) => (Some(editor), Ok(Input::Interrupted)),
        Ok((editor, Err(ReadlineError::Eof))) => (Some(editor), Ok(Input::Eof)),
        Ok((editor, Err(e))) => (Some(editor), Err(e.to_string())),
        Err(e) => (None, Err(e.to_string())),
    }
}

/// The shell's state between lines.
struct Repl {
    buffer: QueryBuffer,
    /// The lines of the statement under way, as typed: its history entry.
    typed: String,
    history: Option<PathBuf>,
    cache: CatalogCache,
    /// Text put back in the editor for the next line (after `\e`).
    initial: String,
}

impl Repl {
    fn remember(&mut self, editor: &mut ShellEditor, entry: &str) {
        let entry = entry.trim_end();
        if entry.is_empty() {
            return;
        }
        if editor.history_mut().add(entry).unwrap_or(false) {
            if let Some(path) = &self.history {
                // Written as it is added, so a killed shell keeps it.
                let _ = editor.append_history(path);
            }
        }
    }

    /// Sends the buffer's complete statements; keeps the rest. Returns
    /// `false` when the connection is gone for good.
    async fn run_complete(&mut self, session: &mut Session, editor: &mut ShellEditor) -> bool {
        let scan = split::scan(&self.buffer.current);
        if scan.statements.is_empty() {
            return true;
        }
        self.buffer.current = scan.remainder;
        if self.buffer.current.is_empty() {
            let typed = std::mem::take(&mut self.typed);
            self.remember(editor, &typed);
        }
        for statement in scan.statements {
            self.buffer.last = Some(statement.clone());
            let (result, interrupted) = run_cancellable(session, &statement).await;
            if interrupted {
                eprintln!("Cancel request sent");
            }
            if changes_catalog(&statement) {
                self.cache.invalidate();
            }
            if let Err(StatementError::ConnectionLost(_)) = result {
                eprint!("The connection to the server was lost. Attempting reset: ");
                match session.reconnect().await {
                    Ok(()) => {
                        eprintln!("Succeeded.");
                        self.buffer.current.clear();
                        self.typed.clear();
                        return true;
                    }
                    Err(e) => {
                        eprintln!("Failed.\ncor4: error: {e}");
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// Runs the interactive shell until `\q` or Ctrl-D; returns the exit code
/// (0, or 2 when the connection was lost and could not be made again).
pub async fn run(session: &mut Session) -> u8 {
    // From here on SIGINT cancels queries instead of ending the process
    // (at the prompt the terminal is raw and Ctrl-C is a key).
    let _sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
    let (requests_tx, mut requests) = mpsc::unbounded_channel();
    let cache = CatalogCache::default();
    let mut editor = match editor(requests_tx, cache.clone()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cor4: error: cannot start the line editor: {e}");
            return 1;
        }
    };
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    let mut repl = Repl {
        buffer: QueryBuffer::default(),
        typed: String::new(),
        history,
        cache,
        initial: String::new(),
    };
    if !session.settings().quiet {
        println!(
            "cor4 {} (protocol Cor4 v2)\nType \"\\?\" for help.\n",
            env!("CARGO_PKG_VERSION")
        );
    }
    loop {
        let info = session.conn_info().clone();
        let open = (!repl.buffer.current.trim().is_empty())
            .then(|| split::scan(&repl.buffer.current).open);
        let prompt = prompt(&info.user, &info.host, open, session.transaction_status());
        let initial = std::mem::take(&mut repl.initial);
        let (back, input) = read_line(session, editor, prompt, initial, &mut requests).await;
        let Some(back) = back else {
            eprintln!("cor4: error: the line editor failed");
            return 1;
        };
        editor = back;
        let line = match input {
            Ok(Input::Line(line)) => line,
            Ok(Input::Interrupted) => {
                // psql: Ctrl-C at the prompt drops the query buffer.
                repl.buffer.current.clear();
                repl.typed.clear();
                continue;
            }
            Ok(Input::Eof) => {
                println!("\\q");
                return 0;
            }
            Err(e) => {
                eprintln!("cor4: error: {e}");
                return 1;
            }
        };
        let open = split::scan(&repl.buffer.current).open;
        if line.trim_start().starts_with('\\') && open == Open::Nothing {
            let pending = !repl.buffer.current.trim().is_empty();
            let typed = if pending {
                format!("{}{}", repl.typed, line.trim())
            } else {
                line.trim().to_owned()
            };
            // `\q` is left out: after a restart, Up should bring back work.
            if !matches!(line.trim(), "\\q" | "\\quit") {
                repl.remember(&mut editor, &typed);
            }
            repl.typed.clear();
            repl.buffer.current = repl.buffer.current.trim_end().to_owned();
            match execute(session, line.trim(), &mut repl.buffer).await {
                CommandOutcome::Quit => return 0,
                CommandOutcome::Continue | CommandOutcome::Failed => {}
            }
            if repl.buffer.edited {
                repl.buffer.edited = false;
                let edited = std::mem::take(&mut repl.buffer.current);
                let scan = split::scan(&edited);
                if !scan.statements.is_empty() {
                    repl.buffer.current = format!("{edited}\n");
                    repl.typed = edited.clone();
                    if !repl.run_complete(session, &mut editor).await {
                        return 2;
                    }
                    repl.buffer.current.clear();
                    repl.initial = scan.remainder.trim_end().to_owned();
                } else {
                    repl.initial = edited;
                }
            } else if !repl.buffer.current.is_empty() {
                repl.buffer.current.push('\n');
            }
            continue;
        }
        if repl.buffer.current.trim().is_empty() && line.trim().is_empty() {
            repl.buffer.current.clear();
            continue;
        }
        repl.buffer.current.push_str(&line);
        repl.buffer.current.push('\n');
        repl.typed.push_str(&line);
        repl.typed.push('\n');
        if !repl.run_complete(session, &mut editor).await {
            return 2;
        }
        if repl.buffer.current.trim().is_empty() {
            repl.buffer.current.clear();
            repl.typed.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_follows_psql() {
        let idle = TransactionStatus::Idle;
        assert_eq!(prompt("alice", "db", None, idle), "alice@db=> ");
        assert_eq!(
            prompt("alice", "db", Some(Open::Nothing), idle),
            "alice@db-> "
        );
        assert_eq!(
            prompt("alice", "db", Some(Open::SingleQuote), idle),
            "alice@db'> "
        );
        assert_eq!(
            prompt("alice", "db", None, TransactionStatus::InTransaction),
            "alice@db=*> "
        );
        assert_eq!(
            prompt("alice", "db", Some(Open::Paren), TransactionStatus::Failed),
            "alice@db(!> "
        );
    }
}
