//! psql's `unaligned` format (`-A`): fields joined by the field separator
//! (`|`), a header line unless tuples only, and the `(N rows)` footer with
//! no blank line after it.

use std::io::{self, Write};

use super::{Heading, Values, cell_text, rows_footer};
use crate::settings::Settings;

/// Prints a batch; `first` adds the header line (unless tuples only).
pub fn write_batch<W: Write + ?Sized, R: Values>(
    out: &mut W,
    columns: &[Heading],
    rows: &[R],
    settings: &Settings,
    first: bool,
) -> io::Result<()> {
    let sep = settings.field_sep.as_bytes();
    if first && !settings.tuples_only {
        for (j, c) in columns.iter().enumerate() {
            if j > 0 {
                out.write_all(sep)?;
            }
            out.write_all(c.name.as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    for row in rows {
        for (j, v) in row.values().iter().enumerate() {
            if j > 0 {
                out.write_all(sep)?;
            }
            out.write_all(cell_text(v, &settings.null).as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `(N rows)` unless tuples only.
pub fn write_footer<W: Write + ?Sized>(
    out: &mut W,
    total: u64,
    settings: &Settings,
) -> io::Result<()> {
    if !settings.tuples_only {
        writeln!(out, "{}", rows_footer(total))?;
    }
    Ok(())
}

/// `-A -x`: `name|value` lines, records separated by a blank line.
pub fn write_expanded<W: Write + ?Sized, R: Values>(
    out: &mut W,
    columns: &[Heading],
    rows: &[R],
    settings: &Settings,
    done: u64,
) -> io::Result<()> {
    for (i, row) in rows.iter().enumerate() {
        if done + i as u64 > 0 {
            out.write_all(b"\n")?;
        }
        for (c, v) in columns.iter().zip(row.values()) {
            out.write_all(c.name.as_bytes())?;
            out.write_all(settings.field_sep.as_bytes())?;
            out.write_all(cell_text(v, &settings.null).as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use cor4_protocol::{Type, Value};

    use super::*;
    use crate::render::ResultWriter;
    use crate::render::test_support::{headings, render};
    use crate::settings::Format;

    fn unaligned(settings: &mut Settings, rows: Vec<Vec<Value>>) -> String {
        settings.format = Format::Unaligned;
        let spec = [("a", Type::Int4), ("b", Type::Text)];
        render(|out| {
            let mut w = ResultWriter::new(settings, headings(&spec).into());
            w.write_rows(out, &rows)?;
            w.finish(out)
        })
    }

    #[test]
    fn joins_fields_and_counts_rows() {
        let rows = vec![vec![Value::Int4(1), Value::Text("x|y".into())]];
        assert_eq!(
            unaligned(&mut Settings::default(), rows),
            "a|b\n1|x|y\n(1 row)\n"
        );
    }

    #[test]
    fn tuples_only_prints_rows_alone() {
        let mut s = Settings {
            tuples_only: true,
            ..Settings::default()
        };
        let rows = vec![vec![Value::Int4(1), Value::Null]];
        assert_eq!(unaligned(&mut s, rows), "1|\n");
        assert_eq!(unaligned(&mut s, vec![]), "");
    }

    #[test]
    fn expanded_separates_records_with_a_blank_line() {
        let mut s = Settings {
            expanded: true,
            ..Settings::default()
        };
        let rows = vec![
            vec![Value::Int4(1), Value::Text("x".into())],
            vec![Value::Int4(2), Value::Text("y".into())],
        ];
        assert_eq!(unaligned(&mut s, rows), "a|1\nb|x\n\na|2\nb|y\n");
    }
}
