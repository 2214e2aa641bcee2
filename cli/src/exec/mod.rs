//! Sending the query buffer, psql's `SendQuery`: echo it (`ECHO queries`,
//! `SINGLESTEP`), open a transaction first under `AUTOCOMMIT off`, wrap it
//! in a savepoint under `ON_ERROR_ROLLBACK`, then run it one of three ways
//! and report the time.
//!
//! ```text
//!  send_query ─┬─ \gdesc ─────────────────────▶ gdesc::describe (PREPARE, format_type)
//!              ├─ SELECT with FETCH_COUNT ─────▶ cursor::fetch_in_chunks (DECLARE / FETCH)
//!              └─ anything else ──────────────▶ results::exec_query (one QUERY)
//!                   └─ \gexec: each value sent in turn with send_query
//! ```

pub mod cursor;
pub mod gdesc;
pub mod hidden;
pub mod results;
pub mod table;
pub mod words;

use std::io::{BufRead, Write};

use cor4_protocol::client::{Column, Error, Message, Row};
use cor4_protocol::packet::TransactionStatus;

use crate::input::Source;
use crate::shell::{NextQuery, Shell};
use crate::vars::{Echo, OnErrorRollback};
use results::CopyFrom;

/// The savepoint psql sets around each statement under
/// `ON_ERROR_ROLLBACK`.
const SAVEPOINT: &str = "pg_psql_temporary_savepoint";

/// Sends `query` and prints what it returns; `false` when it failed.
/// The one-shot `\g` triggers are used and cleared.
pub async fn send_query(shell: &mut Shell, query: &str, source: &mut Source) -> bool {
    send_query_with(shell, query, CopyFrom::Input(source), None).await
}

/// [`send_query`] with COPY data read from `copy_from` and, for `COPY …
/// TO STDOUT`, written to `copy_to` (`\copy`, psql's `copyStream`).
pub async fn send_query_with(
    shell: &mut Shell,
    query: &str,
    copy_from: CopyFrom<'_>,
    copy_to: Option<&mut dyn Write>,
) -> bool {
    let next = std::mem::take(&mut shell.next);
    Box::pin(send(shell, query, copy_from, copy_to, next)).await
}

async fn send(
    shell: &mut Shell,
    query: &str,
    mut copy_from: CopyFrom<'_>,
    copy_to: Option<&mut dyn Write>,
    next: NextQuery,
) -> bool {
    if shell.lost {
        shell.log_error("You are currently not connected to a database.");
        return false;
    }
    if shell.vars.singlestep() {
        if !confirm_single_step(shell, query) {
            return false;
        }
    } else if shell.vars.echo() == Echo::Queries {
        let _ = shell.out.flush();
        println!("{query}");
        let _ = std::io::stdout().flush();
    }
    if let Some(log) = shell.logfile.as_mut() {
        let _ = write!(
            log,
            "********* QUERY **********\n{query}\n**************************\n\n"
        );
    }
    let mut status = shell.client.transaction_status();
    if status == TransactionStatus::Idle
        && !shell.vars.autocommit()
        && !words::command_no_begin(query)
    {
        if internal(shell, "BEGIN", Report::Errors).await.is_none() {
            return false;
        }
        status = shell.client.transaction_status();
    }
    let rollback = shell.vars.on_error_rollback();
    let savepoint = status == TransactionStatus::InTransaction
        && rollback != OnErrorRollback::Off
        && (shell.interactive || rollback == OnErrorRollback::On);
    if savepoint
        && internal(shell, &format!("SAVEPOINT {SAVEPOINT}"), Report::Errors)
            .await
            .is_none()
    {
        return false;
    }
    let fetch_count = shell.vars.fetch_count();
    let mut outcome = if next.gdesc {
        gdesc::describe(shell, query, &next).await
    } else if fetch_count <= 0
        || next.gexec
        || next.crosstab.is_some()
        || !words::is_select_command(query)
    {
        results::exec_query(shell, query, &next, copy_from.reborrow(), copy_to).await
    } else {
        cursor::fetch_in_chunks(shell, query, &next, fetch_count).await
    };
    if !outcome.ok && shell.vars.echo() == Echo::Errors {
        shell.log_info(&format!("STATEMENT:  {query}"));
    }
    if !outcome.gexec.is_empty()
        && let CopyFrom::Input(source) = copy_from
    {
        outcome.ok &= gexec(shell, std::mem::take(&mut outcome.gexec), source).await;
    }
    if savepoint && !shell.lost {
        let command = match shell.client.transaction_status() {
            TransactionStatus::Failed => Some(format!("ROLLBACK TO {SAVEPOINT}")),
            TransactionStatus::InTransaction if !outcome.svpt_gone => {
                Some(format!("RELEASE {SAVEPOINT}"))
            }
            _ => None,
        };
        if let Some(command) = command
            && internal(shell, &command, Report::Errors).await.is_none()
        {
            outcome.ok = false;
        }
    }
    if shell.timing {
        let _ = shell.out.flush();
        println!("{}", timing_line(outcome.elapsed));
    }
    shell.track_encoding();
    outcome.ok
}

/// `\gexec`: every value of the result, in order, as a statement of its
/// own.
async fn gexec(shell: &mut Shell, statements: Vec<String>, source: &mut Source) -> bool {
    let mut ok = true;
    for statement in statements {
        if crate::interrupt::is_pressed() {
            return false;
        }
        if shell.vars.echo() == Echo::All && !shell.vars.singlestep() {
            let _ = shell.out.flush();
            println!("{statement}");
        }
        if !send_query(shell, &statement, source).await {
            ok = false;
            if shell.vars.on_error_stop() || shell.lost {
                break;
            }
        }
    }
    ok
}

/// `SINGLESTEP`: shows the query and asks on standard input before
/// sending it; `x` cancels.
fn confirm_single_step(shell: &mut Shell, query: &str) -> bool {
    let _ = shell.out.flush();
    println!("***(Single step mode: verify command)*******************************************");
    println!("{query}");
    println!("***(press return to proceed or enter x and return to cancel)********************");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let read = std::io::stdin().lock().read_line(&mut answer);
    let cancel = matches!(read, Ok(n) if n > 0) && answer.starts_with('x');
    !cancel && !crate::interrupt::is_pressed()
}

/// Whether [`internal`] prints a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// Print the error as psql's `AcceptResult` does.
    Errors,
    /// Say nothing (psql's cleanup after a failure).
    Quiet,
}

/// The answer to one of the shell's own statements.
#[derive(Debug, Default)]
pub struct Answer {
    /// The columns of its (last) result.
    pub columns: Option<std::sync::Arc<[Column]>>,
    /// Its rows.
    pub rows: Vec<Row>,
    /// The last command tag.
    pub tag: String,
}

/// Runs one of the shell's own statements (`BEGIN`, `SAVEPOINT`, `FETCH`
/// …) as psql's `PQexec` + `AcceptResult`: notices print, an error prints
/// (unless `Quiet`) and gives `None`.
pub async fn internal(shell: &mut Shell, sql: &str, report: Report) -> Option<Answer> {
    let mut stream = match shell.client.simple_query(sql).await {
        Ok(s) => s,
        Err(e) => {
            connection_lost(shell, &e).await;
            return None;
        }
    };
    let mut answer = Answer::default();
    let mut failed = false;
    loop {
        let next = tokio::select! {
            m = stream.next() => m,
            () = crate::interrupt::pressed() => {
                send_cancel(shell).await;
                continue;
            }
        };
        match next {
            None => break,
            Some(Err(e)) => {
                connection_lost(shell, &e).await;
                return None;
            }
            Some(Ok(message)) => match message {
                Message::Columns(columns) => {
                    answer.columns = Some(columns);
                    answer.rows.clear();
                }
                Message::Row(row) => answer.rows.push(row),
                Message::ResultEnd { tag, .. } | Message::Command { tag, .. } => answer.tag = tag,
                Message::Notice(notice) => print_notice(shell, &notice, Some(sql)),
                Message::Error(error) => {
                    failed = true;
                    if report == Report::Errors {
                        results::report_error(shell, &error, Some(sql));
                    }
                    shell.last_failure = Some(error);
                }
                Message::Parameter { name, value } => {
                    shell.server.insert(name, value);
                }
                Message::CopyIn(_) => {
                    let _ = stream.copy_fail("COPY is not allowed here").await;
                }
                _ => {}
            },
        }
    }
    (!failed).then_some(answer)
}

/// Prints a notice with the current location.
pub fn print_notice(
    shell: &mut Shell,
    notice: &cor4_protocol::client::DbError,
    query: Option<&str>,
) {
    let _ = shell.out.flush();
    let prefix = shell.location.prefix();
    let style = shell.vars.report_style();
    let _ = crate::report::write_notice(&mut std::io::stderr(), notice, query, &prefix, style);
}

/// Ctrl-C during a query: psql's cancel request and its message.
pub async fn send_cancel(shell: &mut Shell) {
    match shell.client.cancel_handle().cancel().await {
        Ok(()) => eprintln!("Cancel request sent"),
        Err(e) => eprintln!("Could not send cancel request: {e}"),
    }
}

/// The connection broke: psql's messages; in a script the shell stops
/// (exit status 2), on a terminal it logs in again.
pub async fn connection_lost(shell: &mut Shell, error: &Error) {
    let _ = shell.out.flush();
    shell.log_info(&error.to_string());
    if !shell.interactive {
        shell.log_error("connection to server was lost");
        shell.lost = true;
        return;
    }
    eprint!("The connection to the server was lost. Attempting reset: ");
    match crate::connect::login(&shell.config).await {
        Ok((client, parameters)) => {
            shell.client = client;
            shell.server = parameters;
            shell.lost = false;
            eprintln!("Succeeded.");
        }
        Err(_) => {
            shell.lost = true;
            eprintln!("Failed.");
        }
    }
}

/// psql's `\timing` line: `Time: 0.412 ms`, with `(mm:ss.sss)` and
/// longer forms past a second.
pub fn timing_line(elapsed: std::time::Duration) -> String {
    let us = elapsed.as_micros();
    let ms = format!("{}.{:03}", us / 1000, us % 1000);
    if us < 1_000_000 {
        return format!("Time: {ms} ms");
    }
    let total_ms = (us + 500) / 1000;
    let seconds = format!("{:02}.{:03}", total_ms / 1000 % 60, total_ms % 1000);
    let minutes = total_ms / 60_000;
    if minutes < 60 {
        return format!("Time: {ms} ms ({minutes:02}:{seconds})");
    }
    let hours = minutes / 60;
    if hours < 24 {
        return format!("Time: {ms} ms ({hours:02}:{:02}:{seconds})", minutes % 60);
    }
    format!(
        "Time: {ms} ms ({} d {:02}:{:02}:{seconds})",
        hours / 24,
        hours % 24,
        minutes % 60
    )
}

/// The text of a row's values (`None` for NULL), as PostgreSQL printed
/// them.
pub fn row_text(row: Row) -> Vec<Option<String>> {
    row.into_values()
        .into_iter()
        .map(|value| match value {
            // The shell asks for text results: the usual case moves.
            cor4_protocol::Value::Text(text) => Some(text),
            other => cor4_protocol::pgtext::to_text(&other),
        })
        .collect()
}
