//! What lies outside the shell: `\o`, `\i` / `\ir`, `\cd`, `\!`, `\s`
//! and `\copy` (COPY with the data read or written by the shell).

use std::io::{BufRead, BufReader, Read, Write};

use super::copy_parse::{Endpoint, parse_slash_copy};
use super::{Cmd, CmdStatus};
use crate::exec::results::CopyFrom;
use crate::exec::send_query_with;
use crate::input::{ScriptSource, Source};
use crate::output::{QueryOutput, os_reason};
use crate::scan::slash::ArgKind;

/// Runs the command if it is one of these.
pub(super) async fn dispatch(cmd: &mut Cmd<'_>, name: &str) -> Option<CmdStatus> {
    let status = match name {
        "o" | "out" => out(cmd),
        "i" | "include" | "ir" | "include_relative" => include(cmd, name.starts_with("ir")).await,
        "cd" => cd(cmd),
        "!" => shell_escape(cmd),
        "s" => history(cmd),
        "copy" => copy(cmd).await,
        _ => return None,
    };
    Some(status)
}

/// `\o [FILE | |command]`: where query results go from now on.
fn out(cmd: &mut Cmd<'_>) -> CmdStatus {
    let target = cmd.arg(ArgKind::FilePipe, true);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let next = match target.filter(|t| !t.is_empty()) {
        None => QueryOutput::stdout(),
        Some(t) => match QueryOutput::open(&crate::files::expand_tilde(&t)) {
            Ok(o) => o,
            Err(reason) => {
                let name = t.strip_prefix('|').unwrap_or(&t).to_owned();
                return cmd.fail(&format!("{name}: {reason}"));
            }
        },
    };
    let previous = std::mem::replace(&mut cmd.shell.out, next);
    let _ = previous.close();
    CmdStatus::Skip
}

/// `\i FILE` / `\ir FILE`: runs a file as if typed here.
async fn include(cmd: &mut Cmd<'_>, relative: bool) -> CmdStatus {
    let file = cmd.arg(ArgKind::Normal, true);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let Some(file) = file else {
        return cmd.missing_argument();
    };
    let code = run_file(cmd.shell, &file, relative).await;
    if code == crate::mainloop::exit::OK {
        CmdStatus::Skip
    } else {
        CmdStatus::Error
    }
}

/// psql's `process_file`: `-` is standard input (`<stdin>` in messages);
/// other names are canonicalized (and, for `\ir`, taken relative to the
/// file being run). Returns the file's exit status.
pub async fn run_file(shell: &mut crate::shell::Shell, file: &str, relative: bool) -> u8 {
    let source = if file == "-" {
        let stdin = std::io::stdin();
        ScriptSource::new(Box::new(BufReader::new(stdin)), Some("<stdin>".to_owned()))
    } else {
        let expanded = crate::files::expand_tilde(file);
        let name = if relative {
            crate::files::relative_to(shell.location.file.as_deref(), &expanded)
        } else {
            crate::files::canonicalize(&expanded)
        };
        match std::fs::File::open(&name) {
            Ok(f) if f.metadata().is_ok_and(|m| m.is_dir()) => {
                shell.log_error(&format!("{name}: Is a directory"));
                return crate::mainloop::exit::FAILURE;
            }
            Ok(f) => {
                ScriptSource::new(Box::new(BufReader::with_capacity(64 * 1024, f)), Some(name))
            }
            Err(e) => {
                shell.log_error(&format!("{name}: {}", os_reason(&e)));
                return crate::mainloop::exit::FAILURE;
            }
        }
    };
    Box::pin(crate::mainloop::main_loop(shell, Source::Script(source))).await
}

/// `\cd [DIR]`: the home directory without an argument.
fn cd(cmd: &mut Cmd<'_>) -> CmdStatus {
    let dir = cmd.arg(ArgKind::Normal, true);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let dir = match dir {
        Some(d) => crate::files::expand_tilde(&d),
        None => match crate::environment::var("HOME") {
            Some(h) => h,
            None => return cmd.fail("\\cd: could not get home directory"),
        },
    };
    match std::env::set_current_dir(&dir) {
        Ok(()) => CmdStatus::Skip,
        Err(e) => {
            let message = format!(
                "\\{}: could not change directory to \"{dir}\": {}",
                cmd.name,
                os_reason(&e)
            );
            cmd.fail(&message)
        }
    }
}

/// `\! [COMMAND]`: runs a shell command (an interactive shell without one).
fn shell_escape(cmd: &mut Cmd<'_>) -> CmdStatus {
    let command = cmd.arg(ArgKind::WholeLine, false);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let _ = cmd.shell.out.flush();
    let _ = std::io::stdout().flush();
    let command = match command {
        Some(c) => c,
        None => {
            let shell = crate::environment::var("SHELL").unwrap_or_else(|| "/bin/sh".to_owned());
            format!("exec {shell}")
        }
    };
    match crate::environment::shell_command(&command).status() {
        Ok(s) if s.code() != Some(127) => CmdStatus::Skip,
        _ => cmd.fail("\\!: failed"),
    }
}

/// `\s [FILE]`: the command history, on a terminal.
fn history(cmd: &mut Cmd<'_>) -> CmdStatus {
    let file = cmd.arg(ArgKind::Normal, true);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let Some(terminal) = cmd.source.terminal() else {
        return CmdStatus::Error;
    };
    let text = terminal.history_text();
    let _ = cmd.shell.out.flush();
    match file {
        Some(f) => {
            let f = crate::files::expand_tilde(&f);
            if let Err(e) = std::fs::write(&f, text) {
                return cmd.fail(&format!(
                    "could not save history to file \"{f}\": {}",
                    os_reason(&e)
                ));
            }
            if !cmd.shell.quiet() {
                println!("Wrote history to file \"{f}\".");
            }
        }
        None => {
            print!("{text}");
            println!();
        }
    }
    CmdStatus::Skip
}

/// What `\copy … to program` holds before the program gets it: psql
/// writes through a `popen` stream, whose buffer on a pipe is 4 KiB, and
/// hands the program the rest only when it closes the stream, after the
/// status line. The same buffer gives the same order of the two outputs.
const PROGRAM_BUFFER: usize = 4096;

/// `\copy …`: COPY with the data on the shell's side.
async fn copy(cmd: &mut Cmd<'_>) -> CmdStatus {
    let args = cmd.arg(ArgKind::WholeLine, false);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let Some(args) = args else {
        return cmd.fail("\\copy: arguments required");
    };
    let copy = match parse_slash_copy(&args) {
        Ok(c) => c,
        Err(e) => return cmd.fail(&e.to_string()),
    };
    let mut child: Option<(std::process::Child, String)> = None;
    let mut reader: Option<Box<dyn BufRead + Send>> = None;
    let mut writer: Option<Box<dyn Write + Send>> = None;
    match &copy.endpoint {
        Endpoint::File(path) => {
            let path = crate::files::expand_tilde(path);
            if std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                return cmd.fail(&format!("{path}: cannot copy from/to a directory"));
            }
            let opened = if copy.from {
                std::fs::File::open(&path).map(|f| {
                    reader = Some(Box::new(BufReader::with_capacity(64 * 1024, f)));
                })
            } else {
                std::fs::File::create(&path).map(|f| {
                    writer = Some(Box::new(std::io::BufWriter::with_capacity(64 * 1024, f)));
                })
            };
            if let Err(e) = opened {
                return cmd.fail(&format!("{path}: {}", os_reason(&e)));
            }
        }
        Endpoint::Program(command) => {
            let _ = cmd.shell.out.flush();
            let mut c = crate::environment::shell_command(command);
            if copy.from {
                c.stdout(std::process::Stdio::piped());
            } else {
                c.stdin(std::process::Stdio::piped());
            }
            match c.spawn() {
                Ok(mut process) => {
                    if copy.from {
                        if let Some(out) = process.stdout.take() {
                            reader = Some(Box::new(BufReader::with_capacity(
                                64 * 1024,
                                Box::new(out) as Box<dyn Read + Send>,
                            )));
                        }
                    } else if let Some(input) = process.stdin.take() {
                        writer = Some(Box::new(std::io::BufWriter::with_capacity(
                            PROGRAM_BUFFER,
                            input,
                        )));
                    }
                    child = Some((process, command.clone()));
                }
                Err(e) => {
                    return cmd.fail(&format!(
                        "could not execute command \"{command}\": {}",
                        os_reason(&e)
                    ));
                }
            }
        }
        Endpoint::Current | Endpoint::Process => {}
    }
    let mut process_stdout = std::io::stdout();
    let target: Option<&mut dyn Write> = match writer.as_mut() {
        Some(w) => Some(w),
        None if copy.endpoint == Endpoint::Process && !cmd.shell.out.is_stdout() => {
            Some(&mut process_stdout)
        }
        None => None,
    };
    // Sent as any statement is (echoed, in a transaction under AUTOCOMMIT
    // off), with the data on the shell's side.
    let mut ok = if let Some(r) = reader.as_mut() {
        send_query_with(cmd.shell, &copy.sql, CopyFrom::Reader(r), target).await
    } else if copy.endpoint == Endpoint::Process {
        let mut stdin = std::io::stdin().lock();
        send_query_with(cmd.shell, &copy.sql, CopyFrom::Reader(&mut stdin), target).await
    } else {
        send_query_with(cmd.shell, &copy.sql, CopyFrom::Input(cmd.source), target).await
    };
    if child.is_some() {
        // As psql: the status line is out before the program gets the
        // rest of its data, so what the program prints comes after it.
        let _ = cmd.shell.out.flush();
    }
    if let Some(mut w) = writer.take()
        && let Err(e) = w.flush()
    {
        ok = false;
        cmd.shell
            .log_error(&format!("could not write COPY data: {}", os_reason(&e)));
    }
    drop(reader);
    if let Some((mut process, command)) = child {
        match process.wait() {
            Ok(status) if !status.success() => {
                ok = false;
                let reason = match status.code() {
                    Some(code) => format!("child process exited with exit code {code}"),
                    None => "child process was terminated by a signal".to_owned(),
                };
                cmd.shell.log_error(&format!("{command}: {reason}"));
            }
            Ok(_) => {}
            Err(e) => {
                ok = false;
                cmd.shell
                    .log_error(&format!("{command}: {}", os_reason(&e)));
            }
        }
    }
    if ok {
        CmdStatus::Skip
    } else {
        CmdStatus::Error
    }
}
