//! Cell text as psql lays it out on a terminal: display widths, the split
//! into lines, and the escapes psql prints for control characters.
//!
//! psql never prints a control character raw in aligned output. Per line
//! of a value (values split at `\n`):
//!
//! | character | printed as | width |
//! |---|---|---|
//! | tab | spaces up to the next multiple of 8 columns | 1–8 |
//! | `\r` | the two characters `\r` | 2 |
//! | other ASCII control (U+0001–U+001F, U+007F) | `\x01` … (upper-case hex) | 4 |
//! | C1 control (U+0080–U+009F) | `\u0085` … | 6 |
//! | anything else | itself | 0, 1 or 2 ([`super::width_table`]) |
//!
//! Before that, psql drops the code points its UTF-8 check rejects
//! (U+1FFFE, U+1FFFF, … U+10FFFF: the last two of every plane above the
//! first) from headers and cells, and a C string ends at a zero byte; see
//! [`validate`].

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::Write as _;

use super::width_table::{DOUBLE_WIDTH, ZERO_WIDTH};

/// One display line of a value, after escaping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// The text to print.
    pub text: String,
    /// Its display width.
    pub width: usize,
}

/// The width psql gives `c`, or `None` for a control character (which it
/// escapes rather than prints).
pub fn char_width(c: char) -> Option<usize> {
    let cp = u32::from(c);
    if cp < 0x20 || (0x7f..0xa0).contains(&cp) {
        None
    } else if in_ranges(ZERO_WIDTH, cp) {
        Some(0)
    } else if in_ranges(DOUBLE_WIDTH, cp) {
        Some(2)
    } else {
        Some(1)
    }
}

fn in_ranges(ranges: &[(u32, u32)], cp: u32) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                Ordering::Less
            } else if lo > cp {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// What psql's encoding check leaves of a header or cell: the text up to
/// any zero byte, without the code points U+nFFFE and U+nFFFF of planes 1
/// to 16 (psql's UTF-8 validator rejects those and silently skips them).
pub(super) fn validate(s: &str) -> Cow<'_, str> {
    // Only a zero byte or a four-byte sequence (lead byte 0xF0 and up) can
    // change anything: most text passes in one scan of its bytes.
    if s.bytes().all(|b| b != 0 && b < 0xF0) {
        return Cow::Borrowed(s);
    }
    let s = match s.find('\0') {
        Some(end) => &s[..end],
        None => s,
    };
    if s.chars().any(rejected) {
        Cow::Owned(s.chars().filter(|&c| !rejected(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

fn rejected(c: char) -> bool {
    let cp = u32::from(c);
    cp >= 0x1_0000 && cp & 0xfffe == 0xfffe
}

/// The width of the widest line of `s` and its number of lines, as psql
/// measures a value before laying out a table.
pub(super) fn measure(s: &str) -> (usize, usize) {
    let mut widest = 0;
    let mut height = 1;
    let mut width = 0;
    for c in s.chars() {
        match c {
            '\n' => {
                widest = widest.max(width);
                width = 0;
                height += 1;
            }
            _ => width += escaped_width(c, width),
        }
    }
    (widest.max(width), height)
}

/// How many columns `c` takes when it starts at column `at` of its line.
fn escaped_width(c: char, at: usize) -> usize {
    match c {
        '\t' => 8 - at % 8,
        '\r' => 2,
        _ => match char_width(c) {
            Some(w) => w,
            None if c.is_ascii() => 4,
            None => 6,
        },
    }
}

/// `s` split into display lines, control characters escaped.
pub(super) fn lines(s: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut width = 0;
    for c in s.chars() {
        match c {
            '\n' => {
                out.push(Line {
                    text: std::mem::take(&mut text),
                    width,
                });
                width = 0;
            }
            '\t' => {
                let w = escaped_width(c, width);
                text.extend(std::iter::repeat_n(' ', w));
                width += w;
            }
            '\r' => {
                text.push_str("\\r");
                width += 2;
            }
            _ => {
                match char_width(c) {
                    Some(_) => text.push(c),
                    // Writing to a String cannot fail.
                    None if c.is_ascii() => {
                        let _ = write!(text, "\\x{:02X}", u32::from(c));
                    }
                    None => {
                        let _ = write!(text, "\\u{:04X}", u32::from(c));
                    }
                }
                width += escaped_width(c, width);
            }
        }
    }
    out.push(Line { text, width });
    out
}

/// The longest start of an escaped line `s` that fits in `target`
/// columns, as (bytes, width). The first character is always taken, even
/// when it alone is wider than `target`; characters of width 0 that follow
/// a full prefix are taken too.
pub(super) fn fit(s: &str, target: usize) -> (usize, usize) {
    let mut width = 0;
    for (at, c) in s.char_indices() {
        // Escaped text holds no control characters; count one as 0 if
        // a caller passes one anyway.
        let w = char_width(c).unwrap_or(0);
        if width != 0 && width + w > target {
            return (at, width);
        }
        width += w;
    }
    (s.len(), width)
}

/// `n` spaces.
pub(super) fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A number with its integer digits grouped by three with `,`, which is
/// what psql's `numericlocale` prints under the C and C.UTF-8 locales
/// (their `localeconv()` gives no thousands separator and no grouping, and
/// psql then falls back to `,` and 3). Text that is not made only of
/// digits, signs, `.`, `e` and `E` (`NaN`, `Infinity`, money with its
/// currency sign) is left as it is.
pub(super) fn group_digits(s: &str) -> Cow<'_, str> {
    if !s.bytes().all(|b| b"0123456789+-.eE".contains(&b)) {
        return Cow::Borrowed(s);
    }
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'-' | b'+') => s.split_at(1),
        _ => ("", s),
    };
    let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if int_len <= 3 {
        return Cow::Borrowed(s);
    }
    let (int, tail) = rest.split_at(int_len);
    let mut out = String::with_capacity(s.len() + int_len / 3);
    out.push_str(sign);
    for (i, d) in int.chars().enumerate() {
        if i != 0 && (int_len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out.push_str(tail);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        let got = lines("a\tb\r\u{1}\u{85}é\n漢x");
        assert_eq!(got[0].text, "a       b\\r\\x01\\u0085é");
        assert_eq!(got[0].width, 8 + 1 + 2 + 4 + 6 + 1);
        assert_eq!(got[1].text, "漢x");
        assert_eq!(got[1].width, 3);
        assert_eq!(measure("a\tb\r\u{1}\u{85}é\n漢x"), (22, 2));
    }

    #[test]
    fn tabs_stop_every_eight_columns_of_the_line() {
        assert_eq!(lines("abcdefgh\tx")[0].width, 17);
        assert_eq!(lines("x\ny\tz")[1].text, "y       z");
    }

    #[test]
    fn fit_takes_at_least_one_character() {
        assert_eq!(fit("漢字", 1), (3, 2));
        assert_eq!(fit("ab\u{301}c", 2), (4, 2));
        assert_eq!(fit("abc", 5), (3, 3));
        assert_eq!(fit("", 3), (0, 0));
    }

    #[test]
    fn validate_drops_what_psql_drops() {
        assert_eq!(validate("a\u{1fffe}b\u{10ffff}c\u{fffe}"), "abc\u{fffe}");
        assert_eq!(validate("ab\0cd"), "ab");
    }

    #[test]
    fn numbers_are_grouped_by_three() {
        assert_eq!(group_digits("1234567.891"), "1,234,567.891");
        assert_eq!(group_digits("-12345"), "-12,345");
        assert_eq!(group_digits("123"), "123");
        assert_eq!(group_digits("+1000e10"), "+1,000e10");
        assert_eq!(group_digits("NaN"), "NaN");
        assert_eq!(group_digits("$1,234.00"), "$1,234.00");
    }
}
