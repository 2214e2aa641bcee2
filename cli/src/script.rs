//! Running a script (`-f FILE`, stdin, `\i FILE`) as psql does: lines are
//! gathered until [`split`](crate::split) finds a complete statement, each
//! statement is sent on its own, a line starting with `\` outside a
//! quoted string or comment is a meta-command, and a statement left open at
//! the end of the input is sent as it is.
//!
//! Errors are prefixed with `cor4:FILE:LINE: `, where LINE is the line on
//! which the failing statement ended (psql's `psql:FILE:LINE: `).
//! With `--on-error-stop` the first failure ends the script: psql's exit
//! code 3.

use std::io::BufRead;

use crate::command::{CommandOutcome, QueryBuffer, execute, slash_copy};
use crate::copy::CopySource;
use crate::session::{Session, StatementError};
use crate::split::{self, Open};

/// How a script ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptOutcome {
    /// Every line ran (some statements may have failed).
    Completed {
        /// Whether any statement or meta-command failed.
        failed: bool,
    },
    /// A statement or meta-command failed with on-error-stop.
    Stopped,
    /// `\q`.
    Quit,
    /// The connection was lost.
    ConnectionLost,
}

impl ScriptOutcome {
    /// Whether anything failed.
    pub fn failed(&self) -> bool {
        matches!(
            self,
            ScriptOutcome::Completed { failed: true }
                | ScriptOutcome::Stopped
                | ScriptOutcome::ConnectionLost
        )
    }

    /// psql's exit code for a script: 3 stopped by on-error-stop, 2 lost
    /// connection, else 0.
    pub fn exit_code(&self) -> u8 {
        match self {
            ScriptOutcome::Stopped => 3,
            ScriptOutcome::ConnectionLost => 2,
            _ => 0,
        }
    }
}

/// Runs a script without a name (errors carry no location).
pub async fn run_script<R: BufRead>(session: &mut Session, input: R) -> ScriptOutcome {
    run_script_named(session, input, None).await
}

/// What one failure means for the script.
enum Step {
    Go,
    Stop(ScriptOutcome),
}

/// Records a failure; stops when on-error-stop is set.
fn failure(session: &mut Session, failed: &mut bool) -> Step {
    *failed = true;
    if session.settings().on_error_stop {
        Step::Stop(ScriptOutcome::Stopped)
    } else {
        Step::Go
    }
}

async fn send(
    session: &mut Session,
    statement: &str,
    input: &mut Input<'_>,
    failed: &mut bool,
) -> Step {
    let source = CopySource::Script {
        input: input.reader,
        line: &mut input.line,
        name: input.name,
    };
    match session.run_sql_from(statement, source).await {
        Ok(()) => Step::Go,
        Err(StatementError::ConnectionLost(_)) => Step::Stop(ScriptOutcome::ConnectionLost),
        Err(_) => failure(session, failed),
    }
}

/// Runs a script; `name` prefixes errors as `cor4:NAME:LINE: `.
pub async fn run_script_named<R: BufRead>(
    session: &mut Session,
    input: R,
    name: Option<&str>,
) -> ScriptOutcome {
    let outcome = run_lines(session, input, name).await;
    session.set_location("");
    outcome
}

/// The script's lines, shared with COPY FROM STDIN, which reads its data
/// from them.
struct Input<'a> {
    reader: &'a mut dyn BufRead,
    /// Lines read so far.
    line: usize,
    /// The script's name, for error locations.
    name: Option<&'a str>,
}

impl Input<'_> {
    /// The next line without its line ending; `None` at the end.
    fn next_line(&mut self) -> std::io::Result<Option<String>> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        self.line += 1;
        if line.ends_with('\n') {
            line.pop();
            if line.ends_with('\r') {
                line.pop();
            }
        }
        Ok(Some(line))
    }
}

async fn run_lines<R: BufRead>(
    session: &mut Session,
    mut reader: R,
    name: Option<&str>,
) -> ScriptOutcome {
    let mut input = Input {
        reader: &mut reader,
        line: 0,
        name,
    };
    let mut buffer = QueryBuffer::default();
    let mut failed = false;
    loop {
        let line = match input.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                eprintln!("{}cor4: error: could not read input: {e}", buffer.location);
                return ScriptOutcome::Completed { failed: true };
            }
        };
        if let Some(name) = name {
            buffer.location = format!("cor4:{name}:{}: ", input.line);
            session.set_location(buffer.location.clone());
        }
        let open = split::scan(&buffer.current).open;
        if line.trim_start().starts_with('\\') && open == Open::Nothing {
            // As in psql, a meta-command may follow a statement's first
            // lines: `\watch` and `\e` act on them.
            buffer.current = buffer.current.trim_end().to_owned();
            let outcome = match crate::command::parse(line.trim()) {
                // `\copy … from stdin` reads the lines that follow.
                Ok(crate::command::MetaCommand::Copy(args)) => {
                    let location = buffer.location.clone();
                    let source = CopySource::Script {
                        input: input.reader,
                        line: &mut input.line,
                        name: input.name,
                    };
                    slash_copy(session, &args, &location, source).await
                }
                _ => execute(session, line.trim(), &mut buffer).await,
            };
            if buffer.edited {
                buffer.edited = false;
                buffer.current.push('\n');
            } else if !buffer.current.is_empty() {
                buffer.current.push('\n');
            }
            let step = match outcome {
                CommandOutcome::Continue => Step::Go,
                CommandOutcome::Quit => return ScriptOutcome::Quit,
                CommandOutcome::Failed => failure(session, &mut failed),
            };
            if let Step::Stop(outcome) = step {
                return outcome;
            }
            // Statements `\e` completed run now, as in psql.
            if let Step::Stop(outcome) =
                run_complete(session, &mut buffer, &mut input, &mut failed).await
            {
                return outcome;
            }
            continue;
        }
        buffer.current.push_str(&line);
        buffer.current.push('\n');
        if let Step::Stop(outcome) =
            run_complete(session, &mut buffer, &mut input, &mut failed).await
        {
            return outcome;
        }
    }
    let rest = buffer.current.trim_end().to_owned();
    if !rest.is_empty() {
        buffer.last = Some(rest.clone());
        if let Step::Stop(outcome) = send(session, &rest, &mut input, &mut failed).await {
            return outcome;
        }
    }
    ScriptOutcome::Completed { failed }
}

/// Sends every complete statement in the buffer, keeping the rest.
async fn run_complete(
    session: &mut Session,
    buffer: &mut QueryBuffer,
    input: &mut Input<'_>,
    failed: &mut bool,
) -> Step {
    let scan = split::scan(&buffer.current);
    buffer.current = scan.remainder;
    for statement in scan.statements {
        buffer.last = Some(statement.clone());
        if let Step::Stop(outcome) = send(session, &statement, input, failed).await {
            return Step::Stop(outcome);
        }
    }
    Step::Go
}
