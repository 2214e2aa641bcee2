//! Where the main loop's lines come from: a script (`-f FILE`, `\i FILE`,
//! standard input) or the terminal, through rustyline with history and
//! completion.
//!
//! A terminal line may hold several lines at once (a bracketed paste):
//! they are handed out one by one, in order, so every statement of a
//! paste runs. While rustyline waits for a key, the completer's catalog
//! requests are served through the session.

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::PathBuf;

use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::{FileHistory, History};
use rustyline::{ColorMode, Editor};
use tokio::sync::mpsc;

use crate::copy::CopySource;
use crate::helper::{CATALOG_SQL, Catalog, CatalogCache, CatalogRequest, SqlHelper};
use crate::shell::Shell;

/// One read from a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line, without its line ending.
    Text(String),
    /// Ctrl-C at the prompt.
    Interrupted,
    /// The end of the input (Ctrl-D on a terminal).
    Eof,
}

/// A script being read line by line.
pub struct ScriptSource {
    reader: Box<dyn BufRead + Send>,
    /// The name for messages (`None`: messages carry no location).
    pub name: Option<String>,
    /// Lines read so far.
    pub line: usize,
}

impl ScriptSource {
    /// A script read from `reader`, named `name` in messages.
    pub fn new(reader: Box<dyn BufRead + Send>, name: Option<String>) -> Self {
        ScriptSource {
            reader,
            name,
            line: 0,
        }
    }
}

/// The terminal.
pub struct TerminalSource {
    editor: Option<ShellEditor>,
    requests: mpsc::UnboundedReceiver<CatalogRequest>,
    /// Lines of a paste not yet handed out.
    pending: VecDeque<String>,
    history: Option<PathBuf>,
    /// The catalog snapshot for completion.
    pub cache: CatalogCache,
    /// Lines of the statement under way, for one history entry.
    history_buf: String,
    /// Text put back in the editor for the next line (after `\e`).
    pub initial: String,
    /// `HISTCONTROL`: `ignorespace`, `ignoredups`, `ignoreboth` or `none`.
    pub histcontrol: String,
}

/// A source of lines.
pub enum Source {
    /// A script.
    Script(ScriptSource),
    /// The terminal.
    Terminal(Box<TerminalSource>),
}

type ShellEditor = Editor<SqlHelper, FileHistory>;

/// The environment variable naming the history file when `HISTFILE` is
/// not set.
pub const HISTFILE_VAR: &str = "COR4_HISTFILE";

/// The history file: the `HISTFILE` variable, `COR4_HISTFILE`, else
/// `~/.cor4_history`.
pub fn history_path(histfile: Option<&str>) -> Option<PathBuf> {
    if let Some(path) = histfile.filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    if let Some(path) = std::env::var_os(HISTFILE_VAR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(".cor4_history"))
}

impl TerminalSource {
    /// The terminal, with history loaded from `histfile` (or the
    /// default) and `histsize` entries kept.
    pub fn new(histfile: Option<&str>, histsize: usize) -> Result<Self, String> {
        let (tx, requests) = mpsc::unbounded_channel();
        let cache = CatalogCache::default();
        let config = Config::builder()
            .max_history_size(histsize.max(1))
            .map_err(|e| e.to_string())?
            .history_ignore_dups(false)
            .map_err(|e| e.to_string())?
            .auto_add_history(false)
            .completion_type(CompletionType::List)
            .color_mode(ColorMode::Enabled)
            .build();
        let color = std::env::var_os("NO_COLOR").is_none()
            && std::env::var("TERM").map_or(true, |t| t != "dumb");
        let mut editor = ShellEditor::with_config(config).map_err(|e| e.to_string())?;
        editor.set_helper(Some(SqlHelper::new(tx, cache.clone(), color)));
        let history = history_path(histfile);
        if let Some(path) = &history {
            let _ = editor.load_history(path);
        }
        Ok(TerminalSource {
            editor: Some(editor),
            requests,
            pending: VecDeque::new(),
            history,
            cache,
            history_buf: String::new(),
            initial: String::new(),
            histcontrol: String::new(),
        })
    }

    /// Adds a line to the statement's pending history entry.
    pub fn append_history(&mut self, line: &str) {
        if !self.history_buf.is_empty() {
            self.history_buf.push('\n');
        }
        self.history_buf.push_str(line);
    }

    /// The history, one entry per line (`\s`).
    pub fn history_text(&self) -> String {
        let Some(editor) = self.editor.as_ref() else {
            return String::new();
        };
        let mut text = String::new();
        for entry in editor.history().iter() {
            text.push_str(entry);
            text.push('\n');
        }
        text
    }

    /// Writes the pending history entry (psql's `pg_send_history`).
    pub fn send_history(&mut self) {
        let entry = std::mem::take(&mut self.history_buf);
        let entry = entry.trim_end();
        if entry.is_empty() {
            return;
        }
        let control = self.histcontrol.to_ascii_lowercase();
        let spaces = matches!(control.as_str(), "ignorespace" | "ignoreboth");
        let dups = matches!(control.as_str(), "ignoredups" | "ignoreboth");
        if spaces && entry.starts_with(' ') {
            return;
        }
        if dups
            && let Some(editor) = self.editor.as_ref()
            && editor
                .history()
                .iter()
                .last()
                .is_some_and(|last| last == entry)
        {
            return;
        }
        if let Some(editor) = self.editor.as_mut()
            && editor.history_mut().add(entry).unwrap_or(false)
            && let Some(path) = &self.history
        {
            // Written as it is added, so a killed shell keeps it.
            let _ = editor.append_history(path);
        }
    }

    async fn next_line(&mut self, shell: &mut Shell, prompt: &str) -> Result<Line, String> {
        if let Some(line) = self.pending.pop_front() {
            return Ok(Line::Text(line));
        }
        let Some(mut editor) = self.editor.take() else {
            return Err("the line editor failed".to_owned());
        };
        let prompt = prompt.to_owned();
        let initial = std::mem::take(&mut self.initial);
        let mut reading = tokio::task::spawn_blocking(move || {
            let line = editor.readline_with_initial(&prompt, (&initial, ""));
            (editor, line)
        });
        let joined = loop {
            tokio::select! {
                joined = &mut reading => break joined,
                Some(request) = self.requests.recv() => {
                    let catalog = load_catalog(shell).await;
                    let _ = request.reply.send(catalog);
                }
            }
        };
        let (editor, result) = joined.map_err(|e| e.to_string())?;
        self.editor = Some(editor);
        match result {
            Ok(text) => {
                // A paste arrives as one text with line breaks in it.
                let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
                let first = lines.next().unwrap_or_default().to_owned();
                self.pending.extend(lines.map(str::to_owned));
                Ok(Line::Text(first))
            }
            Err(ReadlineError::Interrupted) => Ok(Line::Interrupted),
            Err(ReadlineError::Eof) => Ok(Line::Eof),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Reads the catalog for completion through the session.
async fn load_catalog(shell: &mut Shell) -> Option<std::sync::Arc<Catalog>> {
    // In a failed transaction every query fails; do not add to the noise.
    if shell.client.transaction_status() == cor4_protocol::packet::TransactionStatus::Failed {
        return None;
    }
    let rows = shell.client.query_all(CATALOG_SQL, &[]).await.ok()?;
    let pairs = rows.iter().filter_map(|row| {
        let kind = row.try_get::<_, String>(0).ok()?;
        let name = row.try_get::<_, String>(1).ok()?;
        Some((kind, name))
    });
    Some(std::sync::Arc::new(Catalog::from_rows(pairs)))
}

impl Source {
    /// Whether this is the terminal (psql's `cur_cmd_interactive`).
    pub fn interactive(&self) -> bool {
        matches!(self, Source::Terminal(_))
    }

    /// The next line; `prompt` shows on a terminal.
    pub async fn next_line(&mut self, shell: &mut Shell, prompt: &str) -> Result<Line, String> {
        match self {
            Source::Script(s) => {
                let mut bytes = Vec::new();
                match s.reader.read_until(b'\n', &mut bytes) {
                    Ok(0) => Ok(Line::Eof),
                    Ok(_) => {
                        s.line += 1;
                        if bytes.last() == Some(&b'\n') {
                            bytes.pop();
                        }
                        Ok(Line::Text(String::from_utf8_lossy(&bytes).into_owned()))
                    }
                    Err(e) => Err(crate::output::os_reason(&e)),
                }
            }
            Source::Terminal(t) => t.next_line(shell, prompt).await,
        }
    }

    /// Where `COPY … FROM STDIN` reads: the script's next lines, or the
    /// terminal (with `prompt` before each line).
    pub fn copy_source(&mut self, prompt: String) -> CopySource<'_> {
        match self {
            Source::Script(s) => CopySource::Script {
                input: &mut s.reader,
                line: &mut s.line,
            },
            Source::Terminal(_) => CopySource::Stdin(prompt),
        }
    }

    /// The script's name and the line read last, for messages.
    pub fn location(&self) -> crate::shell::Location {
        match self {
            Source::Script(s) => crate::shell::Location {
                file: s.name.clone(),
                line: s.line,
                terse: s.name.is_none(),
            },
            Source::Terminal(_) => crate::shell::Location {
                terse: true,
                ..crate::shell::Location::default()
            },
        }
    }

    /// The terminal, when this is one.
    pub fn terminal(&mut self) -> Option<&mut TerminalSource> {
        match self {
            Source::Terminal(t) => Some(t),
            Source::Script(_) => None,
        }
    }
}
