//! The same lexer, asked what each stretch of a line is: the highlighter
//! colours by it and completion reads the words before the cursor with it,
//! so neither can disagree with how the line will be split and sent.

use std::ops::Range;

use super::{ScanResult, SqlScanner, State, Variables, is_ident_start};

/// What a stretch of SQL is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// An unquoted word: a keyword or a name.
    Word,
    /// A string literal in any of its forms, or a dollar-quoted body,
    /// quotes included.
    Literal,
    /// A `"quoted"` identifier.
    QuotedIdent,
    /// A `--` or `/* */` comment.
    Comment,
    /// Anything else: blanks, operators, numbers, `;`, a meta-command.
    Other,
}

/// No substitution: classifying never changes the text.
struct Verbatim;

impl Variables for Verbatim {
    fn get(&self, _name: &str) -> Option<String> {
        None
    }
    fn active(&self) -> bool {
        false
    }
    fn warn(&self, _message: &str) {}
}

/// The stretches of `line`, in order and covering it, adjacent stretches of
/// the same class (other than words) merged. Scanning starts at the start
/// of a statement; a `\` that starts a meta-command makes the rest of the
/// line [`Class::Other`].
pub fn classify(line: &str) -> Vec<(Range<usize>, Class)> {
    let mut scanner = SqlScanner::new();
    scanner.setup(line, true);
    let mut sink = String::new();
    let mut out: Vec<(Range<usize>, Class)> = Vec::new();
    let mut start = 0;
    while start < line.len() {
        let before = scanner.state.clone();
        let stopped = scanner.step(&mut sink, &Verbatim);
        sink.clear();
        let end = scanner.buffers.last().map_or(line.len(), |b| b.pos);
        if end <= start || stopped == Some(ScanResult::Backslash) {
            push(&mut out, start..line.len(), Class::Other);
            break;
        }
        let class = match (&before, &scanner.state) {
            (State::Initial, State::Initial) => initial_class(&line[start..end]),
            (State::Initial, inside) | (inside, _) => state_class(inside),
        };
        push(&mut out, start..end, class);
        start = end;
    }
    out
}

fn initial_class(token: &str) -> Class {
    if token.starts_with("--") {
        Class::Comment
    } else if token.chars().next().is_some_and(is_ident_start) {
        Class::Word
    } else {
        Class::Other
    }
}

fn state_class(state: &State) -> Class {
    match state {
        State::Initial => Class::Other,
        State::Comment(_) => Class::Comment,
        State::Ident => Class::QuotedIdent,
        State::Quote
        | State::EscapeQuote
        | State::UnicodeQuote
        | State::BitString
        | State::HexString
        | State::Dollar(_) => Class::Literal,
    }
}

fn push(out: &mut Vec<(Range<usize>, Class)>, range: Range<usize>, class: Class) {
    if let Some((last, last_class)) = out.last_mut()
        && *last_class == class
        && class != Class::Word
        && last.end == range.start
    {
        last.end = range.end;
        return;
    }
    out.push((range, class));
}

/// The unquoted words of `text` before byte `end`, last first, upper-cased.
pub fn words_before(text: &str, end: usize) -> impl Iterator<Item = String> {
    let mut words: Vec<String> = classify(&text[..end])
        .into_iter()
        .filter(|(_, class)| *class == Class::Word)
        .map(|(range, _)| text[range].to_ascii_uppercase())
        .collect();
    words.reverse();
    words.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(&str, Class)> {
        classify(line)
            .into_iter()
            .map(|(range, class)| (&line[range], class))
            .collect()
    }

    #[test]
    fn words_literals_and_comments() {
        use Class::*;
        assert_eq!(
            classes("select 'it''s', E'a\\'b' -- done"),
            [
                ("select", Word),
                (" ", Other),
                ("'it''s'", Literal),
                (", ", Other),
                ("E'a\\'b'", Literal),
                (" ", Other),
                ("-- done", Comment),
            ]
        );
        assert_eq!(
            classes("a /* x 'y' */ $f$ b; $f$ \"C d\""),
            [
                ("a", Word),
                (" ", Other),
                ("/* x 'y' */", Comment),
                (" ", Other),
                ("$f$ b; $f$", Literal),
                (" ", Other),
                ("\"C d\"", QuotedIdent),
            ]
        );
    }

    #[test]
    fn an_open_quote_runs_to_the_end() {
        assert_eq!(
            classes("select 'abc"),
            [
                ("select", Class::Word),
                (" ", Class::Other),
                ("'abc", Class::Literal)
            ]
        );
    }

    #[test]
    fn a_meta_command_ends_the_sql() {
        // `g` is not lexed as a word: the meta-command lexer owns it.
        assert_eq!(
            classes("select 1 \\g out"),
            [("select", Class::Word), (" 1 \\g out", Class::Other)]
        );
    }

    #[test]
    fn covers_every_byte_of_any_line() {
        for line in [
            "", "ü'ö", "\\", "$", "$1 $$", "/*", "x::int", ":'v'", "U&'a'",
        ] {
            let stretches = classify(line);
            let mut at = 0;
            for (range, _) in &stretches {
                assert_eq!(range.start, at, "{line:?}");
                at = range.end;
            }
            assert_eq!(at, line.len(), "{line:?}");
        }
    }

    #[test]
    fn words_before_skip_strings_and_comments() {
        let line = "SELECT * FROM /* FROM */ t WHERE x = 'JOIN' AND ";
        let words: Vec<String> = words_before(line, line.len()).collect();
        assert_eq!(words, ["AND", "X", "WHERE", "T", "FROM", "SELECT"]);
    }
}
