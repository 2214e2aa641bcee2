//! Sending output taller than the terminal to a pager, psql's way: the
//! output of a result is held back until it has more lines than the
//! terminal; then `$PAGER` (default `less -SRXF`; an empty `PAGER` means
//! none) starts and gets everything from there on. Shorter output goes
//! straight to the terminal when the result ends.

use std::io::{self, Write};
use std::process::{Child, Command, Stdio};

/// The pager psql users expect when `$PAGER` is unset.
pub const DEFAULT_PAGER: &str = "less -SRXF";

/// The terminal's height in lines: `$LINES`, else `stty size` on
/// `/dev/tty`, else 24.
pub fn terminal_height() -> usize {
    if let Some(n) = std::env::var("LINES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return n;
    }
    let tty = std::fs::File::open("/dev/tty");
    if let Ok(tty) = tty
        && let Ok(out) = Command::new("stty")
            .arg("size")
            .stdin(tty)
            .stderr(Stdio::null())
            .output()
        && let Some(rows) = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .next()
            .and_then(|r| r.parse::<usize>().ok())
        && rows > 0
    {
        return rows;
    }
    24
}

/// The pager command: `$PAGER`, or [`DEFAULT_PAGER`]; `None` when `PAGER`
/// is set but empty.
pub fn pager_command() -> Option<String> {
    match std::env::var("PAGER") {
        Ok(p) if p.trim().is_empty() => None,
        Ok(p) => Some(p),
        Err(_) => Some(DEFAULT_PAGER.to_owned()),
    }
}

/// A writer in front of the terminal that switches to a pager once the
/// output is taller than `height` lines.
pub struct PagerGate<'a> {
    out: &'a mut (dyn Write + Send),
    held: Vec<u8>,
    lines: usize,
    height: usize,
    command: Option<String>,
    pager: Option<Child>,
}

impl std::fmt::Debug for PagerGate<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PagerGate")
            .field("lines", &self.lines)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

impl<'a> PagerGate<'a> {
    /// A gate over `out` (the terminal); `command` is the pager to start,
    /// `None` to never page.
    pub fn new(out: &'a mut (dyn Write + Send), height: usize, command: Option<String>) -> Self {
        PagerGate {
            out,
            held: Vec::new(),
            lines: 0,
            height,
            command,
            pager: None,
        }
    }

    /// Whether the output went to a pager.
    pub fn paged(&self) -> bool {
        self.pager.is_some()
    }

    fn start_pager(&mut self) -> io::Result<()> {
        let Some(command) = self.command.take() else {
            return Ok(());
        };
        let spawned = Command::new("/bin/sh")
            .arg("-c")
            .arg(&command)
            .stdin(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => {
                self.pager = Some(child);
                let held = std::mem::take(&mut self.held);
                self.write_pager(&held)
            }
            // No pager to be had: print to the terminal after all.
            Err(_) => Ok(()),
        }
    }

    fn write_pager(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.pager.as_mut().and_then(|c| c.stdin.as_mut()) {
            Some(stdin) => stdin.write_all(buf),
            None => Ok(()),
        }
    }

    /// Ends the output: prints what was held, or closes the pager and waits
    /// for the user to leave it.
    pub fn finish(mut self) -> io::Result<()> {
        match self.pager.take() {
            Some(mut child) => {
                drop(child.stdin.take());
                child.wait()?;
                Ok(())
            }
            None => {
                self.out.write_all(&self.held)?;
                self.out.flush()
            }
        }
    }
}

impl Write for PagerGate<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.pager.is_some() {
            self.write_pager(buf)?;
            return Ok(buf.len());
        }
        if self.command.is_none() {
            // No pager (or it failed to start): pass through.
            self.out.write_all(&std::mem::take(&mut self.held))?;
            self.out.write_all(buf)?;
            return Ok(buf.len());
        }
        self.held.extend_from_slice(buf);
        self.lines += buf.iter().filter(|b| **b == b'\n').count();
        if self.lines >= self.height {
            self.start_pager()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.pager.as_mut().and_then(|c| c.stdin.as_mut()) {
            Some(stdin) => stdin.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_output_goes_to_the_terminal_at_the_end() {
        let mut term: Vec<u8> = Vec::new();
        {
            let mut gate = PagerGate::new(&mut term, 10, Some("false".into()));
            gate.write_all(b"a\nb\n").expect("write");
            assert!(!gate.paged());
            gate.finish().expect("finish");
        }
        assert_eq!(term, b"a\nb\n");
    }

    #[test]
    fn tall_output_goes_to_the_pager() {
        let dir = std::env::temp_dir().join(format!("cor4-pager-{}", std::process::id()));
        let file = dir.with_extension("out");
        let mut term: Vec<u8> = Vec::new();
        {
            let command = format!("cat > {}", file.display());
            let mut gate = PagerGate::new(&mut term, 3, Some(command));
            for i in 0..5 {
                writeln!(gate, "line {i}").expect("write");
            }
            assert!(gate.paged());
            gate.finish().expect("finish");
        }
        assert!(term.is_empty());
        let paged = std::fs::read_to_string(&file).expect("pager output");
        let _ = std::fs::remove_file(&file);
        assert_eq!(paged.lines().count(), 5);
    }
}
