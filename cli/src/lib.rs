//! The `cor4` shell: psql's conventions over the encrypted cor4 proxy.
//!
//! ```text
//! main ─▶ run() ─▶ args::Args ─▶ connect::{Target, password, connect} ─▶ Session
//!                                                                         │
//!            runner::run: -c / -f in order │ script on stdin │ repl::run ◀┘
//!                 │                │                  │
//!                 └── Session::run_sql ── render::ResultWriter ── stdout / \o / pager
//!                     command::execute_line (meta-commands)
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod args;
pub mod command;
pub mod connect;
pub mod copy;
pub mod describe;
pub mod helper;
pub mod print;
pub mod render;
pub mod repl;
pub mod runner;
pub mod script;
pub mod session;
pub mod settings;
pub mod split;

use std::process::ExitCode;

use args::Args;
use session::Session;

/// Runs the shell; returns psql's exit codes (0 ok, 1 the last `-c` failed,
/// 2 connection or authentication failure, 3 a script error with
/// on-error-stop). See [`runner`].
pub fn run() -> ExitCode {
    let (args, actions) = match Args::parse_with_actions(std::env::args_os()) {
        Ok(parsed) => parsed,
        Err(e) if e.use_stderr() => {
            let _ = e.print();
            return ExitCode::from(runner::EXIT_FAILURE);
        }
        Err(e) => e.exit(),
    };
    let settings = match args.settings() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cor4: error: {e}");
            return ExitCode::from(runner::EXIT_FAILURE);
        }
    };
    let env = |name: &str| std::env::var(name).ok();
    let target = match connect::Target::resolve(&args, &env) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cor4: error: {e}");
            return ExitCode::from(runner::EXIT_BADCONN);
        }
    };
    let password = connect::password(&args, &target, &env);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cor4: error: cannot start: {e}");
            return ExitCode::from(runner::EXIT_FAILURE);
        }
    };
    let code = runtime.block_on(async move {
        let (client, config) = match connect::connect(&target, password.as_deref()).await {
            Ok(c) => c,
            Err(e) => {
                eprintln!("cor4: error: {e}");
                return runner::EXIT_BADCONN;
            }
        };
        if client.must_change_password() {
            eprintln!(
                "cor4: warning: the server requires a new password before any query; use \\password"
            );
        }
        let mut session = Session::new(client, config, settings);
        if let Some(path) = &args.output {
            match std::fs::File::create(path) {
                Ok(f) => session.set_output(Box::new(std::io::BufWriter::new(f))),
                Err(e) => {
                    eprintln!("cor4: error: {}: {e}", path.display());
                    return runner::EXIT_FAILURE;
                }
            }
        }
        let code = runner::run(&mut session, actions).await;
        let _ = session.output().flush();
        code
    });
    ExitCode::from(code)
}
