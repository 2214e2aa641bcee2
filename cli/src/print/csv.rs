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
    let quote =
        s.contains(sep) || s.contains(['\r', '\n', '"']) || s == "\\." || sep == '\\' || sep == '.';
    if quote {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
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
