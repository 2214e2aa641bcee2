//! The `aligned` and `wrapped` formats: psql's boxed table.
//!
//! ```text
//!  border 0     border 1     border 2
//!  a b           a | b       +---+---+
//!  - -          ---+---      | a | b |
//!  1 x           1 | x       +---+---+
//!  (1 row)      (1 row)      | 1 | x |
//!                            +---+---+
//!                            (1 row)
//! ```
//!
//! Every table ends with an empty line. Column widths are those of the
//! widest header or cell (of this chunk, when a result is printed in
//! pieces). Headers are centred, cells of
//! right-aligned columns padded on the left. A value with newlines takes
//! several lines, marked `+` (`↵` in unicode) at the right of every line
//! but its last. `wrapped` narrows the columns whose widest value is far
//! above their average until the table fits `\pset columns` (or the
//! terminal), and breaks values at that width, marked `.` (`…`).
//!
//! In `expanded auto` mode this is where psql decides: a table of more than
//! one column that is wider than the target width is printed expanded
//! instead.

use super::content::Content;
use super::linestyle::{Rule, Style, style};
use super::text::{Line, fit, lines, measure, pad};
use super::{Expanded, Format, vertical};

/// Where a column's next display line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// A new value, or nothing.
    None,
    /// The rest of a line broken at the column width.
    Wrap,
    /// The next line of a value with newlines.
    Newline,
}

/// The column widths psql computes before printing.
struct Widths {
    /// Each column's printed width (after `wrapped` narrowing).
    wrap: Vec<usize>,
    /// The table's width with these widths.
    total: usize,
    /// The table's width if every column were only as wide as its header.
    total_header: usize,
}

/// Prints `c` as an aligned (or wrapped) table, or expanded when `expanded
/// auto` says so.
pub(super) fn print(c: &Content<'_>, out: &mut String) {
    let style = style(c.opts);
    let border = c.opts.border.min(2);
    let target = c.opts.target_width();
    let widths = widths(c, border, target);

    if c.opts.expanded == Expanded::Auto
        && target > 0
        && c.ncols() > 1
        && (target < widths.total_header || target < widths.total)
    {
        vertical::print(c, out);
        return;
    }

    if c.part.start {
        if let (Some(title), false) = (c.title, c.opts.tuples_only) {
            let (width, _) = measure(title);
            if width < widths.total {
                pad(out, (widths.total - width) / 2);
            }
            out.push_str(title);
            out.push('\n');
        }
        if !c.opts.tuples_only {
            if border == 2 {
                rule(out, &widths.wrap, border, &style.top);
            }
            headers(c, out, &style, border, &widths);
            rule(out, &widths.wrap, border, &style.middle);
        }
    }

    let mut marks = vec![Mark::None; c.ncols()];
    for row in c.rows() {
        let cells: Vec<Vec<Line>> = row.iter().map(|v| lines(v)).collect();
        print_row(c, out, &style, border, &widths.wrap, &cells, &mut marks);
    }

    if c.part.stop {
        if border == 2 {
            rule(out, &widths.wrap, border, &style.bottom);
        }
        if let (Some(footers), false) = (c.footers(), c.opts.tuples_only) {
            for f in footers {
                out.push_str(&f);
                out.push('\n');
            }
        }
        out.push('\n');
    }
}

fn widths(c: &Content<'_>, border: u8, target: usize) -> Widths {
    let ncols = c.ncols();
    let header: Vec<usize> = c.headers.iter().map(|h| measure(h).0).collect();
    let mut max = header.clone();
    let mut sum = vec![0usize; ncols];
    for row in c.rows() {
        for (j, cell) in row.iter().enumerate() {
            let (w, _) = measure(cell);
            max[j] = max[j].max(w);
            sum[j] += w;
        }
    }
    let rows = c.cells.len().checked_div(ncols).unwrap_or(0);
    let average: Vec<usize> = sum
        .iter()
        .map(|s| s.checked_div(rows).unwrap_or(0))
        .collect();

    let frame = match border {
        0 => ncols,
        1 => (ncols * 3).saturating_sub(1),
        _ => ncols * 3 + 1,
    };
    let mut total = frame + max.iter().sum::<usize>();
    let total_header = frame + header.iter().sum::<usize>();
    let mut wrap = max.clone();

    if c.opts.format == Format::Wrapped && target > 0 && target >= total_header {
        // Narrow, one column at a time, the column whose widest value is
        // furthest above its average (slightly favouring wide columns),
        // never below its header.
        while total > target {
            let mut worst = None;
            let mut worst_ratio = 0.0;
            for j in 0..ncols {
                if average[j] != 0 && wrap[j] > header[j] {
                    let ratio = wrap[j] as f64 / average[j] as f64 + max[j] as f64 * 0.01;
                    if ratio > worst_ratio {
                        worst_ratio = ratio;
                        worst = Some(j);
                    }
                }
            }
            let Some(j) = worst else { break };
            wrap[j] -= 1;
            total -= 1;
        }
    }
    Widths {
        wrap,
        total,
        total_header,
    }
}

/// A horizontal rule across columns of `widths`.
pub(super) fn rule(out: &mut String, widths: &[usize], border: u8, r: &Rule) {
    match border {
        1 => out.push_str(r.h),
        2 => {
            out.push_str(r.left);
            out.push_str(r.h);
        }
        _ => {}
    }
    for (i, &w) in widths.iter().enumerate() {
        out.push_str(&r.h.repeat(w));
        if i + 1 < widths.len() {
            if border == 0 {
                out.push(' ');
            } else {
                out.push_str(r.h);
                out.push_str(r.mid);
                out.push_str(r.h);
            }
        }
    }
    match border {
        1 => out.push_str(r.h),
        2 => {
            out.push_str(r.h);
            out.push_str(r.right);
        }
        _ => {}
    }
    out.push('\n');
}

/// The header lines: names centred, multi-line names marked.
fn headers(c: &Content<'_>, out: &mut String, style: &Style, border: u8, widths: &Widths) {
    let ncols = c.ncols();
    let names: Vec<Vec<Line>> = c.headers.iter().map(|h| lines(h)).collect();
    let mut done = vec![false; ncols];
    let mut left = ncols;
    let mut n = 0;
    while left > 0 {
        if border == 2 {
            out.push_str(style.data.left);
        }
        for (i, name) in names.iter().enumerate() {
            if border != 0 || (!style.wrap_right_border && i > 0) {
                out.push_str(if n > 0 { style.header_nl_left } else { " " });
            }
            match name.get(n).filter(|_| !done[i]) {
                Some(line) => {
                    let spare = widths.wrap[i].saturating_sub(line.width);
                    pad(out, spare / 2);
                    out.push_str(&line.text);
                    pad(out, spare.div_ceil(2));
                    if n + 1 >= name.len() {
                        done[i] = true;
                        left -= 1;
                    }
                }
                None => pad(out, widths.wrap[i]),
            }
            if border != 0 || style.wrap_right_border {
                out.push_str(if done[i] { " " } else { style.header_nl_right });
            }
            if border != 0 && i + 1 < ncols {
                out.push_str(style.data.mid);
            }
        }
        n += 1;
        if border == 2 {
            out.push_str(style.data.right);
        }
        out.push('\n');
    }
}

/// One row: as many display lines as its tallest (or most wrapped) value.
fn print_row(
    c: &Content<'_>,
    out: &mut String,
    style: &Style,
    border: u8,
    widths: &[usize],
    cells: &[Vec<Line>],
    marks: &mut [Mark],
) {
    let ncols = cells.len();
    let mut line_no = vec![0usize; ncols];
    let mut offset = vec![0usize; ncols];
    loop {
        let mut more = false;
        if border == 2 {
            out.push_str(style.data.left);
        }
        for j in 0..ncols {
            let width = widths[j];
            let not_last = j + 1 < ncols;
            let final_spaces = border == 2 || not_last;
            let right = c.right(j);
            if border != 0 {
                out.push_str(match marks[j] {
                    Mark::Wrap => style.wrap_left,
                    Mark::Newline => style.nl_left,
                    Mark::None => " ",
                });
            }
            let mut used = width;
            match cells[j].get(line_no[j]) {
                None => {
                    if final_spaces {
                        pad(out, width);
                    }
                }
                Some(line) => {
                    let rest = &line.text[offset[j]..];
                    let (bytes, w) = fit(rest, width);
                    used = w.min(width);
                    if right {
                        pad(out, width - used);
                    }
                    out.push_str(&rest[..bytes]);
                    offset[j] += bytes;
                    if offset[j] < line.text.len() {
                        more = true;
                    } else {
                        line_no[j] += 1;
                        offset[j] = 0;
                        if line_no[j] < cells[j].len() {
                            more = true;
                        }
                    }
                }
            }
            marks[j] = if line_no[j] >= cells[j].len() {
                Mark::None
            } else if offset[j] != 0 {
                Mark::Wrap
            } else if line_no[j] != 0 {
                Mark::Newline
            } else {
                Mark::None
            };
            if !right && (final_spaces || marks[j] != Mark::None) {
                pad(out, width - used);
            }
            match marks[j] {
                Mark::Wrap => out.push_str(style.wrap_right),
                Mark::Newline => out.push_str(style.nl_right),
                Mark::None if final_spaces => out.push(' '),
                Mark::None => {}
            }
            if border != 0 && not_last {
                out.push_str(match marks[j + 1] {
                    Mark::Wrap => style.midvrule_wrap,
                    Mark::Newline => style.midvrule_nl,
                    Mark::None if line_no[j + 1] >= cells[j + 1].len() => style.midvrule_blank,
                    Mark::None => style.data.mid,
                });
            }
        }
        if border == 2 {
            out.push_str(style.data.right);
        }
        out.push('\n');
        if !more {
            break;
        }
    }
}
