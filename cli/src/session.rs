//! A logged-in shell session: the client, the output settings, where output
//! goes, and [`Session::run_sql`], which sends SQL and prints every answer
//! the way psql does.
//!
//! ```text
//!  run_sql(text) ─QUERY─▶ proxy
//!        ◀─ Columns ─ Row… ─ ResultEnd ─ Command ─ Notice ─ Error ─ Ready
//!            │        │ (batches of fetch_count) │        │        │
//!            ▼        ▼                          ▼        ▼        ▼
//!        ResultWriter ──▶ output (stdout, `\o` file, pager)   stderr
//! ```
//!
//! This is the interface the REPL, the meta-commands and the script runner
//! build on; the renderers in [`crate::render`] do the formatting.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::time::Instant;

use cor4_protocol::client::{CancelHandle, Client, Config, Error, Message, Row};
use cor4_protocol::packet::TransactionStatus;

use crate::copy::CopySource;
use crate::render::error::{write_error, write_notice};
use crate::render::pager::{PagerGate, pager_command, terminal_height};
use crate::render::{Heading, ResultWriter, tag_follows_rows, timing_line};
use crate::settings::{Format, Settings};

/// Why [`Session::run_sql`] failed. The error was already printed.
#[derive(Debug)]
pub enum StatementError {
    /// A statement failed on the server (its error is printed); the session
    /// is usable.
    Sql,
    /// The connection is gone: reconnect ([`Session::reconnect`]) or end.
    ConnectionLost(Error),
    /// Writing the output failed (a closed pipe, a full disk); the query's
    /// remaining answers were read and dropped, the session is usable.
    Output(std::io::Error),
}

impl StatementError {
    /// Whether the session cannot go on without reconnecting.
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, StatementError::ConnectionLost(_))
    }
}

impl std::fmt::Display for StatementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatementError::Sql => f.write_str("a statement failed"),
            StatementError::ConnectionLost(e) => write!(f, "connection lost: {e}"),
            StatementError::Output(e) => write!(f, "could not write output: {e}"),
        }
    }
}

impl std::error::Error for StatementError {}

/// Where the session is connected, for `\conninfo` and the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnInfo {
    /// The host as the user gave it (`-h`).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The user name.
    pub user: String,
    /// The proxy's socket address.
    pub addr: SocketAddr,
}

/// A logged-in session and how it prints.
pub struct Session {
    client: Client,
    config: Config,
    settings: Settings,
    out: Box<dyn Write + Send>,
    /// Whether `out` is this process's stdout and a terminal (so a pager may
    /// be used).
    out_is_terminal: bool,
    /// Whether `out` is this process's stdout (no `\o FILE`).
    out_is_stdout: bool,
    info: ConnInfo,
    /// Put before error and notice lines: `cor4:file.sql:3: ` in scripts.
    location: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("info", &self.info)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session over a logged-in client; `config` is kept to reconnect.
    /// Output goes to stdout.
    pub fn new(client: Client, config: Config, settings: Settings) -> Self {
        let info = ConnInfo {
            host: config.host().to_owned(),
            port: config.port(),
            user: config.user().to_owned(),
            addr: client.peer_addr(),
        };
        Session {
            client,
            config,
            settings,
            out: stdout(),
            out_is_terminal: std::io::stdout().is_terminal(),
            out_is_stdout: true,
            info,
            location: String::new(),
        }
    }

    /// The output settings, to read or change (`\x`, `\pset`, `\timing`).
    pub fn settings(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// Sends results somewhere else (`\o FILE`); a pager is never used for
    /// it.
    pub fn set_output(&mut self, w: Box<dyn Write + Send>) {
        let _ = self.out.flush();
        self.out = w;
        self.out_is_terminal = false;
        self.out_is_stdout = false;
    }

    /// Whether query output goes to this process's stdout (no `\o FILE`).
    pub fn output_is_stdout(&self) -> bool {
        self.out_is_stdout
    }

    /// Sends results to stdout again (`\o` without a file).
    pub fn reset_output(&mut self) {
        let _ = self.out.flush();
        self.out = stdout();
        self.out_is_terminal = std::io::stdout().is_terminal();
        self.out_is_stdout = true;
    }

    /// Where results are written (for meta-commands that print, like `\d`).
    pub fn output(&mut self) -> &mut (dyn Write + Send) {
        &mut *self.out
    }

    /// The client, for requests other than SQL text (`\password`).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// A handle that cancels the running query from another task (Ctrl-C).
    pub fn cancel_handle(&self) -> CancelHandle {
        self.client.cancel_handle()
    }

    /// Host, port, user and the proxy's address.
    pub fn conn_info(&self) -> &ConnInfo {
        &self.info
    }

    /// The transaction status after the last statement (for the prompt's
    /// `*` / `!`).
    pub fn transaction_status(&self) -> TransactionStatus {
        self.client.transaction_status()
    }

    /// Sets what goes before printed errors and notices: psql's
    /// `psql:FILE:LINE: ` while running a script file; empty otherwise.
    pub fn set_location(&mut self, prefix: impl Into<String>) {
        self.location = prefix.into();
    }

    /// The current error prefix (see [`set_location`](Self::set_location)).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Logs in again with the same settings (after a lost connection, or
    /// to check a new password).
    pub async fn reconnect(&mut self) -> Result<(), Error> {
        let client = crate::connect::login(&self.config).await?;
        self.info.addr = client.peer_addr();
        self.client = client;
        Ok(())
    }

    /// Replaces the password used by [`reconnect`](Self::reconnect).
    pub fn set_password(&mut self, password: &str) {
        self.config = Config::new(&self.info.host, self.info.port, &self.info.user, password);
    }

    /// Sends `sql` as one QUERY (it may hold several statements) and prints
    /// every answer as psql does: each result in the current format, command
    /// tags, notices and errors (to stderr), COPY data, then `Time: …` when
    /// timing is on. `COPY … FROM STDIN` reads standard input. Returns `Err`
    /// when a statement failed or the connection broke.
    pub async fn run_sql(&mut self, sql: &str) -> Result<(), StatementError> {
        self.run_sql_with(sql, CopySource::Stdin, None).await
    }

    /// [`run_sql`](Self::run_sql), with `COPY … FROM STDIN` data taken
    /// from `copy` (the script's next lines, a file).
    pub async fn run_sql_from(
        &mut self,
        sql: &str,
        copy: CopySource<'_>,
    ) -> Result<(), StatementError> {
        self.run_sql_with(sql, copy, None).await
    }

    /// [`run_sql`](Self::run_sql) with where COPY data comes from and, for
    /// `COPY … TO STDOUT`, goes to (`None`: the query output, and then no
    /// `COPY n` tag is printed, as psql prints none after data in the same
    /// place).
    pub async fn run_sql_with(
        &mut self,
        sql: &str,
        mut copy: CopySource<'_>,
        mut copy_target: Option<&mut dyn Write>,
    ) -> Result<(), StatementError> {
        let started = Instant::now();
        let Session {
            client,
            settings,
            out,
            out_is_terminal,
            location,
            ..
        } = self;
        let mut stream = match client.simple_query(sql).await {
            Ok(s) => s,
            Err(e) => return Err(lost(e)),
        };
        let page = *out_is_terminal && settings.pager && settings.format == Format::Aligned;
        let mut sink = Sink::new(out.as_mut(), page);
        let mut result: Option<(ResultWriter, Vec<Row>)> = None;
        let mut failed = false;
        let mut write_error_seen: Option<std::io::Error> = None;
        let print_tags = !settings.quiet && settings.format != Format::Json;
        // A COPY TO STDOUT printed its data: psql prints no tag after it.
        let mut copied_out = false;
        loop {
            let msg = match stream.next().await {
                None => break,
                Some(Ok(m)) => m,
                Some(Err(e)) => {
                    let _ = sink.finish();
                    return Err(lost(e));
                }
            };
            let written = match msg {
                Message::Columns(columns) => {
                    let writer = ResultWriter::new(settings, Heading::from_columns(&columns));
                    result = Some((writer, Vec::with_capacity(settings.fetch_count.min(4096))));
                    Ok(())
                }
                Message::Row(row) => match result.as_mut() {
                    Some((writer, batch)) => {
                        batch.push(row);
                        if batch.len() >= settings.fetch_count.max(1) {
                            let w = writer.write_rows(&mut sink, batch);
                            batch.clear();
                            w
                        } else {
                            Ok(())
                        }
                    }
                    None => Ok(()),
                },
                Message::ResultEnd { tag, .. } => match result.take() {
                    Some((mut writer, batch)) => writer
                        .write_rows(&mut sink, &batch)
                        .and_then(|()| writer.finish(&mut sink))
                        .and_then(|()| {
                            if print_tags && tag_follows_rows(&tag) {
                                writeln!(sink, "{tag}")
                            } else {
                                Ok(())
                            }
                        }),
                    None => Ok(()),
                },
                Message::Command { tag, .. } => {
                    if print_tags && !tag.is_empty() && !std::mem::take(&mut copied_out) {
                        writeln!(sink, "{tag}")
                    } else {
                        Ok(())
                    }
                }
                Message::CopyIn(layout) => {
                    let _ = sink.flush();
                    let fed = crate::copy::feed(&stream, &layout, &mut copy).await;
                    if let Some(here) = copy.location() {
                        *location = here;
                    }
                    match fed {
                        Ok(()) => Ok(()),
                        Err(crate::copy::FeedError::Read(e)) => {
                            eprintln!("{location}cor4: error: could not read COPY data: {e}");
                            Ok(())
                        }
                        Err(crate::copy::FeedError::Connection(e)) => {
                            let _ = sink.finish();
                            return Err(lost(e));
                        }
                    }
                }
                Message::CopyOut(_) => {
                    copied_out = copy_target.is_none();
                    Ok(())
                }
                Message::CopyData(data) => match copy_target.as_deref_mut() {
                    Some(target) => target.write_all(&data),
                    None => sink.write_all(&data),
                },
                Message::Notice(n) => {
                    let _ = sink.flush();
                    let _ = write_notice(
                        &mut std::io::stderr(),
                        &n,
                        Some(sql),
                        location,
                        settings.report,
                    );
                    Ok(())
                }
                Message::Error(e) => {
                    failed = true;
                    copied_out = false;
                    // Rows of a statement that failed half-way are dropped,
                    // as psql drops the unprinted part of its batch.
                    result = None;
                    let _ = sink.flush();
                    let _ = write_error(
                        &mut std::io::stderr(),
                        &e,
                        Some(sql),
                        location,
                        settings.report,
                    );
                    Ok(())
                }
                _ => Ok(()),
            };
            if let Err(e) = written {
                // Stop printing; the rest of the answer is still read so the
                // session stays in step. A closed pager is not an error.
                if write_error_seen.is_none() && !sink.paged() {
                    let _ = client.cancel_handle().cancel().await;
                    write_error_seen = Some(e);
                }
                sink.discard();
            }
        }
        let finished = sink.finish();
        if settings.timing {
            println!("{}", timing_line(started.elapsed()));
        }
        if let Some(e) = write_error_seen.or(finished.err()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Err(StatementError::Output(e));
            }
            eprintln!("cor4: error: could not write output: {e}");
            return Err(StatementError::Output(e));
        }
        if failed {
            Err(StatementError::Sql)
        } else {
            Ok(())
        }
    }
}

/// Buffered stdout: one write per 64 KiB rather than per line. Every
/// QUERY's output is flushed when it ends.
fn stdout() -> Box<dyn Write + Send> {
    Box::new(std::io::BufWriter::with_capacity(
        64 * 1024,
        std::io::stdout(),
    ))
}

fn lost(e: Error) -> StatementError {
    eprintln!("cor4: error: {e}");
    StatementError::ConnectionLost(e)
}

/// Where one QUERY's output goes: the session's output, through a pager
/// gate on a terminal, or nowhere once writing failed.
enum Sink<'a> {
    Direct(&'a mut (dyn Write + Send)),
    Paged(PagerGate<'a>),
    Discard,
}

impl<'a> Sink<'a> {
    fn new(out: &'a mut (dyn Write + Send), page: bool) -> Self {
        let command = if page { pager_command() } else { None };
        match command {
            Some(c) => Sink::Paged(PagerGate::new(out, terminal_height(), Some(c))),
            None => Sink::Direct(out),
        }
    }

    fn paged(&self) -> bool {
        matches!(self, Sink::Paged(g) if g.paged())
    }

    fn discard(&mut self) {
        *self = Sink::Discard;
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Direct(out) => out.flush(),
            Sink::Paged(gate) => gate.finish(),
            Sink::Discard => Ok(()),
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Direct(out) => out.write(buf),
            Sink::Paged(gate) => gate.write(buf),
            Sink::Discard => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Direct(out) => out.flush(),
            Sink::Paged(gate) => gate.flush(),
            Sink::Discard => Ok(()),
        }
    }
}
