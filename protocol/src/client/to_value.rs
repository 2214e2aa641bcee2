//! Rust values as query parameters: [`ToValue`], for every type a
//! [`Row`](super::Row) getter returns.
//!
//! Parameters travel as typed Cor4 values beside the SQL — never spliced
//! into it — so `'; DROP TABLE x; --` is just a string.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use rust_decimal::Decimal;

use crate::packet::Param;
use crate::value::{Type, USECS_PER_DAY, Value, days_from_civil};

/// A Rust value that can be a query parameter.
///
/// `Option<T>` is NULL when `None` (a NULL of `T`'s type, so PostgreSQL
/// knows what `$n` is).
///
/// ```
/// use cor4_protocol::client::ToValue;
/// use cor4_protocol::Value;
/// assert_eq!(42i32.to_param().value(), &Value::Int4(42));
/// assert!(None::<i64>.to_param().value().is_null());
/// ```
pub trait ToValue {
    /// The parameter: a typed value, or a typed NULL.
    fn to_param(&self) -> Param;
}

/// The Cor4 type a Rust type's values travel as (what a NULL of it is).
pub trait ValueType {
    /// The type.
    const TYPE: Type;
}

impl<T: ValueType + ?Sized> ValueType for &T {
    const TYPE: Type = T::TYPE;
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_param(&self) -> Param {
        (**self).to_param()
    }
}

impl<T: ToValue + ValueType> ToValue for Option<T> {
    fn to_param(&self) -> Param {
        match self {
            Some(v) => v.to_param(),
            None => Param::null(Some(T::TYPE)),
        }
    }
}

impl ToValue for Value {
    fn to_param(&self) -> Param {
        Param::from(self.clone())
    }
}

macro_rules! simple {
    ($rust:ty, $ty:ident, |$v:ident| $value:expr) => {
        impl ValueType for $rust {
            const TYPE: Type = Type::$ty;
        }

        impl ToValue for $rust {
            fn to_param(&self) -> Param {
                let $v = self;
                Param::from($value)
            }
        }
    };
}

simple!(i16, Int4, |v| Value::Int4(i32::from(*v)));
simple!(i32, Int4, |v| Value::Int4(*v));
simple!(i64, Int8, |v| Value::Int8(*v));
simple!(f32, Float4, |v| Value::Float4(*v));
simple!(f64, Float8, |v| Value::Float8(*v));
simple!(bool, Bool, |v| Value::Bool(*v));
simple!(String, Text, |v| Value::Text(v.clone()));
simple!(Decimal, Numeric, |v| Value::Numeric(v.to_string()));
simple!(Vec<u8>, Bytea, |v| Value::Bytea(v.clone()));
simple!(uuid::Uuid, Uuid, |v| Value::Uuid(*v.as_bytes()));
simple!(serde_json::Value, Json, |v| Value::Json(v.to_string()));
simple!(NaiveDate, Date, |v| Value::Date(date_days(v)));
simple!(NaiveTime, Time, |v| Value::Time(time_micros(v)));
simple!(NaiveDateTime, Timestamp, |v| Value::Timestamp(
    timestamp_micros(v)
));
simple!(DateTime<Utc>, TimestampTz, |v| Value::TimestampTz {
    micros: timestamp_micros(&v.naive_utc()),
    offset: 0,
});
simple!(DateTime<chrono::FixedOffset>, TimestampTz, |v| {
    Value::TimestampTz {
        micros: timestamp_micros(&v.naive_utc()),
        offset: v.offset().local_minus_utc(),
    }
});

impl ValueType for str {
    const TYPE: Type = Type::Text;
}

impl ToValue for str {
    fn to_param(&self) -> Param {
        Param::from(Value::Text(self.to_owned()))
    }
}

impl ValueType for [u8] {
    const TYPE: Type = Type::Bytea;
}

impl ToValue for [u8] {
    fn to_param(&self) -> Param {
        Param::from(Value::Bytea(self.to_vec()))
    }
}

/// Days since 2000-01-01. chrono's dates (±262 143 years) always fit.
fn date_days(d: &NaiveDate) -> i32 {
    use chrono::Datelike;
    let days = days_from_civil(i64::from(d.year()), d.month(), d.day());
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN + 1 } else { i32::MAX - 1 })
}

/// µs since midnight; a leap second counts as the second before it.
fn time_micros(t: &NaiveTime) -> i64 {
    let secs = i64::from(t.num_seconds_from_midnight());
    let micros = i64::from(t.nanosecond() % 1_000_000_000 / 1000);
    (secs * 1_000_000 + micros).min(USECS_PER_DAY - 1)
}

/// µs since 2000-01-01 00:00:00, saturating (chrono's range exceeds the
/// protocol's only in years PostgreSQL cannot hold anyway).
fn timestamp_micros(t: &NaiveDateTime) -> i64 {
    let days = i64::from(date_days(&t.date()));
    days.saturating_mul(USECS_PER_DAY)
        .saturating_add(time_micros(&t.time()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_use_the_protocol_epoch() {
        let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        assert_eq!(epoch.to_param().value(), &Value::Date(0));
        let t = epoch.and_hms_micro_opt(0, 0, 1, 5).unwrap_or_default();
        assert_eq!(t.to_param().value(), &Value::Timestamp(1_000_005));
        assert_eq!(
            NaiveTime::from_hms_opt(23, 59, 59)
                .unwrap_or_default()
                .to_param()
                .value(),
            &Value::Time(86_399_000_000)
        );
    }

    #[test]
    fn options_are_typed_nulls() {
        let p = None::<NaiveDate>.to_param();
        assert!(p.value().is_null());
        assert_eq!(p.type_(), Some(Type::Date));
        assert_eq!(Some("x").to_param().value(), &Value::Text("x".into()));
    }
}
