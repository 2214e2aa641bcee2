//! psql's expanded aligned format (`-x`, `\x`): a `-[ RECORD n ]-` line,
//! then one `name | value` line per column (psql's `print_aligned_vertical`
//! with border 1, non-wrapped).

use std::io::{self, Write};

use super::{Heading, Line, Values, cell_text, format_lines, pad};
use crate::settings::Settings;

/// Prints a batch of records; `done` records were printed before it (the
/// numbering goes on). Widths come from this batch.
pub fn write_batch<W: Write + ?Sized, R: Values>(
    out: &mut W,
    columns: &[Heading],
    rows: &[R],
    settings: &Settings,
    done: u64,
) -> io::Result<()> {
    let heads: Vec<Vec<Line>> = columns.iter().map(|c| format_lines(&c.name)).collect();
    let hwidth = heads
        .iter()
        .flat_map(|h| h.iter().map(|l| l.width))
        .max()
        .unwrap_or(0);
    let cells: Vec<Vec<Vec<Line>>> = rows
        .iter()
        .map(|r| {
            r.values()
                .iter()
                .map(|v| format_lines(&cell_text(v, &settings.null)))
                .collect()
        })
        .collect();
    let dwidth = cells
        .iter()
        .flatten()
        .flat_map(|c| c.iter().map(|l| l.width))
        .max()
        .unwrap_or(0);
    for (i, row) in cells.iter().enumerate() {
        let record = done + i as u64 + 1;
        if !settings.tuples_only {
            record_line(out, Some(record), hwidth, dwidth)?;
        } else if record != 1 {
            record_line(out, None, hwidth, dwidth)?;
        }
        for (head, data) in heads.iter().zip(row) {
            write_field(out, head, data, hwidth, dwidth)?;
        }
    }
    Ok(())
}

/// Ends the result: `(0 rows)` when there was none (psql prints no row
/// count otherwise in expanded mode), then a blank line.
pub fn write_footer<W: Write + ?Sized>(
    out: &mut W,
    total: u64,
    settings: &Settings,
) -> io::Result<()> {
    if total == 0 && !settings.tuples_only {
        writeln!(out, "(0 rows)")?;
    }
    writeln!(out)
}

/// `-[ RECORD 1 ]---+-----`, or the bare `--+--` between records of a
/// tuples-only listing (psql's `print_aligned_vertical_line`).
fn record_line<W: Write + ?Sized>(
    out: &mut W,
    record: Option<u64>,
    hwidth: usize,
    dwidth: usize,
) -> io::Result<()> {
    let mut s = String::from("-");
    if let Some(n) = record {
        s.push_str(&format!("[ RECORD {n} ]"));
    }
    // How far the line already reaches past the header column: the record
    // label eats into the dashes of the header column, the ` | ` marks and
    // the value column, in that order.
    let reclen = s.len();
    s.extend(std::iter::repeat_n('-', hwidth.saturating_sub(reclen)));
    let mut over = reclen.saturating_sub(hwidth);
    for mark in ['-', '+', '-'] {
        if over == 0 {
            s.push(mark);
        }
        over = over.saturating_sub(1);
    }
    s.extend(std::iter::repeat_n('-', dwidth.saturating_sub(over)));
    s.push('\n');
    out.write_all(s.as_bytes())
}

fn write_field<W: Write + ?Sized>(
    out: &mut W,
    head: &[Line],
    data: &[Line],
    hwidth: usize,
    dwidth: usize,
) -> io::Result<()> {
    let (mut h, mut d) = (0, 0);
    while h < head.len() || d < data.len() {
        if let Some(line) = head.get(h) {
            out.write_all(line.text.as_bytes())?;
            pad(out, hwidth - line.width)?;
            out.write_all(if h + 1 < head.len() { b"+" } else { b" " })?;
            h += 1;
        } else {
            pad(out, hwidth + 1)?;
        }
        out.write_all(b"|")?;
        if let Some(line) = data.get(d) {
            out.write_all(b" ")?;
            out.write_all(line.text.as_bytes())?;
            d += 1;
            if d < data.len() {
                // A value going on: padded to the widest value, then `+`.
                pad(out, dwidth.saturating_sub(line.width))?;
                out.write_all(b"+")?;
            }
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use cor4_protocol::{Type, Value};

    use super::*;
    use crate::render::ResultWriter;
    use crate::render::test_support::{headings, render};

    fn expanded(settings: &mut Settings, rows: Vec<Vec<Value>>) -> String {
        settings.expanded = true;
        let spec = [
            ("a", Type::Int4),
            ("longname", Type::Text),
            ("c", Type::Int4),
        ];
        render(|out| {
            let mut w = ResultWriter::new(settings, headings(&spec).into());
            w.write_rows(out, &rows)?;
            w.finish(out)
        })
    }

    #[test]
    fn prints_records_like_psql_x() {
        let rows = vec![
            vec![Value::Int4(1), Value::Text("a\nbb".into()), Value::Int4(3)],
            vec![Value::Int4(2), Value::Text("x".into()), Value::Int4(4)],
        ];
        let got = expanded(&mut Settings::default(), rows);
        assert_eq!(
            got,
            "-[ RECORD 1 ]\na        | 1\nlongname | a +\n         | bb\nc        | 3\n\
             -[ RECORD 2 ]\na        | 2\nlongname | x\nc        | 4\n\n"
        );
    }

    #[test]
    fn extends_the_record_line_to_wide_values() {
        let rows = vec![vec![
            Value::Int4(1),
            Value::Text("a rather long value".into()),
            Value::Int4(3),
        ]];
        let got = expanded(&mut Settings::default(), rows);
        assert!(got.starts_with("-[ RECORD 1 ]-----------------\n"), "{got}");
    }

    #[test]
    fn empty_result_says_zero_rows() {
        assert_eq!(expanded(&mut Settings::default(), vec![]), "(0 rows)\n\n");
    }

    #[test]
    fn tuples_only_separates_records_with_a_bare_rule() {
        let mut s = Settings {
            tuples_only: true,
            ..Settings::default()
        };
        let rows = vec![
            vec![Value::Int4(1), Value::Text("x".into()), Value::Int4(3)],
            vec![Value::Int4(2), Value::Text("y".into()), Value::Int4(4)],
        ];
        let got = expanded(&mut s, rows);
        assert_eq!(
            got,
            "a        | 1\nlongname | x\nc        | 3\n---------+--\na        | 2\nlongname | y\nc        | 4\n\n"
        );
    }
}
