//! Expanded `aligned` and `wrapped` output (`\x`): each record a block of
//! `column | value` lines under a record line.
//!
//! ```text
//!  border 0        border 1          border 2
//!  * Record 1      -[ RECORD 1 ]     +-[ RECORD 1 ]-+
//!  a 1             a | 1             | a | 1 |
//!  b x             b | x             | b | x |
//!                                    +---+---+
//! ```
//!
//! The value column is as wide as the widest value, even when the record
//! line is wider (psql 15 then prints a record line longer than the
//! block). `wrapped` sizes it to the target width instead (never below 3
//! columns nor the record line), or without a target at least to the
//! record line. A table with no rows prints only its footer,
//! `(0 rows)`; otherwise expanded output has no default footer, only custom
//! ones. Record numbers go on from [`super::Part::prior_records`].

use super::Format;
use super::content::Content;
use super::linestyle::{Rule, Style, style};
use super::text::{Line, fit, lines, measure, pad};

/// The sizes of the header and value columns.
struct Layout {
    hwidth: usize,
    dwidth: usize,
    hmultiline: bool,
    dmultiline: bool,
}

/// Prints `c` expanded.
pub(super) fn print(c: &Content<'_>, out: &mut String) {
    let style = style(c.opts);
    let border = c.opts.border.min(2);
    let tuples_only = c.opts.tuples_only;

    if c.cells.is_empty() && c.part.start && c.part.stop {
        if let (Some(footers), false) = (c.footers(), tuples_only) {
            for f in footers {
                out.push_str(&f);
                out.push('\n');
            }
        }
        out.push('\n');
        return;
    }

    if c.part.start
        && let (Some(title), false) = (c.title, tuples_only)
    {
        out.push_str(title);
        out.push('\n');
    }

    let layout = layout(c, &style, border);
    let old = style.old_ascii;
    let mut record = c.part.prior_records.saturating_add(1);
    for (i, row) in c.rows().enumerate() {
        let rule = if i == 0 { &style.top } else { &style.middle };
        let lhwidth = layout.hwidth + usize::from(border < 2 && layout.hmultiline && old);
        if !tuples_only {
            record_line(out, border, Some(record), lhwidth, layout.dwidth, rule);
            record = record.saturating_add(1);
        } else if i != 0 || !c.part.start || border == 2 {
            record_line(out, border, None, lhwidth, layout.dwidth, rule);
        }
        for (header, value) in c.headers.iter().zip(row) {
            field(out, &style, border, &layout, &lines(header), &lines(value));
        }
    }

    if c.part.stop {
        if border == 2 {
            let (h, d) = (layout.hwidth, layout.dwidth);
            record_line(out, border, None, h, d, &style.bottom);
        }
        if let (Some(footers), false) = (c.custom_footers(), tuples_only) {
            if border < 2 {
                out.push('\n');
            }
            for f in footers {
                out.push_str(f);
                out.push('\n');
            }
        }
        out.push('\n');
    }
}

fn layout(c: &Content<'_>, style: &Style, border: u8) -> Layout {
    let old = style.old_ascii;
    let (mut hwidth, mut dwidth) = (0, 0);
    let (mut hmultiline, mut dmultiline) = (false, false);
    for h in &c.headers {
        let (w, height) = measure(h);
        hwidth = hwidth.max(w);
        hmultiline |= height > 1;
    }
    for v in &c.cells {
        let (w, height) = measure(v);
        dwidth = dwidth.max(w);
        dmultiline |= height > 1;
    }

    if c.opts.format != Format::Wrapped {
        // psql 15 sizes only wrapped output: aligned output keeps the
        // widest value's width even when the record line is wider.
        return Layout {
            hwidth,
            dwidth,
            hmultiline,
            dmultiline,
        };
    }
    // Columns besides the header and value text: spacers, the column
    // line, and room for newline and wrap marks.
    let mut spacing = match border {
        0 => 1 + usize::from(hmultiline),
        1 => 3 + usize::from(hmultiline && old),
        _ => 7,
    };
    if dmultiline && border < 2 && !old {
        spacing += 1;
    }
    // The record line: "* Record ", "-[ RECORD  ]", "+-[ RECORD  ]-+" and
    // the digits of the chunk's row count.
    let record_width = if c.opts.tuples_only {
        0
    } else {
        let digits = if c.nrows > 0 {
            c.nrows.ilog10() as usize + 1
        } else {
            0
        };
        digits
            + match border {
                0 => 9,
                1 => 12,
                _ => 15,
            }
    };
    let target = c.opts.target_width();
    let new_dwidth = loop {
        let width = (hwidth + spacing + dwidth).max(record_width);
        let new = if target > 0 {
            let min_width = (hwidth + spacing + 3).max(record_width);
            if target >= width {
                width - hwidth - spacing
            } else if target < min_width {
                min_width - hwidth - spacing
            } else {
                target - hwidth - spacing
            }
        } else {
            width - hwidth - spacing
        };
        // Values that must wrap need a column for the marks too.
        if new < dwidth && !dmultiline && border < 2 && !old {
            dmultiline = true;
            spacing += 1;
        } else {
            break new;
        }
    };
    Layout {
        hwidth,
        dwidth: new_dwidth,
        hmultiline,
        dmultiline,
    }
}

/// A record line (`-[ RECORD 3 ]-----`), or a plain rule without a number.
fn record_line(
    out: &mut String,
    border: u8,
    record: Option<u64>,
    hwidth: usize,
    dwidth: usize,
    rule: &Rule,
) {
    let fill = if border > 0 { rule.h } else { " " };
    match border {
        2 => {
            out.push_str(rule.left);
            out.push_str(rule.h);
        }
        1 => out.push_str(rule.h),
        _ => {}
    }
    let label = match record {
        Some(n) if border == 0 => format!("* Record {n}"),
        Some(n) => format!("[ RECORD {n} ]"),
        None => String::new(),
    };
    out.push_str(&label);
    // How far the label reaches, counting the column after it unless the
    // border is drawn.
    let mut reach = label.len() + usize::from(border != 2);
    for _ in reach..hwidth {
        out.push_str(fill);
    }
    // The column line's position: three characters with a border, one
    // without; the label may already cover some of them.
    let mut over = reach.saturating_sub(hwidth);
    let separator: &[&str] = if border > 0 {
        &[rule.h, rule.mid, rule.h]
    } else {
        &[" "]
    };
    for s in separator {
        if over == 0 {
            out.push_str(s);
        } else {
            over -= 1;
        }
    }
    reach = over;
    for _ in reach..dwidth {
        out.push_str(fill);
    }
    if border == 2 {
        out.push_str(rule.h);
        out.push_str(rule.right);
    }
    out.push('\n');
}

/// One column of a record: the name and the value side by side, over as
/// many lines as either needs.
fn field(
    out: &mut String,
    style: &Style,
    border: u8,
    layout: &Layout,
    header: &[Line],
    value: &[Line],
) {
    let old = style.old_ascii;
    let Layout {
        hwidth,
        dwidth,
        hmultiline,
        dmultiline,
    } = *layout;
    let (mut hline, mut dline, mut offset) = (0, 0, 0);
    let (mut hdone, mut ddone) = (false, false);
    let mut remaining = value.first().map_or(0, |l| l.width);
    while !hdone || !ddone {
        if border == 2 {
            out.push_str(style.data.left);
        }
        match header.get(hline).filter(|_| !hdone) {
            Some(line) => {
                if border == 2 || (hmultiline && old) {
                    out.push_str(if hline > 0 { style.header_nl_left } else { " " });
                }
                out.push_str(&line.text);
                pad(out, hwidth.saturating_sub(line.width));
                let marks = border > 0 || (hmultiline && !old);
                if hline + 1 < header.len() {
                    if marks {
                        out.push_str(style.header_nl_right);
                    }
                    hline += 1;
                } else {
                    if marks {
                        out.push(' ');
                    }
                    hdone = true;
                }
            }
            None => {
                let width = hwidth
                    + usize::from(border)
                    + usize::from(border < 2 && hmultiline && old)
                    + usize::from(border == 0 && hmultiline && !old);
                // psql prints a one-space string padded to this width.
                pad(out, width.max(1));
            }
        }

        if border > 0 {
            out.push_str(if offset != 0 {
                style.midvrule_wrap
            } else if dline == 0 {
                style.data.mid
            } else {
                style.midvrule_nl
            });
        }

        match value.get(dline).filter(|_| !ddone) {
            Some(line) => {
                out.push_str(if offset == 0 { " " } else { style.wrap_left });
                let rest = &line.text[offset..];
                let (bytes, w) = fit(rest, dwidth);
                out.push_str(&rest[..bytes]);
                remaining = remaining.saturating_sub(w);
                offset += bytes;
                let spare = dwidth.saturating_sub(w);
                let marks = border > 1 || (dmultiline && !old);
                if remaining != 0 {
                    if marks {
                        pad(out, spare);
                        out.push_str(style.wrap_right);
                    }
                } else if dline + 1 < value.len() {
                    if marks {
                        pad(out, spare);
                        out.push_str(style.nl_right);
                    }
                    dline += 1;
                    offset = 0;
                    remaining = value[dline].width;
                } else {
                    if border > 1 {
                        pad(out, spare);
                        out.push(' ');
                    }
                    ddone = true;
                }
                if border == 2 {
                    out.push_str(style.data.right);
                }
                out.push('\n');
            }
            None => {
                if border == 2 {
                    pad(out, dwidth + 2);
                    out.push_str(style.data.right);
                }
                out.push('\n');
            }
        }
    }
}
