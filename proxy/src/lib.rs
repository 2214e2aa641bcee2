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

mod app;
pub mod audit;
pub mod config;
#[doc(hidden)]
pub mod fuzz_hooks;
mod login;
pub mod pg_embedded;
pub mod pgwire;
pub mod relay;
pub mod server;
pub mod users;

pub use app::run;
