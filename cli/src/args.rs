//! The command line: psql 15's options, with the same letters and
//! meanings, plus a few of cor4's own (`--json`, `--timing`,
//! `--no-pager`, `--on-error-stop`).

use std::path::PathBuf;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser};

/// `cor4`: the interactive shell for the cor4 proxy.
#[derive(Debug, Clone, Default, Parser)]
#[command(
    name = "cor4",
    version,
    about = "cor4 is the interactive terminal of the cor4 encrypted SQL proxy, with psql's conventions.",
    disable_help_flag = true,
    disable_version_flag = true
)]
pub struct Args {
    /// Run only single command (SQL or internal) and exit; repeatable, run
    /// in the order given, mixed with -f.
    #[arg(short = 'c', long = "command", value_name = "COMMAND", action = ArgAction::Append)]
    pub command: Vec<String>,
    /// Database name to connect to (the proxy serves one).
    #[arg(short = 'd', long = "dbname", value_name = "DBNAME")]
    pub dbname: Option<String>,
    /// Execute commands from file (`-` for stdin), then exit; repeatable.
    #[arg(short = 'f', long = "file", value_name = "FILENAME", action = ArgAction::Append)]
    pub file: Vec<PathBuf>,
    /// List available databases, then exit.
    #[arg(short = 'l', long = "list")]
    pub list: bool,
    /// Set psql variable NAME to VALUE (`-v NAME` unsets it).
    #[arg(short = 'v', long = "set", visible_alias = "variable", value_name = "NAME=VALUE", action = ArgAction::Append)]
    pub set: Vec<String>,
    /// Output version information, then exit.
    #[arg(short = 'V', long = "version")]
    pub version: bool,
    /// Do not read the startup file (~/.cor4rc).
    #[arg(short = 'X', long = "no-psqlrc")]
    pub no_psqlrc: bool,
    /// Execute as a single transaction (with -c or -f).
    #[arg(short = '1', long = "single-transaction")]
    pub single_transaction: bool,
    /// Show this help, then exit (`--help=commands`, `--help=variables`).
    #[arg(short = '?', long = "help", value_name = "TOPIC", num_args = 0..=1, default_missing_value = "options")]
    pub help: Option<String>,
    /// Echo all input from script.
    #[arg(short = 'a', long = "echo-all")]
    pub echo_all: bool,
    /// Echo failed commands.
    #[arg(short = 'b', long = "echo-errors")]
    pub echo_errors: bool,
    /// Echo commands sent to server.
    #[arg(short = 'e', long = "echo-queries")]
    pub echo_queries: bool,
    /// Display queries that internal commands generate.
    #[arg(short = 'E', long = "echo-hidden")]
    pub echo_hidden: bool,
    /// Send a session log (the queries) to file.
    #[arg(short = 'L', long = "log-file", value_name = "FILENAME")]
    pub log_file: Option<PathBuf>,
    /// Disable enhanced command line editing.
    #[arg(short = 'n', long = "no-readline")]
    pub no_readline: bool,
    /// Send query results to file (or |pipe).
    #[arg(short = 'o', long = "output", value_name = "FILENAME")]
    pub output: Option<String>,
    /// Run quietly (no messages, only query output).
    #[arg(short = 'q', long = "quiet")]
    pub quiet: bool,
    /// Single-step mode (confirm each query).
    #[arg(short = 's', long = "single-step")]
    pub single_step: bool,
    /// Single-line mode (end of line terminates SQL command).
    #[arg(short = 'S', long = "single-line")]
    pub single_line: bool,
    /// Unaligned table output mode.
    #[arg(short = 'A', long = "no-align")]
    pub no_align: bool,
    /// CSV (Comma-Separated Values) table output mode.
    #[arg(long)]
    pub csv: bool,
    /// One JSON object per row (cor4's own format).
    #[arg(long)]
    pub json: bool,
    /// Field separator for unaligned output (default: "|").
    #[arg(short = 'F', long = "field-separator", value_name = "STRING")]
    pub field_separator: Option<String>,
    /// HTML table output mode.
    #[arg(short = 'H', long = "html")]
    pub html: bool,
    /// Set printing option VAR to ARG (see \pset command).
    #[arg(short = 'P', long = "pset", value_name = "VAR[=ARG]", action = ArgAction::Append)]
    pub pset: Vec<String>,
    /// Record separator for unaligned output (default: newline).
    #[arg(short = 'R', long = "record-separator", value_name = "STRING")]
    pub record_separator: Option<String>,
    /// Print rows only.
    #[arg(short = 't', long = "tuples-only")]
    pub tuples_only: bool,
    /// Set HTML table tag attributes (e.g., width, border).
    #[arg(short = 'T', long = "table-attr", value_name = "TEXT")]
    pub table_attr: Option<String>,
    /// Turn on expanded table output.
    #[arg(short = 'x', long = "expanded")]
    pub expanded: bool,
    /// Set field separator for unaligned output to zero byte.
    #[arg(short = 'z', long = "field-separator-zero")]
    pub field_separator_zero: bool,
    /// Set record separator for unaligned output to zero byte.
    #[arg(short = '0', long = "record-separator-zero")]
    pub record_separator_zero: bool,
    /// Proxy host [env: COR4_HOST] [default: 127.0.0.1].
    #[arg(short = 'h', long, value_name = "HOSTNAME")]
    pub host: Option<String>,
    /// Proxy port [env: COR4_PORT] [default: 7654].
    #[arg(short = 'p', long, value_name = "PORT")]
    pub port: Option<u16>,
    /// User name [env: COR4_USER] [default: $USER].
    #[arg(
        short = 'U',
        long = "username",
        visible_alias = "user",
        value_name = "USERNAME"
    )]
    pub user: Option<String>,
    /// Never prompt for password.
    #[arg(short = 'w', long = "no-password")]
    pub no_password: bool,
    /// Force password prompt (should happen automatically).
    #[arg(short = 'W', long = "password", conflicts_with = "no_password")]
    pub force_password: bool,
    /// Print each statement's run time (\timing on).
    #[arg(long = "timing")]
    pub timing: bool,
    /// Never use a pager (\pset pager off).
    #[arg(long = "no-pager")]
    pub no_pager: bool,
    /// Stop at the first failing statement (-v ON_ERROR_STOP=1).
    #[arg(long = "on-error-stop")]
    pub on_error_stop: bool,
    /// DBNAME and USERNAME, as psql takes them after the options.
    #[arg(value_name = "DBNAME [USERNAME]")]
    pub positional: Vec<String>,
}

/// One thing to run, in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `-c`: SQL, or a meta-command when it starts with `\`.
    Command(String),
    /// `-f`: a script file (`-` is stdin).
    File(PathBuf),
}

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

    /// The database named by `-d` or the first positional argument.
    pub fn database(&self) -> Option<&str> {
        self.dbname
            .as_deref()
            .or(self.positional.first().map(String::as_str))
    }

    /// The user named by `-U` or the second positional argument.
    #[cfg(test)]
    pub fn username(&self) -> Option<&str> {
        self.user
            .as_deref()
            .or(self.positional.get(1).map(String::as_str))
    }
}

/// `cor4 --help`, laid out as psql's.
pub fn usage() -> String {
    format!(
        "cor4 is the interactive terminal of the cor4 encrypted SQL proxy.

Usage:
  cor4 [OPTION]... [DBNAME [USERNAME]]

General options:
  -c, --command=COMMAND    run only single command (SQL or internal) and exit
  -d, --dbname=DBNAME      database name to connect to (the proxy serves one)
  -f, --file=FILENAME      execute commands from file, then exit
  -l, --list               list available databases, then exit
  -v, --set=, --variable=NAME=VALUE
                           set psql variable NAME to VALUE
                           (e.g., -v ON_ERROR_STOP=1)
  -V, --version            output version information, then exit
  -X, --no-psqlrc          do not read startup file (~/.cor4rc)
  -1 (\"one\"), --single-transaction
                           execute as a single transaction (if non-interactive)
  -?, --help[=options]     show this help, then exit
      --help=commands      list backslash commands, then exit
      --help=variables     list special variables, then exit

Input and output options:
  -a, --echo-all           echo all input from script
  -b, --echo-errors        echo failed commands
  -e, --echo-queries       echo commands sent to server
  -E, --echo-hidden        display queries that internal commands generate
  -L, --log-file=FILENAME  send session log to file
  -n, --no-readline        disable enhanced command line editing (readline)
  -o, --output=FILENAME    send query results to file (or |pipe)
  -q, --quiet              run quietly (no messages, only query output)
  -s, --single-step        single-step mode (confirm each query)
  -S, --single-line        single-line mode (end of line terminates SQL command)
      --timing             print each statement's run time (\\timing on)
      --on-error-stop      stop at the first error (-v ON_ERROR_STOP=1)

Output format options:
  -A, --no-align           unaligned table output mode
      --csv                CSV (Comma-Separated Values) table output mode
      --json               one JSON object per row
  -F, --field-separator=STRING
                           field separator for unaligned output (default: \"|\")
  -H, --html               HTML table output mode
  -P, --pset=VAR[=ARG]     set printing option VAR to ARG (see \\pset command)
  -R, --record-separator=STRING
                           record separator for unaligned output (default: newline)
  -t, --tuples-only        print rows only
  -T, --table-attr=TEXT    set HTML table tag attributes (e.g., width, border)
  -x, --expanded           turn on expanded table output
  -z, --field-separator-zero
                           set field separator for unaligned output to zero byte
  -0, --record-separator-zero
                           set record separator for unaligned output to zero byte
      --no-pager           never use a pager (\\pset pager off)

Connection options:
  -h, --host=HOSTNAME      proxy host (default: $COR4_HOST or \"127.0.0.1\")
  -p, --port=PORT          proxy port (default: $COR4_PORT or \"{port}\")
  -U, --username=USERNAME  user name (default: $COR4_USER or $USER)
  -w, --no-password        never prompt for password
  -W, --password           force password prompt (should happen automatically)

The password comes from $COR4_PASSWORD or a prompt.
For more information, type \"\\?\" (for internal commands) or \"\\help\" (for SQL
commands) from within cor4, or read docs/cli.md.
",
        port = cor4_protocol::client::DEFAULT_PORT
    )
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
    fn h_is_the_host_and_positional_arguments_name_database_and_user() {
        let (args, _) = parse(&["-h", "db.example", "-p", "7000", "mydb", "alice"]);
        assert_eq!(args.host.as_deref(), Some("db.example"));
        assert_eq!(args.port, Some(7000));
        assert_eq!(args.database(), Some("mydb"));
        assert_eq!(args.username(), Some("alice"));
        let (args, _) = parse(&["-U", "bob", "-d", "x"]);
        assert_eq!((args.database(), args.username()), (Some("x"), Some("bob")));
    }

    #[test]
    fn psql_letters_parse() {
        let (args, _) = parse(&[
            "-a",
            "-b",
            "-e",
            "-E",
            "-q",
            "-s",
            "-S",
            "-A",
            "-H",
            "-t",
            "-x",
            "-z",
            "-0",
            "-1",
            "-X",
            "-n",
            "-F",
            ";",
            "-R",
            "|",
            "-T",
            "border=1",
            "-P",
            "null=(null)",
            "-v",
            "A=1",
        ]);
        assert!(args.echo_all && args.echo_errors && args.echo_queries && args.echo_hidden);
        assert!(args.field_separator_zero && args.record_separator_zero && args.single_transaction);
        assert_eq!(args.pset, ["null=(null)"]);
        let (args, _) = parse(&["--help=variables"]);
        assert_eq!(args.help.as_deref(), Some("variables"));
        let (args, _) = parse(&["-?"]);
        assert_eq!(args.help.as_deref(), Some("options"));
    }
}
