//! psql's default `aligned` format (border 1, `ascii` line style), byte for
//! byte: centred headers, a `-`/`+` rule, numbers right-aligned, other
//! values left-aligned, the last column unpadded, `+` marking a value that
//! goes on on the next line, and a `(N rows)` footer followed by a blank
//! line. This is psql's `print_aligned_text` for the non-wrapped case.

use std::io::{self, Write};

use super::{Heading, Line, Values, cell_text, format_lines, pad, rows_footer};
use crate::settings::Settings;

/// Prints a batch of rows as one aligned table; `first` adds the header and
/// the rule (the first batch of a result) unless tuples only. Column widths come from this
/// batch alone, as with psql's `FETCH_COUNT`.
pub fn write_batch<W: Write + ?Sized, R: Values>(
    out: &mut W,
    columns: &[Heading],
    rows: &[R],
    settings: &Settings,
    first: bool,
) -> io::Result<()> {
    let header = first && !settings.tuples_only;
    let heads: Vec<Vec<Line>> = columns.iter().map(|c| format_lines(&c.name)).collect();
    let cells: Vec<Vec<Vec<Line>>> = rows
        .iter()
        .map(|r| {
            r.values()
                .iter()
                .map(|v| format_lines(&cell_text(v, &settings.null)))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = vec![0; columns.len()];
    for (j, w) in widths.iter_mut().enumerate() {
        // psql counts the header's width even when it does not print it.
        *w = heads[j].iter().map(|l| l.width).max().unwrap_or(0);
        for row in &cells {
            if let Some(cell) = row.get(j) {
                *w = (*w).max(cell.iter().map(|l| l.width).max().unwrap_or(0));
            }
        }
    }
    if header {
        write_header(out, &heads, &widths)?;
        write_rule(out, &widths)?;
    }
    let right: Vec<bool> = columns.iter().map(|c| c.ty.is_numeric()).collect();
    let mut line = Vec::with_capacity(256);
    for row in &cells {
        let height = row.iter().map(Vec::len).max().unwrap_or(0);
        for l in 0..height {
            line.clear();
            write_body_line(&mut line, row, l, &widths, &right)?;
            out.write_all(&line)?;
        }
    }
    Ok(())
}

/// The footer of the last batch: `(N rows)` unless tuples only, then the
/// blank line psql always ends a table with.
pub fn write_footer<W: Write + ?Sized>(
    out: &mut W,
    total: u64,
    settings: &Settings,
) -> io::Result<()> {
    if !settings.tuples_only {
        writeln!(out, "{}", rows_footer(total))?;
    }
    writeln!(out)
}

fn write_header<W: Write + ?Sized>(
    out: &mut W,
    heads: &[Vec<Line>],
    widths: &[usize],
) -> io::Result<()> {
    let n = heads.len();
    let height = heads.iter().map(Vec::len).max().unwrap_or(0);
    for l in 0..height {
        for (j, head) in heads.iter().enumerate() {
            out.write_all(b" ")?;
            let done_before = l >= head.len();
            if done_before {
                pad(out, widths[j])?;
            } else {
                let line = &head[l];
                let space = widths[j] - line.width;
                pad(out, space / 2)?;
                out.write_all(line.text.as_bytes())?;
                pad(out, space.div_ceil(2))?;
            }
            // `+` while the header has more lines, else a space.
            let more = l + 1 < head.len();
            out.write_all(if more { b"+" } else { b" " })?;
            if j + 1 < n {
                out.write_all(b"|")?;
            }
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn write_rule<W: Write + ?Sized>(out: &mut W, widths: &[usize]) -> io::Result<()> {
    let mut rule = String::from("-");
    for (j, w) in widths.iter().enumerate() {
        rule.extend(std::iter::repeat_n('-', *w));
        if j + 1 < widths.len() {
            rule.push_str("-+-");
        }
    }
    rule.push_str("-\n");
    out.write_all(rule.as_bytes())
}

fn write_body_line<W: Write + ?Sized>(
    out: &mut W,
    row: &[Vec<Line>],
    l: usize,
    widths: &[usize],
    right: &[bool],
) -> io::Result<()> {
    let n = row.len();
    for (j, cell) in row.iter().enumerate() {
        let last = j + 1 == n;
        let width = widths[j];
        out.write_all(b" ")?;
        let used = match cell.get(l) {
            None => {
                if !last {
                    pad(out, width)?;
                }
                width
            }
            Some(line) => {
                if right[j] {
                    pad(out, width - line.width)?;
                }
                out.write_all(line.text.as_bytes())?;
                line.width
            }
        };
        let more = l + 1 < cell.len();
        if !right[j] && (!last || more) {
            pad(out, width - used)?;
        }
        if more {
            out.write_all(b"+")?;
        } else if !last {
            out.write_all(b" ")?;
        }
        if !last {
            out.write_all(b"|")?;
        }
    }
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use cor4_protocol::{Type, Value};

    use super::*;
    use crate::render::ResultWriter;
    use crate::render::test_support::{headings, render};

    fn table(spec: &[(&str, Type)], rows: Vec<Vec<Value>>) -> String {
        let settings = Settings::default();
        render(|out| {
            let mut w = ResultWriter::new(&settings, headings(spec).into());
            w.write_rows(out, &rows)?;
            w.finish(out)
        })
    }

    #[test]
    fn prints_psqls_default_table() {
        let got = table(
            &[("a", Type::Int4), ("b", Type::Text)],
            vec![vec![Value::Int4(1), Value::Text("xx".into())]],
        );
        assert_eq!(got, " a | b  \n---+----\n 1 | xx\n(1 row)\n\n");
    }

    #[test]
    fn marks_multi_line_values_with_plus() {
        let got = table(
            &[("a", Type::Int4), ("b", Type::Text), ("c", Type::Text)],
            vec![vec![
                Value::Int4(1),
                Value::Text("a\nbb".into()),
                Value::Text("c".into()),
            ]],
        );
        assert_eq!(
            got,
            " a | b  | c \n---+----+---\n 1 | a +| c\n   | bb | \n(1 row)\n\n"
        );
    }

    #[test]
    fn pads_by_display_width() {
        let got = table(
            &[("日本語", Type::Int4), ("e", Type::Text), ("t", Type::Text)],
            vec![vec![
                Value::Int4(1),
                Value::Text("😀x".into()),
                Value::Text("a\tb".into()),
            ]],
        );
        assert_eq!(
            got,
            " 日本語 |  e  |     t     \n--------+-----+-----------\n      1 | 😀x | a       b\n(1 row)\n\n"
        );
    }

    #[test]
    fn empty_result_keeps_header_and_footer() {
        let got = table(&[("?column?", Type::Int4)], vec![]);
        assert_eq!(got, " ?column? \n----------\n(0 rows)\n\n");
    }

    #[test]
    fn no_columns_prints_a_bare_rule() {
        let got = table(&[], vec![vec![]]);
        assert_eq!(got, "--\n(1 row)\n\n");
    }

    #[test]
    fn nulls_print_the_null_string() {
        let settings = Settings {
            null: "(null)".into(),
            ..Settings::default()
        };
        let got = render(|out| {
            let mut w = ResultWriter::new(&settings, headings(&[("n", Type::Int4)]).into());
            w.write_rows(out, &[vec![Value::Null]])?;
            w.finish(out)
        });
        assert_eq!(got, "   n    \n--------\n (null)\n(1 row)\n\n");
    }

    #[test]
    fn tuples_only_drops_header_and_footer_but_not_the_blank_line() {
        let settings = Settings {
            tuples_only: true,
            ..Settings::default()
        };
        let got = render(|out| {
            let mut w = ResultWriter::new(&settings, headings(&[("n", Type::Int4)]).into());
            w.write_rows(out, &[vec![Value::Int4(1)]])?;
            w.finish(out)
        });
        assert_eq!(got, " 1\n\n");
    }
}
