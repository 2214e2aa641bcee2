//! `\copy`: COPY with the data read or written by the shell, as psql 15
//! does it.
//!
//! ```text
//! \copy t (a, b) from 'f.csv' with (format csv)
//!   └──────┬────┘ └┬─┘ └─┬──┘ └──────┬───────┘
//!     before_tofrom  dir  file   after_tofrom (passed on verbatim)
//!   ──▶ COPY  t ( a, b ) FROM STDIN with (format csv)
//! ```
//!
//! The file is one of `'path'` (or a bare path), `program 'command'`,
//! `stdin`/`stdout` (the script or `\o`), `pstdin`/`pstdout` (this process's
//! standard streams).

use std::fmt;

/// Where `\copy` reads or writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A file, relative to the working directory (`~/` expanded).
    File(String),
    /// A shell command's standard output (from) or input (to).
    Program(String),
    /// `stdin` / `stdout`: the current command source, or the `\o` output.
    Current,
    /// `pstdin` / `pstdout`: this process's own standard streams.
    Process,
}

/// A parsed `\copy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashCopy {
    /// `FROM` (true) or `TO`.
    pub from: bool,
    /// Where the data comes from or goes to.
    pub endpoint: Endpoint,
    /// The COPY statement sent to PostgreSQL.
    pub sql: String,
}

/// Why a `\copy` line did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyParseError {
    /// The token it stopped at; `None` at the end of the line.
    pub at: Option<String>,
}

impl fmt::Display for CopyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(token) => write!(f, "\\copy: parse error at \"{token}\""),
            None => f.write_str("\\copy: parse error at end of line"),
        }
    }
}

/// psql's `strtokx`: tokens separated by whitespace; each character of
/// `delims` is a token of its own; a token starting with a character of
/// `quotes` runs to the matching quote (doubled to escape it).
struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    fn next(&mut self, delims: &str, quotes: &str) -> Option<&'a str> {
        let rest = &self.text[self.pos..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
        self.pos += skipped;
        let rest = &self.text[self.pos..];
        let first = rest.chars().next()?;
        let len = if delims.contains(first) {
            first.len_utf8()
        } else if quotes.contains(first) {
            let mut chars = rest.char_indices().skip(1).peekable();
            let mut end = rest.len();
            while let Some((i, c)) = chars.next() {
                if c == first {
                    if chars.peek().is_some_and(|&(_, n)| n == first) {
                        chars.next();
                        continue;
                    }
                    end = i + c.len_utf8();
                    break;
                }
            }
            end
        } else {
            rest.find(|c: char| c.is_ascii_whitespace() || delims.contains(c) || quotes.contains(c))
                .unwrap_or(rest.len())
        };
        let token = &rest[..len];
        self.pos += len;
        Some(token)
    }

    /// The rest of the line after the character that ended the last token.
    fn rest(&mut self) -> &'a str {
        let rest = &self.text[self.pos..];
        match rest.chars().next() {
            Some(c) if c.is_ascii_whitespace() => &rest[1..],
            _ => rest,
        }
    }
}

/// Removes the quotes of a `'quoted'` token, undoubling `''`.
fn strip_quotes(token: &str) -> String {
    match token.strip_prefix('\'') {
        Some(inner) => inner.strip_suffix('\'').unwrap_or(inner).replace("''", "'"),
        None => token.to_owned(),
    }
}

/// Parses the arguments of `\copy` (everything after the command name).
pub fn parse_slash_copy(args: &str) -> Result<SlashCopy, CopyParseError> {
    // A trailing `;` stays: psql passes it on after the options.
    let args = args.trim_end_matches(char::is_whitespace);
    let mut tokens = Tokens { text: args, pos: 0 };
    let error = |at: Option<&str>| CopyParseError {
        at: at.map(str::to_owned),
    };
    let mut before = String::new();
    let mut token = tokens.next(".,()", "\"").ok_or_else(|| error(None))?;
    if token.eq_ignore_ascii_case("binary") {
        before.push_str(token);
        token = tokens.next(".,()", "\"").ok_or_else(|| error(None))?;
    }
    if token.starts_with('(') {
        let mut parens = 1;
        while parens > 0 {
            before.push(' ');
            before.push_str(token);
            token = tokens.next("()", "\"'").ok_or_else(|| error(None))?;
            if token.starts_with('(') {
                parens += 1;
            } else if token.starts_with(')') {
                parens -= 1;
            }
        }
    }
    before.push(' ');
    before.push_str(token);
    token = tokens.next(".,()", "\"").ok_or_else(|| error(None))?;
    if token == "." {
        before.push_str(token);
        token = tokens.next(".,()", "\"").ok_or_else(|| error(None))?;
        before.push_str(token);
        token = tokens.next(".,()", "\"").ok_or_else(|| error(None))?;
    }
    if token == "(" {
        loop {
            before.push(' ');
            before.push_str(token);
            token = tokens.next("()", "\"").ok_or_else(|| error(None))?;
            if token == ")" {
                break;
            }
        }
        before.push(' ');
        before.push_str(token);
        token = tokens.next(".,()", "\"").ok_or_else(|| error(None))?;
    }
    let from = if token.eq_ignore_ascii_case("from") {
        true
    } else if token.eq_ignore_ascii_case("to") {
        false
    } else {
        return Err(error(Some(token)));
    };
    let token = tokens.next(";", "'").ok_or_else(|| error(None))?;
    let endpoint = if token.eq_ignore_ascii_case("program") {
        let command = tokens.next(";", "'").ok_or_else(|| error(None))?;
        if command.len() < 2 || !command.starts_with('\'') || !command.ends_with('\'') {
            return Err(error(Some(command)));
        }
        Endpoint::Program(strip_quotes(command))
    } else if token.eq_ignore_ascii_case("stdin") || token.eq_ignore_ascii_case("stdout") {
        Endpoint::Current
    } else if token.eq_ignore_ascii_case("pstdin") || token.eq_ignore_ascii_case("pstdout") {
        Endpoint::Process
    } else {
        Endpoint::File(crate::files::expand_tilde(&strip_quotes(token)))
    };
    let after = tokens.rest();
    let direction = if from { " FROM STDIN " } else { " TO STDOUT " };
    Ok(SlashCopy {
        from,
        endpoint,
        sql: format!("COPY {before}{direction}{after}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(args: &str) -> String {
        parse_slash_copy(args).expect("parses").sql
    }

    #[test]
    fn builds_psqls_copy_statement() {
        assert_eq!(
            sql("ch08_item to 'out.txt' with (format nonsense)"),
            "COPY  ch08_item TO STDOUT with (format nonsense)"
        );
        assert_eq!(sql("t from stdin"), "COPY  t FROM STDIN ");
        assert_eq!(
            sql("s.t (a, b) from 'f.csv' csv header"),
            "COPY  s.t ( a, b ) FROM STDIN csv header"
        );
        assert_eq!(
            sql("(select 1, ')' from t) to stdout"),
            "COPY  ( select 1, ')' from t ) TO STDOUT "
        );
        // psql keeps what follows the file name, a semicolon too.
        assert_eq!(sql("t to 'f';"), "COPY  t TO STDOUT ;");
    }

    #[test]
    fn reads_every_kind_of_endpoint() {
        let endpoint = |args| parse_slash_copy(args).expect("parses").endpoint;
        assert_eq!(
            endpoint("t from 'a b.csv'"),
            Endpoint::File("a b.csv".into())
        );
        assert_eq!(endpoint("t from x.csv"), Endpoint::File("x.csv".into()));
        assert_eq!(endpoint("t to 'it''s'"), Endpoint::File("it's".into()));
        assert_eq!(endpoint("t from STDIN"), Endpoint::Current);
        assert_eq!(endpoint("t to pstdout"), Endpoint::Process);
        assert_eq!(
            endpoint("t from program 'cat x'"),
            Endpoint::Program("cat x".into())
        );
    }

    #[test]
    fn reports_where_parsing_stopped() {
        let err = |args| parse_slash_copy(args).expect_err("fails").to_string();
        assert_eq!(err("ch08_item"), "\\copy: parse error at end of line");
        assert_eq!(
            err("ch08_item sideways 'x.txt'"),
            "\\copy: parse error at \"sideways\""
        );
        assert_eq!(err("t from program cat"), "\\copy: parse error at \"cat\"");
        assert_eq!(err(""), "\\copy: parse error at end of line");
    }
}
