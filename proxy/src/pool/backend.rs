//! A session's view of PostgreSQL: one connection of the pool, held for
//! the whole session (session mode) or only while a request or a
//! transaction block runs (transaction mode). The relay talks to it as to
//! one connection.
//!
//! In transaction mode a statement prepared through the Cor4 protocol is
//! prepared on each connection under a name derived from its SQL and
//! types (`cor4_` and the MD5 of both), so sessions of one user share it
//! and the session's own name never reaches PostgreSQL; a connection that
//! lacks it gets it again just before the execute, in the same round trip.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use md5::{Digest, Md5};
use tokio_postgres::error::SqlState;

use super::{AcquireError, Conn, Connect, Pool, PoolMode, guard};
use crate::limits::ByteBudget;
use crate::pgwire::{CancelToken, Event, Param, PgError, Statement, TransactionStatus};

/// Why a request was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The connection failed, or the request cannot be sent as it is (see
    /// [`PgError::is_fatal`]).
    #[error(transparent)]
    Pg(#[from] PgError),
    /// The proxy refused it; the session goes on.
    #[error("{message}")]
    Refused {
        /// The SQLSTATE for the client.
        sqlstate: SqlState,
        /// What happened and what to do.
        message: String,
    },
}

/// The session's PostgreSQL.
pub struct Backend {
    pool: Arc<Pool>,
    user: String,
    connect: Connect,
    conn: Option<Conn>,
    /// Parameters while no connection is held (transaction mode).
    parameters: Arc<HashMap<String, String>>,
    budget: Option<Arc<ByteBudget>>,
    /// The pool name of a statement sent in the running request, to be
    /// forgotten by the connection if the request fails.
    pending: Option<String>,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend")
            .field("user", &self.user)
            .field("mode", &self.pool.mode())
            .field("held", &self.conn.is_some())
            .finish_non_exhaustive()
    }
}

impl Backend {
    /// The backend of a new session of `user`: a connection is taken at
    /// once (so a login is refused when PostgreSQL cannot serve it); in
    /// transaction mode it goes back to the pool right away.
    pub async fn login(
        pool: &Arc<Pool>,
        user: &str,
        connect: Connect,
    ) -> Result<Backend, AcquireError> {
        let wait = pool.mode() == PoolMode::Transaction;
        let conn = pool.acquire(user, &connect, wait).await?;
        let parameters = pool.parameters(user, &conn.pg);
        let mut backend = Backend {
            pool: Arc::clone(pool),
            user: user.to_owned(),
            connect,
            conn: Some(conn),
            parameters,
            budget: None,
            pending: None,
        };
        backend.put_back_if_done();
        Ok(backend)
    }

    /// A backend on one connection of its own, outside any shared pool
    /// (the relay's tests).
    #[cfg(test)]
    pub fn dedicated(pg: crate::pgwire::PgConn) -> Backend {
        let metrics = Arc::new(crate::metrics::Metrics::default());
        let slots = crate::limits::Slots::new(1);
        let pool = Pool::new(
            PoolMode::Session,
            super::PoolLimits {
                size: 1,
                idle_timeout: std::time::Duration::from_secs(1),
                wait_timeout: std::time::Duration::from_secs(1),
            },
            Arc::clone(&slots),
            Arc::clone(&metrics),
        );
        let parameters = pool.parameters("", &pg);
        let conn = slots.try_take().map(|slot| Conn {
            pg,
            prepared: std::collections::HashSet::new(),
            _slot: slot,
            _open: super::Open(metrics),
        });
        let connect: Connect = Arc::new(|| Box::pin(async { Err(PgError::Closed) }));
        Backend {
            pool,
            user: String::new(),
            connect,
            conn,
            parameters,
            budget: None,
            pending: None,
        }
    }

    fn transaction_mode(&self) -> bool {
        self.pool.mode() == PoolMode::Transaction
    }

    /// The connection for the next request: the one held, or one from the
    /// pool (transaction mode).
    async fn conn(&mut self) -> Result<&mut Conn, SendError> {
        if self.conn.is_none() {
            let mut conn = self
                .pool
                .acquire(&self.user, &self.connect, true)
                .await
                .map_err(|e| match e {
                    AcquireError::Connect(e) => SendError::Pg(e),
                    exhausted @ AcquireError::Exhausted { .. } => SendError::Refused {
                        sqlstate: SqlState::TOO_MANY_CONNECTIONS,
                        message: format!(
                            "{exhausted}, and none came back within --pool-wait-timeout; \
                             try again, or ask the operator to raise the limits"
                        ),
                    },
                })?;
            if let Some(budget) = &self.budget {
                conn.pg.set_budget(Arc::clone(budget));
            }
            self.conn = Some(conn);
        }
        self.conn.as_mut().ok_or(SendError::Pg(PgError::Closed))
    }

    /// Refuses SQL that would leave state behind (transaction mode).
    fn check(&self, sql: &str) -> Result<(), SendError> {
        if !self.transaction_mode() {
            return Ok(());
        }
        match guard::session_state(sql) {
            None => Ok(()),
            Some(why) => Err(SendError::Refused {
                sqlstate: SqlState::FEATURE_NOT_SUPPORTED,
                message: format!(
                    "{why}; with transaction pooling (--pool-mode transaction) each \
                     transaction may run on a different PostgreSQL connection, so the \
                     proxy refuses it. Use the transaction-scoped form, set defaults \
                     with ALTER ROLE … SET, or use a proxy in session pooling mode"
                ),
            }),
        }
    }

    /// Gives the connection back when nothing is running and no
    /// transaction is open (transaction mode).
    fn put_back_if_done(&mut self) {
        if !self.transaction_mode() {
            return;
        }
        let done = self.conn.as_ref().is_some_and(|c| {
            c.pg.is_idle() && c.pg.transaction_status() == TransactionStatus::Idle
        });
        if done && let Some(conn) = self.conn.take() {
            self.pool.put_back(&self.user, conn);
        }
    }

    /// Sends `sql` as a simple query.
    pub async fn send_query(&mut self, sql: &str) -> Result<(), SendError> {
        self.check(sql)?;
        let conn = self.conn().await?;
        conn.pg.send_query(sql).await?;
        Ok(())
    }

    /// Runs `sql` with parameters as the unnamed statement.
    pub async fn send_execute_unnamed(
        &mut self,
        sql: &str,
        types: &[u32],
        params: &[Param<'_>],
    ) -> Result<(), SendError> {
        self.check(sql)?;
        let conn = self.conn().await?;
        conn.pg
            .send_execute(Statement::Unnamed { sql, types }, params)
            .await?;
        Ok(())
    }

    /// Runs the session's statement `name` (its SQL and types, when the
    /// session knows it, let another connection prepare it again).
    pub async fn send_execute_named(
        &mut self,
        name: &str,
        known: Option<(&str, &[u32])>,
        params: &[Param<'_>],
    ) -> Result<(), SendError> {
        if !self.transaction_mode() {
            let conn = self.conn().await?;
            conn.pg.send_execute(Statement::Named(name), params).await?;
            return Ok(());
        }
        let Some((sql, types)) = known else {
            // What PostgreSQL says of an unknown statement.
            return Err(SendError::Refused {
                sqlstate: SqlState::INVALID_SQL_STATEMENT_NAME,
                message: format!("prepared statement \"{name}\" does not exist"),
            });
        };
        let shared = pool_name(sql, types);
        let conn = self.conn().await?;
        let statement = if conn.prepared.contains(&shared) {
            Statement::Named(&shared)
        } else {
            Statement::Reparse {
                name: &shared,
                sql,
                types,
            }
        };
        conn.pg.send_execute(statement, params).await?;
        conn.prepared.insert(shared.clone());
        self.pending = Some(shared);
        Ok(())
    }

    /// Prepares `sql` as the session's statement `name`; ParameterDescription
    /// and RowDescription or NoData follow.
    pub async fn send_prepare(
        &mut self,
        name: &str,
        sql: &str,
        types: &[u32],
    ) -> Result<(), SendError> {
        self.check(sql)?;
        if !self.transaction_mode() {
            let conn = self.conn().await?;
            conn.pg.send_prepare(name, sql, types).await?;
            return Ok(());
        }
        let shared = pool_name(sql, types);
        let conn = self.conn().await?;
        conn.pg.send_prepare_replacing(&shared, sql, types).await?;
        conn.prepared.insert(shared.clone());
        self.pending = Some(shared);
        Ok(())
    }

    /// Closes the session's statement `name`; Ready follows. In
    /// transaction mode the shared statement stays on the connections
    /// (others may use it) and only the session forgets the name.
    pub async fn send_close(&mut self, name: &str) -> Result<(), SendError> {
        let shared_mode = self.transaction_mode();
        let conn = self.conn().await?;
        if shared_mode {
            // A Sync alone: Ready answers it.
            conn.pg.send_close("").await?;
        } else {
            conn.pg.send_close(name).await?;
        }
        Ok(())
    }

    /// The next event of the running request. In transaction mode the
    /// connection goes back to the pool at a Ready outside a transaction.
    pub async fn next_event(&mut self) -> Result<Event, PgError> {
        let conn = self
            .conn
            .as_mut()
            .ok_or(PgError::Misuse("no request is running"))?;
        let event = conn.pg.next_event().await;
        self.after(event.as_ref().ok());
        event
    }

    /// The next event if one is buffered.
    pub fn try_next_event(&mut self) -> Result<Option<Event>, PgError> {
        let Some(conn) = self.conn.as_mut() else {
            return Ok(None);
        };
        let event = conn.pg.try_next_event();
        self.after(event.as_ref().ok().and_then(Option::as_ref));
        event
    }

    fn after(&mut self, event: Option<&Event>) {
        match event {
            Some(Event::Error(_)) => {
                // The statement may not have been prepared after all.
                if let (Some(name), Some(conn)) = (self.pending.take(), self.conn.as_mut()) {
                    conn.prepared.remove(&name);
                }
            }
            Some(Event::Ready(_)) => {
                self.pending = None;
                self.put_back_if_done();
            }
            _ => {}
        }
    }

    /// The transaction status (idle while no connection is held).
    pub fn transaction_status(&self) -> TransactionStatus {
        self.conn
            .as_ref()
            .map_or(TransactionStatus::Idle, |c| c.pg.transaction_status())
    }

    /// A parameter PostgreSQL reported, e.g. `DateStyle`.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        match &self.conn {
            Some(conn) => conn.pg.parameter(name),
            None => self.parameters.get(name).map(String::as_str),
        }
    }

    /// Every parameter PostgreSQL reported, sorted by name.
    pub fn parameters(&self) -> Vec<(&str, &str)> {
        match &self.conn {
            Some(conn) => conn.pg.parameters(),
            None => crate::pgwire::sorted_parameters(&self.parameters),
        }
    }

    /// Whether PostgreSQL waits for COPY data.
    pub fn is_copy_in(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.pg.is_copy_in())
    }

    /// Cancels what the held connection runs; `None` when none is held.
    pub fn cancel_token(&self) -> Option<CancelToken> {
        self.conn.as_ref().map(|c| c.pg.cancel_token())
    }

    /// Sends COPY data.
    pub async fn copy_data(&mut self, data: &[u8]) -> Result<(), PgError> {
        self.held()?.pg.copy_data(data).await
    }

    /// Ends COPY FROM STDIN.
    pub async fn copy_done(&mut self) -> Result<(), PgError> {
        self.held()?.pg.copy_done().await
    }

    /// Aborts COPY FROM STDIN.
    pub async fn copy_fail(&mut self, reason: &str) -> Result<(), PgError> {
        self.held()?.pg.copy_fail(reason).await
    }

    fn held(&mut self) -> Result<&mut Conn, PgError> {
        self.conn
            .as_mut()
            .ok_or(PgError::Misuse("no request is running"))
    }

    /// Large messages wait for a share of `budget`.
    pub fn set_budget(&mut self, budget: Arc<ByteBudget>) {
        if let Some(conn) = self.conn.as_mut() {
            conn.pg.set_budget(Arc::clone(&budget));
        }
        self.budget = Some(budget);
    }

    /// Whether a share of the budget is held for a large message.
    pub fn holds_large(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.pg.holds_large())
    }

    /// Bytes received and not yet taken as messages.
    pub fn buffered(&self) -> usize {
        self.conn.as_ref().map_or(0, |c| c.pg.buffered())
    }

    /// Gives back a large message's share and memory.
    pub fn release_large(&mut self, keep: usize) {
        if let Some(conn) = self.conn.as_mut() {
            conn.pg.release_large(keep);
        }
    }

    /// The length of a message that has begun to arrive.
    pub fn incomplete_message_len(&self) -> Option<usize> {
        self.conn
            .as_ref()
            .and_then(|c| c.pg.incomplete_message_len())
    }

    /// At the end of the session: a running request is cancelled and its
    /// connection closed; an idle one goes back to the pool (reset with
    /// `DISCARD ALL` in session mode).
    pub async fn finish(mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if conn.pg.is_broken() {
            self.pool.discard(&self.user, conn);
            return;
        }
        if !conn.pg.is_idle() {
            let token = conn.pg.cancel_token();
            match tokio::time::timeout(super::CLOSE_TIMEOUT, token.cancel()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "cancelling the running query failed"),
                Err(_) => tracing::warn!("cancelling the running query timed out"),
            }
            self.pool.discard(&self.user, conn);
            return;
        }
        match self.pool.mode() {
            PoolMode::Session => self.pool.release(&self.user, conn).await,
            PoolMode::Transaction => self.pool.put_back(&self.user, conn),
        }
    }
}

/// The name a statement has on every connection of the pool.
fn pool_name(sql: &str, types: &[u32]) -> String {
    let mut md5 = Md5::new();
    for t in types {
        md5.update(t.to_be_bytes());
    }
    md5.update([0xff]);
    md5.update(sql.as_bytes());
    let digest = md5.finalize();
    let mut name = String::with_capacity(37);
    name.push_str("cor4_");
    for byte in digest {
        let _ = write!(name, "{byte:02x}");
    }
    name
}
