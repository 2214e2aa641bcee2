//! The meta-command lexer (psql's `psqlscanslash.l`): the command name
//! after a backslash, then its arguments one at a time, each lexed the way
//! the command asks for.
//!
//! ```text
//!  \pset   null   '(null)'   \\ SELECT 1;
//!   └name┘ └arg─┘ └─arg───┘  └end┘└─ back to SQL
//! ```
//!
//! An argument ends at unquoted whitespace or at a backslash (which starts
//! the next command, or `\\` which ends this one). Inside an argument:
//! `'single quotes'` (with `''` and `\n`, `\t`, `\b`, `\r`, `\f`, octal
//! `\NNN` and hex `\xHH` escapes), `"double quotes"` (kept, for
//! identifiers), `` `backquotes` `` (the shell command's output),
//! `:name`, `:'name'`, `:"name"` and `:{?name}`.

use super::{Quoting, SqlScanner, Variables, is_variable_char, quote_value};

/// How an argument is lexed (psql's `slash_option_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// Quotes, backquotes and variables as usual.
    Normal,
    /// An SQL identifier: unquoted letters folded to lower case, double
    /// quotes removed.
    SqlId,
    /// A file name, or `|command` taking the rest of the line.
    FilePipe,
    /// The rest of the line as typed.
    WholeLine,
}

/// What lexing an argument needs from the shell.
pub trait ArgEnv: Variables {
    /// Runs a backquoted shell command and returns its output (without the
    /// trailing newline), or reports the failure and returns `None`.
    fn backquote(&self, command: &str) -> Option<String>;
    /// Reports a lexing problem (`unterminated quoted string`).
    fn error(&self, message: &str);
}

impl SqlScanner {
    /// Lexes the command name after the backslash: everything up to
    /// whitespace or the next backslash.
    pub fn slash_command(&mut self) -> String {
        let rest = self.rest();
        let rest = rest.strip_prefix('\\').unwrap_or(rest);
        let len = rest
            .find(|c: char| super::is_space(c) || c == '\\')
            .unwrap_or(rest.len());
        let name = rest[..len].to_owned();
        let skip = self.rest().len() - rest.len() + len;
        self.advance(skip);
        name
    }

    /// Lexes the next argument, or `None` when the command has no more (end
    /// of line, or a backslash). `semicolon`: drop trailing semicolons
    /// (psql does for `\g`-like file names).
    pub fn slash_arg(
        &mut self,
        kind: ArgKind,
        env: &dyn ArgEnv,
        semicolon: bool,
    ) -> Option<String> {
        self.slash_arg_quoted(kind, env, semicolon)
            .map(|(arg, _)| arg)
    }

    /// [`slash_arg`](Self::slash_arg), and whether the argument held any
    /// quotes (psql's `\echo -n` is an option only when unquoted).
    pub fn slash_arg_quoted(
        &mut self,
        kind: ArgKind,
        env: &dyn ArgEnv,
        semicolon: bool,
    ) -> Option<(String, bool)> {
        let rest = self.rest();
        let start = rest.len() - rest.trim_start_matches(super::is_space).len();
        let body = &rest[start..];
        if body.is_empty() {
            self.advance(start);
            return None;
        }
        match kind {
            ArgKind::WholeLine => {
                let all = rest.len();
                let text = body.trim_end_matches(super::is_space);
                let mut text = text.to_owned();
                if semicolon {
                    while text.ends_with(';') {
                        text.pop();
                    }
                }
                self.advance(all);
                return Some((text, false));
            }
            ArgKind::FilePipe if body.starts_with('|') => {
                let all = rest.len();
                let text = body.trim_end_matches(super::is_space).to_owned();
                self.advance(all);
                return Some((text, false));
            }
            _ => {}
        }
        if body.starts_with('\\') {
            self.advance(start);
            return None;
        }
        let Lexed {
            text: mut arg,
            len,
            quoted,
            closed,
        } = lex_arg(body, kind, env);
        self.advance(start + len);
        if !closed {
            // psql drops an argument whose quote never closes.
            return None;
        }
        if semicolon {
            while arg.ends_with(';') {
                arg.pop();
            }
        }
        Some((arg, quoted))
    }

    /// Skips what is left of the command: an ending `\\` is swallowed;
    /// a single `\` (the next command) and SQL after `\\` stay.
    pub fn slash_end(&mut self) {
        let rest = self.rest();
        let start = rest.len() - rest.trim_start_matches(super::is_space).len();
        if rest[start..].starts_with("\\\\") {
            self.advance(start + 2);
        }
    }

    /// Consumes the rest of the line (after a failed command, psql throws
    /// the rest away).
    pub fn slash_discard(&mut self) {
        let n = self.rest().len();
        self.advance(n);
    }
}

/// One lexed argument.
struct Lexed {
    text: String,
    /// Bytes consumed.
    len: usize,
    /// It held quotes.
    quoted: bool,
    /// Every quote in it was closed.
    closed: bool,
}

/// Lexes one argument from `body` (no leading whitespace).
fn lex_arg(body: &str, kind: ArgKind, env: &dyn ArgEnv) -> Lexed {
    let unterminated = |text: String, quoted: bool| {
        env.error("unterminated quoted string");
        Lexed {
            text,
            len: body.len(),
            quoted,
            closed: false,
        }
    };
    let mut out = String::new();
    let mut pos = 0;
    let mut quoted = false;
    while pos < body.len() {
        let rest = &body[pos..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        if super::is_space(c) || c == '\\' {
            break;
        }
        if matches!(c, '\'' | '"' | '`') {
            quoted = true;
        }
        match c {
            '\'' => {
                let (text, len, closed) = single_quoted(&rest[1..]);
                out.push_str(&text);
                pos += 1 + len;
                if !closed {
                    return unterminated(out, quoted);
                }
            }
            '"' => {
                let end = double_quoted_end(&rest[1..]);
                let inner = &rest[1..1 + end.min(rest.len() - 1)];
                let closed = 1 + end < rest.len();
                match kind {
                    ArgKind::SqlId => out.push_str(&inner.replace("\"\"", "\"")),
                    _ => {
                        out.push('"');
                        out.push_str(inner);
                        if closed {
                            out.push('"');
                        }
                    }
                }
                pos += 1 + end + usize::from(closed);
                if !closed {
                    return unterminated(out, quoted);
                }
            }
            '`' => {
                let end = rest[1..].find('`');
                let Some(end) = end else {
                    return unterminated(out, quoted);
                };
                let command = &rest[1..1 + end];
                if env.active() {
                    let command = expand_in_backquote(command, env);
                    if let Some(output) = env.backquote(&command) {
                        out.push_str(&output);
                    }
                }
                pos += end + 2;
            }
            ':' => {
                let (text, len) = variable(rest, env);
                out.push_str(&text);
                pos += len;
            }
            c => {
                if kind == ArgKind::SqlId {
                    out.extend(c.to_lowercase());
                } else {
                    out.push(c);
                }
                pos += c.len_utf8();
            }
        }
    }
    Lexed {
        text: out,
        len: pos,
        quoted,
        closed: true,
    }
}

/// `:name`, `:'name'`, `:"name"`, `:{?name}` in an argument; anything
/// else is the colon itself.
fn variable(rest: &str, env: &dyn ArgEnv) -> (String, usize) {
    let body = &rest[1..];
    let name_len = |s: &str| s.find(|c: char| !is_variable_char(c)).unwrap_or(s.len());
    let n = name_len(body);
    if n > 0 {
        let value = env.active().then(|| env.get(&body[..n])).flatten();
        return match value {
            Some(v) => (v, n + 1),
            None => (rest[..n + 1].to_owned(), n + 1),
        };
    }
    for (quote, quoting) in [('\'', Quoting::Literal), ('"', Quoting::Identifier)] {
        if let Some(inner) = body.strip_prefix(quote) {
            let n = name_len(inner);
            if n > 0 && inner[n..].starts_with(quote) {
                let whole = n + 3;
                let value = env.active().then(|| env.get(&inner[..n])).flatten();
                return match value {
                    Some(v) => (quote_value(&v, quoting), whole),
                    None => (rest[..whole].to_owned(), whole),
                };
            }
        }
    }
    if let Some(inner) = body.strip_prefix("{?") {
        let n = name_len(inner);
        if n > 0 && inner[n..].starts_with('}') {
            let whole = n + 4;
            if !env.active() {
                return (rest[..whole].to_owned(), whole);
            }
            let set = env.get(&inner[..n]).is_some();
            return ((if set { "TRUE" } else { "FALSE" }).to_owned(), whole);
        }
    }
    (":".to_owned(), 1)
}

/// In a backquoted command psql substitutes only `:name` (as is) and
/// `:'name'` (quoted for the shell).
fn expand_in_backquote(command: &str, env: &dyn ArgEnv) -> String {
    let mut out = String::new();
    let mut pos = 0;
    while let Some(i) = command[pos..].find(':') {
        out.push_str(&command[pos..pos + i]);
        let rest = &command[pos + i..];
        let body = &rest[1..];
        let n = body
            .find(|c: char| !is_variable_char(c))
            .unwrap_or(body.len());
        if n > 0 {
            match env.get(&body[..n]) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&rest[..n + 1]),
            }
            pos += i + n + 1;
            continue;
        }
        if let Some(inner) = body.strip_prefix('\'') {
            let n = inner
                .find(|c: char| !is_variable_char(c))
                .unwrap_or(inner.len());
            if n > 0 && inner[n..].starts_with('\'') {
                match env.get(&inner[..n]) {
                    Some(v) => {
                        out.push('\'');
                        out.push_str(&v.replace('\'', "'\\''"));
                        out.push('\'');
                    }
                    None => out.push_str(&rest[..n + 3]),
                }
                pos += i + n + 3;
                continue;
            }
        }
        out.push(':');
        pos += i + 1;
    }
    out.push_str(&command[pos..]);
    out
}

/// The text of a single-quoted argument after its opening quote: the
/// unescaped text, the bytes consumed (closing quote included) and whether
/// it was closed.
fn single_quoted(rest: &str) -> (String, usize, bool) {
    let mut out = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    return (out, i + 1, true);
                }
            }
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'b')) => out.push('\x08'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 'f')) => out.push('\x0c'),
                Some((_, 'x')) => {
                    let mut value = 0u32;
                    let mut digits = 0;
                    while digits < 2 {
                        match chars.peek().and_then(|&(_, d)| d.to_digit(16)) {
                            Some(d) => {
                                value = value * 16 + d;
                                chars.next();
                                digits += 1;
                            }
                            None => break,
                        }
                    }
                    if digits == 0 {
                        out.push('x');
                    } else {
                        out.push(char::from_u32(value).unwrap_or('?'));
                    }
                }
                Some((_, d @ '0'..='7')) => {
                    let mut value = d.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match chars.peek().and_then(|&(_, d)| d.to_digit(8)) {
                            Some(d) => {
                                value = value * 8 + d;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.push(char::from_u32(value).unwrap_or('?'));
                }
                Some((_, other)) => out.push(other),
                None => return (out, rest.len(), false),
            },
            c => out.push(c),
        }
    }
    (out, rest.len(), false)
}

/// Where the closing `"` of a double-quoted argument is (`""` is an
/// escaped quote); `rest.len()` when there is none.
fn double_quoted_end(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            if bytes.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return i;
        }
        i += 1;
    }
    rest.len()
}
