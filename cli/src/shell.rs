//! The shell's state between commands: the connection, the variables, the
//! print options, where query output goes, and psql's one-shot flags for
//! the next query (`\g FILE`, `\gset`, `\gexec`, `\gdesc`).
//!
//! Messages follow psql's logging: with a script location
//! `cor4:FILE:LINE: error: …` (or `warning: …`), without one just the
//! text; server errors and notices carry the location but no level word.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::net::SocketAddr;

use cor4_protocol::client::{Client, Config, DbError};

use crate::output::QueryOutput;
use crate::print::PrintOptions;
use crate::vars::Vars;

/// Where the shell is connected, for `\conninfo`, the prompt and the
/// connection variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnInfo {
    /// The host as the user gave it (`-h`).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The user name.
    pub user: String,
    /// The proxy's socket address.
    pub addr: SocketAddr,
    /// The database the proxy serves.
    pub dbname: String,
}

/// `\pset pager`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagerMode {
    /// Never.
    Off,
    /// When the output is taller than the terminal.
    On,
    /// Always, on a terminal.
    Always,
}

/// What the next query does instead of printing normally (psql's `\g`
/// family triggers, reset after every query).
#[derive(Debug, Clone, Default)]
pub struct NextQuery {
    /// `\g FILE` or `\g |command`.
    pub output: Option<String>,
    /// `\g (options)` / `\gx`: print options for this query only.
    pub print: Option<PrintOptions>,
    /// `\gset [PREFIX]`.
    pub gset: Option<String>,
    /// `\gexec`.
    pub gexec: bool,
    /// `\gdesc`.
    pub gdesc: bool,
    /// `\crosstabview [args]`.
    pub crosstab: Option<Vec<String>>,
}

/// A location for messages: the script's name and the current line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The script's name as given (`<stdin>` for `-f -`); `None` when
    /// messages carry no location (interactive, `-c`, piped stdin).
    pub file: Option<String>,
    /// The current line.
    pub line: usize,
    /// psql's terse logging: without a file, messages are bare (no
    /// `cor4: error:`). Off only before the first `-c` or script ran.
    pub terse: bool,
}

impl Location {
    /// psql's locus prefix for a message of `level` (`error`, `warning`;
    /// `None` for text that names its own severity, like `ERROR:  …`):
    /// `cor4:FILE:LINE: error: `, or `cor4: error: ` before any script
    /// ran, or nothing.
    pub fn prefix_for(&self, level: Option<&str>) -> String {
        let level = level.map(|l| format!("{l}: ")).unwrap_or_default();
        match &self.file {
            Some(file) if self.line > 0 => format!("cor4:{file}:{}: {level}", self.line),
            Some(file) => format!("cor4:{file}: {level}"),
            None if self.terse => String::new(),
            None => format!("cor4: {level}"),
        }
    }

    /// The prefix of a server's error or notice report.
    pub fn prefix(&self) -> String {
        self.prefix_for(None)
    }
}

/// The shell.
pub struct Shell {
    /// The session with the proxy.
    pub client: Client,
    /// How to log in again.
    pub config: Config,
    /// Where the session is.
    pub info: ConnInfo,
    /// psql's variables.
    pub vars: Vars,
    /// `\pset` and friends.
    pub popt: PrintOptions,
    /// `\pset pager`.
    pub pager: PagerMode,
    /// `\pset pager_min_lines`.
    pub pager_min_lines: usize,
    /// `\timing`.
    pub timing: bool,
    /// Query output: stdout, or `\o FILE` / `\o |command`.
    pub out: QueryOutput,
    /// The one-shot triggers for the next query.
    pub next: NextQuery,
    /// The most recent error, for `\errverbose`.
    pub last_error: Option<DbError>,
    /// The error of the shell's own most recent statement that failed
    /// (reported or not), for the catalog commands.
    pub last_failure: Option<DbError>,
    /// The query the most recent error's position refers to.
    pub last_error_query: Option<String>,
    /// The password of the session (to log in again, `\c`).
    pub password: String,
    /// PostgreSQL's run-time parameters as last reported.
    pub server: HashMap<String, String>,
    /// Where messages come from now.
    pub location: Location,
    /// The current input is a terminal (psql's `cur_cmd_interactive`).
    pub interactive: bool,
    /// The connection was lost and not yet re-established.
    pub lost: bool,
    /// `-L FILE`: the session log.
    pub logfile: Option<std::fs::File>,
    /// `\restrict KEY`: meta-commands other than `\unrestrict KEY` are
    /// refused until then (what pg_dump's scripts begin with).
    pub restrict_key: Option<String>,
}

impl std::fmt::Debug for Shell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shell")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl Shell {
    /// A shell over a logged-in client.
    pub fn new(
        client: Client,
        config: Config,
        password: String,
        info: ConnInfo,
        server: HashMap<String, String>,
    ) -> Self {
        let mut shell = Shell {
            client,
            config,
            info,
            vars: Vars::new(),
            popt: PrintOptions {
                terminal_columns: terminal_columns(),
                ..PrintOptions::default()
            },
            pager: PagerMode::On,
            pager_min_lines: 0,
            timing: false,
            out: QueryOutput::stdout(),
            next: NextQuery::default(),
            last_error: None,
            last_error_query: None,
            last_failure: None,
            password,
            server,
            location: Location::default(),
            interactive: false,
            lost: false,
            logfile: None,
            restrict_key: None,
        };
        shell.set_connection_vars();
        shell
    }

    /// DBNAME, USER, HOST, PORT, ENCODING and SERVER_VERSION_* as psql sets
    /// them after connecting.
    pub fn set_connection_vars(&mut self) {
        let info = self.info.clone();
        self.vars.set_internal("DBNAME", info.dbname);
        self.vars.set_internal("USER", info.user);
        self.vars.set_internal("HOST", info.host);
        self.vars.set_internal("PORT", info.port.to_string());
        let encoding = self
            .parameter("client_encoding")
            .unwrap_or("UTF8")
            .to_owned();
        self.vars.set_internal("ENCODING", encoding);
        let version = self
            .parameter("server_version")
            .unwrap_or_default()
            .to_owned();
        self.vars.set_internal(
            "SERVER_VERSION_NUM",
            server_version_num(&version).to_string(),
        );
        self.vars.set_internal("SERVER_VERSION_NAME", version);
    }

    /// After a statement: `ENCODING` follows `SET client_encoding`.
    pub fn track_encoding(&mut self) {
        if let Some(encoding) = self.parameter("client_encoding").map(str::to_owned)
            && self.vars.get("ENCODING") != Some(encoding.as_str())
        {
            self.vars.set_internal("ENCODING", encoding);
        }
    }

    /// A PostgreSQL run-time parameter as last reported.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.server.get(name).map(String::as_str)
    }

    /// `standard_conforming_strings` (on unless PostgreSQL says off).
    pub fn std_strings(&self) -> bool {
        self.parameter("standard_conforming_strings") != Some("off")
    }

    /// `server_version_num`.
    pub fn server_version_num(&self) -> u32 {
        server_version_num(self.parameter("server_version").unwrap_or_default())
    }

    /// `QUIET`.
    pub fn quiet(&self) -> bool {
        self.vars.quiet()
    }

    /// psql's `pg_log_error`: `cor4:FILE:LINE: error: MESSAGE` in a script,
    /// the bare message otherwise.
    pub fn log_error(&mut self, message: &str) {
        self.log_level("error", message);
    }

    /// psql's `pg_log_warning`.
    pub fn log_warning(&mut self, message: &str) {
        self.log_level("warning", message);
    }

    fn log_level(&mut self, level: &str, message: &str) {
        let _ = self.out.flush();
        self.eprint_located(level, message);
    }

    /// Writes `message` to stderr with the location and `level` (`error`,
    /// `warning`) in a script, bare otherwise; the query output is not
    /// flushed first.
    pub fn eprint_located(&self, level: &str, message: &str) {
        let text = format!("{}{message}\n", self.location.prefix_for(Some(level)));
        let _ = io::stderr().write_all(text.as_bytes());
    }

    /// psql's `pg_log_info` for text that already says what it is (a
    /// server's `ERROR:  …`): the location, no level word.
    pub fn log_info(&mut self, message: &str) {
        let _ = self.out.flush();
        let mut text = self.location.prefix();
        text.push_str(message);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let _ = io::stderr().write_all(text.as_bytes());
    }
}

/// `15.18` → 150018, `9.6.24` → 90624.
pub fn server_version_num(version: &str) -> u32 {
    let parts: Vec<u32> = version
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(3)
        .filter_map(|p| p.parse().ok())
        .collect();
    match parts.as_slice() {
        [major, minor, ..] if *major >= 10 => major * 10_000 + minor,
        [major] if *major >= 10 => major * 10_000,
        [major, minor, patch, ..] => major * 10_000 + minor * 100 + patch,
        [major, minor] => major * 10_000 + minor * 100,
        _ => 0,
    }
}

/// The terminal's width when stdout is one: `$COLUMNS`, else the tty's.
pub fn terminal_columns() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return Some(n);
    }
    stty_size().map(|(_, columns)| columns)
}

/// The width psql uses when it prints as if to a pager: `$COLUMNS`, else
/// the terminal's, whether or not stdout is one.
pub fn pager_columns() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n: &usize| n > 0)
        .or_else(|| stty_size().map(|(_, columns)| columns))
}

/// The controlling terminal's rows and columns, from `stty size`.
pub fn stty_size() -> Option<(usize, usize)> {
    let tty = std::fs::File::open("/dev/tty").ok()?;
    let out = std::process::Command::new("stty")
        .arg("size")
        .stdin(tty)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace().map(|w| w.parse::<usize>().ok());
    match (words.next().flatten(), words.next().flatten()) {
        (Some(rows), Some(columns)) if rows > 0 && columns > 0 => Some((rows, columns)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_numbers_follow_postgresql() {
        assert_eq!(server_version_num("15.18"), 150018);
        assert_eq!(server_version_num("16devel"), 160000);
        assert_eq!(server_version_num("9.6.24"), 90624);
        assert_eq!(server_version_num(""), 0);
    }

    #[test]
    fn locations_prefix_messages_like_psql() {
        let l = Location {
            file: Some("a.sql".into()),
            line: 3,
            terse: false,
        };
        assert_eq!(l.prefix(), "cor4:a.sql:3: ");
        assert_eq!(l.prefix_for(Some("error")), "cor4:a.sql:3: error: ");
        let top = Location::default();
        assert_eq!(top.prefix_for(Some("error")), "cor4: error: ");
        let terse = Location {
            terse: true,
            ..Location::default()
        };
        assert_eq!(terse.prefix_for(Some("error")), "");
    }
}
