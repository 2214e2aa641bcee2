//! Variables, messages and conditionals: `\set`, `\unset`, `\getenv`,
//! `\setenv`, `\prompt`, `\echo`, `\qecho`, `\warn`, and `\if`, `\elif`,
//! `\else`, `\endif` with psql's rules for skipped branches.

use std::io::{BufRead, Write};

use super::{Cmd, CmdStatus};
use crate::cond::IfState;
use crate::scan::slash::ArgKind;
use crate::vars::parse_bool;

/// Runs the command if it is one of these.
pub(super) fn dispatch(cmd: &mut Cmd<'_>, name: &str) -> Option<CmdStatus> {
    let status = match name {
        "if" => if_(cmd),
        "elif" => elif(cmd),
        "else" => else_(cmd),
        "endif" => endif(cmd),
        _ if !cmd.active => {
            cmd.ignore_options();
            return matches!(
                name,
                "set" | "unset" | "getenv" | "setenv" | "prompt" | "echo" | "qecho" | "warn"
            )
            .then_some(CmdStatus::Skip);
        }
        "set" => set(cmd),
        "unset" => unset(cmd),
        "getenv" => getenv(cmd),
        "setenv" => setenv(cmd),
        "prompt" => prompt(cmd),
        "echo" | "qecho" | "warn" => echo(cmd, name),
        _ => return None,
    };
    Some(status)
}

/// psql's `ParseVariableBool` for `\if`: an unrecognised value is an
/// error and counts as false.
fn condition(cmd: &mut Cmd<'_>, name: &str) -> bool {
    let value = cmd.arg(ArgKind::Normal, false).unwrap_or_default();
    match parse_bool(&value) {
        Some(b) => b,
        None => {
            cmd.shell.log_error(&format!(
                "unrecognized value \"{value}\" for \"{name}\": Boolean expected"
            ));
            false
        }
    }
}

fn save_query_state(cmd: &mut Cmd<'_>) {
    cmd.cond.save(cmd.query_buf.len(), cmd.scan.paren_depth());
}

/// Drops what a skipped branch added to the query buffer.
fn discard_query_text(cmd: &mut Cmd<'_>) {
    if let Some((len, depth)) = cmd.cond.saved() {
        if len <= cmd.query_buf.len() && cmd.query_buf.is_char_boundary(len) {
            cmd.query_buf.truncate(len);
        }
        cmd.scan.set_paren_depth(depth);
    }
}

fn if_(cmd: &mut Cmd<'_>) -> CmdStatus {
    if cmd.cond.active() {
        cmd.cond.push(IfState::True);
        save_query_state(cmd);
        if !condition(cmd, "\\if expression") {
            cmd.cond.poke(IfState::False);
        }
    } else {
        cmd.cond.push(IfState::Ignored);
        save_query_state(cmd);
        cmd.active = false;
        cmd.ignore_options();
    }
    // Arguments left over are read in the branch's own state.
    cmd.active = cmd.cond.active();
    CmdStatus::Skip
}

fn elif(cmd: &mut Cmd<'_>) -> CmdStatus {
    match cmd.cond.peek() {
        Some(IfState::True) => {
            save_query_state(cmd);
            cmd.cond.poke(IfState::Ignored);
            cmd.active = false;
            cmd.ignore_options();
        }
        Some(IfState::False) => {
            discard_query_text(cmd);
            cmd.cond.poke(IfState::True);
            cmd.active = true;
            if !condition(cmd, "\\elif expression") {
                cmd.cond.poke(IfState::False);
            }
        }
        Some(IfState::Ignored) => {
            discard_query_text(cmd);
            cmd.active = false;
            cmd.ignore_options();
        }
        Some(IfState::ElseTrue | IfState::ElseFalse) => {
            return cmd.fail("\\elif: cannot occur after \\else");
        }
        None => return cmd.fail("\\elif: no matching \\if"),
    }
    cmd.active = cmd.cond.active();
    CmdStatus::Skip
}

fn else_(cmd: &mut Cmd<'_>) -> CmdStatus {
    match cmd.cond.peek() {
        Some(IfState::True) => {
            save_query_state(cmd);
            cmd.cond.poke(IfState::ElseFalse);
        }
        Some(IfState::False) => {
            discard_query_text(cmd);
            cmd.cond.poke(IfState::ElseTrue);
        }
        Some(IfState::Ignored) => {
            discard_query_text(cmd);
            cmd.cond.poke(IfState::ElseFalse);
        }
        Some(IfState::ElseTrue | IfState::ElseFalse) => {
            return cmd.fail("\\else: cannot occur after \\else");
        }
        None => return cmd.fail("\\else: no matching \\if"),
    }
    cmd.active = cmd.cond.active();
    CmdStatus::Skip
}

fn endif(cmd: &mut Cmd<'_>) -> CmdStatus {
    match cmd.cond.peek() {
        Some(IfState::True | IfState::ElseTrue) => {
            cmd.cond.pop();
        }
        Some(IfState::False | IfState::Ignored | IfState::ElseFalse) => {
            discard_query_text(cmd);
            cmd.cond.pop();
        }
        None => return cmd.fail("\\endif: no matching \\if"),
    }
    cmd.active = cmd.cond.active();
    CmdStatus::Skip
}

/// `\set` lists every variable; `\set NAME [VALUE …]` sets NAME to the
/// values joined together.
fn set(cmd: &mut Cmd<'_>) -> CmdStatus {
    let Some(name) = cmd.arg(ArgKind::Normal, false) else {
        let _ = cmd.shell.out.flush();
        let listing: String = cmd
            .shell
            .vars
            .iter()
            .map(|(n, v)| format!("{n} = '{v}'\n"))
            .collect();
        print!("{listing}");
        return CmdStatus::Skip;
    };
    let mut value = String::new();
    while let Some(part) = cmd.arg(ArgKind::Normal, false) {
        value.push_str(&part);
    }
    match cmd.shell.vars.set(&name, &value) {
        Ok(()) => CmdStatus::Skip,
        Err(message) => cmd.fail(&message),
    }
}

fn unset(cmd: &mut Cmd<'_>) -> CmdStatus {
    let Some(name) = cmd.arg(ArgKind::Normal, false) else {
        return cmd.missing_argument();
    };
    match cmd.shell.vars.unset(&name) {
        Ok(()) => CmdStatus::Skip,
        Err(message) => cmd.fail(&message),
    }
}

/// `\getenv VAR ENVVAR`: an unset environment variable changes nothing.
fn getenv(cmd: &mut Cmd<'_>) -> CmdStatus {
    let var = cmd.arg(ArgKind::Normal, false);
    let env = cmd.arg(ArgKind::Normal, false);
    let (Some(var), Some(env)) = (var, env) else {
        return cmd.missing_argument();
    };
    match crate::environment::var(&env) {
        Some(value) => match cmd.shell.vars.set(&var, &value) {
            Ok(()) => CmdStatus::Skip,
            Err(message) => cmd.fail(&message),
        },
        None => CmdStatus::Skip,
    }
}

/// `\setenv NAME [VALUE]`: without a value the variable is removed.
fn setenv(cmd: &mut Cmd<'_>) -> CmdStatus {
    let Some(name) = cmd.arg(ArgKind::Normal, false) else {
        return cmd.missing_argument();
    };
    let value = cmd.arg(ArgKind::Normal, false);
    if name.contains('=') || name.is_empty() || name.contains('\0') {
        let message = format!(
            "\\{}: environment variable name must not contain \"=\"",
            cmd.name
        );
        return cmd.fail(&message);
    }
    match value {
        Some(v) if v.contains('\0') => {
            return cmd.fail("environment variable values cannot contain NUL bytes");
        }
        value => crate::environment::set(&name, value.as_deref()),
    }
    CmdStatus::Skip
}

/// `\prompt [TEXT] NAME`: reads a value from the terminal (or standard
/// input in a script).
fn prompt(cmd: &mut Cmd<'_>) -> CmdStatus {
    let Some(first) = cmd.arg(ArgKind::Normal, false) else {
        return cmd.missing_argument();
    };
    let (text, name) = match cmd.arg(ArgKind::Normal, false) {
        Some(name) => (Some(first), name),
        None => (None, first),
    };
    let _ = cmd.shell.out.flush();
    let value = if cmd.shell.location.file.is_none() {
        simple_prompt(text.as_deref().unwrap_or(""))
    } else {
        if let Some(text) = &text {
            print!("{text}");
            let _ = std::io::stdout().flush();
        }
        read_stdin_line()
    };
    let Some(value) = value else {
        let message = format!("\\{}: could not read value for variable", cmd.name);
        return cmd.fail(&message);
    };
    match cmd.shell.vars.set(&name, &value) {
        Ok(()) => CmdStatus::Skip,
        Err(message) => cmd.fail(&message),
    }
}

/// psql's `simple_prompt` with echo: the terminal when there is one,
/// else standard input (the prompt then goes to stderr).
fn simple_prompt(text: &str) -> Option<String> {
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty");
    let Ok(tty) = tty else {
        eprint!("{text}");
        return read_stdin_line();
    };
    let mut writer = tty.try_clone().ok()?;
    let _ = writer.write_all(text.as_bytes());
    let _ = writer.flush();
    let mut line = String::new();
    std::io::BufReader::new(tty).read_line(&mut line).ok()?;
    if line.ends_with('\n') {
        line.pop();
    }
    Some(line)
}

fn read_stdin_line() -> Option<String> {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(n) if n > 0 => {
            if line.ends_with('\n') {
                line.pop();
            }
            Some(line)
        }
        _ => None,
    }
}

/// `\echo`, `\qecho` (to the query output) and `\warn` (to stderr): the
/// arguments separated by spaces; an unquoted first `-n` drops the
/// newline.
fn echo(cmd: &mut Cmd<'_>, name: &str) -> CmdStatus {
    let mut text = String::new();
    let mut first = true;
    let mut newline = true;
    while let Some((value, quoted)) = cmd.arg_quoted(ArgKind::Normal, false) {
        if first && newline && !quoted && value == "-n" {
            newline = false;
            continue;
        }
        if !first {
            text.push(' ');
        }
        first = false;
        text.push_str(&value);
    }
    if newline {
        text.push('\n');
    }
    match name {
        "qecho" => {
            let _ = cmd.shell.out.write_all(text.as_bytes());
            if !newline {
                let _ = cmd.shell.out.flush();
            }
        }
        "warn" => {
            let _ = cmd.shell.out.flush();
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
        _ => {
            let _ = cmd.shell.out.flush();
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
    }
    CmdStatus::Skip
}
