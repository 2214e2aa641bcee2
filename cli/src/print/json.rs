//! cor4's own `json` format: one JSON object per row and line,
//! `{"column":value,…}`, for tools like `jq`. psql has no such format.
//!
//! Keys are the column names, in column order (a repeated name is
//! repeated). Values are the cells' text as JSON strings; NULL is `null`
//! (not the `\pset null` string). In a right-aligned column (the numeric
//! types) a value that is a valid JSON number, such as `-12.50` or `1e+15`,
//! is written unquoted; `NaN`, `Infinity`, money (`$1.00`) and digits
//! grouped by `numericlocale` stay strings, because this format ignores
//! `numericlocale` and writes the server's digits. There is no header,
//! title or footer, and `expanded`, `tuples_only` and chunking change
//! nothing.

use super::{Align, PrintTable};

/// Appends `s` as a JSON string.
fn string(out: &mut String, s: &str) {
    // Serialising a str cannot fail.
    out.push_str(&serde_json::Value::from(s).to_string());
}

/// Whether `s` is a number in JSON's grammar.
pub fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match digits(&mut i) {
        0 => return false,
        n if n > 1 && b.get(i - n) == Some(&b'0') => return false,
        _ => {}
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Prints the rows of `table` as JSON lines.
pub(super) fn print(table: &PrintTable, out: &mut String) {
    for row in &table.cells {
        out.push('{');
        for (j, name) in table.headers.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            string(out, name);
            out.push(':');
            match row.get(j) {
                Some(Some(v))
                    if table.aligns.get(j) == Some(&Align::Right) && is_json_number(v) =>
                {
                    out.push_str(v);
                }
                Some(Some(v)) => string(out, v),
                Some(None) | None => out.push_str("null"),
            }
        }
        out.push_str("}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_json_numbers() {
        for n in ["0", "-0", "12", "-12.50", "1e+15", "1E5", "0.5", "-1.5e-3"] {
            assert!(is_json_number(n), "{n}");
        }
    }

    #[test]
    fn rejects_what_json_does_not_call_a_number() {
        for n in [
            "", "-", "01", "1.", ".5", "+1", "NaN", "Infinity", "1e", "$1.00", "1,000",
        ] {
            assert!(!is_json_number(n), "{n}");
        }
    }

    #[test]
    fn one_object_per_row() {
        let table = PrintTable {
            headers: vec!["n".into(), "t".into(), "x".into()],
            aligns: vec![Align::Right, Align::Left, Align::Right],
            cells: vec![
                vec![
                    Some("-1.5".into()),
                    Some("say \"hi\"\n".into()),
                    Some("NaN".into()),
                ],
                vec![None, Some("12".into()), Some("007".into())],
            ],
            ..PrintTable::default()
        };
        let mut out = String::new();
        print(&table, &mut out);
        assert_eq!(
            out,
            "{\"n\":-1.5,\"t\":\"say \\\"hi\\\"\\n\",\"x\":\"NaN\"}\n\
             {\"n\":null,\"t\":\"12\",\"x\":\"007\"}\n"
        );
    }
}
