//! PostgreSQL text forms: rendering values as PostgreSQL prints them and parsing its text output (being written).
