//! Shared helpers for cor4's end-to-end tests: a throwaway PostgreSQL cluster
//! and a running proxy.
