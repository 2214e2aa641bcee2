//! `date`, `time`, `timestamp` and `timestamptz` in `DateStyle = ISO`.
//!
//! PostgreSQL prints years with at least four digits (`10000-01-01`), years
//! before 1 AD as `0044-03-15 BC` (with the suffix after the time and the
//! offset), fractional seconds with trailing zeros trimmed, and UTC offsets as
//! `+HH`, `+HH:MM` or `+HH:MM:SS` (local-mean-time zones before 1900 have
//! seconds). Parsing accepts exactly that canonical form, so for every
//! accepted text, rendering the value gives the text back.

use std::fmt::Write;

use super::TextError;
use crate::value::{Type, USECS_PER_DAY, civil_from_days, days_from_civil};

const USECS_PER_SEC: i64 = 1_000_000;
const USECS_PER_MINUTE: i64 = 60 * USECS_PER_SEC;
const USECS_PER_HOUR: i64 = 60 * USECS_PER_MINUTE;

/// Appends a date (days since 2000-01-01; `i32::MAX`/`MIN` are ±infinity).
pub(super) fn render_date(days: i32, out: &mut String) {
    match days {
        i32::MAX => out.push_str("infinity"),
        i32::MIN => out.push_str("-infinity"),
        _ => {
            let bc = push_date(i64::from(days), out);
            push_bc(bc, out);
        }
    }
}

/// Appends a time of day in µs. Values outside `0..=24h` (which PostgreSQL
/// cannot hold) print with a sign and an unbounded hour count.
pub(super) fn render_time(micros: i64, out: &mut String) {
    if micros < 0 {
        out.push('-');
    }
    push_time(micros.unsigned_abs(), out);
}

/// Appends a timestamp without time zone (µs; `i64::MAX`/`MIN` are ±infinity).
pub(super) fn render_timestamp(micros: i64, out: &mut String) {
    match micros {
        i64::MAX => out.push_str("infinity"),
        i64::MIN => out.push_str("-infinity"),
        _ => {
            let bc = push_date_time(i128::from(micros), out);
            push_bc(bc, out);
        }
    }
}

/// Appends a timestamp with time zone, shown at UTC offset `offset` seconds.
pub(super) fn render_timestamptz(micros: i64, offset: i32, out: &mut String) {
    match micros {
        i64::MAX => out.push_str("infinity"),
        i64::MIN => out.push_str("-infinity"),
        _ => {
            let local = i128::from(micros) + i128::from(offset) * i128::from(USECS_PER_SEC);
            let bc = push_date_time(local, out);
            push_offset(offset, out);
            push_bc(bc, out);
        }
    }
}

/// Writes `YYYY-MM-DD` for a day number; returns whether the year is BC.
fn push_date(days: i64, out: &mut String) -> bool {
    let (year, month, day) = civil_from_days(days);
    // Astronomical year 0 is 1 BC.
    let (year, bc) = if year <= 0 {
        (1 - year, true)
    } else {
        (year, false)
    };
    // Writing to a String cannot fail.
    let _ = write!(out, "{year:04}-{month:02}-{day:02}");
    bc
}

/// Writes `YYYY-MM-DD HH:MM:SS[.ffffff]` for local µs since 2000-01-01.
fn push_date_time(local: i128, out: &mut String) -> bool {
    let per_day = i128::from(USECS_PER_DAY);
    // |local| < 2^64 · 2, so the day count is far inside i64, and the time of
    // day is in 0..USECS_PER_DAY.
    let days = i64::try_from(local.div_euclid(per_day)).unwrap_or(0);
    let tod = u64::try_from(local.rem_euclid(per_day)).unwrap_or(0);
    let bc = push_date(days, out);
    out.push(' ');
    push_time(tod, out);
    bc
}

/// Writes `HH:MM:SS[.ffffff]`, trailing fraction zeros trimmed.
fn push_time(micros: u64, out: &mut String) {
    let (h, rest) = (micros / 3_600_000_000, micros % 3_600_000_000);
    let (m, rest) = (rest / 60_000_000, rest % 60_000_000);
    let (s, frac) = (rest / 1_000_000, rest % 1_000_000);
    let _ = write!(out, "{h:02}:{m:02}:{s:02}");
    if frac != 0 {
        let _ = write!(out, ".{frac:06}");
        while out.ends_with('0') {
            out.pop();
        }
    }
}

/// Writes a UTC offset as PostgreSQL's `EncodeTimezone` does.
fn push_offset(offset: i32, out: &mut String) {
    out.push(if offset >= 0 { '+' } else { '-' });
    let abs = offset.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    let _ = write!(out, "{h:02}");
    if s != 0 {
        let _ = write!(out, ":{m:02}:{s:02}");
    } else if m != 0 {
        let _ = write!(out, ":{m:02}");
    }
}

fn push_bc(bc: bool, out: &mut String) {
    if bc {
        out.push_str(" BC");
    }
}

/// Parses a date.
pub(super) fn parse_date(text: &[u8]) -> Result<i32, TextError> {
    const TY: Type = Type::Date;
    match text {
        b"infinity" => return Ok(i32::MAX),
        b"-infinity" => return Ok(i32::MIN),
        _ => {}
    }
    let mut c = Cursor::new(text, TY);
    let date = c.date()?;
    let days = c.finish_with_era(date)?;
    match i32::try_from(days) {
        Ok(d) if d != i32::MAX && d != i32::MIN => Ok(d),
        _ => Err(TextError::OutOfRange(TY)),
    }
}

/// Parses a time of day (`00:00:00` to `24:00:00`).
pub(super) fn parse_time(text: &[u8]) -> Result<i64, TextError> {
    let mut c = Cursor::new(text, Type::Time);
    let t = c.time(24)?;
    c.end()?;
    if t > USECS_PER_DAY {
        return Err(TextError::FieldOutOfRange(Type::Time));
    }
    Ok(t)
}

/// Parses a timestamp without time zone.
pub(super) fn parse_timestamp(text: &[u8]) -> Result<i64, TextError> {
    const TY: Type = Type::Timestamp;
    match text {
        b"infinity" => return Ok(i64::MAX),
        b"-infinity" => return Ok(i64::MIN),
        _ => {}
    }
    let mut c = Cursor::new(text, TY);
    let date = c.date()?;
    c.expect(b' ')?;
    let tod = c.time(23)?;
    let days = c.finish_with_era(date)?;
    local_to_micros(days, tod, 0, TY)
}

/// Parses a timestamp with time zone into (UTC µs, offset seconds east).
pub(super) fn parse_timestamptz(text: &[u8]) -> Result<(i64, i32), TextError> {
    const TY: Type = Type::TimestampTz;
    match text {
        b"infinity" => return Ok((i64::MAX, 0)),
        b"-infinity" => return Ok((i64::MIN, 0)),
        _ => {}
    }
    let mut c = Cursor::new(text, TY);
    let date = c.date()?;
    c.expect(b' ')?;
    let tod = c.time(23)?;
    let offset = c.offset()?;
    let days = c.finish_with_era(date)?;
    Ok((local_to_micros(days, tod, offset, TY)?, offset))
}

/// UTC µs from local date and time at `offset`, rejecting what does not fit
/// (and the two integers reserved for ±infinity).
fn local_to_micros(days: i64, tod: i64, offset: i32, ty: Type) -> Result<i64, TextError> {
    let utc = i128::from(days) * i128::from(USECS_PER_DAY) + i128::from(tod)
        - i128::from(offset) * i128::from(USECS_PER_SEC);
    match i64::try_from(utc) {
        Ok(v) if v != i64::MAX && v != i64::MIN => Ok(v),
        _ => Err(TextError::OutOfRange(ty)),
    }
}

/// A parsed `YYYY-MM-DD` before the era suffix is known.
struct Ymd {
    year: i64,
    month: u32,
    day: u32,
}

/// A position in the text being parsed; every failure is a [`TextError`]
/// naming the column type.
struct Cursor<'a> {
    rest: &'a [u8],
    ty: Type,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a [u8], ty: Type) -> Self {
        Cursor { rest: text, ty }
    }

    fn syntax(&self) -> TextError {
        TextError::Syntax(self.ty)
    }

    fn field(&self) -> TextError {
        TextError::FieldOutOfRange(self.ty)
    }

    fn eat(&mut self, b: u8) -> bool {
        match self.rest.split_first() {
            Some((&first, tail)) if first == b => {
                self.rest = tail;
                true
            }
            _ => false,
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), TextError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    fn end(&self) -> Result<(), TextError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    /// The run of ASCII digits at the cursor (possibly empty).
    fn digit_run(&mut self) -> &'a [u8] {
        let n = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (run, tail) = self.rest.split_at(n);
        self.rest = tail;
        run
    }

    /// Exactly two digits.
    fn two(&mut self) -> Result<u32, TextError> {
        match self.rest {
            [a @ b'0'..=b'9', b @ b'0'..=b'9', tail @ ..] => {
                self.rest = tail;
                Ok(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
            }
            _ => Err(self.syntax()),
        }
    }

    /// `YYYY-MM-DD`: four or more year digits (no leading zero past four),
    /// year ≥ 1, a real calendar day.
    fn date(&mut self) -> Result<Ymd, TextError> {
        let run = self.digit_run();
        // Nine digits keep the arithmetic far from overflow; the largest
        // representable date has seven.
        if run.len() < 4 || run.len() > 9 || (run.len() > 4 && run.first() == Some(&b'0')) {
            return Err(self.syntax());
        }
        let year = run
            .iter()
            .fold(0i64, |acc, &b| acc * 10 + i64::from(b - b'0'));
        self.expect(b'-')?;
        let month = self.two()?;
        self.expect(b'-')?;
        let day = self.two()?;
        // The exact month length waits for the era (`0001-02-29 BC` exists).
        if year == 0 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(self.field());
        }
        Ok(Ymd { year, month, day })
    }

    /// `HH:MM:SS[.f{1,6}]` as µs, the fraction without trailing zeros.
    /// `24:00:00` is allowed when `max_hour` is 24.
    fn time(&mut self, max_hour: u32) -> Result<i64, TextError> {
        let h = self.two()?;
        self.expect(b':')?;
        let m = self.two()?;
        self.expect(b':')?;
        let s = self.two()?;
        let mut frac: i64 = 0;
        if self.eat(b'.') {
            let run = self.digit_run();
            if run.is_empty() || run.len() > 6 || run.last() == Some(&b'0') {
                return Err(self.syntax());
            }
            let mut scale = 1_000_000;
            for &b in run {
                scale /= 10;
                frac += i64::from(b - b'0') * scale;
            }
        }
        if h > max_hour || m > 59 || s > 59 {
            return Err(self.field());
        }
        Ok(i64::from(h) * USECS_PER_HOUR
            + i64::from(m) * USECS_PER_MINUTE
            + i64::from(s) * USECS_PER_SEC
            + frac)
    }

    /// `+HH`, `+HH:MM` or `+HH:MM:SS` in canonical form: no `:00` tails and
    /// no `-00`.
    fn offset(&mut self) -> Result<i32, TextError> {
        let negative = if self.eat(b'+') {
            false
        } else if self.eat(b'-') {
            true
        } else {
            return Err(self.syntax());
        };
        let h = self.two()?;
        let (mut m, mut s) = (0, 0);
        if self.eat(b':') {
            m = self.two()?;
            if self.eat(b':') {
                s = self.two()?;
                if s == 0 {
                    return Err(self.syntax());
                }
            } else if m == 0 {
                return Err(self.syntax());
            }
        }
        if m > 59 || s > 59 {
            return Err(self.field());
        }
        // At most 99:59:59, well inside i32.
        let abs = i32::try_from(h * 3600 + m * 60 + s).map_err(|_| self.field())?;
        if negative && abs == 0 {
            return Err(self.syntax());
        }
        Ok(if negative { -abs } else { abs })
    }

    /// Reads the optional ` BC` and the end of the text; returns the day
    /// number of `date`.
    fn finish_with_era(&mut self, date: Ymd) -> Result<i64, TextError> {
        let bc = if self.rest == b" BC" {
            self.rest = &[];
            true
        } else {
            false
        };
        self.end()?;
        let year = if bc { 1 - date.year } else { date.year };
        // The leap-year rule for BC years is that of the astronomical year.
        if date.day > days_in_month(year, date.month) {
            return Err(self.field());
        }
        Ok(days_from_civil(year, date.month, date.day))
    }
}

/// Days in `month` of astronomical `year` (proleptic Gregorian).
fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
