//! End-to-end tests: the real `cor4-proxy` binary, a real PostgreSQL (the
//! test run's throwaway cluster, or `COR4_TEST_DATABASE_URL`), real sockets,
//! and the client from `cor4-protocol`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod abuse;
mod admin_cli;
mod balancer;
mod cli;
mod copy;
mod corpus;
mod describe;
mod dev_script;
mod embedded;
mod examples;
mod failover;
mod faults;
mod isolation;
mod login;
mod memory;
mod metrics;
mod pake;
mod params;
mod pooling;
mod queries;
mod reload;
mod sessions;
mod shell;
mod streaming;
mod tls;
mod top;
mod types;
mod upgrade;

use std::sync::atomic::{AtomicU32, Ordering};

use cor4_protocol::client::{Client, Config};
use cor4_proxy::UserStore;
use cor4_tests::{Proxy, TEST_KSF, test_database};

/// A fresh cor4 user name, unique within the test run.
pub fn unique_name(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Opens the user store on the test database.
pub async fn store() -> UserStore {
    UserStore::open(&test_database().admin_config())
        .await
        .expect("open user store")
}

/// Creates a cor4 user with the tests' cheap Argon2id ([`TEST_KSF`]) and
/// returns its name and password.
pub async fn new_user(prefix: &str) -> (String, String) {
    let name = unique_name(prefix);
    let password = format!("pw-{name}-secret");
    store()
        .await
        .add_user(&name, &password, None, false, TEST_KSF)
        .await
        .expect("add user");
    (name, password)
}

/// Client config for `proxy`.
pub fn config(proxy: &Proxy, user: &str, password: &str) -> Config {
    let addr = proxy.addr();
    Config::new(&addr.ip().to_string(), addr.port(), user, password)
}

/// Logs in as `user`.
pub async fn connect(proxy: &Proxy, user: &str, password: &str) -> Client {
    Client::connect(&config(proxy, user, password))
        .await
        .expect("login")
}

/// An admin connection straight to PostgreSQL (not through the proxy).
pub async fn admin_pg() -> tokio_postgres::Client {
    let (client, conn) = test_database()
        .admin_config()
        .connect(tokio_postgres::NoTls)
        .await
        .expect("admin connection");
    tokio::spawn(conn);
    client
}
