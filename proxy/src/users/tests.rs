//! The user store against a real PostgreSQL: a throwaway embedded cluster per
//! test (the harness's `TempCluster`: the proxy's own launcher, superuser
//! `cor4_admin`, Unix socket and SCRAM), stopped and deleted on drop even
//! when an assertion fails.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, SystemTime};

use cor4_protocol::crypto::{KsfParams, PasswordKey};
use cor4_protocol::handshake::{Account, ClientHandshake, ServerHandshake};
use tokio_postgres::{Client, Config, NoTls};

use super::*;
use cor4_testpg::TempCluster;

async fn connect(config: &Config) -> Client {
    let (client, connection) = config.connect(NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

/// The SQLSTATE `sql` fails with; panics if it succeeds.
async fn sqlstate(client: &Client, sql: &str) -> String {
    match client.batch_execute(sql).await {
        Ok(()) => panic!("{sql:?} succeeded"),
        Err(e) => e
            .code()
            .map(|c| c.code().to_owned())
            .unwrap_or_else(|| panic!("{sql:?}: {e}")),
    }
}

async fn whoami(client: &Client) -> (String, String) {
    let row = client
        .query_one("SELECT current_user::text, session_user::text", &[])
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

/// A cheap Argon2id for tests.
const ITER: KsfParams = KsfParams {
    memory_kib: 64,
    iterations: 1,
    parallelism: 1,
};

/// Whether `password` logs in against the stored verifier (an in-memory
/// OPAQUE login with the store's server keys).
fn proves(store: &UserStore, record: &UserRecord, password: &str) -> bool {
    let verifier = record.verifier.as_ref().expect("a v3 verifier");
    let (client, login) =
        ClientHandshake::start(&record.name, PasswordKey::from_password(password), 4096).unwrap();
    let (_, response) = ServerHandshake::on_login(&login[4..])
        .unwrap()
        .respond(store.server_keys(), Account::Verifier(verifier), 4096)
        .unwrap();
    client.on_response(&response[4..]).is_ok()
}

#[tokio::test]
async fn store_lifecycle() {
    let pg = TempCluster::start_async().await;
    let store = UserStore::open(&pg.admin_config()).await.unwrap();
    // Migrations are idempotent and the secret is created once.
    let again = UserStore::open(&pg.admin_config()).await.unwrap();
    assert_eq!(store.server_secret(), again.server_secret());
    assert_ne!(store.server_secret(), &[0; 32]);
    let admin = connect(&pg.admin_config()).await;
    let versions: i64 = admin
        .query_one("SELECT count(*) FROM cor4.schema_version", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(versions, i64::from(migrations::latest()));

    assert!(store.lookup("alice").await.unwrap().is_none());
    store
        .add_user("alice", "first password", None, false, ITER)
        .await
        .unwrap();
    let alice = store.lookup("alice").await.unwrap().unwrap();
    assert_eq!(
        (alice.name.as_str(), alice.role.as_str()),
        ("alice", "alice")
    );
    assert_eq!(alice.verifier.as_ref().map(|v| v.ksf()), Some(ITER));
    assert!(proves(&store, &alice, "first password"));
    assert!(!proves(&store, &alice, "second password"));
    // Every proxy on the database shares the OPAQUE server keys.
    assert_eq!(
        store.server_keys().to_bytes(),
        again.server_keys().to_bytes()
    );
    assert!(!alice.locked && !alice.is_admin && !alice.must_change_password);
    assert!(alice.unknown_address_allowed());
    assert!(alice.address_allowed("192.0.2.1".parse().unwrap()));

    // Refusals.
    let err = store
        .add_user("alice", "another pw 1", None, false, ITER)
        .await;
    assert!(matches!(err, Err(UserError::UserExists)), "{err:?}");
    let err = store
        .add_user("carol", "another pw 1", Some("alice"), false, ITER)
        .await;
    assert!(matches!(err, Err(UserError::RoleTaken)), "{err:?}");
    let err = store
        .add_user("dave", "another pw 1", Some("cor4_admin"), false, ITER)
        .await;
    assert!(matches!(err, Err(UserError::InvalidName(_))), "{err:?}");
    let err = store
        .add_user("Eve", "another pw 1", None, false, ITER)
        .await;
    assert!(matches!(err, Err(UserError::InvalidName(_))), "{err:?}");
    let err = store.add_user("frank", "frank", None, false, ITER).await;
    assert!(
        matches!(err, Err(UserError::PasswordRejected(_))),
        "{err:?}"
    );
    let err = store
        .add_user("gina", "long enough", None, false, KsfParams::new(1, 1))
        .await;
    assert!(matches!(err, Err(UserError::KsfOutOfRange(_))), "{err:?}");
    assert!(store.lookup("carol").await.unwrap().is_none());

    // set_password: a new verifier, the old password no longer proves,
    // must_change cleared.
    store.set_must_change("alice", true).await.unwrap();
    assert!(
        store
            .lookup("alice")
            .await
            .unwrap()
            .unwrap()
            .must_change_password
    );
    let cost = KsfParams::new(128, 2);
    let store = store.with_ksf(cost).unwrap();
    store
        .set_password("alice", &PasswordKey::from_password("second password"))
        .await
        .unwrap();
    let changed = store.lookup("alice").await.unwrap().unwrap();
    assert_eq!(changed.verifier.as_ref().map(|v| v.ksf()), Some(cost));
    assert!(!proves(&store, &changed, "first password"));
    assert!(proves(&store, &changed, "second password"));
    assert!(!changed.must_change_password);
    let err = store
        .set_password("alice", &PasswordKey::from_password("alice"))
        .await;
    assert!(
        matches!(err, Err(UserError::PasswordRejected(_))),
        "{err:?}"
    );
    let err = store.set_password_text("alice", "short", ITER).await;
    assert!(
        matches!(err, Err(UserError::PasswordRejected(_))),
        "{err:?}"
    );
    let err = store
        .set_password("nobody", &PasswordKey::from_password("whatever 123"))
        .await;
    assert!(matches!(err, Err(UserError::NoSuchUser)), "{err:?}");

    // lock / unlock.
    store.lock("alice").await.unwrap();
    assert!(store.lookup("alice").await.unwrap().unwrap().locked);
    store.unlock("alice").await.unwrap();
    assert!(!store.lookup("alice").await.unwrap().unwrap().locked);
    assert!(matches!(
        store.lock("nobody").await,
        Err(UserError::NoSuchUser)
    ));

    // Address ranges.
    let err = store
        .set_allowed_cidrs("alice", &["10.0.0.1/8".to_owned()])
        .await;
    assert!(matches!(err, Err(UserError::InvalidCidr { .. })), "{err:?}");
    store
        .set_allowed_cidrs(
            "alice",
            &["10.0.0.0/8".to_owned(), " 2001:db8::/32".to_owned()],
        )
        .await
        .unwrap();
    let ranged = store.lookup("alice").await.unwrap().unwrap();
    assert!(ranged.address_allowed("10.1.2.3".parse().unwrap()));
    assert!(ranged.address_allowed("::ffff:10.1.2.3".parse().unwrap()));
    assert!(!ranged.address_allowed("192.0.2.1".parse().unwrap()));
    assert!(!ranged.unknown_address_allowed());

    // list.
    store
        .add_user("bob", "bob's password", Some("bob_role"), true, ITER)
        .await
        .unwrap();
    let list = store.list().await.unwrap();
    let names: Vec<_> = list
        .iter()
        .map(|u| (u.name.as_str(), u.role.as_str()))
        .collect();
    assert_eq!(names, [("alice", "alice"), ("bob", "bob_role")]);
    assert_eq!(list[0].allowed_cidrs, ["10.0.0.0/8", "2001:db8::/32"]);
    assert!(list[1].is_admin && !list[0].is_admin);

    // remove: refused while the role owns objects, unless forced.
    let bob = store.lookup("bob").await.unwrap().unwrap();
    let bob_conn = connect(&store.session_config(&bob)).await;
    bob_conn
        .batch_execute("CREATE TABLE keep(x int)")
        .await
        .unwrap();
    let err = store.remove("bob").await;
    assert!(
        matches!(err, Err(UserError::OwnsObjects { count: 1 })),
        "{err:?}"
    );
    store.remove_dropping_objects("bob").await.unwrap();
    assert!(
        bob_conn.batch_execute("SELECT 1").await.is_err(),
        "session ended"
    );
    store.remove("alice").await.unwrap();
    assert!(store.list().await.unwrap().is_empty());
    let roles: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('alice', 'bob_role')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(roles, 0);
    let schemas: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname IN ('alice', 'bob_role')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(schemas, 0);
    assert!(matches!(
        store.remove_dropping_objects("alice").await,
        Err(UserError::NoSuchUser)
    ));
}

#[tokio::test]
async fn failed_logins_lock_then_back_off() {
    let pg = TempCluster::start_async().await;
    // Two proxies starting at once: one creates the database and migrates,
    // the other waits for it, and both end up with the same secret.
    let admin = pg.admin_config();
    let (first, second) = tokio::join!(
        UserStore::open_database(&admin, "cor4"),
        UserStore::open_database(&admin, "cor4")
    );
    let (first, store) = (first.unwrap(), second.unwrap());
    assert_eq!(first.server_secret(), store.server_secret());
    let store = store.with_lockout(LockoutPolicy {
        max_failures: 3,
        base_lockout: Duration::from_secs(60),
        max_lockout: Duration::from_secs(100),
    });
    assert_eq!(store.database(), Some("cor4"));
    store
        .add_user("carol", "carol's password", None, false, ITER)
        .await
        .unwrap();
    // Each judged attempt counts in advance; the third starts the lockout.
    assert_eq!(
        store.begin_attempt("carol", true).await.unwrap(),
        Attempt::Judged
    );
    assert_eq!(
        store.begin_attempt("carol", true).await.unwrap(),
        Attempt::Judged
    );
    let carol = store.lookup("carol").await.unwrap().unwrap();
    assert_eq!(carol.failed_attempts, 2);
    assert!(!carol.is_rate_limited());

    assert_eq!(
        store.begin_attempt("carol", true).await.unwrap(),
        Attempt::Judged
    );
    let carol = store.lookup("carol").await.unwrap().unwrap();
    assert!(carol.is_rate_limited());
    assert_eq!(carol.failed_attempts, 3);
    let wait = carol
        .locked_until
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(
        wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
        "{wait:?}"
    );

    // During the lockout an attempt is not judged, not counted, and does
    // not extend it.
    assert!(matches!(
        store.begin_attempt("carol", true).await.unwrap(),
        Attempt::LockedOut { recent: true }
    ));
    let again = store.lookup("carol").await.unwrap().unwrap();
    assert_eq!(again.failed_attempts, 3);
    assert_eq!(again.locked_until, carol.locked_until);

    // After it expires, the next failure doubles it, up to the cap.
    let admin = connect(&store.config).await;
    admin
        .batch_execute("UPDATE cor4.users SET locked_until = now() - interval '1s'")
        .await
        .unwrap();
    assert!(
        !store
            .lookup("carol")
            .await
            .unwrap()
            .unwrap()
            .is_rate_limited()
    );
    assert_eq!(
        store.begin_attempt("carol", true).await.unwrap(),
        Attempt::Judged
    );
    let carol = store.lookup("carol").await.unwrap().unwrap();
    let wait = carol
        .locked_until
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(
        wait > Duration::from_secs(90) && wait <= Duration::from_secs(100),
        "{wait:?}"
    );

    // Success (a proven password) and unlock reset it.
    store.record_success("carol").await.unwrap();
    let carol = store.lookup("carol").await.unwrap().unwrap();
    assert_eq!(carol.failed_attempts, 0);
    assert!(!carol.is_rate_limited());
    assert_eq!(
        store.begin_attempt("carol", true).await.unwrap(),
        Attempt::Judged
    );
    store.unlock("carol").await.unwrap();
    assert_eq!(
        store
            .lookup("carol")
            .await
            .unwrap()
            .unwrap()
            .failed_attempts,
        0
    );

    // Unknown users are ignored.
    assert_eq!(
        store.begin_attempt("nobody", true).await.unwrap(),
        Attempt::LockedOut { recent: false }
    );
    // Not judged: the same statement, and nothing counted.
    assert_eq!(
        store.begin_attempt("carol", false).await.unwrap(),
        Attempt::NotCounted
    );
    assert_eq!(
        store
            .lookup("carol")
            .await
            .unwrap()
            .unwrap()
            .failed_attempts,
        0
    );
    store.record_success("nobody").await.unwrap();
}

#[tokio::test]
async fn sessions_are_isolated() {
    let pg = TempCluster::start_async().await;
    let store = UserStore::open_database(&pg.admin_config(), "cor4")
        .await
        .unwrap();
    store
        .add_user("a", "password of a", None, false, ITER)
        .await
        .unwrap();
    store
        .add_user("b", "password of b", None, false, ITER)
        .await
        .unwrap();
    store
        .add_user("boss", "password of boss", None, true, ITER)
        .await
        .unwrap();
    let a_rec = store.lookup("a").await.unwrap().unwrap();
    let b_rec = store.lookup("b").await.unwrap().unwrap();
    let boss_rec = store.lookup("boss").await.unwrap().unwrap();

    let a = connect(&store.session_config(&a_rec)).await;
    assert_eq!(whoami(&a).await, ("a".to_owned(), "a".to_owned()));
    a.batch_execute("CREATE TABLE t(secret text); INSERT INTO t VALUES ('only for a')")
        .await
        .unwrap();
    let schema: String = a
        .query_one(
            "SELECT schemaname::text FROM pg_tables WHERE tablename = 't'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(schema, "a", "tables land in the user's own schema");
    assert_eq!(sqlstate(&a, "CREATE TABLE public.x(i int)").await, "42501");
    assert_eq!(sqlstate(&a, "CREATE SCHEMA elsewhere").await, "42501");

    let b = connect(&store.session_config(&b_rec)).await;
    let boss = connect(&store.session_config(&boss_rec)).await;
    for (who, conn) in [("b", &b), ("boss", &boss)] {
        for sql in [
            "SELECT * FROM a.t",
            "SET ROLE a",
            "SET SESSION AUTHORIZATION a",
            "SET SESSION AUTHORIZATION cor4_admin",
            "SET ROLE cor4_admin",
            "SELECT * FROM cor4.users",
            "SELECT * FROM cor4.settings",
            "SELECT * FROM cor4.schema_version",
            "DO $$ BEGIN SET ROLE a; END $$",
            "DO $$ BEGIN EXECUTE 'SET SESSION AUTHORIZATION cor4_admin'; END $$",
            "GRANT a TO CURRENT_USER",
            "ALTER ROLE a PASSWORD 'x'",
            "ALTER ROLE CURRENT_USER SUPERUSER",
            "ALTER ROLE CURRENT_USER CREATEROLE",
            "CREATE TABLE public.x(i int)",
            "CREATE SCHEMA elsewhere",
            "COPY (SELECT 1) TO '/tmp/cor4-users-test-copy'",
            "SELECT pg_read_file('postgresql.conf')",
        ] {
            assert_eq!(sqlstate(conn, sql).await, "42501", "{who}: {sql}");
        }
        conn.batch_execute("RESET ROLE; RESET SESSION AUTHORIZATION")
            .await
            .unwrap();
        assert_eq!(whoami(conn).await, (who.to_owned(), who.to_owned()));
    }

    // The admin extras work; the plain user has none of them.
    boss.batch_execute("SELECT count(*) FROM pg_ls_waldir()")
        .await
        .unwrap_or_else(|e| panic!("pg_monitor? {e}"));
    assert_eq!(
        sqlstate(&b, "SELECT count(*) FROM pg_ls_waldir()").await,
        "42501"
    );
    let in_monitor: bool = boss
        .query_one("SELECT pg_has_role('pg_monitor', 'MEMBER')", &[])
        .await
        .unwrap()
        .get(0);
    assert!(in_monitor);
    let b_monitor: bool = b
        .query_one("SELECT pg_has_role('pg_monitor', 'MEMBER')", &[])
        .await
        .unwrap()
        .get(0);
    assert!(!b_monitor);

    // A user can change its own role password; that locks out only itself
    // until the proxy resets it.
    b.batch_execute("ALTER ROLE CURRENT_USER PASSWORD 'chosen by b'")
        .await
        .unwrap();
    let err = store
        .session_config(&b_rec)
        .connect(NoTls)
        .await
        .err()
        .unwrap();
    assert_eq!(err.code().map(|c| c.code()), Some("28P01"), "{err}");
    store.reset_role_password(&b_rec).await.unwrap();
    let b2 = connect(&store.session_config(&b_rec)).await;
    assert_eq!(whoami(&b2).await.0, "b");
}

#[tokio::test]
async fn works_with_a_createrole_database_owner_as_admin() {
    let pg = TempCluster::start_async().await;
    let su = connect(&pg.admin_config()).await;
    su.batch_execute("CREATE ROLE ext_admin LOGIN CREATEROLE PASSWORD 'ext admin password'")
        .await
        .unwrap();
    su.batch_execute("CREATE DATABASE extdb OWNER ext_admin")
        .await
        .unwrap();
    let mut admin = pg.admin_config();
    admin
        .user("ext_admin")
        .password("ext admin password")
        .dbname("extdb");
    let store = UserStore::open(&admin).await.unwrap();
    assert!(!store.superuser);
    store
        .add_user("a", "password of a", None, false, ITER)
        .await
        .unwrap();
    store
        .add_user("b", "password of b", None, true, ITER)
        .await
        .unwrap();
    let a_rec = store.lookup("a").await.unwrap().unwrap();
    let b_rec = store.lookup("b").await.unwrap().unwrap();
    let a = connect(&store.session_config(&a_rec)).await;
    let b = connect(&store.session_config(&b_rec)).await;
    a.batch_execute("CREATE TABLE t(x int)").await.unwrap();
    for sql in [
        "SELECT * FROM a.t",
        "SET ROLE a",
        "SET ROLE ext_admin",
        "SELECT * FROM cor4.users",
    ] {
        assert_eq!(sqlstate(&b, sql).await, "42501", "{sql}");
    }
    // The transient memberships were given back.
    let members: i64 = su
        .query_one(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
             WHERE r.rolname = 'ext_admin'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(members, 0);
    store.lock("a").await.unwrap();
    assert!(a.batch_execute("SELECT 1").await.is_err(), "session ended");
    assert!(matches!(
        store.remove("a").await,
        Err(UserError::OwnsObjects { count: 1 })
    ));
    store.remove_dropping_objects("a").await.unwrap();
    store.remove("b").await.unwrap();
    assert!(store.list().await.unwrap().is_empty());
}
