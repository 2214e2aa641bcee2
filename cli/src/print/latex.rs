//! The `latex` (`tabular`) and `latex-longtable` formats.
//!
//! Text is escaped for LaTeX (`\#`, `\$`, `\%`, `\&`, `\textless{}`,
//! `\textgreater{}`, `\textbackslash{}`, `\^{}`, `\_`, `\{`, `\textbar{}`,
//! `\}`, `\~{}`; a newline becomes `\\`). Both accept border 0 to 3 (3
//! draws a line under every row); larger values act as 3.
//!
//! `latex-longtable` prints no footer at all. Its `tableattr` gives the
//! widths of left-aligned columns as fractions of `\textwidth`, separated
//! by whitespace; columns past the last width reuse it. Both print
//! expanded output as the same two-column `tabular`, where border 3 acts
//! as 2.

use super::Align;
use super::content::Content;

/// Appends `s` escaped for LaTeX.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '#' => out.push_str("\\#"),
            '$' => out.push_str("\\$"),
            '%' => out.push_str("\\%"),
            '&' => out.push_str("\\&"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '^' => out.push_str("\\^{}"),
            '_' => out.push_str("\\_"),
            '{' => out.push_str("\\{"),
            '|' => out.push_str("\\textbar{}"),
            '}' => out.push_str("\\}"),
            '~' => out.push_str("\\~{}"),
            '\n' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
}

/// The column type letter psql writes for an alignment.
pub(super) fn letter(align: Align) -> char {
    match align {
        Align::Left => 'l',
        Align::Right => 'r',
    }
}

fn title(c: &Content<'_>, out: &mut String) {
    if let (Some(title), false) = (c.title, c.opts.tuples_only) {
        out.push_str("\\begin{center}\n");
        escape(out, title);
        out.push_str("\n\\end{center}\n\n");
    }
}

fn end_tabular<I>(out: &mut String, footers: Option<I>, tuples_only: bool)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    out.push_str("\\end{tabular}\n\n\\noindent ");
    if let (Some(footers), false) = (footers, tuples_only) {
        for f in footers {
            escape(out, f.as_ref());
            out.push_str(" \\\\\n");
        }
    }
    out.push('\n');
}

/// Prints `c` as a LaTeX `tabular`.
pub(super) fn print(c: &Content<'_>, out: &mut String) {
    let border = c.opts.border.min(3);
    let ncols = c.ncols();
    let tuples_only = c.opts.tuples_only;
    if c.part.start {
        title(c, out);
        out.push_str("\\begin{tabular}{");
        if border >= 2 {
            out.push_str("| ");
        }
        for (j, &align) in c.aligns.iter().enumerate() {
            out.push(letter(align));
            if border != 0 && j + 1 < ncols {
                out.push_str(" | ");
            }
        }
        if border >= 2 {
            out.push_str(" |");
        }
        out.push_str("}\n");
        if !tuples_only && border >= 2 {
            out.push_str("\\hline\n");
        }
        if !tuples_only {
            for (i, h) in c.headers.iter().enumerate() {
                if i > 0 {
                    out.push_str(" & ");
                }
                out.push_str("\\textit{");
                escape(out, h);
                out.push('}');
            }
            out.push_str(" \\\\\n\\hline\n");
        }
    }
    for row in c.rows() {
        for (j, value) in row.iter().enumerate() {
            if j > 0 {
                out.push_str(" & ");
            }
            escape(out, value);
        }
        out.push_str(" \\\\\n");
        if border == 3 {
            out.push_str("\\hline\n");
        }
    }
    if c.part.stop {
        if border == 2 {
            out.push_str("\\hline\n");
        }
        end_tabular(out, c.footers(), tuples_only);
    }
}

/// The column spec of `latex-longtable`, `tableattr` widths applied.
fn longtable_columns(c: &Content<'_>, out: &mut String, border: u8) {
    let ncols = c.ncols();
    let mut widths = c
        .opts
        .tableattr
        .as_deref()
        .map(|a| a.split([' ', '\t', '\n']).filter(|w| !w.is_empty()));
    let mut last: Option<&str> = None;
    for (j, &align) in c.aligns.iter().enumerate() {
        match widths.as_mut().filter(|_| align == Align::Left) {
            Some(ws) => match ws.next().or(last) {
                Some(w) => {
                    out.push_str("p{");
                    out.push_str(w);
                    out.push_str("\\textwidth}");
                    last = Some(w);
                }
                None => out.push('l'),
            },
            None => out.push(letter(align)),
        }
        if border != 0 && j + 1 < ncols {
            out.push_str(" | ");
        }
    }
}

fn longtable_headers(c: &Content<'_>, out: &mut String) {
    for (i, h) in c.headers.iter().enumerate() {
        if i > 0 {
            out.push_str(" & ");
        }
        out.push_str("\\small\\textbf{\\textit{");
        escape(out, h);
        out.push_str("}}");
    }
    out.push_str(" \\\\\n");
}

/// Prints `c` as a LaTeX `longtable`.
pub(super) fn print_longtable(c: &Content<'_>, out: &mut String) {
    let border = c.opts.border.min(3);
    if c.part.start {
        out.push_str("\\begin{longtable}{");
        if border >= 2 {
            out.push_str("| ");
        }
        longtable_columns(c, out, border);
        if border >= 2 {
            out.push_str(" |");
        }
        out.push_str("}\n");
        if !c.opts.tuples_only {
            // The head of the first page, then of the following pages.
            if border >= 2 {
                out.push_str("\\toprule\n");
            }
            longtable_headers(c, out);
            out.push_str("\\midrule\n\\endfirsthead\n");
            if border >= 2 {
                out.push_str("\\toprule\n");
            }
            longtable_headers(c, out);
            if border != 3 {
                out.push_str("\\midrule\n");
            }
            out.push_str("\\endhead\n");
            if let Some(title) = c.title {
                for (foot, continued) in [("endfoot", " (Continued)"), ("endlastfoot", "")] {
                    if border == 2 {
                        out.push_str("\\bottomrule\n");
                    }
                    out.push_str("\\caption[");
                    escape(out, title);
                    out.push_str(continued);
                    out.push_str("]{");
                    escape(out, title);
                    out.push_str("}\n\\");
                    out.push_str(foot);
                    out.push('\n');
                }
            } else if border >= 2 {
                out.push_str("\\bottomrule\n\\endfoot\n\\bottomrule\n\\endlastfoot\n");
            }
        }
    }
    for row in c.rows() {
        for (j, value) in row.iter().enumerate() {
            if j > 0 {
                out.push_str("\n&\n");
            }
            out.push_str("\\raggedright{");
            escape(out, value);
            out.push('}');
        }
        out.push_str(" \\tabularnewline\n");
        if border == 3 {
            out.push_str(" \\hline\n");
        }
    }
    if c.part.stop {
        out.push_str("\\end{longtable}\n");
    }
}

/// Prints `c` as an expanded LaTeX `tabular` (both LaTeX formats).
pub(super) fn print_vertical(c: &Content<'_>, out: &mut String) {
    let border = c.opts.border.min(2);
    let tuples_only = c.opts.tuples_only;
    if c.part.start {
        title(c, out);
        out.push_str(match border {
            0 => "\\begin{tabular}{cl}\n",
            1 => "\\begin{tabular}{c|l}\n",
            _ => "\\begin{tabular}{|c|l|}\n",
        });
    }
    let mut record = c.part.prior_records.saturating_add(1);
    for row in c.rows() {
        if !tuples_only {
            if border == 2 {
                out.push_str("\\hline\n");
                out.push_str(&format!(
                    "\\multicolumn{{2}}{{|c|}}{{\\textit{{Record {record}}}}} \\\\\n"
                ));
            } else {
                out.push_str(&format!(
                    "\\multicolumn{{2}}{{c}}{{\\textit{{Record {record}}}}} \\\\\n"
                ));
            }
            record = record.saturating_add(1);
        }
        if border >= 1 {
            out.push_str("\\hline\n");
        }
        for (header, value) in c.headers.iter().zip(row) {
            escape(out, header);
            out.push_str(" & ");
            escape(out, value);
            out.push_str(" \\\\\n");
        }
    }
    if c.part.stop {
        if border == 2 {
            out.push_str("\\hline\n");
        }
        end_tabular(out, c.custom_footers(), tuples_only);
    }
}
