//! One QUERY's answers, handled as psql 15 handles a query's results:
//! each result printed with the session's `\pset` options (or kept for
//! `\gset`, `\gexec`, `\crosstabview`), command tags, notices and errors
//! on stderr, COPY data in and out, and the result variables.
//!
//! ```text
//!  QUERY ─▶ Columns ─ Row… ─ ResultEnd ─ Command ─ Notice ─ Error ─ CopyIn/Out ─ Ready
//!              └── Table (all rows; or chunks for formats whose layout
//!                  does not depend on later rows) ──print──▶ \g file | \o | stdout (pager)
//! ```
//!
//! Aligned and wrapped output need every row before the first line (the
//! column widths), as in psql; the other formats are printed every
//! [`CHUNK_ROWS`] rows, so `--csv` of any size runs in bounded memory and
//! prints the same bytes.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use cor4_protocol::client::{DbError, Message};

use super::table::{Sink, Table, gset, needs_all_rows, restore};
use super::words::{cmd_tuples, ends_savepoint};
use crate::copy::{CopySource, FeedError};
use crate::input::Source;
use crate::output::QueryOutput;
use crate::print::{Format, Part, PrintOptions, print_table};
use crate::report::write_error;
use crate::shell::{NextQuery, Shell};

pub use super::table::{BUFFER_BUDGET, CHUNK_ROWS};

/// Where `COPY … FROM STDIN` reads for this query.
pub enum CopyFrom<'a> {
    /// The current input (a script's next lines, the terminal).
    Input(&'a mut Source),
    /// A reader of the shell's own (`\copy … from`).
    Reader(&'a mut dyn io::BufRead),
}

impl CopyFrom<'_> {
    /// The same source, borrowed for one query.
    pub fn reborrow(&mut self) -> CopyFrom<'_> {
        match self {
            CopyFrom::Input(source) => CopyFrom::Input(source),
            CopyFrom::Reader(reader) => CopyFrom::Reader(&mut **reader),
        }
    }
}

/// What running a QUERY came to.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every statement succeeded and every result was handled.
    pub ok: bool,
    /// The last command ended a savepoint psql had set (COMMIT, ROLLBACK,
    /// SAVEPOINT, RELEASE).
    pub svpt_gone: bool,
    /// `\gexec`: the statements to run next.
    pub gexec: Vec<String>,
    /// How long it took.
    pub elapsed: Duration,
}

/// What this query does with the rows it gets.
#[derive(Debug, Clone)]
enum Rows {
    Print,
    Gset(String),
    Gexec,
    Crosstab(Vec<String>),
}

/// The state of one query's answers.
struct Run {
    popt: PrintOptions,
    rows_mode: Rows,
    show_all: bool,
    quiet: bool,
    sink: Sink,
    /// `\g FILE`: opened when the first rows arrive.
    gfile_target: Option<String>,
    gfile: Option<QueryOutput>,
    table: Option<Table>,
    /// SHOW_ALL_RESULTS off: the latest finished answer, printed only if
    /// it is the last.
    pending: Option<Pending>,
    ok: bool,
    svpt_gone: bool,
    gexec: Vec<String>,
    /// The last COPY TO STDOUT wrote to the query output: no tag after it.
    copied_to_output: bool,
    output_error: Option<io::Error>,
}

enum Pending {
    Table(Table, String),
    Status(String),
}

/// Runs `query` as one QUERY and handles every answer.
pub async fn exec_query(
    shell: &mut Shell,
    query: &str,
    next: &NextQuery,
    mut copy_from: CopyFrom<'_>,
    mut copy_to: Option<&mut dyn Write>,
) -> Outcome {
    let started = Instant::now();
    let rows_mode = if let Some(prefix) = next.gset.clone() {
        Rows::Gset(prefix)
    } else if next.gexec {
        Rows::Gexec
    } else if let Some(args) = next.crosstab.clone() {
        Rows::Crosstab(args)
    } else {
        Rows::Print
    };
    let out = std::mem::replace(&mut shell.out, QueryOutput::stdout());
    let mut run = Run {
        popt: next.print.clone().unwrap_or_else(|| shell.popt.clone()),
        rows_mode,
        show_all: shell.vars.show_all_results(),
        quiet: shell.quiet(),
        sink: Sink::new(out, shell.pager, shell.pager_min_lines),
        gfile_target: next.output.clone(),
        gfile: None,
        table: None,
        pending: None,
        ok: true,
        svpt_gone: false,
        gexec: Vec::new(),
        copied_to_output: false,
        output_error: None,
    };
    let mut stream = match shell.client.simple_query(query).await {
        Ok(s) => Some(s),
        Err(e) => {
            run.ok = false;
            restore(shell, run.sink);
            super::connection_lost(shell, &e).await;
            return Outcome {
                elapsed: started.elapsed(),
                ..Outcome::default()
            };
        }
    };
    let mut lost = None;
    while let Some(s) = stream.as_mut() {
        let next = tokio::select! {
            m = s.next() => m,
            () = crate::interrupt::pressed() => {
                super::send_cancel(shell).await;
                continue;
            }
        };
        let message = match next {
            None => break,
            Some(Ok(m)) => m,
            Some(Err(e)) => {
                lost = Some(e);
                break;
            }
        };
        match message {
            Message::Columns(columns) => {
                run.drop_pending();
                run.table = Some(Table::new(&columns));
            }
            Message::Row(row) => {
                let (streams, may_chunk) = (run.streams(), run.may_chunk());
                if let Some(table) = run.table.as_mut() {
                    table.push(super::row_text(row));
                    let print = if table.chunked || streams {
                        table.rows.len() >= CHUNK_ROWS
                    } else if table.bytes > BUFFER_BUDGET && may_chunk {
                        table.chunked = true;
                        true
                    } else {
                        false
                    };
                    if print {
                        run.print_chunk(shell, false);
                    }
                }
            }
            Message::ResultEnd { tag, .. } => {
                set_result_vars(shell, cmd_tuples(&tag));
                run.end_result(shell, tag);
            }
            Message::Command { tag, .. } => {
                run.drop_pending();
                set_result_vars(shell, cmd_tuples(&tag));
                run.svpt_gone = ends_savepoint(&tag);
                if std::mem::take(&mut run.copied_to_output) {
                    // psql prints no tag after data on the query output,
                    // and counts no rows.
                    set_result_vars(shell, "");
                    continue;
                }
                if run.show_all {
                    run.status(&tag);
                } else {
                    run.pending = Some(Pending::Status(tag));
                }
            }
            Message::Notice(notice) => {
                let _ = run.sink.flush();
                super::print_notice(shell, &notice, Some(query));
            }
            Message::Error(error) => {
                run.drop_pending();
                run.table = None;
                run.ok = false;
                run.copied_to_output = false;
                let _ = run.sink.flush();
                report_error(shell, &error, Some(query));
            }
            Message::Parameter { name, value } => {
                shell.server.insert(name, value);
            }
            Message::CopyIn(layout) => {
                let _ = run.sink.flush();
                let Some(s) = stream.as_ref() else { break };
                let fed = match &mut copy_from {
                    CopyFrom::Input(source) => {
                        let prompt = crate::prompt::copy_prompt(shell);
                        let mut from = source.copy_source(prompt);
                        let fed = crate::copy::feed(s, &layout, &mut from).await;
                        shell.location = source.location();
                        fed
                    }
                    CopyFrom::Reader(reader) => {
                        let mut from = CopySource::Reader(&mut **reader);
                        crate::copy::feed(s, &layout, &mut from).await
                    }
                };
                match fed {
                    Ok(()) => {}
                    Err(FeedError::Read(e)) => {
                        shell.log_error(&format!(
                            "could not read COPY data: {}",
                            crate::output::os_reason(&e)
                        ));
                    }
                    Err(FeedError::Connection(e)) => {
                        lost = Some(e);
                        break;
                    }
                }
            }
            Message::CopyOut(_) => {
                run.copied_to_output = copy_to.is_none() && run.gfile_target.is_none();
                if copy_to.is_none() && run.gfile_target.is_some() && run.gfile.is_none() {
                    run.open_gfile(shell);
                }
            }
            Message::CopyData(data) => {
                let written = match copy_to.as_deref_mut() {
                    Some(w) => w.write_all(&data),
                    None => match run.gfile.as_mut() {
                        Some(f) => f.write_all(&data),
                        None if run.gfile_target.is_some() => Ok(()),
                        None => run.sink.write_all(&data),
                    },
                };
                run.note_write(written);
            }
            Message::Ready(_) => {
                stream = None;
            }
            _ => {}
        }
    }
    if lost.is_none() {
        run.flush_pending(shell);
    }
    if let Some(f) = run.gfile.take() {
        let _ = f.close();
    }
    let Run {
        ok,
        svpt_gone,
        gexec,
        sink,
        output_error,
        ..
    } = run;
    restore(shell, sink);
    if let Some(e) = output_error
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        shell.log_error(&format!(
            "could not print result table: {}",
            crate::output::os_reason(&e)
        ));
    }
    if let Some(e) = lost {
        super::connection_lost(shell, &e).await;
        return Outcome {
            elapsed: started.elapsed(),
            ..Outcome::default()
        };
    }
    Outcome {
        ok,
        svpt_gone,
        gexec,
        elapsed: started.elapsed(),
    }
}

/// ERROR, SQLSTATE and ROW_COUNT after a successful statement.
pub fn set_result_vars(shell: &mut Shell, row_count: &str) {
    shell.vars.set_internal("ERROR", "false");
    shell.vars.set_internal("SQLSTATE", "00000");
    shell.vars.set_internal(
        "ROW_COUNT",
        if row_count.is_empty() { "0" } else { row_count },
    );
}

/// Prints a server error as psql does and sets the error variables.
pub fn report_error(shell: &mut Shell, error: &DbError, query: Option<&str>) {
    let _ = shell.out.flush();
    let prefix = shell.location.prefix();
    let style = shell.vars.report_style();
    let _ = write_error(&mut io::stderr(), error, query, &prefix, style);
    let code = error.code().code().to_owned();
    shell.vars.set_internal("ERROR", "true");
    shell.vars.set_internal("SQLSTATE", code.clone());
    shell.vars.set_internal("ROW_COUNT", "0");
    shell.vars.set_internal("LAST_ERROR_SQLSTATE", code);
    shell
        .vars
        .set_internal("LAST_ERROR_MESSAGE", error.message().to_owned());
    shell.last_error = Some(error.clone());
    shell.last_error_query = query.map(str::to_owned);
}

impl Run {
    /// Whether rows are printed as they come.
    fn streams(&self) -> bool {
        matches!(self.rows_mode, Rows::Print) && self.show_all && !needs_all_rows(&self.popt)
    }

    /// Whether the current result may be printed in pieces at all.
    fn may_chunk(&self) -> bool {
        matches!(self.rows_mode, Rows::Print) && self.show_all
    }

    fn note_write(&mut self, written: io::Result<()>) {
        if let Err(e) = written
            && self.output_error.is_none()
        {
            self.output_error = Some(e);
        }
    }

    fn open_gfile(&mut self, shell: &mut Shell) {
        let Some(target) = self.gfile_target.clone() else {
            return;
        };
        match QueryOutput::open(&target) {
            Ok(f) => self.gfile = Some(f),
            Err(reason) => {
                let _ = self.sink.flush();
                shell.log_error(&format!("{target}: {reason}"));
                self.ok = false;
                // Nothing more goes anywhere for this query.
                self.gfile_target = Some(String::new());
            }
        }
    }

    /// Prints the rows gathered so far as one chunk of the current table.
    fn print_chunk(&mut self, shell: &mut Shell, stop: bool) {
        if self.gfile_target.is_some() && self.gfile.is_none() {
            self.open_gfile(shell);
        }
        let Some(table) = self.table.as_mut() else {
            return;
        };
        let part = Part {
            start: table.printed == 0,
            stop,
            prior_records: table.printed,
        };
        let written = match (&self.gfile_target, self.gfile.as_mut()) {
            (Some(_), Some(f)) => table.print(f, &self.popt, part),
            (Some(_), None) => Ok(()),
            (None, _) => table.print(&mut self.sink, &self.popt, part),
        };
        self.note_write(written);
    }

    /// The current result ended with `tag`.
    fn end_result(&mut self, shell: &mut Shell, tag: String) {
        let Some(mut table) = self.table.take() else {
            return;
        };
        match self.rows_mode.clone() {
            Rows::Gset(prefix) => {
                if !gset(shell, &prefix, &table) {
                    self.ok = false;
                }
            }
            Rows::Gexec => {
                for row in std::mem::take(&mut table.rows) {
                    self.gexec.extend(row.into_iter().flatten());
                }
            }
            Rows::Crosstab(args) => {
                let _ = self.sink.flush();
                let null = (!self.popt.null.is_empty()).then_some(self.popt.null.as_str());
                let pivoted = crate::crosstab::crosstab_with_null(
                    &args,
                    &table.headers,
                    &table.types,
                    &table.rows,
                    null,
                );
                match pivoted {
                    Ok(printable) => {
                        // psql does not group digits in a crosstab.
                        let mut popt = self.popt.clone();
                        popt.numericlocale = false;
                        let written = print_table(&mut self.sink, &printable, &popt, Part::WHOLE);
                        self.note_write(written);
                    }
                    Err(message) => {
                        shell.log_error(&message);
                        self.ok = false;
                    }
                }
            }
            Rows::Print if self.show_all => {
                self.table = Some(table);
                self.print_chunk(shell, true);
                self.table = None;
            }
            Rows::Print => {
                self.pending = Some(Pending::Table(table, tag));
                return;
            }
        }
        if super::words::tag_follows_rows(&tag) {
            if self.show_all {
                self.status(&tag);
            } else {
                self.pending = Some(Pending::Status(tag));
            }
        }
    }

    /// A command tag, as psql's `PrintQueryStatus`.
    fn status(&mut self, tag: &str) {
        if self.quiet || tag.is_empty() {
            return;
        }
        let written = if self.popt.format == Format::Html {
            writeln!(self.sink, "<p>{}</p>", html_escape(tag))
        } else {
            writeln!(self.sink, "{tag}")
        };
        self.note_write(written);
    }

    fn drop_pending(&mut self) {
        self.pending = None;
    }

    /// SHOW_ALL_RESULTS off: prints the last answer.
    fn flush_pending(&mut self, shell: &mut Shell) {
        match self.pending.take() {
            Some(Pending::Table(table, tag)) => {
                self.table = Some(table);
                self.print_chunk(shell, true);
                self.table = None;
                if super::words::tag_follows_rows(&tag) {
                    self.status(&tag);
                }
            }
            Some(Pending::Status(tag)) => self.status(&tag),
            None => {}
        }
    }
}

/// A command tag in HTML (tags hold no newlines or leading spaces).
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
