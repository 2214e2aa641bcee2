//! Regenerates the fixtures from a live psql 15. Ignored by default: it
//! needs a server.
//!
//! ```text
//! PRINT_FIXTURE_PSQL="psql -X -h /tmp/print-pg -p 55433 -U postgres -d postgres" \
//!   cargo test -p cor4-cli print::tests::generate -- --ignored --test-threads 1
//! ```
//!
//! Every case runs in a fresh `psql -q` (so no setting leaks into the
//! next) under `LC_ALL=C.UTF-8`, with the case's `\pset` settings and then
//! the table's query (a `SELECT` of typed literals built from
//! `tables.json`) or its own command. The server's encoding must be UTF8.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::{Map, Value};

use super::cases::all_cases;
use super::{dir, tables};

/// The psql command line from `PRINT_FIXTURE_PSQL`.
fn psql() -> Command {
    let line = std::env::var("PRINT_FIXTURE_PSQL").expect("set PRINT_FIXTURE_PSQL");
    let mut words = line.split_whitespace();
    let mut cmd = Command::new(words.next().expect("a program"));
    cmd.args(words)
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-f", "-"])
        .env("LC_ALL", "C.UTF-8")
        .env("PGCLIENTENCODING", "UTF8")
        .env_remove("COLUMNS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    cmd
}

/// Runs `script` in psql and returns what it printed.
fn run(script: &str) -> Vec<u8> {
    let mut child = psql().spawn().expect("start psql");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write the script");
    let out = child.wait_with_output().expect("psql output");
    assert!(out.status.success(), "psql failed on:\n{script}");
    out.stdout
}

/// A psql meta-command argument in single quotes.
fn quote_arg(s: &str) -> String {
    let mut q = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => q.push_str("''"),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            _ => q.push(c),
        }
    }
    q.push('\'');
    q
}

/// An SQL string literal (an `E''` string, control characters escaped).
fn literal(s: &str) -> String {
    let mut q = String::from("E'");
    for c in s.chars() {
        match c {
            '\'' => q.push_str("''"),
            '\\' => q.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(q, "\\u{:04x}", u32::from(c));
            }
            _ => q.push(c),
        }
    }
    q.push('\'');
    q
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The `SELECT` that returns table `t` of `tables.json`.
fn query(t: &Value) -> String {
    let columns = t["columns"].as_array().expect("columns");
    let rows = t["rows"].as_array().expect("rows");
    if columns.is_empty() {
        return format!("SELECT FROM generate_series(1, {})", rows.len());
    }
    let select = |row: Option<&Value>| {
        let items: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let ty = c[1].as_str().expect("a type");
                let value = match row.map(|r| &r[j]) {
                    Some(Value::String(s)) => literal(s),
                    _ => "NULL".to_owned(),
                };
                format!("{value}::{ty} AS {}", ident(c[0].as_str().expect("a name")))
            })
            .collect();
        format!("SELECT {}", items.join(", "))
    };
    if rows.is_empty() {
        return format!("{} WHERE false", select(None));
    }
    let selects: Vec<String> = rows.iter().map(|r| select(Some(r))).collect();
    selects.join("\nUNION ALL ")
}

/// The psql script for one case.
fn script(key: &Map<String, Value>, table: &Value) -> String {
    let mut s = String::new();
    if let Some(setup) = table.get("setup").and_then(Value::as_str) {
        s.push_str("SET client_min_messages = warning;\n");
        s.push_str(setup);
        s.push('\n');
    }
    for (name, value) in key {
        let v = value.as_str().expect("a string");
        let _ = match name.as_str() {
            "table" => Ok(()),
            "fetch_count" => writeln!(s, "\\set FETCH_COUNT {v}"),
            "fieldsep_zero" | "recordsep_zero" => writeln!(s, "\\pset {name}"),
            _ => writeln!(s, "\\pset {name} {}", quote_arg(v)),
        };
    }
    match table.get("command").and_then(Value::as_str) {
        Some(command) => s.push_str(command),
        None => {
            s.push_str(&query(table));
            s.push(';');
        }
    }
    s.push('\n');
    s
}

#[test]
#[ignore = "needs a PostgreSQL 15 server: set PRINT_FIXTURE_PSQL"]
fn regenerate_fixtures() {
    let tables = tables();
    let out_dir = dir().join("expected");
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).expect("expected/");
    for (file, keys) in all_cases() {
        let mut bytes = Vec::new();
        for key in keys {
            let table = &tables[key["table"].as_str().expect("table")];
            bytes.extend_from_slice(b"==== ");
            bytes.extend_from_slice(Value::Object(key.clone()).to_string().as_bytes());
            bytes.push(b'\n');
            bytes.extend_from_slice(&run(&script(&key, table)));
            bytes.push(b'\n');
        }
        std::fs::write(out_dir.join(format!("{file}.txt")), bytes).expect("write");
    }
}

/// The header of `width_table.rs`.
const WIDTH_TABLE_DOC: &str = "\
//! How wide psql 15 thinks each code point is on a terminal.
//!
//! psql sums one width per code point (no grapheme clustering): 0 for
//! combining and other non-spacing marks, 2 for East Asian wide and
//! full-width characters (and most emoji), 1 for the rest; control
//! characters are escaped instead (see [`super::text`]).
//!
//! These ranges were measured from psql 15.18 itself, not taken from a
//! Unicode library: every code point from U+0020 to U+10FFFF was printed
//! in an aligned table and its width read back from the padding psql put
//! after it (`tests::generate::regenerate_width_table` repeats this against
//! a live server). Unicode libraries disagree with psql 15 on hundreds of
//! code points (psql 15 has Unicode 14 tables and its own rules), so a
//! library's answer would misalign columns that psql aligns.
//!
//! Generated; do not edit by hand.
";

/// Appends a `const` of inclusive code point ranges.
fn ranges_const(out: &mut String, name: &str, doc: &str, ranges: &[(u32, u32)]) {
    let _ = writeln!(
        out,
        "\n/// {doc}\n#[rustfmt::skip]\npub(super) const {name}: &[(u32, u32)] = &["
    );
    for line in ranges.chunks(4) {
        let items: Vec<String> = line
            .iter()
            .map(|(a, b)| format!("(0x{a:04X}, 0x{b:04X})"))
            .collect();
        let _ = writeln!(out, "    {},", items.join(", "));
    }
    out.push_str("];\n");
}

#[test]
#[ignore = "needs a PostgreSQL 15 server: set PRINT_FIXTURE_PSQL"]
fn regenerate_width_table() {
    // Column c is 15 wide (the last row); a code point of width w is
    // followed by its 'Z' and 15 - w - 1 spaces.
    let out = run("\\pset border 2\n\\pset footer off\n\
        SELECT cp, chr(cp) || 'Z' AS c FROM generate_series(32, 1114111) cp \
        WHERE cp NOT BETWEEN 55296 AND 57343 \
        UNION ALL SELECT -1, repeat('X', 15) ORDER BY 1;\n");
    let text = String::from_utf8(out).expect("UTF-8");
    let mut widths: Vec<(u32, usize)> = Vec::new();
    let mut escaped = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let Some((cp, rest)) = line[1..].split_once(" | ") else {
            continue;
        };
        let Ok(cp) = cp.trim().parse::<u32>() else {
            continue;
        };
        let rest = rest.strip_suffix(" |").expect("border 2");
        let z = rest.rfind('Z').expect("the Z");
        let pad = rest.len() - z - 1;
        let shown = &rest[..z];
        let c = char::from_u32(cp).expect("a scalar value");
        if shown == c.to_string() {
            widths.push((cp, 15 - 1 - pad));
        } else {
            escaped.push(cp);
        }
    }
    assert_eq!(
        widths.len() + escaped.len(),
        0x10_ffff - 32 + 1 - 2048,
        "every code point"
    );
    // text.rs escapes U+007F to U+009F and drops the U+nFFFE, U+nFFFF of
    // planes 1 to 16: check psql still does exactly that.
    let expected: Vec<u32> = (0x7f..0xa0)
        .chain((1..=16u32).flat_map(|p| [p << 16 | 0xfffe, p << 16 | 0xffff]))
        .collect();
    assert_eq!(escaped, expected);
    let mut zero = Vec::new();
    let mut double = Vec::new();
    for (cp, w) in widths {
        let list = match w {
            0 => &mut zero,
            1 => continue,
            2 => &mut double,
            _ => panic!("U+{cp:04X} is {w} wide"),
        };
        match list.last_mut() {
            Some((_, hi)) if *hi + 1 == cp => *hi = cp,
            _ => list.push((cp, cp)),
        }
    }
    let mut file = WIDTH_TABLE_DOC.to_owned();
    ranges_const(
        &mut file,
        "ZERO_WIDTH",
        "Code points psql prints with width 0 (inclusive ranges, sorted).",
        &zero,
    );
    ranges_const(
        &mut file,
        "DOUBLE_WIDTH",
        "Code points psql prints with width 2 (inclusive ranges, sorted).",
        &double,
    );
    std::fs::write(dir().join("../width_table.rs"), file).expect("write width_table.rs");
}
