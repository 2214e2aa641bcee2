//! The characters aligned tables are drawn with: `\pset linestyle` and the
//! three `unicode_*_linestyle` settings.
//!
//! ```text
//!  ┌──────┬──────┐  top rule       (unicode_border, unicode_column)
//!  │ a    │ b    │  data           (unicode_border, unicode_column)
//!  ├──────┼──────┤  middle rule    (unicode_header, its crossings with
//!  │ 1    │ 2    │                   the border and the column lines)
//!  └──────┴──────┘  bottom rule
//! ```

use super::{LineStyle, PrintOptions, UnicodeLine};

/// One kind of horizontal rule, or (for data lines) the vertical lines.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    /// The horizontal line (empty for data lines).
    pub h: &'static str,
    /// The left end (border 2).
    pub left: &'static str,
    /// Where a column line crosses.
    pub mid: &'static str,
    /// The right end (border 2).
    pub right: &'static str,
}

/// A complete line style.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    /// Above the header (border 2).
    pub top: Rule,
    /// Between the header and the data.
    pub middle: Rule,
    /// Below the data (border 2).
    pub bottom: Rule,
    /// The vertical lines of header and data lines.
    pub data: Rule,
    /// Column line beside a continued (newline) value.
    pub midvrule_nl: &'static str,
    /// Column line beside a wrapped value.
    pub midvrule_wrap: &'static str,
    /// Column line beside a value that has no more lines.
    pub midvrule_blank: &'static str,
    /// Left of a header's continuation line.
    pub header_nl_left: &'static str,
    /// Right of a header line that continues.
    pub header_nl_right: &'static str,
    /// Left of a value's continuation line.
    pub nl_left: &'static str,
    /// Right of a value line that continues after a newline.
    pub nl_right: &'static str,
    /// Left of a wrapped value's continuation.
    pub wrap_left: &'static str,
    /// Right of a value line that wraps.
    pub wrap_right: &'static str,
    /// Whether marks go in a column right of the last column with border 0.
    pub wrap_right_border: bool,
    /// `old-ascii`, which psql lays out a little differently.
    pub old_ascii: bool,
}

const ASCII_RULE: Rule = Rule {
    h: "-",
    left: "+",
    mid: "+",
    right: "+",
};

const ASCII_DATA: Rule = Rule {
    h: "",
    left: "|",
    mid: "|",
    right: "|",
};

const ASCII: Style = Style {
    top: ASCII_RULE,
    middle: ASCII_RULE,
    bottom: ASCII_RULE,
    data: ASCII_DATA,
    midvrule_nl: "|",
    midvrule_wrap: "|",
    midvrule_blank: "|",
    header_nl_left: " ",
    header_nl_right: "+",
    nl_left: " ",
    nl_right: "+",
    wrap_left: ".",
    wrap_right: ".",
    wrap_right_border: true,
    old_ascii: false,
};

const OLD_ASCII: Style = Style {
    midvrule_nl: ":",
    midvrule_wrap: ";",
    midvrule_blank: " ",
    header_nl_left: "+",
    header_nl_right: " ",
    nl_left: " ",
    nl_right: " ",
    wrap_left: " ",
    wrap_right: " ",
    wrap_right_border: false,
    old_ascii: true,
    ..ASCII
};

/// The outer frame, single and double: up-and-right, vertical,
/// down-and-right, horizontal, down-and-left, up-and-left.
const FRAMES: [[&str; 6]; 2] = [
    ["└", "│", "┌", "─", "┐", "┘"],
    ["╚", "║", "╔", "═", "╗", "╝"],
];

/// The header rule, single and double: its horizontal line, and its left
/// and right ends against a single or a double frame.
const HEADERS: [(&str, [&str; 2], [&str; 2]); 2] =
    [("─", ["├", "╟"], ["┤", "╢"]), ("═", ["╞", "╠"], ["╡", "╣"])];

type ColumnLines = (
    &'static str,
    [&'static str; 2],
    [&'static str; 2],
    [&'static str; 2],
);

/// A column line, single and double: its vertical, and where it crosses a
/// single or a double horizontal line: middle rule, bottom rule, top rule.
const COLUMNS: [ColumnLines; 2] = [
    ("│", ["┼", "╪"], ["┴", "╧"], ["┬", "╤"]),
    ("║", ["╫", "╬"], ["╨", "╩"], ["╥", "╦"]),
];

fn index(line: UnicodeLine) -> usize {
    match line {
        UnicodeLine::Single => 0,
        UnicodeLine::Double => 1,
    }
}

fn unicode(opts: &PrintOptions) -> Style {
    let b = index(opts.unicode_border);
    let h = index(opts.unicode_header);
    let [
        up_right,
        vertical,
        down_right,
        horizontal,
        down_left,
        up_left,
    ] = FRAMES[b];
    let (header_h, header_left, header_right) = HEADERS[h];
    let (column_v, column_cross, column_up, column_down) = COLUMNS[index(opts.unicode_column)];
    Style {
        top: Rule {
            h: horizontal,
            left: down_right,
            mid: column_down[b],
            right: down_left,
        },
        middle: Rule {
            h: header_h,
            left: header_left[b],
            mid: column_cross[h],
            right: header_right[b],
        },
        bottom: Rule {
            h: horizontal,
            left: up_right,
            mid: column_up[b],
            right: up_left,
        },
        data: Rule {
            h: "",
            left: vertical,
            mid: column_v,
            right: vertical,
        },
        midvrule_nl: column_v,
        midvrule_wrap: column_v,
        midvrule_blank: column_v,
        header_nl_left: " ",
        header_nl_right: "↵",
        nl_left: " ",
        nl_right: "↵",
        wrap_left: "…",
        wrap_right: "…",
        wrap_right_border: true,
        old_ascii: false,
    }
}

/// The style `opts` selects.
pub(super) fn style(opts: &PrintOptions) -> Style {
    match opts.linestyle {
        LineStyle::Ascii => ASCII,
        LineStyle::OldAscii => OLD_ASCII,
        LineStyle::Unicode => unicode(opts),
    }
}
