//! `\pset` and its shorthands (`\a`, `\t`, `\f`, `\H`, `\C`, `\T`, `\x`),
//! with psql 15's option names, abbreviations, messages and quirks (a
//! Boolean option set to a value prints nothing; toggling it prints the
//! new state).

use std::io::Write;

use super::{Cmd, CmdStatus};
use crate::print::{Expanded, Format, LineStyle, PrintOptions, UnicodeLine};
use crate::scan::slash::ArgKind;
use crate::shell::PagerMode;
use crate::vars::parse_bool;

/// The settings `\pset` changes.
pub struct Pset<'a> {
    /// The print options.
    pub popt: &'a mut PrintOptions,
    /// `pager`.
    pub pager: &'a mut PagerMode,
    /// `pager_min_lines`.
    pub pager_min_lines: &'a mut usize,
}

/// Every option, in the order `\pset` without arguments lists them.
const LISTED: &[&str] = &[
    "border",
    "columns",
    "csv_fieldsep",
    "expanded",
    "fieldsep",
    "fieldsep_zero",
    "footer",
    "format",
    "linestyle",
    "null",
    "numericlocale",
    "pager",
    "pager_min_lines",
    "recordsep",
    "recordsep_zero",
    "tableattr",
    "title",
    "tuples_only",
    "unicode_border_linestyle",
    "unicode_column_linestyle",
    "unicode_header_linestyle",
];

/// Runs the command if it is one of these.
pub(super) fn dispatch(cmd: &mut Cmd<'_>, name: &str) -> Option<CmdStatus> {
    let known = matches!(
        name,
        "pset" | "a" | "t" | "f" | "H" | "html" | "C" | "T" | "x"
    );
    if !known {
        return None;
    }
    if !cmd.active {
        cmd.ignore_options();
        return Some(CmdStatus::Skip);
    }
    let (param, value) = match name {
        "pset" => {
            let Some(param) = cmd.arg(ArgKind::Normal, false) else {
                list(cmd);
                return Some(CmdStatus::Skip);
            };
            (param, cmd.arg(ArgKind::Normal, false))
        }
        "a" => {
            let next = if cmd.shell.popt.format == Format::Aligned {
                "unaligned"
            } else {
                "aligned"
            };
            ("format".to_owned(), Some(next.to_owned()))
        }
        "H" | "html" => {
            let next = if cmd.shell.popt.format == Format::Html {
                "aligned"
            } else {
                "html"
            };
            ("format".to_owned(), Some(next.to_owned()))
        }
        "t" => ("tuples_only".to_owned(), cmd.arg(ArgKind::Normal, true)),
        "x" => ("expanded".to_owned(), cmd.arg(ArgKind::Normal, true)),
        "f" => ("fieldsep".to_owned(), cmd.arg(ArgKind::Normal, false)),
        "C" => ("title".to_owned(), cmd.arg(ArgKind::Normal, true)),
        _ => ("tableattr".to_owned(), cmd.arg(ArgKind::Normal, false)),
    };
    let quiet = cmd.shell.quiet();
    let shell = &mut *cmd.shell;
    let mut target = Pset {
        popt: &mut shell.popt,
        pager: &mut shell.pager,
        pager_min_lines: &mut shell.pager_min_lines,
    };
    Some(match do_pset(&mut target, &param, value.as_deref()) {
        Ok(Some(info)) if !quiet => {
            let _ = shell.out.flush();
            println!("{info}");
            CmdStatus::Skip
        }
        Ok(_) => CmdStatus::Skip,
        Err(message) => cmd.fail(&message),
    })
}

/// `\pset` alone: every option and its value.
fn list(cmd: &mut Cmd<'_>) {
    let shell = &mut *cmd.shell;
    let mut text = String::new();
    for name in LISTED {
        let value = value_string(name, &shell.popt, shell.pager, shell.pager_min_lines);
        text.push_str(&format!("{name:<24} {value}\n"));
    }
    let _ = shell.out.flush();
    print!("{text}");
}

/// psql's `pset_quoted_string`.
fn quoted(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Aligned => "aligned",
        Format::Unaligned => "unaligned",
        Format::Wrapped => "wrapped",
        Format::Csv => "csv",
        Format::Html => "html",
        Format::Asciidoc => "asciidoc",
        Format::Latex => "latex",
        Format::LatexLongtable => "latex-longtable",
        Format::TroffMs => "troff-ms",
        Format::Json => "json",
    }
}

fn line_style_name(l: LineStyle) -> &'static str {
    match l {
        LineStyle::Ascii => "ascii",
        LineStyle::OldAscii => "old-ascii",
        LineStyle::Unicode => "unicode",
    }
}

fn unicode_name(u: UnicodeLine) -> &'static str {
    match u {
        UnicodeLine::Single => "single",
        UnicodeLine::Double => "double",
    }
}

fn pager_number(p: PagerMode) -> u8 {
    match p {
        PagerMode::Off => 0,
        PagerMode::On => 1,
        PagerMode::Always => 2,
    }
}

/// psql's `pset_value_string`.
fn value_string(name: &str, p: &PrintOptions, pager: PagerMode, min_lines: usize) -> String {
    match name {
        "border" => p.border.to_string(),
        "columns" => p.columns.to_string(),
        "csv_fieldsep" => quoted(&p.csv_fieldsep.to_string()),
        "expanded" => match p.expanded {
            Expanded::Off => "off",
            Expanded::On => "on",
            Expanded::Auto => "auto",
        }
        .to_owned(),
        "fieldsep" => quoted(p.fieldsep.as_deref().unwrap_or("")),
        "fieldsep_zero" => on_off(p.fieldsep.is_none()).to_owned(),
        "footer" => on_off(p.default_footer).to_owned(),
        "format" => format_name(p.format).to_owned(),
        "linestyle" => line_style_name(p.linestyle).to_owned(),
        "null" => quoted(&p.null),
        "numericlocale" => on_off(p.numericlocale).to_owned(),
        "pager" => pager_number(pager).to_string(),
        "pager_min_lines" => min_lines.to_string(),
        "recordsep" => quoted(p.recordsep.as_deref().unwrap_or("")),
        "recordsep_zero" => on_off(p.recordsep.is_none()).to_owned(),
        "tableattr" => p.tableattr.as_deref().map(quoted).unwrap_or_default(),
        "title" => p.title.as_deref().map(quoted).unwrap_or_default(),
        "tuples_only" => on_off(p.tuples_only).to_owned(),
        "unicode_border_linestyle" => unicode_name(p.unicode_border).to_owned(),
        "unicode_column_linestyle" => unicode_name(p.unicode_column).to_owned(),
        "unicode_header_linestyle" => unicode_name(p.unicode_header).to_owned(),
        _ => String::new(),
    }
}

/// C's `atoi`: leading digits with an optional sign; 0 when none.
fn atoi(s: &str) -> i64 {
    let s = s.trim_start();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s.strip_prefix('+').unwrap_or(s)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse::<i64>().map_or(0, |n| sign * n)
}

/// Whether `value` abbreviates `word` (case-insensitive, psql's
/// `pg_strncasecmp(word, value, strlen(value)) == 0`).
fn abbreviates(value: &str, word: &str) -> bool {
    value.len() <= word.len() && word[..value.len()].eq_ignore_ascii_case(value)
}

fn bool_value(value: &str, param: &str) -> Result<bool, String> {
    parse_bool(value)
        .ok_or_else(|| format!("unrecognized value \"{value}\" for \"{param}\": Boolean expected"))
}

fn enum_error(param: &str, value: &str, allowed: &str) -> String {
    format!("unrecognized value \"{value}\" for \"{param}\"\nAvailable values are: {allowed}.")
}

fn unicode_line(value: &str) -> Option<UnicodeLine> {
    if abbreviates(value, "single") {
        Some(UnicodeLine::Single)
    } else if abbreviates(value, "double") {
        Some(UnicodeLine::Double)
    } else {
        None
    }
}

/// psql's `do_pset`: sets `param` (a value of `None` toggles or resets,
/// as psql does per option) and returns the line psql prints about it
/// unless quiet (`None` where psql prints nothing).
pub fn do_pset(
    t: &mut Pset<'_>,
    param: &str,
    value: Option<&str>,
) -> Result<Option<String>, String> {
    let p = &mut *t.popt;
    match param {
        "format" => {
            if let Some(v) = value {
                const FORMATS: &[(&str, Format)] = &[
                    ("aligned", Format::Aligned),
                    ("asciidoc", Format::Asciidoc),
                    ("csv", Format::Csv),
                    ("html", Format::Html),
                    ("json", Format::Json),
                    ("latex", Format::Latex),
                    ("troff-ms", Format::TroffMs),
                    ("unaligned", Format::Unaligned),
                    ("wrapped", Format::Wrapped),
                ];
                let mut found: Option<(&str, Format)> = None;
                for &(name, format) in FORMATS {
                    if abbreviates(v, name) {
                        if let Some((first, _)) = found {
                            return Err(format!(
                                "\\pset: ambiguous abbreviation \"{v}\" matches both \"{first}\" and \"{name}\""
                            ));
                        }
                        found = Some((name, format));
                    }
                }
                p.format = match found {
                    Some((_, f)) => f,
                    None if abbreviates(v, "latex-longtable") => Format::LatexLongtable,
                    None => {
                        return Err("\\pset: allowed formats are aligned, asciidoc, csv, html, json, latex, latex-longtable, troff-ms, unaligned, wrapped".to_owned());
                    }
                };
            }
        }
        "linestyle" => {
            if let Some(v) = value {
                p.linestyle = if abbreviates(v, "ascii") {
                    LineStyle::Ascii
                } else if abbreviates(v, "old-ascii") {
                    LineStyle::OldAscii
                } else if abbreviates(v, "unicode") {
                    LineStyle::Unicode
                } else {
                    return Err(
                        "\\pset: allowed line styles are ascii, old-ascii, unicode".to_owned()
                    );
                };
            }
        }
        "unicode_border_linestyle" | "unicode_column_linestyle" | "unicode_header_linestyle" => {
            if let Some(v) = value {
                let which = &param["unicode_".len()..param.len() - "_linestyle".len()];
                let Some(style) = unicode_line(v) else {
                    return Err(format!(
                        "\\pset: allowed Unicode {which} line styles are single, double"
                    ));
                };
                match which {
                    "border" => p.unicode_border = style,
                    "column" => p.unicode_column = style,
                    _ => p.unicode_header = style,
                }
            }
        }
        "border" => {
            if let Some(v) = value {
                p.border = u8::try_from(atoi(v).clamp(0, 255)).unwrap_or(u8::MAX);
            }
        }
        "x" | "expanded" | "vertical" => {
            p.expanded = match value {
                Some(v) if v.eq_ignore_ascii_case("auto") => Expanded::Auto,
                Some(v) => match parse_bool(v) {
                    Some(true) => Expanded::On,
                    Some(false) => Expanded::Off,
                    None => return Err(enum_error(param, v, "on, off, auto")),
                },
                None if p.expanded == Expanded::Off => Expanded::On,
                None => Expanded::Off,
            };
        }
        "csv_fieldsep" => {
            if let Some(v) = value {
                if v.len() != 1 {
                    return Err(
                        "\\pset: csv_fieldsep must be a single one-byte character".to_owned()
                    );
                }
                if matches!(v, "\"" | "\n" | "\r") {
                    return Err("\\pset: csv_fieldsep cannot be a double quote, a newline, or a carriage return".to_owned());
                }
                p.csv_fieldsep = v.chars().next().unwrap_or(',');
            }
        }
        "numericlocale" | "t" | "tuples_only" | "footer" => {
            let field = match param {
                "numericlocale" => &mut p.numericlocale,
                "footer" => &mut p.default_footer,
                _ => &mut p.tuples_only,
            };
            match value {
                // psql returns before printing anything here.
                Some(v) => {
                    *field = bool_value(v, param)?;
                    return Ok(None);
                }
                None => *field = !*field,
            }
        }
        "null" => {
            if let Some(v) = value {
                p.null = v.to_owned();
            }
        }
        "fieldsep" => {
            if let Some(v) = value {
                p.fieldsep = Some(v.to_owned());
            }
        }
        "fieldsep_zero" => p.fieldsep = None,
        "recordsep" => {
            if let Some(v) = value {
                p.recordsep = Some(v.to_owned());
            }
        }
        "recordsep_zero" => p.recordsep = None,
        "C" | "title" => p.title = value.map(str::to_owned),
        "T" | "tableattr" => p.tableattr = value.map(str::to_owned),
        "pager" => {
            *t.pager = match value {
                Some(v) if v.eq_ignore_ascii_case("always") => PagerMode::Always,
                Some(v) => match parse_bool(v) {
                    Some(true) => PagerMode::On,
                    Some(false) => PagerMode::Off,
                    None => return Err(enum_error(param, v, "on, off, always")),
                },
                None if *t.pager == PagerMode::On => PagerMode::Off,
                None => PagerMode::On,
            };
        }
        "pager_min_lines" => {
            if let Some(v) = value {
                *t.pager_min_lines = usize::try_from(atoi(v)).unwrap_or(0);
            }
        }
        "columns" => {
            if let Some(v) = value {
                p.columns = usize::try_from(atoi(v)).unwrap_or(0);
            }
        }
        _ => return Err(format!("\\pset: unknown option: {param}")),
    }
    Ok(Some(info(t, param)))
}

/// psql's `printPsetInfo`.
fn info(t: &Pset<'_>, param: &str) -> String {
    let p = &*t.popt;
    match param {
        "border" => format!("Border style is {}.", p.border),
        "columns" if p.columns == 0 => "Target width is unset.".to_owned(),
        "columns" => format!("Target width is {}.", p.columns),
        "x" | "expanded" | "vertical" => match p.expanded {
            Expanded::On => "Expanded display is on.",
            Expanded::Auto => "Expanded display is used automatically.",
            Expanded::Off => "Expanded display is off.",
        }
        .to_owned(),
        "csv_fieldsep" => format!("Field separator for CSV is \"{}\".", p.csv_fieldsep),
        "fieldsep" | "fieldsep_zero" => match &p.fieldsep {
            None => "Field separator is zero byte.".to_owned(),
            Some(s) => format!("Field separator is \"{s}\"."),
        },
        "footer" => format!("Default footer is {}.", on_off(p.default_footer)),
        "format" => format!("Output format is {}.", format_name(p.format)),
        "linestyle" => format!("Line style is {}.", line_style_name(p.linestyle)),
        "null" => format!("Null display is \"{}\".", p.null),
        "numericlocale" => format!(
            "Locale-adjusted numeric output is {}.",
            on_off(p.numericlocale)
        ),
        "pager" => match *t.pager {
            PagerMode::On => "Pager is used for long output.",
            PagerMode::Always => "Pager is always used.",
            PagerMode::Off => "Pager usage is off.",
        }
        .to_owned(),
        "pager_min_lines" => {
            let n = *t.pager_min_lines;
            format!(
                "Pager won't be used for less than {n} line{}.",
                if n == 1 { "" } else { "s" }
            )
        }
        "recordsep" | "recordsep_zero" => match p.recordsep.as_deref() {
            None => "Record separator is zero byte.".to_owned(),
            Some("\n") => "Record separator is <newline>.".to_owned(),
            Some(s) => format!("Record separator is \"{s}\"."),
        },
        "T" | "tableattr" => match &p.tableattr {
            Some(a) => format!("Table attributes are \"{a}\"."),
            None => "Table attributes unset.".to_owned(),
        },
        "C" | "title" => match &p.title {
            Some(title) => format!("Title is \"{title}\"."),
            None => "Title is unset.".to_owned(),
        },
        "t" | "tuples_only" => format!("Tuples only is {}.", on_off(p.tuples_only)),
        "unicode_border_linestyle" => format!(
            "Unicode border line style is \"{}\".",
            unicode_name(p.unicode_border)
        ),
        "unicode_column_linestyle" => format!(
            "Unicode column line style is \"{}\".",
            unicode_name(p.unicode_column)
        ),
        _ => format!(
            "Unicode header line style is \"{}\".",
            unicode_name(p.unicode_header)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(param: &str, value: Option<&str>) -> (PrintOptions, Result<Option<String>, String>) {
        let mut popt = PrintOptions::default();
        let mut pager = PagerMode::On;
        let mut min = 0;
        let mut t = Pset {
            popt: &mut popt,
            pager: &mut pager,
            pager_min_lines: &mut min,
        };
        let r = do_pset(&mut t, param, value);
        (popt, r)
    }

    #[test]
    fn formats_take_unambiguous_abbreviations() {
        let (p, r) = run("format", Some("l"));
        assert_eq!(
            (p.format, r),
            (Format::Latex, Ok(Some("Output format is latex.".into())))
        );
        let (p, _) = run("format", Some("latex-l"));
        assert_eq!(p.format, Format::LatexLongtable);
        let (_, r) = run("format", Some("a"));
        assert_eq!(
            r,
            Err(
                "\\pset: ambiguous abbreviation \"a\" matches both \"aligned\" and \"asciidoc\""
                    .into()
            )
        );
    }

    #[test]
    fn booleans_set_silently_and_toggle_loudly() {
        let (p, r) = run("footer", Some("off"));
        assert_eq!((p.default_footer, r), (false, Ok(None)));
        let (p, r) = run("t", None);
        assert_eq!(
            (p.tuples_only, r),
            (true, Ok(Some("Tuples only is on.".into())))
        );
        let (_, r) = run("expanded", Some("maybe"));
        assert_eq!(
            r,
            Err("unrecognized value \"maybe\" for \"expanded\"\nAvailable values are: on, off, auto.".into())
        );
    }

    #[test]
    fn listing_quotes_like_psql() {
        let p = PrintOptions::default();
        assert_eq!(value_string("recordsep", &p, PagerMode::On, 0), "'\\n'");
        assert_eq!(value_string("tableattr", &p, PagerMode::On, 0), "");
        assert_eq!(value_string("pager", &p, PagerMode::Always, 0), "2");
        assert_eq!(atoi("12abc"), 12);
        assert_eq!(atoi("x"), 0);
    }
}
