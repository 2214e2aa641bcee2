//! From the command line to a running shell, as psql's `main`: options
//! into variables and print settings, the login, the startup file, then
//! the `-c`/`-f` actions in order (inside one transaction with `-1`), or
//! standard input, or the terminal.

use std::io::{BufReader, IsTerminal, Write};

use crate::args::{Action, Args, usage};
use crate::commands::{Pset, do_pset};
use crate::connect::Target;
use crate::exec::{Report, internal};
use crate::input::{ScriptSource, Source, TerminalSource};
use crate::mainloop::{exit, main_loop};
use crate::output::QueryOutput;
use crate::print::{Expanded, Format};
use crate::shell::{ConnInfo, PagerMode, Shell};

/// Runs the shell with `argv`; returns the exit status.
pub fn run<I, T>(argv: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let (args, actions) = match Args::parse_with_actions(argv) {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.print();
            return exit::FAILURE;
        }
    };
    if let Some(topic) = &args.help {
        let mut text = String::new();
        match topic.as_str() {
            "commands" => crate::help::slash_help(&mut text, &crate::help::ShellState::default()),
            "variables" => crate::help::variables_help(&mut text),
            "options" => text = usage(),
            other => {
                eprintln!("cor4: error: unrecognized value \"{other}\" for \"--help\"");
                return exit::FAILURE;
            }
        }
        print!("{text}");
        return exit::OK;
    }
    for extra in args.positional.iter().skip(2) {
        eprintln!("cor4: warning: extra command-line argument \"{extra}\" ignored");
    }
    if args.version {
        println!("cor4 {}", env!("CARGO_PKG_VERSION"));
        return exit::OK;
    }
    let env = |name: &str| crate::environment::var(name);
    let target = match Target::resolve(&args, &env) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cor4: error: {e}");
            return exit::BADCONN;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cor4: error: cannot start: {e}");
            return exit::FAILURE;
        }
    };
    runtime.block_on(start(args, actions, target))
}

async fn start(args: Args, actions: Vec<Action>, target: Target) -> u8 {
    crate::interrupt::install();
    let env = |name: &str| crate::environment::var(name);
    let Some(password) = crate::connect::password(&args, &target, &env) else {
        eprintln!(
            "cor4: error: connection to server at \"{}\", port {} failed: no password supplied",
            target.host, target.port
        );
        return exit::BADCONN;
    };
    let (client, config, parameters) = match crate::connect::connect(&target, Some(&password)).await
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cor4: error: {e}");
            return exit::BADCONN;
        }
    };
    let dbname = match client
        .query_one("SELECT pg_catalog.current_database()::pg_catalog.text", &[])
        .await
        .and_then(|row| row.try_get::<_, String>(0))
    {
        Ok(name) => name,
        Err(e) => {
            eprintln!("cor4: error: {e}");
            return exit::BADCONN;
        }
    };
    if let Some(wanted) = args.database()
        && wanted != dbname
    {
        eprintln!(
            "cor4: error: connection to server at \"{}\", port {} failed: database \"{wanted}\" is not served here; this proxy serves \"{dbname}\" (leave out -d, or name that one)",
            target.host, target.port
        );
        return exit::BADCONN;
    }
    let info = ConnInfo {
        host: target.host.clone(),
        port: target.port,
        user: target.user.clone(),
        addr: client.peer_addr(),
        dbname,
    };
    if client.must_change_password() {
        eprintln!(
            "cor4: warning: the server requires a new password before any query; use \\password"
        );
    }
    let mut shell = Shell::new(client, config, password, info, parameters);
    if let Err(message) = apply_options(&mut shell, &args) {
        eprintln!("cor4: error: {message}");
        return exit::FAILURE;
    }
    let interactive =
        actions.is_empty() && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    shell.popt.terminal_columns = crate::shell::terminal_columns();
    if args.list {
        let status = run_command(&mut shell, "\\l").await;
        let _ = shell.out.flush();
        return status;
    }
    if !args.no_psqlrc {
        run_startup_file(&mut shell).await;
    }
    let status = if !actions.is_empty() {
        run_actions(&mut shell, &actions, args.single_transaction).await
    } else if interactive {
        if !shell.quiet() {
            let server = shell
                .parameter("server_version")
                .unwrap_or_default()
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            println!(
                "cor4 {} (server {server})\nType \"help\" for help.\n",
                env!("CARGO_PKG_VERSION")
            );
        }
        let histfile = shell.vars.get("HISTFILE").map(str::to_owned);
        let histsize = usize::try_from(shell.vars.histsize()).unwrap_or(500);
        match TerminalSource::new(histfile.as_deref(), histsize) {
            Ok(t) => main_loop(&mut shell, Source::Terminal(Box::new(t))).await,
            Err(e) => {
                eprintln!("cor4: error: cannot start the line editor: {e}");
                exit::FAILURE
            }
        }
    } else {
        let stdin = ScriptSource::new(Box::new(BufReader::new(std::io::stdin())), None);
        main_loop(&mut shell, Source::Script(stdin)).await
    };
    let out = std::mem::replace(&mut shell.out, QueryOutput::stdout());
    let _ = out.close();
    let _ = std::io::stdout().flush();
    status
}

/// The flags that set variables and print options.
fn apply_options(shell: &mut Shell, args: &Args) -> Result<(), String> {
    let set = |shell: &mut Shell, name: &str, value: &str| shell.vars.set(name, value);
    if args.echo_all {
        set(shell, "ECHO", "all")?;
    }
    if args.echo_errors {
        set(shell, "ECHO", "errors")?;
    }
    if args.echo_queries {
        set(shell, "ECHO", "queries")?;
    }
    if args.echo_hidden {
        set(shell, "ECHO_HIDDEN", "on")?;
    }
    if args.quiet {
        set(shell, "QUIET", "on")?;
    }
    if args.single_step {
        set(shell, "SINGLESTEP", "on")?;
    }
    if args.single_line {
        set(shell, "SINGLELINE", "on")?;
    }
    if args.on_error_stop {
        set(shell, "ON_ERROR_STOP", "on")?;
    }
    for v in &args.set {
        match v.split_once('=') {
            Some((name, value)) => shell.vars.set(name, value)?,
            None => shell.vars.unset(v)?,
        }
    }
    let p = &mut shell.popt;
    if args.no_align {
        p.format = Format::Unaligned;
    }
    if args.csv {
        p.format = Format::Csv;
    }
    if args.json {
        p.format = Format::Json;
    }
    if args.html {
        p.format = Format::Html;
    }
    if args.expanded {
        p.expanded = Expanded::On;
    }
    if args.tuples_only {
        p.tuples_only = true;
    }
    if let Some(sep) = &args.field_separator {
        p.fieldsep = Some(sep.clone());
    }
    if args.field_separator_zero {
        p.fieldsep = None;
    }
    if let Some(sep) = &args.record_separator {
        p.recordsep = Some(sep.clone());
    }
    if args.record_separator_zero {
        p.recordsep = None;
    }
    if let Some(attr) = &args.table_attr {
        p.tableattr = Some(attr.clone());
    }
    if args.no_pager {
        shell.pager = PagerMode::Off;
    }
    shell.timing = args.timing;
    for option in &args.pset {
        let (name, value) = match option.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (option.as_str(), None),
        };
        let mut target = Pset {
            popt: &mut shell.popt,
            pager: &mut shell.pager,
            pager_min_lines: &mut shell.pager_min_lines,
        };
        do_pset(&mut target, name, value)
            .map_err(|e| format!("\\pset: could not set printing parameter \"{name}\": {e}"))?;
    }
    if let Some(output) = &args.output {
        shell.out = QueryOutput::open(output).map_err(|reason| format!("{output}: {reason}"))?;
    }
    if let Some(log) = &args.log_file {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| {
                format!(
                    "could not open log file \"{}\": {}",
                    log.display(),
                    crate::output::os_reason(&e)
                )
            })?;
        shell.logfile = Some(file);
    }
    Ok(())
}

/// `$COR4RC`, else `~/.cor4rc`, when it exists.
async fn run_startup_file(shell: &mut Shell) {
    let path = crate::environment::var("COR4RC")
        .or_else(|| crate::environment::var("HOME").map(|home| format!("{home}/.cor4rc")));
    if let Some(path) = path
        && std::path::Path::new(&path).is_file()
    {
        crate::commands::run_file(shell, &path, false).await;
    }
}

/// One `-c` or `-f` after another; psql's rules for the exit status.
async fn run_actions(shell: &mut Shell, actions: &[Action], single_transaction: bool) -> u8 {
    if single_transaction && internal(shell, "BEGIN", Report::Errors).await.is_none() {
        return exit::FAILURE;
    }
    let mut status = exit::OK;
    for action in actions {
        status = match action {
            Action::Command(text) => run_command(shell, text).await,
            Action::File(path) => {
                let name = path.to_string_lossy().into_owned();
                crate::commands::run_file(shell, &name, false).await
            }
        };
        if shell.lost {
            status = exit::BADCONN;
            break;
        }
        if status != exit::OK && shell.vars.on_error_stop() {
            break;
        }
    }
    if single_transaction && !shell.lost {
        // psql rolls back only when ON_ERROR_STOP stopped the actions.
        let stop = shell.vars.on_error_stop();
        let end = if status != exit::OK && stop {
            "ROLLBACK"
        } else {
            "COMMIT"
        };
        if internal(shell, end, Report::Errors).await.is_none() && stop {
            status = exit::USER;
        }
    }
    status
}

/// `-c TEXT`: a meta-command line when it starts with a backslash, else
/// one query sent as is.
async fn run_command(shell: &mut Shell, text: &str) -> u8 {
    let _ = shell.out.flush();
    shell.location.terse = true;
    if shell.vars.echo() == crate::vars::Echo::All {
        println!("{text}");
    }
    let stdin = ScriptSource::new(Box::new(BufReader::new(std::io::stdin())), None);
    let mut source = Source::Script(stdin);
    let ok = if text.starts_with('\\') {
        crate::mainloop::run_slash_line(shell, text, &mut source).await
    } else {
        crate::exec::send_query(shell, text, &mut source).await
    };
    let _ = shell.out.flush();
    if shell.lost {
        exit::BADCONN
    } else if ok {
        exit::OK
    } else {
        exit::FAILURE
    }
}
