//! PostgreSQL connections shared between the sessions of one user.
//!
//! Every session's connection comes from the pool, and each connection
//! logs in as the user's own role, so only sessions of the same user share
//! one. `--pool-mode` says for how long a session holds it:
//!
//! - **session** (the default): from login to the end of the session; then
//!   the connection is reset with `DISCARD ALL` and kept for the user's
//!   next session.
//! - **transaction**: only while a request or a transaction block runs
//!   ([`Backend`] takes one when a request starts and gives it back at a
//!   ReadyForQuery outside a transaction), so thousands of sessions share
//!   tens of connections. What a PostgreSQL session would keep beyond a
//!   transaction is refused ([`guard`]), and prepared statements are
//!   prepared again wherever they are needed.
//!
//! The pool keeps at most `--pool-size` idle connections per user (and in
//! transaction mode uses at most that many at once per user), closes those
//! idle longer than `--pool-idle-timeout`, and never opens more than
//! `--max-backends` in all: when that bound is reached, an idle connection
//! of another user is closed to make room, else the request waits (at most
//! `--pool-wait-timeout`) for one to come back.

mod backend;
pub mod guard;

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::oneshot;

pub use backend::{Backend, SendError};

use crate::limits::{Slot, Slots};
use crate::metrics::Metrics;
use crate::pgwire::{PgConn, PgError, TransactionStatus};

/// How long a session holds its PostgreSQL connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PoolMode {
    /// From login to the end of the session.
    #[default]
    Session,
    /// While a request or a transaction block runs.
    Transaction,
}

/// The pool's settings that may change while running (SIGHUP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolLimits {
    /// Idle connections kept per user; in transaction mode also the most
    /// a user's sessions use at once.
    pub size: usize,
    /// How long an idle connection is kept.
    pub idle_timeout: Duration,
    /// How long a request waits for a connection.
    pub wait_timeout: Duration,
}

/// Opens a new connection for one user (as its role).
pub type Connect =
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<PgConn, PgError>> + Send>> + Send + Sync>;

/// One open connection, with the bound slot it takes.
#[derive(Debug)]
pub struct Conn {
    pg: PgConn,
    /// Statements this connection has under the pool's names (transaction
    /// mode; `DISCARD ALL` forgets them).
    prepared: HashSet<String>,
    _slot: Slot,
    _open: Open,
}

/// Counts an open connection in the metrics while it lives.
#[derive(Debug)]
struct Open(Arc<Metrics>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.backends.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Why no connection could be had.
#[derive(Debug, thiserror::Error)]
pub enum AcquireError {
    /// Every connection the bounds allow is in use, and none came back in
    /// time.
    #[error(
        "every PostgreSQL connection the proxy may open is in use (--max-backends {max}, --pool-size {size})"
    )]
    Exhausted {
        /// `--max-backends`.
        max: usize,
        /// `--pool-size`.
        size: usize,
    },
    /// Opening a new connection failed.
    #[error(transparent)]
    Connect(#[from] PgError),
}

/// What a waiting request is handed.
enum Grant {
    /// A connection of its user, ready for use.
    Conn(Box<Conn>),
    /// Room to open one.
    Slot(Slot),
}

#[derive(Default)]
struct UserPool {
    idle: Vec<(Conn, Instant)>,
    /// Connections of this user taken and not given back.
    busy: usize,
    waiters: VecDeque<oneshot::Sender<Grant>>,
    /// The parameters PostgreSQL reported to this user's connections at
    /// login, shared by its sessions while they hold none.
    parameters: Option<Arc<HashMap<String, String>>>,
}

/// The connections of every user.
pub struct Pool {
    mode: PoolMode,
    limits: Mutex<PoolLimits>,
    slots: Arc<Slots>,
    users: Mutex<HashMap<String, UserPool>>,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl Pool {
    /// A pool in `mode` whose connections take `slots`.
    pub fn new(
        mode: PoolMode,
        limits: PoolLimits,
        slots: Arc<Slots>,
        metrics: Arc<Metrics>,
    ) -> Arc<Pool> {
        Arc::new(Pool {
            mode,
            limits: Mutex::new(limits),
            slots,
            users: Mutex::new(HashMap::new()),
            metrics,
        })
    }

    /// The pool mode (fixed while running).
    pub fn mode(&self) -> PoolMode {
        self.mode
    }

    /// The limits in force.
    pub fn limits(&self) -> PoolLimits {
        *lock(&self.limits)
    }

    /// Puts new limits in force (SIGHUP).
    pub fn set_limits(&self, limits: PoolLimits) {
        *lock(&self.limits) = limits;
    }

    /// A connection for `user`: an idle one, a new one, or (with `wait`)
    /// the next one given back, within the wait timeout.
    pub async fn acquire(
        &self,
        user: &str,
        connect: &Connect,
        wait: bool,
    ) -> Result<Conn, AcquireError> {
        let limits = self.limits();
        let deadline = Instant::now() + limits.wait_timeout;
        loop {
            let claim = self.claim(user, &limits, wait);
            let grant = match claim {
                Claim::Grant(grant) => grant,
                Claim::Evict(victim) => {
                    close(*victim).await;
                    if let Some(slot) = self.slots.try_take() {
                        Grant::Slot(slot)
                    } else {
                        // Someone else took the room meanwhile.
                        self.gave_up(user);
                        continue;
                    }
                }
                Claim::Wait(mut rx) => {
                    match tokio::time::timeout_at(deadline.into(), &mut rx).await {
                        Ok(Ok(grant)) => grant,
                        Ok(Err(_)) => return Err(self.exhausted(&limits)),
                        Err(_) => {
                            // One may have been handed over just now.
                            rx.close();
                            match rx.try_recv() {
                                Ok(grant) => grant,
                                Err(_) => return Err(self.exhausted(&limits)),
                            }
                        }
                    }
                }
                Claim::Full => return Err(self.exhausted(&limits)),
            };
            match grant {
                Grant::Conn(mut conn) => {
                    if !conn.pg.is_stale() {
                        return Ok(*conn);
                    }
                    // Ended behind the pool's back (a lock, a restart).
                    self.discard(user, *conn);
                }
                Grant::Slot(slot) => {
                    return match connect().await {
                        Ok(pg) => {
                            self.metrics.backends.fetch_add(1, Ordering::Relaxed);
                            Ok(Conn {
                                pg,
                                prepared: HashSet::new(),
                                _slot: slot,
                                _open: Open(Arc::clone(&self.metrics)),
                            })
                        }
                        Err(e) => {
                            self.gave_up(user);
                            self.hand_on(slot);
                            Err(AcquireError::Connect(e))
                        }
                    };
                }
            }
        }
    }

    fn exhausted(&self, limits: &PoolLimits) -> AcquireError {
        AcquireError::Exhausted {
            max: self.slots.limit(),
            size: limits.size,
        }
    }

    /// Decides, under the lock, how `user` gets a connection; counts it
    /// as taken unless it must wait or give up.
    fn claim(&self, user: &str, limits: &PoolLimits, wait: bool) -> Claim {
        let mut users = lock(&self.users);
        let entry = users.entry(user.to_owned()).or_default();
        if let Some((conn, _)) = entry.idle.pop() {
            entry.busy += 1;
            return Claim::Grant(Grant::Conn(Box::new(conn)));
        }
        let at_user_cap = self.mode == PoolMode::Transaction && entry.busy >= limits.size;
        if !at_user_cap && let Some(slot) = self.slots.try_take() {
            entry.busy += 1;
            return Claim::Grant(Grant::Slot(slot));
        }
        if !at_user_cap {
            // Room held by another user's idle connection: close it.
            let victim = users
                .iter_mut()
                .filter(|(name, pool)| name.as_str() != user && !pool.idle.is_empty())
                .min_by_key(|(_, pool)| pool.idle.first().map(|(_, since)| *since))
                .map(|(_, pool)| pool.idle.remove(0).0);
            if let Some(victim) = victim {
                if let Some(entry) = users.get_mut(user) {
                    entry.busy += 1;
                }
                return Claim::Evict(Box::new(victim));
            }
        }
        if !wait {
            return Claim::Full;
        }
        let Some(entry) = users.get_mut(user) else {
            return Claim::Full;
        };
        entry.waiters.retain(|w| !w.is_closed());
        let (tx, rx) = oneshot::channel();
        entry.waiters.push_back(tx);
        Claim::Wait(rx)
    }

    /// Takes back what `claim` counted for `user`.
    fn gave_up(&self, user: &str) {
        if let Some(entry) = lock(&self.users).get_mut(user) {
            entry.busy = entry.busy.saturating_sub(1);
        }
    }

    /// Gives back a connection that is idle and outside a transaction,
    /// without resetting it (transaction mode): to a waiting session of
    /// the same user, else to the idle list (or it is closed).
    pub fn put_back(&self, user: &str, conn: Conn) {
        let reusable = !conn.pg.is_broken()
            && conn.pg.is_idle()
            && conn.pg.transaction_status() == TransactionStatus::Idle;
        if !reusable {
            self.discard(user, conn);
            return;
        }
        // A large result's memory and budget share go back now, not when
        // the connection is next used.
        let mut conn = conn;
        conn.pg.release_large(IDLE_BUFFER);
        let size = self.limits().size;
        let mut users = lock(&self.users);
        let Some(entry) = users.get_mut(user) else {
            drop(users);
            tokio::spawn(close(conn));
            return;
        };
        entry.busy = entry.busy.saturating_sub(1);
        let Some(Grant::Conn(conn)) = offer(entry, Grant::Conn(Box::new(conn))) else {
            return;
        };
        let conn = *conn;
        // Another user waits for room: this connection's slot is it.
        let starving = self.starving(&users, size).is_some();
        match users.get_mut(user) {
            Some(entry) if !starving && entry.idle.len() < size => {
                entry.idle.push((conn, Instant::now()));
            }
            _ => {
                drop(users);
                self.discard_unlocked(conn);
            }
        }
    }

    /// A user whose requests wait for room (not for its own cap).
    fn starving<'a>(&self, users: &'a HashMap<String, UserPool>, size: usize) -> Option<&'a str> {
        users
            .iter()
            .find(|(_, pool)| {
                !(self.mode == PoolMode::Transaction && pool.busy >= size)
                    && pool.waiters.iter().any(|w| !w.is_closed())
            })
            .map(|(name, _)| name.as_str())
    }

    /// Gives back a session-mode connection at the end of its session:
    /// reset with `DISCARD ALL`, then kept like any other.
    pub async fn release(&self, user: &str, mut conn: Conn) {
        let reusable = !conn.pg.is_broken()
            && conn.pg.is_idle()
            && conn.pg.transaction_status() == TransactionStatus::Idle;
        if reusable && reset(&mut conn.pg).await {
            conn.prepared.clear();
            self.put_back(user, conn);
        } else {
            self.discard(user, conn);
        }
    }

    /// Closes a taken connection of `user` and hands its room on.
    pub fn discard(&self, user: &str, conn: Conn) {
        self.gave_up(user);
        self.discard_unlocked(conn);
    }

    fn discard_unlocked(&self, conn: Conn) {
        let Conn {
            pg, _slot: slot, ..
        } = conn;
        tokio::spawn(async move {
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, pg.close()).await;
        });
        self.hand_on(slot);
    }

    /// Room freed: a request of any user that waits for room gets it
    /// (oldest first among users, in no particular order); else the slot
    /// is simply given back.
    fn hand_on(&self, slot: Slot) {
        let size = self.limits().size;
        let mut users = lock(&self.users);
        let mut grant = Grant::Slot(slot);
        while let Some(name) = self.starving(&users, size).map(str::to_owned) {
            let Some(entry) = users.get_mut(&name) else {
                return;
            };
            match offer(entry, grant) {
                Some(back) => grant = back,
                None => return,
            }
        }
    }

    /// The parameters of `user`'s connections at login (the first
    /// connection's), shared.
    pub fn parameters(&self, user: &str, pg: &PgConn) -> Arc<HashMap<String, String>> {
        let mut users = lock(&self.users);
        let entry = users.entry(user.to_owned()).or_default();
        Arc::clone(entry.parameters.get_or_insert_with(|| {
            Arc::new(
                pg.parameters()
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            )
        }))
    }

    /// Closes idle connections past the idle timeout; forgets users with
    /// nothing left.
    pub fn reap(&self) {
        let timeout = self.limits().idle_timeout;
        let now = Instant::now();
        let mut expired = Vec::new();
        let mut users = lock(&self.users);
        for entry in users.values_mut() {
            let (keep, old): (Vec<_>, Vec<_>) = std::mem::take(&mut entry.idle)
                .into_iter()
                .partition(|(_, since)| now.duration_since(*since) < timeout);
            entry.idle = keep;
            expired.extend(old.into_iter().map(|(conn, _)| conn));
        }
        users.retain(|_, u| u.busy > 0 || !u.idle.is_empty() || !u.waiters.is_empty());
        drop(users);
        for conn in expired {
            self.discard_unlocked(conn);
        }
    }
}

/// Hands `grant` to the first of `entry`'s waiters still waiting, counting
/// it as taken; gives it back when nobody took it.
fn offer(entry: &mut UserPool, grant: Grant) -> Option<Grant> {
    let mut grant = grant;
    while let Some(waiter) = entry.waiters.pop_front() {
        entry.busy += 1;
        match waiter.send(grant) {
            Ok(()) => return None,
            Err(back) => {
                entry.busy -= 1;
                grant = back;
            }
        }
    }
    Some(grant)
}

enum Claim {
    Grant(Grant),
    Evict(Box<Conn>),
    Wait(oneshot::Receiver<Grant>),
    Full,
}

/// Read-buffer room an idle connection keeps.
const IDLE_BUFFER: usize = 8 * 1024;

/// How long closing a connection may take.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long `DISCARD ALL` may take before the connection is closed instead.
const RESET_TIMEOUT: Duration = Duration::from_secs(5);

async fn close(conn: Conn) {
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, conn.pg.close()).await;
}

/// Resets a connection for its next session; whether it worked.
async fn reset(pg: &mut PgConn) -> bool {
    let run = async {
        pg.send_query("DISCARD ALL").await.ok()?;
        loop {
            match pg.next_event().await.ok()? {
                crate::pgwire::Event::Error(_) => return None,
                crate::pgwire::Event::Ready(TransactionStatus::Idle) => return Some(()),
                crate::pgwire::Event::Ready(_) => return None,
                _ => {}
            }
        }
    };
    matches!(tokio::time::timeout(RESET_TIMEOUT, run).await, Ok(Some(())))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
