//! Parameters, prepared statements and transactions through the client:
//! values travel as typed Cor4 values beside the SQL, never spliced into it.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use cor4_protocol::client::{FromValue, SqlState, ToValue};
use cor4_protocol::{Type, Value};
use futures_util::TryStreamExt;
use rust_decimal::Decimal;

use super::*;

#[tokio::test]
async fn parameters_answer_as_typed_values() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("params").await;
    let c = connect(&proxy, &user, &password).await;
    let row = c
        .query_one("SELECT $1::int + 1, $2::text", &[&41i32, &"it's"])
        .await
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 42);
    assert_eq!(row.get::<_, &str>(1), "it's");
    // A text parameter is read as whatever type PostgreSQL needs.
    let row = c
        .query_one("SELECT $1::inet << '10.0.0.0/8'", &[&"10.1.2.3"])
        .await
        .unwrap();
    assert!(row.get::<_, bool>(0));
}

#[tokio::test]
async fn a_parameter_holding_sql_is_stored_verbatim() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("inject").await;
    let c = connect(&proxy, &user, &password).await;
    c.batch_execute("CREATE TABLE x (id int); CREATE TABLE notes (t text)")
        .await
        .unwrap();
    let hostile = "'; DROP TABLE x; --";
    assert_eq!(
        c.execute("INSERT INTO notes VALUES ($1)", &[&hostile])
            .await
            .unwrap(),
        1
    );
    let stored: String = c
        .query_one("SELECT t FROM notes", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(stored, hostile);
    // x is still there.
    assert_eq!(
        c.query_one("SELECT count(*) FROM x", &[])
            .await
            .unwrap()
            .get::<_, i64>(0),
        0
    );
}

/// Sends `value` as `$1` (cast to `pg_type`) and reads it back as `T`.
async fn round_trip<T>(c: &Client, pg_type: &str, value: T)
where
    T: ToValue + Sync + PartialEq + std::fmt::Debug + for<'a> FromValue<'a>,
{
    let sql = format!("SELECT $1::{pg_type}");
    let row = c
        .query_one(&sql, &[&value])
        .await
        .unwrap_or_else(|e| panic!("{sql} with {value:?}: {e}"));
    let back: T = row
        .try_get(0)
        .unwrap_or_else(|e| panic!("{sql} with {value:?}: {e}"));
    assert_eq!(back, value, "{sql}");
    // Without a cast: the parameter's own type decides the result's.
    let row = c
        .query_one("SELECT $1", &[&value])
        .await
        .unwrap_or_else(|e| panic!("SELECT $1 with {value:?}: {e}"));
    if let Ok(back) = row.try_get::<_, T>(0) {
        assert_eq!(back, value, "SELECT $1");
    }
}

#[tokio::test]
async fn every_to_value_type_round_trips_at_its_edges() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("edges").await;
    let c = connect(&proxy, &user, &password).await;
    for v in [i32::MIN, -1, 0, i32::MAX] {
        round_trip(&c, "int4", v).await;
    }
    for v in [i64::MIN, 0, i64::MAX] {
        round_trip(&c, "int8", v).await;
    }
    for v in [
        f64::MIN,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        -0.0,
        0.1 + 0.2,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        round_trip(&c, "float8", v).await;
    }
    for v in [f32::MIN, f32::MAX, 1.1f32, f32::INFINITY] {
        round_trip(&c, "float4", v).await;
    }
    let nan: f64 = c
        .query_one("SELECT $1::float8", &[&f64::NAN])
        .await
        .unwrap()
        .get(0);
    assert!(nan.is_nan());
    for v in [true, false] {
        round_trip(&c, "bool", v).await;
    }
    for v in [
        String::new(),
        "unicode ✓ ünïcödé 🎉👩‍👩‍👧".to_owned(),
        "quote ' and backslash \\ and $1".to_owned(),
        "x".repeat(1 << 20),
    ] {
        round_trip(&c, "text", v).await;
    }
    for v in [
        Decimal::MAX,
        Decimal::MIN,
        Decimal::new(1, 28),
        Decimal::new(-12340, 4),
        Decimal::ZERO,
    ] {
        round_trip(&c, "numeric", v).await;
    }
    for v in [
        NaiveDate::from_ymd_opt(-4713, 11, 24).unwrap(),
        NaiveDate::from_ymd_opt(-43, 3, 15).unwrap(),
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
        NaiveDate::MAX,
    ] {
        round_trip(&c, "date", v).await;
    }
    for v in [
        NaiveTime::MIN,
        NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap(),
    ] {
        round_trip(&c, "time", v).await;
    }
    let min_ts = NaiveDate::from_ymd_opt(-4713, 11, 24)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let max_ts = NaiveDate::MAX
        .and_hms_micro_opt(23, 59, 59, 999_999)
        .unwrap();
    let leap = NaiveDate::from_ymd_opt(2024, 2, 29)
        .unwrap()
        .and_hms_micro_opt(13, 14, 15, 123_456)
        .unwrap();
    for v in [min_ts, max_ts, leap] {
        round_trip::<NaiveDateTime>(&c, "timestamp", v).await;
        round_trip::<DateTime<Utc>>(&c, "timestamptz", v.and_utc()).await;
    }
    for v in [Vec::new(), vec![0u8, 255, 0], (0..=255u8).collect()] {
        round_trip(&c, "bytea", v).await;
    }
    for v in [
        uuid::Uuid::nil(),
        uuid::Uuid::max(),
        uuid::Uuid::from_u128(42),
    ] {
        round_trip(&c, "uuid", v).await;
    }
    for v in [
        serde_json::json!({"a": [1, 2.5, null], "b": "ü"}),
        serde_json::json!([]),
        serde_json::json!("text"),
    ] {
        round_trip(&c, "jsonb", v).await;
    }
}

#[tokio::test]
async fn nulls_travel_typed_and_untyped() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("nulls").await;
    let c = connect(&proxy, &user, &password).await;
    let row = c
        .query_one(
            "SELECT $1, $2::text, $3 IS NULL, pg_typeof($1)::text",
            &[&None::<i64>, &None::<&str>, &None::<NaiveDate>],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, Option<i64>>(0), None);
    assert_eq!(row.get::<_, Option<String>>(1), None);
    assert!(row.get::<_, bool>(2));
    // The NULL carried its type: PostgreSQL knows $1 is a bigint.
    assert_eq!(row.get::<_, &str>(3), "bigint");
    assert_eq!(row.columns()[0].type_(), Type::Int8);
}

#[tokio::test]
async fn every_wire_value_goes_back_as_a_parameter() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("wire").await;
    let c = connect(&proxy, &user, &password).await;
    for (expr, ty) in [
        ("'4714-11-24 BC'::date", "date"),
        ("'5874897-12-31'::date", "date"),
        ("'infinity'::date", "date"),
        ("'294276-12-31 23:59:59.999999'::timestamp", "timestamp"),
        ("'-infinity'::timestamp", "timestamp"),
        ("'1800-06-01 12:53:28+00:53:28'::timestamptz", "timestamptz"),
        ("'24:00:00'::time", "time"),
        ("'NaN'::numeric", "numeric"),
        ("'-Infinity'::numeric", "numeric"),
        (
            "1234567890123456789012345678901234567890.0123456789",
            "numeric",
        ),
        ("'\\x00ff'::bytea", "bytea"),
        ("4294967295::oid", "oid"),
        ("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", "uuid"),
    ] {
        let original: Value = c
            .query_one(&format!("SELECT {expr}"), &[])
            .await
            .unwrap()
            .get(0);
        let sql = format!("SELECT $1::{ty} = {expr}, $1::{ty}");
        let row = c.query_one(&sql, &[&original]).await.unwrap();
        assert!(row.get::<_, bool>(0), "{sql}: {original:?}");
        assert_eq!(row.get::<_, Value>(1), original, "{sql}");
    }
}

#[tokio::test]
async fn a_prepared_statement_is_parsed_once() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("prep").await;
    let c = connect(&proxy, &user, &password).await;
    let stmt = c.prepare("SELECT $1::int * 2").await.unwrap();
    assert_eq!(stmt.param_types(), [Type::Int4]);
    assert_eq!(stmt.columns()[0].type_(), Type::Int4);
    for i in 0..10_000i32 {
        let row = c.query_one(&stmt, &[&i]).await.unwrap();
        assert_eq!(row.get::<_, i32>(0), i * 2);
    }
    // PostgreSQL's own count: one statement of that name in this session,
    // planned (so executed) 10,000 times.
    let row = c
        .query_one(
            "SELECT count(*), sum(generic_plans + custom_plans)::int8 \
             FROM pg_prepared_statements WHERE name = $1",
            &[&stmt.name()],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 1);
    assert_eq!(row.get::<_, i64>(1), 10_000);
    // Closed when dropped.
    let name = stmt.name().to_owned();
    drop(stmt);
    c.ping().await.unwrap();
    let left: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = $1",
            &[&name],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

#[tokio::test]
async fn sixteen_tasks_share_one_client() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("share").await;
    let c = Arc::new(connect(&proxy, &user, &password).await);
    let stmt = c.prepare("SELECT $1::int8, $2::text").await.unwrap();
    let mut tasks = Vec::new();
    for task in 0..16i64 {
        let c = c.clone();
        let stmt = stmt.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..200i64 {
                let n = task * 1000 + i;
                let label = format!("task {task} query {i}");
                let row = if i % 2 == 0 {
                    c.query_one(&stmt, &[&n, &label]).await.unwrap()
                } else {
                    c.query_one("SELECT $1::int8, $2::text", &[&n, &label])
                        .await
                        .unwrap()
                };
                assert_eq!(row.get::<_, i64>(0), n);
                assert_eq!(row.get::<_, &str>(1), label);
                if i % 50 == 0 {
                    let rows: Vec<i64> = c
                        .query("SELECT generate_series(1, $1::int8)", &[&(task + 1)])
                        .await
                        .unwrap()
                        .map_ok(|r| r.get::<_, i64>(0))
                        .try_collect()
                        .await
                        .unwrap();
                    assert_eq!(rows, (1..=task + 1).collect::<Vec<_>>());
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

#[tokio::test]
async fn bad_statements_and_values_leave_the_session_usable() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("bad").await;
    let c = connect(&proxy, &user, &password).await;
    let err = c.prepare("SELEC 1").await.unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::SYNTAX_ERROR));
    // Fewer values than $n: PostgreSQL's own complaint.
    let err = c
        .query_one("SELECT $1::int + $2::int", &[&1i32])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::PROTOCOL_VIOLATION), "{err}");
    // A value PostgreSQL cannot read as the parameter's type.
    let err = c.query_one("SELECT $1::int", &[&"abc"]).await.unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::INVALID_TEXT_REPRESENTATION));
    // A prepared statement given the wrong number of values never leaves
    // the client.
    let stmt = c.prepare("SELECT $1::int").await.unwrap();
    let err = c.query_one(&stmt, &[]).await.unwrap_err();
    assert!(err.to_string().contains("takes 1 parameter"), "{err}");
    // A NUL byte in the SQL.
    let err = c.query_one("SELECT 1\0", &[&1i32]).await.unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::CHARACTER_NOT_IN_REPERTOIRE));
    assert_eq!(
        c.query_one(&stmt, &[&5i32]).await.unwrap().get::<_, i32>(0),
        5
    );
}

#[tokio::test]
async fn transactions_commit_roll_back_and_fail_as_in_postgresql() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("txn").await;
    let mut c = connect(&proxy, &user, &password).await;
    c.batch_execute("CREATE TABLE t (id int PRIMARY KEY)")
        .await
        .unwrap();
    let insert = c.prepare("INSERT INTO t VALUES ($1)").await.unwrap();
    {
        let tx = c.transaction().await.unwrap();
        tx.execute(&insert, &[&1i32]).await.unwrap();
        tx.commit().await.unwrap();
    }
    {
        let tx = c.transaction().await.unwrap();
        tx.execute(&insert, &[&2i32]).await.unwrap();
        // Dropped without commit: rolled back.
    }
    {
        let tx = c.transaction().await.unwrap();
        // A failed execute inside the transaction fails it, as in
        // PostgreSQL: later statements are refused until it ends.
        let err = tx.execute(&insert, &[&1i32]).await.unwrap_err();
        assert_eq!(err.code(), Some(&SqlState::UNIQUE_VIOLATION));
        let err = tx.execute(&insert, &[&3i32]).await.unwrap_err();
        assert_eq!(err.code(), Some(&SqlState::IN_FAILED_SQL_TRANSACTION));
        let err = tx.commit().await.unwrap_err();
        assert!(err.to_string().contains("rolled back"), "{err}");
    }
    let ids: Vec<i32> = c
        .query_all("SELECT id FROM t ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids, [1]);
}

#[tokio::test]
async fn a_deadpool_pool_shares_a_few_sessions_among_many_tasks() {
    use cor4_protocol::client::pool::{Manager, Pool, RecyclingMethod};
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("pool").await;
    let pool = Pool::builder(Manager::new(
        config(&proxy, &user, &password),
        RecyclingMethod::Clean,
    ))
    .max_size(3)
    .build()
    .unwrap();
    let mut tasks = Vec::new();
    for task in 0..24i32 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let client = pool.get().await.unwrap();
            // Session state left behind is gone for the next user.
            let before: Option<String> = client
                .query_one("SELECT current_setting('cor4.mark', true)", &[])
                .await
                .unwrap()
                .get(0);
            assert!(before.as_deref().is_none_or(str::is_empty), "{before:?}");
            client
                .batch_execute("SET cor4.mark = 'dirty'")
                .await
                .unwrap();
            let n: i32 = client
                .query_one("SELECT $1::int * 2", &[&task])
                .await
                .unwrap()
                .get(0);
            assert_eq!(n, task * 2);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let status = pool.status();
    assert!(status.size <= 3, "{status:?}");
}
