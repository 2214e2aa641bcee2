//! cor4-proxy: serves Cor4 v3 sessions and relays them to PostgreSQL.
//!
//! ```text
//!  client ──TCP──► server (accept loop) ─► login (OPAQUE) ──► relay (one session)
//!                      │                               │
//!                      └── users (cor4 schema) ◄───────┤
//!                                                       └─► pgwire ─► PostgreSQL
//!  pg_embedded: the private cluster used when no --database-url is given
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admin;
mod admission;
mod app;
mod audit;
mod config;
#[doc(hidden)]
pub mod fuzz_hooks;
mod limits;
mod login;
mod metrics;
mod pgwire;
mod pool;
mod registry;
mod relay;
mod reload;
mod server;
mod supervisor;
mod top;
mod users;

pub use app::run;
pub use config::ConfigError;
/// The embedded PostgreSQL cluster (its own crate, shared with the test harness).
pub use cor4_pg_embedded as pg_embedded;
/// The PostgreSQL frontend the relay uses, for tests that drive a server
/// directly.
pub use pgwire::{Event, PgConfig, PgConn, PgError};
pub use registry::SessionRow;
pub use users::UserStore;
