//! Managing users: add, passwords, lock and unlock, allowed addresses,
//! the list, remove — each one transaction on the user store, with the
//! role's DDL under the catalog lock.

use super::*;

impl UserStore {
    /// Creates user `name` and its PostgreSQL role (`role`, default the same
    /// name), in one transaction. `admin` grants the extra privileges
    /// described in `docs/security.md`.
    pub async fn add_user(
        &self,
        name: &str,
        password: &str,
        role: Option<&str>,
        admin: bool,
        ksf: KsfParams,
    ) -> Result<(), UserError> {
        let role = role.unwrap_or(name);
        validate_name(name)?;
        validate_name(role)?;
        if [name, role]
            .iter()
            .any(|n| self.config.get_user() == Some(*n))
        {
            return Err(UserError::InvalidName("is the proxy's admin role"));
        }
        check_password(name, password)?;
        let verifier = self
            .register(name, PasswordKey::from_password(password), ksf)
            .await?;

        let mut client = self.write().await?;
        let tx = client.transaction().await?;
        lock_catalog(&tx).await?;
        let taken = tx
            .query_opt("SELECT 1 FROM cor4.users WHERE name = $1", &[&name])
            .await?;
        if taken.is_some() {
            return Err(UserError::UserExists);
        }
        if roles::exists(&tx, role).await? {
            return Err(UserError::RoleTaken);
        }
        tx.execute(
            "INSERT INTO cor4.users (name, role, verifier, is_admin)
             VALUES ($1, $2, $3, $4)",
            &[&name, &role, &verifier.to_bytes(), &admin],
        )
        .await
        .map_err(|e| unique_violation(e, UserError::RoleTaken))?;
        roles::create(&tx, &self.server_secret, role, admin, self.superuser).await?;
        tx.commit().await?;
        tracing::info!(user = name, role, admin, "user added");
        Ok(())
    }

    /// Stores a new OPAQUE verifier for `name`, made here from K at the
    /// store's Argon2id cost, atomically, and clears
    /// `must_change_password`. Only [`check_key`] applies: K is all CHPASS
    /// carries.
    pub async fn set_password(&self, name: &str, key: &PasswordKey) -> Result<(), UserError> {
        check_key(name, key)?;
        self.store_key(name, key.clone(), self.ksf).await
    }

    async fn store_key(
        &self,
        name: &str,
        key: PasswordKey,
        ksf: KsfParams,
    ) -> Result<(), UserError> {
        let verifier = self.register(name, key, ksf).await?;
        let client = self.read().await?;
        let n = client
            .execute(
                "UPDATE cor4.users SET verifier = $2,
                     must_change_password = false, changed_at = now()
                 WHERE name = $1",
                &[&name, &verifier.to_bytes()],
            )
            .await?;
        found(n)
    }

    /// OPAQUE's registration for `name`, run here from K.
    async fn register(
        &self,
        name: &str,
        key: PasswordKey,
        ksf: KsfParams,
    ) -> Result<Verifier, UserError> {
        verifier::register(
            self.server_keys.clone(),
            &self.registrations,
            name,
            key,
            ksf,
        )
        .await
    }

    /// `cor4-proxy user passwd`: applies the full [`check_password`] policy,
    /// then stores the password like [`set_password`](Self::set_password)
    /// at `ksf`. This is also how a user from Cor4 v2 gets a verifier.
    pub async fn set_password_text(
        &self,
        name: &str,
        password: &str,
        ksf: KsfParams,
    ) -> Result<(), UserError> {
        check_password(name, password)?;
        self.store_key(name, PasswordKey::from_password(password), ksf)
            .await
    }

    /// Sets or clears "must change password at next login".
    pub async fn set_must_change(&self, name: &str, must: bool) -> Result<(), UserError> {
        self.update(
            "UPDATE cor4.users SET must_change_password = $2 WHERE name = $1",
            name,
            &must,
        )
        .await
    }

    /// Locks the account: new logins are refused, and the user's running
    /// PostgreSQL sessions are terminated (which ends their proxy sessions).
    pub async fn lock(&self, name: &str) -> Result<(), UserError> {
        let mut client = self.write().await?;
        let tx = client.transaction().await?;
        lock_catalog(&tx).await?;
        let row = tx
            .query_opt(
                "UPDATE cor4.users SET status = 'locked' WHERE name = $1 RETURNING role",
                &[&name],
            )
            .await?;
        let role: String = row.ok_or(UserError::NoSuchUser)?.try_get(0)?;
        let ended = roles::terminate_sessions(&tx, &role, self.superuser).await?;
        tx.commit().await?;
        tracing::info!(user = name, sessions_ended = ended, "user locked");
        Ok(())
    }

    /// Unlocks the account and resets failed-login counters and lockout.
    pub async fn unlock(&self, name: &str) -> Result<(), UserError> {
        let client = self.read().await?;
        let n = client
            .execute(
                "UPDATE cor4.users SET status = 'active', failed_attempts = 0,
                     locked_until = NULL WHERE name = $1",
                &[&name],
            )
            .await?;
        found(n)
    }

    /// Replaces the allowed address ranges (empty = anywhere). Each entry is
    /// an address (one host) or `address/prefix`, stored canonically.
    pub async fn set_allowed_cidrs(&self, name: &str, cidrs: &[String]) -> Result<(), UserError> {
        let mut canonical = Vec::with_capacity(cidrs.len());
        for entry in cidrs {
            let parsed: Cidr = entry
                .trim()
                .parse()
                .map_err(|reason| UserError::InvalidCidr {
                    entry: entry.clone(),
                    reason,
                })?;
            canonical.push(parsed.to_string());
        }
        self.update(
            "UPDATE cor4.users SET allowed_cidrs = $2 WHERE name = $1",
            name,
            &canonical,
        )
        .await
    }

    /// Every user, by name.
    pub async fn list(&self) -> Result<Vec<UserSummary>, UserError> {
        let client = self.read().await?;
        let rows = client
            .query(
                "SELECT name, role, status = 'locked', must_change_password, allowed_cidrs,
                        failed_attempts, locked_until, last_login, is_admin, verifier,
                        created_at, changed_at
                 FROM cor4.users ORDER BY name",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(UserSummary {
                    name: r.try_get(0)?,
                    role: r.try_get(1)?,
                    locked: r.try_get(2)?,
                    must_change_password: r.try_get(3)?,
                    allowed_cidrs: r.try_get(4)?,
                    failed_attempts: non_negative(r.try_get(5)?)?,
                    locked_until: r.try_get(6)?,
                    last_login: r.try_get(7)?,
                    is_admin: r.try_get(8)?,
                    ksf: verifier::from_column(r.try_get(9)?)?.map(|v| v.ksf()),
                    created_at: r.try_get(10)?,
                    changed_at: r.try_get(11)?,
                })
            })
            .collect()
    }

    /// Removes the user and drops its role and schema, in one transaction,
    /// and terminates the user's sessions. If the role owns objects (tables,
    /// …) other than its own schema, nothing changes and this fails with
    /// [`UserError::OwnsObjects`]; see
    /// [`remove_dropping_objects`](Self::remove_dropping_objects).
    pub async fn remove(&self, name: &str) -> Result<(), UserError> {
        self.remove_user(name, false).await
    }

    /// `user remove --force`: like [`remove`](Self::remove), but first drops
    /// what the role owns in this database (`DROP OWNED BY … RESTRICT`: still
    /// refused if another user's objects depend on them). Objects in other
    /// databases are never dropped; they make `DROP ROLE` fail.
    pub async fn remove_dropping_objects(&self, name: &str) -> Result<(), UserError> {
        self.remove_user(name, true).await
    }

    async fn remove_user(&self, name: &str, force: bool) -> Result<(), UserError> {
        let mut client = self.write().await?;
        let tx = client.transaction().await?;
        lock_catalog(&tx).await?;
        let row = tx
            .query_opt(
                "SELECT role FROM cor4.users WHERE name = $1 FOR UPDATE",
                &[&name],
            )
            .await?;
        let role: String = row.ok_or(UserError::NoSuchUser)?.try_get(0)?;
        let owned = roles::owned_objects(&tx, &role).await?;
        if owned > 0 && !force {
            return Err(UserError::OwnsObjects { count: owned });
        }
        roles::terminate_sessions(&tx, &role, self.superuser).await?;
        roles::drop(&tx, &role, self.superuser).await?;
        tx.execute("DELETE FROM cor4.users WHERE name = $1", &[&name])
            .await?;
        tx.commit().await?;
        tracing::info!(user = name, role, objects_dropped = owned, "user removed");
        Ok(())
    }

    /// Sets the user's role password back to the derived one. The server
    /// calls this when connecting a session fails with `28P01` (the user ran
    /// `ALTER ROLE … PASSWORD` on itself, which PostgreSQL allows), then
    /// retries once.
    pub async fn reset_role_password(&self, user: &UserRecord) -> Result<(), UserError> {
        let mut client = self.write().await?;
        let tx = client.transaction().await?;
        lock_catalog(&tx).await?;
        roles::reset_password(&tx, &self.server_secret, &user.role).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update(
        &self,
        sql: &str,
        name: &str,
        value: &(dyn tokio_postgres::types::ToSql + Sync),
    ) -> Result<(), UserError> {
        let client = self.read().await?;
        let n = client.execute(sql, &[&name, value]).await?;
        found(n)
    }
}
