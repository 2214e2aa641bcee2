//! The live catalog, psql runs, and the comparison of their outputs.

use std::process::Command;

use tokio_postgres::{Client, NoTls, SimpleQueryMessage};

use super::super::{Catalog, CatalogError, Describe, Output, QueryFuture, QueryResult, run};
use crate::print::PrintTable;

/// Field and record separators for psql's unaligned output.
const FS: &str = "\u{1f}";
const RS: &str = "\u{1e}";
/// How NULL prints in both outputs.
const NULL: &str = "<NULL>";

/// A [`Catalog`] over a tokio-postgres connection: types from a prepared
/// statement, rows as text from the simple protocol.
pub(super) struct Live {
    client: Client,
    version: u32,
    /// Errors "printed" by the session, as psql prints them.
    printed: Vec<String>,
    /// `HIDE_TABLEAM` and `HIDE_TOAST_COMPRESSION`.
    pub(super) hide: bool,
}

impl Live {
    /// Connects with `conninfo`.
    pub(super) async fn connect(conninfo: &str) -> Result<Live, String> {
        let (client, conn) = tokio_postgres::connect(conninfo, NoTls)
            .await
            .map_err(|e| format!("connect {conninfo}: {e}"))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let rows = client
            .simple_query("SHOW server_version_num")
            .await
            .map_err(|e| e.to_string())?;
        let version = rows
            .iter()
            .find_map(|m| match m {
                SimpleQueryMessage::Row(r) => r.get(0).and_then(|v| v.parse().ok()),
                _ => None,
            })
            .unwrap_or(0);
        Ok(Live {
            client,
            version,
            printed: Vec::new(),
            hide: false,
        })
    }

    /// Runs `sql` (statements separated by semicolons).
    pub(super) async fn batch(&self, sql: &str) -> Result<(), String> {
        self.client
            .batch_execute(sql)
            .await
            .map_err(|e| format!("{e:?}"))
    }

    async fn fetch(&mut self, sql: &str) -> Result<QueryResult, CatalogError> {
        let message = |e: tokio_postgres::Error| match e.as_db_error() {
            Some(db) => CatalogError::Server(format!("{}:  {}", db.severity(), db.message())),
            None => CatalogError::ConnectionLost,
        };
        let statement = self.client.prepare(sql).await.map_err(message)?;
        let types = statement
            .columns()
            .iter()
            .map(|c| c.type_().oid())
            .collect();
        let columns = statement
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        let messages = self.client.simple_query(sql).await.map_err(message)?;
        let rows = messages
            .iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(r) => {
                    Some((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect())
                }
                _ => None,
            })
            .collect();
        Ok(QueryResult {
            columns,
            types,
            rows,
        })
    }
}

impl Catalog for Live {
    fn query<'a>(&'a mut self, sql: &'a str) -> QueryFuture<'a> {
        Box::pin(async move {
            let result = self.fetch(sql).await;
            if let Err(CatalogError::Server(text)) = &result {
                self.printed.push(text.clone());
            }
            result
        })
    }

    fn query_silent<'a>(&'a mut self, sql: &'a str) -> QueryFuture<'a> {
        Box::pin(self.fetch(sql))
    }

    fn server_version_num(&self) -> u32 {
        self.version
    }

    fn hide_tableam(&self) -> bool {
        self.hide
    }

    fn hide_toast_compression(&self) -> bool {
        self.hide
    }
}

/// Splits a backslash command line as psql's lexer would for these
/// commands: single quotes removed, double quotes kept; `\sf`/`\sv` take
/// the rest of the line.
pub(super) fn parse(line: &str) -> Describe {
    let line = line.trim().trim_start_matches('\\');
    let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
    let mut args = Vec::new();
    if command.starts_with("sf") || command.starts_with("sv") {
        if !rest.trim().is_empty() {
            args.push(rest.trim().to_owned());
        }
    } else {
        let mut cur = String::new();
        let mut started = false;
        let (mut single, mut double) = (false, false);
        for ch in rest.chars() {
            match ch {
                '\'' if !double => {
                    single = !single;
                    started = true;
                }
                '"' if !single => {
                    double = !double;
                    cur.push(ch);
                    started = true;
                }
                c if c.is_whitespace() && !single && !double => {
                    if started {
                        args.push(std::mem::take(&mut cur));
                        started = false;
                    }
                }
                c => {
                    cur.push(c);
                    started = true;
                }
            }
        }
        if started {
            args.push(cur);
        }
    }
    Describe {
        command: command.to_owned(),
        args,
    }
}

/// A table as psql prints it unaligned with our separators.
fn unaligned(table: &PrintTable) -> String {
    let mut out = String::new();
    if let Some(title) = &table.title {
        out.push_str(title);
        out.push_str(RS);
    }
    out.push_str(&table.headers.join(FS));
    for row in &table.cells {
        out.push_str(RS);
        let cells: Vec<&str> = row.iter().map(|c| c.as_deref().unwrap_or(NULL)).collect();
        out.push_str(&cells.join(FS));
    }
    let footers = match &table.footers {
        Some(f) => f.clone(),
        None => {
            let n = table.cells.len();
            vec![format!("({n} row{})", if n == 1 { "" } else { "s" })]
        }
    };
    for f in footers {
        out.push_str(RS);
        out.push_str(&f);
    }
    out.push('\n');
    out
}

/// What one case printed: stdout and the error lines.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Printed {
    pub(super) stdout: String,
    pub(super) errors: Vec<String>,
}

/// Runs one command through [`run`].
pub(super) async fn ours(live: &mut Live, line: &str, quiet: bool) -> Printed {
    live.printed.clear();
    let outcome = run(&parse(line), live, quiet).await;
    let mut printed = Printed::default();
    for output in outcome.outputs {
        match output {
            Output::Table(t) => printed.stdout.push_str(&unaligned(&t)),
            Output::Text(t) => printed.stdout.push_str(&t),
            Output::Error(e) => printed.errors.push(e),
        }
    }
    let mut errors = std::mem::take(&mut live.printed);
    errors.append(&mut printed.errors);
    printed.errors = errors;
    printed
}

/// Whether psql fails running `line` alone with `-c` (exit status 1).
pub(super) fn psql_fails(conninfo: &str, line: &str) -> Result<bool, String> {
    let program = std::env::var("COR4_DESCRIBE_TEST_PSQL").unwrap_or_else(|_| "psql".to_owned());
    let status = Command::new(program)
        .args(["-X", "-q", "-d", conninfo, "-c", line])
        .output()
        .map_err(|e| format!("psql: {e}"))?
        .status;
    Ok(!status.success())
}

/// Whether [`run`] reports `line` as failed.
pub(super) async fn ours_fails(live: &mut Live, line: &str) -> bool {
    run(&parse(line), live, true).await.failed
}

/// Runs every command in one psql process and splits its output by case.
pub(super) fn psql(conninfo: &str, lines: &[&str], extra: &[&str]) -> Result<Vec<Printed>, String> {
    let mut script = String::new();
    for (i, line) in lines.iter().enumerate() {
        script.push_str(&format!(
            "\\echo ===CASE {i}===\n\\warn ===CASE {i}===\n{line}\n"
        ));
    }
    let dir = std::env::temp_dir().join(format!("cor4-describe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("cases.sql");
    std::fs::write(&file, script).map_err(|e| e.to_string())?;
    let program = std::env::var("COR4_DESCRIBE_TEST_PSQL").unwrap_or_else(|_| "psql".to_owned());
    let output = Command::new(program)
        .args([
            "-X",
            "-A",
            "-F",
            FS,
            "-R",
            RS,
            "-P",
            &format!("null={NULL}"),
        ])
        .args(extra)
        .args(["-d", conninfo, "-f"])
        .arg(&file)
        .output()
        .map_err(|e| format!("psql: {e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut cases: Vec<Printed> = (0..lines.len()).map(|_| Printed::default()).collect();
    let mut current: Option<usize> = None;
    for chunk in stdout.split_inclusive('\n') {
        if let Some(n) = marker(chunk) {
            current = Some(n);
        } else if let Some(case) = current.and_then(|n| cases.get_mut(n)) {
            case.stdout.push_str(chunk);
        }
    }
    current = None;
    for l in stderr.lines() {
        if let Some(n) = marker(l) {
            current = Some(n);
            continue;
        }
        let Some(case) = current.and_then(|n| cases.get_mut(n)) else {
            continue;
        };
        // "psql:FILE:LINE: error: msg" or "psql:FILE:LINE: ERROR:  msg";
        // continuation lines (DETAIL, LINE …) have no prefix.
        if let Some(msg) = l
            .strip_prefix("psql:")
            .and_then(|r| r.splitn(3, ':').nth(2))
        {
            let msg = msg.trim_start();
            case.errors
                .push(msg.strip_prefix("error: ").unwrap_or(msg).to_owned());
        }
    }
    Ok(cases)
}

/// The case number of a marker line.
fn marker(line: &str) -> Option<usize> {
    line.trim_end()
        .strip_prefix("===CASE ")?
        .strip_suffix("===")?
        .parse()
        .ok()
}
