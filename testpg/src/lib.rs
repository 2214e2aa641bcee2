//! The one PostgreSQL test harness of every cor4 crate.
//!
//! ```text
//! test_database() ─ the server a test process shares: COR4_TEST_DATABASE_URL
//!                   (a superuser URL), or a TempCluster started once
//! TempCluster     ─ the proxy's own embedded cluster, private to one test
//! PgServer        ─ a server the test configures (TCP, pg_hba, TLS, standby)
//! TempDir         ─ where each of them lives; a watchdog stops the server
//!                   and removes the directory when the process ends
//! ```
//!
//! PostgreSQL is found as the proxy finds it ([`PgBinaries::locate`]: any
//! version from 13 on). As root, the servers run as the account the proxy's
//! embedded cluster uses (`postgres`, else `nobody`); as anyone else, as
//! that user. Roles and databases the tests need are made with SQL.
//!
//! [`PgBinaries::locate`]: cor4_pg_embedded::PgBinaries::locate

// Test infrastructure: a failed set-up step is a failed test, said at once.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![warn(missing_docs)]

mod cluster;
mod database;
mod psql;
mod server;
mod temp;

pub use cluster::TempCluster;
pub use database::{DATABASE_URL_VAR, TestDatabase, test_database};
pub use psql::{psql_as, psql_program};
pub use server::{PgServer, SUPERUSER, free_port};
pub use temp::TempDir;
