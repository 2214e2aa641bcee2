//! `\h`: which commands a topic selects, and how psql 15 lays them out.
//!
//! The rules, as psql 15's `helpSQL` applies them (and as checked against
//! `psql` 15.18, see the tests):
//!
//! * The topic is the rest of the line, without leading white space and
//!   without trailing white space and semicolons. Nothing else is cleaned:
//!   quotes stay, inner spaces and tabs stay.
//! * An empty topic lists the command names in columns (see [`list`]).
//! * Otherwise up to three passes compare a prefix of the topic with the
//!   start of every name, ignoring ASCII case: all of the topic, then its
//!   first two words, then its first word (words end at a space; a second
//!   space in a row makes the second word empty). A pass that cannot
//!   shorten the topic is skipped. The first pass with a match prints every
//!   name that starts with that prefix, stopping after a name equal to the
//!   whole topic — so `\h SELECT` shows SELECT alone but `\h SELEC` shows
//!   SELECT and SELECT INTO, and `\h create table foo` shows CREATE TABLE,
//!   CREATE TABLE AS and CREATE TABLESPACE.
//! * `*` selects every command.
//! * No match: `No help available for "topic".` and a hint.

use std::fmt::Write as _;

use super::commands::{self, Command};

/// The documentation psql 15 links to.
const DOCS: &str = "https://www.postgresql.org/docs/15/";

/// White space as C's `isspace` sees it, which psql uses to trim.
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// The topic psql looks up for the text after `\h`.
pub(super) fn clean_topic(rest_of_line: &str) -> &str {
    rest_of_line
        .trim_start_matches(is_c_space)
        .trim_end_matches(|c| is_c_space(c) || c == ';')
}

/// Appends `\h`'s answer for `topic` (already cleaned) to `out`.
pub(super) fn help(topic: &str, out: &mut String, columns: usize) {
    if topic.is_empty() {
        list(out, columns);
        return;
    }
    let found = select(topic);
    if found.is_empty() {
        // psql quotes the topic as typed, quotes included.
        let _ = writeln!(out, "No help available for \"{topic}\".");
        out.push_str("Try \\h with no arguments to see available help.\n");
    }
    for command in found {
        entry(command, out);
    }
}

/// The commands `topic` selects, in order (see the module docs).
fn select(topic: &str) -> Vec<&'static Command> {
    let t = topic.as_bytes();
    let star = topic == "*";
    let mut len = t.len();
    for pass in 1..=3 {
        if pass > 1 {
            match shorten(&t[..len], pass == 2) {
                Some(shorter) => len = shorter,
                None => continue,
            }
        }
        let prefix = &t[..len];
        let mut found = Vec::new();
        for command in commands::all() {
            let name = command.name.as_bytes();
            if star
                || name
                    .get(..len)
                    .is_some_and(|n| n.eq_ignore_ascii_case(prefix))
            {
                found.push(command);
                if name.eq_ignore_ascii_case(t) {
                    break;
                }
            }
        }
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// The length of the first word of `t` (`two_words`: of its first two
/// words, with the space between), or `None` when that is all of `t`.
///
/// As in psql, the first byte always belongs to the first word, and each
/// word ends at the next space (so after two spaces in a row the second
/// word is empty).
fn shorten(t: &[u8], two_words: bool) -> Option<usize> {
    let word_end = |from: usize| {
        t.iter()
            .skip(from)
            .position(|&b| b == b' ')
            .map_or(t.len(), |p| from + p)
    };
    let mut end = word_end(1);
    if two_words && end + 1 < t.len() {
        end = word_end(end + 1);
    }
    (end < t.len()).then_some(end)
}

/// One command's help, as psql prints it (a blank line ends it).
fn entry(command: &Command, out: &mut String) {
    let _ = write!(
        out,
        "Command:     {}\nDescription: {}\nSyntax:\n{}\n\nURL: {DOCS}{}.html\n\n",
        command.name, command.about, command.syntax, command.page
    );
}

/// "Available help:" and the names in columns, filled top to bottom and
/// then left to right: as many columns of the longest name plus one space
/// as fit in `columns - 3` (at least one); every row starts with two
/// spaces, and all but the last column are padded, even when empty.
fn list(out: &mut String, columns: usize) {
    let names: Vec<&str> = commands::all().map(|c| c.name).collect();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0) + 1;
    let ncolumns = (columns.saturating_sub(3) / width).max(1);
    let nrows = names.len().div_ceil(ncolumns);
    out.push_str("Available help:\n");
    for row in 0..nrows {
        out.push_str("  ");
        for column in 0..ncolumns - 1 {
            // Past the last name psql pads an empty cell.
            let name = names.get(row + column * nrows).unwrap_or(&"");
            let _ = write!(out, "{name:<width$}");
        }
        if let Some(name) = names.get(row + (ncolumns - 1) * nrows) {
            out.push_str(name);
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command names `\h topic` shows (or the first line when none).
    fn shown(topic: &str) -> Vec<String> {
        let mut out = String::new();
        help(clean_topic(topic), &mut out, 80);
        let names: Vec<String> = out
            .lines()
            .filter_map(|l| l.strip_prefix("Command:     "))
            .map(str::to_owned)
            .collect();
        if names.is_empty() {
            vec![out.lines().next().unwrap_or("").to_owned()]
        } else {
            names
        }
    }

    fn all_starting(prefix: &str) -> Vec<String> {
        commands::all()
            .map(|c| c.name.to_owned())
            .filter(|n| n.starts_with(prefix))
            .collect()
    }

    // Expected values below are what `psql -c '\h …'` (15.18) printed.

    #[test]
    fn an_exact_name_shows_only_that_command() {
        assert_eq!(shown("SELECT"), ["SELECT"]);
        assert_eq!(shown("select"), ["SELECT"]);
        assert_eq!(shown("ALTER USER"), ["ALTER USER"]);
        assert_eq!(shown("set"), ["SET"]);
        assert_eq!(shown("drop table"), ["DROP TABLE"]);
        assert_eq!(shown("end;"), ["END"]);
    }

    #[test]
    fn a_prefix_shows_every_command_it_starts() {
        assert_eq!(shown("SELEC"), ["SELECT", "SELECT INTO"]);
        assert_eq!(
            shown("create tab"),
            ["CREATE TABLE", "CREATE TABLE AS", "CREATE TABLESPACE"]
        );
        assert_eq!(shown("DROP TEXT SEARCH"), all_starting("DROP TEXT SEARCH"));
        assert_eq!(shown("create"), all_starting("CREATE "));
        assert_eq!(shown("c").len(), 50);
        assert_eq!(shown("ALTER"), all_starting("ALTER "));
    }

    #[test]
    fn extra_words_are_dropped_from_the_end() {
        assert_eq!(shown("select foo"), ["SELECT", "SELECT INTO"]);
        assert_eq!(
            shown("create table foo"),
            ["CREATE TABLE", "CREATE TABLE AS", "CREATE TABLESPACE"]
        );
        assert_eq!(
            shown("create table as foo"),
            ["CREATE TABLE", "CREATE TABLE AS", "CREATE TABLESPACE"]
        );
        assert_eq!(shown("rollback to savepoint x"), ["ROLLBACK TO SAVEPOINT"]);
        assert_eq!(shown("DROP OWNED BY x"), ["DROP OWNED"]);
        assert_eq!(shown("no such command"), ["NOTIFY"]);
        assert_eq!(
            shown("ALTER TEXT SEARCH CONFIGURATIONX"),
            all_starting("ALTER TEXT")
        );
    }

    #[test]
    fn spaces_inside_are_kept() {
        // "create " is the two-word prefix of "create  table".
        assert_eq!(shown("create  table"), all_starting("CREATE "));
        assert_eq!(shown("alter text  search"), all_starting("ALTER TEXT"));
        // A tab does not end a word.
        assert_eq!(
            shown("select\tinto"),
            ["No help available for \"select\tinto\"."]
        );
    }

    #[test]
    fn the_ends_of_the_line_are_trimmed() {
        assert_eq!(shown("  select ;; "), ["SELECT"]);
        assert_eq!(shown(";"), ["Available help:"]);
        assert_eq!(shown("   "), ["Available help:"]);
    }

    #[test]
    fn star_shows_everything() {
        assert_eq!(shown("*"), all_starting(""));
        assert_eq!(shown("* foo"), ["No help available for \"* foo\"."]);
    }

    #[test]
    fn rejects_unknown_topics_as_psql_does() {
        let mut out = String::new();
        help(clean_topic("xyz"), &mut out, 80);
        assert_eq!(
            out,
            "No help available for \"xyz\".\nTry \\h with no arguments to see available help.\n"
        );
        out.clear();
        help(clean_topic("\"VALUES\""), &mut out, 80);
        assert!(out.starts_with("No help available for \"\"VALUES\"\".\n"));
        assert_eq!(shown("x y z"), ["No help available for \"x y z\"."]);
    }

    #[test]
    fn entries_have_psqls_shape() {
        let mut out = String::new();
        help("abort", &mut out, 80);
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines[0], "Command:     ABORT");
        assert!(lines[1].starts_with("Description: "));
        assert_eq!(lines[2], "Syntax:");
        assert!(lines[3].starts_with("ABORT "));
        assert_eq!(
            lines[4..],
            [
                "",
                "URL: https://www.postgresql.org/docs/15/sql-abort.html",
                "",
                ""
            ]
        );

        out.clear();
        help("selec", &mut out, 80);
        let blank_then_command = out.matches("\n\nCommand:     ").count();
        assert_eq!(blank_then_command, 1);
        assert!(out.ends_with(".html\n\n"));
    }

    #[test]
    fn list_matches_psql_at_each_width() {
        let cases = [
            (0, include_str!("testdata/list_36.txt")),
            (35, include_str!("testdata/list_36.txt")),
            (36, include_str!("testdata/list_36.txt")),
            (69, include_str!("testdata/list_80.txt")),
            (80, include_str!("testdata/list_80.txt")),
            (102, include_str!("testdata/list_120.txt")),
            (120, include_str!("testdata/list_120.txt")),
            (400, include_str!("testdata/list_400.txt")),
        ];
        for (columns, expected) in cases {
            let mut out = String::new();
            help("", &mut out, columns);
            assert_eq!(out, expected, "at {columns} columns");
        }
    }

    #[test]
    fn list_survives_absurd_widths() {
        let mut out = String::new();
        help("", &mut out, 10_000);
        assert_eq!(out.lines().count(), 2);
        assert!(
            out.lines()
                .nth(1)
                .is_some_and(|l| l.trim_end().ends_with("WITH"))
        );
    }
}
