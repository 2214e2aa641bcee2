//! Built-in help with psql 15's behaviour and layout, in cor4's own words:
//! `\h` for SQL commands ([`sql_help`]), `\?` for the backslash commands
//! ([`slash_help`]) and `\? variables` for the special variables
//! ([`variables_help`]).
//!
//! ```text
//!  "\h create tab"          "\?"                 "\? variables"
//!        │                    │                        │
//!   sql_help ── lookup ──▶ commands::all()     slash_help   variables_help
//!        │     (psql's 3 passes; list columns)    │              │
//!        └────────────── appended to a String ────┴──────────────┘
//! ```
//!
//! The texts are cor4's; what follows psql exactly is which commands exist,
//! how `\h` finds them, and where every line and blank goes, so that a
//! script or a person used to psql sees the same shapes.
//!
//! `sql_help("rollback to", …)` starts with `Command:     ROLLBACK TO
//! SAVEPOINT` (see the test below).

mod commands;
mod lookup;
mod slash;
mod variables;

pub use slash::{Expanded, ShellState, slash_help};
pub use variables::variables_help;

/// The width psql assumes when standard output is not a terminal (and
/// so its size cannot be asked).
pub const DEFAULT_COLUMNS: usize = 80;

/// psql's `\h [topic]`: appends to `out` what psql 15 prints.
///
/// `topic` is the rest of the line after `\h` (or `\help`), as typed;
/// leading white space and trailing white space and semicolons are
/// ignored, as psql does. Empty: the list of command names, laid out in as
/// many columns as fit in `columns` (the terminal width of standard output,
/// or [`DEFAULT_COLUMNS`] when it is not a terminal). `*`: every command in
/// full. Otherwise the commands the topic selects by psql's rules (see
/// below), or `No help available for "topic".` and a hint.
///
/// A topic selects the commands whose names start with it, ignoring case;
/// failing that, with its first two words; failing that, with its first
/// word. A name equal to the whole topic ends the list, so `\h SELECT` is
/// SELECT alone while `\h SELEC` adds SELECT INTO.
pub fn sql_help(topic: &str, out: &mut String, columns: usize) {
    lookup::help(lookup::clean_topic(topic), out, columns);
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_a_two_word_command() {
        let mut out = String::new();
        super::sql_help("rollback to", &mut out, 80);
        assert!(
            out.starts_with("Command:     ROLLBACK TO SAVEPOINT\n"),
            "{out}"
        );
    }
}
