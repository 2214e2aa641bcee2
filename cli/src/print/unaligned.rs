//! The `unaligned` format (`-A`): fields joined by `fieldsep`, records by
//! `recordsep`, nothing padded or escaped.
//!
//! The last line ends with a newline whatever `recordsep` is, except with
//! `recordsep_zero`, where it ends with a zero byte (for `xargs -0`).
//! Expanded, each field is a `name<fieldsep>value` record and records are
//! separated by two record separators.

use super::content::Content;

/// Appends a separator: its text, or a zero byte for `None`.
fn separator(out: &mut String, sep: Option<&str>) {
    out.push_str(sep.unwrap_or("\0"));
}

/// Ends the output after the last record.
fn terminate(out: &mut String, recordsep: Option<&str>) {
    match recordsep {
        Some(_) => out.push('\n'),
        None => out.push('\0'),
    }
}

/// Prints `c` unaligned.
pub(super) fn print(c: &Content<'_>, out: &mut String) {
    let fieldsep = c.opts.fieldsep.as_deref();
    let recordsep = c.opts.recordsep.as_deref();
    let tuples_only = c.opts.tuples_only;
    let mut need_recordsep = !c.part.start;
    if c.part.start && !tuples_only {
        if let Some(title) = c.title {
            out.push_str(title);
            separator(out, recordsep);
        }
        for (i, h) in c.headers.iter().enumerate() {
            if i > 0 {
                separator(out, fieldsep);
            }
            out.push_str(h);
        }
        need_recordsep = true;
    }
    for row in c.rows() {
        if need_recordsep {
            separator(out, recordsep);
        }
        for (j, cell) in row.iter().enumerate() {
            if j > 0 {
                separator(out, fieldsep);
            }
            out.push_str(cell);
        }
        need_recordsep = true;
    }
    if c.part.stop {
        if let (Some(footers), false) = (c.footers(), tuples_only) {
            for f in footers {
                if need_recordsep {
                    separator(out, recordsep);
                }
                out.push_str(&f);
                need_recordsep = true;
            }
        }
        if need_recordsep {
            terminate(out, recordsep);
        }
    }
}

/// Prints `c` unaligned and expanded.
pub(super) fn print_vertical(c: &Content<'_>, out: &mut String) {
    let fieldsep = c.opts.fieldsep.as_deref();
    let recordsep = c.opts.recordsep.as_deref();
    let tuples_only = c.opts.tuples_only;
    let mut need_recordsep = !c.part.start;
    if c.part.start
        && let (Some(title), false) = (c.title, tuples_only)
    {
        out.push_str(title);
        need_recordsep = true;
    }
    for row in c.rows() {
        if need_recordsep {
            separator(out, recordsep);
            separator(out, recordsep);
        }
        for (j, (header, cell)) in c.headers.iter().zip(row).enumerate() {
            if j > 0 {
                separator(out, recordsep);
            }
            out.push_str(header);
            separator(out, fieldsep);
            out.push_str(cell);
        }
        need_recordsep = true;
    }
    if c.part.stop {
        if let (Some(footers), false) = (c.custom_footers(), tuples_only) {
            separator(out, recordsep);
            for f in footers {
                separator(out, recordsep);
                out.push_str(f);
            }
        }
        if need_recordsep {
            terminate(out, recordsep);
        }
    }
}
