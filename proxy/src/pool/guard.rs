//! What transaction pooling cannot keep: statements that leave something
//! in the PostgreSQL session beyond their transaction (a setting, a
//! listener, a temporary table, a held cursor, a session advisory lock, an
//! SQL-level prepared statement). The next transaction of the same cor4
//! session may run on another connection, and another session may get
//! this one, so such statements are refused before they are sent.
//!
//! The scan knows SQL's lexical rules (quotes, `E''` strings, quoted
//! identifiers, dollar quotes, both kinds of comments) and looks only at
//! each statement's keywords, never inside literals. `set_config(…, false)`
//! and functions that set state internally are not detected; they are
//! documented in `docs/deploy.md`.

/// Why `sql` cannot run under transaction pooling, or `None` when every
/// statement in it ends with its transaction.
pub fn session_state(sql: &str) -> Option<&'static str> {
    let mut words: Vec<String> = Vec::new();
    for token in Tokens::new(sql) {
        match token {
            Token::Word(w) => {
                if ADVISORY_LOCKS.contains(&w.as_str()) {
                    return Some(ADVISORY);
                }
                words.push(w);
            }
            Token::End => {
                if let Some(why) = statement_state(&words) {
                    return Some(why);
                }
                words.clear();
            }
        }
    }
    statement_state(&words)
}

const ADVISORY_LOCKS: [&str; 4] = [
    "pg_advisory_lock",
    "pg_advisory_lock_shared",
    "pg_try_advisory_lock",
    "pg_try_advisory_lock_shared",
];

const ADVISORY: &str = "a session-level advisory lock is held until the PostgreSQL session \
    ends (pg_advisory_xact_lock, held until the transaction ends, is fine)";

/// The rule for one statement's keywords.
fn statement_state(words: &[String]) -> Option<&'static str> {
    let word = |i: usize| words.get(i).map_or("", String::as_str);
    match word(0) {
        "set" => match word(1) {
            "local" | "transaction" | "constraints" => None,
            _ => Some(
                "SET keeps the setting for the rest of the PostgreSQL session \
                 (SET LOCAL inside a transaction is fine)",
            ),
        },
        "listen" => Some("LISTEN waits for notifications on one PostgreSQL connection"),
        "prepare" if word(1) != "transaction" => Some(
            "PREPARE keeps the statement in the PostgreSQL session (statements prepared \
             through the Cor4 protocol are prepared again wherever they run)",
        ),
        "load" => Some("LOAD keeps the library loaded in the PostgreSQL session"),
        "declare" if has_pair(words, "with", "hold") => {
            Some("a cursor WITH HOLD outlives its transaction")
        }
        "create"
            if words
                .iter()
                .take(4)
                .any(|w| w == "temp" || w == "temporary")
                && !has_triple(words, "on", "commit", "drop") =>
        {
            Some(
                "a temporary object lives as long as the PostgreSQL session \
                 (CREATE TEMP TABLE … ON COMMIT DROP inside a transaction is fine)",
            )
        }
        _ => None,
    }
}

fn has_pair(words: &[String], a: &str, b: &str) -> bool {
    words.windows(2).any(|w| w[0] == a && w[1] == b)
}

fn has_triple(words: &[String], a: &str, b: &str, c: &str) -> bool {
    words
        .windows(3)
        .any(|w| w[0] == a && w[1] == b && w[2] == c)
}

#[derive(Debug, PartialEq)]
enum Token {
    /// A keyword or unquoted identifier, lower-cased.
    Word(String),
    /// A `;` outside quotes and comments.
    End,
}

/// The words and statement ends of SQL text; literals, quoted identifiers
/// and comments are skipped.
struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Tokens<'a> {
    fn new(sql: &'a str) -> Self {
        Tokens { rest: sql }
    }

    /// Skips past the first `close` (`doubled`: two in a row are one
    /// character, as in `'it''s'`; `backslash`: `\` escapes the next).
    fn skip_quoted(&mut self, close: char, backslash: bool) {
        let mut chars = self.rest.char_indices();
        while let Some((i, c)) = chars.next() {
            if backslash && c == '\\' {
                chars.next();
            } else if c == close {
                let after = &self.rest[i + c.len_utf8()..];
                if after.starts_with(close) {
                    chars.next();
                } else {
                    self.rest = after;
                    return;
                }
            }
        }
        self.rest = "";
    }

    /// Skips a (nested) block comment whose `/*` was taken.
    fn skip_block_comment(&mut self) {
        let mut depth = 1;
        while depth > 0 && !self.rest.is_empty() {
            if let Some(after) = self.rest.strip_prefix("/*") {
                depth += 1;
                self.rest = after;
            } else if let Some(after) = self.rest.strip_prefix("*/") {
                depth -= 1;
                self.rest = after;
            } else {
                let mut chars = self.rest.chars();
                chars.next();
                self.rest = chars.as_str();
            }
        }
    }

    /// At a `$`: skips a dollar-quoted string and says so, or takes the
    /// `$` alone (a parameter such as `$1`).
    fn skip_dollar_quote(&mut self) {
        let body = &self.rest[1..];
        let tag_len = body
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let tag = &body[..tag_len];
        let opens =
            body[tag_len..].starts_with('$') && !tag.starts_with(|c: char| c.is_ascii_digit());
        if !opens {
            self.rest = body;
            return;
        }
        let delimiter = format!("${tag}$");
        let content = &body[tag_len + 1..];
        self.rest = match content.find(&delimiter) {
            Some(end) => &content[end + delimiter.len()..],
            None => "",
        };
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        loop {
            let c = self.rest.chars().next()?;
            if c == ';' {
                self.rest = &self.rest[1..];
                return Some(Token::End);
            }
            if let Some(after) = self.rest.strip_prefix("--") {
                self.rest = after.find('\n').map_or("", |i| &after[i..]);
            } else if let Some(after) = self.rest.strip_prefix("/*") {
                self.rest = after;
                self.skip_block_comment();
            } else if c == '\'' {
                self.rest = &self.rest[1..];
                self.skip_quoted('\'', false);
            } else if c == '"' {
                self.rest = &self.rest[1..];
                self.skip_quoted('"', false);
            } else if c == '$' {
                self.skip_dollar_quote();
            } else if c.is_alphabetic() || c == '_' {
                let len = self
                    .rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(self.rest.len());
                let word = &self.rest[..len];
                self.rest = &self.rest[len..];
                let escaped = self.rest.starts_with('\'') && word.eq_ignore_ascii_case("e");
                if escaped {
                    self.rest = &self.rest[1..];
                    self.skip_quoted('\'', true);
                    continue;
                }
                return Some(Token::Word(word.to_lowercase()));
            } else {
                self.rest = &self.rest[c.len_utf8()..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_ends_with_the_transaction_passes() {
        for sql in [
            "SELECT 1",
            "BEGIN; SET LOCAL search_path = x; SELECT 1; COMMIT",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
            "SET CONSTRAINTS ALL DEFERRED",
            "SELECT pg_advisory_xact_lock(1)",
            "SELECT 'SET x = 1; LISTEN y'",
            "SELECT $$ SET a = 1 $$, $f$ LISTEN b $f$",
            "SELECT E'\\' ; LISTEN c'",
            "SELECT \"set\" FROM t",
            "/* SET x = 1; */ SELECT 1 -- LISTEN x",
            "/* nested /* SET x */ LISTEN y */ SELECT 1",
            "PREPARE TRANSACTION 'x'",
            "CREATE TEMP TABLE t (a int) ON COMMIT DROP",
            "DECLARE c CURSOR FOR SELECT 1",
            "INSERT INTO t VALUES ($1, $2)",
            "CREATE TABLE settings (a int)",
        ] {
            assert_eq!(session_state(sql), None, "{sql}");
        }
    }

    #[test]
    fn what_outlives_the_transaction_is_named() {
        for (sql, word) in [
            ("SET search_path = x", "SET"),
            ("set session timezone = 'UTC'", "SET"),
            ("SELECT 1; SET x.y = 2", "SET"),
            ("LISTEN jobs", "LISTEN"),
            ("PREPARE q AS SELECT 1", "PREPARE"),
            ("LOAD 'auto_explain'", "LOAD"),
            ("DECLARE c CURSOR WITH HOLD FOR SELECT 1", "WITH HOLD"),
            ("CREATE TEMP TABLE t (a int)", "temporary"),
            ("create global temporary table t (a int)", "temporary"),
            ("SELECT pg_advisory_lock(42)", "advisory"),
            ("SELECT PG_TRY_ADVISORY_LOCK(1, 2)", "advisory"),
            ("SELECT $1::int; /* x */ SET y = 1", "SET"),
        ] {
            let why = session_state(sql).unwrap_or_else(|| panic!("{sql} passed"));
            assert!(why.contains(word), "{sql}: {why}");
        }
    }

    #[test]
    fn unterminated_input_ends_the_scan() {
        for sql in [
            "SELECT 'abc",
            "SELECT $$ x",
            "/* x",
            "SELECT \"x",
            "SELECT E'\\",
        ] {
            assert_eq!(session_state(sql), None, "{sql}");
        }
    }
}
