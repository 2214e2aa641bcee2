//! Variable interpolation in SQL: `:name`, `:'name'`, `:"name"` and
//! `:{?name}` as psql substitutes them (never inside quotes), and the
//! quoting libpq gives the values.

use super::*;

impl SqlScanner {
    /// `:name` and its quoted forms, `::`, `:=`.
    pub(super) fn colon(
        &mut self,
        rest: &str,
        buf: &mut String,
        vars: &dyn Variables,
        idx: usize,
    ) -> (usize, Option<ScanResult>) {
        let body = &rest[1..];
        if body.starts_with(':') || body.starts_with('=') {
            buf.push_str(&rest[..2]);
            return (2, None);
        }
        let name_len = |s: &str| s.find(|c: char| !is_variable_char(c)).unwrap_or(s.len());
        // :name
        let n = name_len(body);
        if n > 0 {
            let name = &body[..n];
            let value = if vars.active() { vars.get(name) } else { None };
            match value {
                Some(_) if self.expanding(name) => {
                    vars.warn(&format!(
                        "skipping recursive expansion of variable \"{name}\""
                    ));
                    buf.push_str(&rest[..n + 1]);
                    return (n + 1, None);
                }
                Some(value) => {
                    let name = name.to_owned();
                    self.buffers[idx].pos += n + 1;
                    self.buffers.push(Buffer {
                        text: value,
                        pos: 0,
                        var: Some(name),
                    });
                    return (0, None);
                }
                None => {
                    buf.push_str(&rest[..n + 1]);
                    return (n + 1, None);
                }
            }
        }
        // :'name' and :"name"
        for (quote, quoting) in [('\'', Quoting::Literal), ('"', Quoting::Identifier)] {
            if let Some(inner) = body.strip_prefix(quote) {
                let n = name_len(inner);
                if n > 0 && inner[n..].starts_with(quote) {
                    let name = &inner[..n];
                    let whole = n + 3;
                    match vars.active().then(|| vars.get(name)).flatten() {
                        Some(value) => buf.push_str(&quote_value(&value, quoting)),
                        None => buf.push_str(&rest[..whole]),
                    }
                    return (whole, None);
                }
            }
        }
        // :{?name}
        if let Some(inner) = body.strip_prefix("{?") {
            let n = name_len(inner);
            if n > 0 && inner[n..].starts_with('}') {
                let whole = n + 4;
                if vars.active() {
                    let name = &inner[..n];
                    buf.push_str(if vars.get(name).is_some() {
                        "TRUE"
                    } else {
                        "FALSE"
                    });
                } else {
                    buf.push_str(&rest[..whole]);
                }
                return (whole, None);
            }
        }
        buf.push(':');
        (1, None)
    }
}

/// A value quoted as libpq quotes it: `PQescapeLiteral` (with the ` E'…'`
/// form when it holds a backslash) or `PQescapeIdentifier`.
pub fn quote_value(value: &str, quoting: Quoting) -> String {
    match quoting {
        Quoting::Literal => {
            let mut out = String::with_capacity(value.len() + 4);
            if value.contains('\\') {
                out.push_str(" E");
            }
            out.push('\'');
            for c in value.chars() {
                match c {
                    '\'' => out.push_str("''"),
                    '\\' => out.push_str("\\\\"),
                    c => out.push(c),
                }
            }
            out.push('\'');
            out
        }
        Quoting::Identifier => format!("\"{}\"", value.replace('"', "\"\"")),
    }
}
