//! A user store left by the previous release (Cor4 v2: schema version 1,
//! a PBKDF2 secret per user) is upgraded in place by the v3 proxy: the
//! secrets are destroyed, the operator is warned, the user is told in
//! clear to ask for a reset, and after `cor4-proxy user passwd` the user
//! logs in again with the same role and data.

use std::io::Write;
use std::process::{Command, Stdio};

use cor4_protocol::ErrorCode;
use cor4_protocol::crypto::PasswordKey;
use sha2::Sha256;

use super::*;

/// `url` (a libpq `key=value` string or a URL) with its database replaced.
fn url_with_database(url: &str, database: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority_path, query) = match rest.split_once('?') {
                Some((a, q)) => (a, format!("?{q}")),
                None => (rest, String::new()),
            };
            let authority = authority_path.split('/').next().unwrap_or(authority_path);
            format!("{scheme}://{authority}/{database}{query}")
        }
        None => format!("{url} dbname={database}"),
    }
}

/// Makes database `db` what a Cor4 v2 proxy left after `user add NAME`:
/// the current store creates the user and its role, then the table goes
/// back to schema version 1 with v2's salt, iterations and
/// S = PBKDF2-HMAC-SHA-256(MD5(password), salt, 1000), as v2 stored them.
async fn make_v2_store(db: &str, name: &str, password: &str) {
    let store = UserStore::open_database(&test_database().admin_config(), db)
        .await
        .unwrap();
    store
        .add_user(name, password, None, false, TEST_KSF)
        .await
        .unwrap();
    drop(store);
    let mut config = test_database().admin_config();
    config.dbname(db);
    let (pg, conn) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let salt = [0x5a_u8; 16];
    let mut secret = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(
        PasswordKey::from_password(password).as_bytes(),
        &salt,
        1000,
        &mut secret,
    );
    pg.batch_execute(
        "DROP VIEW cor4.live_sessions;
         DROP TABLE cor4.control, cor4.sessions, cor4.proxies;
         ALTER TABLE cor4.users DROP COLUMN verifier;
         ALTER TABLE cor4.users ADD COLUMN salt bytea, ADD COLUMN iterations integer,
             ADD COLUMN secret bytea;
         DELETE FROM cor4.schema_version WHERE version > 1;
         DELETE FROM cor4.settings WHERE name = 'opaque_server_keys';",
    )
    .await
    .unwrap();
    pg.execute(
        "UPDATE cor4.users SET salt = $1, iterations = 1000, secret = $2 WHERE name = $3",
        &[&salt.as_slice(), &secret.as_slice(), &name],
    )
    .await
    .unwrap();
    pg.batch_execute(
        "ALTER TABLE cor4.users ALTER salt SET NOT NULL, ALTER iterations SET NOT NULL,
             ALTER secret SET NOT NULL,
             ADD CHECK (length(salt) = 16), ADD CHECK (iterations > 0),
             ADD CHECK (length(secret) = 32);",
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_v2_store_is_upgraded_and_its_users_told_to_reset() {
    let db = unique_name("cor4_v2_store");
    let user = unique_name("v2user");
    let old_password = "the v2 password 1";
    make_v2_store(&db, &user, old_password).await;
    let url = url_with_database(&test_database().url(), &db);
    let proxy = Proxy::start_on(&url, &[]);

    // The operator is told at start which users need a reset, and how.
    let log = proxy.drain_log().join("\n");
    assert!(
        log.contains(&user) && log.contains("cor4-proxy user passwd"),
        "{log}"
    );
    // The v2 secret is gone: it was password-equivalent.
    let mut config = test_database().admin_config();
    config.dbname(&db);
    let (pg, conn) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let columns: i64 = pg
        .query_one(
            "SELECT count(*) FROM information_schema.columns
             WHERE table_schema = 'cor4' AND table_name = 'users'
               AND column_name IN ('salt', 'iterations', 'secret')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(columns, 0);

    // The user is told, in words, what to do.
    let addr = proxy.addr();
    let login = |password: &str| {
        cor4_protocol::client::Config::new(&addr.ip().to_string(), addr.port(), &user, password)
    };
    let err = Client::connect(&login(old_password)).await.unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::PasswordResetRequired));
    assert!(err.to_string().contains("ask an administrator"), "{err}");

    // The administrator resets it; the user is back, with the same role.
    let mut passwd = Command::new(cor4_tests::binary("cor4-proxy"))
        .args(["user", "passwd", &user, "--password-stdin"])
        .env("COR4_DATABASE_URL", &url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    passwd
        .stdin
        .take()
        .unwrap()
        .write_all(b"a new v3 password\n")
        .unwrap();
    let out = passwd.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let client = Client::connect(&login("a new v3 password")).await.unwrap();
    let rows = client
        .query_all("SELECT current_user::text", &[])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), user);
    client.close().await.unwrap();
    drop(proxy);
    let _ = admin_pg()
        .await
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .await;
}
