//! PostgreSQL's text forms of values: reading them from a server and printing
//! them as psql does.
//!
//! The proxy receives result values in PostgreSQL's text format (simple query
//! protocol) together with each column's type OID: [`type_for_oid`] picks the
//! wire [`Type`] and [`parse`] turns the text into a [`Value`] exactly — no
//! rounding, no truncation. The shell prints values with [`render`] /
//! [`to_text`], byte for byte what PostgreSQL 15 prints with its defaults
//! (`DateStyle = ISO`, `bytea_output = hex`, `extra_float_digits = 1`).
//!
//! ```text
//!   PostgreSQL text ──parse──▶ Value ──(Cor4 wire)──▶ Value ──render──▶ psql text
//! ```
//!
//! For every text PostgreSQL prints, `render(parse(text)) == text`; the two
//! exceptions are inherent in PostgreSQL's settings: bytea in
//! `bytea_output = escape` form renders back as hex, and floats printed under
//! another `extra_float_digits` render back in the shortest form. Conversely,
//! `parse(render(v)) == v` for every value PostgreSQL can hold (NaNs other
//! than PostgreSQL's own quiet NaN print as `NaN` and read back as it; a
//! `timestamptz` ±infinity reads back with offset 0).
//!
//! All test fixtures are outputs of a real PostgreSQL 15.18 server, each
//! paired with the value's binary form from the type's `*send` function.
//!
//! ```
//! use cor4_protocol::{Type, Value, pgtext};
//!
//! let v = pgtext::parse(pgtext::type_for_oid(pgtext::oid::FLOAT8), b"1e+15")?;
//! assert_eq!(v, Value::Float8(1e15));
//! assert_eq!(pgtext::to_text(&v).as_deref(), Some("1e+15"));
//!
//! let t = pgtext::parse(Type::TimestampTz, b"1800-06-01 12:53:28+00:53:28")?;
//! assert_eq!(pgtext::to_text(&t).as_deref(), Some("1800-06-01 12:53:28+00:53:28"));
//! # Ok::<(), pgtext::TextError>(())
//! ```

mod datetime;
mod float;
#[cfg(test)]
mod tests;

use std::fmt::Write;

use crate::value::{Type, Value};

/// PostgreSQL's fixed type OIDs (`pg_type.oid`) of the types with a wire
/// type of their own.
pub mod oid {
    /// `boolean`.
    pub const BOOL: u32 = 16;
    /// `bytea`.
    pub const BYTEA: u32 = 17;
    /// `"char"` (the one-byte internal type).
    pub const CHAR: u32 = 18;
    /// `name`.
    pub const NAME: u32 = 19;
    /// `bigint`.
    pub const INT8: u32 = 20;
    /// `smallint`.
    pub const INT2: u32 = 21;
    /// `integer`.
    pub const INT4: u32 = 23;
    /// `text`.
    pub const TEXT: u32 = 25;
    /// `oid`.
    pub const OID: u32 = 26;
    /// `json`.
    pub const JSON: u32 = 114;
    /// `real`.
    pub const FLOAT4: u32 = 700;
    /// `double precision`.
    pub const FLOAT8: u32 = 701;
    /// `unknown` (untyped literals such as `SELECT 'a'`).
    pub const UNKNOWN: u32 = 705;
    /// `character(n)`.
    pub const BPCHAR: u32 = 1042;
    /// `character varying(n)`.
    pub const VARCHAR: u32 = 1043;
    /// `date`.
    pub const DATE: u32 = 1082;
    /// `time without time zone`.
    pub const TIME: u32 = 1083;
    /// `timestamp without time zone`.
    pub const TIMESTAMP: u32 = 1114;
    /// `timestamp with time zone`.
    pub const TIMESTAMPTZ: u32 = 1184;
    /// `numeric`.
    pub const NUMERIC: u32 = 1700;
    /// `uuid`.
    pub const UUID: u32 = 2950;
    /// `jsonb`.
    pub const JSONB: u32 = 3802;
}

/// The wire type that carries a column of PostgreSQL type `oid`.
///
/// Types without a code of their own (arrays, interval, timetz, money, inet,
/// enums, domains, composites, ranges, xml, …) travel as [`Type::Text`]
/// holding their text form.
pub fn type_for_oid(oid: u32) -> Type {
    match oid {
        oid::INT2 | oid::INT4 => Type::Int4,
        oid::INT8 | oid::OID => Type::Int8,
        oid::FLOAT4 => Type::Float4,
        oid::FLOAT8 => Type::Float8,
        oid::NUMERIC => Type::Numeric,
        oid::BOOL => Type::Bool,
        oid::DATE => Type::Date,
        oid::TIME => Type::Time,
        oid::TIMESTAMP => Type::Timestamp,
        oid::TIMESTAMPTZ => Type::TimestampTz,
        oid::BYTEA => Type::Bytea,
        oid::JSON | oid::JSONB => Type::Json,
        oid::UUID => Type::Uuid,
        _ => Type::Text,
    }
}

/// Why a text is not PostgreSQL's output for a value of the given type.
///
/// Each variant names the column type; [`TextError::sqlstate`] gives the code
/// PostgreSQL itself would report for such input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// The bytes are not valid UTF-8 (text, json and numeric are strings).
    #[error("invalid byte sequence for encoding \"UTF8\" in a {} value", .0.name())]
    InvalidUtf8(Type),
    /// The text does not have the form PostgreSQL prints for the type.
    #[error("invalid input syntax for type {}", .0.name())]
    Syntax(Type),
    /// A date or time field is out of range (month 13, February 30, 25:00).
    #[error("{} field value out of range", .0.name())]
    FieldOutOfRange(Type),
    /// The value is well formed but outside what the type can hold.
    #[error("value out of range for type {}", .0.name())]
    OutOfRange(Type),
}

impl TextError {
    /// The wire type whose text was rejected.
    pub fn type_(&self) -> Type {
        match *self {
            TextError::InvalidUtf8(t)
            | TextError::Syntax(t)
            | TextError::FieldOutOfRange(t)
            | TextError::OutOfRange(t) => t,
        }
    }

    /// The SQLSTATE PostgreSQL reports for the same fault:
    /// `22021` character_not_in_repertoire, `22P02`
    /// invalid_text_representation, `22008` datetime_field_overflow, `22003`
    /// numeric_value_out_of_range.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            TextError::InvalidUtf8(_) => "22021",
            TextError::Syntax(_) => "22P02",
            TextError::FieldOutOfRange(_) => "22008",
            TextError::OutOfRange(_) => "22003",
        }
    }
}

/// Parses PostgreSQL's text output for a non-NULL value of wire type `ty`.
///
/// Accepts what PostgreSQL prints under `DateStyle = ISO` (any `MDY`/`DMY`
/// order), either `bytea_output`, and any `extra_float_digits`; text, json
/// and numeric are kept verbatim (numeric after checking it is a number,
/// `NaN` or `±Infinity`). Never panics.
pub fn parse(ty: Type, text: &[u8]) -> Result<Value, TextError> {
    Ok(match ty {
        Type::Int4 => Value::Int4(parse_int(text, ty)?),
        Type::Int8 => Value::Int8(parse_int(text, ty)?),
        Type::Float4 => Value::Float4(float::parse(text)?),
        Type::Float8 => Value::Float8(float::parse(text)?),
        Type::Numeric => Value::Numeric(parse_numeric(text)?),
        Type::Bool => match text {
            b"t" => Value::Bool(true),
            b"f" => Value::Bool(false),
            _ => return Err(TextError::Syntax(ty)),
        },
        Type::Text => Value::Text(utf8(text, ty)?),
        Type::Json => Value::Json(utf8(text, ty)?),
        Type::Date => Value::Date(datetime::parse_date(text)?),
        Type::Time => Value::Time(datetime::parse_time(text)?),
        Type::Timestamp => Value::Timestamp(datetime::parse_timestamp(text)?),
        Type::TimestampTz => {
            let (micros, offset) = datetime::parse_timestamptz(text)?;
            Value::TimestampTz { micros, offset }
        }
        Type::Bytea => Value::Bytea(parse_bytea(text)?),
        Type::Uuid => Value::Uuid(parse_uuid(text)?),
    })
}

/// Appends the Cor4 encoding of PostgreSQL's text output for a non-NULL
/// value of wire type `ty`: what `parse(ty, text)?.encode(out)` appends,
/// without building the value when the text is the encoding itself (text,
/// json, numeric). On an error nothing is appended.
pub fn encode(ty: Type, text: &[u8], out: &mut Vec<u8>) -> Result<(), TextError> {
    match ty {
        Type::Text | Type::Json => {
            std::str::from_utf8(text).map_err(|_| TextError::InvalidUtf8(ty))?;
        }
        Type::Numeric => check_numeric(text)?,
        _ => {
            parse(ty, text)?.encode(out);
            return Ok(());
        }
    }
    crate::codec::put_bytes(out, text);
    Ok(())
}

/// Appends `value` as PostgreSQL 15 prints it with default settings; NULL
/// appends nothing (psql's unaligned and CSV output show it as empty).
pub fn render(value: &Value, out: &mut String) {
    match value {
        Value::Null => {}
        Value::Int4(v) => push_display(out, v),
        Value::Int8(v) => push_display(out, v),
        Value::Float4(v) => float::render(*v, out),
        Value::Float8(v) => float::render(*v, out),
        Value::Text(s) | Value::Numeric(s) | Value::Json(s) => out.push_str(s),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Date(d) => datetime::render_date(*d, out),
        Value::Time(t) => datetime::render_time(*t, out),
        Value::Timestamp(t) => datetime::render_timestamp(*t, out),
        Value::TimestampTz { micros, offset } => {
            datetime::render_timestamptz(*micros, *offset, out);
        }
        Value::Bytea(bytes) => {
            out.reserve(2 + 2 * bytes.len());
            out.push_str("\\x");
            for b in bytes {
                push_hex(out, *b);
            }
        }
        Value::Uuid(u) => {
            for (i, b) in u.iter().enumerate() {
                if matches!(i, 4 | 6 | 8 | 10) {
                    out.push('-');
                }
                push_hex(out, *b);
            }
        }
    }
}

/// The value's PostgreSQL text form, or `None` for NULL.
pub fn to_text(value: &Value) -> Option<String> {
    if value.is_null() {
        return None;
    }
    let mut out = String::new();
    render(value, &mut out);
    Some(out)
}

fn push_display(out: &mut String, v: &impl std::fmt::Display) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{v}");
}

fn push_hex(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 0xf)]));
}

fn utf8(text: &[u8], ty: Type) -> Result<String, TextError> {
    String::from_utf8(text.to_vec()).map_err(|_| TextError::InvalidUtf8(ty))
}

/// `-?[1-9][0-9]*` or `0`, as `int2out`/`int4out`/`int8out` print.
fn parse_int<T: std::str::FromStr>(text: &[u8], ty: Type) -> Result<T, TextError> {
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    let canonical = match digits {
        [b'0'] => digits.len() == text.len(),
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if !canonical {
        return Err(TextError::Syntax(ty));
    }
    // Only ASCII digits and '-' remain, so the only failure is overflow.
    let s = std::str::from_utf8(text).map_err(|_| TextError::Syntax(ty))?;
    s.parse().map_err(|_| TextError::OutOfRange(ty))
}

/// `NaN`, `Infinity`, `-Infinity` or `-?d+(.d+)?`, as `numeric_out` prints.
fn parse_numeric(text: &[u8]) -> Result<String, TextError> {
    check_numeric(text)?;
    utf8(text, Type::Numeric)
}

/// That `text` is a number as `numeric_out` prints it.
fn check_numeric(text: &[u8]) -> Result<(), TextError> {
    let special = matches!(text, b"NaN" | b"Infinity" | b"-Infinity");
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    let (int, frac) = match digits.iter().position(|&b| b == b'.') {
        Some(dot) => (digits.get(..dot), digits.get(dot + 1..)),
        None => (Some(digits), Some(&b"0"[..])),
    };
    let all_digits =
        |d: Option<&[u8]>| d.is_some_and(|d| !d.is_empty() && d.iter().all(u8::is_ascii_digit));
    if !(special || all_digits(int) && all_digits(frac)) {
        return Err(TextError::Syntax(Type::Numeric));
    }
    Ok(())
}

/// Hex (`\x00ff`) or escape (`\000\\abc`) bytea output.
fn parse_bytea(text: &[u8]) -> Result<Vec<u8>, TextError> {
    const TY: Type = Type::Bytea;
    if let Some(hex) = text.strip_prefix(b"\\x") {
        let mut out = Vec::with_capacity(hex.len() / 2);
        for pair in hex.chunks(2) {
            match *pair {
                [hi, lo] => out.push(hex_digit(hi, TY)? << 4 | hex_digit(lo, TY)?),
                _ => return Err(TextError::Syntax(TY)),
            }
        }
        return Ok(out);
    }
    // Escape format, read as byteain does: `\\` is a backslash, `\ooo` an
    // octal byte (first digit 0–3), anything else stands for itself.
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some((&b, tail)) = rest.split_first() {
        if b != b'\\' {
            out.push(b);
            rest = tail;
            continue;
        }
        match *tail {
            [b'\\', ref after @ ..] => {
                out.push(b'\\');
                rest = after;
            }
            [
                a @ b'0'..=b'3',
                o @ b'0'..=b'7',
                c @ b'0'..=b'7',
                ref after @ ..,
            ] => {
                out.push((a - b'0') << 6 | (o - b'0') << 3 | (c - b'0'));
                rest = after;
            }
            _ => return Err(TextError::Syntax(TY)),
        }
    }
    Ok(out)
}

/// A lowercase hex digit, as PostgreSQL prints.
fn hex_digit(b: u8, ty: Type) -> Result<u8, TextError> {
    match b {
        b'0'..=b'9' => Ok(b - b'0'),
        b'a'..=b'f' => Ok(b - b'a' + 10),
        _ => Err(TextError::Syntax(ty)),
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lowercase, as `uuid_out` prints.
fn parse_uuid(text: &[u8]) -> Result<[u8; 16], TextError> {
    const TY: Type = Type::Uuid;
    if text.len() != 36 {
        return Err(TextError::Syntax(TY));
    }
    let mut out = [0u8; 16];
    let mut hex = text
        .iter()
        .enumerate()
        .filter(|&(i, _)| !matches!(i, 8 | 13 | 18 | 23))
        .map(|(_, &b)| b);
    if [8, 13, 18, 23].iter().any(|&i| text.get(i) != Some(&b'-')) {
        return Err(TextError::Syntax(TY));
    }
    for slot in &mut out {
        match (hex.next(), hex.next()) {
            (Some(hi), Some(lo)) => *slot = hex_digit(hi, TY)? << 4 | hex_digit(lo, TY)?,
            _ => return Err(TextError::Syntax(TY)),
        }
    }
    Ok(out)
}
