//! psql's main loop: read a line, lex it, send each complete statement,
//! run each meta-command, honour `\if`, and decide the exit status.
//!
//! ```text
//!  next_line ─▶ [interactive: help / quit / exit] ─▶ echo (ECHO all)
//!     └─▶ SqlScanner::scan ─┬─ Semicolon ─▶ send (active branch) or drop
//!                          ├─ Backslash ─▶ commands::handle ─▶ Send / NewEdit / Terminate
//!                          └─ end of line ─▶ next line
//!  end of input: send what is left (scripts), check \if balance
//! ```
//!
//! Every input source — the terminal, `-f FILE`, standard input, each
//! `\i` — runs its own loop with its own query buffer and `\if` stack, as
//! psql does.

use std::io::Write;

use crate::commands::{self, CmdStatus};
use crate::cond::CondStack;
use crate::input::{Line, Source};
use crate::scan::{PromptStatus, ScanResult, SqlScanner};
use crate::shell::Shell;

/// psql's exit codes.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// A failure (a file that cannot be read, a `-c` that failed).
    pub const FAILURE: u8 = 1;
    /// The connection failed or was lost.
    pub const BADCONN: u8 = 2;
    /// A script stopped by `ON_ERROR_STOP`.
    pub const USER: u8 = 3;
}

/// The variables the SQL lexer substitutes: the shell's, or none in an
/// inactive branch.
pub struct LexVars<'a> {
    shell: &'a Shell,
    active: bool,
}

impl<'a> LexVars<'a> {
    /// The shell's variables, substituted only when `active`.
    pub fn new(shell: &'a Shell, active: bool) -> Self {
        LexVars { shell, active }
    }
}

impl crate::scan::Variables for LexVars<'_> {
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

/// The words psql's main loop recognises on a terminal, and the text after
/// them must be empty (but for one semicolon).
fn command_word(line: &str) -> Option<&'static str> {
    let lower = line.get(..4).map(str::to_ascii_lowercase);
    let (word, rest) = match lower.as_deref() {
        Some("help") => ("help", &line[4..]),
        Some("exit") | Some("quit") => ("quit", &line[4..]),
        _ if line.starts_with("\\q") => ("\\q", &line[2..]),
        _ => return None,
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(';').unwrap_or(rest).trim_start();
    match (word, rest.is_empty()) {
        ("\\q", _) => Some("\\q"),
        (w, true) => Some(w),
        _ => None,
    }
}

/// Completion's names may have changed after DDL.
fn forget_catalog_after_ddl(source: &mut Source, query: &str) {
    if let Some(t) = source.terminal()
        && crate::helper::changes_catalog(query)
    {
        t.cache.invalidate();
    }
}

/// Runs one meta-command line given with `-c` (psql's single-slash
/// action): one command, no query buffer; `false` when it failed.
pub async fn run_slash_line(shell: &mut Shell, text: &str, source: &mut Source) -> bool {
    let mut scanner = SqlScanner::new();
    let mut cond = CondStack::default();
    let mut query_buf = String::new();
    let mut previous_buf = String::new();
    scanner.setup(text, shell.std_strings());
    let result = {
        let vars = LexVars::new(shell, true);
        scanner.scan(&mut query_buf, &vars)
    };
    if result != ScanResult::Backslash {
        return true;
    }
    let status = commands::handle(
        shell,
        &mut scanner,
        &mut cond,
        &mut query_buf,
        &mut previous_buf,
        source,
    )
    .await;
    status != CmdStatus::Error
}

/// Runs `source` to its end; returns psql's exit status for it.
pub async fn main_loop(shell: &mut Shell, mut source: Source) -> u8 {
    let interactive = source.interactive();
    let saved_location = std::mem::take(&mut shell.location);
    let saved_interactive = shell.interactive;
    shell.interactive = interactive;
    let status = run(shell, &mut source, interactive).await;
    shell.location = saved_location;
    // psql logs tersely once a script has run, unless inside another.
    shell.location.terse = true;
    shell.interactive = saved_interactive;
    status
}

async fn run(shell: &mut Shell, source: &mut Source, interactive: bool) -> u8 {
    let mut scanner = SqlScanner::new();
    let mut cond = CondStack::default();
    let mut query_buf = String::new();
    let mut previous_buf = String::new();
    let mut prompt_status = PromptStatus::Ready;
    let mut status = exit::OK;
    let mut die_on_error = false;
    let mut cmd_status = CmdStatus::Skip;
    let mut eof_count = 0i64;
    loop {
        // A Ctrl-C since the last line stops a script (psql's exit 3),
        // and every script that included it.
        if crate::interrupt::is_pressed() {
            if !interactive {
                status = exit::USER;
                break;
            }
            crate::interrupt::take();
        }
        if query_buf.is_empty() {
            prompt_status = PromptStatus::Ready;
        }
        let prompt = crate::prompt::prompt(shell, prompt_status, &cond);
        if let Some(t) = source.terminal() {
            t.histcontrol = shell.vars.get("HISTCONTROL").unwrap_or("none").to_owned();
        }
        shell.location = source.location();
        let line = match source.next_line(shell, &prompt).await {
            Ok(Line::Text(line)) => line,
            Ok(Line::Interrupted) => {
                // Ctrl-C at the prompt clears the statement under way.
                query_buf.clear();
                scanner.reset();
                continue;
            }
            Ok(Line::Eof) => {
                if interactive {
                    eof_count += 1;
                    if eof_count < shell.vars.ignoreeof() {
                        if !shell.quiet() {
                            println!("Use \"\\q\" to leave cor4.");
                        }
                        continue;
                    }
                    println!("{}", if shell.quiet() { "" } else { "\\q" });
                }
                break;
            }
            Err(e) => {
                shell.log_error(&format!("could not read input: {e}"));
                status = exit::FAILURE;
                break;
            }
        };
        eof_count = 0;
        shell.location = source.location();
        let mut line = line;
        if shell.location.line <= 1 && line.starts_with('\u{feff}') {
            line.drain(..'\u{feff}'.len_utf8());
        }
        if line.is_empty() && !scanner.in_quote() {
            continue;
        }
        if interactive && let Some(word) = command_word(&line) {
            let ready = matches!(
                prompt_status,
                PromptStatus::Ready | PromptStatus::Continue | PromptStatus::Paren
            );
            match word {
                "help" if query_buf.is_empty() => {
                    print!("{}", crate::commands::banner());
                    continue;
                }
                "help" => {
                    println!("Use \\? for help or press control-C to clear the input buffer.")
                }
                "quit" if query_buf.is_empty() => break,
                "quit" if ready => println!("Use \\q to quit."),
                "quit" => println!("Use control-D to quit."),
                "\\q" if !query_buf.is_empty() && !ready => println!("Use control-D to quit."),
                _ => {}
            }
        }
        if shell.vars.echo() == crate::vars::Echo::All && !interactive {
            let _ = shell.out.flush();
            println!("{line}");
        }
        let added_newline = if query_buf.is_empty() {
            None
        } else {
            query_buf.push('\n');
            Some(query_buf.len())
        };
        die_on_error = shell.vars.on_error_stop();
        scanner.setup(&line, shell.std_strings());
        let mut success = true;
        let mut saved_in_history = false;
        let mut need_redisplay = false;
        let mut added_newline = added_newline;
        while success || !die_on_error {
            let result = {
                let vars = LexVars::new(shell, cond.active());
                scanner.scan(&mut query_buf, &vars)
            };
            prompt_status = scanner.prompt();
            let send = result == ScanResult::Semicolon
                || (result == ScanResult::Eol && shell.vars.singleline() && !query_buf.is_empty());
            if send {
                if let Some(t) = source.terminal()
                    && !saved_in_history
                {
                    t.append_history(&line);
                    t.send_history();
                    saved_in_history = true;
                }
                if cond.active() {
                    success = crate::exec::send_query(shell, &query_buf, source).await;
                    forget_catalog_after_ddl(source, &query_buf);
                    cmd_status = if success {
                        CmdStatus::Send
                    } else {
                        CmdStatus::Error
                    };
                    previous_buf = std::mem::take(&mut query_buf);
                } else {
                    if interactive {
                        shell.log_error(
                            "query ignored; use \\endif or Ctrl-C to exit current \\if block",
                        );
                    }
                    success = true;
                    query_buf.clear();
                }
                added_newline = None;
            } else if result == ScanResult::Backslash {
                if added_newline == Some(query_buf.len()) {
                    query_buf.pop();
                    if let Some(t) = source.terminal() {
                        t.send_history();
                    }
                }
                added_newline = None;
                if let Some(t) = source.terminal()
                    && !saved_in_history
                {
                    t.append_history(&line);
                    t.send_history();
                    saved_in_history = true;
                }
                cmd_status = commands::handle(
                    shell,
                    &mut scanner,
                    &mut cond,
                    &mut query_buf,
                    &mut previous_buf,
                    source,
                )
                .await;
                success = cmd_status != CmdStatus::Error;
                match cmd_status {
                    CmdStatus::Send => {
                        success = crate::exec::send_query(shell, &query_buf, source).await;
                        forget_catalog_after_ddl(source, &query_buf);
                        previous_buf = std::mem::take(&mut query_buf);
                        scanner.reset();
                    }
                    CmdStatus::NewEdit => {
                        if !query_buf.is_empty() && !query_buf.ends_with('\n') {
                            query_buf.push('\n');
                        }
                        line = std::mem::take(&mut query_buf);
                        scanner.reset();
                        scanner.setup(&line, shell.std_strings());
                        saved_in_history = false;
                        prompt_status = PromptStatus::Ready;
                        need_redisplay = true;
                    }
                    CmdStatus::Terminate => break,
                    CmdStatus::Skip | CmdStatus::Error => {}
                }
            }
            if matches!(result, ScanResult::Incomplete | ScanResult::Eol) {
                break;
            }
        }
        if let Some(t) = source.terminal()
            && !saved_in_history
        {
            t.append_history(&line);
        }
        if need_redisplay && !query_buf.is_empty() {
            // What came back from the editor and was not sent yet.
            let _ = shell.out.flush();
            println!("{query_buf}");
        }
        if cmd_status == CmdStatus::Terminate {
            break;
        }
        if !interactive {
            if !success && die_on_error {
                status = exit::USER;
                break;
            }
            if shell.lost {
                status = exit::BADCONN;
                break;
            }
        }
    }
    if !query_buf.is_empty()
        && !interactive
        && status == exit::OK
        && cmd_status != CmdStatus::Terminate
    {
        let success = if cond.active() {
            crate::exec::send_query(shell, &query_buf, source).await
        } else {
            true
        };
        if !success && die_on_error {
            status = exit::USER;
        } else if shell.lost {
            status = exit::BADCONN;
        }
    }
    if cmd_status != CmdStatus::Terminate && status != exit::USER && !cond.is_empty() {
        shell.log_error("reached EOF without finding closing \\endif(s)");
        if die_on_error && !interactive {
            status = exit::USER;
        }
    }
    status
}
