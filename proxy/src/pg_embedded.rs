//! The embedded PostgreSQL cluster (being written).
