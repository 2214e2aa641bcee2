//! The `asciidoc` format: an AsciiDoc table (`|====`), the title as a
//! `.Title` line, footers in a literal block (`....`) after it.
//!
//! `|` in text is escaped as `\|`. A cell of only spaces and tabs prints
//! as nothing. The table always starts with an empty line; `border` picks
//! the frame and grid (0: none, 1: no frame, 2: all; 3 and up: neither
//! attribute). psql closes the table (`|====`) after every chunk of a
//! result but opens it only for the first.

use super::content::Content;

fn escape(out: &mut String, s: &str) {
    out.push_str(&s.replace('|', "\\|"));
}

fn blank(s: &str) -> bool {
    s.chars().all(|c| c == ' ' || c == '\t')
}

fn frame(out: &mut String, border: u8) {
    out.push_str(match border {
        0 => ",frame=\"none\",grid=\"none\"",
        1 => ",frame=\"none\"",
        2 => ",frame=\"all\",grid=\"all\"",
        _ => "",
    });
    out.push_str("]\n|====\n");
}

fn title(c: &Content<'_>, out: &mut String) {
    out.push('\n');
    if let (Some(title), false) = (c.title, c.opts.tuples_only) {
        out.push('.');
        out.push_str(title);
        out.push('\n');
    }
}

fn footers<I>(out: &mut String, footers: Option<I>, tuples_only: bool)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    if let (Some(footers), false) = (footers, tuples_only) {
        out.push_str("\n....\n");
        for f in footers {
            out.push_str(f.as_ref());
            out.push('\n');
        }
        out.push_str("....\n");
    }
}

fn align(c: &Content<'_>, j: usize) -> &'static str {
    if c.right(j) { ">l" } else { "<l" }
}

/// Prints `c` as an AsciiDoc table.
pub(super) fn print(c: &Content<'_>, out: &mut String) {
    let ncols = c.ncols();
    if c.part.start {
        title(c, out);
        out.push('[');
        if !c.opts.tuples_only {
            out.push_str("options=\"header\",");
        }
        out.push_str("cols=\"");
        for j in 0..ncols {
            if j > 0 {
                out.push(',');
            }
            out.push_str(align(c, j));
        }
        out.push('"');
        frame(out, c.opts.border);
        if !c.opts.tuples_only {
            for (i, h) in c.headers.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str("^l|");
                escape(out, h);
            }
            out.push('\n');
        }
    }
    for row in c.rows() {
        for (j, value) in row.iter().enumerate() {
            if j > 0 {
                out.push(' ');
            }
            out.push('|');
            if !blank(value) {
                escape(out, value);
            } else if j + 1 < ncols {
                out.push(' ');
            }
        }
        out.push('\n');
    }
    out.push_str("|====\n");
    if c.part.stop {
        footers(out, c.footers(), c.opts.tuples_only);
    }
}

/// Prints `c` as an expanded AsciiDoc table: a `Record N` row, then one
/// `name value` row per field.
pub(super) fn print_vertical(c: &Content<'_>, out: &mut String) {
    if c.part.start {
        title(c, out);
        out.push_str("[cols=\"h,l\"");
        frame(out, c.opts.border);
    }
    let mut record = c.part.prior_records.saturating_add(1);
    for row in c.rows() {
        if c.opts.tuples_only {
            out.push_str("2+|\n");
        } else {
            out.push_str(&format!("2+^|Record {record}\n"));
            record = record.saturating_add(1);
        }
        for (j, (header, value)) in c.headers.iter().zip(row).enumerate() {
            out.push_str("<l|");
            escape(out, header);
            out.push(' ');
            out.push_str(align(c, j));
            out.push('|');
            if blank(value) {
                out.push(' ');
            } else {
                escape(out, value);
            }
            out.push('\n');
        }
    }
    out.push_str("|====\n");
    if c.part.stop {
        footers(out, c.custom_footers(), c.opts.tuples_only);
    }
}
