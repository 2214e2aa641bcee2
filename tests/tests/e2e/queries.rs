use std::time::{Duration, Instant};

use cor4_protocol::client::{Message, SqlState};
use cor4_protocol::packet::TransactionStatus;
use futures_util::StreamExt;

use super::*;

#[tokio::test]
async fn transactions_span_queries_and_survive_errors() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("tx").await;
    let c = connect(&proxy, &user, &password).await;
    c.execute("CREATE TABLE tx_t (id int PRIMARY KEY)", &[])
        .await
        .unwrap();

    c.execute("BEGIN", &[]).await.unwrap();
    assert_eq!(c.transaction_status(), TransactionStatus::InTransaction);
    c.execute("INSERT INTO tx_t VALUES (1), (2)", &[])
        .await
        .unwrap();
    c.execute("COMMIT", &[]).await.unwrap();
    assert_eq!(c.transaction_status(), TransactionStatus::Idle);

    c.execute("BEGIN", &[]).await.unwrap();
    c.execute("INSERT INTO tx_t VALUES (3)", &[]).await.unwrap();
    c.execute("ROLLBACK", &[]).await.unwrap();

    c.execute("BEGIN", &[]).await.unwrap();
    let err = c
        .execute("INSERT INTO tx_t VALUES (1)", &[])
        .await
        .unwrap_err();
    assert_eq!(err.code().map(|c| c.code()), Some("23505"));
    assert_eq!(c.transaction_status(), TransactionStatus::Failed);
    let err = c.execute("SELECT 1", &[]).await.unwrap_err();
    assert_eq!(
        err.code().map(|c| c.code()),
        Some("25P02"),
        "in a failed transaction"
    );
    c.execute("ROLLBACK", &[]).await.unwrap();
    assert_eq!(c.transaction_status(), TransactionStatus::Idle);

    let rows = c
        .query_all("SELECT id FROM tx_t ORDER BY id", &[])
        .await
        .unwrap();
    let ids: Vec<i32> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, [1, 2]);
}

#[tokio::test]
async fn several_statements_answer_in_order_and_stop_at_the_first_error() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("multi").await;
    let c = connect(&proxy, &user, &password).await;
    let mut stream = c
        .simple_query("CREATE TEMP TABLE m (a int); INSERT INTO m VALUES (1),(2),(3); SELECT a FROM m ORDER BY a; SELECT 1/0; SELECT 99")
        .await
        .unwrap();
    let mut seen = Vec::new();
    loop {
        match stream.next().await.unwrap().unwrap() {
            Message::Command { affected, tag } => seen.push(format!("{tag}/{affected}")),
            Message::Columns(cols) => seen.push(format!("head {}", cols[0].name())),
            Message::Row(r) => seen.push(format!("row {}", r.get::<_, i32>(0))),
            Message::ResultEnd { rows, tag } => seen.push(format!("end {tag}/{rows}")),
            Message::Error(e) => seen.push(format!("error {}", e.code().code())),
            Message::Ready(_) => break,
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            "CREATE TABLE/0",
            "INSERT 0 3/3",
            "head a",
            "row 1",
            "row 2",
            "row 3",
            "end SELECT 3/3",
            "error 22012"
        ]
    );
    // The session is still usable.
    assert_eq!(c.execute("SELECT 1", &[]).await.unwrap(), 1);
}

#[tokio::test]
async fn sql_errors_carry_postgresql_fields() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("err").await;
    let c = connect(&proxy, &user, &password).await;
    let err = c
        .query_all("SELECT * FROM no_such_table", &[])
        .await
        .unwrap_err();
    let db = err.as_db_error().expect("database error");
    assert_eq!(db.code(), &SqlState::UNDEFINED_TABLE);
    assert_eq!(db.severity(), "ERROR");
    assert_eq!(db.message(), "relation \"no_such_table\" does not exist");
    assert_eq!(db.position(), Some(15));
    c.ping().await.unwrap();
}

#[tokio::test]
async fn cancel_stops_a_running_query_and_keeps_the_session() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("cancel").await;
    let c = connect(&proxy, &user, &password).await;
    let handle = c.cancel_handle();
    let admin = admin_pg().await;
    let canceller = tokio::spawn(async move {
        // Once PostgreSQL runs the statement (ten minutes of sleep: only a
        // working cancel ends it with 57014 before the test's deadline).
        let start = Instant::now();
        while !sleeping(&admin, &user).await {
            assert!(start.elapsed() < DEADLINE, "the query never started");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        handle.cancel().await.unwrap();
    });
    let err = c.execute("SELECT pg_sleep(600)", &[]).await.unwrap_err();
    assert_eq!(err.code().map(|c| c.code()), Some("57014"));
    canceller.await.unwrap();
    assert_eq!(c.execute("SELECT 1", &[]).await.unwrap(), 1);
}

#[tokio::test]
async fn a_client_leaving_mid_result_leaves_no_backend_behind() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("leave").await;
    let admin = admin_pg().await;
    {
        let c = connect(&proxy, &user, &password).await;
        let mut rows = c
            .query(
                "SELECT g, repeat('x', 100) FROM generate_series(1, 5000000) g",
                &[],
            )
            .await
            .unwrap();
        for _ in 0..1000 {
            rows.next().await.unwrap().unwrap();
        }
        assert_eq!(backends(&admin, &user).await, 1);
        // Dropping the client closes the socket mid-result.
    }
    let start = Instant::now();
    while backends(&admin, &user).await > 0 {
        assert!(
            start.elapsed() < DEADLINE,
            "backend still there after {DEADLINE:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How long any observable change may take.
const DEADLINE: Duration = Duration::from_secs(60);

/// Whether `user` has a statement running `pg_sleep` in PostgreSQL.
async fn sleeping(admin: &tokio_postgres::Client, user: &str) -> bool {
    admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE usename = $1 AND state = 'active' AND query LIKE '%pg_sleep%'",
            &[&user],
        )
        .await
        .unwrap()
        .get::<_, i64>(0)
        > 0
}

async fn backends(admin: &tokio_postgres::Client, user: &str) -> i64 {
    admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = $1",
            &[&user],
        )
        .await
        .unwrap()
        .get::<_, i64>(0)
}

/// SIGTERM: the proxy stops accepting, tells idle sessions it is shutting
/// down, and exits cleanly by itself.
#[tokio::test]
async fn sigterm_ends_sessions_and_the_proxy() {
    let mut proxy = Proxy::start(&["--shutdown-grace", "3"]);
    let (user, password) = new_user("sigterm").await;
    let c = connect(&proxy, &user, &password).await;
    c.ping().await.unwrap();
    // `terminate` kills the proxy after 30 s: a clean exit status means it
    // left by itself.
    let status = tokio::task::spawn_blocking(move || {
        let status = proxy.terminate();
        (status, proxy)
    })
    .await
    .unwrap();
    assert!(status.0.success(), "exit status {}", status.0);
    let err = c.execute("SELECT 1", &[]).await.unwrap_err();
    assert!(
        err.error_code() == Some(cor4_protocol::ErrorCode::ServerShutdown) || err.is_closed(),
        "{err}"
    );
}
