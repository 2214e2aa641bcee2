//! Where statements end: psql's lexer rules, as a pure function.
//!
//! A statement ends at a `;` that is outside single-quoted strings (with
//! `''` escapes, and backslash escapes in `E'…'`), double-quoted
//! identifiers, `--` and nested `/* */` comments, dollar quoting (`$$`,
//! `$tag$`), parentheses, and the `BEGIN … END` body of a
//! `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (psql's heuristic, the same
//! keywords counted the same way). As psql does, leading whitespace and
//! `--` comments before a statement are dropped and the `;` is kept, so the
//! server sees what psql would send and error positions match.
//!
//! ```text
//! "SELECT 1; SELECT ';' AS x; SELECT"
//!  └──────┘ └───────────────┘ └────┘
//!  statement  statement        remainder (still open)
//! ```

/// What is still open at the end of the input: psql's `%R` in the
/// continuation prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Nothing: the next line continues an ordinary statement (`-`).
    Nothing,
    /// A single-quoted string (`'`).
    SingleQuote,
    /// A double-quoted identifier (`"`).
    DoubleQuote,
    /// A `/* */` comment (`*`).
    Comment,
    /// A dollar-quoted string (`$`).
    DollarQuote,
    /// Unclosed parentheses (`(`).
    Paren,
}

impl Open {
    /// The character psql shows for this state in its `->` prompt.
    pub fn prompt_char(self) -> char {
        match self {
            Open::Nothing => '-',
            Open::SingleQuote => '\'',
            Open::DoubleQuote => '"',
            Open::Comment => '*',
            Open::DollarQuote => '$',
            Open::Paren => '(',
        }
    }
}

/// The result of scanning a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Complete statements, each with its `;`, in order.
    pub statements: Vec<String>,
    /// The text after the last complete statement, with leading whitespace
    /// and `--` comments removed: empty when nothing is under way.
    pub remainder: String,
    /// What is open at the end of the buffer.
    pub open: Open,
}

/// Splits `buf` into complete statements and the unfinished remainder.
pub fn split(buf: &str) -> (Vec<String>, String) {
    let scan = scan(buf);
    (scan.statements, scan.remainder)
}

/// Whether `buf` holds at least one complete statement and nothing after it
/// but whitespace and comments.
pub fn is_complete(buf: &str) -> bool {
    let scan = scan(buf);
    !scan.statements.is_empty() && scan.remainder.is_empty() && scan.open == Open::Nothing
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Normal,
    /// In `'…'`; `true` when backslash escapes apply (`E'…'`).
    Quote(bool),
    DoubleQuote,
    LineComment,
    /// Nesting depth of `/* */`.
    BlockComment(u32),
    /// In `$tag$…$tag$`; the tag's byte range in the buffer, `$`s included.
    Dollar(usize, usize),
}

/// psql's heuristic for `CREATE FUNCTION … BEGIN ATOMIC … END`: the first
/// four words of the statement, as their first letters when they are one of
/// create/or/replace/function/procedure.
#[derive(Debug, Default)]
struct BeginTracker {
    words: [u8; 4],
    count: usize,
    depth: u32,
}

impl BeginTracker {
    fn word(&mut self, word: &str, paren_depth: u32) {
        let lower = word.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "create" | "function" | "procedure" | "or" | "replace"
        ) && self.count < self.words.len()
        {
            self.words[self.count] = lower.as_bytes()[0];
        }
        self.count += 1;
        let w = self.words;
        let routine = w[0] == b'c'
            && (w[1] == b'f'
                || w[1] == b'p'
                || (w[1] == b'o' && w[2] == b'r' && (w[3] == b'f' || w[3] == b'p')));
        if !routine || paren_depth > 0 {
            return;
        }
        match lower.as_str() {
            "begin" => self.depth += 1,
            // CASE also ends with END; it only matters inside a BEGIN.
            "case" if self.depth > 0 => self.depth += 1,
            "end" => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// The end (exclusive) of a dollar-quote delimiter starting at `at`, when
/// one starts there: `$$` or `$tag$`.
fn dollar_tag(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    if bytes.get(i).is_some_and(|&b| is_ident_start(b)) {
        i += 1;
        while bytes
            .get(i)
            .is_some_and(|&b| is_ident_start(b) || b.is_ascii_digit())
        {
            i += 1;
        }
    }
    (bytes.get(i) == Some(&b'$')).then_some(i + 1)
}

/// Drops leading whitespace and `--` comments, as psql does before a
/// statement.
fn trim_start(text: &str) -> &str {
    let mut rest = text.trim_start();
    while let Some(comment) = rest.strip_prefix("--") {
        rest = match comment.find('\n') {
            Some(end) => comment[end + 1..].trim_start(),
            None => "",
        };
    }
    rest
}

/// Scans `buf` with psql's rules; see the module documentation.
pub fn scan(buf: &str) -> Scan {
    let bytes = buf.as_bytes();
    let mut statements = Vec::new();
    let mut state = State::Normal;
    let mut paren: u32 = 0;
    let mut begin = BeginTracker::default();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        match state {
            State::Normal => match b {
                b'\'' => state = State::Quote(false),
                b'"' => state = State::DoubleQuote,
                b'-' if next == Some(b'-') => {
                    state = State::LineComment;
                    i += 1;
                }
                b'/' if next == Some(b'*') => {
                    state = State::BlockComment(1);
                    i += 1;
                }
                b'$' => {
                    if let Some(end) = dollar_tag(bytes, i) {
                        state = State::Dollar(i, end);
                        i = end - 1;
                    }
                }
                b'(' => paren += 1,
                b')' => paren = paren.saturating_sub(1),
                b';' if paren == 0 && begin.depth == 0 => {
                    let text = trim_start(&buf[start..=i]);
                    if text != ";" {
                        statements.push(text.to_owned());
                    }
                    start = i + 1;
                    begin = BeginTracker::default();
                }
                _ if is_ident_start(b) => {
                    let mut end = i + 1;
                    while end < bytes.len() && is_ident_cont(bytes[end]) {
                        end += 1;
                    }
                    let word = &buf[i..end];
                    if bytes.get(end) == Some(&b'\'') && word.eq_ignore_ascii_case("e") {
                        state = State::Quote(true);
                        end += 1;
                    } else {
                        begin.word(word, paren);
                    }
                    i = end;
                    continue;
                }
                _ if b.is_ascii_digit() => {
                    // A number, or digits in an identifier-like run: skip it
                    // whole so that `1$$` is not read as a dollar quote.
                    while i + 1 < bytes.len() && is_ident_cont(bytes[i + 1]) {
                        i += 1;
                    }
                }
                _ => {}
            },
            State::Quote(escapes) => match b {
                b'\\' if escapes => i += 1,
                b'\'' if next == Some(b'\'') => i += 1,
                b'\'' => state = State::Normal,
                _ => {}
            },
            State::DoubleQuote => match b {
                b'"' if next == Some(b'"') => i += 1,
                b'"' => state = State::Normal,
                _ => {}
            },
            State::LineComment => {
                if b == b'\n' {
                    state = State::Normal;
                }
            }
            State::BlockComment(depth) => {
                if b == b'/' && next == Some(b'*') {
                    state = State::BlockComment(depth + 1);
                    i += 1;
                } else if b == b'*' && next == Some(b'/') {
                    state = if depth <= 1 {
                        State::Normal
                    } else {
                        State::BlockComment(depth - 1)
                    };
                    i += 1;
                }
            }
            State::Dollar(tag_start, tag_end) => {
                let tag = &bytes[tag_start..tag_end];
                if bytes[i..].starts_with(tag) {
                    state = State::Normal;
                    i += tag.len();
                    continue;
                }
            }
        }
        i += 1;
    }
    let open = match state {
        State::Normal | State::LineComment if paren > 0 => Open::Paren,
        State::Normal | State::LineComment => Open::Nothing,
        State::Quote(_) => Open::SingleQuote,
        State::DoubleQuote => Open::DoubleQuote,
        State::BlockComment(_) => Open::Comment,
        State::Dollar(..) => Open::DollarQuote,
    };
    Scan {
        statements,
        remainder: trim_start(&buf[start..]).to_owned(),
        open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(buf: &str) -> Vec<String> {
        split(buf).0
    }

    fn remainder(buf: &str) -> String {
        split(buf).1
    }

    #[test]
    fn splits_two_statements_on_one_line() {
        assert_eq!(
            statements("SELECT 1; SELECT 2;"),
            ["SELECT 1;", "SELECT 2;"]
        );
    }

    #[test]
    fn keeps_unterminated_text_as_remainder() {
        let (done, rest) = split("SELECT 1; SELECT");
        assert_eq!(done, ["SELECT 1;"]);
        assert_eq!(rest, "SELECT");
    }

    #[test]
    fn multi_line_statement_keeps_its_newlines() {
        assert_eq!(statements("SELECT\n1 + 1\n;"), ["SELECT\n1 + 1\n;"]);
    }

    #[test]
    fn drops_leading_whitespace_and_line_comments() {
        assert_eq!(
            statements("  -- a comment\n\n  -- another\nSELECT 1;"),
            ["SELECT 1;"]
        );
        assert_eq!(remainder("-- only a comment\n   "), "");
    }

    #[test]
    fn keeps_leading_block_comment_like_psql() {
        assert_eq!(statements("/* hi */ SELECT 1;"), ["/* hi */ SELECT 1;"]);
    }

    #[test]
    fn skips_empty_statements() {
        assert_eq!(statements(";;  ; SELECT 1;;"), ["SELECT 1;"]);
    }

    #[test]
    fn semicolon_in_single_quotes_does_not_end() {
        assert_eq!(statements("SELECT ';' AS x;"), ["SELECT ';' AS x;"]);
    }

    #[test]
    fn doubled_quote_escape_stays_in_string() {
        assert_eq!(
            statements("SELECT 'it''s; fine';"),
            ["SELECT 'it''s; fine';"]
        );
        let scan = scan("SELECT 'it''s;");
        assert_eq!(scan.open, Open::SingleQuote);
    }

    #[test]
    fn backslash_escapes_only_in_e_strings() {
        assert_eq!(statements(r"SELECT E'a\';b';"), [r"SELECT E'a\';b';"]);
        assert_eq!(statements(r"SELECT e'\\'; SELECT 2;").len(), 2);
        // In a standard string a backslash is just a character.
        assert_eq!(
            statements(r"SELECT 'a\'; SELECT 2;"),
            [r"SELECT 'a\';", "SELECT 2;"]
        );
    }

    #[test]
    fn identifier_ending_in_e_is_not_an_escape_prefix() {
        // `name'…'` is not E'…': the backslash does not escape.
        assert_eq!(statements(r"SELECT name'\'; SELECT 2;").len(), 2);
    }

    #[test]
    fn semicolon_in_double_quoted_identifier_does_not_end() {
        assert_eq!(
            statements(r#"SELECT 1 AS "a;""b";"#),
            [r#"SELECT 1 AS "a;""b";"#]
        );
        assert_eq!(scan(r#"SELECT "a;"#).open, Open::DoubleQuote);
    }

    #[test]
    fn semicolon_in_line_comment_does_not_end() {
        let scan = scan("SELECT 1 -- not here;\n");
        assert!(scan.statements.is_empty());
        assert_eq!(scan.remainder, "SELECT 1 -- not here;\n");
        assert_eq!(scan.open, Open::Nothing);
        assert_eq!(statements("SELECT 1 -- x;\n;"), ["SELECT 1 -- x;\n;"]);
    }

    #[test]
    fn nested_block_comments() {
        let open = scan("SELECT /* a /* b */ ; still comment");
        assert!(open.statements.is_empty());
        assert_eq!(open.open, Open::Comment);
        assert_eq!(
            statements("SELECT /* a /* b */ c; */ 1;"),
            ["SELECT /* a /* b */ c; */ 1;"]
        );
    }

    #[test]
    fn dollar_quotes_plain_and_tagged() {
        assert_eq!(statements("SELECT $$a;b$$;"), ["SELECT $$a;b$$;"]);
        assert_eq!(
            statements("SELECT $fn$ $$; $fn$;"),
            ["SELECT $fn$ $$; $fn$;"]
        );
        assert_eq!(scan("SELECT $x$ ;").open, Open::DollarQuote);
    }

    #[test]
    fn dollar_quoted_function_body_over_lines() {
        let body = "CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1;\nEND;\n$body$ LANGUAGE plpgsql;";
        let (done, rest) = split(&format!("{body}\nSELECT f();"));
        assert_eq!(done, [body, "SELECT f();"]);
        assert_eq!(rest, "");
    }

    #[test]
    fn positional_parameter_is_not_a_dollar_quote() {
        assert_eq!(
            statements("PREPARE p AS SELECT $1; SELECT 2;"),
            ["PREPARE p AS SELECT $1;", "SELECT 2;"]
        );
    }

    #[test]
    fn dollar_inside_identifier_is_not_a_quote() {
        assert_eq!(statements("SELECT a$$b; SELECT 2;").len(), 2);
    }

    #[test]
    fn parentheses_hold_semicolons_like_psql() {
        let scan = scan("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1);");
        assert!(scan.statements.is_empty());
        assert_eq!(scan.open, Open::Paren);
        assert_eq!(
            statements("CREATE RULE r AS ON INSERT TO t DO (SELECT 1; SELECT 2);").len(),
            1
        );
    }

    #[test]
    fn stray_closing_parenthesis_does_not_underflow() {
        assert_eq!(statements("SELECT 1); SELECT 2;").len(), 2);
    }

    #[test]
    fn begin_atomic_body_holds_semicolons() {
        let sql = "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;";
        assert_eq!(statements(&format!("{sql} SELECT 3;")), [sql, "SELECT 3;"]);
        assert!(
            scan("CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1;")
                .statements
                .is_empty()
        );
    }

    #[test]
    fn plain_begin_transaction_ends_at_semicolon() {
        assert_eq!(
            statements("BEGIN; SELECT 1; END;"),
            ["BEGIN;", "SELECT 1;", "END;"]
        );
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        assert_eq!(
            statements("SELECT 'héllo; ☃' AS \"ünï\"; SELECT 'ß';"),
            ["SELECT 'héllo; ☃' AS \"ünï\";", "SELECT 'ß';"]
        );
    }

    #[test]
    fn is_complete_needs_a_terminated_statement_and_nothing_after() {
        assert!(is_complete("SELECT 1;"));
        assert!(is_complete("SELECT 1; -- trailing comment"));
        assert!(!is_complete("SELECT 1"));
        assert!(!is_complete("SELECT 1; SELECT"));
        assert!(!is_complete("SELECT ';"));
        assert!(!is_complete(""));
    }

    #[test]
    fn prompt_chars_follow_psql() {
        assert_eq!(scan("SELECT (1").open.prompt_char(), '(');
        assert_eq!(scan("SELECT").open.prompt_char(), '-');
        assert_eq!(scan("SELECT '").open.prompt_char(), '\'');
        assert_eq!(scan("SELECT /*").open.prompt_char(), '*');
    }
}
