//! A minimal PostgreSQL frontend for the relay path (being written).
