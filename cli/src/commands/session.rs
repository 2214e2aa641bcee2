//! The session and the shell itself: `\c`, `\conninfo`, `\password`,
//! `\encoding`, `\errverbose`, `\timing`, `\q`, `\h`, `\?`, `\copyright`
//! and the large-object commands (`\lo_import`, `\lo_export`,
//! `\lo_unlink`, `\lo_list`).

use std::io::Write;

use cor4_protocol::PasswordFault;

use super::{Cmd, CmdStatus};
use crate::report::{ReportStyle, ShowContext, Verbosity, format_report};
use crate::scan::slash::ArgKind;
use crate::vars::parse_bool;

/// Runs the command if it is one of these.
pub(super) async fn dispatch(cmd: &mut Cmd<'_>, name: &str) -> Option<CmdStatus> {
    let known = matches!(
        name,
        "c" | "connect"
            | "conninfo"
            | "password"
            | "encoding"
            | "errverbose"
            | "timing"
            | "q"
            | "quit"
            | "h"
            | "help"
            | "?"
            | "copyright"
            | "lo_import"
            | "lo_export"
            | "lo_unlink"
            | "restrict"
            | "unrestrict"
    );
    if !known {
        return None;
    }
    if !cmd.active {
        if matches!(name, "h" | "help") {
            let _ = cmd.arg(ArgKind::WholeLine, false);
        }
        cmd.ignore_options();
        return Some(CmdStatus::Skip);
    }
    Some(match name {
        "c" | "connect" => connect(cmd).await,
        "conninfo" => conninfo(cmd),
        "password" => password(cmd).await,
        "encoding" => encoding(cmd),
        "errverbose" => errverbose(cmd),
        "timing" => timing(cmd),
        "q" | "quit" => CmdStatus::Terminate,
        "h" | "help" => sql_help(cmd),
        "?" => slash_help(cmd),
        "copyright" => {
            let _ = cmd.shell.out.flush();
            print!("{COPYRIGHT}");
            CmdStatus::Skip
        }
        "lo_import" => crate::largeobject::import(cmd).await,
        "lo_export" => crate::largeobject::export(cmd).await,
        "restrict" | "unrestrict" => restrict(cmd),
        _ => crate::largeobject::unlink(cmd).await,
    })
}

const COPYRIGHT: &str = "\
cor4, the encrypted SQL proxy and its shell
Licensed under the MIT license or the Apache License, version 2.0, at your option.

The shell follows the conventions of psql, PostgreSQL's interactive terminal:
PostgreSQL Database Management System
(formerly known as Postgres, then as Postgres95)
Portions Copyright (c) 1996-2022, The PostgreSQL Global Development Group
Portions Copyright (c) 1994, The Regents of the University of California
";

/// What `help` prints at the prompt.
pub fn banner() -> String {
    "You are using cor4, the command-line interface to the cor4 proxy.\n\
     Type:  \\copyright for distribution terms\n       \
            \\h for help with SQL commands\n       \
            \\? for help with cor4 commands\n       \
            \\g or terminate with semicolon to execute query\n       \
            \\q to quit\n"
        .to_owned()
}

/// `\restrict KEY` and `\unrestrict KEY`.
fn restrict(cmd: &mut Cmd<'_>) -> CmdStatus {
    let Some(key) = cmd.arg(ArgKind::Normal, false) else {
        return cmd.missing_argument();
    };
    if cmd.name == "restrict" {
        cmd.shell.restrict_key = Some(key);
        return CmdStatus::Skip;
    }
    match &cmd.shell.restrict_key {
        None => cmd.fail("\\unrestrict: not currently in restricted mode"),
        Some(k) if *k != key => cmd.fail("\\unrestrict: wrong key"),
        Some(_) => {
            cmd.shell.restrict_key = None;
            CmdStatus::Skip
        }
    }
}

/// `\conninfo`.
fn conninfo(cmd: &mut Cmd<'_>) -> CmdStatus {
    let info = cmd.shell.info.clone();
    let address = if info.host == info.addr.ip().to_string() {
        String::new()
    } else {
        format!(" (address \"{}\")", info.addr.ip())
    };
    let _ = cmd.shell.out.flush();
    println!(
        "You are connected to database \"{}\" as user \"{}\" on host \"{}\"{address} at port \"{}\".",
        info.dbname, info.user, info.host, info.port
    );
    println!("Encrypted connection (protocol: Cor4, cipher: RC6, keys from the login)");
    CmdStatus::Skip
}

/// `\c [DBNAME [USER [HOST [PORT]]]]`: `-` keeps a value; the proxy serves
/// one database, so another name is refused.
async fn connect(cmd: &mut Cmd<'_>) -> CmdStatus {
    let mut args = Vec::new();
    while args.len() < 4 {
        match cmd.arg_quoted(ArgKind::SqlId, true) {
            Some((a, quoted)) => args.push((a != "-" || quoted).then_some(a)),
            None => break,
        }
    }
    if let Some(Some(first)) = args.first()
        && let Some(value) = first.strip_prefix("-reuse-previous=")
    {
        if parse_bool(value).is_none() {
            return cmd.fail(&format!(
                "unrecognized value \"{value}\" for \"-reuse-previous\": Boolean expected"
            ));
        }
        args.remove(0);
    }
    let arg = |i: usize| args.get(i).cloned().flatten();
    let info = cmd.shell.info.clone();
    if let Some(db) = arg(0)
        && db != info.dbname
    {
        return cmd.fail(&format!(
            "\\connect: database \"{db}\" is not served here: this proxy serves \"{}\"",
            info.dbname
        ));
    }
    let user = arg(1).unwrap_or_else(|| info.user.clone());
    let host = arg(2).unwrap_or_else(|| info.host.clone());
    let port = match arg(3) {
        Some(p) => match p.parse::<u16>() {
            Ok(p) => p,
            Err(_) => return cmd.fail(&format!("\\connect: invalid port number: \"{p}\"")),
        },
        None => info.port,
    };
    let same_place = user == info.user && host == info.host && port == info.port;
    let password = if user == info.user {
        cmd.shell.password.clone()
    } else {
        match crate::connect::ask_password(&user) {
            Some(p) => p,
            None => {
                return cmd.fail(&format!(
                    "\\connect: connection to server at \"{host}\", port {port} failed: no password supplied"
                ));
            }
        }
    };
    let config = cor4_protocol::client::Config::new(&host, port, &user, &password);
    let (client, parameters) = match crate::connect::login(&config).await {
        Ok(c) => c,
        Err(e) => {
            let message = format!(
                "\\connect: connection to server at \"{host}\", port {port} failed: {}",
                crate::connect::reason(&e)
            );
            cmd.shell.log_error(&message);
            if cmd.shell.interactive {
                let _ = cmd.shell.out.flush();
                println!("Previous connection kept");
            }
            return CmdStatus::Error;
        }
    };
    let old = std::mem::replace(&mut cmd.shell.client, client);
    drop(old.close());
    cmd.shell.server = parameters;
    cmd.shell.config = config;
    cmd.shell.password = password;
    cmd.shell.lost = false;
    cmd.shell.info.user = user;
    cmd.shell.info.host = host;
    cmd.shell.info.port = port;
    cmd.shell.info.addr = cmd.shell.client.peer_addr();
    cmd.shell.set_connection_vars();
    if !cmd.shell.quiet() {
        let info = cmd.shell.info.clone();
        let _ = cmd.shell.out.flush();
        if same_place {
            println!(
                "You are now connected to database \"{}\" as user \"{}\".",
                info.dbname, info.user
            );
        } else {
            println!(
                "You are now connected to database \"{}\" as user \"{}\" on host \"{}\" at port \"{}\".",
                info.dbname, info.user, info.host, info.port
            );
        }
    }
    CmdStatus::Skip
}

/// `\password`: a new password for the logged-in user, asked twice.
async fn password(cmd: &mut Cmd<'_>) -> CmdStatus {
    let user = cmd.arg(ArgKind::SqlId, true);
    let me = cmd.shell.info.user.clone();
    if let Some(u) = user
        && u != me
    {
        return cmd.fail(&format!(
            "\\password: cor4 changes only your own password; to set \"{u}\"'s, an operator runs cor4-proxy user passwd"
        ));
    }
    let prompt = format!("Enter new password for user \"{me}\": ");
    let entered = tokio::task::spawn_blocking(move || {
        let first = rpassword::prompt_password(prompt)?;
        let second = rpassword::prompt_password("Enter it again: ")?;
        Ok::<_, std::io::Error>((first, second))
    })
    .await;
    let (first, second) = match entered {
        Ok(Ok(pair)) => pair,
        Ok(Err(e)) => return cmd.fail(&format!("could not read password: {e}")),
        Err(e) => return cmd.fail(&format!("could not read password: {e}")),
    };
    if first != second {
        return cmd.fail("Passwords didn't match.");
    }
    if let Err(message) = check_new_password(&me, &first) {
        return cmd.fail(message);
    }
    match cmd.shell.client.change_password(&first).await {
        Ok(()) => {
            cmd.shell.password = first.clone();
            cmd.shell.config = cor4_protocol::client::Config::new(
                &cmd.shell.info.host,
                cmd.shell.info.port,
                &me,
                &first,
            );
            CmdStatus::Skip
        }
        Err(e) => match e.as_db_error() {
            Some(db) => {
                crate::exec::results::report_error(cmd.shell, db, None);
                CmdStatus::Error
            }
            None => cmd.fail(&e.to_string()),
        },
    }
}

/// Why a new password is refused before it is sent: the proxy's own rules
/// ([`cor4_protocol::password_fault`]), said as the shell says things.
pub fn check_new_password(user: &str, password: &str) -> Result<(), &'static str> {
    match cor4_protocol::password_fault(user, password) {
        None => Ok(()),
        Some(PasswordFault::TooShort) => Err("Password must be at least 8 characters long."),
        Some(PasswordFault::TooLong) => Err("Password must be at most 1024 bytes long."),
        Some(PasswordFault::UserName) => Err("Password must not be the user name."),
    }
}

/// PostgreSQL's client encodings other than UTF-8 (and common aliases).
const OTHER_ENCODINGS: &[&str] = &[
    "SQL_ASCII",
    "EUC_JP",
    "EUC_CN",
    "EUC_KR",
    "EUC_TW",
    "EUC_JIS_2004",
    "MULE_INTERNAL",
    "LATIN1",
    "LATIN2",
    "LATIN3",
    "LATIN4",
    "LATIN5",
    "LATIN6",
    "LATIN7",
    "LATIN8",
    "LATIN9",
    "LATIN10",
    "WIN1250",
    "WIN1251",
    "WIN1252",
    "WIN1253",
    "WIN1254",
    "WIN1255",
    "WIN1256",
    "WIN1257",
    "WIN1258",
    "WIN866",
    "WIN874",
    "KOI8R",
    "KOI8U",
    "ISO_8859_5",
    "ISO_8859_6",
    "ISO_8859_7",
    "ISO_8859_8",
    "SJIS",
    "BIG5",
    "GBK",
    "UHC",
    "GB18030",
    "JOHAB",
    "SHIFT_JIS_2004",
    "ALT",
    "KOI8",
    "WIN",
    "TCVN",
    "TCVN5712",
    "VSCII",
    "ABC",
    "SHIFT_JIS",
];

/// `\encoding [NAME]`: cor4 speaks UTF-8 end to end, so UTF8 is the
/// one encoding a session can switch to.
fn encoding(cmd: &mut Cmd<'_>) -> CmdStatus {
    let Some(name) = cmd.arg(ArgKind::Normal, false) else {
        let encoding = cmd.shell.vars.get("ENCODING").unwrap_or("UTF8").to_owned();
        let _ = cmd.shell.out.flush();
        println!("{encoding}");
        return CmdStatus::Skip;
    };
    let canonical: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    if matches!(canonical.as_str(), "UTF8" | "UNICODE") {
        return CmdStatus::Skip;
    }
    let known = OTHER_ENCODINGS
        .iter()
        .any(|e| e.replace('_', "").eq_ignore_ascii_case(&canonical));
    // psql reports a refused encoding but does not fail the command.
    let message = if known {
        format!(
            "\\encoding: cor4 sessions are UTF8 end to end; {name} cannot be used (convert the data with iconv, or let PostgreSQL convert with convert_to())"
        )
    } else {
        format!("{name}: invalid encoding name or conversion procedure not found")
    };
    cmd.shell.log_error(&message);
    CmdStatus::Skip
}

/// `\errverbose`: the last error in full.
fn errverbose(cmd: &mut Cmd<'_>) -> CmdStatus {
    let Some(error) = cmd.shell.last_error.clone() else {
        let _ = cmd.shell.out.flush();
        println!("There is no previous error.");
        return CmdStatus::Skip;
    };
    let style = ReportStyle {
        verbosity: Verbosity::Verbose,
        show_context: ShowContext::Always,
    };
    let query = cmd.shell.last_error_query.clone();
    let text = format_report(&error, "ERROR", true, query.as_deref(), "", style);
    cmd.shell.log_error(text.trim_end_matches('\n'));
    CmdStatus::Skip
}

/// `\timing [on|off]`.
fn timing(cmd: &mut Cmd<'_>) -> CmdStatus {
    match cmd.arg(ArgKind::Normal, false) {
        Some(value) => match parse_bool(&value) {
            Some(b) => cmd.shell.timing = b,
            None => {
                return cmd.fail(&format!(
                    "unrecognized value \"{value}\" for \"\\timing\": Boolean expected"
                ));
            }
        },
        None => cmd.shell.timing = !cmd.shell.timing,
    }
    if !cmd.shell.quiet() {
        let _ = cmd.shell.out.flush();
        println!("Timing is {}.", if cmd.shell.timing { "on" } else { "off" });
    }
    CmdStatus::Skip
}

/// `\h [TOPIC]`.
fn sql_help(cmd: &mut Cmd<'_>) -> CmdStatus {
    let topic = cmd.arg(ArgKind::WholeLine, false).unwrap_or_default();
    let columns = cmd
        .shell
        .popt
        .terminal_columns
        .unwrap_or(crate::help::DEFAULT_COLUMNS);
    let mut text = String::new();
    crate::help::sql_help(&topic, &mut text, columns);
    page(cmd, &text);
    CmdStatus::Skip
}

/// `\? [commands | options | variables]`.
fn slash_help(cmd: &mut Cmd<'_>) -> CmdStatus {
    let topic = cmd.arg(ArgKind::Normal, false);
    let mut text = String::new();
    match topic.as_deref() {
        Some("variables") => crate::help::variables_help(&mut text),
        Some("options") => text.push_str(&crate::args::usage()),
        _ => {
            let state = crate::help::ShellState {
                html: cmd.shell.popt.format == crate::print::Format::Html,
                tuples_only: cmd.shell.popt.tuples_only,
                expanded: match cmd.shell.popt.expanded {
                    crate::print::Expanded::Off => crate::help::Expanded::Off,
                    crate::print::Expanded::On => crate::help::Expanded::On,
                    crate::print::Expanded::Auto => crate::help::Expanded::Auto,
                },
                timing: cmd.shell.timing,
                database: Some(&cmd.shell.info.dbname),
            };
            crate::help::slash_help(&mut text, &state);
        }
    }
    page(cmd, &text);
    CmdStatus::Skip
}

/// Help text to stdout, through the pager when it is taller than the
/// terminal.
fn page(cmd: &mut Cmd<'_>, text: &str) {
    use std::io::IsTerminal;
    let _ = cmd.shell.out.flush();
    let stdout = std::io::stdout();
    if stdout.is_terminal() && cmd.shell.pager != crate::shell::PagerMode::Off {
        let threshold = match cmd.shell.pager {
            crate::shell::PagerMode::Always => 0,
            _ => crate::pager::terminal_height(),
        };
        let mut pager = crate::pager::Pager::new(stdout, threshold, crate::pager::pager_command());
        let _ = pager.write_all(text.as_bytes());
        let _ = pager.finish();
    } else {
        let mut lock = stdout.lock();
        let _ = lock.write_all(text.as_bytes());
        let _ = lock.flush();
    }
}
