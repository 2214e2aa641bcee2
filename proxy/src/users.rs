//! The user store in PostgreSQL (schema `cor4`) and the PostgreSQL roles the
//! users map to.
//!
//! ```text
//! cor4-proxy ──admin connection (superuser cor4_admin, or CREATEROLE + owner)──► cor4.users, cor4.settings
//!     │                                                                           CREATE/ALTER/DROP ROLE
//!     └──one connection per session, as the user's own role (session_config)──► the user's data only
//! ```
//!
//! [`UserStore::open`] connects as the admin role, runs the versioned
//! migrations (see `migrations`) and loads the server secret and the OPAQUE
//! server keys (see `verifier`). Logins use [`UserStore::lookup`], [`UserRecord::address_allowed`],
//! [`UserRecord::is_rate_limited`], [`UserStore::record_failure`] and
//! [`UserStore::record_success`]; sessions connect with
//! [`UserStore::session_config`]. The `cor4-proxy user …` subcommands use
//! the admin operations. `docs/security.md` explains the privilege design.

mod cidr;
mod live;
mod manage;
mod migrations;
mod policy;
mod roles;
#[cfg(test)]
mod tests;
mod verifier;

use std::net::IpAddr;
use std::time::SystemTime;

use std::sync::Arc;

use cor4_protocol::crypto::{KsfParams, PakeError, PasswordKey, ServerKeys, Verifier};
use tokio::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard, Semaphore};
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Row};

use crate::pgwire::PgConfig as Config;

pub use cidr::{Cidr, CidrError};
pub use live::{ControlRow, ProxyStats};
pub use policy::{LockoutPolicy, check_key, check_password, generate_password, validate_name};

/// Why a user-store operation failed.
///
/// For the peer: `PasswordRejected` answers CHPASS with ERROR 11; every
/// other variant is an internal failure the client only sees as a generic
/// server error (and, during login, not at all: the login just fails).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UserError {
    /// PostgreSQL failed.
    #[error("user store: {}", describe_pg(.0))]
    Db(#[from] tokio_postgres::Error),
    /// The new password was refused by policy.
    #[error("password refused: {0}")]
    PasswordRejected(&'static str),
    /// A user, role or database name is not a safe identifier or is reserved.
    #[error("invalid name: it {0}")]
    InvalidName(&'static str),
    /// No such user.
    #[error("no such user")]
    NoSuchUser,
    /// A user of that name already exists.
    #[error("a user of that name already exists")]
    UserExists,
    /// The PostgreSQL role already exists (for another user, or not created
    /// by cor4): cor4 only uses roles it created itself.
    #[error("a PostgreSQL role of that name already exists")]
    RoleTaken,
    /// An allowed-address entry is not a valid CIDR range.
    #[error("invalid address range {entry:?}: {reason}")]
    InvalidCidr {
        /// The entry as given.
        entry: String,
        /// What is wrong with it.
        #[source]
        reason: CidrError,
    },
    /// The Argon2id cost is outside the range clients accept.
    #[error("{0}")]
    KsfOutOfRange(PakeError),
    /// `remove` without force, and the user's role still owns objects.
    #[error("the user's role owns {count} database objects (remove with --force drops them)")]
    OwnsObjects {
        /// How many objects (tables, sequences, functions, …).
        count: i64,
    },
    /// The database was migrated by a newer cor4-proxy.
    #[error(
        "user-store schema version {found} is newer than this proxy's {known}; upgrade the proxy"
    )]
    SchemaTooNew {
        /// The version in `cor4.schema_version`.
        found: i32,
        /// The newest version this binary knows.
        known: i32,
    },
    /// The admin role lacks what the store needs.
    #[error("the admin role {0}")]
    InsufficientPrivilege(&'static str),
    /// A stored value is malformed (the table was edited by hand).
    #[error("user store is corrupt: {0}")]
    Corrupt(&'static str),
    /// Making the OPAQUE verifier failed (Argon2id could not allocate its
    /// memory, or its task died).
    #[error("making the password verifier failed (out of memory?)")]
    RegistrationFailed,
}

/// What a login needs to know about one user.
#[derive(Debug, Clone)]
pub struct UserRecord {
    /// The cor4 user name.
    pub name: String,
    /// The PostgreSQL role sessions run as.
    pub role: String,
    /// The OPAQUE verifier; `None` for a user whose password was set
    /// before Cor4 v3 and must be reset.
    pub verifier: Option<Verifier>,
    /// Locked by an administrator.
    pub locked: bool,
    /// The user must CHPASS before anything else.
    pub must_change_password: bool,
    /// Where the user may log in from; empty = anywhere.
    pub allowed_cidrs: Vec<Cidr>,
    /// Failed logins since the last success or unlock.
    pub failed_attempts: u32,
    /// End of the current failed-login lockout, if one was set.
    pub locked_until: Option<SystemTime>,
    /// Created with `--admin`.
    pub is_admin: bool,
}

impl UserRecord {
    /// Whether a TCP peer at `addr` may log in as this user: an empty list
    /// allows anyone; otherwise the address must be in a listed range.
    pub fn address_allowed(&self, addr: IpAddr) -> bool {
        cidr::allowed(&self.allowed_cidrs, Some(addr))
    }

    /// Whether a peer without an IP address (a Unix socket, an unknown
    /// peer) may log in as this user: only when no range is listed.
    pub fn unknown_address_allowed(&self) -> bool {
        cidr::allowed(&self.allowed_cidrs, None)
    }

    /// Whether a failed-login lockout is running now.
    pub fn is_rate_limited(&self) -> bool {
        self.locked_until.is_some_and(|t| t > SystemTime::now())
    }
}

/// What [`UserStore::begin_attempt`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted; the verifier may answer.
    Judged,
    /// Not to be judged (unknown, locked or refused): nothing counted.
    NotCounted,
    /// A failed-login lockout runs; `recent` when it began moments ago, so
    /// attempts that started it may still be proven right and lift it.
    LockedOut {
        /// The last failure is a few seconds old at most.
        recent: bool,
    },
}

/// One line of `cor4-proxy user list` (no secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    /// The cor4 user name.
    pub name: String,
    /// The PostgreSQL role.
    pub role: String,
    /// Locked by an administrator.
    pub locked: bool,
    /// Must change password at next login.
    pub must_change_password: bool,
    /// Allowed address ranges (empty = anywhere).
    pub allowed_cidrs: Vec<String>,
    /// Failed logins since the last success.
    pub failed_attempts: u32,
    /// End of the current lockout, if any was set.
    pub locked_until: Option<SystemTime>,
    /// Last successful login.
    pub last_login: Option<SystemTime>,
    /// Created with `--admin`.
    pub is_admin: bool,
    /// The Argon2id cost of the verifier; `None` when the password was set
    /// before Cor4 v3 and must be reset.
    pub ksf: Option<KsfParams>,
    /// When the user was created.
    pub created_at: SystemTime,
    /// When the password last changed.
    pub changed_at: SystemTime,
}

/// The user store.
pub struct UserStore {
    /// Admin settings with the store database filled in.
    config: Config,
    client: RwLock<Client>,
    server_secret: [u8; 32],
    server_keys: Arc<ServerKeys>,
    superuser: bool,
    ksf: KsfParams,
    registrations: Semaphore,
    lockout: LockoutPolicy,
}

impl std::fmt::Debug for UserStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserStore")
            .field("database", &self.config.get_dbname())
            .field("superuser", &self.superuser)
            .finish_non_exhaustive()
    }
}

const USER_COLUMNS: &str = "name, role, verifier, status = 'locked', \
     must_change_password, allowed_cidrs, failed_attempts, locked_until, is_admin";

impl UserStore {
    /// Connects as the admin role to the database of `admin` (PostgreSQL's
    /// default: the one named like the user), runs the migrations and loads
    /// the server secret. Sessions connect to the same database.
    ///
    /// The admin role must be a superuser, or have CREATEROLE and own the
    /// database (see `docs/security.md`).
    ///
    /// `admin` is a [`PgConfig`](crate::pgwire::PgConfig) (TLS, several
    /// hosts) or a plain `tokio_postgres::Config`.
    pub async fn open(admin: impl Into<Config>) -> Result<UserStore, UserError> {
        Self::open_config(admin.into()).await
    }

    /// Like [`open`](Self::open), but in `database`, which is created (owned
    /// by the admin role) if missing.
    pub async fn open_database(
        admin: impl Into<Config>,
        database: &str,
    ) -> Result<UserStore, UserError> {
        let admin = &admin.into();
        validate_database_name(database)?;
        if admin.get_dbname() != Some(database) {
            create_database(admin, database).await?;
        }
        let mut config = admin.clone();
        config.dbname(database);
        Self::open_config(config).await
    }

    async fn open_config(config: Config) -> Result<UserStore, UserError> {
        let mut client = connect(&config).await?;
        let mut fresh = [0u8; 32];
        rand::fill(&mut fresh);
        let server_secret = migrations::run(&mut client, &fresh).await?;
        let server_keys = Arc::new(verifier::load_server_keys(&client).await?);
        verifier::warn_about_legacy_users(&verifier::users_without_verifier(&client).await?);
        let row = client
            .query_one(
                "SELECT r.rolsuper, r.rolcreaterole,
                        pg_catalog.pg_has_role(d.datdba, 'MEMBER')
                 FROM pg_catalog.pg_roles r, pg_catalog.pg_database d
                 WHERE r.rolname = current_user AND d.datname = pg_catalog.current_database()",
                &[],
            )
            .await?;
        let (superuser, createrole, owner): (bool, bool, bool) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if !superuser && !createrole {
            return Err(UserError::InsufficientPrivilege(
                "needs CREATEROLE (or SUPERUSER) to manage users' roles",
            ));
        }
        if !superuser && !owner {
            return Err(UserError::InsufficientPrivilege(
                "must own the database (or be SUPERUSER) to grant CONNECT on it",
            ));
        }
        Ok(UserStore {
            config,
            client: RwLock::new(client),
            server_secret,
            server_keys,
            superuser,
            ksf: KsfParams::DEFAULT,
            registrations: Semaphore::new(verifier::MAX_CONCURRENT_REGISTRATIONS),
            lockout: LockoutPolicy::default(),
        })
    }

    /// Sets the Argon2id cost for passwords changed by
    /// [`set_password`](Self::set_password) (CHPASS), and shown for users
    /// that do not exist (default [`KsfParams::DEFAULT`]).
    pub fn with_ksf(mut self, ksf: KsfParams) -> Result<Self, UserError> {
        ksf.check().map_err(UserError::KsfOutOfRange)?;
        self.ksf = ksf;
        Ok(self)
    }

    /// The Argon2id cost new passwords get.
    pub fn ksf(&self) -> KsfParams {
        self.ksf
    }

    /// The deployment's OPAQUE server keys (shared by every proxy on this
    /// database, like the server secret).
    pub fn server_keys(&self) -> &ServerKeys {
        &self.server_keys
    }

    /// Sets the failed-login policy.
    pub fn with_lockout(mut self, lockout: LockoutPolicy) -> Self {
        self.lockout = lockout;
        self
    }

    /// The 32-byte secret shared by every proxy on this database: the key of
    /// role passwords.
    pub fn server_secret(&self) -> &[u8; 32] {
        &self.server_secret
    }

    /// The database the store lives in and sessions connect to.
    pub fn database(&self) -> Option<&str> {
        self.config.get_dbname()
    }

    /// Settings for a session of `user`: the admin settings with the user's
    /// role and its derived password in place of the admin's.
    pub fn session_config(&self, user: &UserRecord) -> Config {
        let mut config = self.config.clone();
        config
            .user(&user.role)
            .password(roles::role_password(&self.server_secret, &user.role));
        config
    }

    /// The user named `name`, or `None`.
    pub async fn lookup(&self, name: &str) -> Result<Option<UserRecord>, UserError> {
        let client = self.read().await?;
        let row = client
            .query_opt(
                &format!("SELECT {USER_COLUMNS} FROM cor4.users WHERE name = $1"),
                &[&name],
            )
            .await?;
        row.map(|r| record_from_row(&r)).transpose()
    }

    /// Begins a login attempt of `name` that will be judged: counts it as a
    /// failure in advance, in the one statement that also decides whether
    /// it may be judged at all, so parallel guesses cannot all slip in
    /// before the lockout (exactly [`LockoutPolicy::max_failures`] are
    /// judged before it takes effect). A proven password then undoes the
    /// count ([`record_success`](Self::record_success)).
    ///
    /// With `judged` false nothing changes, but the statement runs all the
    /// same: every login costs the same round trip, so its timing does not
    /// tell a user that exists from one that does not, or a locked one.
    pub async fn begin_attempt(&self, name: &str, judged: bool) -> Result<Attempt, UserError> {
        let max = i32::try_from(self.lockout.max_failures).unwrap_or(i32::MAX);
        let base = self.lockout.base_lockout.as_secs_f64();
        let cap = self.lockout.max_lockout.as_secs_f64();
        let client = self.read().await?;
        // One statement: the attempt is counted when no lockout runs;
        // either way it says whether the last failure (this one included)
        // is recent, i.e. other attempts may still be under way.
        // The commit of a counted failure does not wait for the WAL flush
        // (`set_config(…, true)` lasts until this statement's commit): an
        // existing user's counted attempt would otherwise answer a flush
        // later than an unknown name's, which writes nothing, and tell the
        // two apart. A PostgreSQL crash may forget the last fraction of a
        // second of failures.
        let row = client
            .query_opt(
                "WITH async_commit AS (
                     SELECT set_config('synchronous_commit', 'off', true)
                 ),
                 counted AS (
                     UPDATE cor4.users SET
                         last_failure = now(),
                         failed_attempts = failed_attempts + 1,
                         locked_until = CASE
                             WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(secs =>
                                 least($3::float8 * power(2.0::float8,
                                           least(failed_attempts + 1 - $2, 30)::float8),
                                       $4::float8))
                             ELSE locked_until END
                     WHERE name = $1 AND $5 AND (locked_until IS NULL OR locked_until <= now())
                     RETURNING 1
                 )
                 SELECT EXISTS (SELECT 1 FROM counted),
                        coalesce((SELECT last_failure > now() - interval '10 seconds'
                                  FROM cor4.users WHERE name = $1), false),
                        (SELECT count(*) FROM async_commit)",
                &[&name, &max, &base, &cap, &judged],
            )
            .await?;
        let (counted, recent): (bool, bool) = match row {
            Some(row) => (row.try_get(0)?, row.try_get(1)?),
            None => (false, false),
        };
        Ok(match (counted, judged) {
            (true, _) => Attempt::Judged,
            (false, false) => Attempt::NotCounted,
            (false, true) => Attempt::LockedOut { recent },
        })
    }

    /// Counts a successful login: resets the failure counter and lockout.
    pub async fn record_success(&self, name: &str) -> Result<(), UserError> {
        let client = self.read().await?;
        client
            .execute(
                "UPDATE cor4.users SET failed_attempts = 0, locked_until = NULL,
                     last_login = now() WHERE name = $1",
                &[&name],
            )
            .await?;
        Ok(())
    }

    /// PostgreSQL connections left for sessions: `max_connections` minus
    /// `superuser_reserved_connections` minus `own` (the proxy's), with the
    /// two settings, for the log.
    pub async fn backend_capacity(&self, own: usize) -> Result<(usize, i32, i32), UserError> {
        let client = self.read().await?;
        let row = client
            .query_one(
                "SELECT current_setting('max_connections')::int,
                        current_setting('superuser_reserved_connections')::int",
                &[],
            )
            .await?;
        let (max, reserved): (i32, i32) = (row.try_get(0)?, row.try_get(1)?);
        let left = usize::try_from(max.saturating_sub(reserved))
            .unwrap_or(0)
            .saturating_sub(own);
        Ok((left.max(1), max, reserved))
    }

    /// Shared use of the admin connection for single statements (they
    /// pipeline); reconnects first if PostgreSQL closed it.
    async fn read(&self) -> Result<RwLockReadGuard<'_, Client>, UserError> {
        {
            let guard = self.client.read().await;
            if !guard.is_closed() {
                return Ok(guard);
            }
        }
        Ok(self.write().await?.downgrade())
    }

    /// Exclusive use of the admin connection, for transactions.
    async fn write(&self) -> Result<RwLockWriteGuard<'_, Client>, UserError> {
        let mut guard = self.client.write().await;
        if guard.is_closed() {
            tracing::warn!("user-store connection closed; reconnecting");
            *guard = connect(&self.config).await?;
        }
        Ok(guard)
    }
}

/// Serialises transactions that change roles and grants. PostgreSQL fails
/// concurrent updates of one catalog row (the database's ACL, a role) with
/// "tuple concurrently updated" instead of waiting, so user-store writes
/// from several proxies or admin commands take turns on the migrations'
/// advisory lock.
async fn lock_catalog(tx: &tokio_postgres::Transaction<'_>) -> Result<(), UserError> {
    tx.execute(
        "SELECT pg_catalog.pg_advisory_xact_lock($1)",
        &[&migrations::MIGRATION_LOCK],
    )
    .await?;
    Ok(())
}

/// Connects, spawns the connection task, and pins `search_path` so no
/// object a user creates can shadow what the admin connection calls.
async fn connect(config: &Config) -> Result<Client, UserError> {
    let (client, connection) = config.connect_client().await?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(%error, "user-store connection ended");
        }
    });
    client
        .batch_execute("SET search_path = pg_catalog, pg_temp; SET client_min_messages = warning")
        .await?;
    Ok(client)
}

/// Creates `db` (owned by the admin role) unless it exists; a concurrent
/// creation by another proxy is fine.
async fn create_database(admin: &Config, db: &str) -> Result<(), UserError> {
    let client = connect(admin).await?;
    let exists = client
        .query_opt(
            "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1",
            &[&db],
        )
        .await?
        .is_some();
    if !exists {
        match client
            .batch_execute(&format!("CREATE DATABASE {}", roles::quote_ident(db)))
            .await
        {
            // A proxy starting at the same time won the race: 42P04, or
            // 23505 when both passed PostgreSQL's own existence check.
            Err(e)
                if e.code() != Some(&SqlState::DUPLICATE_DATABASE)
                    && e.code() != Some(&SqlState::UNIQUE_VIOLATION) =>
            {
                return Err(e.into());
            }
            _ => tracing::info!(database = db, "created the user-store database"),
        }
    }
    Ok(())
}

fn validate_database_name(db: &str) -> Result<(), UserError> {
    // Same shape as user names; "postgres" is a fine database, so only the
    // shape is checked.
    match validate_name(db) {
        Err(UserError::InvalidName("is reserved")) => Ok(()),
        other => other,
    }
}

fn record_from_row(row: &Row) -> Result<UserRecord, UserError> {
    let cidrs: Vec<String> = row.try_get(5)?;
    Ok(UserRecord {
        name: row.try_get(0)?,
        role: row.try_get(1)?,
        verifier: verifier::from_column(row.try_get(2)?)?,
        locked: row.try_get(3)?,
        must_change_password: row.try_get(4)?,
        // Stored entries were validated; one that no longer parses is
        // dropped, and if that empties the list it fails closed, matching
        // nothing.
        allowed_cidrs: parse_stored_cidrs(&cidrs),
        failed_attempts: non_negative(row.try_get(6)?)?,
        locked_until: row.try_get(7)?,
        is_admin: row.try_get(8)?,
    })
}

fn parse_stored_cidrs(stored: &[String]) -> Vec<Cidr> {
    let parsed: Vec<Cidr> = stored.iter().filter_map(|s| s.parse().ok()).collect();
    if parsed.is_empty() && !stored.is_empty() {
        tracing::warn!("no valid entry in a user's allowed_cidrs; refusing every address");
        return vec![Cidr::NOTHING];
    }
    parsed
}

fn non_negative(value: i32) -> Result<u32, UserError> {
    u32::try_from(value).map_err(|_| UserError::Corrupt("negative counter"))
}

fn found(rows: u64) -> Result<(), UserError> {
    if rows == 0 {
        Err(UserError::NoSuchUser)
    } else {
        Ok(())
    }
}

fn unique_violation(e: tokio_postgres::Error, instead: UserError) -> UserError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        instead
    } else {
        e.into()
    }
}

/// A PostgreSQL error with its cause: the SQLSTATE and PostgreSQL's message
/// for a server error, the whole chain (refused, timed out, …) otherwise.
pub fn describe_pg(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} {}: {}", db.severity(), db.code().code(), db.message()),
        None => crate::pgwire::full_message(e),
    }
}
