//! The `html` format (`-H`): a `<table>` with `border="N"` and the
//! `tableattr` attributes, the title as `<caption>`, footers in a `<p>`
//! after it.
//!
//! Text is escaped (`&amp;`, `&lt;`, `&gt;`, `&quot;`), newlines become
//! `<br />` plus a newline, and spaces before the first other character
//! become `&nbsp;`. A cell of nothing but spaces and tabs (or empty)
//! prints as `&nbsp; `. Expanded, each record is a `Record N` row spanning
//! two columns, then one `<th>`/`<td>` row per field.

use super::content::Content;

/// Appends `s` escaped for HTML.
pub(super) fn escape(out: &mut String, s: &str) {
    let mut leading = true;
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br />\n"),
            '"' => out.push_str("&quot;"),
            ' ' if leading => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
        if c != ' ' {
            leading = false;
        }
    }
}

fn blank(s: &str) -> bool {
    s.chars().all(|c| c == ' ' || c == '\t')
}

fn open_table(c: &Content<'_>, out: &mut String) {
    out.push_str(&format!("<table border=\"{}\"", c.opts.border));
    if let Some(attr) = &c.opts.tableattr {
        out.push(' ');
        out.push_str(attr);
    }
    out.push_str(">\n");
    if let (Some(title), false) = (c.title, c.opts.tuples_only) {
        out.push_str("  <caption>");
        escape(out, title);
        out.push_str("</caption>\n");
    }
}

fn cell(c: &Content<'_>, out: &mut String, j: usize, value: &str) {
    let align = if c.right(j) { "right" } else { "left" };
    out.push_str(&format!("    <td align=\"{align}\">"));
    if blank(value) {
        out.push_str("&nbsp; ");
    } else {
        escape(out, value);
    }
    out.push_str("</td>\n");
}

fn close_table<I>(out: &mut String, footers: Option<I>, tuples_only: bool)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    out.push_str("</table>\n");
    if let (Some(footers), false) = (footers, tuples_only) {
        out.push_str("<p>");
        for f in footers {
            escape(out, f.as_ref());
            out.push_str("<br />\n");
        }
        out.push_str("</p>");
    }
    out.push('\n');
}

/// Prints `c` as an HTML table.
pub(super) fn print(c: &Content<'_>, out: &mut String) {
    if c.part.start {
        open_table(c, out);
        if !c.opts.tuples_only {
            out.push_str("  <tr>\n");
            for h in &c.headers {
                out.push_str("    <th align=\"center\">");
                escape(out, h);
                out.push_str("</th>\n");
            }
            out.push_str("  </tr>\n");
        }
    }
    for row in c.rows() {
        out.push_str("  <tr valign=\"top\">\n");
        for (j, value) in row.iter().enumerate() {
            cell(c, out, j, value);
        }
        out.push_str("  </tr>\n");
    }
    if c.part.stop {
        close_table(out, c.footers(), c.opts.tuples_only);
    }
}

/// Prints `c` as an expanded HTML table.
pub(super) fn print_vertical(c: &Content<'_>, out: &mut String) {
    if c.part.start {
        open_table(c, out);
    }
    let mut record = c.part.prior_records.saturating_add(1);
    for row in c.rows() {
        if c.opts.tuples_only {
            out.push_str("\n  <tr><td colspan=\"2\">&nbsp;</td></tr>\n");
        } else {
            out.push_str(&format!(
                "\n  <tr><td colspan=\"2\" align=\"center\">Record {record}</td></tr>\n"
            ));
            record = record.saturating_add(1);
        }
        for (j, (header, value)) in c.headers.iter().zip(row).enumerate() {
            out.push_str("  <tr valign=\"top\">\n    <th>");
            escape(out, header);
            out.push_str("</th>\n");
            cell(c, out, j, value);
            out.push_str("  </tr>\n");
        }
    }
    if c.part.stop {
        close_table(out, c.custom_footers(), c.opts.tuples_only);
    }
}
