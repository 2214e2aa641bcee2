//! OPAQUE verifiers in the user store (Cor4 v3, `docs/security.md` §2).
//!
//! ```text
//! cor4.settings  'opaque_server_keys'  OPRF seed ‖ server private key ‖ fake-record public key
//!                                      (128 bytes, made once by the first proxy, shared by all)
//! cor4.users     verifier              Argon2id cost ‖ RFC 9807 record (204 bytes), or NULL:
//!                                      a user from Cor4 v2 whose password must be reset
//! ```
//!
//! A verifier is made on the server from K = MD5(password) by running both
//! halves of OPAQUE's registration ([`Verifier::register`]): one Argon2id
//! per password change, on a blocking thread, at most
//! [`MAX_CONCURRENT_REGISTRATIONS`] at a time so a burst of CHPASS cannot
//! take all memory. Logins never run Argon2id on the server.

use cor4_protocol::crypto::{KsfParams, PasswordKey, ServerKeys, VERIFIER_LEN, Verifier};
use tokio::sync::Semaphore;
use tokio_postgres::Client;

use super::UserError;

/// Argon2id registrations the proxy runs at once (each holds the cost's
/// memory, 64 MiB by default).
pub(crate) const MAX_CONCURRENT_REGISTRATIONS: usize = 2;

/// Schema version 3: a verifier column, and Cor4 v2's PBKDF2 secrets
/// removed. Those secrets were password-equivalent and no v3 login can use
/// them; users that had one keep their row (role, schema, settings) with a
/// NULL verifier until an administrator resets the password.
pub(crate) const MIGRATION_SQL: &str = r#"
ALTER TABLE cor4.users ADD COLUMN verifier bytea CHECK (length(verifier) = 204);
ALTER TABLE cor4.users DROP COLUMN salt, DROP COLUMN iterations, DROP COLUMN secret;
"#;

const SERVER_KEYS_SETTING: &str = "opaque_server_keys";

/// The deployment's OPAQUE server keys, created from fresh randomness by
/// the first proxy that starts on this database (the others read them).
pub(crate) async fn load_server_keys(client: &Client) -> Result<ServerKeys, UserError> {
    let fresh = ServerKeys::generate();
    client
        .execute(
            "INSERT INTO cor4.settings (name, value) VALUES ($1, $2)
             ON CONFLICT (name) DO NOTHING",
            &[&SERVER_KEYS_SETTING, &fresh.to_bytes().as_slice()],
        )
        .await?;
    let stored: Vec<u8> = client
        .query_one(
            "SELECT value FROM cor4.settings WHERE name = $1",
            &[&SERVER_KEYS_SETTING],
        )
        .await?
        .try_get(0)?;
    ServerKeys::from_bytes(&stored)
        .map_err(|_| UserError::Corrupt("opaque_server_keys is not a valid key set"))
}

/// Makes `user`'s verifier from K at `ksf`, off the async threads and
/// within the registration limit.
pub(crate) async fn register(
    keys: std::sync::Arc<ServerKeys>,
    limit: &Semaphore,
    user: &str,
    key: PasswordKey,
    ksf: KsfParams,
) -> Result<Verifier, UserError> {
    ksf.check().map_err(UserError::KsfOutOfRange)?;
    let _permit = limit
        .acquire()
        .await
        .map_err(|_| UserError::RegistrationFailed)?;
    let user = user.to_owned();
    tokio::task::spawn_blocking(move || Verifier::register(&keys, &user, &key, ksf))
        .await
        .map_err(|_| UserError::RegistrationFailed)?
        .map_err(|_| UserError::RegistrationFailed)
}

/// Reads a stored verifier; `None` for a user whose password predates v3.
pub(crate) fn from_column(stored: Option<&[u8]>) -> Result<Option<Verifier>, UserError> {
    match stored {
        None => Ok(None),
        Some(bytes) if bytes.len() == VERIFIER_LEN => Verifier::from_bytes(bytes)
            .map(Some)
            .map_err(|_| UserError::Corrupt("verifier does not parse")),
        Some(_) => Err(UserError::Corrupt("verifier has the wrong length")),
    }
}

/// The users that still need a password reset (no verifier), by name.
pub(crate) async fn users_without_verifier(client: &Client) -> Result<Vec<String>, UserError> {
    let rows = client
        .query(
            "SELECT name FROM cor4.users WHERE verifier IS NULL ORDER BY name",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| r.try_get(0).map_err(UserError::from))
        .collect()
}

/// Tells the operator, once per start, which users cannot log in until
/// their password is reset.
pub(crate) fn warn_about_legacy_users(names: &[String]) {
    if names.is_empty() {
        return;
    }
    let shown: Vec<&str> = names.iter().take(20).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    tracing::warn!(
        users = names.len(),
        "{} user(s) have a password from before Cor4 v3, which the v3 login cannot use; \
         they are told to ask for a reset when they log in. Reset each with \
         `cor4-proxy user passwd NAME`: {}{}",
        names.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more (see `cor4-proxy user list`)")
        } else {
            String::new()
        }
    );
}
