//! Where query results go: standard output, a file (`\o FILE`, `\g FILE`)
//! or a command's standard input (`\o |command`, `\g |command`), as psql
//! opens them.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::{Child, ChildStdin, Stdio};

/// An open query output.
pub enum QueryOutput {
    /// This process's standard output (buffered; flushed after each
    /// query).
    Stdout(BufWriter<io::Stdout>),
    /// A file.
    File(BufWriter<File>),
    /// A shell command reading what is written.
    Pipe {
        /// The command.
        child: Child,
        /// Its standard input.
        input: BufWriter<ChildStdin>,
    },
}

impl std::fmt::Debug for QueryOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            QueryOutput::Stdout(_) => "Stdout",
            QueryOutput::File(_) => "File",
            QueryOutput::Pipe { .. } => "Pipe",
        })
    }
}

impl QueryOutput {
    /// Standard output.
    pub fn stdout() -> Self {
        QueryOutput::Stdout(BufWriter::with_capacity(64 * 1024, io::stdout()))
    }

    /// Opens `target`: `|command` starts the command through `/bin/sh`,
    /// anything else is a file created (or truncated). The error is the
    /// reason only (`No such file or directory`).
    pub fn open(target: &str) -> Result<Self, String> {
        if let Some(command) = target.strip_prefix('|') {
            let _ = io::stdout().flush();
            let mut child = crate::environment::shell_command(command)
                .stdin(Stdio::piped())
                .spawn()
                .map_err(|e| os_reason(&e))?;
            let input = child
                .stdin
                .take()
                .ok_or_else(|| "could not open a pipe".to_owned())?;
            return Ok(QueryOutput::Pipe {
                child,
                input: BufWriter::new(input),
            });
        }
        File::create(target)
            .map(|f| QueryOutput::File(BufWriter::with_capacity(64 * 1024, f)))
            .map_err(|e| os_reason(&e))
    }

    /// Whether this is the process's standard output.
    pub fn is_stdout(&self) -> bool {
        matches!(self, QueryOutput::Stdout(_))
    }

    /// Flushes and closes: a pipe's command is waited for.
    pub fn close(self) -> io::Result<()> {
        match self {
            QueryOutput::Stdout(mut w) => w.flush(),
            QueryOutput::File(mut w) => w.flush(),
            QueryOutput::Pipe { mut child, input } => {
                let flushed = input.into_inner().map(drop).map_err(|e| e.into_error());
                let _ = child.wait();
                // A command that exits early closes its end; not an error.
                match flushed {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    other => other,
                }
            }
        }
    }
}

impl Write for QueryOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            QueryOutput::Stdout(w) => w.write(buf),
            QueryOutput::File(w) => w.write(buf),
            QueryOutput::Pipe { input, .. } => input.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            QueryOutput::Stdout(w) => w.write_all(buf),
            QueryOutput::File(w) => w.write_all(buf),
            QueryOutput::Pipe { input, .. } => input.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            QueryOutput::Stdout(w) => w.flush(),
            QueryOutput::File(w) => w.flush(),
            QueryOutput::Pipe { input, .. } => input.flush(),
        }
    }
}

/// The OS's words for an error, without Rust's `(os error N)`.
pub fn os_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
