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

pub mod args;
pub mod commands;
pub mod cond;
pub mod connect;
pub mod copy;
pub mod crosstab;
pub mod describe;
pub mod environment;
pub mod exec;
pub mod files;
pub mod help;
pub mod helper;
pub mod input;
pub mod interrupt;
pub mod largeobject;
pub mod mainloop;
pub mod output;
pub mod pager;
pub mod print;
pub mod prompt;
pub mod report;
pub mod scan;
pub mod shell;
pub mod startup;
pub mod vars;

use std::process::ExitCode;

/// Runs the shell; returns psql's exit codes (0 ok, 1 a failure such as
/// a `-c` that failed or a file that cannot be read, 2 a connection that
/// failed or was lost, 3 a script stopped by `ON_ERROR_STOP`).
pub fn run() -> ExitCode {
    ExitCode::from(startup::run(std::env::args_os()))
}
