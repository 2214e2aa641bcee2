//! Sending output taller than the terminal to a pager, psql's way: a
//! query's output is held back until it has more lines than the terminal
//! (and than `\pset pager_min_lines`); then the pager starts and gets
//! everything from there on. Shorter output goes straight to the terminal
//! when the query ends. `\pset pager always` starts it at once.
//!
//! The pager is `$PSQL_PAGER`, else `$PAGER`, else `less -SRXF`; an empty
//! value means none.

use std::io::{self, Write};
use std::process::{Child, Stdio};

/// The pager when neither `PSQL_PAGER` nor `PAGER` names one.
pub const DEFAULT_PAGER: &str = "less -SRXF";

/// The terminal's height in lines: `$LINES`, else `stty size` on
/// `/dev/tty`, else 24.
pub fn terminal_height() -> usize {
    if let Some(n) = crate::environment::var("LINES").and_then(|v| v.trim().parse().ok()) {
        return n;
    }
    crate::shell::stty_size().map_or(24, |(rows, _)| rows)
}

/// The pager command; `None` when the variable naming it is set but
/// empty.
pub fn pager_command() -> Option<String> {
    for name in ["PSQL_PAGER", "PAGER"] {
        if let Some(p) = crate::environment::var(name) {
            return (!p.trim().is_empty()).then_some(p);
        }
    }
    Some(DEFAULT_PAGER.to_owned())
}

/// A writer in front of the terminal that switches to a pager once the
/// output has `threshold` lines.
pub struct Pager<W: Write> {
    out: W,
    held: Vec<u8>,
    lines: usize,
    threshold: usize,
    command: Option<String>,
    child: Option<Child>,
}

impl<W: Write> std::fmt::Debug for Pager<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("lines", &self.lines)
            .field("threshold", &self.threshold)
            .finish_non_exhaustive()
    }
}

impl<W: Write> Pager<W> {
    /// A gate over `out` (the terminal); `command` is the pager to start,
    /// `None` to never page; a `threshold` of 0 pages at once.
    pub fn new(out: W, threshold: usize, command: Option<String>) -> Self {
        Pager {
            out,
            held: Vec::new(),
            lines: 0,
            threshold,
            command,
            child: None,
        }
    }

    /// Whether the output went to a pager.
    #[cfg(test)]
    pub fn paged(&self) -> bool {
        self.child.is_some()
    }

    fn start(&mut self) -> io::Result<()> {
        let Some(command) = self.command.take() else {
            return Ok(());
        };
        self.out.flush()?;
        let spawned = crate::environment::shell_command(&command)
            .stdin(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => {
                self.child = Some(child);
                let held = std::mem::take(&mut self.held);
                self.write_child(&held)
            }
            // No pager to be had: print to the terminal after all.
            Err(_) => {
                let held = std::mem::take(&mut self.held);
                self.out.write_all(&held)
            }
        }
    }

    fn write_child(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.child.as_mut().and_then(|c| c.stdin.as_mut()) {
            Some(stdin) => stdin.write_all(buf),
            None => Ok(()),
        }
    }

    /// Ends the output: prints what was held, or closes the pager and waits
    /// for the user to leave it. Returns the terminal writer.
    pub fn finish(mut self) -> (W, io::Result<()>) {
        let result = match self.child.take() {
            Some(mut child) => {
                drop(child.stdin.take());
                child.wait().map(drop)
            }
            None => {
                let held = std::mem::take(&mut self.held);
                self.out.write_all(&held).and_then(|()| self.out.flush())
            }
        };
        (self.out, result)
    }
}

impl<W: Write> Write for Pager<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.child.is_some() {
            self.write_child(buf)?;
            return Ok(buf.len());
        }
        if self.command.is_none() {
            // No pager (or it failed to start): pass through.
            self.out.write_all(buf)?;
            return Ok(buf.len());
        }
        self.held.extend_from_slice(buf);
        self.lines += buf.iter().filter(|b| **b == b'\n').count();
        if self.lines >= self.threshold {
            self.start()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.child.as_mut().and_then(|c| c.stdin.as_mut()) {
            Some(stdin) => stdin.flush(),
            None if self.held.is_empty() => self.out.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_output_goes_to_the_terminal_at_the_end() {
        let mut gate = Pager::new(Vec::new(), 10, Some("false".into()));
        gate.write_all(b"a\nb\n").expect("write");
        assert!(!gate.paged());
        let (term, done) = gate.finish();
        done.expect("finish");
        assert_eq!(term, b"a\nb\n");
    }

    #[test]
    fn tall_output_goes_to_the_pager() {
        let dir = std::env::temp_dir().join(format!("cor4-pager-{}", std::process::id()));
        let file = dir.with_extension("out");
        let command = format!("cat > {}", file.display());
        let mut gate = Pager::new(Vec::new(), 3, Some(command));
        for i in 0..5 {
            writeln!(gate, "line {i}").expect("write");
        }
        assert!(gate.paged());
        let (term, done) = gate.finish();
        done.expect("finish");
        assert!(term.is_empty());
        let paged = std::fs::read_to_string(&file).expect("pager output");
        let _ = std::fs::remove_file(&file);
        assert_eq!(paged.lines().count(), 5);
    }
}
