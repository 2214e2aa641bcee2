//! psql's input lexer: it follows SQL text line by line, knows when a
//! statement ends (a `;` outside quotes, comments, parentheses and
//! `BEGIN ATOMIC … END` bodies), stops at a backslash that starts a
//! meta-command, and substitutes `:name`, `:'name'`, `:"name"` and
//! `:{?name}` where psql does.
//!
//! ```text
//!  line ──setup──▶ SqlScanner ──scan──▶ query buffer (SQL, interpolated)
//!                      │           └──▶ Semicolon | Backslash | Incomplete | Eol
//!                      └── state carried across lines: inside a quote,
//!                          a comment, a dollar quote, parentheses …
//! ```
//!
//! Rules follow PostgreSQL 15's `psqlscan.l`: whitespace and `--` comments
//! before a statement are dropped, a variable's value is scanned again as
//! SQL (so it may hold quotes or semicolons; a variable that expands to
//! itself is not expanded again), `\;` and `\:` put a literal `;` or `:`
//! in the buffer, and nothing is substituted inside quotes or comments, or
//! when the caller says variables are off (an inactive `\if` branch).
//! [`slash`] lexes a meta-command's name and arguments from the same input.

mod classify;
mod interpolate;
pub mod slash;

pub use classify::{Class, classify, words_before};
pub use interpolate::quote_value;
#[cfg(test)]
mod tests;

/// Where the lexer is, carried from one line to the next.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum State {
    /// Between tokens.
    #[default]
    Initial,
    /// `B'…'`.
    BitString,
    /// `X'…'`.
    HexString,
    /// `'…'` with standard_conforming_strings on.
    Quote,
    /// `E'…'` (or `'…'` with standard_conforming_strings off).
    EscapeQuote,
    /// `U&'…'`.
    UnicodeQuote,
    /// `/* … */`, nested `depth` deep.
    Comment(u32),
    /// `"…"` or `U&"…"`.
    Ident,
    /// `$tag$ … $tag$`.
    Dollar(String),
}

/// Why [`SqlScanner::scan`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanResult {
    /// A statement-ending `;` was added to the buffer: send it.
    Semicolon,
    /// A `\` starts a meta-command: lex it with [`slash`] next.
    Backslash,
    /// The line ended inside something (a quote, parentheses …).
    Incomplete,
    /// The line ended with nothing open.
    Eol,
}

/// What the next line's prompt shows (psql's `%R`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PromptStatus {
    /// A new statement (`=`).
    #[default]
    Ready,
    /// A statement goes on (`-`).
    Continue,
    /// Inside `/* */` (`*`).
    Comment,
    /// Inside `'…'` (`'`).
    SingleQuote,
    /// Inside `"…"` (`"`).
    DoubleQuote,
    /// Inside `$$…$$` (`$`).
    DollarQuote,
    /// Inside parentheses (`(`).
    Paren,
}

/// How a variable is substituted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// `:'name'`: an SQL string literal.
    Literal,
    /// `:"name"`: an SQL identifier.
    Identifier,
}

/// Where the lexer finds variables: the shell's variables, or none (in an
/// inactive `\if` branch).
pub trait Variables {
    /// The value of `name`, or `None` when it is not set (or substitution
    /// is off).
    fn get(&self, name: &str) -> Option<String>;
    /// Whether substitution is on at all.
    fn active(&self) -> bool {
        true
    }
    /// Called for `skipping recursive expansion of variable "x"`.
    fn warn(&self, message: &str);
}

/// One input being scanned: the line, or a variable's value pushed on top.
#[derive(Debug, Clone)]
struct Buffer {
    text: String,
    pos: usize,
    /// The variable whose value this is (`None` for the line itself).
    var: Option<String>,
}

/// psql's SQL lexer state.
#[derive(Debug, Clone, Default)]
pub struct SqlScanner {
    state: State,
    paren_depth: u32,
    begin_depth: u32,
    /// The first letters of the statement's first identifiers, to spot
    /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (whose `BEGIN ATOMIC` body
    /// holds semicolons).
    identifiers: [u8; 4],
    identifier_count: usize,
    /// `standard_conforming_strings`: whether `'\'` ends a string.
    std_strings: bool,
    buffers: Vec<Buffer>,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

fn is_ident_cont(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == '$'
}

/// psql's `variable_char`.
pub fn is_variable_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii()
}

impl SqlScanner {
    /// A lexer at the start of a statement.
    pub fn new() -> Self {
        SqlScanner {
            std_strings: true,
            ..SqlScanner::default()
        }
    }

    /// Forgets everything open (psql's `psql_scan_reset`: after `\r`, a
    /// forced send, or an error).
    pub fn reset(&mut self) {
        let std = self.std_strings;
        *self = SqlScanner::new();
        self.std_strings = std;
    }

    /// Starts scanning `line` (without its line ending).
    pub fn setup(&mut self, line: &str, std_strings: bool) {
        self.std_strings = std_strings;
        self.buffers.clear();
        self.buffers.push(Buffer {
            text: line.to_owned(),
            pos: 0,
            var: None,
        });
    }

    /// Whether the lexer is inside a quote, comment or dollar quote (an
    /// empty line then still belongs to the statement).
    pub fn in_quote(&self) -> bool {
        self.state != State::Initial
    }

    /// The prompt for the next line, given that the buffer is not empty.
    pub fn prompt(&self) -> PromptStatus {
        match self.state {
            State::Initial if self.paren_depth > 0 => PromptStatus::Paren,
            State::Initial => PromptStatus::Continue,
            State::Comment(_) => PromptStatus::Comment,
            State::Quote
            | State::EscapeQuote
            | State::UnicodeQuote
            | State::BitString
            | State::HexString => PromptStatus::SingleQuote,
            State::Ident => PromptStatus::DoubleQuote,
            State::Dollar(_) => PromptStatus::DollarQuote,
        }
    }

    /// The parenthesis depth (saved and restored around skipped `\if`
    /// branches).
    pub fn paren_depth(&self) -> u32 {
        self.paren_depth
    }

    /// Restores a parenthesis depth saved with
    /// [`paren_depth`](Self::paren_depth).
    pub fn set_paren_depth(&mut self, depth: u32) {
        self.paren_depth = depth;
    }

    /// The rest of the input being scanned (for the meta-command lexer).
    pub fn rest(&self) -> &str {
        match self.buffers.last() {
            Some(b) => &b.text[b.pos..],
            None => "",
        }
    }

    /// Marks `n` bytes of [`rest`](Self::rest) as consumed.
    pub fn advance(&mut self, n: usize) {
        if let Some(b) = self.buffers.last_mut() {
            b.pos = (b.pos + n).min(b.text.len());
        }
    }

    /// Whether a variable's value is being scanned right now (`name`'s own
    /// value included): expanding it again would never end.
    fn expanding(&self, name: &str) -> bool {
        self.buffers.iter().any(|b| b.var.as_deref() == Some(name))
    }

    /// Scans on from where it stopped, appending SQL to `buf`.
    pub fn scan(&mut self, buf: &mut String, vars: &dyn Variables) -> ScanResult {
        loop {
            let Some(top) = self.buffers.last() else {
                return self.end_of_line(buf);
            };
            if top.pos >= top.text.len() {
                if self.buffers.len() > 1 {
                    self.buffers.pop();
                    continue;
                }
                return self.end_of_line(buf);
            }
            if let Some(result) = self.step(buf, vars) {
                return result;
            }
        }
    }

    fn end_of_line(&self, buf: &str) -> ScanResult {
        match self.state {
            State::Initial if self.paren_depth > 0 || self.begin_depth > 0 => {
                ScanResult::Incomplete
            }
            State::Initial => ScanResult::Eol,
            _ => ScanResult::Incomplete,
        }
        .with_empty(buf)
    }

    /// Lexes one token of the top buffer; `Some` when scanning stops.
    fn step(&mut self, buf: &mut String, vars: &dyn Variables) -> Option<ScanResult> {
        let idx = self.buffers.len().checked_sub(1)?;
        // The text is taken out while it is lexed (a variable's value may
        // be pushed meanwhile), and put back after.
        let text = std::mem::take(&mut self.buffers[idx].text);
        let pos = self.buffers[idx].pos;
        let rest = &text[pos..];
        let state = self.state.clone();
        let (consumed, result) = match state {
            State::Initial => self.initial(rest, buf, vars, idx),
            State::Comment(depth) => (self.comment(rest, depth, buf), None),
            State::Quote | State::UnicodeQuote | State::BitString | State::HexString => {
                (self.quoted(rest, false, buf), None)
            }
            State::EscapeQuote => (self.quoted(rest, true, buf), None),
            State::Ident => (self.ident_quoted(rest, buf), None),
            State::Dollar(tag) => (self.dollar(rest, &tag, buf), None),
        };
        self.buffers[idx].text = text;
        self.buffers[idx].pos += consumed;
        result
    }

    /// A token in the initial state; returns bytes consumed from `rest`
    /// (0 when a variable buffer was pushed) and whether to stop.
    fn initial(
        &mut self,
        rest: &str,
        buf: &mut String,
        vars: &dyn Variables,
        idx: usize,
    ) -> (usize, Option<ScanResult>) {
        let mut chars = rest.chars();
        let Some(c) = chars.next() else {
            return (0, None);
        };
        let next = chars.next();
        // Whitespace and `--` comments: dropped before a statement.
        if is_space(c) || (c == '-' && next == Some('-')) {
            let len = if is_space(c) {
                rest.find(|ch: char| !is_space(ch)).unwrap_or(rest.len())
            } else {
                rest.find(['\n', '\r']).unwrap_or(rest.len())
            };
            if !buf.is_empty() {
                buf.push_str(&rest[..len]);
            }
            return (len, None);
        }
        if c == '/' && next == Some('*') {
            self.state = State::Comment(0);
            buf.push_str("/*");
            return (2, None);
        }
        let lower = c.to_ascii_lowercase();
        let after = |n: usize| rest[c.len_utf8()..].chars().nth(n);
        match (lower, next) {
            ('b', Some('\'')) => return self.open(State::BitString, 2, rest, buf),
            ('x', Some('\'')) => return self.open(State::HexString, 2, rest, buf),
            ('e', Some('\'')) => return self.open(State::EscapeQuote, 2, rest, buf),
            ('n', Some('\'')) => {
                buf.push(c);
                return (1, None);
            }
            ('u', Some('&')) if after(1) == Some('\'') => {
                return self.open(State::UnicodeQuote, 3, rest, buf);
            }
            ('u', Some('&')) if after(1) == Some('"') => {
                return self.open(State::Ident, 3, rest, buf);
            }
            _ => {}
        }
        match c {
            '\'' => {
                let state = if self.std_strings {
                    State::Quote
                } else {
                    State::EscapeQuote
                };
                self.open(state, 1, rest, buf)
            }
            '"' => self.open(State::Ident, 1, rest, buf),
            '$' => self.dollar_start(rest, buf),
            '(' => {
                self.paren_depth += 1;
                buf.push(c);
                (1, None)
            }
            ')' => {
                self.paren_depth = self.paren_depth.saturating_sub(1);
                buf.push(c);
                (1, None)
            }
            ';' => {
                buf.push(c);
                if self.paren_depth == 0 && self.begin_depth == 0 {
                    self.identifier_count = 0;
                    return (1, Some(ScanResult::Semicolon));
                }
                (1, None)
            }
            '\\' => match next {
                Some(ch @ (';' | ':')) => {
                    buf.push(ch);
                    if ch == ';' {
                        self.identifier_count = 0;
                    }
                    (2, None)
                }
                _ => (0, Some(ScanResult::Backslash)),
            },
            ':' => self.colon(rest, buf, vars, idx),
            c if is_ident_start(c) => {
                let len = rest
                    .find(|ch: char| !is_ident_cont(ch))
                    .unwrap_or(rest.len());
                self.identifier(&rest[..len]);
                buf.push_str(&rest[..len]);
                (len, None)
            }
            c => {
                buf.push(c);
                (c.len_utf8(), None)
            }
        }
    }

    fn open(
        &mut self,
        state: State,
        len: usize,
        rest: &str,
        buf: &mut String,
    ) -> (usize, Option<ScanResult>) {
        // `len` counts characters of ASCII prefixes: bytes too.
        buf.push_str(&rest[..len]);
        self.state = state;
        (len, None)
    }

    /// `$tag$` opens a dollar quote; `$1` is a parameter; a lone `$` is
    /// just a character.
    fn dollar_start(&mut self, rest: &str, buf: &mut String) -> (usize, Option<ScanResult>) {
        let body = &rest[1..];
        let tag_len = match body.chars().next() {
            Some(c) if is_ident_start(c) => body
                .find(|ch: char| !(is_ident_start(ch) || ch.is_ascii_digit()))
                .unwrap_or(body.len()),
            _ => 0,
        };
        if body[tag_len..].starts_with('$') {
            let delim = &rest[..tag_len + 2];
            buf.push_str(delim);
            self.state = State::Dollar(delim.to_owned());
            return (delim.len(), None);
        }
        buf.push('$');
        (1, None)
    }

    /// Tracks `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC … END`
    /// so its inner semicolons do not end the statement.
    fn identifier(&mut self, word: &str) {
        if self.identifier_count == 0 {
            self.identifiers = [0; 4];
        }
        let lower = word.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "create" | "function" | "procedure" | "or" | "replace"
        ) && self.identifier_count < self.identifiers.len()
        {
            self.identifiers[self.identifier_count] = lower.as_bytes()[0];
        }
        self.identifier_count += 1;
        let ids = self.identifiers;
        let routine = ids[0] == b'c'
            && (ids[1] == b'f'
                || ids[1] == b'p'
                || (ids[1] == b'o' && ids[2] == b'r' && (ids[3] == b'f' || ids[3] == b'p')));
        if routine && self.paren_depth == 0 {
            match lower.as_str() {
                "begin" => self.begin_depth += 1,
                "case" if self.begin_depth >= 1 => self.begin_depth += 1,
                "end" => self.begin_depth = self.begin_depth.saturating_sub(1),
                _ => {}
            }
        }
    }

    fn comment(&mut self, rest: &str, depth: u32, buf: &mut String) -> usize {
        if rest.starts_with("/*") {
            self.state = State::Comment(depth + 1);
            buf.push_str("/*");
            return 2;
        }
        if rest.starts_with("*/") {
            self.state = if depth == 0 {
                State::Initial
            } else {
                State::Comment(depth - 1)
            };
            buf.push_str("*/");
            return 2;
        }
        let c = rest.chars().next().unwrap_or(' ');
        buf.push(c);
        c.len_utf8()
    }

    /// Inside `'…'` (and its B, X, U& forms); `escapes` for `E'…'`.
    fn quoted(&mut self, rest: &str, escapes: bool, buf: &mut String) -> usize {
        if rest.starts_with("''") {
            buf.push_str("''");
            return 2;
        }
        if escapes && rest.starts_with('\\') {
            // A backslash escapes the next character, whatever it is.
            let len = rest[1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
            buf.push_str(&rest[..len]);
            return len;
        }
        if rest.starts_with('\'') {
            self.state = State::Initial;
            buf.push('\'');
            return 1;
        }
        let c = rest.chars().next().unwrap_or(' ');
        buf.push(c);
        c.len_utf8()
    }

    fn ident_quoted(&mut self, rest: &str, buf: &mut String) -> usize {
        if rest.starts_with("\"\"") {
            buf.push_str("\"\"");
            return 2;
        }
        if rest.starts_with('"') {
            self.state = State::Initial;
            buf.push('"');
            return 1;
        }
        let c = rest.chars().next().unwrap_or(' ');
        buf.push(c);
        c.len_utf8()
    }

    fn dollar(&mut self, rest: &str, tag: &str, buf: &mut String) -> usize {
        if rest.starts_with(tag) {
            self.state = State::Initial;
            buf.push_str(tag);
            return tag.len();
        }
        let c = rest.chars().next().unwrap_or(' ');
        buf.push(c);
        c.len_utf8()
    }
}

impl ScanResult {
    /// psql never reports an incomplete statement for an empty buffer at
    /// the end of a line.
    fn with_empty(self, buf: &str) -> ScanResult {
        match self {
            ScanResult::Eol if buf.is_empty() => ScanResult::Eol,
            other => other,
        }
    }
}
