//! Versioned migrations of the `cor4` schema.
//!
//! Every start runs [`run`]: in one transaction, under a transaction-scoped
//! advisory lock (so two proxies starting at once take turns), it creates
//! `cor4.schema_version` if needed, applies each migration newer than the
//! recorded version in order, records it, and makes sure the server secret
//! exists. A database whose version is newer than this binary knows is
//! refused rather than used half-understood.
//!
//! To change the schema, append a [`Migration`] with the next version;
//! never edit one that has shipped.

use tokio_postgres::Client;

use super::UserError;

/// Key of the advisory lock that serialises migrations ("cor4" in ASCII).
/// Advisory locks are per database, so proxies on other databases don't wait.
pub(crate) const MIGRATION_LOCK: i64 = 0x636f_7234;

/// One schema change.
struct Migration {
    version: i32,
    description: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "users and settings; revoke default privileges",
        sql: r#"
CREATE TABLE cor4.users (
    name text PRIMARY KEY CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
    role text NOT NULL UNIQUE CHECK (role ~ '^[a-z_][a-z0-9_]{0,62}$'),
    salt bytea NOT NULL CHECK (length(salt) = 16),
    iterations integer NOT NULL CHECK (iterations > 0),
    secret bytea NOT NULL CHECK (length(secret) = 32),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked')),
    must_change_password boolean NOT NULL DEFAULT false,
    allowed_cidrs text[] NOT NULL DEFAULT '{}',
    failed_attempts integer NOT NULL DEFAULT 0,
    last_failure timestamptz,
    locked_until timestamptz,
    last_login timestamptz,
    is_admin boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE cor4.settings (
    name text PRIMARY KEY,
    value bytea NOT NULL
);
REVOKE ALL ON ALL TABLES IN SCHEMA cor4 FROM PUBLIC;
-- Only roles granted CONNECT/TEMPORARY (each cor4 user's) reach this database.
DO $$ BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
END $$;
-- PostgreSQL 15's default, repeated for databases created by older versions:
-- no role may create objects in public that others' queries could resolve to.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
"#,
    },
    Migration {
        version: 2,
        description: "live sessions of every proxy, and the control queue",
        sql: r#"
CREATE TABLE cor4.proxies (
    name text PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at timestamptz NOT NULL DEFAULT now(),
    -- The proxy's counters (metrics::Stats), for `cor4-proxy top`.
    stats jsonb NOT NULL DEFAULT '{}'
);
CREATE TABLE cor4.sessions (
    id text PRIMARY KEY,
    proxy text NOT NULL,
    user_name text NOT NULL,
    client text NOT NULL,
    login_at timestamptz NOT NULL,
    state text NOT NULL,
    query_seconds double precision,
    queries bigint NOT NULL,
    rows bigint NOT NULL,
    bytes_in bigint NOT NULL,
    bytes_out bigint NOT NULL,
    seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user ON cor4.sessions (user_name);
CREATE TABLE cor4.control (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    op text NOT NULL CHECK (op IN ('kill', 'kill_user')),
    session text,
    user_name text,
    reason text NOT NULL,
    except_session text
);
-- Sessions of proxies that stopped beating are not live.
CREATE VIEW cor4.live_sessions AS
    SELECT s.id, s.proxy, s.user_name, s.client, s.login_at, s.state, s.query_seconds,
           s.queries, s.rows, s.bytes_in, s.bytes_out
    FROM cor4.sessions s
    JOIN cor4.proxies p ON p.name = s.proxy
    WHERE p.seen_at > now() - interval '10 seconds';
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT role FROM cor4.users WHERE is_admin LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA cor4 TO %I', r.role);
        EXECUTE format('GRANT SELECT ON cor4.live_sessions TO %I', r.role);
    END LOOP;
END $$;
"#,
    },
    Migration {
        version: 3,
        description: "Cor4 v3: OPAQUE verifiers replace PBKDF2 secrets",
        sql: super::verifier::MIGRATION_SQL,
    },
    Migration {
        version: 4,
        description: "the query text of live sessions, for `cor4-proxy top`",
        sql: r#"
-- What each session runs (or last ran), cut to 1 KiB by the proxy; readable
-- by the same roles as before (the proxy's and --admin users', who see
-- every query in pg_stat_activity already).
ALTER TABLE cor4.sessions ADD COLUMN query text;
CREATE OR REPLACE VIEW cor4.live_sessions AS
    SELECT s.id, s.proxy, s.user_name, s.client, s.login_at, s.state, s.query_seconds,
           s.queries, s.rows, s.bytes_in, s.bytes_out, s.query
    FROM cor4.sessions s
    JOIN cor4.proxies p ON p.name = s.proxy
    WHERE p.seen_at > now() - interval '10 seconds';
"#,
    },
];

/// The newest version this binary knows.
pub(crate) fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Brings the schema up to date and returns the server secret (creating it
/// from `fresh_secret` on first start).
pub(crate) async fn run(
    client: &mut Client,
    fresh_secret: &[u8; 32],
) -> Result<[u8; 32], UserError> {
    let tx = client.transaction().await?;
    tx.execute(
        "SELECT pg_catalog.pg_advisory_xact_lock($1)",
        &[&MIGRATION_LOCK],
    )
    .await?;
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS cor4;
         REVOKE ALL ON SCHEMA cor4 FROM PUBLIC;
         CREATE TABLE IF NOT EXISTS cor4.schema_version (
             version integer PRIMARY KEY,
             description text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         );
         REVOKE ALL ON cor4.schema_version FROM PUBLIC;",
    )
    .await?;
    let current: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM cor4.schema_version",
            &[],
        )
        .await?
        .try_get(0)?;
    if current > latest() {
        return Err(UserError::SchemaTooNew {
            found: current,
            known: latest(),
        });
    }
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        tracing::info!(
            version = migration.version,
            description = migration.description,
            "applying user-store migration"
        );
        tx.batch_execute(migration.sql).await?;
        tx.execute(
            "INSERT INTO cor4.schema_version (version, description) VALUES ($1, $2)",
            &[&migration.version, &migration.description],
        )
        .await?;
    }
    tx.execute(
        "INSERT INTO cor4.settings (name, value) VALUES ('server_secret', $1)
         ON CONFLICT (name) DO NOTHING",
        &[&fresh_secret.as_slice()],
    )
    .await?;
    let stored: Vec<u8> = tx
        .query_one(
            "SELECT value FROM cor4.settings WHERE name = 'server_secret'",
            &[],
        )
        .await?
        .try_get(0)?;
    let secret: [u8; 32] = stored
        .as_slice()
        .try_into()
        .map_err(|_| UserError::Corrupt("server_secret is not 32 bytes"))?;
    tx.commit().await?;
    Ok(secret)
}
