//! `print_table` against psql 15.18, byte for byte.
//!
//! ```text
//!  tables.json            the tables: columns (name, SQL type), rows of
//!                         text (null for NULL); a `\d` listing also has its
//!                         title, footers and the command that prints it
//!  expected/FMT-TABLE.txt what psql printed: sections of
//!                           ==== {"table":"menu","border":"2",…}
//!                           <psql's bytes>
//!  corpus.rs              the tables of tests/psql/corpus/21–34, found in
//!                         psql's saved output for those scripts
//!  generate.rs            rewrites expected/ and ../width_table.rs from a
//!                         live psql (ignored test; see there)
//! ```
//!
//! A section's key names the table and the `\pset` settings psql ran with
//! (any left out keep psql's default); `fetch_count` prints the result in
//! chunks of that many rows, as psql does with `FETCH_COUNT`. The test
//! builds the [`PrintTable`] psql would have built (right alignment for the
//! numeric types, as psql's `column_type_alignment`), prints it with the
//! same options and compares.

mod cases;
mod corpus;
mod generate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{
    Align, Expanded, Format, LineStyle, Part, PrintOptions, PrintTable, UnicodeLine, print_table,
};

/// The folder of this module's fixtures.
fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/print/tests")
}

/// All tables of `tables.json`.
fn tables() -> Map<String, Value> {
    let text = std::fs::read_to_string(dir().join("tables.json")).expect("tables.json");
    match serde_json::from_str(&text).expect("tables.json is JSON") {
        Value::Object(m) => m,
        _ => panic!("tables.json is not an object"),
    }
}

/// How psql aligns a column of this SQL type.
fn align_for(sql_type: &str) -> Align {
    let base = sql_type.split('(').next().unwrap_or(sql_type).trim();
    match base {
        "smallint" | "integer" | "bigint" | "real" | "double precision" | "numeric" | "oid"
        | "xid" | "xid8" | "cid" | "money" => Align::Right,
        _ => Align::Left,
    }
}

fn text(v: &Value) -> String {
    v.as_str().expect("a string").to_owned()
}

/// The [`PrintTable`] psql builds for table `name`.
fn table(tables: &Map<String, Value>, name: &str) -> PrintTable {
    let t = &tables[name];
    let columns = t["columns"].as_array().expect("columns");
    PrintTable {
        title: t.get("title").map(text),
        headers: columns.iter().map(|c| text(&c[0])).collect(),
        aligns: columns.iter().map(|c| align_for(&text(&c[1]))).collect(),
        cells: t["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                let r = r.as_array().expect("a row");
                r.iter().map(|v| v.as_str().map(str::to_owned)).collect()
            })
            .collect(),
        footers: t
            .get("footers")
            .map(|f| f.as_array().expect("footers").iter().map(text).collect()),
    }
}

fn on(v: &str) -> bool {
    matches!(v, "on" | "true" | "1")
}

fn unicode_line(v: &str) -> UnicodeLine {
    match v {
        "double" => UnicodeLine::Double,
        _ => UnicodeLine::Single,
    }
}

/// The options a case key describes, and its `fetch_count`.
fn options(key: &Map<String, Value>) -> (PrintOptions, usize) {
    let mut o = PrintOptions::default();
    let mut fetch = 0;
    for (name, value) in key {
        let v = value.as_str().expect("string values");
        let number = || v.parse::<usize>().expect("a number");
        match name.as_str() {
            "table" => {}
            "format" => {
                o.format = match v {
                    "aligned" => Format::Aligned,
                    "unaligned" => Format::Unaligned,
                    "wrapped" => Format::Wrapped,
                    "csv" => Format::Csv,
                    "html" => Format::Html,
                    "asciidoc" => Format::Asciidoc,
                    "latex" => Format::Latex,
                    "latex-longtable" => Format::LatexLongtable,
                    "troff-ms" => Format::TroffMs,
                    _ => panic!("format {v}"),
                }
            }
            "border" => o.border = v.parse().expect("border"),
            "expanded" => {
                o.expanded = match v {
                    "auto" => Expanded::Auto,
                    _ if on(v) => Expanded::On,
                    _ => Expanded::Off,
                }
            }
            "tuples_only" => o.tuples_only = on(v),
            "footer" => o.default_footer = on(v),
            "title" => o.title = Some(v.to_owned()),
            "fieldsep" => o.fieldsep = Some(v.to_owned()),
            "fieldsep_zero" => o.fieldsep = None,
            "recordsep" => o.recordsep = Some(v.to_owned()),
            "recordsep_zero" => o.recordsep = None,
            "csv_fieldsep" => o.csv_fieldsep = v.chars().next().expect("a separator"),
            "null" => o.null = v.to_owned(),
            "tableattr" => o.tableattr = Some(v.to_owned()),
            "numericlocale" => o.numericlocale = on(v),
            "linestyle" => {
                o.linestyle = match v {
                    "old-ascii" => LineStyle::OldAscii,
                    "unicode" => LineStyle::Unicode,
                    _ => LineStyle::Ascii,
                }
            }
            "unicode_border_linestyle" => o.unicode_border = unicode_line(v),
            "unicode_column_linestyle" => o.unicode_column = unicode_line(v),
            "unicode_header_linestyle" => o.unicode_header = unicode_line(v),
            "columns" => o.columns = number(),
            "fetch_count" => fetch = number(),
            _ => panic!("unknown setting {name}"),
        }
    }
    (o, fetch)
}

/// What `print_table` prints for `table`, in chunks of `fetch` rows as
/// psql's `FETCH_COUNT` loop does (a last, empty chunk when the rows divide
/// evenly), or whole when `fetch` is 0.
///
/// Like psql's loop printing to stdout, a result with at least one full
/// chunk is printed as if to a pager, so `expanded auto` prints expanded.
fn render(table: &PrintTable, opts: &PrintOptions, fetch: usize) -> Vec<u8> {
    let mut out = Vec::new();
    if fetch == 0 {
        print_table(&mut out, table, opts, Part::WHOLE).expect("print");
        return out;
    }
    let mut opts = opts.clone();
    if opts.expanded == Expanded::Auto && table.cells.len() >= fetch {
        opts.expanded = Expanded::On;
    }
    let opts = &opts;
    let mut prior = 0;
    loop {
        let rows: Vec<_> = table
            .cells
            .iter()
            .skip(prior)
            .take(fetch)
            .cloned()
            .collect();
        let stop = rows.len() < fetch;
        let n = rows.len();
        let chunk = PrintTable {
            cells: rows,
            ..table.clone()
        };
        let part = Part {
            start: prior == 0,
            stop,
            prior_records: u64::try_from(prior).expect("a row count"),
        };
        print_table(&mut out, &chunk, opts, part).expect("print");
        prior += n;
        if stop {
            return out;
        }
    }
}

/// One case of an expected file.
struct Case {
    key: Map<String, Value>,
    expected: Vec<u8>,
}

const MARK: &[u8] = b"==== ";

/// The cases of an expected file.
fn cases(bytes: &[u8]) -> Vec<Case> {
    let body = bytes.strip_prefix(MARK).expect("starts with a case");
    let mut sep = b"\n".to_vec();
    sep.extend_from_slice(MARK);
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.windows(sep.len()).position(|w| w == sep.as_slice()) {
        parts.push(&rest[..at]);
        rest = &rest[at + sep.len()..];
    }
    parts.push(rest.strip_suffix(b"\n").expect("ends with a newline"));
    parts
        .into_iter()
        .map(|part| {
            let nl = part.iter().position(|&b| b == b'\n').expect("a key line");
            let key = match serde_json::from_slice(&part[..nl]).expect("a JSON key") {
                Value::Object(m) => m,
                _ => panic!("a key is an object"),
            };
            Case {
                key,
                expected: part[nl + 1..].to_vec(),
            }
        })
        .collect()
}

/// Shows bytes with control characters visible, for failure messages.
fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\0', "\\0")
}

/// Checks every case of every expected file whose name starts with
/// `prefix`; fails listing all mismatches.
fn check(prefix: &str) {
    let tables = tables();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir().join("expected"))
        .expect("expected/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{prefix}-")))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no expected/{prefix}-*.txt");
    let mut failures = BTreeMap::new();
    let mut count = 0;
    for file in &files {
        let bytes = std::fs::read(file).expect("read");
        for case in cases(&bytes) {
            count += 1;
            let name = case.key["table"].as_str().expect("table");
            let (opts, fetch) = options(&case.key);
            let got = render(&table(&tables, name), &opts, fetch);
            if got != case.expected {
                let key = Value::Object(case.key.clone()).to_string();
                failures.insert(
                    key,
                    format!(
                        "--- psql\n{}--- print_table\n{}",
                        show(&case.expected),
                        show(&got)
                    ),
                );
            }
        }
    }
    let report: String = failures
        .iter()
        .take(5)
        .map(|(k, v)| format!("\n==== {k}\n{v}"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ from psql; the first:{report}",
        failures.len()
    );
}

#[test]
fn aligned_matches_psql() {
    check("aligned");
}

#[test]
fn expanded_matches_psql() {
    check("expanded");
}

#[test]
fn wrapped_matches_psql() {
    check("wrapped");
}

#[test]
fn unaligned_matches_psql() {
    check("unaligned");
}

#[test]
fn csv_matches_psql() {
    check("csv");
}

#[test]
fn html_matches_psql() {
    check("html");
}

#[test]
fn asciidoc_matches_psql() {
    check("asciidoc");
}

#[test]
fn latex_matches_psql() {
    check("latex");
}

#[test]
fn latex_longtable_matches_psql() {
    check("longtable");
}

#[test]
fn troff_ms_matches_psql() {
    check("troff");
}

#[test]
fn numericlocale_matches_psql() {
    check("numericlocale");
}

#[test]
fn chunked_matches_psql() {
    check("chunked");
}

/// psql measures against `\pset columns`, else the terminal's width when
/// printing to one, else nothing: auto-expansion follows the same order.
#[test]
fn expanded_auto_uses_columns_then_the_terminal() {
    let tables = tables();
    let menu = table(&tables, "menu");
    let expanded = |columns: usize, terminal: Option<usize>| {
        let opts = PrintOptions {
            expanded: Expanded::Auto,
            columns,
            terminal_columns: terminal,
            ..PrintOptions::default()
        };
        let out = render(&menu, &opts, 0);
        String::from_utf8(out)
            .expect("UTF-8")
            .starts_with("-[ RECORD 1 ]")
    };
    assert!(!expanded(0, None));
    assert!(expanded(0, Some(20)));
    assert!(!expanded(0, Some(80)));
    assert!(!expanded(80, Some(20)));
    assert!(expanded(20, Some(80)));
}

/// The smallest use: a two-column table in psql's default aligned format.
#[test]
fn prints_a_small_table_as_psql_does() {
    let table = PrintTable {
        headers: vec!["n".into(), "word".into()],
        aligns: vec![Align::Right, Align::Left],
        cells: vec![
            vec![Some("1".into()), Some("one".into())],
            vec![Some("22".into()), None],
        ],
        ..PrintTable::default()
    };
    let mut out = Vec::new();
    print_table(&mut out, &table, &PrintOptions::default(), Part::WHOLE).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        " n  | word \n----+------\n  1 | one\n 22 | \n(2 rows)\n\n"
    );
}
