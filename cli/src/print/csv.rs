//! The `csv` format: RFC 4180 fields separated by `csv_fieldsep`, lines
//! ended by `\n`, never a title or footer.
//!
//! A field is quoted (quotes doubled) when it holds the separator, a quote,
//! `\r` or `\n`, when it is exactly `\.`, or always when the separator is
//! `\` or `.`: those rules keep any line from reading as COPY's end-of-data
//! marker. An empty string is not quoted, so it prints like NULL (unless
//! `\pset null` says otherwise). Expanded, each field is a `name,value`
//! line, with nothing between records.

use super::content::Content;

fn field(out: &mut String, s: &str, sep: char) {
    let special = |c: char| c == sep || matches!(c, '\r' | '\n' | '"');
    let quote = sep == '\\' || sep == '.' || s == "\\." || needs_quote(s, sep, special);
    if !quote {
        out.push_str(s);
        return;
    }
    out.push('"');
    let mut rest = s;
    while let Some(i) = rest.find('"') {
        out.push_str(&rest[..=i]);
        out.push('"');
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// Whether `s` holds the separator, a quote or a line break: one pass
/// over the bytes when the separator is ASCII.
fn needs_quote(s: &str, sep: char, special: impl Fn(char) -> bool) -> bool {
    if sep.is_ascii() {
        let sep = u8::try_from(u32::from(sep)).unwrap_or(b',');
        s.bytes()
            .any(|b| b == sep || matches!(b, b'\r' | b'\n' | b'"'))
    } else {
        s.contains(special)
    }
}

/// Prints `c` as CSV.
pub(super) fn print(c: &Content<'_>, out: &mut String) {
    let sep = c.opts.csv_fieldsep;
    if c.part.start && !c.opts.tuples_only {
        for (i, h) in c.headers.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            field(out, h, sep);
        }
        out.push('\n');
    }
    for row in c.rows() {
        for (j, cell) in row.iter().enumerate() {
            if j > 0 {
                out.push(sep);
            }
            field(out, cell, sep);
        }
        out.push('\n');
    }
}

/// Prints `c` as expanded CSV: `name,value` lines.
pub(super) fn print_vertical(c: &Content<'_>, out: &mut String) {
    let sep = c.opts.csv_fieldsep;
    for row in c.rows() {
        for (header, cell) in c.headers.iter().zip(row) {
            field(out, header, sep);
            out.push(sep);
            field(out, cell, sep);
            out.push('\n');
        }
    }
}
