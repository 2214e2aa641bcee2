//! Meta-commands: a line starting with `\`, parsed into [`MetaCommand`] by
//! the pure [`parse`], then carried out on a [`Session`] by
//! [`execute_line`].
//!
//! ```text
//! "\pset null '(null)'" ──parse──> MetaCommand::Pset(Pset::Null("(null)"))
//!                                        │
//!                       execute ─────────┴──> Settings / catalog query / CHPASS
//! ```

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::settings::Format;

mod catalog;
pub mod copy;
mod run;

pub use run::{
    CommandOutcome, QueryBuffer, check_new_password, execute, execute_line, help_text,
    run_cancellable, slash_copy,
};

/// A parsed meta-command.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaCommand {
    /// `\q`: leave the shell.
    Quit,
    /// `\?`: list the meta-commands.
    Help,
    /// `\timing [on|off]`: `None` toggles.
    Timing(Option<bool>),
    /// `\x [on|off|auto]`: `None` toggles.
    Expanded(Option<Expanded>),
    /// `\pset OPTION [VALUE]`.
    Pset(Pset),
    /// `\o [FILE]`: send query results to FILE, or back to standard output.
    Output(Option<PathBuf>),
    /// `\i FILE`: run the commands in FILE.
    Include(PathBuf),
    /// `\d…` catalog listings.
    Describe(Describe),
    /// `\conninfo`: where and as whom this session is connected.
    ConnInfo,
    /// `\password`: change this user's password (CHPASS).
    Password,
    /// `\e`: edit the query buffer in `$EDITOR`.
    Edit,
    /// `\watch [SECONDS]`: rerun the last query every SECONDS (default 2).
    Watch(Duration),
    /// `\copy …`: the arguments as typed.
    Copy(String),
}

/// `\x`'s argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expanded {
    /// Always one line per column.
    On,
    /// Normal tables.
    Off,
    /// Expanded when a table would be wider than the terminal.
    Auto,
}

/// `\pset`'s options.
#[derive(Debug, Clone, PartialEq)]
pub enum Pset {
    /// `\pset format aligned|unaligned|csv|json`.
    Format(Format),
    /// `\pset null STRING`.
    Null(String),
    /// `\pset pager [on|off]`: `None` toggles.
    Pager(Option<bool>),
}

/// Which `\d` listing, with its pattern and modifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Describe {
    /// What to list.
    pub kind: Listing,
    /// The pattern (psql's: `*` and `?` wildcards, `schema.name`).
    pub pattern: Option<String>,
    /// `+`: more columns.
    pub verbose: bool,
    /// `S`: include system objects.
    pub system: bool,
}

/// The `\d` family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// `\d`: relations, or one relation's columns with a pattern.
    Relations,
    /// `\dt`: tables.
    Tables,
    /// `\dn`: schemas.
    Schemas,
    /// `\df`: functions.
    Functions,
    /// `\du`: roles.
    Roles,
    /// `\l`: databases.
    Databases,
}

/// Why a meta-command line was refused; the texts follow psql's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// The line is not a meta-command (no leading `\`).
    NotACommand,
    /// A command psql may know but cor4 does not.
    Unknown {
        /// The command, with its backslash.
        command: String,
    },
    /// A required argument is missing.
    MissingArgument {
        /// The command, with its backslash.
        command: &'static str,
    },
    /// A boolean (or on/off/auto) argument that is none of those.
    NotBoolean {
        /// The command, with its backslash.
        command: &'static str,
        /// What was given.
        value: String,
    },
    /// `\pset format` with an unknown format.
    UnknownFormat {
        /// What was given.
        value: String,
    },
    /// `\pset` with an unknown option.
    UnknownPsetOption {
        /// What was given.
        option: String,
    },
    /// `\watch` with an interval that is not a positive number.
    BadInterval {
        /// What was given.
        value: String,
    },
    /// A single-quoted argument without its closing quote.
    UnterminatedQuote,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::NotACommand => f.write_str("not a meta-command"),
            ParseError::Unknown { command } => {
                write!(f, "invalid command {command}\nTry \\? for help.")
            }
            ParseError::MissingArgument { command } => {
                write!(f, "{command}: missing required argument")
            }
            ParseError::NotBoolean { command, value } => {
                write!(
                    f,
                    "unrecognized value \"{value}\" for \"{command}\": Boolean expected"
                )
            }
            ParseError::UnknownFormat { .. } => {
                f.write_str("\\pset: allowed formats are aligned, unaligned, csv, json")
            }
            ParseError::UnknownPsetOption { option } => {
                write!(f, "\\pset: unknown option: {option}")
            }
            ParseError::BadInterval { value } => {
                write!(f, "\\watch: incorrect interval value \"{value}\"")
            }
            ParseError::UnterminatedQuote => f.write_str("unterminated quoted string"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Splits a meta-command's arguments like psql: on whitespace, with
/// `'single quotes'` (`''` inside for a quote) removed and `"double
/// quotes"` kept, as psql keeps them for identifiers.
fn arguments(text: &str) -> Result<Vec<String>, ParseError> {
    let mut args = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(args);
        }
        let mut arg = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
            match c {
                '\'' => loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            arg.push('\'');
                        }
                        Some('\'') => break,
                        Some(c) => arg.push(c),
                        None => return Err(ParseError::UnterminatedQuote),
                    }
                },
                '"' => {
                    arg.push('"');
                    for c in chars.by_ref() {
                        arg.push(c);
                        if c == '"' {
                            break;
                        }
                    }
                }
                c => arg.push(c),
            }
        }
        args.push(arg);
    }
}

/// psql's booleans: on/off, true/false, yes/no, 1/0, any case.
fn boolean(command: &'static str, value: &str) -> Result<bool, ParseError> {
    match value.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" | "t" | "y" => Ok(true),
        "off" | "false" | "no" | "0" | "f" | "n" => Ok(false),
        _ => Err(ParseError::NotBoolean {
            command,
            value: value.to_owned(),
        }),
    }
}

fn optional_boolean(command: &'static str, args: &[String]) -> Result<Option<bool>, ParseError> {
    args.first().map(|v| boolean(command, v)).transpose()
}

fn format(value: &str) -> Result<Format, ParseError> {
    let lower = value.to_ascii_lowercase();
    // psql accepts any unique prefix of a format's name.
    let formats = [
        ("aligned", Format::Aligned),
        ("unaligned", Format::Unaligned),
        ("csv", Format::Csv),
        ("json", Format::Json),
    ];
    let mut found = formats
        .iter()
        .filter(|(name, _)| !lower.is_empty() && name.starts_with(&lower));
    match (found.next(), found.next()) {
        (Some((_, format)), None) => Ok(*format),
        _ => Err(ParseError::UnknownFormat {
            value: value.to_owned(),
        }),
    }
}

fn pset(args: &[String]) -> Result<Pset, ParseError> {
    let Some(option) = args.first() else {
        return Err(ParseError::MissingArgument { command: "\\pset" });
    };
    let value = args.get(1);
    match option.as_str() {
        "format" => match value {
            Some(v) => Ok(Pset::Format(format(v)?)),
            None => Err(ParseError::MissingArgument { command: "\\pset" }),
        },
        "null" => Ok(Pset::Null(value.cloned().unwrap_or_default())),
        "pager" => Ok(Pset::Pager(optional_boolean("\\pset pager", &args[1..])?)),
        other => Err(ParseError::UnknownPsetOption {
            option: other.to_owned(),
        }),
    }
}

/// `\d`, `\dt`, `\dn`, `\df`, `\du`, `\l` with their `+` and `S`
/// modifiers, or `None` when `name` is none of them.
fn describe(name: &str, pattern: Option<String>) -> Option<Describe> {
    let (base, modifiers) = if let Some(rest) = name.strip_prefix('l') {
        (Listing::Databases, rest)
    } else {
        let rest = name.strip_prefix('d')?;
        match rest.chars().next() {
            Some('t') => (Listing::Tables, &rest[1..]),
            Some('n') => (Listing::Schemas, &rest[1..]),
            Some('f') => (Listing::Functions, &rest[1..]),
            Some('u') => (Listing::Roles, &rest[1..]),
            _ => (Listing::Relations, rest),
        }
    };
    let mut verbose = false;
    let mut system = false;
    for c in modifiers.chars() {
        match c {
            '+' if !verbose => verbose = true,
            'S' if !system && base != Listing::Databases => system = true,
            _ => return None,
        }
    }
    Some(Describe {
        kind: base,
        pattern,
        verbose,
        system,
    })
}

/// Parses one meta-command line (`\` and the command, then arguments).
pub fn parse(line: &str) -> Result<MetaCommand, ParseError> {
    let body = line
        .trim()
        .strip_prefix('\\')
        .ok_or(ParseError::NotACommand)?;
    let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
    let (name, rest) = body.split_at(name_end);
    if name == "copy" {
        return Ok(MetaCommand::Copy(rest.trim().to_owned()));
    }
    let args = arguments(rest)?;
    let first = args.first().cloned();
    let command = match name {
        "q" | "quit" => MetaCommand::Quit,
        "?" => MetaCommand::Help,
        "timing" => MetaCommand::Timing(optional_boolean("\\timing", &args)?),
        "x" => MetaCommand::Expanded(match first.as_deref() {
            None => None,
            Some(v) if v.eq_ignore_ascii_case("auto") => Some(Expanded::Auto),
            Some(v) => Some(if boolean("\\x", v)? {
                Expanded::On
            } else {
                Expanded::Off
            }),
        }),
        "pset" => MetaCommand::Pset(pset(&args)?),
        "o" | "out" => MetaCommand::Output(first.map(PathBuf::from)),
        "i" | "include" => MetaCommand::Include(PathBuf::from(
            first.ok_or(ParseError::MissingArgument { command: "\\i" })?,
        )),
        "conninfo" => MetaCommand::ConnInfo,
        "password" => MetaCommand::Password,
        "e" | "edit" => MetaCommand::Edit,
        "watch" => {
            let seconds = match first {
                None => 2.0,
                Some(v) => match v.parse::<f64>() {
                    Ok(s) if s.is_finite() && s > 0.0 && s < 1e6 => s,
                    _ => return Err(ParseError::BadInterval { value: v }),
                },
            };
            MetaCommand::Watch(Duration::from_secs_f64(seconds))
        }
        _ => match describe(name, first) {
            Some(d) => MetaCommand::Describe(d),
            None => {
                return Err(ParseError::Unknown {
                    command: format!("\\{name}"),
                });
            }
        },
    };
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe_of(kind: Listing, pattern: Option<&str>) -> MetaCommand {
        MetaCommand::Describe(Describe {
            kind,
            pattern: pattern.map(str::to_owned),
            verbose: false,
            system: false,
        })
    }

    #[test]
    fn parses_quit_and_help() {
        assert_eq!(parse("\\q"), Ok(MetaCommand::Quit));
        assert_eq!(parse("  \\q  "), Ok(MetaCommand::Quit));
        assert_eq!(parse("\\?"), Ok(MetaCommand::Help));
    }

    #[test]
    fn timing_toggles_or_takes_a_boolean() {
        assert_eq!(parse("\\timing"), Ok(MetaCommand::Timing(None)));
        assert_eq!(parse("\\timing on"), Ok(MetaCommand::Timing(Some(true))));
        assert_eq!(parse("\\timing OFF"), Ok(MetaCommand::Timing(Some(false))));
    }

    #[test]
    fn rejects_non_boolean_timing() {
        let err = parse("\\timing sometimes").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unrecognized value \"sometimes\" for \"\\timing\": Boolean expected"
        );
    }

    #[test]
    fn expanded_accepts_on_off_auto() {
        assert_eq!(parse("\\x"), Ok(MetaCommand::Expanded(None)));
        assert_eq!(
            parse("\\x on"),
            Ok(MetaCommand::Expanded(Some(Expanded::On)))
        );
        assert_eq!(
            parse("\\x off"),
            Ok(MetaCommand::Expanded(Some(Expanded::Off)))
        );
        assert_eq!(
            parse("\\x auto"),
            Ok(MetaCommand::Expanded(Some(Expanded::Auto)))
        );
        assert!(parse("\\x wide").is_err());
    }

    #[test]
    fn pset_format_accepts_names_and_unique_prefixes() {
        assert_eq!(
            parse("\\pset format csv"),
            Ok(MetaCommand::Pset(Pset::Format(Format::Csv)))
        );
        assert_eq!(
            parse("\\pset format u"),
            Ok(MetaCommand::Pset(Pset::Format(Format::Unaligned)))
        );
        assert_eq!(
            parse("\\pset format json"),
            Ok(MetaCommand::Pset(Pset::Format(Format::Json)))
        );
        assert_eq!(
            parse("\\pset format html").unwrap_err().to_string(),
            "\\pset: allowed formats are aligned, unaligned, csv, json"
        );
    }

    #[test]
    fn pset_null_unquotes_single_quotes() {
        assert_eq!(
            parse("\\pset null '(null)'"),
            Ok(MetaCommand::Pset(Pset::Null("(null)".into())))
        );
        assert_eq!(
            parse("\\pset null 'it''s'"),
            Ok(MetaCommand::Pset(Pset::Null("it's".into())))
        );
        assert_eq!(
            parse("\\pset null"),
            Ok(MetaCommand::Pset(Pset::Null(String::new())))
        );
        assert_eq!(
            parse("\\pset null 'open"),
            Err(ParseError::UnterminatedQuote)
        );
    }

    #[test]
    fn pset_pager_and_unknown_options() {
        assert_eq!(
            parse("\\pset pager off"),
            Ok(MetaCommand::Pset(Pset::Pager(Some(false))))
        );
        assert_eq!(
            parse("\\pset pager"),
            Ok(MetaCommand::Pset(Pset::Pager(None)))
        );
        assert_eq!(
            parse("\\pset border 2").unwrap_err().to_string(),
            "\\pset: unknown option: border"
        );
        assert!(matches!(
            parse("\\pset"),
            Err(ParseError::MissingArgument { .. })
        ));
    }

    #[test]
    fn output_and_include_take_files() {
        assert_eq!(parse("\\o"), Ok(MetaCommand::Output(None)));
        assert_eq!(
            parse("\\o /tmp/out.txt"),
            Ok(MetaCommand::Output(Some("/tmp/out.txt".into())))
        );
        assert_eq!(
            parse("\\i 'my script.sql'"),
            Ok(MetaCommand::Include("my script.sql".into()))
        );
        assert_eq!(
            parse("\\i").unwrap_err().to_string(),
            "\\i: missing required argument"
        );
    }

    #[test]
    fn describe_family_with_patterns_and_modifiers() {
        assert_eq!(parse("\\d"), Ok(describe_of(Listing::Relations, None)));
        assert_eq!(
            parse("\\d accounts"),
            Ok(describe_of(Listing::Relations, Some("accounts")))
        );
        assert_eq!(parse("\\dt"), Ok(describe_of(Listing::Tables, None)));
        assert_eq!(parse("\\dn"), Ok(describe_of(Listing::Schemas, None)));
        assert_eq!(parse("\\df"), Ok(describe_of(Listing::Functions, None)));
        assert_eq!(parse("\\du"), Ok(describe_of(Listing::Roles, None)));
        assert_eq!(parse("\\l"), Ok(describe_of(Listing::Databases, None)));
        assert_eq!(
            parse("\\dtS+ pg_*"),
            Ok(MetaCommand::Describe(Describe {
                kind: Listing::Tables,
                pattern: Some("pg_*".into()),
                verbose: true,
                system: true,
            }))
        );
        assert_eq!(
            parse("\\d \"Mixed Case\""),
            Ok(describe_of(Listing::Relations, Some("\"Mixed Case\"")))
        );
    }

    #[test]
    fn rejects_unknown_commands_like_psql() {
        assert_eq!(
            parse("\\frobnicate").unwrap_err().to_string(),
            "invalid command \\frobnicate\nTry \\? for help."
        );
        assert!(parse("\\dx").is_err());
        assert!(parse("\\dt++").is_err());
        assert!(parse("\\lS").is_err());
        assert_eq!(parse("SELECT 1"), Err(ParseError::NotACommand));
    }

    #[test]
    fn simple_commands() {
        assert_eq!(parse("\\conninfo"), Ok(MetaCommand::ConnInfo));
        assert_eq!(parse("\\password"), Ok(MetaCommand::Password));
        assert_eq!(parse("\\e"), Ok(MetaCommand::Edit));
    }

    #[test]
    fn watch_defaults_to_two_seconds() {
        assert_eq!(
            parse("\\watch"),
            Ok(MetaCommand::Watch(Duration::from_secs(2)))
        );
        assert_eq!(
            parse("\\watch 0.5"),
            Ok(MetaCommand::Watch(Duration::from_millis(500)))
        );
        assert_eq!(
            parse("\\watch soon").unwrap_err().to_string(),
            "\\watch: incorrect interval value \"soon\""
        );
        assert!(parse("\\watch -1").is_err());
        assert!(parse("\\watch 0").is_err());
    }
}
