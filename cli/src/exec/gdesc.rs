//! `\gdesc`: the query's result columns and their types, without running
//! it — psql's way, by preparing it and asking PostgreSQL to name the
//! types with `format_type`.

use std::time::Instant;

use cor4_protocol::client::escape_literal;

use super::results::{CopyFrom, Outcome, exec_query, report_error, set_result_vars};
use crate::shell::{NextQuery, Shell};

/// Describes `query`'s result as a two-column table.
pub async fn describe(shell: &mut Shell, query: &str, next: &NextQuery) -> Outcome {
    let started = Instant::now();
    let failed = |started: Instant| Outcome {
        elapsed: started.elapsed(),
        ..Outcome::default()
    };
    let statement = match shell.client.prepare(query).await {
        Ok(s) => s,
        Err(e) => {
            match e.as_db_error() {
                Some(db) => report_error(shell, db, Some(query)),
                None => super::connection_lost(shell, &e).await,
            }
            return failed(started);
        }
    };
    let columns = statement.columns();
    if columns.is_empty() {
        use std::io::Write;
        let _ = writeln!(
            shell.out,
            "The command has no result, or the result has no columns."
        );
        set_result_vars(shell, "");
        return Outcome {
            ok: true,
            elapsed: started.elapsed(),
            ..Outcome::default()
        };
    }
    let values: Vec<String> = columns
        .iter()
        .map(|c| {
            let (oid, typmod) = c.pg_type().map_or((0, -1), |t| (t.oid, t.typmod));
            format!(
                "({}, '{oid}'::pg_catalog.oid, {typmod})",
                escape_literal(c.name())
            )
        })
        .collect();
    drop(statement);
    let sql = format!(
        "SELECT name AS \"Column\", pg_catalog.format_type(tp, tpm) AS \"Type\"\n\
         FROM (VALUES {}) s(name, tp, tpm)",
        values.join(",")
    );
    let print = NextQuery {
        print: next.print.clone(),
        ..NextQuery::default()
    };
    let mut no_input = std::io::empty();
    let mut outcome = exec_query(shell, &sql, &print, CopyFrom::Reader(&mut no_input), None).await;
    outcome.elapsed = started.elapsed();
    outcome
}
