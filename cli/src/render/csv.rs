//! `--csv`: byte for byte what `psql --csv` prints. A header line unless
//! tuples only; a field is quoted (with `"` doubled) when it holds a comma,
//! a `"`, CR or LF, or is exactly `\.`; NULL is the `\pset null` string
//! (empty by default) unquoted, so NULL and the empty string both print as
//! nothing — as in psql. No row-count footer.

use std::io::{self, Write};

use super::{Heading, Values, cell_text};
use crate::settings::Settings;

/// The field separator of CSV output.
const SEP: u8 = b',';

/// Prints a batch; `first` adds the header line (unless tuples only).
pub fn write_batch<W: Write + ?Sized, R: Values>(
    out: &mut W,
    columns: &[Heading],
    rows: &[R],
    settings: &Settings,
    first: bool,
) -> io::Result<()> {
    if first && !settings.tuples_only {
        for (j, c) in columns.iter().enumerate() {
            if j > 0 {
                out.write_all(&[SEP])?;
            }
            write_field(out, &c.name)?;
        }
        out.write_all(b"\n")?;
    }
    for row in rows {
        for (j, v) in row.values().iter().enumerate() {
            if j > 0 {
                out.write_all(&[SEP])?;
            }
            write_field(out, &cell_text(v, &settings.null))?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `--csv -x`: one `name,value` line per field (psql's
/// `print_csv_vertical`).
pub fn write_expanded<W: Write + ?Sized, R: Values>(
    out: &mut W,
    columns: &[Heading],
    rows: &[R],
    settings: &Settings,
) -> io::Result<()> {
    for row in rows {
        for (c, v) in columns.iter().zip(row.values()) {
            write_field(out, &c.name)?;
            out.write_all(&[SEP])?;
            write_field(out, &cell_text(v, &settings.null))?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// One field, quoted when psql's `csv_print_field` would quote it.
pub fn write_field<W: Write + ?Sized>(out: &mut W, s: &str) -> io::Result<()> {
    let quote = s.bytes().any(|b| matches!(b, SEP | b'"' | b'\r' | b'\n')) || s == "\\.";
    if !quote {
        return out.write_all(s.as_bytes());
    }
    out.write_all(b"\"")?;
    out.write_all(s.replace('"', "\"\"").as_bytes())?;
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use cor4_protocol::{Type, Value};

    use super::*;
    use crate::render::ResultWriter;
    use crate::render::test_support::{headings, render};
    use crate::settings::Format;

    #[test]
    fn quotes_exactly_where_psql_does() {
        let s = Settings {
            format: Format::Csv,
            ..Settings::default()
        };
        let spec = [
            ("a", Type::Text),
            ("b", Type::Text),
            ("c", Type::Text),
            ("d", Type::Text),
            ("e", Type::Text),
            ("f", Type::Text),
            ("g,h", Type::Numeric),
            ("i", Type::Text),
        ];
        let row = vec![
            Value::Null,
            Value::Text(String::new()),
            Value::Text(" x ".into()),
            Value::Text("a,b".into()),
            Value::Text("q\"q".into()),
            Value::Text("l\nm".into()),
            Value::Numeric("1.5".into()),
            Value::Text("\\.".into()),
        ];
        let got = render(|out| {
            let mut w = ResultWriter::new(&s, headings(&spec).into());
            w.write_rows(out, &[row])?;
            w.finish(out)
        });
        assert_eq!(
            got,
            "a,b,c,d,e,f,\"g,h\",i\n,, x ,\"a,b\",\"q\"\"q\",\"l\nm\",1.5,\"\\.\"\n"
        );
    }

    #[test]
    fn empty_result_is_the_header_alone() {
        let s = Settings {
            format: Format::Csv,
            ..Settings::default()
        };
        let got = render(|out| {
            let mut w = ResultWriter::new(&s, headings(&[("x", Type::Int4)]).into());
            w.finish(out)
        });
        assert_eq!(got, "x\n");
    }
}
