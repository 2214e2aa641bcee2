//! The user store in PostgreSQL (schema `cor4`) and the PostgreSQL roles the
//! users map to. (Being written: the signatures below are the contract.)

use cor4_protocol::crypto::PasswordKey;

/// Why a user-store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UserError {
    /// PostgreSQL failed.
    #[error("user store: {0}")]
    Db(#[from] tokio_postgres::Error),
    /// The new password was refused by policy.
    #[error("password refused: {0}")]
    PasswordRejected(&'static str),
}

/// The user store.
pub struct UserStore {}

impl UserStore {
    /// Stores a new stretched secret for `name` (fresh salt) atomically.
    pub async fn set_password(&self, name: &str, key: &PasswordKey) -> Result<(), UserError> {
        let _ = (name, key);
        Err(UserError::PasswordRejected("not implemented yet"))
    }
}
