//! A result on its way to the screen: the rows gathered, how each column
//! aligns, the output it goes to (through a pager on a terminal), and
//! `\gset`'s use of a one-row result.

use std::io::{self, IsTerminal, Write};

use cor4_protocol::client::Column;
use cor4_protocol::pgtext;

use crate::output::QueryOutput;
use crate::pager::{Pager, pager_command, terminal_height};
use crate::print::{
    Align, Expanded, Format, Part, PrintOptions, PrintTable, is_json_number, print_table,
};
use crate::shell::{PagerMode, Shell};

/// Rows printed at a time by the formats that stream.
pub const CHUNK_ROWS: usize = 1000;

/// How much an aligned result may hold before it is printed in chunks
/// (each aligned on its own, as psql's `FETCH_COUNT` prints), so a huge
/// result cannot exhaust memory. Smaller results print exactly as psql.
pub const BUFFER_BUDGET: usize = 16 * 1024 * 1024;

/// A result under way.
pub struct Table {
    pub(super) headers: Vec<String>,
    pub(super) aligns: Vec<Align>,
    pub(super) types: Vec<u32>,
    pub(super) rows: Vec<Vec<Option<String>>>,
    /// Rows already printed by earlier chunks.
    pub(super) printed: u64,
    /// Memory the buffered rows hold, roughly.
    pub(super) bytes: usize,
    /// Past [`BUFFER_BUDGET`]: printed in chunks from now on.
    pub(super) chunked: bool,
}

impl Table {
    /// Adds a row, counting what it holds.
    pub(super) fn push(&mut self, cells: Vec<Option<String>>) {
        self.bytes += 24
            + cells
                .iter()
                .map(|c| 32 + c.as_ref().map_or(0, String::len))
                .sum::<usize>();
        self.rows.push(cells);
    }

    /// An empty result with these columns.
    pub(super) fn new(columns: &[Column]) -> Self {
        let types: Vec<u32> = columns
            .iter()
            .map(|c| c.pg_type().map_or(0, |t| t.oid))
            .collect();
        Table {
            headers: columns.iter().map(|c| c.name().to_owned()).collect(),
            aligns: types.iter().map(|&oid| align_for(oid)).collect(),
            types,
            rows: Vec::new(),
            printed: 0,
            bytes: 0,
            chunked: false,
        }
    }

    /// Prints the rows gathered so far (they are moved out) as `part` of
    /// the table.
    pub(super) fn print(
        &mut self,
        out: &mut dyn Write,
        popt: &PrintOptions,
        part: Part,
    ) -> io::Result<()> {
        let n = self.rows.len() as u64;
        self.bytes = 0;
        let written = if popt.format == Format::Json {
            let text = self.json_lines();
            self.rows.clear();
            out.write_all(text.as_bytes())
        } else {
            let printable = self.print_table();
            print_table(out, &printable, popt, part)
        };
        self.printed += n;
        written
    }

    /// cor4's `json` format with the columns' types: booleans as `true` and
    /// `false`, json and jsonb values embedded, numbers unquoted.
    fn json_lines(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            let mut text = String::from("{");
            for (j, name) in self.headers.iter().enumerate() {
                if j > 0 {
                    text.push(',');
                }
                text.push_str(&serde_json::Value::from(name.as_str()).to_string());
                text.push(':');
                let oid = self.types.get(j).copied().unwrap_or(0);
                match row.get(j).and_then(Option::as_deref) {
                    None => text.push_str("null"),
                    Some(v) if oid == pgtext::oid::BOOL => {
                        text.push_str(if v == "t" { "true" } else { "false" });
                    }
                    Some(v) if oid == pgtext::oid::JSON || oid == pgtext::oid::JSONB => {
                        text.push_str(v);
                    }
                    Some(v) if align_for(oid) == Align::Right && is_json_number(v) => {
                        text.push_str(v);
                    }
                    Some(v) => text.push_str(&serde_json::Value::from(v).to_string()),
                }
            }
            text.push_str("}\n");
            out.push_str(&text);
        }
        out
    }

    /// The rows gathered so far as a table to print; they are moved out.
    pub(super) fn print_table(&mut self) -> PrintTable {
        PrintTable {
            title: None,
            headers: self.headers.clone(),
            aligns: self.aligns.clone(),
            cells: std::mem::take(&mut self.rows),
            footers: None,
        }
    }
}

/// psql's `column_type_alignment`: numbers right, the rest left.
pub fn align_for(oid: u32) -> Align {
    use pgtext::oid::*;
    const XID: u32 = 28;
    const CID: u32 = 29;
    const MONEY: u32 = 790;
    const XID8: u32 = 5069;
    match oid {
        INT2 | INT4 | INT8 | FLOAT4 | FLOAT8 | NUMERIC | OID | XID | XID8 | CID | MONEY => {
            Align::Right
        }
        _ => Align::Left,
    }
}

/// Whether a format's layout depends on rows not yet seen (column widths).
pub(super) fn needs_all_rows(opts: &PrintOptions) -> bool {
    matches!(opts.format, Format::Aligned | Format::Wrapped)
        || (opts.expanded != Expanded::Off && opts.format == Format::Aligned)
}

/// Query output for the length of one query: the shell's output, through
/// a pager on a terminal.
pub enum Sink {
    /// Straight to the output.
    Direct(QueryOutput),
    /// Through a pager gate (a terminal).
    Paged(Pager<QueryOutput>),
}

impl Sink {
    pub(super) fn new(out: QueryOutput, mode: PagerMode, min_lines: usize) -> Self {
        let terminal = out.is_stdout() && io::stdout().is_terminal();
        if !terminal || mode == PagerMode::Off {
            return Sink::Direct(out);
        }
        let Some(command) = pager_command() else {
            return Sink::Direct(out);
        };
        let threshold = match mode {
            PagerMode::Always => 0,
            _ => terminal_height().max(min_lines),
        };
        Sink::Paged(Pager::new(out, threshold, Some(command)))
    }

    pub(super) fn finish(self) -> (QueryOutput, io::Result<()>) {
        match self {
            Sink::Direct(mut out) => {
                let r = out.flush();
                (out, r)
            }
            Sink::Paged(p) => p.finish(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Direct(w) => w.write(buf),
            Sink::Paged(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Direct(w) => w.write_all(buf),
            Sink::Paged(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Direct(w) => w.flush(),
            Sink::Paged(w) => w.flush(),
        }
    }
}

/// Puts the query output back into the shell.
pub(super) fn restore(shell: &mut Shell, sink: Sink) {
    let (out, _) = sink.finish();
    shell.out = out;
}

/// `\gset`: the one row's columns into variables (NULL unsets).
pub(super) fn gset(shell: &mut Shell, prefix: &str, table: &Table) -> bool {
    match table.rows.len() {
        0 => {
            shell.log_error("no rows returned for \\gset");
            return false;
        }
        1 => {}
        _ => {
            shell.log_error("more than one row returned for \\gset");
            return false;
        }
    }
    for (name, value) in table.headers.iter().zip(&table.rows[0]) {
        let name = format!("{prefix}{name}");
        if crate::vars::Vars::gset_protected(&name) {
            shell.log_warning(&format!(
                "attempt to \\gset into specially treated variable \"{name}\" ignored"
            ));
            continue;
        }
        let set = match value {
            Some(v) => shell.vars.set(&name, v),
            None => shell.vars.unset(&name),
        };
        if let Err(message) = set {
            shell.log_error(&message);
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_right_aligned_as_psql_does() {
        for oid in [20, 21, 23, 26, 28, 29, 700, 701, 790, 1700, 5069] {
            assert_eq!(align_for(oid), Align::Right, "{oid}");
        }
        for oid in [16, 25, 1082, 1114, 2950, 0] {
            assert_eq!(align_for(oid), Align::Left, "{oid}");
        }
    }
}
