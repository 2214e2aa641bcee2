//! psql 15's catalog commands — `\d` and its family, `\l`, `\sf`, `\sv` —
//! with output identical to psql's.
//!
//! ```text
//!  "\dt+ public.*" ──session lexer──▶ Describe { command: "dt+", args: ["public.*"] }
//!        run(describe, &mut dyn Catalog) ──SQL──▶ PostgreSQL (via the session)
//!            ◀── rows ──  builds PrintTables exactly as psql's describe.c
//!  ──▶ Vec<Output>: tables to print with the session's \pset options, and
//!      messages ("Did not find any relation named …")
//! ```
//!
//! Listings (`\dt`, `\df`, …) are printed like query results, aligned by
//! column type. No cell is ever NULL: psql 15 prints its catalog results
//! without the user's `\pset null`, and builds `\d NAME` from text.
//!
//! A footer is one psql footer and may hold newlines (policies, rules,
//! view definitions); a title may too (`\dF+`). `Some(vec![])` footers
//! mean none at all, not even `(N rows)`.
//!
//! The session must implement [`Catalog::query_silent`] (for `\sf`/`\sv`)
//! and should implement [`Catalog::database`] (else a `db.schema.name`
//! pattern costs a query psql does not send), and pass each command at
//! most [`max_args`] arguments, warning about the rest as psql does.
//!
//! | file | commands |
//! | --- | --- |
//! | `relations.rs` | `\d` without pattern, `\dt \dv \dm \di \ds \dE`, `\dP` |
//! | `details/` | `\d NAME`: tables, views, indexes, sequences, types … |
//! | `types.rs` | `\dT \dD` |
//! | `functions.rs` | `\df \da \do` |
//! | `source.rs` | `\sf \sv` |
//! | `access.rs` | `\dp \z \ddp \dn \du \dg \l \db \drds` |
//! | `objects.rs` | `\dx \dL \dC \dc \dO \dy \dX \dconfig \dl` |
//! | `opclass.rs` | `\dA \dAc \dAf \dAo \dAp` |
//! | `comments.rs` | `\dd` |
//! | `foreign.rs` | `\des \det \deu \dew \dRp \dRs` |
//! | `textsearch.rs` | `\dF \dFd \dFp \dFt` |

mod access;
mod comments;
mod details;
mod dispatch;
mod foreign;
mod functions;
mod objects;
mod opclass;
mod pattern;
mod relations;
mod source;
mod sql;
mod textsearch;
mod types;

use std::future::Future;
use std::pin::Pin;

use crate::print::PrintTable;

pub use dispatch::{is_catalog_command, max_args};

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
    /// Runs `sql` like [`Catalog::query`], but a server error is not
    /// printed: it comes back as [`CatalogError::Server`] whose first line
    /// is `SEVERITY:  primary message`, which psql's `\sf` and `\sv` log
    /// as an error of their own (psql's `minimal_error_message`). The
    /// default prints it as `query` does.
    fn query_silent<'a>(&'a mut self, sql: &'a str) -> QueryFuture<'a> {
        self.query(sql)
    }
    /// The database the session is connected to (libpq's `PQdb`), for the
    /// cross-database check of `db.schema.name` patterns. `None` makes the
    /// check ask the server (`current_database()`), a query psql does not
    /// send.
    fn database(&self) -> Option<String> {
        None
    }
    /// psql's `HIDE_TABLEAM` variable: leave out "Access method" in `\d+`
    /// and `\dt+`.
    fn hide_tableam(&self) -> bool {
        false
    }
    /// psql's `HIDE_TOAST_COMPRESSION` variable: leave out the
    /// "Compression" column of `\d+`.
    fn hide_toast_compression(&self) -> bool {
        false
    }
}

/// One thing a catalog command prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A table, printed with the session's `\pset` options (a `\d`
    /// listing sets its own title and footers).
    Table(PrintTable),
    /// A table printed never expanded, whatever `\x` says (psql's `\d
    /// NAME`: "this output looks confusing in expanded mode").
    Unexpanded(PrintTable),
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

/// Runs a catalog command.
pub async fn run(describe: &Describe, catalog: &mut dyn Catalog, quiet: bool) -> Outcome {
    let mut cx = Ctx::new(catalog, quiet);
    let result = dispatch::run(&mut cx, describe).await;
    Outcome {
        outputs: cx.out,
        failed: result.is_err(),
    }
}

/// A command failed; what it printed is already recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failed;

impl From<CatalogError> for Failed {
    fn from(_: CatalogError) -> Self {
        Failed
    }
}

/// What a command handler returns.
pub(crate) type Done = Result<(), Failed>;

/// The state of one catalog command: the session, and what it printed.
pub(crate) struct Ctx<'a> {
    catalog: &'a mut dyn Catalog,
    /// The server's version number.
    pub(crate) version: u32,
    /// `-q`: psql leaves out some messages.
    pub(crate) quiet: bool,
    /// What was printed so far.
    pub(crate) out: Vec<Output>,
}

impl<'a> Ctx<'a> {
    fn new(catalog: &'a mut dyn Catalog, quiet: bool) -> Self {
        let version = catalog.server_version_num();
        Ctx {
            catalog,
            version,
            quiet,
            out: Vec::new(),
        }
    }

    /// Runs a query; an error has been reported by the session already.
    pub(crate) async fn query(&mut self, sql: &str) -> Result<QueryResult, Failed> {
        Ok(self.catalog.query(sql).await?)
    }

    /// Runs a query whose error psql reports in one line of its own.
    pub(crate) async fn query_minimal(&mut self, sql: &str) -> Result<QueryResult, Failed> {
        match self.catalog.query_silent(sql).await {
            Ok(result) => Ok(result),
            Err(CatalogError::Server(text)) => {
                let first = text.lines().next().unwrap_or("").to_owned();
                self.error(first);
                Err(Failed)
            }
            Err(_) => Err(Failed),
        }
    }

    /// Prints a table.
    pub(crate) fn table(&mut self, table: PrintTable) {
        self.out.push(Output::Table(table));
    }

    /// Records a table that is never printed expanded.
    pub(crate) fn unexpanded_table(&mut self, table: PrintTable) {
        self.out.push(Output::Unexpanded(table));
    }

    /// Logs an error message.
    pub(crate) fn error(&mut self, message: String) {
        self.out.push(Output::Error(message));
    }

    /// Logs an error message and fails.
    pub(crate) fn fail(&mut self, message: String) -> Done {
        self.error(message);
        Err(Failed)
    }

    /// `HIDE_TABLEAM`.
    pub(crate) fn hide_tableam(&self) -> bool {
        self.catalog.hide_tableam()
    }

    /// `HIDE_TOAST_COMPRESSION`.
    pub(crate) fn hide_compression(&self) -> bool {
        self.catalog.hide_toast_compression()
    }

    /// Refuses a pattern with too many dots or another database's name, as
    /// psql does before it sends anything.
    pub(crate) async fn check(&mut self, pat: Option<&str>, target: &pattern::Target<'_>) -> Done {
        let Some(p) = pat else { return Ok(()) };
        let database = if pattern::needs_database(pat, target) {
            match self.catalog.database() {
                Some(db) => db,
                None => {
                    let r = self.query("SELECT pg_catalog.current_database()").await?;
                    r.rows
                        .first()
                        .map(|row| sql::text(row, 0).to_owned())
                        .unwrap_or_default()
                }
            }
        } else {
            String::new()
        };
        match pattern::check(p, target, &database) {
            Ok(()) => Ok(()),
            Err(refused) => self.fail(refused.message()),
        }
    }

    /// Checks `pat`, adds its conditions to `sql`, and returns whether it
    /// added any.
    pub(crate) async fn filter(
        &mut self,
        sql: &mut sql::Sql,
        pat: Option<&str>,
        target: &pattern::Target<'_>,
    ) -> Result<bool, Failed> {
        self.check(pat, target).await?;
        Ok(pattern::add(sql, pat, false, target))
    }

    /// The end most listings share: `pat`'s conditions on `target`, then
    /// `order`, then the rows as a table titled `title`.
    pub(crate) async fn list(
        &mut self,
        mut sql: sql::Sql,
        pat: Option<&str>,
        target: &pattern::Target<'_>,
        order: &str,
        title: &str,
    ) -> Done {
        self.filter(&mut sql, pat, target).await?;
        self.show(sql, order, title).await
    }

    /// `sql` followed by `order`, run, its rows shown as a table titled
    /// `title`.
    pub(crate) async fn show(&mut self, mut sql: sql::Sql, order: &str, title: &str) -> Done {
        sql.push(order);
        let result = self.query(sql.text()).await?;
        self.table(sql::listing(title, result));
        Ok(())
    }
}
