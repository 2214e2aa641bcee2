//! Column types and values as they travel in RESULT_HEAD and row packets.
//!
//! Codes 1–5 are the seed's; 6 and up are Cor4 v2's. Temporal values keep
//! PostgreSQL's own binary representation (days or microseconds since
//! 2000-01-01, with the extreme integers meaning ±infinity), so every value
//! PostgreSQL can hold — year 294276, 4713 BC — travels exactly.

use crate::codec::{Reader, put_bytes, put_i32, put_i64, put_string, put_u8};
use crate::error::DecodeError;

/// A column's type code, as carried in RESULT_HEAD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
#[non_exhaustive]
pub enum Type {
    /// 1 — 4-byte signed integer (PostgreSQL int2, int4).
    Int4 = 1,
    /// 2 — UTF-8 string (text, varchar, char, name, and the text form of every
    /// type without a code of its own).
    Text = 2,
    /// 3 — boolean, one byte 0 or 1.
    Bool = 3,
    /// 4 — numeric, as PostgreSQL's exact decimal text (`NaN`, `Infinity`,
    /// `-Infinity` included).
    Numeric = 4,
    /// 5 — date, i32 days since 2000-01-01; `i32::MAX`/`MIN` are ±infinity.
    Date = 5,
    /// 6 — 8-byte signed integer (int8, oid).
    Int8 = 6,
    /// 7 — IEEE 754 binary64 (float8).
    Float8 = 7,
    /// 8 — IEEE 754 binary32 (float4).
    Float4 = 8,
    /// 9 — timestamp without time zone, i64 µs since 2000-01-01 00:00:00.
    Timestamp = 9,
    /// 10 — timestamp with time zone: i64 µs since 2000-01-01 00:00:00 UTC,
    /// then the i32 UTC offset in seconds (east positive) of the session time
    /// zone PostgreSQL displayed it in, so clients can print what psql prints.
    TimestampTz = 10,
    /// 11 — time of day, i64 µs since midnight (0..=86 400 000 000).
    Time = 11,
    /// 12 — bytea, length-prefixed raw bytes.
    Bytea = 12,
    /// 13 — json or jsonb, as PostgreSQL's text output.
    Json = 13,
    /// 14 — uuid, 16 raw bytes.
    Uuid = 14,
}

impl Type {
    /// Every defined type, in code order.
    pub const ALL: [Type; 14] = [
        Type::Int4,
        Type::Text,
        Type::Bool,
        Type::Numeric,
        Type::Date,
        Type::Int8,
        Type::Float8,
        Type::Float4,
        Type::Timestamp,
        Type::TimestampTz,
        Type::Time,
        Type::Bytea,
        Type::Json,
        Type::Uuid,
    ];

    /// The wire code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The type for a wire code.
    pub fn from_code(code: u8) -> Result<Type, DecodeError> {
        Type::ALL
            .get(usize::from(code).wrapping_sub(1))
            .copied()
            .ok_or(DecodeError::UnknownTypeCode(code))
    }

    /// A short lowercase name, as PostgreSQL would call the type.
    pub fn name(self) -> &'static str {
        match self {
            Type::Int4 => "integer",
            Type::Text => "text",
            Type::Bool => "boolean",
            Type::Numeric => "numeric",
            Type::Date => "date",
            Type::Int8 => "bigint",
            Type::Float8 => "double precision",
            Type::Float4 => "real",
            Type::Timestamp => "timestamp",
            Type::TimestampTz => "timestamptz",
            Type::Time => "time",
            Type::Bytea => "bytea",
            Type::Json => "json",
            Type::Uuid => "uuid",
        }
    }

    /// Whether psql right-aligns values of this type.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Type::Int4 | Type::Int8 | Type::Float4 | Type::Float8 | Type::Numeric
        )
    }
}

/// One value of a result row.
///
/// Floats compare by their bit patterns, so `NaN == NaN` here: the protocol
/// moves bits, and a round trip must reproduce them.
#[derive(Debug, Clone)]
pub enum Value {
    /// SQL NULL (travels in the null bitmap, never as bytes).
    Null,
    /// [`Type::Int4`].
    Int4(i32),
    /// [`Type::Text`].
    Text(String),
    /// [`Type::Bool`].
    Bool(bool),
    /// [`Type::Numeric`]: exact decimal text.
    Numeric(String),
    /// [`Type::Date`]: days since 2000-01-01.
    Date(i32),
    /// [`Type::Int8`].
    Int8(i64),
    /// [`Type::Float8`].
    Float8(f64),
    /// [`Type::Float4`].
    Float4(f32),
    /// [`Type::Timestamp`]: µs since 2000-01-01 00:00:00.
    Timestamp(i64),
    /// [`Type::TimestampTz`]: the instant, and the offset it was shown in.
    TimestampTz {
        /// µs since 2000-01-01 00:00:00 UTC; `i64::MAX`/`MIN` are ±infinity.
        micros: i64,
        /// UTC offset in seconds, east positive, of the session time zone.
        offset: i32,
    },
    /// [`Type::Time`]: µs since midnight.
    Time(i64),
    /// [`Type::Bytea`].
    Bytea(Vec<u8>),
    /// [`Type::Json`]: the JSON text.
    Json(String),
    /// [`Type::Uuid`]: the 16 bytes in network order.
    Uuid([u8; 16]),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Int4(a), Int4(b)) => a == b,
            (Text(a), Text(b)) | (Numeric(a), Numeric(b)) | (Json(a), Json(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (Date(a), Date(b)) => a == b,
            (Int8(a), Int8(b)) | (Timestamp(a), Timestamp(b)) | (Time(a), Time(b)) => a == b,
            (
                TimestampTz {
                    micros: a,
                    offset: x,
                },
                TimestampTz {
                    micros: b,
                    offset: y,
                },
            ) => a == b && x == y,
            (Float8(a), Float8(b)) => a.to_bits() == b.to_bits(),
            (Float4(a), Float4(b)) => a.to_bits() == b.to_bits(),
            (Bytea(a), Bytea(b)) => a == b,
            (Uuid(a), Uuid(b)) => a == b,
            _ => false,
        }
    }
}

impl Value {
    /// The value's type, or `None` for NULL.
    pub fn type_of(&self) -> Option<Type> {
        Some(match self {
            Value::Null => return None,
            Value::Int4(_) => Type::Int4,
            Value::Text(_) => Type::Text,
            Value::Bool(_) => Type::Bool,
            Value::Numeric(_) => Type::Numeric,
            Value::Date(_) => Type::Date,
            Value::Int8(_) => Type::Int8,
            Value::Float8(_) => Type::Float8,
            Value::Float4(_) => Type::Float4,
            Value::Timestamp(_) => Type::Timestamp,
            Value::TimestampTz { .. } => Type::TimestampTz,
            Value::Time(_) => Type::Time,
            Value::Bytea(_) => Type::Bytea,
            Value::Json(_) => Type::Json,
            Value::Uuid(_) => Type::Uuid,
        })
    }

    /// Whether this is SQL NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Appends the value's encoding; NULL appends nothing (it lives in the
    /// row's null bitmap).
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => {}
            Value::Int4(v) | Value::Date(v) => put_i32(out, *v),
            Value::Text(s) | Value::Numeric(s) | Value::Json(s) => put_string(out, s),
            Value::Bool(b) => put_u8(out, u8::from(*b)),
            Value::Int8(v) | Value::Timestamp(v) | Value::Time(v) => put_i64(out, *v),
            Value::TimestampTz { micros, offset } => {
                put_i64(out, *micros);
                put_i32(out, *offset);
            }
            Value::Float8(v) => out.extend_from_slice(&v.to_le_bytes()),
            Value::Float4(v) => out.extend_from_slice(&v.to_le_bytes()),
            Value::Bytea(b) => put_bytes(out, b),
            Value::Uuid(u) => out.extend_from_slice(u),
        }
    }

    /// Reads one non-NULL value of type `ty`.
    pub fn decode(ty: Type, r: &mut Reader<'_>) -> Result<Value, DecodeError> {
        Ok(match ty {
            Type::Int4 => Value::Int4(r.i32("integer value")?),
            Type::Text => Value::Text(r.string("string value")?),
            Type::Bool => match r.u8("boolean value")? {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                other => return Err(DecodeError::InvalidBool(other)),
            },
            Type::Numeric => Value::Numeric(r.string("numeric value")?),
            Type::Date => Value::Date(r.i32("date value")?),
            Type::Int8 => Value::Int8(r.i64("bigint value")?),
            Type::Float8 => Value::Float8(f64::from_le_bytes(r.array("double value")?)),
            Type::Float4 => Value::Float4(f32::from_le_bytes(r.array("real value")?)),
            Type::Timestamp => Value::Timestamp(r.i64("timestamp value")?),
            Type::TimestampTz => Value::TimestampTz {
                micros: r.i64("timestamptz value")?,
                offset: r.i32("timestamptz offset")?,
            },
            Type::Time => Value::Time(r.i64("time value")?),
            Type::Bytea => Value::Bytea(r.bytes("bytea value")?.to_vec()),
            Type::Json => Value::Json(r.string("json value")?),
            Type::Uuid => Value::Uuid(r.array("uuid value")?),
        })
    }
}

/// Microseconds in one day.
pub const USECS_PER_DAY: i64 = 86_400_000_000;

/// Days from 0000-03-01 (proleptic Gregorian, astronomical years) to
/// 2000-01-01, the protocol's epoch.
const EPOCH_DAYS_FROM_0000_03_01: i64 = 730_425;

/// Converts a proleptic Gregorian date (astronomical year: 0 is 1 BC, -1 is
/// 2 BC) to days since 2000-01-01.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Shift the year so it starts in March: the leap day is then the last
    // day of the "year" and every month length is fixed.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - EPOCH_DAYS_FROM_0000_03_01
}

/// Converts days since 2000-01-01 to a proleptic Gregorian (year, month, day)
/// with an astronomical year.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + EPOCH_DAYS_FROM_0000_03_01;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // month is 1..=12 and day 1..=31 by construction.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_codes_round_trip() {
        for ty in Type::ALL {
            assert_eq!(Type::from_code(ty.code()), Ok(ty));
        }
        assert_eq!(Type::from_code(0), Err(DecodeError::UnknownTypeCode(0)));
        assert_eq!(Type::from_code(15), Err(DecodeError::UnknownTypeCode(15)));
        assert_eq!(Type::from_code(255), Err(DecodeError::UnknownTypeCode(255)));
    }

    #[test]
    fn civil_dates_match_postgresql_epoch() {
        assert_eq!(days_from_civil(2000, 1, 1), 0);
        assert_eq!(days_from_civil(1970, 1, 1), -10_957);
        assert_eq!(days_from_civil(2000, 3, 1), 60);
        // 4714-11-24 BC (astronomical year -4713) is Julian day 0, PostgreSQL's smallest date.
        assert_eq!(days_from_civil(-4713, 11, 24), -2_451_545);
        for days in [-2_451_545, -1, 0, 1, 59, 60, 106_751_991, 2_147_483_494] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn rejects_bad_boolean_byte() {
        let mut r = Reader::new(&[2]);
        assert_eq!(
            Value::decode(Type::Bool, &mut r),
            Err(DecodeError::InvalidBool(2))
        );
    }
}
