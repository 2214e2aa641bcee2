//! Development tests against a live PostgreSQL.
