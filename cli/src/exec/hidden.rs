//! The catalog commands' queries, run as psql runs its hidden queries
//! (`PSQLexec`): shown first under `ECHO_HIDDEN` (and not run under
//! `noexec`), inside an automatic `BEGIN` under `AUTOCOMMIT off`, errors
//! printed as for any query.

use std::io::Write;

use crate::describe::{Catalog, CatalogError, QueryFuture, QueryResult};
use crate::shell::Shell;
use crate::vars::EchoHidden;

use super::{Report, internal, row_text};

/// The shell seen by the catalog commands.
pub struct Hidden<'a> {
    shell: &'a mut Shell,
}

impl<'a> Hidden<'a> {
    /// Hidden queries through `shell`.
    pub fn new(shell: &'a mut Shell) -> Self {
        Hidden { shell }
    }
}

impl Catalog for Hidden<'_> {
    fn query<'a>(&'a mut self, sql: &'a str) -> QueryFuture<'a> {
        Box::pin(hidden_query(self.shell, sql))
    }

    fn query_silent<'a>(&'a mut self, sql: &'a str) -> QueryFuture<'a> {
        Box::pin(hidden_query_with(self.shell, sql, Report::Quiet))
    }

    fn server_version_num(&self) -> u32 {
        self.shell.server_version_num()
    }

    fn database(&self) -> Option<String> {
        Some(self.shell.info.dbname.clone())
    }

    fn hide_tableam(&self) -> bool {
        self.shell.vars.hide_tableam()
    }

    fn hide_toast_compression(&self) -> bool {
        self.shell.vars.hide_toast_compression()
    }
}

/// Runs one hidden query.
pub async fn hidden_query(shell: &mut Shell, sql: &str) -> Result<QueryResult, CatalogError> {
    hidden_query_with(shell, sql, Report::Errors).await
}

/// Runs one hidden query; with `Report::Quiet` an error is not printed
/// but returned as `SEVERITY:  message`.
async fn hidden_query_with(
    shell: &mut Shell,
    sql: &str,
    report: Report,
) -> Result<QueryResult, CatalogError> {
    if shell.lost {
        shell.log_error("You are currently not connected to a database.");
        return Err(CatalogError::ConnectionLost);
    }
    let echo = shell.vars.echo_hidden();
    if echo != EchoHidden::Off {
        let _ = shell.out.flush();
        println!("********* QUERY **********\n{sql}\n**************************\n");
        let _ = std::io::stdout().flush();
        if echo == EchoHidden::NoExec {
            return Err(CatalogError::NotExecuted);
        }
    }
    if shell.client.transaction_status() == cor4_protocol::packet::TransactionStatus::Idle
        && !shell.vars.autocommit()
        && internal(shell, "BEGIN", Report::Errors).await.is_none()
    {
        return Err(failure(shell, Report::Errors));
    }
    let Some(answer) = internal(shell, sql, report).await else {
        return Err(failure(shell, report));
    };
    let (columns, types) = match answer.columns.as_deref() {
        Some(columns) => (
            columns.iter().map(|c| c.name().to_owned()).collect(),
            columns
                .iter()
                .map(|c| c.pg_type().map_or(0, |t| t.oid))
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Ok(QueryResult {
        columns,
        types,
        rows: answer.rows.into_iter().map(row_text).collect(),
    })
}

fn failure(shell: &Shell, report: Report) -> CatalogError {
    if shell.lost {
        return CatalogError::ConnectionLost;
    }
    let text = match (&shell.last_failure, report) {
        (Some(e), Report::Quiet) => format!("{}:  {}", e.severity(), e.message()),
        (Some(e), Report::Errors) => e.message().to_owned(),
        (None, _) => String::new(),
    };
    CatalogError::Server(text)
}
