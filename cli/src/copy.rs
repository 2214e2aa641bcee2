//! Where `COPY … FROM STDIN` data comes from, as psql decides: the lines of
//! the script being run (up to a `\.` line), the terminal (with psql's
//! prompt), standard input, or a file or program for `\copy`.
//!
//! Text and CSV data are read line by line and end at a line holding only
//! `\.` or at the end of the input; binary data is everything up to the end
//! of the input. Data is sent in chunks of [`CHUNK`] bytes, so a file of
//! any size streams in bounded memory.

use std::io::{self, BufRead, IsTerminal, Write};

use cor4_protocol::client::MessageStream;
use cor4_protocol::packet::{CopyFormat, CopyResponse};

/// Bytes gathered before a COPY_DATA packet goes out.
pub const CHUNK: usize = 64 * 1024;

/// Where the data of a `COPY … FROM STDIN` comes from.
pub enum CopySource<'a> {
    /// The script being run: data lines follow the statement; `line` counts
    /// the script's lines for error locations.
    Script {
        /// The script's input.
        input: &'a mut dyn BufRead,
        /// Lines read so far.
        line: &'a mut usize,
    },
    /// This process's standard input (`-c`, the interactive shell); the
    /// prompt (`PROMPT3`, `>> ` by default) is shown when it is a terminal.
    Stdin(String),
    /// A reader of the shell's own (`\copy … from FILE` / `program`).
    Reader(&'a mut dyn BufRead),
}

/// Why a COPY FROM STDIN could not be fed.
#[derive(Debug)]
pub enum FeedError {
    /// Reading the data failed: the COPY was aborted with this reason.
    Read(io::Error),
    /// The connection is gone.
    Connection(cor4_protocol::client::Error),
}

/// Feeds the COPY `stream` started from `source`, then ends it (COPY_DONE,
/// or COPY_FAIL when reading failed).
pub async fn feed(
    stream: &MessageStream,
    layout: &CopyResponse,
    source: &mut CopySource<'_>,
) -> Result<(), FeedError> {
    let read = match source {
        CopySource::Script { input, line, .. } => {
            send_from(stream, layout, *input, Some(*line)).await
        }
        CopySource::Reader(input) => send_from(stream, layout, *input, None).await,
        CopySource::Stdin(prompt) => {
            let stdin = io::stdin();
            let interactive = stdin.is_terminal();
            if interactive && layout.format == CopyFormat::Text {
                println!(
                    "Enter data to be copied followed by a newline.\n\
                     End with a backslash and a period on a line by itself, or an EOF signal."
                );
            }
            let mut lock = stdin.lock();
            if interactive {
                send_prompted(stream, &mut lock, prompt).await
            } else {
                send_from(stream, layout, &mut lock, None).await
            }
        }
    };
    match read {
        Ok(Ok(())) => stream.copy_done().await.map_err(FeedError::Connection),
        Ok(Err(e)) => {
            stream
                .copy_fail(&format!("could not read COPY data: {e}"))
                .await
                .map_err(FeedError::Connection)?;
            Err(FeedError::Read(e))
        }
        Err(e) => Err(FeedError::Connection(e)),
    }
}

/// Reads `input` and sends it: lines up to `\.` (text and CSV), or all of
/// it (binary). The outer result is the connection's, the inner the
/// input's.
async fn send_from(
    stream: &MessageStream,
    layout: &CopyResponse,
    input: &mut dyn BufRead,
    mut line_count: Option<&mut usize>,
) -> Result<io::Result<()>, cor4_protocol::client::Error> {
    let mut chunk = Vec::with_capacity(CHUNK + 1024);
    if layout.format == CopyFormat::Binary {
        loop {
            chunk.resize(CHUNK, 0);
            match input.read(&mut chunk) {
                Ok(0) => return Ok(Ok(())),
                Ok(n) => stream.copy_data(&chunk[..n]).await?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Ok(Err(e)),
            }
        }
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Ok(Err(e)),
        }
        if let Some(count) = line_count.as_deref_mut() {
            *count += 1;
        }
        // psql sends the `\.` line too: PostgreSQL ends the data there
        // itself (or, inside an open CSV quote, reports it as data).
        let end = is_end_marker(&line);
        chunk.extend_from_slice(&line);
        if end {
            break;
        }
        if !line.ends_with(b"\n") {
            // The last line of a file without a newline.
            chunk.push(b'\n');
        }
        if chunk.len() >= CHUNK {
            stream.copy_data(&chunk).await?;
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        stream.copy_data(&chunk).await?;
    }
    Ok(Ok(()))
}

/// The terminal: psql's `>> ` prompt before each line.
async fn send_prompted(
    stream: &MessageStream,
    input: &mut dyn BufRead,
    prompt: &str,
) -> Result<io::Result<()>, cor4_protocol::client::Error> {
    let mut line = Vec::new();
    loop {
        print!("{prompt}");
        let _ = io::stdout().flush();
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => {
                // EOF (Ctrl-D) ends the data; psql moves to a new line.
                println!();
                return Ok(Ok(()));
            }
            Ok(_) => {}
            Err(e) => return Ok(Err(e)),
        }
        let end = is_end_marker(&line);
        if !line.ends_with(b"\n") {
            line.push(b'\n');
        }
        stream.copy_data(&line).await?;
        if end {
            return Ok(Ok(()));
        }
    }
}

/// `\.` alone on a line (with its line ending).
fn is_end_marker(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line == b"\\."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_end_marker_with_any_line_ending() {
        assert!(is_end_marker(b"\\.\n"));
        assert!(is_end_marker(b"\\.\r\n"));
        assert!(is_end_marker(b"\\."));
        assert!(!is_end_marker(b"\\.x\n"));
        assert!(!is_end_marker(b" \\.\n"));
    }
}
