//! The `troff-ms` format: a `tbl` table between `.TS` and `.TE` for the
//! `-ms` macros, the title in a centred display, footers in a left display
//! after it.
//!
//! Only `\` is escaped (as `\(rs`); fields are separated by tabs, so a tab
//! or newline in a value is printed as it is. Border 2 boxes the table;
//! larger values act as 2. Expanded, each record is a spanned `Record N`
//! row, then one `name<tab>value` row per field, switching `tbl` formats
//! with `.T&` as needed.

use super::content::Content;
use super::latex::letter;

fn escape(out: &mut String, s: &str) {
    out.push_str(&s.replace('\\', "\\(rs"));
}

fn open(c: &Content<'_>, out: &mut String, border: u8) {
    if let (Some(title), false) = (c.title, c.opts.tuples_only) {
        out.push_str(".LP\n.DS C\n");
        escape(out, title);
        out.push_str("\n.DE\n");
    }
    out.push_str(".LP\n.TS\n");
    out.push_str(if border == 2 {
        "center box;\n"
    } else {
        "center;\n"
    });
}

fn close<I>(out: &mut String, footers: Option<I>, tuples_only: bool)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    out.push_str(".TE\n.DS L\n");
    if let (Some(footers), false) = (footers, tuples_only) {
        for f in footers {
            escape(out, f.as_ref());
            out.push('\n');
        }
    }
    out.push_str(".DE\n");
}

/// Prints `c` as a troff `tbl` table.
pub(super) fn print(c: &Content<'_>, out: &mut String) {
    let border = c.opts.border.min(2);
    let ncols = c.ncols();
    if c.part.start {
        open(c, out, border);
        for (j, &align) in c.aligns.iter().enumerate() {
            out.push(letter(align));
            if border > 0 && j + 1 < ncols {
                out.push_str(" | ");
            }
        }
        out.push_str(".\n");
        if !c.opts.tuples_only {
            for (i, h) in c.headers.iter().enumerate() {
                if i > 0 {
                    out.push('\t');
                }
                out.push_str("\\fI");
                escape(out, h);
                out.push_str("\\fP");
            }
            out.push_str("\n_\n");
        }
    }
    for row in c.rows() {
        for (j, value) in row.iter().enumerate() {
            if j > 0 {
                out.push('\t');
            }
            escape(out, value);
        }
        out.push('\n');
    }
    if c.part.stop {
        close(out, c.footers(), c.opts.tuples_only);
    }
}

/// The `tbl` format in force while printing expanded records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// None yet.
    None,
    /// The spanned record header.
    Header,
    /// `name value` rows.
    Body,
}

/// Prints `c` as an expanded troff `tbl` table.
pub(super) fn print_vertical(c: &Content<'_>, out: &mut String) {
    let border = c.opts.border.min(2);
    let tuples_only = c.opts.tuples_only;
    let mut layout = Layout::Body;
    if c.part.start {
        open(c, out, border);
        if tuples_only {
            out.push_str("c l;\n");
        }
        layout = Layout::None;
    }
    let mut record = c.part.prior_records.saturating_add(1);
    for row in c.rows() {
        if !tuples_only {
            if layout != Layout::Header {
                if border == 2 && record > 1 {
                    out.push_str("_\n");
                }
                if layout != Layout::None {
                    out.push_str(".T&\n");
                }
                out.push_str("c s.\n");
                layout = Layout::Header;
            }
            out.push_str(&format!("\\fIRecord {record}\\fP\n"));
            record = record.saturating_add(1);
        }
        if border >= 1 {
            out.push_str("_\n");
        }
        for (header, value) in c.headers.iter().zip(row) {
            if !tuples_only && layout != Layout::Body {
                if layout != Layout::None {
                    out.push_str(".T&\n");
                }
                out.push_str(if border == 1 { "c | l.\n" } else { "c l.\n" });
                layout = Layout::Body;
            }
            escape(out, header);
            out.push('\t');
            escape(out, value);
            out.push('\n');
        }
    }
    if c.part.stop {
        close(out, c.custom_footers(), tuples_only);
    }
}
