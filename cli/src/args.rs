//! The command line, psql's flags where psql has them.

use std::path::PathBuf;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser};

use crate::settings::{Format, Settings};

/// `cor4`: the interactive shell for the cor4 proxy.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "cor4",
    version,
    about = "The interactive shell for the cor4 encrypted SQL proxy, with psql's conventions.",
    disable_help_flag = true
)]
pub struct Args {
    /// Proxy host [env: COR4_HOST] [default: 127.0.0.1].
    #[arg(short = 'h', long, value_name = "HOST")]
    pub host: Option<String>,
    /// Proxy port [env: COR4_PORT] [default: 7654].
    #[arg(short = 'p', long, value_name = "PORT")]
    pub port: Option<u16>,
    /// User name [env: COR4_USER] [default: $USER].
    #[arg(
        short = 'U',
        long = "user",
        visible_alias = "username",
        value_name = "USER"
    )]
    pub user: Option<String>,
    /// Never prompt for a password (fail when none is in COR4_PASSWORD).
    #[arg(short = 'w', long = "no-password")]
    pub no_password: bool,
    /// Always prompt for a password, even if COR4_PASSWORD is set.
    #[arg(short = 'W', long = "password", conflicts_with = "no_password")]
    pub force_password: bool,
    /// Run one command (SQL or a meta-command) and exit; repeatable, run in
    /// the order given, mixed with -f.
    #[arg(short = 'c', long = "command", value_name = "COMMAND", action = ArgAction::Append)]
    pub command: Vec<String>,
    /// Run the commands in FILE (`-` for stdin) and exit; repeatable.
    #[arg(short = 'f', long = "file", value_name = "FILE", action = ArgAction::Append)]
    pub file: Vec<PathBuf>,
    /// Send query results to FILE.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Comma-separated values output, byte for byte psql's --csv.
    #[arg(long, conflicts_with_all = ["json", "no_align"])]
    pub csv: bool,
    /// One JSON object per row.
    #[arg(long, conflicts_with = "no_align")]
    pub json: bool,
    /// Unaligned output (fields separated by -F, default `|`).
    #[arg(short = 'A', long = "no-align")]
    pub no_align: bool,
    /// Print rows only: no header, no footer.
    #[arg(short = 't', long = "tuples-only")]
    pub tuples_only: bool,
    /// Expanded output: one line per column.
    #[arg(short = 'x', long = "expanded")]
    pub expanded: bool,
    /// Field separator for unaligned output.
    #[arg(short = 'F', long = "field-separator", value_name = "STRING")]
    pub field_separator: Option<String>,
    /// Output option as with \pset: `null=STR`, `format=aligned|unaligned|csv|json`,
    /// `pager=on|off`, `tuples_only=on|off`, `expanded=on|off`, `fieldsep=STR`.
    #[arg(short = 'P', long = "pset", value_name = "VAR[=ARG]", action = ArgAction::Append)]
    pub pset: Vec<String>,
    /// Set a variable; `ON_ERROR_STOP=1` is the one cor4 knows.
    #[arg(short = 'v', long = "set", visible_alias = "variable", value_name = "NAME=VALUE", action = ArgAction::Append)]
    pub set: Vec<String>,
    /// Stop at the first failing statement (psql's -v ON_ERROR_STOP=1).
    #[arg(long = "on-error-stop")]
    pub on_error_stop: bool,
    /// Print each statement's run time (\timing on).
    #[arg(long = "timing")]
    pub timing: bool,
    /// Never use a pager.
    #[arg(long = "no-pager")]
    pub no_pager: bool,
    /// Quiet: no informational messages.
    #[arg(short = 'q', long = "quiet")]
    pub quiet: bool,
    /// Do not read a startup file (cor4 reads none; accepted for psql's
    /// command lines).
    #[arg(short = 'X', long = "no-psqlrc")]
    pub no_psqlrc: bool,
    /// Print help.
    #[arg(long = "help", action = ArgAction::Help)]
    pub help: Option<bool>,
}

/// One thing to run, in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `-c`: SQL, or a meta-command when it starts with `\`.
    Command(String),
    /// `-f`: a script file (`-` is stdin).
    File(PathBuf),
}

/// A bad `-P` or `-v` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    /// The option as given.
    pub option: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid option {:?}: {}", self.option, self.reason)
    }
}

impl std::error::Error for OptionError {}

impl Args {
    /// Parses `argv`, and the `-c`/`-f` actions in their command-line order.
    pub fn parse_with_actions<I, T>(argv: I) -> Result<(Args, Vec<Action>), clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Args::command().try_get_matches_from(argv)?;
        let args = Args::from_arg_matches(&matches)?;
        let mut actions: Vec<(usize, Action)> = Vec::new();
        if let Some(idx) = matches.indices_of("command") {
            actions.extend(idx.zip(args.command.iter().cloned().map(Action::Command)));
        }
        if let Some(idx) = matches.indices_of("file") {
            actions.extend(idx.zip(args.file.iter().cloned().map(Action::File)));
        }
        actions.sort_by_key(|(i, _)| *i);
        Ok((args, actions.into_iter().map(|(_, a)| a).collect()))
    }

    /// The output settings the flags ask for.
    pub fn settings(&self) -> Result<Settings, OptionError> {
        let mut s = Settings::default();
        if self.no_align {
            s.format = Format::Unaligned;
        }
        if self.csv {
            s.format = Format::Csv;
        }
        if self.json {
            s.format = Format::Json;
        }
        s.tuples_only = self.tuples_only;
        s.expanded = self.expanded;
        s.timing = self.timing;
        s.quiet = self.quiet;
        s.pager = !self.no_pager;
        s.on_error_stop = self.on_error_stop;
        if let Some(sep) = &self.field_separator {
            s.field_sep = sep.clone();
        }
        for p in &self.pset {
            apply_pset(&mut s, p)?;
        }
        for v in &self.set {
            let (name, value) = v.split_once('=').unwrap_or((v.as_str(), ""));
            if name.eq_ignore_ascii_case("ON_ERROR_STOP") {
                s.on_error_stop = parse_bool(value).ok_or(OptionError {
                    option: v.clone(),
                    reason: "expected on/off, true/false, 1/0",
                })?;
            }
        }
        Ok(s)
    }
}

/// Applies one `-P name=value`.
fn apply_pset(s: &mut Settings, option: &str) -> Result<(), OptionError> {
    let bad = |reason| OptionError {
        option: option.to_owned(),
        reason,
    };
    let (name, value) = option.split_once('=').unwrap_or((option, ""));
    let flag = |v: &str, current: bool| {
        if v.is_empty() {
            Some(!current)
        } else {
            parse_bool(v)
        }
    };
    match name {
        "null" => s.null = value.to_owned(),
        "fieldsep" => s.field_sep = value.to_owned(),
        "format" => {
            s.format = match value {
                "aligned" => Format::Aligned,
                "unaligned" => Format::Unaligned,
                "csv" => Format::Csv,
                "json" => Format::Json,
                _ => return Err(bad("format is aligned, unaligned, csv or json")),
            }
        }
        "pager" => s.pager = flag(value, s.pager).ok_or(bad("expected on or off"))?,
        "tuples_only" => {
            s.tuples_only = flag(value, s.tuples_only).ok_or(bad("expected on or off"))?
        }
        "expanded" | "x" => {
            s.expanded = flag(value, s.expanded).ok_or(bad("expected on or off"))?
        }
        "footer" => {}
        _ => return Err(bad("unknown \\pset option")),
    }
    Ok(())
}

/// psql's boolean spellings.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "on" | "true" | "yes" | "t" | "y" => Some(true),
        "0" | "off" | "false" | "no" | "f" | "n" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> (Args, Vec<Action>) {
        Args::parse_with_actions(std::iter::once("cor4").chain(args.iter().copied()))
            .expect("parses")
    }

    #[test]
    fn keeps_c_and_f_in_command_line_order() {
        let (_, actions) = parse(&["-c", "SELECT 1", "-f", "a.sql", "-c", "\\x"]);
        assert_eq!(
            actions,
            [
                Action::Command("SELECT 1".into()),
                Action::File("a.sql".into()),
                Action::Command("\\x".into()),
            ]
        );
    }

    #[test]
    fn h_is_the_host_not_help() {
        let (args, _) = parse(&["-h", "db.example", "-p", "7000", "-U", "alice"]);
        assert_eq!(args.host.as_deref(), Some("db.example"));
        assert_eq!(args.port, Some(7000));
        assert_eq!(args.user.as_deref(), Some("alice"));
    }

    #[test]
    fn flags_set_the_output_settings() {
        let (args, _) = parse(&[
            "--csv",
            "-t",
            "-x",
            "-P",
            "null=(null)",
            "-v",
            "ON_ERROR_STOP=1",
        ]);
        let s = args.settings().expect("valid");
        assert_eq!(s.format, Format::Csv);
        assert!(s.tuples_only && s.expanded && s.on_error_stop);
        assert_eq!(s.null, "(null)");
        let (args, _) = parse(&["-A", "-F", ";", "--no-pager"]);
        let s = args.settings().expect("valid");
        assert_eq!(
            (s.format, s.field_sep.as_str(), s.pager),
            (Format::Unaligned, ";", false)
        );
    }

    #[test]
    fn rejects_unknown_pset_options() {
        let (args, _) = parse(&["-P", "border=7"]);
        assert!(args.settings().is_err());
        assert!(Args::parse_with_actions(["cor4", "--csv", "--json"]).is_err());
    }
}
