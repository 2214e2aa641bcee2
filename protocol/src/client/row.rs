//! Result rows and typed getters.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::error::{ConversionError, Error};
use crate::packet::ColumnType;
use crate::value::{Type, USECS_PER_DAY, Value};

/// A result column: its name, wire type and (when the server said)
/// PostgreSQL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    name: String,
    ty: Type,
    pg_type: Option<ColumnType>,
}

impl Column {
    pub(crate) fn new(name: String, ty: Type, pg_type: Option<ColumnType>) -> Self {
        Column { name, ty, pg_type }
    }

    /// PostgreSQL's type OID and modifier, when the server sent them
    /// (prepared statements; results after OPTIONS `COLUMN_TYPES`).
    pub fn pg_type(&self) -> Option<ColumnType> {
        self.pg_type
    }

    /// The column's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The column's type.
    pub fn type_(&self) -> Type {
        self.ty
    }
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<[Column]>,
    values: Vec<Value>,
}

/// Picks a column by index or by name.
pub trait ColumnIndex {
    /// The position of this column in `columns`.
    fn index_in(&self, columns: &[Column]) -> Result<usize, ConversionError>;
}

impl ColumnIndex for usize {
    fn index_in(&self, columns: &[Column]) -> Result<usize, ConversionError> {
        if *self < columns.len() {
            Ok(*self)
        } else {
            Err(ConversionError::IndexOutOfRange(*self))
        }
    }
}

impl ColumnIndex for &str {
    fn index_in(&self, columns: &[Column]) -> Result<usize, ConversionError> {
        columns
            .iter()
            .position(|c| c.name == *self)
            .ok_or_else(|| ConversionError::NoSuchColumn((*self).to_owned()))
    }
}

impl Row {
    pub(crate) fn new(columns: Arc<[Column]>, values: Vec<Value>) -> Self {
        Row { columns, values }
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The raw values, one per column.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Takes the raw values.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The raw value of a column.
    pub fn value<I: ColumnIndex>(&self, idx: I) -> Result<&Value, Error> {
        let i = idx.index_in(&self.columns)?;
        Ok(&self.values[i])
    }

    /// A typed value; `T = Option<_>` for a column that may be NULL.
    pub fn try_get<'a, I: ColumnIndex, T: FromValue<'a>>(&'a self, idx: I) -> Result<T, Error> {
        let v = self.value(idx)?;
        Ok(T::from_value(v)?)
    }

    /// A typed value, panicking with the conversion error if it fails: for
    /// code that knows its query's column types.
    ///
    /// # Panics
    ///
    /// When the column does not exist or the value does not convert.
    #[allow(clippy::panic, reason = "documented: `try_get` is the fallible form")]
    pub fn get<'a, I: ColumnIndex, T: FromValue<'a>>(&'a self, idx: I) -> T {
        match self.try_get(idx) {
            Ok(v) => v,
            Err(e) => panic!("Row::get: {e}"),
        }
    }
}

/// Conversion from a wire value to a Rust type.
pub trait FromValue<'a>: Sized {
    /// Converts; NULL is an error unless `Self` is an `Option`.
    fn from_value(v: &'a Value) -> Result<Self, ConversionError>;
}

fn wrong(v: &Value, requested: &'static str) -> ConversionError {
    match v.type_of() {
        None => ConversionError::UnexpectedNull,
        Some(t) => ConversionError::WrongType {
            actual: t.name(),
            requested,
        },
    }
}

impl<'a, T: FromValue<'a>> FromValue<'a> for Option<T> {
    fn from_value(v: &'a Value) -> Result<Self, ConversionError> {
        if v.is_null() {
            Ok(None)
        } else {
            T::from_value(v).map(Some)
        }
    }
}

impl FromValue<'_> for i32 {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Int4(i) => Ok(*i),
            Value::Int8(i) => i32::try_from(*i).map_err(|_| ConversionError::OutOfRange("i32")),
            _ => Err(wrong(v, "i32")),
        }
    }
}

impl FromValue<'_> for i64 {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Int4(i) => Ok(i64::from(*i)),
            Value::Int8(i) => Ok(*i),
            _ => Err(wrong(v, "i64")),
        }
    }
}

impl FromValue<'_> for f64 {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Float8(f) => Ok(*f),
            Value::Float4(f) => Ok(f64::from(*f)),
            Value::Int4(i) => Ok(f64::from(*i)),
            _ => Err(wrong(v, "f64")),
        }
    }
}

impl FromValue<'_> for f32 {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Float4(f) => Ok(*f),
            _ => Err(wrong(v, "f32")),
        }
    }
}

impl FromValue<'_> for bool {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err(wrong(v, "bool")),
        }
    }
}

impl<'a> FromValue<'a> for &'a str {
    fn from_value(v: &'a Value) -> Result<Self, ConversionError> {
        match v {
            Value::Text(s) | Value::Numeric(s) | Value::Json(s) => Ok(s),
            _ => Err(wrong(v, "&str")),
        }
    }
}

impl FromValue<'_> for String {
    /// Text-like values as they are; any other non-NULL value as
    /// PostgreSQL's text form of it.
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Text(s) | Value::Numeric(s) | Value::Json(s) => Ok(s.clone()),
            Value::Null => Err(ConversionError::UnexpectedNull),
            other => crate::pgtext::to_text(other).ok_or(ConversionError::UnexpectedNull),
        }
    }
}

impl FromValue<'_> for Decimal {
    /// Exact: an error, not rounding, when the value has more digits than
    /// `Decimal` holds (28–29 significant digits) or is NaN/±Infinity.
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Numeric(s) => {
                let d = Decimal::from_str_exact(s)
                    .map_err(|_| ConversionError::OutOfRange("rust_decimal::Decimal"))?;
                Ok(d)
            }
            Value::Int4(i) => Ok(Decimal::from(*i)),
            Value::Int8(i) => Ok(Decimal::from(*i)),
            _ => Err(wrong(v, "Decimal")),
        }
    }
}

fn pg_epoch() -> NaiveDateTime {
    // 2000-01-01 is a valid date; the fallback is never taken.
    NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN)
}

impl FromValue<'_> for NaiveDate {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Date(d) if *d != i32::MAX && *d != i32::MIN => pg_epoch()
                .date()
                .checked_add_signed(TimeDelta::days(i64::from(*d)))
                .ok_or(ConversionError::OutOfRange("chrono::NaiveDate")),
            Value::Date(_) => Err(ConversionError::OutOfRange("chrono::NaiveDate (infinity)")),
            _ => Err(wrong(v, "NaiveDate")),
        }
    }
}

fn from_micros(micros: i64, what: &'static str) -> Result<NaiveDateTime, ConversionError> {
    if micros == i64::MAX || micros == i64::MIN {
        return Err(ConversionError::OutOfRange(what));
    }
    pg_epoch()
        .checked_add_signed(TimeDelta::microseconds(micros))
        .ok_or(ConversionError::OutOfRange(what))
}

impl FromValue<'_> for NaiveDateTime {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Timestamp(us) => from_micros(*us, "chrono::NaiveDateTime"),
            _ => Err(wrong(v, "NaiveDateTime")),
        }
    }
}

impl FromValue<'_> for DateTime<Utc> {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::TimestampTz { micros, .. } => {
                from_micros(*micros, "chrono::DateTime<Utc>").map(|t| t.and_utc())
            }
            _ => Err(wrong(v, "DateTime<Utc>")),
        }
    }
}

impl FromValue<'_> for NaiveTime {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Time(us) if (0..USECS_PER_DAY).contains(us) => {
                let secs = u32::try_from(us / 1_000_000)
                    .map_err(|_| ConversionError::OutOfRange("chrono::NaiveTime"))?;
                let nanos = u32::try_from(us % 1_000_000 * 1000)
                    .map_err(|_| ConversionError::OutOfRange("chrono::NaiveTime"))?;
                NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
                    .ok_or(ConversionError::OutOfRange("chrono::NaiveTime"))
            }
            Value::Time(_) => Err(ConversionError::OutOfRange("chrono::NaiveTime (24:00:00)")),
            _ => Err(wrong(v, "NaiveTime")),
        }
    }
}

impl FromValue<'_> for Vec<u8> {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Bytea(b) => Ok(b.clone()),
            _ => Err(wrong(v, "Vec<u8>")),
        }
    }
}

impl<'a> FromValue<'a> for &'a [u8] {
    fn from_value(v: &'a Value) -> Result<Self, ConversionError> {
        match v {
            Value::Bytea(b) => Ok(b),
            _ => Err(wrong(v, "&[u8]")),
        }
    }
}

impl FromValue<'_> for uuid::Uuid {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Uuid(u) => Ok(uuid::Uuid::from_bytes(*u)),
            _ => Err(wrong(v, "uuid::Uuid")),
        }
    }
}

impl FromValue<'_> for serde_json::Value {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Json(s) => serde_json::from_str(s)
                .map_err(|_| ConversionError::OutOfRange("serde_json::Value")),
            _ => Err(wrong(v, "serde_json::Value")),
        }
    }
}

impl FromValue<'_> for Value {
    fn from_value(v: &Value) -> Result<Self, ConversionError> {
        Ok(v.clone())
    }
}
