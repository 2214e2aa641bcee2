//! The query buffer: `\p`, `\r`, `\w`, `\e`, the `\g` family (`\g`,
//! `\gx`, `\gset`, `\gexec`, `\gdesc`, `\crosstabview`) and `\watch`.

use std::io::Write;
use std::time::Duration;

use super::pset::{Pset, do_pset};
use super::{Cmd, CmdStatus};
use crate::exec::results::{CopyFrom, exec_query};
use crate::print::Expanded;
use crate::scan::slash::ArgKind;
use crate::shell::NextQuery;

/// Runs the command if it is one of these.
pub(super) async fn dispatch(cmd: &mut Cmd<'_>, name: &str) -> Option<CmdStatus> {
    let status = match name {
        "g" | "gx" => g(cmd, name == "gx"),
        "gset" => {
            let prefix = cmd.arg(ArgKind::Normal, false);
            if cmd.active {
                cmd.shell.next.gset = Some(prefix.unwrap_or_default());
            }
            send_if_active(cmd)
        }
        "gexec" => {
            cmd.shell.next.gexec = cmd.active;
            send_if_active(cmd)
        }
        "gdesc" => {
            cmd.shell.next.gdesc = cmd.active;
            send_if_active(cmd)
        }
        "crosstabview" => {
            let args: Vec<String> = (0..4)
                .map_while(|_| cmd.arg(ArgKind::Normal, true))
                .collect();
            if cmd.active {
                cmd.shell.next.crosstab = Some(args);
            }
            send_if_active(cmd)
        }
        "p" | "print" => {
            if cmd.active {
                print_buffer(cmd);
            }
            CmdStatus::Skip
        }
        "r" | "reset" => {
            if cmd.active {
                cmd.query_buf.clear();
                cmd.scan.reset();
                if !cmd.shell.quiet() {
                    let _ = cmd.shell.out.flush();
                    println!("Query buffer reset (cleared).");
                }
            }
            CmdStatus::Skip
        }
        "w" | "write" => write(cmd),
        "e" | "edit" => edit(cmd),
        "ef" | "ev" => edit_object(cmd, name == "ef").await,
        "watch" => watch(cmd).await,
        _ => return None,
    };
    Some(status)
}

fn send_if_active(cmd: &mut Cmd<'_>) -> CmdStatus {
    if cmd.active {
        CmdStatus::Send
    } else {
        CmdStatus::Skip
    }
}

/// `\p`: the buffer, or the last query sent.
fn print_buffer(cmd: &mut Cmd<'_>) {
    let _ = cmd.shell.out.flush();
    if !cmd.query_buf.is_empty() {
        println!("{}", cmd.query_buf);
    } else if !cmd.previous_buf.is_empty() {
        println!("{}", cmd.previous_buf);
    } else if !cmd.shell.quiet() {
        println!("Query buffer is empty.");
    }
    let _ = std::io::stdout().flush();
}

/// `\g [(options)] [FILE | |command]` and `\gx`.
fn g(cmd: &mut Cmd<'_>, expanded: bool) -> CmdStatus {
    let mut target = cmd.arg(ArgKind::FilePipe, false);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let mut print = None;
    if let Some(first) = target.as_deref().and_then(|t| t.strip_prefix('(')) {
        let first = first.to_owned();
        match g_options(cmd, first) {
            Ok(p) => print = Some(p),
            Err(message) => return cmd.fail(&message),
        }
        target = cmd.arg(ArgKind::FilePipe, false);
    }
    if expanded {
        let mut p = print.unwrap_or_else(|| cmd.shell.popt.clone());
        p.expanded = Expanded::On;
        print = Some(p);
    }
    cmd.shell.next.print = print;
    cmd.shell.next.output = target.map(|t| crate::files::expand_tilde(&t));
    CmdStatus::Send
}

/// `\g (name=value …)`: print options for this query only.
fn g_options(cmd: &mut Cmd<'_>, first: String) -> Result<crate::print::PrintOptions, String> {
    let mut popt = cmd.shell.popt.clone();
    let mut pager = cmd.shell.pager;
    let mut min_lines = cmd.shell.pager_min_lines;
    let mut arg = first;
    loop {
        let closing = arg.ends_with(')');
        if closing {
            arg.pop();
        }
        if !arg.is_empty() {
            let (name, value) = match arg.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            let mut target = Pset {
                popt: &mut popt,
                pager: &mut pager,
                pager_min_lines: &mut min_lines,
            };
            do_pset(&mut target, &name, value.as_deref())?;
        }
        if closing {
            return Ok(popt);
        }
        match cmd.arg(ArgKind::Normal, false) {
            Some(next) => arg = next,
            None => return Err(format!("\\{}: missing right parenthesis", cmd.name)),
        }
    }
}

/// `\w FILE`: the buffer (or the last query) to a file or command.
fn write(cmd: &mut Cmd<'_>) -> CmdStatus {
    let target = cmd.arg(ArgKind::FilePipe, true);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let Some(target) = target else {
        return cmd.missing_argument();
    };
    let target = crate::files::expand_tilde(&target);
    let text = if !cmd.query_buf.is_empty() {
        cmd.query_buf.clone()
    } else {
        cmd.previous_buf.clone()
    };
    let mut out = match crate::output::QueryOutput::open(&target) {
        Ok(out) => out,
        Err(reason) => {
            let name = target.trim_start_matches('|');
            return cmd.fail(&format!("{name}: {reason}"));
        }
    };
    let written = if text.is_empty() {
        Ok(())
    } else {
        writeln!(out, "{text}")
    };
    match written.and_then(|()| out.close()) {
        Ok(()) => CmdStatus::Skip,
        Err(e) => cmd.fail(&format!("{target}: {}", crate::output::os_reason(&e))),
    }
}

/// `\e [FILE] [LINE]`: edits the buffer (or the last query, or FILE) in
/// `$PSQL_EDITOR` / `$EDITOR` / `$VISUAL` (default `vi`); the result is
/// lexed as if typed.
fn edit(cmd: &mut Cmd<'_>) -> CmdStatus {
    let mut file = cmd.arg(ArgKind::Normal, true);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let mut line = cmd.arg(ArgKind::Normal, true);
    if line.is_none()
        && let Some(f) = &file
        && !f.is_empty()
        && f.bytes().all(|b| b.is_ascii_digit())
    {
        line = file.take();
    }
    let lineno = match &line {
        Some(l) => match l.parse::<u32>() {
            Ok(n) if n >= 1 => Some(n),
            _ => return cmd.fail(&format!("invalid line number: {l}")),
        },
        None => None,
    };
    let discard_on_quit = match &file {
        Some(_) => true,
        None if cmd.query_buf.is_empty() => {
            cmd.query_buf.push_str(cmd.previous_buf);
            true
        }
        None => false,
    };
    let file = file.map(|f| crate::files::canonicalize(&crate::files::expand_tilde(&f)));
    match crate::files::edit(file.as_deref(), cmd.query_buf, lineno) {
        Ok(changed) => {
            if !changed && discard_on_quit {
                cmd.query_buf.clear();
            }
            CmdStatus::NewEdit
        }
        Err(message) => cmd.fail(&message),
    }
}

/// The buffer `\ef` and `\ev` start from without a name.
const FUNCTION_TEMPLATE: &str = "CREATE FUNCTION name ( )\n RETURNS type\n LANGUAGE sql\n -- IMMUTABLE | STABLE | VOLATILE, STRICT, SECURITY DEFINER …\nAS $function$\n\n$function$\n";
const VIEW_TEMPLATE: &str = "CREATE VIEW name AS\n SELECT\n  -- columns, FROM, WHERE …\n";

/// `\ef [FUNCTION [LINE]]` and `\ev [VIEW [LINE]]`: the object's
/// `CREATE OR REPLACE` command (or a template) in the editor; the result
/// is the new query buffer. A function's LINE counts from its body.
async fn edit_object(cmd: &mut Cmd<'_>, function: bool) -> CmdStatus {
    let arg = cmd.arg(ArgKind::WholeLine, true);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let arg = arg.unwrap_or_default();
    // A trailing number is the line to start at.
    let (object, line) = match arg.trim_end().rsplit_once(char::is_whitespace) {
        Some((object, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            (object.trim().to_owned(), n.parse::<u32>().ok())
        }
        _ if !arg.is_empty() && arg.trim().bytes().all(|b| b.is_ascii_digit()) => {
            return cmd.fail(&format!(
                "\\{}: invalid line number: {}",
                cmd.name,
                arg.trim()
            ));
        }
        _ => (arg.trim().to_owned(), None),
    };
    let mut text = if object.is_empty() {
        (if function {
            FUNCTION_TEMPLATE
        } else {
            VIEW_TEMPLATE
        })
        .to_owned()
    } else {
        let describe = crate::describe::Describe {
            command: (if function { "sf" } else { "sv" }).to_owned(),
            args: vec![object],
        };
        let quiet = cmd.shell.quiet();
        let outcome = {
            let mut catalog = crate::exec::hidden::Hidden::new(cmd.shell);
            crate::describe::run(&describe, &mut catalog, quiet).await
        };
        let mut definition = None;
        for output in outcome.outputs {
            match output {
                crate::describe::Output::Text(t) => definition = Some(t),
                crate::describe::Output::Error(message) => cmd.shell.log_error(&message),
                _ => {}
            }
        }
        match definition {
            Some(d) if !outcome.failed => d,
            _ => return CmdStatus::Error,
        }
    };
    let line = line.map(|n| {
        if !function {
            return n;
        }
        // Count from the line where the body starts, as psql does.
        let header = text
            .lines()
            .position(|l| {
                l.starts_with("AS ") || l.starts_with("BEGIN ") || l.starts_with("RETURN ")
            })
            .unwrap_or(0);
        n + u32::try_from(header).unwrap_or(0)
    });
    match crate::files::edit(None, &mut text, line) {
        Ok(true) => {
            *cmd.query_buf = text;
            CmdStatus::NewEdit
        }
        Ok(false) => {
            cmd.query_buf.clear();
            let _ = cmd.shell.out.flush();
            println!("No changes");
            CmdStatus::Skip
        }
        Err(message) => cmd.fail(&message),
    }
}

/// `\watch [SECONDS]`: runs the buffer (or the last query) every few
/// seconds, titled with the time, until Ctrl-C or an error.
async fn watch(cmd: &mut Cmd<'_>) -> CmdStatus {
    let interval = cmd.arg(ArgKind::Normal, true);
    if !cmd.active {
        return CmdStatus::Skip;
    }
    let seconds = match interval.as_deref().map(str::parse::<f64>) {
        None => 2.0,
        Some(Ok(s)) if s > 0.0 && s.is_finite() => s,
        Some(_) => 1.0,
    };
    if cmd.query_buf.is_empty() {
        cmd.query_buf.push_str(cmd.previous_buf);
    }
    let query = std::mem::take(cmd.query_buf);
    cmd.scan.reset();
    if query.trim().is_empty() {
        return cmd.fail("\\watch cannot be used with an empty query");
    }
    let user_title = cmd.shell.popt.title.clone();
    let ok = loop {
        let now = chrono::Local::now().format("%a %b %e %H:%M:%S %Y");
        let title = match &user_title {
            Some(t) => format!("{t}\t{now} (every {}s)\n", trim_float(seconds)),
            None => format!("{now} (every {}s)\n", trim_float(seconds)),
        };
        let mut popt = cmd.shell.popt.clone();
        popt.title = Some(title);
        let next = NextQuery {
            print: Some(popt),
            ..NextQuery::default()
        };
        let pager = std::mem::replace(&mut cmd.shell.pager, crate::shell::PagerMode::Off);
        let mut no_input = std::io::empty();
        let outcome = exec_query(
            cmd.shell,
            &query,
            &next,
            CopyFrom::Reader(&mut no_input),
            None,
        )
        .await;
        cmd.shell.pager = pager;
        if !outcome.ok || cmd.shell.lost || crate::interrupt::is_pressed() {
            break outcome.ok;
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs_f64(seconds)) => {}
            () = crate::interrupt::pressed() => break true,
        }
    };
    *cmd.previous_buf = query;
    if ok {
        CmdStatus::Skip
    } else {
        CmdStatus::Error
    }
}

/// C's `%g` for the interval: `2`, `0.5`.
fn trim_float(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}
