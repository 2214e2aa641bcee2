//! cor4-proxy: serves Cor4 v2 sessions and relays them to PostgreSQL.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod pg_embedded;
pub mod pgwire;
pub mod relay;
pub mod users;
