//! The rustyline helper: completion of SQL keywords, meta-commands, table,
//! column and schema names, and keyword highlighting.
//!
//! ```text
//!  editor thread (blocking)            REPL task (async, owns the Session)
//!  Tab ─▶ SqlHelper::complete
//!          cache empty? ──CatalogRequest──▶ load_catalog(session) (one query)
//!          ◀──────────── Arc<Catalog> ─────┘
//!  cached until a CREATE/DROP/ALTER runs: CatalogCache::invalidate
//! ```
//!
//! Statement completeness is not decided here: the shell reads a line at a
//! time as psql does, so that continuation lines get psql's `->` prompt,
//! and [`crate::scan`] decides where statements end. (A rustyline
//! `Validator` returning `Incomplete` would keep editing in one buffer,
//! with no prompt on the following lines.)

use std::borrow::Cow;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use crate::scan::{Class, classify, words_before};

mod words;

pub use words::{KEYWORDS, META_COMMANDS};

/// Names the completer offers besides keywords.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Tables, views and the like on the search path, sorted.
    pub tables: Vec<String>,
    /// Column names of those, sorted, without repeats.
    pub columns: Vec<String>,
    /// Schemas (the system ones too, not TOAST or temporary ones), sorted.
    pub schemas: Vec<String>,
    /// Relations of every schema as `schema.name`, quoted as needed, for
    /// completing after a `schema.` prefix.
    pub qualified: Vec<String>,
}

/// The catalog query: `kind` (`t` relation, `c` column, `s` schema) and a
/// name, as text. Bounded so that a huge catalog cannot stall the shell.
pub const CATALOG_SQL: &str = "SELECT 't'::pg_catalog.text, c.relname::pg_catalog.text
FROM pg_catalog.pg_class c
WHERE c.relkind IN ('r','p','v','m','f')
  AND pg_catalog.pg_table_is_visible(c.oid)
  AND c.relnamespace <> 'pg_catalog'::pg_catalog.regnamespace
  AND c.relnamespace <> 'information_schema'::pg_catalog.regnamespace
UNION
SELECT 'c', a.attname::pg_catalog.text
FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r','p','v','m','f')
  AND pg_catalog.pg_table_is_visible(c.oid)
  AND c.relnamespace <> 'pg_catalog'::pg_catalog.regnamespace
  AND c.relnamespace <> 'information_schema'::pg_catalog.regnamespace
UNION
SELECT 's', n.nspname::pg_catalog.text
FROM pg_catalog.pg_namespace n
WHERE n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
UNION
SELECT 'q', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','p','v','m','f')
  AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
ORDER BY 1, 2
LIMIT 20000";

impl Catalog {
    /// Builds a catalog from [`CATALOG_SQL`]'s `(kind, name)` rows.
    pub fn from_rows(rows: impl IntoIterator<Item = (String, String)>) -> Catalog {
        let mut catalog = Catalog::default();
        for (kind, name) in rows {
            match kind.as_str() {
                "t" => catalog.tables.push(name),
                "c" => catalog.columns.push(name),
                "s" => catalog.schemas.push(name),
                "q" => catalog.qualified.push(name),
                _ => {}
            }
        }
        for list in [
            &mut catalog.tables,
            &mut catalog.columns,
            &mut catalog.schemas,
            &mut catalog.qualified,
        ] {
            list.sort();
            list.dedup();
        }
        catalog
    }
}

/// A request from the editor thread for the catalog; the REPL answers it
/// between keystrokes, while the session is otherwise idle.
#[derive(Debug)]
pub struct CatalogRequest {
    /// Where to send the catalog (or nothing, when it could not be read).
    pub reply: mpsc::Sender<Option<Arc<Catalog>>>,
}

/// The cached catalog, shared by the helper and the REPL (which drops it
/// after DDL).
#[derive(Debug, Clone, Default)]
pub struct CatalogCache(Arc<Mutex<Option<Arc<Catalog>>>>);

impl CatalogCache {
    /// Forgets the catalog; the next completion reads it again.
    pub fn invalidate(&self) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = None;
        }
    }

    fn get(&self) -> Option<Arc<Catalog>> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }

    fn set(&self, catalog: Arc<Catalog>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(catalog);
        }
    }
}

/// Whether a statement may change what completion offers: its first word
/// is CREATE, DROP, ALTER (or a comment precedes one of them).
pub fn changes_catalog(statement: &str) -> bool {
    let first = classify(statement).into_iter().find(|(range, class)| {
        *class != Class::Comment && !statement[range.clone()].trim().is_empty()
    });
    first.is_some_and(|(range, class)| {
        class == Class::Word
            && matches!(
                statement[range].to_ascii_uppercase().as_str(),
                "CREATE" | "DROP" | "ALTER" | "COMMENT" | "IMPORT"
            )
    })
}

fn is_keyword(word: &str) -> bool {
    let upper = word.to_ascii_uppercase();
    KEYWORDS.binary_search(&upper.as_str()).is_ok()
}

/// A name as it must be typed: bare when it is lower case and plain,
/// double-quoted otherwise.
pub fn quote_ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain && !is_keyword(name) {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Where completion is: what was typed of the current word, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word<'a> {
    start: usize,
    text: &'a str,
    /// The word before it, upper-cased (`FROM`), if any.
    previous: Option<String>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '"' | '.' | '\\' | '?' | '+')
}

fn current_word(line: &str, pos: usize) -> Word<'_> {
    let before = &line[..pos];
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(pos, |(i, _)| i);
    let previous = words_before(line, start).next();
    Word {
        start,
        text: &line[start..pos],
        previous,
    }
}

/// The names to offer for `word`, by psql's rough rules: meta-commands
/// after a leading `\`, only relations after FROM/JOIN/INTO/UPDATE/TABLE,
/// otherwise keywords, columns, relations and schemas. Keywords follow the
/// case of what was typed.
fn candidates(word: &Word<'_>, line_start: bool, catalog: Option<&Catalog>) -> Vec<String> {
    let typed = word.text;
    if typed.starts_with('\\') {
        if !line_start {
            return Vec::new();
        }
        return META_COMMANDS
            .iter()
            .filter(|m| m.starts_with(typed))
            .map(|m| (*m).to_owned())
            .collect();
    }
    let lower = typed.trim_start_matches('"').to_lowercase();
    let matches = |name: &String| name.to_lowercase().starts_with(&lower);
    let relations_only = matches!(
        word.previous.as_deref(),
        Some("FROM" | "JOIN" | "INTO" | "UPDATE" | "TABLE" | "TRUNCATE")
    );
    let mut out: Vec<String> = Vec::new();
    if typed.contains('.') {
        // After `schema.`: that schema's relations.
        if let Some(catalog) = catalog {
            let lower_typed = typed.to_lowercase();
            out.extend(
                catalog
                    .qualified
                    .iter()
                    .filter(|n| n.to_lowercase().starts_with(&lower_typed))
                    .cloned(),
            );
        }
        return out;
    }
    if let Some(catalog) = catalog {
        out.extend(
            catalog
                .tables
                .iter()
                .filter(|n| matches(n))
                .map(|n| quote_ident(n)),
        );
        if !relations_only {
            out.extend(
                catalog
                    .columns
                    .iter()
                    .filter(|n| matches(n))
                    .map(|n| quote_ident(n)),
            );
        }
        out.extend(
            catalog
                .schemas
                .iter()
                .filter(|n| matches(n))
                .map(|n| format!("{}.", quote_ident(n))),
        );
    }
    if !relations_only && !typed.starts_with('"') {
        let lower_case = typed.chars().any(|c| c.is_lowercase());
        out.extend(
            KEYWORDS
                .iter()
                .filter(|k| k.to_lowercase().starts_with(&lower))
                .map(|k| {
                    if lower_case {
                        k.to_lowercase()
                    } else {
                        (*k).to_owned()
                    }
                }),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// The shell's rustyline helper.
#[derive(Debug)]
pub struct SqlHelper {
    requests: tokio::sync::mpsc::UnboundedSender<CatalogRequest>,
    cache: CatalogCache,
    color: bool,
}

impl SqlHelper {
    /// A helper that asks for the catalog on `requests` and keeps it in
    /// `cache`; `color` turns highlighting on.
    pub fn new(
        requests: tokio::sync::mpsc::UnboundedSender<CatalogRequest>,
        cache: CatalogCache,
        color: bool,
    ) -> Self {
        SqlHelper {
            requests,
            cache,
            color,
        }
    }

    /// The catalog, from the cache or asked for (waiting at most two
    /// seconds: a slow catalog must not freeze the keyboard).
    fn catalog(&self) -> Option<Arc<Catalog>> {
        if let Some(catalog) = self.cache.get() {
            return Some(catalog);
        }
        let (reply, answer) = mpsc::channel();
        self.requests.send(CatalogRequest { reply }).ok()?;
        let catalog = answer.recv_timeout(Duration::from_secs(2)).ok()??;
        self.cache.set(catalog.clone());
        Some(catalog)
    }
}

impl Completer for SqlHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let word = current_word(line, pos);
        let line_start = line[..word.start].trim().is_empty();
        let catalog = if word.text.starts_with('\\') {
            None
        } else {
            self.catalog()
        };
        let pairs = candidates(&word, line_start, catalog.as_deref())
            .into_iter()
            .map(|c| Pair {
                display: c.clone(),
                replacement: c,
            })
            .collect();
        Ok((word.start, pairs))
    }
}

const KEYWORD_STYLE: &str = "\x1b[1;34m";
const STRING_STYLE: &str = "\x1b[32m";
const COMMENT_STYLE: &str = "\x1b[90m";
const RESET: &str = "\x1b[0m";

/// Colours the keywords, string literals and comments of a line, as the
/// input lexer sees them.
pub fn highlight_sql(line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    for (range, class) in classify(line) {
        let text = &line[range];
        let style = match class {
            Class::Word if is_keyword(text) => KEYWORD_STYLE,
            Class::Literal => STRING_STYLE,
            Class::Comment => COMMENT_STYLE,
            Class::Word | Class::QuotedIdent | Class::Other => "",
        };
        if style.is_empty() {
            out.push_str(text);
        } else {
            out.push_str(style);
            out.push_str(text);
            out.push_str(RESET);
        }
    }
    out
}

impl Highlighter for SqlHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.starts_with('\\') {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight_sql(line))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.color && kind != CmdKind::MoveCursor
    }
}

impl Hinter for SqlHelper {
    type Hint = String;
}

impl Validator for SqlHelper {}

impl Helper for SqlHelper {}

#[cfg(test)]
mod tests;
