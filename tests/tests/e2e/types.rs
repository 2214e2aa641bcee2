use cor4_protocol::{Type, Value, pgtext};

use super::*;

/// (SQL expression, the wire type it must arrive as)
const CASES: &[(&str, Type)] = &[
    ("NULL::int4", Type::Int4),
    ("(-2147483648)::int4", Type::Int4),
    ("2147483647::int4", Type::Int4),
    ("(-32768)::int2", Type::Int4),
    ("(-9223372036854775808)::int8", Type::Int8),
    ("9223372036854775807::int8", Type::Int8),
    ("4294967295::oid", Type::Int8),
    (
        "1234567890123456789012345678901234567890.0123456789::numeric",
        Type::Numeric,
    ),
    (
        "'-0.000000000000000000000000000000000001'::numeric",
        Type::Numeric,
    ),
    ("'NaN'::numeric", Type::Numeric),
    ("'Infinity'::numeric", Type::Numeric),
    ("'-Infinity'::numeric", Type::Numeric),
    ("'NaN'::float8", Type::Float8),
    ("'Infinity'::float8", Type::Float8),
    ("'-Infinity'::float8", Type::Float8),
    ("0.1::float8 + 0.2::float8", Type::Float8),
    ("'-0'::float8", Type::Float8),
    ("1e308::float8", Type::Float8),
    ("5e-324::float8", Type::Float8),
    ("3.4028235e38::float4", Type::Float4),
    ("'NaN'::float4", Type::Float4),
    ("1.1::float4", Type::Float4),
    ("true", Type::Bool),
    ("false", Type::Bool),
    ("''::text", Type::Text),
    ("'unicode ✓ ünïcödé 🎉👩‍👩‍👧'::text", Type::Text),
    ("'char padded'::char(15)", Type::Text),
    ("'vc'::varchar(10)", Type::Text),
    ("'nm'::name", Type::Text),
    ("'4714-11-24 BC'::date", Type::Date),
    ("'0044-03-15 BC'::date", Type::Date),
    ("'5874897-12-31'::date", Type::Date),
    ("'294276-12-31'::date", Type::Date),
    ("'infinity'::date", Type::Date),
    ("'-infinity'::date", Type::Date),
    ("'2000-01-01'::date", Type::Date),
    ("'4714-11-24 00:00:00 BC'::timestamp", Type::Timestamp),
    ("'294276-12-31 23:59:59.999999'::timestamp", Type::Timestamp),
    ("'2024-02-29 13:14:15.123456'::timestamp", Type::Timestamp),
    ("'infinity'::timestamp", Type::Timestamp),
    (
        "'2024-02-29 13:14:15.000001+00'::timestamptz",
        Type::TimestampTz,
    ),
    (
        "'294276-12-31 23:59:59.999999+00'::timestamptz",
        Type::TimestampTz,
    ),
    ("'-infinity'::timestamptz", Type::TimestampTz),
    ("'00:00:00'::time", Type::Time),
    ("'24:00:00'::time", Type::Time),
    ("'23:59:59.999999'::time", Type::Time),
    ("'\\x'::bytea", Type::Bytea),
    ("'\\x00ff00deadbeef00'::bytea", Type::Bytea),
    ("'{\"a\": [1, 2.50, null], \"b\": \"ü\"}'::json", Type::Json),
    ("'{\"b\": 1,   \"a\": [true]}'::jsonb", Type::Json),
    ("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", Type::Uuid),
    ("ARRAY[1, NULL, 3]", Type::Text),
    ("ARRAY['a b', 'c\"d']", Type::Text),
    ("'1 year 2 mons 3 days 04:05:06.789'::interval", Type::Text),
    ("'12:34:56+05:30'::timetz", Type::Text),
    ("12.34::money", Type::Text),
    ("'192.168.0.1/24'::inet", Type::Text),
    ("'[1,10)'::int4range", Type::Text),
    ("ROW(1, 'x', NULL)", Type::Text),
    ("B'1011'", Type::Text),
    ("'<a>x</a>'::xml", Type::Text),
];

/// Every case through the proxy: the right wire type, and a value whose
/// PostgreSQL text form is exactly what PostgreSQL itself prints.
#[tokio::test]
async fn every_type_round_trips_exactly_at_its_edges() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("types").await;
    let c = connect(&proxy, &user, &password).await;
    let admin = admin_pg().await;
    for (expr, ty) in CASES {
        let sql = format!("SELECT {expr}");
        let rows = c
            .query_all(&sql, &[])
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        assert_eq!(rows[0].columns()[0].type_(), *ty, "{sql}");
        let value = rows[0].value(0).unwrap();
        let direct = admin.simple_query(&sql).await.unwrap();
        let text = direct
            .iter()
            .find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).map(str::to_owned)),
                _ => None,
            })
            .expect("a row");
        assert_eq!(pgtext::to_text(value), text, "{sql}: {value:?}");
    }
}

#[tokio::test]
async fn typed_getters_read_edge_values() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("getters").await;
    let c = connect(&proxy, &user, &password).await;
    let rows = c
        .query_all(
            "SELECT (-2147483648)::int4 AS a, 9223372036854775807::int8 AS b, NULL::text AS n, \
             repeat('é', 524288) AS big, '\\x0000ff00'::bytea AS bin, ''::text AS empty, \
             '2024-02-29 13:14:15.123456'::timestamp AS ts, 12345678901234567890.123456789::numeric AS d",
            &[],
        )
        .await
        .unwrap();
    let r = &rows[0];
    assert_eq!(r.get::<_, i32>("a"), i32::MIN);
    assert_eq!(r.get::<_, i64>("b"), i64::MAX);
    assert_eq!(r.get::<_, Option<String>>("n"), None);
    assert!(r.try_get::<_, String>("n").is_err(), "NULL needs Option");
    let big: &str = r.get("big");
    assert_eq!(big.len(), 1 << 20, "a 1 MiB text value");
    assert!(big.chars().all(|c| c == 'é'));
    assert_eq!(r.get::<_, Vec<u8>>("bin"), vec![0, 0, 0xff, 0]);
    assert_eq!(r.get::<_, &str>("empty"), "");
    assert_eq!(
        r.get::<_, chrono::NaiveDateTime>("ts").to_string(),
        "2024-02-29 13:14:15.123456"
    );
    assert_eq!(
        r.get::<_, rust_decimal::Decimal>("d").to_string(),
        "12345678901234567890.123456789"
    );
    assert!(matches!(r.value(2).unwrap(), Value::Null));
}
