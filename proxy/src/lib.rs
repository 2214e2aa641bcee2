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

pub mod admin;
mod admission;
mod app;
pub mod audit;
pub mod config;
#[doc(hidden)]
pub mod fuzz_hooks;
pub mod limits;
mod login;
pub mod metrics;
pub mod pgwire;
pub mod pool;
pub mod registry;
pub mod relay;
pub mod reload;
pub mod server;
pub mod supervisor;
mod top;
pub mod users;

pub use app::run;
/// The embedded PostgreSQL cluster (its own crate, shared with the test harness).
pub use cor4_pg_embedded as pg_embedded;
