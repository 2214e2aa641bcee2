//! Printing results the way psql prints them, to any [`Write`].
//!
//! A result arrives as its columns, then rows in batches (at most
//! [`Settings::fetch_count`] at a time, like psql's `FETCH_COUNT`), then its
//! end. [`ResultWriter`] turns that into text in the chosen format; nothing
//! here holds more than one batch.
//!
//! ```text
//!  Columns ─▶ ResultWriter::new ─▶ write_rows(batch) … ─▶ finish(total rows)
//!                    │
//!                    ├─ aligned    psql's default table (border 1, ascii)
//!                    ├─ expanded   -x: one `name | value` line per column
//!                    ├─ unaligned  -A: fields joined by the separator
//!                    ├─ csv        --csv: byte for byte psql's
//!                    └─ json       --json: one object per row
//! ```
//!
//! Every value is rendered with [`cor4_protocol::pgtext::to_text`]: what
//! PostgreSQL itself prints.

pub mod aligned;
pub mod csv;
pub mod error;
pub mod expanded;
pub mod json;
pub mod pager;
pub mod unaligned;

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Duration;

use cor4_protocol::client::{Column, Row};
use cor4_protocol::pgtext;
use cor4_protocol::{Type, Value};

use crate::settings::{Format, Settings};

/// The text of a value, or the `\pset null` string for NULL.
pub fn cell_text(value: &Value, null: &str) -> String {
    pgtext::to_text(value).unwrap_or_else(|| null.to_owned())
}

/// A result column as the renderers need it: its name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The column name.
    pub name: String,
    /// The column type (numbers are right-aligned, JSON embedded).
    pub ty: Type,
}

impl Heading {
    /// A heading.
    pub fn new(name: &str, ty: Type) -> Self {
        Heading {
            name: name.to_owned(),
            ty,
        }
    }

    /// Headings for the client's columns.
    pub fn from_columns(columns: &[Column]) -> Arc<[Heading]> {
        columns
            .iter()
            .map(|c| Heading::new(c.name(), c.type_()))
            .collect()
    }
}

/// Anything holding a row's values: the client's [`Row`], or a plain
/// `Vec<Value>` in tests.
pub trait Values {
    /// The values, one per column.
    fn values(&self) -> &[Value];
}

impl Values for Row {
    fn values(&self) -> &[Value] {
        Row::values(self)
    }
}

impl Values for Vec<Value> {
    fn values(&self) -> &[Value] {
        self
    }
}

/// Prints one result in the format `settings` choose, batch by batch.
#[derive(Debug)]
pub struct ResultWriter {
    settings: Settings,
    columns: Arc<[Heading]>,
    /// Rows printed so far (record numbers in expanded mode continue).
    rows_done: u64,
    /// Whether anything of this result was printed (the header, in most
    /// formats).
    started: bool,
}

impl ResultWriter {
    /// A writer for a result with these columns.
    pub fn new(settings: &Settings, columns: Arc<[Heading]>) -> Self {
        ResultWriter {
            settings: settings.clone(),
            columns,
            rows_done: 0,
            started: false,
        }
    }

    /// Prints a batch of rows. In the aligned formats each batch is aligned
    /// on its own.
    pub fn write_rows<W: Write + ?Sized, R: Values>(
        &mut self,
        out: &mut W,
        rows: &[R],
    ) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let s = &self.settings;
        let first = !self.started;
        match (s.format, s.expanded) {
            (Format::Aligned, false) => {
                aligned::write_batch(out, &self.columns, rows, s, first)?;
            }
            (Format::Aligned, true) => {
                expanded::write_batch(out, &self.columns, rows, s, self.rows_done)?;
            }
            (Format::Unaligned, false) => {
                unaligned::write_batch(out, &self.columns, rows, s, first)?;
            }
            (Format::Unaligned, true) => {
                unaligned::write_expanded(out, &self.columns, rows, s, self.rows_done)?;
            }
            (Format::Csv, false) => csv::write_batch(out, &self.columns, rows, s, first)?,
            (Format::Csv, true) => csv::write_expanded(out, &self.columns, rows, s)?,
            (Format::Json, _) => json::write_batch(out, &self.columns, rows)?,
        }
        self.started = true;
        self.rows_done += rows.len() as u64;
        Ok(())
    }

    /// Ends the result: the header if no row came, then the footer
    /// (`(N rows)`) as the format has it.
    pub fn finish<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        let s = &self.settings;
        let total = self.rows_done;
        let started = self.started;
        match (s.format, s.expanded) {
            (Format::Aligned, false) => {
                if !started {
                    aligned::write_batch::<_, Vec<Value>>(out, &self.columns, &[], s, true)?;
                }
                aligned::write_footer(out, total, s)?;
            }
            (Format::Aligned, true) => expanded::write_footer(out, total, s)?,
            (Format::Unaligned, false) => {
                if !started {
                    unaligned::write_batch::<_, Vec<Value>>(out, &self.columns, &[], s, true)?;
                }
                unaligned::write_footer(out, total, s)?;
            }
            // psql's `-A -x` has no footer, not even `(0 rows)`.
            (Format::Unaligned, true) => {}
            (Format::Csv, false) => {
                if !started {
                    csv::write_batch::<_, Vec<Value>>(out, &self.columns, &[], s, true)?;
                }
            }
            (Format::Csv, true) | (Format::Json, _) => {}
        }
        self.started = true;
        Ok(())
    }
}

/// `(1 row)` / `(N rows)`.
pub fn rows_footer(n: u64) -> String {
    if n == 1 {
        "(1 row)".to_owned()
    } else {
        format!("({n} rows)")
    }
}

/// Whether psql prints the command tag after a result with rows: for
/// `INSERT/UPDATE/DELETE/MERGE … RETURNING`.
pub fn tag_follows_rows(tag: &str) -> bool {
    ["INSERT", "UPDATE", "DELETE", "MERGE"]
        .iter()
        .any(|p| tag.starts_with(p))
}

/// psql's `\timing` line: `Time: 0.412 ms`, with `(mm:ss.sss)` and longer
/// forms past a second.
pub fn timing_line(elapsed: Duration) -> String {
    let us = elapsed.as_micros();
    let ms = format!("{}.{:03}", us / 1000, us % 1000);
    if us < 1_000_000 {
        return format!("Time: {ms} ms");
    }
    // The clock part, in whole milliseconds.
    let total_ms = (us + 500) / 1000;
    let seconds = format!("{:02}.{:03}", total_ms / 1000 % 60, total_ms % 1000);
    let minutes = total_ms / 60_000;
    if minutes < 60 {
        return format!("Time: {ms} ms ({minutes:02}:{seconds})");
    }
    let hours = minutes / 60;
    if hours < 24 {
        return format!("Time: {ms} ms ({hours:02}:{:02}:{seconds})", minutes % 60);
    }
    format!(
        "Time: {ms} ms ({} d {:02}:{:02}:{seconds})",
        hours / 24,
        hours % 24,
        minutes % 60
    )
}

/// Display width of one character as psql counts it (PostgreSQL's
/// `ucs_wcwidth`): `None` for control characters, 0 for combining marks, 2
/// for East Asian wide and fullwidth characters (emoji included).
pub fn char_width(c: char) -> Option<usize> {
    let u = u32::from(c);
    if u < 0x20 || (0x7f..0xa0).contains(&u) {
        return None;
    }
    Some(unicode_width::UnicodeWidthChar::width(c).unwrap_or(1))
}

/// One display line of a cell, already escaped as psql shows it, with its
/// width in terminal columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text to print.
    pub text: String,
    /// Its display width.
    pub width: usize,
}

/// Splits a value into display lines as psql's `pg_wcsformat` does: `\n`
/// starts a new line, `\r` shows as `\r`, a tab becomes spaces to the next
/// multiple of 8, other control characters show as `\xHH` (ASCII) or
/// `\uHHHH`.
pub fn format_lines(s: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut text = String::new();
    let mut width = 0usize;
    for c in s.chars() {
        match c {
            '\n' => {
                lines.push(Line {
                    text: std::mem::take(&mut text),
                    width,
                });
                width = 0;
            }
            '\r' => {
                text.push_str("\\r");
                width += 2;
            }
            '\t' => loop {
                text.push(' ');
                width += 1;
                if width % 8 == 0 {
                    break;
                }
            },
            _ => match char_width(c) {
                Some(w) => {
                    text.push(c);
                    width += w;
                }
                None if c.is_ascii() => {
                    text.push_str(&format!("\\x{:02X}", u32::from(c)));
                    width += 4;
                }
                None => {
                    text.push_str(&format!("\\u{:04X}", u32::from(c)));
                    width += 6;
                }
            },
        }
    }
    lines.push(Line { text, width });
    lines
}

/// Writes `n` spaces.
pub(crate) fn pad<W: Write + ?Sized>(out: &mut W, n: usize) -> io::Result<()> {
    const SPACES: &[u8; 64] = &[b' '; 64];
    let mut left = n;
    while left > 0 {
        let k = left.min(SPACES.len());
        out.write_all(&SPACES[..k])?;
        left -= k;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Helpers for renderer tests.

    use cor4_protocol::Type;

    use super::Heading;

    /// Headings from `(name, type)` pairs.
    pub fn headings(spec: &[(&str, Type)]) -> Vec<Heading> {
        spec.iter().map(|(n, t)| Heading::new(n, *t)).collect()
    }

    /// Renders with `f` into a string.
    pub fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).expect("write to a Vec");
        String::from_utf8(out).expect("utf-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_share_one_header_and_one_footer() {
        use crate::render::test_support::{headings, render};
        let settings = Settings::default();
        let got = render(|out| {
            let mut w = ResultWriter::new(&settings, headings(&[("n", Type::Int4)]).into());
            w.write_rows(out, &[vec![Value::Int4(1)], vec![Value::Int4(2)]])?;
            w.write_rows(out, &[vec![Value::Int4(1000)]])?;
            w.finish(out)
        });
        // Each batch is aligned on its own, as with psql's FETCH_COUNT.
        assert_eq!(got, " n \n---\n 1\n 2\n 1000\n(3 rows)\n\n");
    }

    #[test]
    fn footer_says_row_or_rows() {
        assert_eq!(rows_footer(0), "(0 rows)");
        assert_eq!(rows_footer(1), "(1 row)");
        assert_eq!(rows_footer(2000000), "(2000000 rows)");
    }

    #[test]
    fn timing_matches_psql_forms() {
        assert_eq!(timing_line(Duration::from_micros(1234)), "Time: 1.234 ms");
        assert_eq!(
            timing_line(Duration::from_millis(61_500)),
            "Time: 61500.000 ms (01:01.500)"
        );
        assert_eq!(
            timing_line(Duration::from_secs(3_725)),
            "Time: 3725000.000 ms (01:02:05.000)"
        );
        assert_eq!(
            timing_line(Duration::from_secs(90_061)),
            "Time: 90061000.000 ms (1 d 01:01:01.000)"
        );
    }

    #[test]
    fn lines_escape_like_pg_wcsformat() {
        let l = format_lines("a\tb\rc\u{1}\u{85}\nx");
        assert_eq!(l[0].text, "a       b\\rc\\x01\\u0085");
        assert_eq!(l[0].width, 8 + 1 + 2 + 1 + 4 + 6);
        assert_eq!(l[1].text, "x");
        assert_eq!(format_lines("日本😀")[0].width, 6);
        assert_eq!(format_lines("e\u{301}")[0].width, 1);
    }
}
