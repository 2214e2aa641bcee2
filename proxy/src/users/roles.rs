//! The PostgreSQL role behind each cor4 user: how it is created, which
//! privileges it gets, its proxy-derived password, and how it is dropped.
//!
//! ```text
//! cor4 user alice ──► role alice  LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
//!                                 NOREPLICATION NOBYPASSRLS, member of nothing
//!                       ├─ CONNECT, TEMPORARY on the store database (PUBLIC has neither)
//!                       ├─ schema alice, owned by alice ("$user" in search_path)
//!                       └─ USAGE (no CREATE) on public, as every role has
//! --admin adds: CREATEDB, pg_monitor, pg_signal_backend
//! ```
//!
//! Every DDL statement here runs inside the caller's transaction, so a
//! failure leaves neither a half-made role nor a row without a role.

use cor4_protocol::crypto::{SessionKeys, transcript_hash};
use tokio_postgres::Transaction;

use super::UserError;

/// Domain-separation label of role passwords.
const ROLE_PASSWORD_LABEL: &[u8] = b"cor4 role password\0";

/// The password of `role`, derived from the server secret:
///
/// ```text
/// PRK = HKDF-Extract(SHA-256, salt = SHA-256("cor4 role password\0" ‖ role), IKM = server secret)
/// OKM = HKDF-Expand(PRK, "cor4 v2 client to server key", 16) ‖ HKDF-Expand(PRK, "cor4 v2 server to client key", 16)
/// password = lower-case hex(OKM)   (64 characters, 256 bits)
/// ```
///
/// This reuses the protocol crate's HKDF with Cor4 v2's labels
/// ([`SessionKeys::derive_v2`]) keyed by the 32-byte secret, so the proxy
/// needs no extra crypto dependency and role passwords did not change with
/// v3. No login derives keys from the server secret.
pub(crate) fn role_password(server_secret: &[u8; 32], role: &str) -> String {
    let salt = transcript_hash(&[ROLE_PASSWORD_LABEL, role.as_bytes()]);
    let keys = SessionKeys::derive_v2(server_secret, &salt);
    let mut out = String::with_capacity(64);
    for byte in keys
        .client_to_server
        .iter()
        .chain(keys.server_to_client.iter())
    {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `"name"`, doubling any quote (names are validated identifiers; this is
/// defence in depth).
pub(crate) fn quote_ident(name: &str) -> String {
    postgres_protocol::escape::escape_identifier(name)
}

/// The `PASSWORD '...'` clause: a SCRAM-SHA-256 verifier computed here, so
/// the role password itself never reaches PostgreSQL's statement log.
fn password_clause(server_secret: &[u8; 32], role: &str) -> String {
    let verifier =
        postgres_protocol::password::scram_sha_256(role_password(server_secret, role).as_bytes());
    format!(
        "PASSWORD {}",
        postgres_protocol::escape::escape_literal(&verifier)
    )
}

/// Whether a role of that name exists anywhere in the cluster.
pub(crate) async fn exists(tx: &Transaction<'_>, role: &str) -> Result<bool, UserError> {
    Ok(tx
        .query_opt(
            "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1",
            &[&role],
        )
        .await?
        .is_some())
}

/// Creates `role` with its schema and grants (see the module doc).
/// `superuser` says whether the proxy's admin role is one: if not, it takes
/// membership in the new role just long enough to give it its schema.
pub(crate) async fn create(
    tx: &Transaction<'_>,
    server_secret: &[u8; 32],
    role: &str,
    admin: bool,
    superuser: bool,
) -> Result<(), UserError> {
    let r = quote_ident(role);
    let createdb = if admin { "CREATEDB" } else { "NOCREATEDB" };
    tx.batch_execute(&format!(
        "CREATE ROLE {r} LOGIN NOSUPERUSER {createdb} NOCREATEROLE NOREPLICATION NOBYPASSRLS \
         INHERIT {}",
        password_clause(server_secret, role)
    ))
    .await?;
    let database: String = tx
        .query_one("SELECT pg_catalog.current_database()::text", &[])
        .await?
        .try_get(0)?;
    let mut sql = format!(
        "GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {r};",
        db = quote_ident(&database)
    );
    if !superuser {
        sql.push_str(&format!("GRANT {r} TO CURRENT_USER;"));
    }
    sql.push_str(&format!("CREATE SCHEMA {r} AUTHORIZATION {r};"));
    if !superuser {
        sql.push_str(&format!("REVOKE {r} FROM CURRENT_USER;"));
    }
    if admin {
        sql.push_str(&format!(
            "GRANT pg_monitor, pg_signal_backend TO {r};\
             GRANT USAGE ON SCHEMA cor4 TO {r};\
             GRANT SELECT ON cor4.live_sessions TO {r};"
        ));
    }
    tx.batch_execute(&sql).await?;
    Ok(())
}

/// Sets the role's password back to the derived one (after the user changed
/// it with `ALTER ROLE ... PASSWORD`, which PostgreSQL lets any role do to
/// itself).
pub(crate) async fn reset_password(
    tx: &Transaction<'_>,
    server_secret: &[u8; 32],
    role: &str,
) -> Result<(), UserError> {
    tx.batch_execute(&format!(
        "ALTER ROLE {} {}",
        quote_ident(role),
        password_clause(server_secret, role)
    ))
    .await?;
    Ok(())
}

/// Objects `role` owns in any database, not counting its own schema in the
/// current database (that one is dropped with the role).
pub(crate) async fn owned_objects(tx: &Transaction<'_>, role: &str) -> Result<i64, UserError> {
    let count: i64 = tx
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_shdepend d
             JOIN pg_catalog.pg_roles r ON r.oid = d.refobjid
             WHERE d.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
               AND d.deptype = 'o'
               AND r.rolname = $1
               AND NOT (d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                        AND d.dbid = (SELECT oid FROM pg_catalog.pg_database
                                      WHERE datname = pg_catalog.current_database())
                        AND d.objid = (SELECT oid FROM pg_catalog.pg_namespace
                                       WHERE nspname = $1))",
            &[&role],
        )
        .await?
        .try_get(0)?;
    Ok(count)
}

/// Ends every backend logged in as `role`; returns how many. Takes effect at
/// once, whatever becomes of the transaction.
pub(crate) async fn terminate_sessions(
    tx: &Transaction<'_>,
    role: &str,
    superuser: bool,
) -> Result<i64, UserError> {
    let r = quote_ident(role);
    if !superuser {
        tx.batch_execute(&format!("GRANT {r} TO CURRENT_USER"))
            .await?;
    }
    let count: i64 = tx
        .query_one(
            "SELECT count(*) FILTER (WHERE pg_catalog.pg_terminate_backend(pid))
             FROM pg_catalog.pg_stat_activity
             WHERE usename = $1 AND pid <> pg_catalog.pg_backend_pid()",
            &[&role],
        )
        .await?
        .try_get(0)?;
    if !superuser {
        tx.batch_execute(&format!("REVOKE {r} FROM CURRENT_USER"))
            .await?;
    }
    Ok(count)
}

/// Drops `role`: first what it owns in this database (its schema and, when
/// the caller allowed it, its tables and other objects — `RESTRICT`, so
/// another user's view on them makes this fail) and its grants, then the role.
pub(crate) async fn drop(
    tx: &Transaction<'_>,
    role: &str,
    superuser: bool,
) -> Result<(), UserError> {
    let r = quote_ident(role);
    let mut sql = String::new();
    if !superuser {
        // DROP OWNED needs the privileges of the role; the membership goes
        // with the role.
        sql.push_str(&format!("GRANT {r} TO CURRENT_USER;"));
    }
    sql.push_str(&format!("DROP OWNED BY {r} RESTRICT; DROP ROLE {r};"));
    tx.batch_execute(&sql).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_passwords_are_stable_per_role_and_secret() {
        let a = role_password(&[7; 32], "alice");
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| HEX.contains(&b)));
        assert_eq!(a, role_password(&[7; 32], "alice"));
        assert_ne!(a, role_password(&[7; 32], "bob"));
        assert_ne!(a, role_password(&[8; 32], "alice"));
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
