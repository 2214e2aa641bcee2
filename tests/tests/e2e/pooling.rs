//! Pooling: in transaction mode 2,000 sessions share at most 50 PostgreSQL
//! connections, each running transactions that check their own data, with
//! no error and no mixed-up result; what transaction pooling cannot keep
//! is refused with a clear error; in session mode a connection is reset
//! and reused by the user's next session.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use cor4_protocol::client::Client;
use tokio::sync::Semaphore;

use super::*;

const SESSIONS: usize = 2000;
const USERS: usize = 20;
const TRANSACTIONS: i32 = 20;
const MAX_BACKENDS: i64 = 50;

/// The most connections the roles named `prefix…` hold now, straight from
/// PostgreSQL.
async fn backends_of(admin: &tokio_postgres::Client, prefix: &str) -> i64 {
    admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE usename LIKE $1 || '%'",
            &[&prefix],
        )
        .await
        .map_or(0, |row| row.get(0))
}

/// One session's work: `TRANSACTIONS` transactions, each inserting a row
/// and reading back the session's count and sum (a result from another
/// session's data, or a lost row, shows up as a wrong count or sum).
async fn work(client: &Client, table: &str, session: i32) -> Result<(), String> {
    let insert = client
        .prepare(&format!("INSERT INTO {table} VALUES ($1, $2)"))
        .await
        .map_err(|e| format!("prepare: {e}"))?;
    for i in 1..=TRANSACTIONS {
        client
            .batch_execute("BEGIN")
            .await
            .map_err(|e| format!("BEGIN: {e}"))?;
        client
            .execute(&insert, &[&session, &i])
            .await
            .map_err(|e| format!("insert: {e}"))?;
        let row = client
            .query_one(
                &format!("SELECT count(*), sum(n) FROM {table} WHERE session = $1"),
                &[&session],
            )
            .await
            .map_err(|e| format!("select: {e}"))?;
        let (count, sum): (i64, i64) = (row.get(0), row.get(1));
        let want = i64::from(i);
        if count != want || sum != want * (want + 1) / 2 {
            return Err(format!(
                "session {session}: count {count}, sum {sum} after {i} inserts"
            ));
        }
        client
            .batch_execute("COMMIT")
            .await
            .map_err(|e| format!("COMMIT: {e}"))?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_sessions_share_fifty_backends_in_transaction_mode() {
    let proxy = Proxy::start(&[
        "--pool-mode",
        "transaction",
        "--max-backends",
        &MAX_BACKENDS.to_string(),
        "--pool-size",
        "10",
        "--max-sessions",
        "2500",
        "--pool-wait-timeout",
        "120",
    ]);
    let prefix = unique_name("pool");
    let mut users = Vec::new();
    for u in 0..USERS {
        let (user, password) = new_user(&format!("{prefix}_{u}")).await;
        let table = format!("t_{u}");
        let c = connect(&proxy, &user, &password).await;
        c.batch_execute(&format!("CREATE TABLE {table} (session int, n int)"))
            .await
            .expect("create the user's table");
        drop(c);
        users.push((user, password, table));
    }
    let users = Arc::new(users);

    // Log every session in first (a few at a time: logins are CPU work),
    // and measure what idle sessions cost the proxy.
    let (rss_before, _) = proxy.rss_kib();
    let logins = Arc::new(Semaphore::new(32));
    let mut connecting = tokio::task::JoinSet::new();
    for s in 0..SESSIONS {
        let users = Arc::clone(&users);
        let logins = Arc::clone(&logins);
        let config = {
            let (user, password, _) = &users[s % USERS];
            config(&proxy, user, password)
        };
        connecting.spawn(async move {
            let _permit = logins.acquire().await.expect("semaphore");
            (s, Client::connect(&config).await)
        });
    }
    let mut clients = Vec::with_capacity(SESSIONS);
    while let Some(joined) = connecting.join_next().await {
        let (s, client) = joined.expect("login task");
        clients.push((s, client.unwrap_or_else(|e| panic!("login {s}: {e}"))));
    }
    let (rss_idle, _) = proxy.rss_kib();
    let per_session = (rss_idle.saturating_sub(rss_before)) * 1024 / SESSIONS as u64;
    eprintln!(
        "proxy RSS: {rss_before} KiB before, {rss_idle} KiB with {SESSIONS} idle sessions: \
         {per_session} bytes per idle session"
    );

    // While they work, PostgreSQL never sees more than 50 connections.
    let (admin, conn) = test_database()
        .admin_config()
        .connect(tokio_postgres::NoTls)
        .await
        .expect("admin connection");
    tokio::spawn(conn);
    let done = Arc::new(AtomicBool::new(false));
    let most = Arc::new(AtomicI64::new(0));
    let watcher = {
        let (done, most, prefix) = (Arc::clone(&done), Arc::clone(&most), prefix.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                most.fetch_max(backends_of(&admin, &prefix).await, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let mut working = tokio::task::JoinSet::new();
    for (s, client) in clients {
        let users = Arc::clone(&users);
        working.spawn(async move {
            let table = &users[s % USERS].2;
            let session = i32::try_from(s).expect("session number");
            let result = work(&client, table, session).await;
            (client, result)
        });
    }
    let mut errors = Vec::new();
    let mut idle_clients = Vec::new();
    while let Some(joined) = working.join_next().await {
        let (client, result) = joined.expect("session task");
        if let Err(e) = result {
            errors.push(e);
        }
        idle_clients.push(client);
    }
    done.store(true, Ordering::Relaxed);
    watcher.await.expect("watcher");
    assert!(
        errors.is_empty(),
        "{} sessions failed, e.g. {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    let most = most.load(Ordering::Relaxed);
    assert!(
        (1..=MAX_BACKENDS).contains(&most),
        "PostgreSQL saw {most} connections"
    );
    let (rss_after, peak) = proxy.rss_kib();
    let per_session_after = rss_after.saturating_sub(rss_before) * 1024 / SESSIONS as u64;
    eprintln!(
        "after the work: {rss_after} KiB ({per_session_after} bytes per idle session), \
         peak {peak} KiB; at most {most} PostgreSQL connections"
    );
    assert!(
        per_session <= 64 * 1024 && per_session_after <= 64 * 1024,
        "an idle session costs the proxy {per_session} bytes before its work and \
         {per_session_after} after; the bound is 64 KiB"
    );

    // Every row is there, each exactly once.
    let (user, password, _) = &users[0];
    let c = connect(&proxy, user, password).await;
    let row = c
        .query_one("SELECT count(*), count(DISTINCT session) FROM t_0", &[])
        .await
        .expect("count");
    let per_user = i64::try_from(SESSIONS / USERS).expect("fits");
    assert_eq!(
        (row.get::<_, i64>(0), row.get::<_, i64>(1)),
        (per_user * i64::from(TRANSACTIONS), per_user)
    );
    drop(idle_clients);
}

#[tokio::test]
async fn transaction_mode_refuses_what_it_cannot_keep() {
    let proxy = Proxy::start(&["--pool-mode", "transaction"]);
    let (user, password) = new_user("poolrefuse").await;
    let c = connect(&proxy, &user, &password).await;
    for (sql, word) in [
        ("SET search_path = public", "SET"),
        ("LISTEN jobs", "LISTEN"),
        ("CREATE TEMP TABLE scratch (a int)", "temporary"),
        ("SELECT pg_advisory_lock(7)", "advisory"),
        ("PREPARE q AS SELECT 1", "PREPARE"),
    ] {
        let e = c
            .batch_execute(sql)
            .await
            .expect_err(&format!("{sql} must be refused"));
        let text = e.to_string();
        assert!(
            text.contains(word) && text.contains("--pool-mode"),
            "{sql}: {text}"
        );
        assert_eq!(e.code().map(|c| c.code()), Some("0A000"), "{sql}");
    }
    // What ends with the transaction works, and the session goes on.
    c.batch_execute("BEGIN; SET LOCAL work_mem = '8MB'; CREATE TEMP TABLE t (a int) ON COMMIT DROP; SELECT pg_advisory_xact_lock(7); COMMIT")
        .await
        .expect("transaction-scoped forms");
    let statement = c.prepare("SELECT $1::int * 2").await.expect("prepare");
    for i in 0..5i32 {
        let row = c.query_one(&statement, &[&i]).await.expect("execute");
        assert_eq!(row.get::<_, i32>(0), i * 2);
    }
}

#[tokio::test]
async fn session_mode_resets_and_reuses_a_users_connection() {
    let proxy = Proxy::start(&[]);
    let (user, password) = new_user("poolreuse").await;
    let first = connect(&proxy, &user, &password).await;
    let pid: i32 = first
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .expect("pid")
        .get(0);
    first
        .batch_execute("SET application_name = 'left behind'; PREPARE q AS SELECT 1; CREATE TEMP TABLE gone (a int)")
        .await
        .expect("session state");
    first.close().await.expect("close");

    // The next session of the same user gets the same connection, reset.
    let second = connect(&proxy, &user, &password).await;
    let row = second
        .query_one(
            "SELECT pg_backend_pid(), current_setting('application_name'), \
             (SELECT count(*) FROM pg_prepared_statements), \
             to_regclass('pg_temp.gone') IS NULL",
            &[],
        )
        .await
        .expect("state of the reused connection");
    assert_eq!(row.get::<_, i32>(0), pid, "the connection is reused");
    assert_ne!(row.get::<_, String>(1), "left behind");
    assert_eq!(row.get::<_, i64>(2), 0);
    assert!(row.get::<_, bool>(3));

    // Another user never gets it.
    let (other, other_password) = new_user("poolother").await;
    let third = connect(&proxy, &other, &other_password).await;
    let other_pid: i32 = third
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .expect("pid")
        .get(0);
    assert_ne!(other_pid, pid);
}

#[tokio::test]
async fn transaction_mode_waits_for_a_backend_and_then_says_why() {
    let proxy = Proxy::start(&[
        "--pool-mode",
        "transaction",
        "--max-backends",
        "1",
        "--pool-wait-timeout",
        "1",
    ]);
    let (user, password) = new_user("poolwait").await;
    let holder = connect(&proxy, &user, &password).await;
    let waiter = connect(&proxy, &user, &password).await;
    holder.batch_execute("BEGIN").await.expect("BEGIN");
    // The only connection is held by an open transaction.
    let e = waiter
        .query_one("SELECT 1", &[])
        .await
        .expect_err("no connection within the wait timeout");
    assert_eq!(e.code().map(|c| c.code()), Some("53300"), "{e}");
    assert!(e.to_string().contains("--pool-wait-timeout"), "{e}");
    holder.batch_execute("COMMIT").await.expect("COMMIT");
    let row = waiter
        .query_one("SELECT 41 + 1", &[])
        .await
        .expect("then it runs");
    assert_eq!(row.get::<_, i32>(0), 42);
}
