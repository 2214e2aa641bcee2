//! `FETCH_COUNT`: a `SELECT` runs through a cursor and prints
//! `FETCH_COUNT` rows at a time, exactly as psql does it — a transaction
//! if none is open, `DECLARE _psql_cursor NO SCROLL CURSOR FOR …`, `FETCH
//! FORWARD n` until a short batch, then `CLOSE` and `COMMIT`. Aligned
//! output measures each batch's columns on its own, as psql's does.

use std::io::Write;
use std::time::Instant;

use cor4_protocol::packet::TransactionStatus;

use super::results::Outcome;
use super::table::{Sink, Table, gset, restore};
use super::{Report, internal, row_text};
use crate::output::QueryOutput;
use crate::print::{Expanded, Part};
use crate::shell::{NextQuery, Shell};

/// Runs the `SELECT` `query` through a cursor, printing as it fetches.
pub async fn fetch_in_chunks(
    shell: &mut Shell,
    query: &str,
    next: &NextQuery,
    fetch_count: i64,
) -> Outcome {
    let started = Instant::now();
    let mut started_txn = false;
    if shell.client.transaction_status() == TransactionStatus::Idle {
        if internal(shell, "BEGIN", Report::Errors).await.is_none() {
            return Outcome {
                elapsed: started.elapsed(),
                ..Outcome::default()
            };
        }
        started_txn = true;
    }
    let mut ok = fetch(shell, query, next, fetch_count).await;
    if !shell.lost {
        let report = if ok { Report::Errors } else { Report::Quiet };
        let closed = internal(shell, "CLOSE _psql_cursor", report).await;
        if ok {
            ok = closed.is_some();
        }
        if started_txn && !shell.lost {
            let end = if ok { "COMMIT" } else { "ROLLBACK" };
            ok &= internal(shell, end, Report::Errors).await.is_some();
        }
    }
    Outcome {
        ok,
        elapsed: started.elapsed(),
        ..Outcome::default()
    }
}

/// DECLARE and the FETCH loop; `false` when something failed.
async fn fetch(shell: &mut Shell, query: &str, next: &NextQuery, fetch_count: i64) -> bool {
    let declare = format!("DECLARE _psql_cursor NO SCROLL CURSOR FOR\n{query}");
    if internal(shell, &declare, Report::Errors).await.is_none() {
        return false;
    }
    // `\gset` needs to know only whether there is more than one row.
    let fetch_count = if next.gset.is_some() { 2 } else { fetch_count };
    let fetch_sql = format!("FETCH FORWARD {fetch_count} FROM _psql_cursor");
    let mut gfile = match &next.output {
        Some(target) => match QueryOutput::open(target) {
            Ok(f) => Some(f),
            Err(reason) => {
                shell.log_error(&format!("{target}: {reason}"));
                return false;
            }
        },
        None => None,
    };
    let mut popt = next.print.clone().unwrap_or_else(|| shell.popt.clone());
    let to_stdout = gfile.is_none() && shell.out.is_stdout();
    let out = std::mem::replace(&mut shell.out, QueryOutput::stdout());
    let mut sink = Sink::new(out, shell.pager, shell.pager_min_lines);
    let mut ok = true;
    let mut total: u64 = 0;
    let mut part = Part {
        start: true,
        stop: false,
        prior_records: 0,
    };
    // Once a full batch arrives for the terminal's stdout, psql prints the
    // rest as if to a pager: `\x auto` then means expanded, and the width
    // is the terminal's.
    let mut paging = false;
    loop {
        let _ = sink.flush();
        let Some(answer) = internal(shell, &fetch_sql, Report::Errors).await else {
            ok = false;
            break;
        };
        let Some(columns) = answer.columns.as_deref() else {
            ok = false;
            break;
        };
        let mut table = Table::new(columns);
        table.rows = answer.rows.into_iter().map(row_text).collect();
        let n = table.rows.len() as u64;
        if let Some(prefix) = &next.gset {
            ok = gset(shell, prefix, &table);
            break;
        }
        total += n;
        part.stop = i64::try_from(n).unwrap_or(i64::MAX) < fetch_count;
        if !part.stop && to_stdout && !paging {
            paging = true;
            if popt.expanded == Expanded::Auto {
                popt.expanded = Expanded::On;
            }
            popt.terminal_columns = crate::shell::pager_columns();
        }
        let written = match gfile.as_mut() {
            Some(f) => table.print(f, &popt, part).and_then(|()| f.flush()),
            None => table
                .print(&mut sink, &popt, part)
                .and_then(|()| sink.flush()),
        };
        part.start = false;
        part.prior_records += n;
        if part.stop || written.is_err() || crate::interrupt::is_pressed() {
            break;
        }
    }
    if let Some(f) = gfile {
        let _ = f.close();
    }
    restore(shell, sink);
    if ok {
        super::results::set_result_vars(shell, &total.to_string());
    }
    ok
}
