//! The catalog commands (`\d` and its family, `\l`, `\sf`, `\sv`, `\z`,
//! `\lo_list`): arguments read here as psql reads them, the queries and
//! the layout in [`crate::describe`], the output printed with the
//! session's `\pset` options.

use std::io::Write;

use super::{Cmd, CmdStatus};
use crate::describe::{Describe, Output, is_catalog_command, max_args};
use crate::exec::hidden::Hidden;
use crate::print::{Part, print_table};
use crate::scan::slash::ArgKind;

/// Runs the command if it is a catalog command.
pub(super) async fn dispatch(cmd: &mut Cmd<'_>, name: &str) -> Option<CmdStatus> {
    let command = match name {
        "lo_list" => "dl".to_owned(),
        n if n.starts_with("lo_list") => format!("dl{}", &n["lo_list".len()..]),
        n => n.to_owned(),
    };
    if !is_catalog_command(&command) {
        return None;
    }
    let mut args = Vec::new();
    if command.starts_with("sf") || command.starts_with("sv") {
        if let Some(a) = cmd.arg(ArgKind::WholeLine, true) {
            args.push(a);
        }
    } else {
        for _ in 0..max_args(&command) {
            match cmd.arg(ArgKind::Normal, true) {
                Some(a) => args.push(a),
                None => break,
            }
        }
    }
    if !cmd.active {
        return Some(CmdStatus::Skip);
    }
    let describe = Describe { command, args };
    let quiet = cmd.shell.quiet();
    let outcome = {
        let mut catalog = Hidden::new(cmd.shell);
        crate::describe::run(&describe, &mut catalog, quiet).await
    };
    let popt = cmd.shell.popt.clone();
    let mut unexpanded = popt.clone();
    unexpanded.expanded = crate::print::Expanded::Off;
    for output in outcome.outputs {
        let (table, opts) = match output {
            Output::Table(table) => (table, &popt),
            Output::Unexpanded(table) => (table, &unexpanded),
            Output::Error(message) => {
                cmd.shell.log_error(&message);
                continue;
            }
            Output::Text(text) => {
                let _ = cmd.shell.out.write_all(text.as_bytes());
                let _ = cmd.shell.out.flush();
                continue;
            }
        };
        let written = print_table(&mut cmd.shell.out, &table, opts, Part::WHOLE);
        if let Err(e) = written.and_then(|()| cmd.shell.out.flush()) {
            cmd.shell.log_error(&format!(
                "could not print result table: {}",
                crate::output::os_reason(&e)
            ));
        }
    }
    Some(if outcome.failed {
        CmdStatus::Error
    } else {
        CmdStatus::Skip
    })
}
