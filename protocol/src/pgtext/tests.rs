//! Fixtures from a real PostgreSQL 15 in both directions, named rejections,
//! and property tests over the whole value space.

mod fixtures;

use proptest::prelude::*;

use super::*;
use crate::value::USECS_PER_DAY;

fn text(v: &Value) -> String {
    let mut out = String::new();
    render(v, &mut out);
    out
}

/// `parse(ty, s) == want` and `render(want) == s`.
fn both_ways(ty: Type, s: &str, want: Value) {
    assert_eq!(parse(ty, s.as_bytes()), Ok(want.clone()), "parse {s:?}");
    assert_eq!(text(&want), s, "render {want:?}");
}

fn rejects(ty: Type, inputs: &[&str], err: fn(Type) -> TextError) {
    for s in inputs {
        assert_eq!(parse(ty, s.as_bytes()), Err(err(ty)), "{s:?}");
    }
}

#[test]
fn maps_oids_to_wire_types() {
    let cases = [
        (oid::INT2, Type::Int4),
        (oid::INT4, Type::Int4),
        (oid::INT8, Type::Int8),
        (oid::OID, Type::Int8),
        (oid::FLOAT4, Type::Float4),
        (oid::FLOAT8, Type::Float8),
        (oid::NUMERIC, Type::Numeric),
        (oid::BOOL, Type::Bool),
        (oid::TEXT, Type::Text),
        (oid::VARCHAR, Type::Text),
        (oid::BPCHAR, Type::Text),
        (oid::NAME, Type::Text),
        (oid::CHAR, Type::Text),
        (oid::UNKNOWN, Type::Text),
        (oid::DATE, Type::Date),
        (oid::TIME, Type::Time),
        (oid::TIMESTAMP, Type::Timestamp),
        (oid::TIMESTAMPTZ, Type::TimestampTz),
        (oid::BYTEA, Type::Bytea),
        (oid::JSON, Type::Json),
        (oid::JSONB, Type::Json),
        (oid::UUID, Type::Uuid),
        // interval, timetz, money, inet, int4[], xml, int4range, record, 0.
        (1186, Type::Text),
        (1266, Type::Text),
        (790, Type::Text),
        (869, Type::Text),
        (1007, Type::Text),
        (142, Type::Text),
        (3904, Type::Text),
        (2249, Type::Text),
        (0, Type::Text),
    ];
    for (oid, ty) in cases {
        assert_eq!(type_for_oid(oid), ty, "oid {oid}");
    }
}

#[test]
fn accepts_postgresql_float8_output() {
    for &(s, bits) in fixtures::FLOAT8.iter().chain(fixtures::FLOAT8_RYU_CORNERS) {
        both_ways(Type::Float8, s, Value::Float8(f64::from_bits(bits)));
    }
}

#[test]
fn accepts_postgresql_float4_output() {
    for &(s, bits) in fixtures::FLOAT4.iter().chain(fixtures::FLOAT4_RYU_CORNERS) {
        both_ways(Type::Float4, s, Value::Float4(f32::from_bits(bits)));
    }
}

#[test]
fn accepts_floats_from_other_extra_float_digits() {
    // extra_float_digits = 3 (PostgreSQL 11 and older): `%.17g`.
    let v = parse(Type::Float8, b"0.10000000000000001");
    assert_eq!(v, Ok(Value::Float8(0.1)));
    let v = parse(Type::Float4, b"0.100000001");
    assert_eq!(v, Ok(Value::Float4(0.1)));
    assert_eq!(parse(Type::Float8, b"1E5"), Ok(Value::Float8(1e5)));
    // Correct rounding straight to binary32, not through binary64.
    assert_eq!(
        parse(Type::Float4, b"1.00000005960464477539062500000000001"),
        Ok(Value::Float4(f32::from_bits(0x3f80_0001)))
    );
}

#[test]
fn rejects_malformed_floats() {
    let bad = [
        "", "-", "+1", " 1", "1 ", ".5", "1.", "1e", "1e+", "inf", "nan", "infinity", "0x10",
        "1_000", "--1", "1e5.0",
    ];
    rejects(Type::Float8, &bad, TextError::Syntax);
    rejects(Type::Float4, &bad, TextError::Syntax);
    rejects(
        Type::Float8,
        &["1e309", "-1e400", "1e-400"],
        TextError::OutOfRange,
    );
    rejects(Type::Float4, &["3.5e38", "1e-46"], TextError::OutOfRange);
    assert_eq!(parse(Type::Float8, b"0e-400"), Ok(Value::Float8(0.0)));
}

#[test]
fn accepts_postgresql_dates() {
    for &(s, days) in fixtures::DATE {
        both_ways(Type::Date, s, Value::Date(days));
    }
    // Leap days of BC years follow the astronomical year (1 BC is year 0).
    both_ways(Type::Date, "0001-02-29 BC", Value::Date(-730_426));
    assert!(parse(Type::Date, b"0005-02-29 BC").is_ok());
}

#[test]
fn accepts_postgresql_times() {
    for &(s, micros) in fixtures::TIME {
        both_ways(Type::Time, s, Value::Time(micros));
    }
}

#[test]
fn accepts_postgresql_timestamps() {
    for &(s, micros) in fixtures::TIMESTAMP {
        both_ways(Type::Timestamp, s, Value::Timestamp(micros));
    }
}

#[test]
fn accepts_postgresql_timestamptz_in_many_zones() {
    for &(s, micros, offset) in fixtures::TIMESTAMPTZ {
        both_ways(Type::TimestampTz, s, Value::TimestampTz { micros, offset });
    }
}

#[test]
fn rejects_impossible_dates_and_times() {
    rejects(
        Type::Date,
        &[
            "2023-02-29",
            "2024-02-30",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "0000-01-01",
            "0002-02-29 BC",
            "0101-02-29 BC",
        ],
        TextError::FieldOutOfRange,
    );
    rejects(
        Type::Date,
        &[
            "",
            "2024-1-01",
            "24-01-01",
            "02024-01-01",
            "2024-01-01 ",
            "2024-01-01 AD",
            "2024-01-01 bc",
            "2024/01/01",
            "Infinity",
            "+infinity",
            "2024-01-01 00:00:00",
            "1234567890-01-01",
        ],
        TextError::Syntax,
    );
    // One past i32 days, and the integers that mean ±infinity.
    rejects(
        Type::Date,
        &[
            "5881610-07-12",
            "5881610-07-11",
            "5877612-06-22 BC",
            "9999999-01-01",
        ],
        TextError::OutOfRange,
    );
    // i32::MAX - 1 and i32::MIN + 1 days.
    both_ways(Type::Date, "5881610-07-10", Value::Date(i32::MAX - 1));
    both_ways(Type::Date, "5877612-06-23 BC", Value::Date(i32::MIN + 1));

    rejects(
        Type::Time,
        &["24:00:00.1", "24:00:01", "25:00:00", "12:60:00", "12:00:60"],
        TextError::FieldOutOfRange,
    );
    rejects(
        Type::Time,
        &[
            "12:00",
            "12:00:00.",
            "12:00:00.50",
            "12:00:00.1234567",
            "1:00:00",
            "12:00:00+00",
            "allballs",
        ],
        TextError::Syntax,
    );

    rejects(
        Type::Timestamp,
        &["2024-01-01 24:00:00"],
        TextError::FieldOutOfRange,
    );
    rejects(
        Type::Timestamp,
        &[
            "2024-01-01",
            "2024-01-01T00:00:00",
            "2024-01-01 00:00:00+00",
            "2024-01-01 00:00:00.0",
        ],
        TextError::Syntax,
    );
    rejects(
        Type::Timestamp,
        &[
            "294277-01-09 04:00:54.775807",
            "294277-01-10 00:00:00",
            "290279-12-22 19:59:05.224192 BC",
            "290280-01-01 00:00:00 BC",
        ],
        TextError::OutOfRange,
    );

    rejects(
        Type::TimestampTz,
        &[
            "2024-01-01 00:00:00",
            "2024-01-01 00:00:00-00",
            "2024-01-01 00:00:00+00:00",
            "2024-01-01 00:00:00+05:30:00",
            "2024-01-01 00:00:00+5",
            "2024-01-01 00:00:00+0530",
            "2024-01-01 00:00:00 BC+00",
            "2024-01-01 00:00:00Z",
        ],
        TextError::Syntax,
    );
    rejects(
        Type::TimestampTz,
        &["2024-01-01 00:00:00+05:60"],
        TextError::FieldOutOfRange,
    );
    // Beyond PostgreSQL's range but inside i64 µs: accepted, so every value
    // renders to a text that reads back.
    let max = "294277-01-09 04:00:54.775806";
    both_ways(Type::Timestamp, max, Value::Timestamp(i64::MAX - 1));
    let min = "290279-12-22 19:59:05.224193 BC";
    both_ways(Type::Timestamp, min, Value::Timestamp(i64::MIN + 1));
}

#[test]
fn accepts_integer_extremes() {
    for (s, v) in [
        ("-2147483648", i32::MIN),
        ("2147483647", i32::MAX),
        ("0", 0),
        ("-32768", -32768),
    ] {
        both_ways(Type::Int4, s, Value::Int4(v));
    }
    for (s, v) in [
        ("-9223372036854775808", i64::MIN),
        ("9223372036854775807", i64::MAX),
        ("4294967295", 4_294_967_295),
    ] {
        both_ways(Type::Int8, s, Value::Int8(v));
    }
    rejects(
        Type::Int4,
        &["2147483648", "-2147483649"],
        TextError::OutOfRange,
    );
    rejects(Type::Int8, &["9223372036854775808"], TextError::OutOfRange);
    rejects(
        Type::Int4,
        &["", "-", "+1", "-0", "01", "1.0", " 1", "1e3", "٣"],
        TextError::Syntax,
    );
}

#[test]
fn accepts_booleans_numeric_uuid_json_text() {
    both_ways(Type::Bool, "t", Value::Bool(true));
    both_ways(Type::Bool, "f", Value::Bool(false));
    rejects(Type::Bool, &["true", "1", "T", ""], TextError::Syntax);

    // numeric_out of 0, -0, 1.50, 1e20, 1e-20, 0.000, NaN, ±Infinity.
    for s in [
        "0",
        "1.50",
        "-123.456",
        "NaN",
        "Infinity",
        "-Infinity",
        "100000000000000000000",
        "0.00000000000000000001",
        "0.000",
        "12345678901234567890.123456789",
    ] {
        both_ways(Type::Numeric, s, Value::Numeric(s.to_owned()));
    }
    rejects(
        Type::Numeric,
        &["", "-", "1e5", ".5", "1.", "+1", "nan", "1.2.3", "1,5"],
        TextError::Syntax,
    );

    let uuid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    let bytes = [
        0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a,
        0x11,
    ];
    both_ways(Type::Uuid, uuid, Value::Uuid(bytes));
    rejects(
        Type::Uuid,
        &[
            "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
            "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
            "a0eebc999c0b4ef8bb6d6bb9bd380a11",
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g",
            "a0eebc99-9c0b4-ef8-bb6d-6bb9bd380a11",
            "",
        ],
        TextError::Syntax,
    );

    // json keeps the input's spacing, jsonb prints its own; both verbatim.
    for s in [
        r#"{"a": 1,  "b":[1,2]}"#,
        r#"{"a": 1, "b": [1, 2]}"#,
        "\"é\"",
        "null",
    ] {
        both_ways(Type::Json, s, Value::Json(s.to_owned()));
    }
    // Text fallbacks: "char", bpchar padding, interval, timetz, arrays.
    for s in [
        "a",
        "abc  ",
        "",
        "1 day 02:03:04",
        "12:00:00+05:30",
        "{1,2}",
        "line\nbreak",
    ] {
        both_ways(Type::Text, s, Value::Text(s.to_owned()));
    }
    for ty in [Type::Text, Type::Json] {
        assert_eq!(parse(ty, b"\xff"), Err(TextError::InvalidUtf8(ty)));
    }
    assert_eq!(
        parse(Type::Numeric, b"\xff"),
        Err(TextError::Syntax(Type::Numeric))
    );
}

#[test]
fn accepts_postgresql_bytea_in_both_outputs() {
    // (bytea_output = hex, bytea_output = escape) for the same value.
    let cases: &[(&str, &str)] = &[
        ("\\x", ""),
        ("\\x00ff", "\\000\\377"),
        ("\\x5c5c78", "\\\\\\\\x"),
        ("\\x7e7f80", "~\\177\\200"),
        ("\\x0a0d09", "\\012\\015\\011"),
        ("\\xc3a9", "\\303\\251"),
        ("\\x27", "'"),
        ("\\x414243", "ABC"),
    ];
    for &(hex, escape) in cases {
        let v = parse(Type::Bytea, hex.as_bytes());
        assert_eq!(text(v.as_ref().expect("fixture")), hex);
        assert_eq!(parse(Type::Bytea, escape.as_bytes()), v, "{escape:?}");
    }
    assert_eq!(
        parse(Type::Bytea, b"\\xdeadbeef"),
        Ok(Value::Bytea(vec![0xde, 0xad, 0xbe, 0xef]))
    );
    rejects(
        Type::Bytea,
        &[
            "\\x0", "\\x0g", "\\xDEAD", "\\x00 ff", "\\", "a\\b", "\\400", "\\08", "\\12",
        ],
        TextError::Syntax,
    );
}

#[test]
fn to_text_is_none_only_for_null() {
    assert_eq!(to_text(&Value::Null), None);
    assert_eq!(to_text(&Value::Text(String::new())).as_deref(), Some(""));
    assert_eq!(to_text(&Value::Float4(1e6)).as_deref(), Some("1e+06"));
}

#[test]
fn renders_values_postgresql_cannot_hold_without_panicking() {
    assert_eq!(text(&Value::Time(-1)), "-00:00:00.000001");
    assert_eq!(text(&Value::Time(i64::MAX)), "2562047788:00:54.775807");
    assert_eq!(text(&Value::Time(i64::MIN)), "-2562047788:00:54.775808");
    let extreme = Value::TimestampTz {
        micros: i64::MAX - 1,
        offset: i32::MAX,
    };
    assert!(!text(&extreme).is_empty());
    let extreme = Value::TimestampTz {
        micros: i64::MIN + 1,
        offset: i32::MIN,
    };
    assert!(text(&extreme).ends_with(" BC"));
}

/// Floats as PostgreSQL can produce them: any bits, NaN only in its
/// canonical quiet form.
fn f64_value() -> impl Strategy<Value = Value> {
    any::<u64>().prop_map(|b| {
        let v = f64::from_bits(b);
        Value::Float8(if v.is_nan() { f64::NAN } else { v })
    })
}

fn f32_value() -> impl Strategy<Value = Value> {
    any::<u32>().prop_map(|b| {
        let v = f32::from_bits(b);
        Value::Float4(if v.is_nan() { f32::NAN } else { v })
    })
}

/// Every value PostgreSQL can hold (and more: the whole i64/i32 range for
/// temporal types, offsets up to ±99:59:59).
fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i32>().prop_map(Value::Int4),
        any::<i64>().prop_map(Value::Int8),
        f64_value(),
        f32_value(),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::Date),
        (0..=USECS_PER_DAY).prop_map(Value::Time),
        any::<i64>().prop_map(Value::Timestamp),
        (any::<i64>(), -359_999..=359_999i32).prop_map(|(micros, offset)| {
            let offset = if micros == i64::MAX || micros == i64::MIN {
                0
            } else {
                offset
            };
            // Keep the local time inside i64 µs, as PostgreSQL does.
            Value::TimestampTz {
                micros: micros
                    .saturating_add(i64::from(offset))
                    .saturating_sub(i64::from(offset)),
                offset,
            }
        }),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytea),
        any::<[u8; 16]>().prop_map(Value::Uuid),
        "[-]?[0-9]{1,30}(\\.[0-9]{1,30})?".prop_map(Value::Numeric),
        any::<String>().prop_map(Value::Text),
        any::<String>().prop_map(Value::Json),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn parse_inverts_render(v in any_value()) {
        let Some(ty) = v.type_of() else { return Ok(()) };
        let s = text(&v);
        prop_assert_eq!(parse(ty, s.as_bytes()), Ok(v), "{}", s);
    }

    #[test]
    fn parse_never_panics_and_is_canonical(
        ty in proptest::sample::select(Type::ALL.to_vec()),
        bytes in proptest::collection::vec(any::<u8>(), 0..48),
    ) {
        if let Ok(v) = parse(ty, &bytes) {
            let s = text(&v);
            prop_assert_eq!(parse(ty, s.as_bytes()), Ok(v));
            if !matches!(ty, Type::Float4 | Type::Float8 | Type::Bytea) {
                prop_assert_eq!(s.as_bytes(), &bytes[..]);
            }
        }
    }

    #[test]
    fn parse_never_panics_on_near_valid_temporal_text(
        ty in proptest::sample::select(vec![Type::Date, Type::Time, Type::Timestamp, Type::TimestampTz]),
        s in "[0-9]{4,8}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,7})?)?([+-][0-9]{2}(:[0-9]{2}(:[0-9]{2})?)?)?( BC)?",
    ) {
        if let Ok(v) = parse(ty, s.as_bytes()) {
            prop_assert_eq!(text(&v), s);
        }
    }
}

#[test]
fn encoding_in_place_equals_parsing_then_encoding() {
    let cases: &[(Type, &[u8])] = &[
        (Type::Text, b"hello"),
        (Type::Json, b"{\"a\": 1}"),
        (Type::Numeric, b"-12.50"),
        (Type::Numeric, b"NaN"),
        (Type::Int4, b"42"),
        (Type::Int8, b"-9"),
        (Type::Bool, b"t"),
        (Type::Date, b"2024-02-29"),
        (Type::Bytea, b"\\x00ff"),
        (Type::Float8, b"1.5"),
    ];
    for &(ty, text) in cases {
        let mut expected = Vec::new();
        parse(ty, text).expect("valid").encode(&mut expected);
        let mut out = Vec::new();
        encode(ty, text, &mut out).expect("valid");
        assert_eq!(out, expected, "{ty:?} {text:?}");
    }
    for &(ty, text) in &[
        (Type::Numeric, &b"1e5"[..]),
        (Type::Text, &b"\xff"[..]),
        (Type::Int4, &b"x"[..]),
    ] {
        let mut out = vec![1];
        assert!(encode(ty, text, &mut out).is_err(), "{ty:?}");
        assert_eq!(out, [1]);
    }
}
