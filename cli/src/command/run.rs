//! Carrying out a parsed meta-command on a [`Session`].

use std::path::Path;
use std::time::Duration;

use cor4_protocol::client::Row;

use super::catalog::{self, Query};
use super::{Describe, Expanded, Listing, MetaCommand, Pset, parse};
use crate::copy::CopySource;
use crate::session::{Session, StatementError};
use crate::settings::Format;

/// What the caller does after a meta-command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandOutcome {
    /// Go on reading.
    Continue,
    /// `\q`: leave.
    Quit,
    /// The command failed (its error was printed); a script with
    /// `--on-error-stop` stops.
    Failed,
}

/// What a meta-command sees besides the session: the REPL's query buffer,
/// which `\e` edits and `\watch` reruns, and the script location that
/// prefixes error messages.
#[derive(Debug, Clone, Default)]
pub struct QueryBuffer {
    /// psql's `psql:FILE:LINE: ` (here `cor4:`) while running a script;
    /// empty otherwise.
    pub location: String,
    /// Text typed but not yet sent.
    pub current: String,
    /// The last statement sent.
    pub last: Option<String>,
    /// Set by `\e`: `current` was replaced by the editor's text and should
    /// be run (its complete statements) or shown for more editing.
    pub edited: bool,
}

/// Parses and runs one meta-command line, without a query buffer (for
/// `-c '\dt'` and scripts).
pub async fn execute_line(session: &mut Session, line: &str) -> CommandOutcome {
    execute(session, line, &mut QueryBuffer::default()).await
}

/// Parses and runs one meta-command line with the REPL's query buffer.
pub async fn execute(
    session: &mut Session,
    line: &str,
    buffer: &mut QueryBuffer,
) -> CommandOutcome {
    match parse(line) {
        Ok(command) => run(session, command, buffer).await,
        Err(e) => fail(session, &buffer.location, e),
    }
}

/// Prints a meta-command's error as psql does (with the script location,
/// when there is one) and reports failure.
fn fail(session: &mut Session, location: &str, message: impl std::fmt::Display) -> CommandOutcome {
    let _ = session.output().flush();
    eprintln!("{location}{message}");
    CommandOutcome::Failed
}

/// An informational line (`Timing is on.`), unless `-q`.
fn say(session: &mut Session, message: &str) {
    if !session.settings().quiet {
        println!("{message}");
    }
}

async fn run(
    session: &mut Session,
    command: MetaCommand,
    buffer: &mut QueryBuffer,
) -> CommandOutcome {
    let location = buffer.location.clone();
    let location = location.as_str();
    match command {
        MetaCommand::Quit => return CommandOutcome::Quit,
        MetaCommand::Help => print!("{}", help_text()),
        MetaCommand::Timing(value) => {
            let settings = session.settings();
            settings.timing = value.unwrap_or(!settings.timing);
            let on = settings.timing;
            say(
                session,
                if on {
                    "Timing is on."
                } else {
                    "Timing is off."
                },
            );
        }
        MetaCommand::Expanded(value) => {
            let settings = session.settings();
            let on = match value {
                None => !settings.expanded,
                Some(Expanded::On) => true,
                Some(Expanded::Off) => false,
                Some(Expanded::Auto) => {
                    return fail(
                        session,
                        location,
                        "\\x auto is not supported; use \\x on or \\x off",
                    );
                }
            };
            settings.expanded = on;
            say(
                session,
                if on {
                    "Expanded display is on."
                } else {
                    "Expanded display is off."
                },
            );
        }
        MetaCommand::Pset(pset) => {
            let settings = session.settings();
            let message = match pset {
                Pset::Format(format) => {
                    settings.format = format;
                    let name = match format {
                        Format::Aligned => "aligned",
                        Format::Unaligned => "unaligned",
                        Format::Csv => "csv",
                        Format::Json => "json",
                    };
                    format!("Output format is {name}.")
                }
                Pset::Null(text) => {
                    let message = format!("Null display is \"{text}\".");
                    settings.null = text;
                    message
                }
                Pset::Pager(value) => {
                    settings.pager = value.unwrap_or(!settings.pager);
                    if settings.pager {
                        "Pager is used for long output.".to_owned()
                    } else {
                        "Pager usage is off.".to_owned()
                    }
                }
            };
            say(session, &message);
        }
        MetaCommand::Output(None) => session.reset_output(),
        MetaCommand::Output(Some(path)) => match std::fs::File::create(&path) {
            Ok(file) => session.set_output(Box::new(std::io::LineWriter::new(file))),
            Err(e) => {
                return fail(
                    session,
                    location,
                    format!("{}: {}", path.display(), io_reason(&e)),
                );
            }
        },
        MetaCommand::Include(path) => return include(session, location, &path).await,
        MetaCommand::Describe(describe) => {
            return describe_command(session, location, &describe).await;
        }
        MetaCommand::ConnInfo => {
            let info = session.conn_info().clone();
            // The address too when the host is a name, as psql does.
            let address = if info.host == info.addr.ip().to_string() {
                String::new()
            } else {
                format!(" (address \"{}\")", info.addr.ip())
            };
            println!(
                "You are connected to the cor4 proxy on host \"{}\"{address} at port \"{}\" as user \"{}\" (protocol Cor4 v2, RC6-GCM).",
                info.host, info.port, info.user
            );
        }
        MetaCommand::Password => return password(session, location).await,
        MetaCommand::Copy(args) => {
            return slash_copy(session, &args, location, CopySource::Stdin).await;
        }
        MetaCommand::Edit => return edit(session, buffer).await,
        MetaCommand::Watch(interval) => return watch(session, buffer, interval).await,
    }
    CommandOutcome::Continue
}

/// The part of an I/O error psql prints after the file name.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".to_owned(),
        _ => e.to_string(),
    }
}

async fn include(session: &mut Session, location: &str, path: &Path) -> CommandOutcome {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return fail(
                session,
                location,
                format!("{}: {}", path.display(), io_reason(&e)),
            );
        }
    };
    let name = path.display().to_string();
    let outcome = Box::pin(crate::script::run_script_named(
        session,
        std::io::BufReader::new(file),
        Some(&name),
    ))
    .await;
    session.set_location(location);
    match outcome {
        crate::script::ScriptOutcome::Quit => CommandOutcome::Quit,
        o if o.failed() => CommandOutcome::Failed,
        _ => CommandOutcome::Continue,
    }
}

/// Runs a catalog query quietly and returns its rows as text cells.
async fn text_query(session: &mut Session, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    let rows: Vec<Row> =
        session
            .client()
            .query_all(sql, &[])
            .await
            .map_err(|e| match e.as_db_error() {
                Some(db) => format!("ERROR:  {}", db.message()),
                None => format!("cor4: error: {e}"),
            })?;
    rows.iter()
        .map(|row| {
            (0..row.len())
                .map(|i| {
                    row.try_get::<_, Option<String>>(i)
                        .map_err(|e| format!("cor4: error: {e}"))
                })
                .collect()
        })
        .collect()
}

async fn describe_command(
    session: &mut Session,
    location: &str,
    describe: &Describe,
) -> CommandOutcome {
    if describe.kind == Listing::Relations {
        if let Some(pattern) = &describe.pattern {
            return describe_relations(session, location, pattern).await;
        }
    }
    let Query {
        title,
        headings,
        sql,
        none_found,
    } = catalog::listing(describe);
    let rows = match text_query(session, &sql).await {
        Ok(rows) => rows,
        Err(message) => return fail(session, location, message),
    };
    if rows.is_empty() {
        if let Some(message) = none_found {
            return fail(session, location, message);
        }
    }
    let rows = catalog::text_rows(rows);
    let settings = session.settings().clone();
    let written = catalog::write_titled(
        session.output(),
        &settings,
        &title,
        &headings,
        &rows,
        true,
        &[],
    )
    .and_then(|()| session.output().flush());
    match written {
        Ok(()) => CommandOutcome::Continue,
        Err(e) => fail(
            session,
            location,
            format!("cor4: error: could not write output: {e}"),
        ),
    }
}

/// `\d NAME`: each matching relation's columns, indexes and constraints.
async fn describe_relations(
    session: &mut Session,
    location: &str,
    pattern: &str,
) -> CommandOutcome {
    let found = match text_query(session, &catalog::relation_lookup(pattern)).await {
        Ok(rows) => rows,
        Err(message) => return fail(session, location, message),
    };
    if found.is_empty() {
        return fail(
            session,
            location,
            format!("Did not find any relation named \"{pattern}\"."),
        );
    }
    for relation in found {
        let [oid, schema, name, kind] =
            [0, 1, 2, 3].map(|i| relation.get(i).cloned().flatten().unwrap_or_default());
        let columns = match text_query(session, &catalog::columns(&oid)).await {
            Ok(rows) => catalog::text_rows(rows),
            Err(message) => return fail(session, location, message),
        };
        let mut footer = Vec::new();
        match text_query(session, &catalog::footers(&oid)).await {
            Ok(rows) => {
                let mut section = String::new();
                for row in rows {
                    let heading = row.first().cloned().flatten().unwrap_or_default();
                    let line = row.get(3).cloned().flatten().unwrap_or_default();
                    if heading != section {
                        footer.push(heading.clone());
                        section = heading;
                    }
                    footer.push(format!("    {line}"));
                }
            }
            Err(message) => return fail(session, location, message),
        }
        let settings = session.settings().clone();
        let written = catalog::write_titled(
            session.output(),
            &settings,
            &catalog::relation_title(&kind, &schema, &name),
            &catalog::COLUMN_HEADINGS,
            &columns,
            false,
            &footer,
        )
        .and_then(|()| session.output().flush());
        if let Err(e) = written {
            return fail(
                session,
                location,
                format!("cor4: error: could not write output: {e}"),
            );
        }
    }
    CommandOutcome::Continue
}

/// Why a new password is refused before it is sent, mirroring the proxy's
/// own rules.
pub fn check_new_password(user: &str, password: &str) -> Result<(), &'static str> {
    if password.chars().count() < 8 {
        return Err("Password must be at least 8 characters long.");
    }
    if password.len() > 1024 {
        return Err("Password must be at most 1024 bytes long.");
    }
    if password.eq_ignore_ascii_case(user) {
        return Err("Password must not be the user name.");
    }
    Ok(())
}

async fn password(session: &mut Session, location: &str) -> CommandOutcome {
    let user = session.conn_info().user.clone();
    let prompt = format!("Enter new password for user \"{user}\": ");
    let entered = tokio::task::spawn_blocking(move || {
        let first = rpassword::prompt_password(prompt)?;
        let second = rpassword::prompt_password("Enter it again: ")?;
        Ok::<_, std::io::Error>((first, second))
    })
    .await;
    let (first, second) = match entered {
        Ok(Ok(pair)) => pair,
        Ok(Err(e)) => {
            return fail(
                session,
                location,
                format!("\\password: could not read password: {e}"),
            );
        }
        Err(e) => return fail(session, location, format!("\\password: {e}")),
    };
    if first != second {
        return fail(session, location, "Passwords didn't match.");
    }
    if let Err(message) = check_new_password(&user, &first) {
        return fail(session, location, message);
    }
    match session.client().change_password(&first).await {
        Ok(()) => {
            session.set_password(&first);
            say(
                session,
                "Password changed. It takes effect at the next login; this session goes on as it is.",
            );
            CommandOutcome::Continue
        }
        Err(e) => match e.as_db_error() {
            Some(db) => fail(session, location, format!("ERROR:  {}", db.message())),
            None => fail(session, location, format!("cor4: error: {e}")),
        },
    }
}

/// `\copy`: opens the file or program, runs the COPY with it as the data
/// source or sink, and closes it, reporting as psql does. `current` is
/// where `from stdin` reads (the script being run, or standard input).
pub async fn slash_copy(
    session: &mut Session,
    args: &str,
    location: &str,
    current: CopySource<'_>,
) -> CommandOutcome {
    use super::copy::{Endpoint, parse_slash_copy};
    let copy = match parse_slash_copy(args) {
        Ok(copy) => copy,
        Err(e) => return fail(session, location, format!("error: {e}")),
    };
    let mut child: Option<(std::process::Child, String)> = None;
    let mut file_reader: Option<std::io::BufReader<Box<dyn std::io::Read + Send>>> = None;
    let mut file_writer: Option<Box<dyn std::io::Write + Send>> = None;
    match &copy.endpoint {
        Endpoint::File(path) => {
            let opened = if copy.from {
                std::fs::File::open(path).map(|f| {
                    file_reader = Some(std::io::BufReader::with_capacity(
                        64 * 1024,
                        Box::new(f) as Box<dyn std::io::Read + Send>,
                    ));
                })
            } else {
                std::fs::File::create(path).map(|f| {
                    file_writer = Some(Box::new(std::io::BufWriter::with_capacity(64 * 1024, f)));
                })
            };
            if let Err(e) = opened {
                return fail(
                    session,
                    location,
                    format!("error: {path}: {}", io_reason(&e)),
                );
            }
            if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
                return fail(
                    session,
                    location,
                    format!("error: {path}: cannot copy from/to a directory"),
                );
            }
        }
        Endpoint::Program(command) => {
            let _ = session.output().flush();
            let mut cmd = std::process::Command::new("/bin/sh");
            cmd.arg("-c").arg(command);
            if copy.from {
                cmd.stdout(std::process::Stdio::piped());
            } else {
                cmd.stdin(std::process::Stdio::piped());
            }
            match cmd.spawn() {
                Ok(mut c) => {
                    if copy.from {
                        if let Some(out) = c.stdout.take() {
                            file_reader = Some(std::io::BufReader::with_capacity(
                                64 * 1024,
                                Box::new(out) as Box<dyn std::io::Read + Send>,
                            ));
                        }
                    } else if let Some(input) = c.stdin.take() {
                        file_writer = Some(Box::new(input));
                    }
                    child = Some((c, command.clone()));
                }
                Err(e) => {
                    return fail(
                        session,
                        location,
                        format!(
                            "error: could not execute command \"{command}\": {}",
                            io_reason(&e)
                        ),
                    );
                }
            }
        }
        Endpoint::Current | Endpoint::Process => {}
    }
    let mut stdout_sink = std::io::stdout();
    let target: Option<&mut dyn std::io::Write> = match file_writer.as_mut() {
        Some(w) => Some(w),
        None if copy.endpoint == Endpoint::Process && !session.output_is_stdout() => {
            Some(&mut stdout_sink)
        }
        None => None,
    };
    let result = if let Some(reader) = file_reader.as_mut() {
        session
            .run_sql_with(&copy.sql, CopySource::Reader(reader), target)
            .await
    } else if copy.endpoint == Endpoint::Process {
        let mut stdin = std::io::stdin().lock();
        session
            .run_sql_with(&copy.sql, CopySource::Reader(&mut stdin), target)
            .await
    } else {
        session.run_sql_with(&copy.sql, current, target).await
    };
    let mut ok = result.is_ok();
    if let Some(mut w) = file_writer.take() {
        if let Err(e) = w.flush() {
            ok = false;
            let _ = fail(
                session,
                location,
                format!("error: could not write COPY data: {e}"),
            );
        }
    }
    drop(file_reader);
    if let Some((mut c, command)) = child {
        match c.wait() {
            Ok(status) if !status.success() => {
                ok = false;
                let reason = match status.code() {
                    Some(code) => format!("child process exited with exit code {code}"),
                    None => "child process was terminated by a signal".to_owned(),
                };
                let _ = fail(session, location, format!("error: {command}: {reason}"));
            }
            Ok(_) => {}
            Err(e) => {
                ok = false;
                let _ = fail(session, location, format!("error: {command}: {e}"));
            }
        }
    }
    match result {
        Err(StatementError::ConnectionLost(_)) => CommandOutcome::Failed,
        _ if ok => CommandOutcome::Continue,
        _ => CommandOutcome::Failed,
    }
}

async fn edit(session: &mut Session, buffer: &mut QueryBuffer) -> CommandOutcome {
    let location = buffer.location.clone();
    let location = location.as_str();
    let text = if buffer.current.trim().is_empty() {
        buffer.last.clone().unwrap_or_default()
    } else {
        buffer.current.clone()
    };
    let path = std::env::temp_dir().join(format!("cor4-edit-{}.sql", std::process::id()));
    let contents = if text.is_empty() || text.ends_with('\n') {
        text
    } else {
        format!("{text}\n")
    };
    if let Err(e) = std::fs::write(&path, contents) {
        return fail(
            session,
            location,
            format!("{}: {}", path.display(), io_reason(&e)),
        );
    }
    let editor = ["COR4_EDITOR", "EDITOR", "VISUAL"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_owned());
    let file = path.clone();
    // The editor owns the terminal until it exits; `sh -c` lets $EDITOR
    // carry arguments (`code -w`), and the file goes as `$1`, unquoted
    // nowhere.
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&file)
            .status()
    })
    .await;
    let edited = match status {
        Ok(Ok(s)) if s.success() => std::fs::read_to_string(&path),
        Ok(Ok(s)) => {
            let _ = std::fs::remove_file(&path);
            return fail(
                session,
                location,
                format!("\\e: the editor exited with {s}"),
            );
        }
        Ok(Err(e)) => {
            let _ = std::fs::remove_file(&path);
            return fail(
                session,
                location,
                format!("\\e: could not start the editor: {e}"),
            );
        }
        Err(e) => return fail(session, location, format!("\\e: {e}")),
    };
    let _ = std::fs::remove_file(&path);
    match edited {
        Ok(text) => {
            buffer.current = text.trim_end().to_owned();
            buffer.edited = true;
            CommandOutcome::Continue
        }
        Err(e) => fail(
            session,
            location,
            format!("{}: {}", path.display(), io_reason(&e)),
        ),
    }
}

/// Runs `sql`; Ctrl-C meanwhile sends CANCEL (the query then fails with
/// "canceling statement due to user request") and the session goes on.
/// Returns whether Ctrl-C was pressed.
pub async fn run_cancellable(
    session: &mut Session,
    sql: &str,
) -> (Result<(), StatementError>, bool) {
    let cancel = session.cancel_handle();
    let run = session.run_sql(sql);
    tokio::pin!(run);
    let mut interrupted = false;
    loop {
        tokio::select! {
            result = &mut run => return (result, interrupted),
            signal = tokio::signal::ctrl_c(), if !interrupted => {
                interrupted = true;
                if signal.is_ok() {
                    let _ = cancel.cancel().await;
                }
            }
        }
    }
}

async fn watch(
    session: &mut Session,
    buffer: &mut QueryBuffer,
    interval: Duration,
) -> CommandOutcome {
    let location = buffer.location.clone();
    let location = location.as_str();
    let query = if buffer.current.trim().is_empty() {
        buffer.last.clone()
    } else {
        Some(std::mem::take(&mut buffer.current))
    };
    let Some(query) = query.filter(|q| !q.trim().is_empty()) else {
        return fail(
            session,
            location,
            "\\watch cannot be used with an empty query",
        );
    };
    buffer.last = Some(query.clone());
    let seconds = interval.as_secs_f64();
    loop {
        let now = utc_now();
        let settings = session.settings().clone();
        if matches!(settings.format, Format::Aligned | Format::Unaligned) && !settings.tuples_only {
            let out = session.output();
            let _ = writeln!(out, "{now} (every {seconds}s)\n");
            let _ = out.flush();
        }
        let (result, interrupted) = run_cancellable(session, &query).await;
        if interrupted {
            return CommandOutcome::Continue;
        }
        if let Err(e) = result {
            return if e.is_connection_lost() {
                CommandOutcome::Quit
            } else {
                CommandOutcome::Failed
            };
        }
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = tokio::signal::ctrl_c() => return CommandOutcome::Continue,
        }
    }
}

/// The time for `\watch`'s header, in UTC (`2025-11-22 10:00:00 UTC`).
fn utc_now() -> String {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let days = since_epoch / 86_400;
    let rest = since_epoch % 86_400;
    let (year, month, day) = civil(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for days after the epoch).
fn civil(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// `\?`.
pub fn help_text() -> &'static str {
    "General
  \\q                     quit cor4
  \\?                     show this help
  \\conninfo              show where and as whom you are connected
  \\password              change your password (asked twice, sent with CHPASS)

Query Buffer
  \\e                     edit the query buffer (or the last query) with $EDITOR
  \\watch [SEC]           run the last query every SEC seconds (default 2) until Ctrl-C

Input/Output
  \\i FILE                run commands from FILE
  \\o [FILE]              send query results to FILE, or back to standard output

Formatting
  \\pset format aligned|unaligned|csv|json
                         set the output format
  \\pset null [STRING]    show NULL as STRING
  \\pset pager [on|off]   use a pager for long output
  \\timing [on|off]       show how long each statement took
  \\x [on|off]            toggle expanded output (one line per column)

Informational
  (options: S = show system objects, + = additional detail)
  \\d[S+]                 list tables, views and sequences
  \\d[S+]  NAME           describe a table, view or sequence
  \\dt[S+] [PATTERN]      list tables
  \\dn[S+] [PATTERN]      list schemas
  \\df[S+] [PATTERN]      list functions
  \\du[S]  [PATTERN]      list roles
  \\l[+]   [PATTERN]      list databases

A statement ends at a semicolon outside quotes, comments and dollar quotes.
Ctrl-C cancels a running query; Ctrl-D leaves.
"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_from_day_counts() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(11_016), (2000, 2, 29));
        assert_eq!(civil(20_414), (2025, 11, 22));
    }

    #[test]
    fn refuses_short_password() {
        assert!(check_new_password("alice", "short").is_err());
        assert!(check_new_password("alice", "1234567").is_err());
    }

    #[test]
    fn refuses_password_equal_to_user_name() {
        assert!(check_new_password("alice_long", "ALICE_LONG").is_err());
    }

    #[test]
    fn accepts_a_reasonable_password() {
        assert_eq!(check_new_password("alice", "correct horse"), Ok(()));
    }

    #[test]
    fn help_lists_every_meta_command() {
        for command in [
            "\\q",
            "\\?",
            "\\timing",
            "\\x",
            "\\pset",
            "\\o",
            "\\i",
            "\\d",
            "\\dt",
            "\\dn",
            "\\df",
            "\\du",
            "\\l",
            "\\conninfo",
            "\\password",
            "\\e",
            "\\watch",
        ] {
            assert!(help_text().contains(command), "{command} missing from \\?");
        }
    }
}
