//! `\?`: the backslash commands, grouped and laid out as psql 15 does —
//! a title per group, two spaces, the command in a 23-character column,
//! then its description; longer commands push the description to the next
//! line, indented to the same column. Groups are separated by a blank line.
//!
//! Every psql 15 command is listed; those the cor4 proxy cannot carry are
//! marked in their description.

mod groups;

use std::fmt::Write as _;

use groups::GROUPS;

/// The mark on commands that do not work through the cor4 proxy.
const NOT_VIA_PROXY: &str = " [not via cor4]";

/// Where descriptions start: two spaces and a 23-character column.
const INDENT: usize = 25;

/// `\x`'s setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Expanded {
    /// One line per row.
    #[default]
    Off,
    /// One line per column.
    On,
    /// Expanded when a row is wider than the screen.
    Auto,
}

/// The settings `\?` reports next to the commands that change them, as
/// psql does with its "(currently …)" notes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShellState<'a> {
    /// `\H`: HTML output.
    pub html: bool,
    /// `\t`: rows only.
    pub tuples_only: bool,
    /// `\x`.
    pub expanded: Expanded,
    /// `\timing`.
    pub timing: bool,
    /// The database connected to, if any (`\c`).
    pub database: Option<&'a str>,
}

/// A setting shown after a description.
#[derive(Clone, Copy)]
enum Now {
    Html,
    TuplesOnly,
    Expanded,
    Timing,
    Database,
}

/// One command line of `\?`.
struct Item {
    /// The command and its arguments. Shorter than the column: padded.
    /// Longer: written as is, so it carries the spaces before the
    /// description. Ending in `\n`: the description goes on the next line.
    command: &'static str,
    /// The description; each `\n` continues it on a new indented line.
    about: &'static str,
    /// A setting to show at the end of the first description line.
    now: Option<Now>,
    /// Whether the proxy cannot carry it.
    not_via_proxy: bool,
}

/// psql's `\?`: appends the backslash commands, grouped as psql 15 groups
/// them, with `state` shown next to the commands that change it.
pub fn slash_help(out: &mut String, state: &ShellState<'_>) {
    for (n, (title, note, items)) in GROUPS.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(title);
        out.push('\n');
        if let Some(note) = note {
            let _ = writeln!(out, "  {note}");
        }
        for item in *items {
            write_item(out, item, state);
        }
    }
}

fn write_item(out: &mut String, item: &Item, state: &ShellState<'_>) {
    let column = INDENT - 2;
    match item.command.strip_suffix('\n') {
        Some(command) => {
            let _ = write!(out, "  {command}\n{:INDENT$}", "");
        }
        None => {
            let _ = write!(out, "  {:<column$}", item.command);
        }
    }
    let mut lines = item.about.split('\n');
    out.push_str(lines.next().unwrap_or(""));
    if let Some(now) = item.now {
        let _ = write!(out, " (now {})", shown(now, state));
    }
    if item.not_via_proxy {
        out.push_str(NOT_VIA_PROXY);
    }
    out.push('\n');
    for line in lines {
        let _ = writeln!(out, "{:INDENT$}{line}", "");
    }
}

fn shown(now: Now, state: &ShellState<'_>) -> String {
    let on_off = |b: bool| if b { "on" } else { "off" };
    match now {
        Now::Html => on_off(state.html).into(),
        Now::TuplesOnly => on_off(state.tuples_only).into(),
        Now::Timing => on_off(state.timing).into(),
        Now::Expanded => match state.expanded {
            Expanded::Off => "off".into(),
            Expanded::On => "on".into(),
            Expanded::Auto => "auto".into(),
        },
        Now::Database => match state.database {
            Some(db) => format!("\"{db}\""),
            None => "not connected".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(state: &ShellState<'_>) -> String {
        let mut out = String::new();
        slash_help(&mut out, state);
        out
    }

    /// psql 15.18's `\?` reduced to its layout: the group titles, and for
    /// each command the column its description starts in (`-`: on the next
    /// line) and the command. (The descriptions are cor4's own.)
    const PSQL_LAYOUT: &str = include_str!("../testdata/slash_layout.txt");

    /// The same reduction of cor4's `\?`.
    fn layout() -> Vec<String> {
        let mut layout = Vec::new();
        for (title, _, items) in GROUPS {
            layout.push((*title).to_owned());
            for item in *items {
                let mut out = String::new();
                write_item(&mut out, item, &ShellState::default());
                let command = item.command.trim_end();
                let first = out.lines().next().unwrap_or("");
                let rest = &first[2 + command.len()..];
                let column = if rest.is_empty() {
                    "-".to_owned()
                } else {
                    (first.len() - rest.trim_start().len()).to_string()
                };
                layout.push(format!("{column}\t{command}"));
            }
        }
        layout
    }

    #[test]
    fn lists_every_psql_15_command_where_psql_does() {
        let expected: Vec<&str> = PSQL_LAYOUT.lines().collect();
        assert_eq!(layout(), expected);
    }

    #[test]
    fn items_are_laid_out_consistently() {
        for (_, _, items) in GROUPS {
            for item in *items {
                // Long commands must bring their own spacing.
                let c = item.command;
                assert!(
                    c.len() < INDENT - 2 || c.ends_with(' ') || c.ends_with('\n'),
                    "{c}"
                );
                let mut out = String::new();
                write_item(&mut out, item, &ShellState::default());
                let indent = " ".repeat(INDENT);
                for line in out.lines().skip(1) {
                    assert!(line.starts_with(&indent) && !line[INDENT..].starts_with(' '));
                }
            }
        }
    }

    #[test]
    fn groups_are_separated_by_one_blank_line() {
        let text = help(&ShellState::default());
        assert!(text.starts_with("General\n  \\copyright             show"));
        assert!(text.contains("\n\nHelp\n  \\? [commands]"));
        assert!(text.contains(
            "\n\nInformational\n  (options: S = include system objects, + = more detail)\n  \\d[S+]                 list"
        ));
        assert!(text.ends_with("  \\unset NAME            delete a variable\n"));
        assert_eq!(text.matches("\n\n").count(), GROUPS.len() - 1);
    }

    #[test]
    fn shows_the_current_settings() {
        let text = help(&ShellState {
            html: true,
            tuples_only: false,
            expanded: Expanded::Auto,
            timing: true,
            database: Some("app"),
        });
        assert!(text.contains("  \\H                     switch HTML output on or off (now on)\n"));
        assert!(text.contains("without headers and footers (now off)\n"));
        assert!(text.contains("switch expanded output (now auto)\n"));
        assert!(text.contains("each command takes (now on)\n"));
        assert!(text.contains(
            "  \\c[onnect] {[DBNAME|- USER|- HOST|- PORT|-] | conninfo}\n                         open a new connection (now \"app\")\n"
        ));
        let text = help(&ShellState::default());
        assert!(text.contains("open a new connection (now not connected)"));
    }

    #[test]
    fn every_command_works_through_the_proxy() {
        let text = help(&ShellState::default());
        let marked = text.lines().filter(|l| l.ends_with(NOT_VIA_PROXY)).count();
        assert_eq!(marked, 0);
        assert!(text.contains("  \\lo_list[+]            list large objects\n"));
    }
}
