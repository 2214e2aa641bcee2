//! psql 15's catalog commands — `\d` and its family, `\l`, `\sf`, `\sv` —
//! with output identical to psql's.
//!
//! ```text
//!  "\dt+ public.*" ──parse──▶ Describe { command, patterns, plus, system }
//!        run(describe, &mut dyn Catalog) ──SQL──▶ PostgreSQL (via the session)
//!            ◀── rows ──  builds PrintTables exactly as psql's describe.c
//!  ──▶ Vec<Output>: tables to print with the session's \pset options, and
//!      messages ("Did not find any relation named …")
//! ```

use std::future::Future;
use std::pin::Pin;

use crate::print::PrintTable;

/// A result of a catalog query: column names and type OIDs, and the rows
/// as text (`None` for NULL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryResult {
    /// Column names.
    pub columns: Vec<String>,
    /// PostgreSQL type OID of each column (for alignment).
    pub types: Vec<u32>,
    /// The rows.
    pub rows: Vec<Vec<Option<String>>>,
}

/// Why a catalog query gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogError {
    /// The server reported an error; the text is what psql prints for it
    /// (`ERROR:  …` and its DETAIL/HINT lines), already printed by the
    /// session.
    Server(String),
    /// `ECHO_HIDDEN noexec`: the query was shown, not run.
    NotExecuted,
    /// The connection is gone.
    ConnectionLost,
}

/// A boxed future of a catalog query.
pub type QueryFuture<'a> = Pin<Box<dyn Future<Output = Result<QueryResult, CatalogError>> + 'a>>;

/// What the catalog commands need from the session: run a query the way
/// psql runs its hidden queries (echoed first under `ECHO_HIDDEN`), and the
/// server's version.
pub trait Catalog {
    /// Runs `sql` and returns its rows.
    fn query<'a>(&'a mut self, sql: &'a str) -> QueryFuture<'a>;
    /// The server's `server_version_num` (150018 for 15.18).
    fn server_version_num(&self) -> u32;
}

/// One thing a catalog command prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A table, printed with the session's `\pset` options (a `\d`
    /// listing sets its own title and footers).
    Table(PrintTable),
    /// A message psql logs as an error (`error: Did not find any relation
    /// named "x".`); not printed under `-q` where psql prints nothing.
    Error(String),
    /// Plain text written to the query output as is (`\sf`, `\sv`).
    Text(String),
}

/// What a catalog command produced, and whether it counts as a failure
/// (for `ON_ERROR_STOP`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// What to print, in order.
    pub outputs: Vec<Output>,
    /// Whether psql would return failure for the command.
    pub failed: bool,
}

/// A parsed catalog command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Describe {
    /// The command as typed without its backslash (`dt+`, `dS`, `l`).
    pub command: String,
    /// Its arguments (patterns), already unquoted as psql's slash-option
    /// lexer delivers them.
    pub args: Vec<String>,
}

/// Whether `name` (without the backslash) is a catalog command this module
/// runs: `d…` (every `\d` variant psql 15 has), `l`, `l+`, `sf`, `sf+`,
/// `sv`, `sv+`, `z`, `z+`, `dp`.
pub fn is_catalog_command(name: &str) -> bool {
    let _ = name;
    false
}

/// Runs a catalog command.
pub async fn run(describe: &Describe, catalog: &mut dyn Catalog, quiet: bool) -> Outcome {
    let _ = (describe, catalog, quiet);
    Outcome {
        outputs: vec![Output::Error(
            "catalog commands are not implemented yet".to_owned(),
        )],
        failed: true,
    }
}
