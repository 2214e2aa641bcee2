//! `--json`: one JSON object per row and line, `{"column": value}`, for
//! tools like `jq`.
//!
//! | type | JSON |
//! |---|---|
//! | NULL | `null` |
//! | boolean | `true` / `false` |
//! | integer, bigint | number |
//! | real, double precision | number when finite, else the string `"NaN"`, `"Infinity"`, `"-Infinity"` |
//! | numeric | number with PostgreSQL's exact digits when finite (a consumer may parse it to a double: take the text with `jq --arg`-free tools that keep precision), else a string |
//! | json, jsonb | embedded as is |
//! | everything else | string of PostgreSQL's text form |
//!
//! Command tags are not printed in this format, so the output is pure
//! JSON lines.

use std::io::{self, Write};

use cor4_protocol::Value;

use super::{Heading, Values, cell_text};

/// Prints a batch, one object per line.
pub fn write_batch<W: Write + ?Sized, R: Values>(
    out: &mut W,
    columns: &[Heading],
    rows: &[R],
) -> io::Result<()> {
    let mut line = String::with_capacity(128);
    for row in rows {
        line.clear();
        line.push('{');
        for (j, (c, v)) in columns.iter().zip(row.values()).enumerate() {
            if j > 0 {
                line.push(',');
            }
            push_string(&mut line, &c.name);
            line.push(':');
            push_value(&mut line, v);
        }
        line.push_str("}\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn push_string(line: &mut String, s: &str) {
    // serde_json's escaping of a &str cannot fail.
    line.push_str(&serde_json::Value::from(s).to_string());
}

fn push_value(line: &mut String, v: &Value) {
    match v {
        Value::Null => line.push_str("null"),
        Value::Bool(b) => line.push_str(if *b { "true" } else { "false" }),
        Value::Int4(_) | Value::Int8(_) => line.push_str(&cell_text(v, "")),
        Value::Float4(f) if f.is_finite() => line.push_str(&cell_text(v, "")),
        Value::Float8(f) if f.is_finite() => line.push_str(&cell_text(v, "")),
        Value::Numeric(n) if is_json_number(n) => line.push_str(n),
        Value::Json(j) => line.push_str(j),
        _ => push_string(line, &cell_text(v, "")),
    }
}

/// Whether PostgreSQL's numeric text is also a JSON number (not `NaN` or
/// `Infinity`).
fn is_json_number(n: &str) -> bool {
    let digits = n.strip_prefix('-').unwrap_or(n);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

#[cfg(test)]
mod tests {
    use cor4_protocol::Type;

    use super::*;
    use crate::render::test_support::{headings, render};

    #[test]
    fn one_object_per_row_with_typed_values() {
        let spec = [
            ("i", Type::Int4),
            ("t", Type::Text),
            ("n", Type::Numeric),
            ("nan", Type::Numeric),
            ("f", Type::Float8),
            ("inf", Type::Float8),
            ("j", Type::Json),
            ("b", Type::Bool),
            ("z", Type::Text),
        ];
        let row = vec![
            Value::Int4(-7),
            Value::Text("say \"hi\"\n".into()),
            Value::Numeric("12345678901234567890.000001".into()),
            Value::Numeric("NaN".into()),
            Value::Float8(1e15),
            Value::Float8(f64::INFINITY),
            Value::Json("{\"a\": [1, 2]}".into()),
            Value::Bool(true),
            Value::Null,
        ];
        let got = render(|out| write_batch(out, &headings(&spec), &[row]));
        assert_eq!(
            got,
            "{\"i\":-7,\"t\":\"say \\\"hi\\\"\\n\",\"n\":12345678901234567890.000001,\
             \"nan\":\"NaN\",\"f\":1e+15,\"inf\":\"Infinity\",\"j\":{\"a\": [1, 2]},\
             \"b\":true,\"z\":null}\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(got.trim_end()).expect("valid JSON");
        assert_eq!(parsed["i"], -7);
    }
}
