//! The `cor4` shell: psql's conventions over the encrypted cor4 proxy.
//!
//! ```text
//! main ─▶ run() ─▶ args ─▶ connect (login, options) ─▶ Shell
//!   ├─ -c / -f in order (startup::actions)      ┐
//!   ├─ standard input (a script)                ├─ mainloop::main_loop ─┬─ exec::send_query ─▶ print
//!   └─ the terminal (input::TerminalSource)     ┘                       └─ commands::handle (\…)
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod args;
mod commands;
mod cond;
mod connect;
mod copy;
mod crosstab;
mod describe;
mod environment;
mod exec;
mod files;
mod help;
mod helper;
mod input;
mod interrupt;
mod largeobject;
mod mainloop;
mod output;
mod pager;
mod print;
mod prompt;
mod report;
mod scan;
mod shell;
mod startup;
mod vars;

/// The input lexer, for the statement splitter's fuzz target.
pub use scan::{ScanResult, SqlScanner, Variables};

use std::process::ExitCode;

/// Runs the shell; returns psql's exit codes (0 ok, 1 a failure such as
/// a `-c` that failed or a file that cannot be read, 2 a connection that
/// failed or was lost, 3 a script stopped by `ON_ERROR_STOP`).
pub fn run() -> ExitCode {
    ExitCode::from(startup::run(std::env::args_os()))
}
