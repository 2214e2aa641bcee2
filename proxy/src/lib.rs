//! cor4-proxy: serves Cor4 v2 sessions and relays them to PostgreSQL.
//!
//! ```text
//!  client ──TCP──► server (accept loop, login) ──► relay (one session)
//!                      │                               │
//!                      └── users (cor4 schema) ◄───────┤
//!                                                       └─► pgwire ─► PostgreSQL
//!  pg_embedded: the private cluster used when no --database-url is given
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod admin;
mod app;
pub mod audit;
pub mod config;
#[doc(hidden)]
pub mod fuzz_hooks;
pub mod metrics;
pub mod pg_embedded;
pub mod pgwire;
pub mod registry;
pub mod relay;
pub mod server;
mod top;
pub mod users;

pub use app::run;
