//! The meta-commands, psql 15's `HandleSlashCmds`: lex the name, run the
//! command (reading the arguments it wants, the way it wants them), warn
//! about arguments left over, and tell the main loop what to do next.
//!
//! ```text
//!  \pset null '(null)' \\ select 1;
//!   name ─▶ dispatch ─▶ pset::pset reads "null", "(null)"
//!          extra arguments: "\pset: extra argument … ignored"
//!          `\\` ends the command; `select 1;` goes on to the SQL lexer
//! ```
//!
//! In an inactive `\if` branch every command but the conditionals is
//! skipped: its arguments are read without substituting variables or
//! running backquotes, then dropped.

mod buffer;
mod catalog;
mod copy_parse;
mod external;
mod pset;
mod session;
mod variables;

use std::io::Write;

use crate::cond::CondStack;
use crate::input::Source;
use crate::scan::slash::{ArgEnv, ArgKind};
use crate::scan::{SqlScanner, Variables};
use crate::shell::Shell;

pub use external::run_file;
pub use pset::{Pset, do_pset};
pub use session::banner;

/// What the main loop does after a command (psql's `backslashResult`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmdStatus {
    /// Send the query buffer (`\g` and friends).
    Send,
    /// The query buffer was replaced (`\e`): lex it again.
    NewEdit,
    /// Leave this input (`\q`).
    Terminate,
    /// Go on with the rest of the line.
    Skip,
    /// The command failed.
    Error,
}

/// Everything a command may touch.
pub struct Cmd<'a> {
    /// The shell.
    pub shell: &'a mut Shell,
    /// The lexer, positioned after the command name.
    pub scan: &'a mut SqlScanner,
    /// This input's `\if` stack.
    pub cond: &'a mut CondStack,
    /// The statement being typed.
    pub query_buf: &'a mut String,
    /// The last statement sent.
    pub previous_buf: &'a mut String,
    /// Where lines come from.
    pub source: &'a mut Source,
    /// The command's name without the backslash.
    pub name: String,
    /// Whether the current `\if` branch is active.
    pub active: bool,
}

/// The shell's variables, and backquotes, for the argument lexer.
struct ArgVars<'a> {
    shell: &'a Shell,
    active: bool,
}

impl Variables for ArgVars<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.shell.vars.get(name).map(str::to_owned)
    }

    fn active(&self) -> bool {
        self.active
    }

    fn warn(&self, message: &str) {
        self.shell.eprint_located("warning", message);
    }
}

impl ArgEnv for ArgVars<'_> {
    fn backquote(&self, command: &str) -> Option<String> {
        let _ = std::io::stdout().flush();
        match crate::environment::shell_command(command)
            .stderr(std::process::Stdio::inherit())
            .output()
        {
            Ok(out) => {
                let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
                if text.ends_with('\n') {
                    text.pop();
                }
                Some(text)
            }
            Err(e) => {
                self.shell.eprint_located(
                    "error",
                    &format!("{command}: {}", crate::output::os_reason(&e)),
                );
                None
            }
        }
    }

    fn error(&self, message: &str) {
        self.shell.eprint_located("error", message);
    }
}

impl Cmd<'_> {
    /// The next argument, lexed as `kind`; `semicolon` drops trailing
    /// semicolons.
    pub fn arg(&mut self, kind: ArgKind, semicolon: bool) -> Option<String> {
        self.arg_quoted(kind, semicolon).map(|(a, _)| a)
    }

    /// The next argument and whether it was quoted.
    pub fn arg_quoted(&mut self, kind: ArgKind, semicolon: bool) -> Option<(String, bool)> {
        let env = ArgVars {
            shell: self.shell,
            active: self.active,
        };
        self.scan.slash_arg_quoted(kind, &env, semicolon)
    }

    /// Reads and drops the arguments of a skipped command.
    pub fn ignore_options(&mut self) {
        while self.arg(ArgKind::Normal, false).is_some() {}
    }

    /// Logs `message` as an error; the command failed.
    pub fn fail(&mut self, message: &str) -> CmdStatus {
        self.shell.log_error(message);
        CmdStatus::Error
    }

    /// `\NAME: missing required argument`.
    pub fn missing_argument(&mut self) -> CmdStatus {
        let message = format!("\\{}: missing required argument", self.name);
        self.fail(&message)
    }
}

/// The conditionals, which run in inactive branches too.
fn is_branching(name: &str) -> bool {
    matches!(name, "if" | "elif" | "else" | "endif")
}

/// Runs the meta-command the lexer stopped at.
pub async fn handle(
    shell: &mut Shell,
    scan: &mut SqlScanner,
    cond: &mut CondStack,
    query_buf: &mut String,
    previous_buf: &mut String,
    source: &mut Source,
) -> CmdStatus {
    let name = scan.slash_command();
    let active = cond.active();
    if shell.interactive && !active && !is_branching(&name) {
        shell.log_warning(&format!(
            "\\{name} command ignored; use \\endif or Ctrl-C to exit current \\if block"
        ));
    }
    let mut cmd = Cmd {
        shell,
        scan,
        cond,
        query_buf,
        previous_buf,
        source,
        name,
        active,
    };
    let restricted = cmd.shell.restrict_key.is_some() && cmd.name != "unrestrict";
    let status = if restricted {
        cmd.fail("backslash commands are restricted; only \\unrestrict is allowed")
    } else {
        dispatch_or_unknown(&mut cmd).await
    };
    if status == CmdStatus::Send && cmd.query_buf.is_empty() {
        cmd.query_buf.push_str(cmd.previous_buf);
    }
    if status == CmdStatus::Error {
        // psql drops the rest of the line after a failed command.
        cmd.scan.slash_discard();
    } else {
        let env_active = cmd.active;
        cmd.active = false;
        while let Some(extra) = cmd.arg(ArgKind::Normal, false) {
            if env_active {
                let message = format!("\\{}: extra argument \"{extra}\" ignored", cmd.name);
                cmd.shell.log_warning(&message);
            }
        }
        cmd.active = env_active;
    }
    cmd.scan.slash_end();
    status
}

/// Runs the command, or reports an unknown one.
async fn dispatch_or_unknown(cmd: &mut Cmd<'_>) -> CmdStatus {
    match dispatch(cmd).await {
        Some(status) => status,
        None => {
            let message = format!("invalid command \\{}", cmd.name);
            cmd.shell.log_error(&message);
            if cmd.shell.interactive {
                cmd.shell.log_error("Try \\? for help.");
            }
            CmdStatus::Error
        }
    }
}

/// Runs the command named `cmd.name`; `None` when there is none.
async fn dispatch(cmd: &mut Cmd<'_>) -> Option<CmdStatus> {
    let name = cmd.name.clone();
    if let Some(status) = variables::dispatch(cmd, &name) {
        return Some(status);
    }
    if let Some(status) = pset::dispatch(cmd, &name) {
        return Some(status);
    }
    if let Some(status) = buffer::dispatch(cmd, &name).await {
        return Some(status);
    }
    if let Some(status) = external::dispatch(cmd, &name).await {
        return Some(status);
    }
    if let Some(status) = session::dispatch(cmd, &name).await {
        return Some(status);
    }
    catalog::dispatch(cmd, &name).await
}
