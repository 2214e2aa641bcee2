//! Errors and notices as psql prints them:
//!
//! ```text
//! ERROR:  column "x" does not exist
//! LINE 1: select 'a' from (values(1)) v where x = 1 and
//!                                             ^
//! DETAIL:  …
//! HINT:  …
//! ```
//!
//! The `LINE n:` excerpt follows libpq's `reportErrorPosition`: only the
//! line holding the position, tabs shown as spaces, cut to about 60
//! display columns around the position with `...` marks, and the caret
//! under the character in display columns.

use std::io::{self, Write};

use cor4_protocol::client::DbError;

/// Lines longer than this many screen columns are cut.
const DISPLAY_SIZE: usize = 60;
/// Keep the cut at least this far right of the position.
const MIN_RIGHT_CUT: usize = 10;

/// psql's `VERBOSITY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Severity, message, position, DETAIL, HINT, QUERY, CONTEXT.
    #[default]
    Default,
    /// Severity, message and a position as text only.
    Terse,
    /// Default, plus the SQLSTATE, the object names and the source location.
    Verbose,
    /// Severity and SQLSTATE only.
    Sqlstate,
}

/// psql's `SHOW_CONTEXT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShowContext {
    /// Never print CONTEXT lines.
    Never,
    /// Print them for errors only.
    #[default]
    Errors,
    /// Print them for notices and warnings too.
    Always,
}

/// How reports are printed: psql's `VERBOSITY` and `SHOW_CONTEXT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportStyle {
    /// How much to print.
    pub verbosity: Verbosity,
    /// When to print CONTEXT.
    pub show_context: ShowContext,
}

/// Prints an error; `prefix` goes before the first line (psql's
/// `psql:file.sql:3: ` for scripts, empty otherwise); `query` is the text
/// the position refers to.
pub fn write_error<W: Write + ?Sized>(
    out: &mut W,
    err: &DbError,
    query: Option<&str>,
    prefix: &str,
    style: ReportStyle,
) -> io::Result<()> {
    out.write_all(format_report(err, "ERROR", true, query, prefix, style).as_bytes())
}

/// Prints a notice (`NOTICE:  …`, `WARNING:  …`) as psql's notice
/// processor does.
pub fn write_notice<W: Write + ?Sized>(
    out: &mut W,
    n: &DbError,
    query: Option<&str>,
    prefix: &str,
    style: ReportStyle,
) -> io::Result<()> {
    out.write_all(format_report(n, "NOTICE", false, query, prefix, style).as_bytes())
}

/// The text libpq builds for an error or notice (its
/// `pqBuildErrorMessage3`), with psql's location prefix.
pub fn format_report(
    err: &DbError,
    default_severity: &str,
    is_error: bool,
    query: Option<&str>,
    prefix: &str,
    style: ReportStyle,
) -> String {
    let severity = if err.severity().is_empty() {
        default_severity
    } else {
        err.severity()
    };
    let mut text = format!("{prefix}{severity}:  ");
    let sqlstate = err.code().code();
    let mut verbosity = style.verbosity;
    if verbosity == Verbosity::Sqlstate {
        if !sqlstate.is_empty() {
            text.push_str(sqlstate);
            text.push('\n');
            return text;
        }
        verbosity = Verbosity::Terse;
    }
    if verbosity == Verbosity::Verbose && !sqlstate.is_empty() {
        text.push_str(sqlstate);
        text.push_str(": ");
    }
    text.push_str(err.message());
    let terse = verbosity == Verbosity::Terse;
    let mut cursor: Option<(&str, u32)> = None;
    if let Some(position) = err.position() {
        match query {
            Some(q) if !terse => cursor = Some((q, position)),
            _ => text.push_str(&format!(" at character {position}")),
        }
    } else if let Some(position) = err.internal_position() {
        match err.internal_query() {
            Some(q) if !terse => cursor = Some((q, position)),
            _ => text.push_str(&format!(" at character {position}")),
        }
    }
    text.push('\n');
    if !terse {
        if let Some((q, position)) = cursor {
            text.push_str(&position_excerpt(q, position as usize));
        }
        if let Some(detail) = err.detail() {
            text.push_str(&format!("DETAIL:  {detail}\n"));
        }
        if let Some(hint) = err.hint() {
            text.push_str(&format!("HINT:  {hint}\n"));
        }
        if let Some(query) = err.internal_query() {
            text.push_str(&format!("QUERY:  {query}\n"));
        }
        let context = match style.show_context {
            ShowContext::Always => true,
            ShowContext::Errors => is_error,
            ShowContext::Never => false,
        };
        if context && let Some(context) = err.where_() {
            text.push_str(&format!("CONTEXT:  {context}\n"));
        }
    }
    if verbosity == Verbosity::Verbose {
        for (label, value) in [
            ("SCHEMA NAME", err.schema()),
            ("TABLE NAME", err.table()),
            ("COLUMN NAME", err.column()),
            ("DATATYPE NAME", err.datatype()),
            ("CONSTRAINT NAME", err.constraint()),
        ] {
            if let Some(value) = value {
                text.push_str(&format!("{label}:  {value}\n"));
            }
        }
        let (routine, file, line) = (err.routine(), err.file(), err.line());
        if routine.is_some() || file.is_some() || line.is_some() {
            text.push_str("LOCATION:  ");
            if let Some(routine) = routine {
                text.push_str(&format!("{routine}, "));
            }
            if let (Some(file), Some(line)) = (file, line) {
                text.push_str(&format!("{file}:{line}"));
            }
            text.push('\n');
        }
    }
    text
}

/// The `LINE n: …` line and the caret line for a 1-based character
/// position, or nothing when the position is past the end of the query.
pub fn position_excerpt(query: &str, position: usize) -> String {
    let Some(loc) = position.checked_sub(1) else {
        return String::new();
    };
    // Tabs print as spaces; each character's screen column (control
    // characters and combining marks count 1, as in libpq).
    let chars: Vec<char> = query
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let mut scr = Vec::with_capacity(chars.len() + 1);
    let mut col = 0usize;
    let mut line_no = 1usize;
    let mut ibeg = 0usize;
    let mut iend = None;
    for (cno, &c) in chars.iter().enumerate() {
        scr.push(col);
        if c == '\r' || c == '\n' {
            if cno < loc {
                if c == '\r' || cno == 0 || chars[cno - 1] != '\r' {
                    line_no += 1;
                }
                ibeg = cno + 1;
            } else {
                iend = Some(cno);
                break;
            }
        }
        col += crate::print::char_width(c).filter(|w| *w > 0).unwrap_or(1);
    }
    let mut iend = match iend {
        Some(i) => i,
        None => {
            scr.push(col);
            chars.len()
        }
    };
    if loc > chars.len() {
        return String::new();
    }
    let (mut beg_trunc, mut end_trunc) = (false, false);
    if scr[iend] - scr[ibeg] > DISPLAY_SIZE {
        if scr[ibeg] + DISPLAY_SIZE >= scr[loc] + MIN_RIGHT_CUT {
            while scr[iend] - scr[ibeg] > DISPLAY_SIZE {
                iend -= 1;
            }
            end_trunc = true;
        } else {
            while scr[loc] + MIN_RIGHT_CUT < scr[iend] {
                iend -= 1;
                end_trunc = true;
            }
            while scr[iend] - scr[ibeg] > DISPLAY_SIZE {
                ibeg += 1;
                beg_trunc = true;
            }
        }
    }
    let mut head = format!("LINE {line_no}: ");
    if beg_trunc {
        head.push_str("...");
    }
    let caret_col = head.len() + scr[loc] - scr[ibeg];
    let mut s = head;
    s.extend(&chars[ibeg..iend]);
    if end_trunc {
        s.push_str("...");
    }
    s.push('\n');
    s.extend(std::iter::repeat_n(' ', caret_col));
    s.push_str("^\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use cor4_protocol::packet::ErrorPacket;

    fn error_packet(message: &str, position: u32) -> ErrorPacket {
        ErrorPacket {
            sqlstate: "42P01".into(),
            severity: "ERROR".into(),
            message: message.into(),
            position,
            ..ErrorPacket::default()
        }
    }

    fn db_error(message: &str, position: u32) -> DbError {
        error_packet(message, position).into()
    }

    fn printed(err: &DbError, query: &str) -> String {
        let mut out = Vec::new();
        write_error(&mut out, err, Some(query), "", ReportStyle::default()).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn points_a_caret_at_the_position() {
        let e = db_error("relation \"nope\" does not exist", 15);
        assert_eq!(
            printed(&e, "select * from nope"),
            "ERROR:  relation \"nope\" does not exist\n\
             LINE 1: select * from nope\n                      ^\n"
        );
    }

    #[test]
    fn shows_only_the_line_of_the_position() {
        let q = "select 1,\n  2,\n  x from t";
        let e = db_error("column \"x\" does not exist", 18);
        assert_eq!(
            printed(&e, q),
            "ERROR:  column \"x\" does not exist\nLINE 3:   x from t\n          ^\n"
        );
    }

    #[test]
    fn counts_crlf_as_one_line_break() {
        let q = "select 1,\r\nx";
        let e = db_error("column \"x\" does not exist", 12);
        assert!(printed(&e, q).contains("LINE 2: x\n"));
    }

    #[test]
    fn cuts_long_lines_around_the_position() {
        let q = format!("select {} from nope", "a, ".repeat(40));
        let pos = q.find("nope").expect("nope") + 1;
        let got = position_excerpt(&q, pos);
        let first = got.lines().next().expect("line");
        assert!(first.starts_with("LINE 1: ..."), "{got}");
        assert!(first.ends_with("from nope"), "{got}");
        let caret = got.lines().nth(1).expect("caret").len() - 1;
        assert_eq!(&first[caret..caret + 4], "nope");
    }

    #[test]
    fn counts_wide_characters_twice_for_the_caret() {
        let got = position_excerpt("select '日本' + x", 15);
        assert_eq!(
            got,
            "LINE 1: select '日本' + x\n                        ^\n"
        );
    }

    #[test]
    fn adds_detail_and_hint() {
        let mut p = error_packet(
            "duplicate key value violates unique constraint \"t_pkey\"",
            0,
        );
        p.detail = "Key (id)=(1) already exists.".into();
        p.hint = "Try again.".into();
        let e = DbError::from(p);
        assert_eq!(
            printed(&e, "insert into t values (1)"),
            "ERROR:  duplicate key value violates unique constraint \"t_pkey\"\n\
             DETAIL:  Key (id)=(1) already exists.\nHINT:  Try again.\n"
        );
    }

    #[test]
    fn ignores_a_position_past_the_end() {
        assert_eq!(position_excerpt("select", 99), "");
    }
}
