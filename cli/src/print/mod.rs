//! Printing tables the way psql 15 prints them, byte for byte, in every
//! format `\pset` offers.
//!
//! ```text
//!  PrintTable (title, headers, alignments, cells, footers)
//!      + PrintOptions (\pset: format, border, expanded, linestyle, …)
//!      + Part (first/last chunk of a result printed in pieces)
//!  ──print_table──▶ any io::Write
//! ```
//!
//! The shell builds a [`PrintTable`] from a query result (or a `\d`
//! listing) and prints it with the session's [`PrintOptions`]. A result too
//! large to hold (or `FETCH_COUNT`) is printed in several calls: the first
//! with [`Part::start`], the last with [`Part::stop`], as psql's
//! `start_table` / `stop_table`. Each chunk is laid out on its own (an
//! aligned chunk takes the widths of its own rows, as in psql), and the
//! last one's `(N rows)` counts [`Part::prior_records`] too.
//!
//! | file | what |
//! |---|---|
//! | `content.rs` | the table as every format sees it: NULL text, digit grouping, default footer |
//! | `text.rs`, `width_table.rs` | display widths, lines, escapes of control characters |
//! | `linestyle.rs` | ascii, old-ascii and unicode rules |
//! | `aligned.rs` | aligned and wrapped tables, `expanded auto` |
//! | `vertical.rs` | expanded aligned and wrapped output |
//! | `unaligned.rs`, `csv.rs`, `html.rs`, `asciidoc.rs`, `latex.rs`, `troff.rs` | the other psql formats, normal and expanded |
//! | `json.rs` | cor4's own JSON lines |
//! | `tests/` | psql 15.18's output for ~2,900 cases, and the corpus tables |
//!
//! `numericlocale` groups the integer digits of right-aligned values by
//! three with `,`: psql takes separators from the C library's locale, and
//! this is what it prints under the C and C.UTF-8 locales, the only ones
//! cor4 reproduces.

mod aligned;
mod asciidoc;
mod content;
mod csv;
mod html;
mod json;
mod latex;
mod linestyle;
mod text;
mod troff;
mod unaligned;
mod vertical;
mod width_table;

pub use json::is_json_number;
pub use text::char_width;

#[cfg(test)]
mod tests;

use std::io::{self, Write};

use content::Content;

/// How a column's cells are aligned (psql: `l`, `r`, `c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left (text and most types).
    Left,
    /// Right (numbers: int2/4/8, float4/8, numeric, oid, xid, xid8, cid,
    /// money).
    Right,
}

/// One table to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintTable {
    /// The table's own title (`\d` listings: `Table "public.t"`); `None`
    /// uses [`PrintOptions::title`].
    pub title: Option<String>,
    /// Column names.
    pub headers: Vec<String>,
    /// One alignment per column.
    pub aligns: Vec<Align>,
    /// Rows of cells; `None` is SQL NULL, printed as [`PrintOptions::null`].
    pub cells: Vec<Vec<Option<String>>>,
    /// `None`: psql's default footer, `(N rows)`, subject to
    /// [`PrintOptions::default_footer`]. `Some(lines)`: these footer lines
    /// instead (the `\d` listings' "Indexes:" and the like), printed even
    /// with `\pset footer off`; an empty list prints none. Expanded output
    /// prints only these, never `(N rows)` (except `(0 rows)` for an
    /// empty result printed whole).
    pub footers: Option<Vec<String>>,
}

/// `\pset format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The default.
    #[default]
    Aligned,
    /// `-A`.
    Unaligned,
    /// Aligned, wrapping long values to fit [`PrintOptions::columns`].
    Wrapped,
    /// `--csv`.
    Csv,
    /// `-H`.
    Html,
    /// AsciiDoc.
    Asciidoc,
    /// LaTeX `tabular`.
    Latex,
    /// LaTeX `longtable`.
    LatexLongtable,
    /// troff `-ms` tbl.
    TroffMs,
    /// cor4's own: one JSON object per row and line, `{"name":value,…}`.
    /// Values are the cells' text as JSON strings and NULL is `null`; in a
    /// right-aligned column a value that is a valid JSON number is written
    /// unquoted. No header, title or footer; `numericlocale`, `expanded`
    /// and `tuples_only` change nothing.
    Json,
}

/// `\pset linestyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineStyle {
    /// `ascii` (the default).
    #[default]
    Ascii,
    /// `old-ascii`.
    OldAscii,
    /// `unicode`.
    Unicode,
}

/// `\pset unicode_*_linestyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnicodeLine {
    /// `single` (the default).
    #[default]
    Single,
    /// `double`.
    Double,
}

/// `\pset expanded` / `\x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expanded {
    /// Normal tables.
    #[default]
    Off,
    /// One record per block of `column | value` lines.
    On,
    /// Expanded when an aligned or wrapped table of two or more columns
    /// would be wider than the target width ([`PrintOptions::columns`],
    /// else [`PrintOptions::terminal_columns`]); never without a target.
    /// Other formats print normally.
    Auto,
}

/// Everything `\pset` (and `-A`, `-t`, `-x`, `-F`, `-R`, `-z`, `-0`, `-H`,
/// `-T`, `-P`) sets that changes printed output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintOptions {
    /// The format.
    pub format: Format,
    /// 0, 1 (default) or 2. Aligned, wrapped and troff-ms treat more as
    /// 2; latex and latex-longtable accept 3 (a rule under every row);
    /// html writes the number as given; asciidoc draws neither frame nor
    /// grid above 2.
    pub border: u8,
    /// Expanded display.
    pub expanded: Expanded,
    /// `tuples_only`: no header, title or footer.
    pub tuples_only: bool,
    /// `footer`: print the default `(N rows)` footer. Custom footers
    /// ([`PrintTable::footers`]) print either way, as in psql.
    pub default_footer: bool,
    /// `\pset title` for tables without one of their own.
    pub title: Option<String>,
    /// The unaligned field separator; `None` is `fieldsep_zero` (a zero
    /// byte).
    pub fieldsep: Option<String>,
    /// The unaligned record separator; `None` is `recordsep_zero`.
    pub recordsep: Option<String>,
    /// `csv_fieldsep`, one byte.
    pub csv_fieldsep: char,
    /// How NULL prints.
    pub null: String,
    /// `tableattr`: HTML `<table>` attributes, LaTeX longtable column
    /// widths.
    pub tableattr: Option<String>,
    /// `numericlocale`: digit grouping in right-aligned numeric columns.
    pub numericlocale: bool,
    /// `\pset linestyle`.
    pub linestyle: LineStyle,
    /// `unicode_border_linestyle`.
    pub unicode_border: UnicodeLine,
    /// `unicode_column_linestyle`.
    pub unicode_column: UnicodeLine,
    /// `unicode_header_linestyle`.
    pub unicode_header: UnicodeLine,
    /// `\pset columns`: the width wrapped and auto-expanded output aim for;
    /// 0 means the terminal's width when printing to a terminal, else none.
    pub columns: usize,
    /// The terminal's width (psql: `$COLUMNS`, else the tty's) when
    /// printing to a terminal or pager; `None` otherwise.
    pub terminal_columns: Option<usize>,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            format: Format::Aligned,
            border: 1,
            expanded: Expanded::Off,
            tuples_only: false,
            default_footer: true,
            title: None,
            fieldsep: Some("|".to_owned()),
            recordsep: Some("\n".to_owned()),
            csv_fieldsep: ',',
            null: String::new(),
            tableattr: None,
            numericlocale: false,
            linestyle: LineStyle::Ascii,
            unicode_border: UnicodeLine::Single,
            unicode_column: UnicodeLine::Single,
            unicode_header: UnicodeLine::Single,
            columns: 0,
            terminal_columns: None,
        }
    }
}

/// Which part of a table a call prints, for results printed in chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The first chunk: print the title and the header.
    pub start: bool,
    /// The last chunk: print the footer.
    pub stop: bool,
    /// Records printed by earlier chunks (expanded mode numbers records
    /// on from there).
    pub prior_records: u64,
}

impl Part {
    /// A table printed in one call.
    pub const WHOLE: Part = Part {
        start: true,
        stop: true,
        prior_records: 0,
    };
}

impl PrintOptions {
    /// The width wrapped and auto-expanded output aim for; 0 for none.
    fn target_width(&self) -> usize {
        if self.columns > 0 {
            self.columns
        } else {
            self.terminal_columns.unwrap_or(0)
        }
    }
}

/// Prints `table` (or one chunk of it) as psql would with `opts`.
///
/// The chunk is laid out in memory and written with one `write_all`. A
/// row shorter than the headers is padded with NULLs and cells past the
/// last header are ignored.
///
/// psql's pager is the caller's business, but one pager rule changes
/// output. When psql prints a `FETCH_COUNT` result to stdout and the first
/// chunk is full, it treats every chunk as going to a pager, terminal or
/// not: `expanded auto` then prints expanded, and the target width is
/// `$COLUMNS` or the terminal's even when `\pset columns` is 0. A caller
/// doing the same passes [`Expanded::On`] and sets
/// [`PrintOptions::terminal_columns`].
pub fn print_table<W: Write + ?Sized>(
    out: &mut W,
    table: &PrintTable,
    opts: &PrintOptions,
    part: Part,
) -> io::Result<()> {
    let mut buf = String::new();
    let out_buf = &mut buf;
    let c = || Content::new(table, opts, part);
    match (opts.format, opts.expanded == Expanded::On) {
        (Format::Json, _) => json::print(table, out_buf),
        (Format::Aligned | Format::Wrapped, false) => aligned::print(&c(), out_buf),
        (Format::Aligned | Format::Wrapped, true) => vertical::print(&c(), out_buf),
        (Format::Unaligned, false) => unaligned::print(&c(), out_buf),
        (Format::Unaligned, true) => unaligned::print_vertical(&c(), out_buf),
        (Format::Csv, false) => csv::print(&c(), out_buf),
        (Format::Csv, true) => csv::print_vertical(&c(), out_buf),
        (Format::Html, false) => html::print(&c(), out_buf),
        (Format::Html, true) => html::print_vertical(&c(), out_buf),
        (Format::Asciidoc, false) => asciidoc::print(&c(), out_buf),
        (Format::Asciidoc, true) => asciidoc::print_vertical(&c(), out_buf),
        (Format::Latex, false) => latex::print(&c(), out_buf),
        (Format::LatexLongtable, false) => latex::print_longtable(&c(), out_buf),
        (Format::Latex | Format::LatexLongtable, true) => latex::print_vertical(&c(), out_buf),
        (Format::TroffMs, false) => troff::print(&c(), out_buf),
        (Format::TroffMs, true) => troff::print_vertical(&c(), out_buf),
    }
    out.write_all(buf.as_bytes())
}
