//! Running what the command line asks for, with psql's exit codes.
//!
//! | code | when |
//! |---|---|
//! | 0 | the last `-c`/`-f` succeeded (or no statement failed in a script or the REPL) |
//! | 1 | the last `-c` failed (a SQL error or a failed meta-command); a `-f` file that cannot be read |
//! | 2 | the connection failed or was lost |
//! | 3 | a statement of a script (`-f`, stdin, `\i`) failed with on-error-stop |
//!
//! As in psql, the code of the last action is the result; with
//! on-error-stop the first failing action is the last one run.

use std::io::{BufRead, BufReader, IsTerminal};

use crate::args::Action;
use crate::command::{CommandOutcome, execute_line};
use crate::script::run_script_named;
use crate::session::{Session, StatementError};

/// Everything went well.
pub const EXIT_OK: u8 = 0;
/// A `-c` command failed, or a file could not be read.
pub const EXIT_FAILURE: u8 = 1;
/// The connection failed or was lost.
pub const EXIT_BADCONN: u8 = 2;
/// A script statement failed with on-error-stop.
pub const EXIT_USER: u8 = 3;

/// Runs the `-c`/`-f` actions in order; with none, the script on stdin when
/// stdin is not a terminal, else the interactive shell. Returns the exit
/// code.
pub async fn run(session: &mut Session, actions: Vec<Action>) -> u8 {
    if actions.is_empty() {
        if std::io::stdin().is_terminal() {
            return crate::repl::run(session).await;
        }
        let stdin = std::io::stdin().lock();
        return run_file(session, stdin, None).await;
    }
    let mut code = EXIT_OK;
    for action in actions {
        let (result, quit) = match action {
            Action::Command(text) => run_command(session, &text).await,
            Action::File(path) if path.as_os_str() == "-" => {
                let stdin = std::io::stdin().lock();
                (run_file(session, stdin, None).await, false)
            }
            Action::File(path) => match std::fs::File::open(&path) {
                Ok(file) => {
                    let name = path.display().to_string();
                    (
                        run_file(session, BufReader::new(file), Some(&name)).await,
                        false,
                    )
                }
                Err(e) => {
                    eprintln!("cor4: error: {}: {}", path.display(), io_reason(&e));
                    (EXIT_FAILURE, false)
                }
            },
        };
        code = result;
        if quit || code == EXIT_BADCONN || (code != EXIT_OK && session.settings().on_error_stop) {
            break;
        }
    }
    code
}

/// One `-c`: a meta-command when it starts with `\`, else SQL sent as one
/// query. Returns the exit code and whether `\q` asked to stop.
async fn run_command(session: &mut Session, text: &str) -> (u8, bool) {
    if text.trim_start().starts_with('\\') {
        return match execute_line(session, text.trim_start()).await {
            CommandOutcome::Continue => (EXIT_OK, false),
            CommandOutcome::Quit => (EXIT_OK, true),
            CommandOutcome::Failed => (EXIT_FAILURE, false),
        };
    }
    match session.run_sql(text).await {
        Ok(()) => (EXIT_OK, false),
        Err(StatementError::ConnectionLost(_)) => (EXIT_BADCONN, false),
        Err(_) => (EXIT_FAILURE, false),
    }
}

/// A script (`-f FILE`, `-f -`, stdin): psql's codes for `process_file`.
async fn run_file<R: BufRead>(session: &mut Session, reader: R, name: Option<&str>) -> u8 {
    let outcome = run_script_named(session, reader, name).await;
    outcome.exit_code()
}

/// The OS's words for a file error, without Rust's `(os error N)`.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".to_owned(),
        _ => e.to_string(),
    }
}
