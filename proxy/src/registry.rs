//! Live sessions: who is connected from where, what each session is doing,
//! and the switch an operator (or a lock, or a newer login) uses to end one
//! with a clear ERROR.
//!
//! ```text
//!  login ok ─register─▶ Registry (this proxy) ◀─snapshot every second─ sync ─▶ cor4.sessions
//!  relay: state, counters (atomics, no lock per row)        ▲
//!  end(code, message) ─▶ session's Notify ─▶ relay sends ERROR, ends   │
//!  cor4-proxy kill / user lock ─row in cor4.control─▶ every proxy's sync (polls twice a second)
//! ```
//!
//! The relay updates a session's state when a request starts and ends and
//! counts rows and bytes with relaxed atomics; nothing here runs per row.

mod sync;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use cor4_protocol::ErrorCode;
use tokio::sync::Notify;

use crate::metrics::Metrics;

pub use sync::{Control, end_reason, notify_control, spawn_sync};

/// What a session is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// Waiting for the client, outside a transaction.
    Idle,
    /// Running a request.
    Active,
    /// Waiting for the client inside a transaction block.
    InTransaction,
    /// Waiting for the client inside a failed transaction block.
    FailedTransaction,
}

impl SessionState {
    /// The name `cor4-proxy sessions` shows.
    pub fn name(self) -> &'static str {
        match self {
            SessionState::Idle => "idle",
            SessionState::Active => "active",
            SessionState::InTransaction => "idle in transaction",
            SessionState::FailedTransaction => "idle in failed transaction",
        }
    }

    fn from_u8(v: u8) -> Self {
        match v {
            1 => SessionState::Active,
            2 => SessionState::InTransaction,
            3 => SessionState::FailedTransaction,
            _ => SessionState::Idle,
        }
    }

    fn as_u8(self) -> u8 {
        match self {
            SessionState::Idle => 0,
            SessionState::Active => 1,
            SessionState::InTransaction => 2,
            SessionState::FailedTransaction => 3,
        }
    }
}

/// Why a session is being ended from outside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndRequest {
    /// The ERROR code the client gets.
    pub code: ErrorCode,
    /// Its message.
    pub message: String,
}

/// One logged-in session.
#[derive(Debug)]
pub struct LiveSession {
    /// Unique among every proxy's sessions (12 hex digits).
    pub id: String,
    /// The cor4 user.
    pub user: String,
    /// The client's address.
    pub peer: SocketAddr,
    /// When the login completed.
    pub started: SystemTime,
    state: AtomicU8,
    /// When the running request started, µs since the epoch; 0 when none.
    query_started_us: AtomicU64,
    /// The SQL of the running request, or of the last one when idle (at
    /// most [`QUERY_TEXT_LIMIT`] bytes; empty before the first); written
    /// once per request, into the same buffer.
    query_text: Mutex<String>,
    /// Requests run.
    pub queries: AtomicU64,
    /// Rows sent.
    pub rows: AtomicU64,
    /// Bytes read from the client.
    pub bytes_in: AtomicU64,
    /// Bytes written to the client.
    pub bytes_out: AtomicU64,
    end: Mutex<Option<EndRequest>>,
    ended: Notify,
    metrics: Arc<Metrics>,
}

/// The most of a request's SQL that the live session list keeps, in bytes
/// (PostgreSQL's default `track_activity_query_size`).
pub const QUERY_TEXT_LIMIT: usize = 1024;

/// The longest prefix of `text` of at most `limit` bytes that ends on a
/// character boundary.
fn truncate(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

impl LiveSession {
    fn new(id: String, user: &str, peer: SocketAddr, metrics: Arc<Metrics>) -> Self {
        LiveSession {
            id,
            user: user.to_owned(),
            peer,
            started: SystemTime::now(),
            state: AtomicU8::new(SessionState::Idle.as_u8()),
            query_started_us: AtomicU64::new(0),
            query_text: Mutex::new(String::new()),
            queries: AtomicU64::new(0),
            rows: AtomicU64::new(0),
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            end: Mutex::new(None),
            ended: Notify::new(),
            metrics,
        }
    }

    /// The session's state now.
    pub fn state(&self) -> SessionState {
        SessionState::from_u8(self.state.load(Ordering::Relaxed))
    }

    /// The SQL of the request starting now (a CLOSE has none, and leaves
    /// the last one shown).
    pub fn set_query(&self, sql: &str) {
        if let Ok(mut text) = self.query_text.lock() {
            text.clear();
            text.push_str(truncate(sql, QUERY_TEXT_LIMIT));
        }
    }

    /// A request started.
    pub fn request_started(&self) {
        self.query_started_us.store(now_us(), Ordering::Relaxed);
        self.state
            .store(SessionState::Active.as_u8(), Ordering::Relaxed);
        self.queries.fetch_add(1, Ordering::Relaxed);
        self.metrics.queries.fetch_add(1, Ordering::Relaxed);
    }

    /// The request ended; the session now waits in `state`.
    pub fn request_ended(&self, state: SessionState) {
        if let Some(seconds) = self.query_seconds() {
            self.metrics.query_time(seconds);
        }
        self.query_started_us.store(0, Ordering::Relaxed);
        self.state.store(state.as_u8(), Ordering::Relaxed);
    }

    /// Counts rows sent.
    pub fn add_rows(&self, n: u64) {
        self.rows.fetch_add(n, Ordering::Relaxed);
        self.metrics.rows.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts bytes read from the client.
    pub fn add_bytes_in(&self, n: usize) {
        let n = u64::try_from(n).unwrap_or(0);
        self.bytes_in.fetch_add(n, Ordering::Relaxed);
        self.metrics.bytes_in.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts bytes written to the client.
    pub fn add_bytes_out(&self, n: usize) {
        let n = u64::try_from(n).unwrap_or(0);
        self.bytes_out.fetch_add(n, Ordering::Relaxed);
        self.metrics.bytes_out.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts plaintext bytes sealed into and opened from RC6 records.
    pub fn add_record_bytes(&self, sealed: u64, opened: u64) {
        self.metrics.rc6_sealed.fetch_add(sealed, Ordering::Relaxed);
        self.metrics.rc6_opened.fetch_add(opened, Ordering::Relaxed);
    }

    /// Counts an ERROR sent to the client.
    pub fn error_sent(&self, code: i32) {
        self.metrics.error(code);
    }

    /// The running request's SQL, or the last one's when idle.
    pub fn query_text(&self) -> Option<String> {
        let text = self.query_text.lock().ok()?;
        (!text.is_empty()).then(|| text.clone())
    }

    /// Seconds the running request has taken so far.
    pub fn query_seconds(&self) -> Option<f64> {
        let started = self.query_started_us.load(Ordering::Relaxed);
        (started != 0).then(|| now_us().saturating_sub(started) as f64 / 1e6)
    }

    /// Asks the session to end with `code` and `message` (the first request
    /// wins).
    pub fn end(&self, code: ErrorCode, message: impl Into<String>) {
        if let Ok(mut slot) = self.end.lock()
            && slot.is_none()
        {
            *slot = Some(EndRequest {
                code,
                message: message.into(),
            });
        }
        self.ended.notify_one();
    }

    /// Waits until someone asks the session to end; cancel-safe.
    pub async fn end_requested(&self) -> EndRequest {
        loop {
            if let Some(request) = self.end.lock().ok().and_then(|s| s.clone()) {
                return request;
            }
            self.ended.notified().await;
        }
    }
}

/// A session as `cor4-proxy sessions` lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SessionRow {
    /// Session id.
    pub id: String,
    /// The proxy instance holding it.
    pub proxy: String,
    /// The cor4 user.
    pub user: String,
    /// The client's address.
    pub client: String,
    /// Login time, seconds since the epoch.
    pub login_at: f64,
    /// idle, active, idle in transaction, idle in failed transaction.
    pub state: String,
    /// Seconds the running request has taken, when one runs.
    pub query_seconds: Option<f64>,
    /// The running request's SQL, or the last one's when idle (cut to
    /// [`QUERY_TEXT_LIMIT`] bytes); none before the first.
    pub query: Option<String>,
    /// Requests run.
    pub queries: u64,
    /// Rows sent.
    pub rows: u64,
    /// Bytes from the client.
    pub bytes_in: u64,
    /// Bytes to the client.
    pub bytes_out: u64,
}

/// This proxy's live sessions.
#[derive(Debug)]
pub struct Registry {
    instance: String,
    sessions: Mutex<HashMap<String, Arc<LiveSession>>>,
    metrics: Arc<Metrics>,
}

impl Registry {
    /// An empty registry for the proxy instance named `instance`.
    pub fn new(instance: impl Into<String>) -> Self {
        Registry::with_metrics(instance, Arc::default())
    }

    /// An empty registry whose sessions count into `metrics`.
    pub fn with_metrics(instance: impl Into<String>, metrics: Arc<Metrics>) -> Self {
        Registry {
            instance: instance.into(),
            sessions: Mutex::new(HashMap::new()),
            metrics,
        }
    }

    /// The counters the sessions count into.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// This proxy's name in the shared list.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Records a new session and returns it.
    pub fn register(&self, user: &str, peer: SocketAddr) -> Arc<LiveSession> {
        let id = format!("{:012x}", rand::random::<u64>() & 0xffff_ffff_ffff);
        let session = Arc::new(LiveSession::new(
            id.clone(),
            user,
            peer,
            Arc::clone(&self.metrics),
        ));
        if let Ok(mut map) = self.sessions.lock() {
            map.insert(id, Arc::clone(&session));
        }
        session
    }

    /// Forgets a session that ended.
    pub fn remove(&self, id: &str) {
        if let Ok(mut map) = self.sessions.lock() {
            map.remove(id);
        }
    }

    /// Ends session `id` if this proxy holds it.
    pub fn end_session(&self, id: &str, code: ErrorCode, message: &str) -> bool {
        let session = self.sessions.lock().ok().and_then(|m| m.get(id).cloned());
        match session {
            Some(s) => {
                s.end(code, message);
                true
            }
            None => false,
        }
    }

    /// Ends every session of `user` here, but `except`; returns how many.
    pub fn end_user(
        &self,
        user: &str,
        code: ErrorCode,
        message: &str,
        except: Option<&str>,
    ) -> usize {
        let victims: Vec<Arc<LiveSession>> = self
            .sessions
            .lock()
            .map(|m| {
                m.values()
                    .filter(|s| s.user == user && Some(s.id.as_str()) != except)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        for s in &victims {
            s.end(code, message);
        }
        victims.len()
    }

    /// Sessions of `user` here, but `except`.
    pub fn user_sessions(&self, user: &str, except: Option<&str>) -> usize {
        self.sessions
            .lock()
            .map(|m| {
                m.values()
                    .filter(|s| s.user == user && Some(s.id.as_str()) != except)
                    .count()
            })
            .unwrap_or(0)
    }

    /// Every session here, as listed.
    pub fn snapshot(&self) -> Vec<SessionRow> {
        let sessions: Vec<Arc<LiveSession>> = self
            .sessions
            .lock()
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default();
        sessions
            .iter()
            .map(|s| SessionRow {
                id: s.id.clone(),
                proxy: self.instance.clone(),
                user: s.user.clone(),
                client: s.peer.to_string(),
                login_at: s
                    .started
                    .duration_since(UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64()),
                state: s.state().name().to_owned(),
                query_seconds: s.query_seconds(),
                query: s.query_text(),
                queries: s.queries.load(Ordering::Relaxed),
                rows: s.rows.load(Ordering::Relaxed),
                bytes_in: s.bytes_in.load(Ordering::Relaxed),
                bytes_out: s.bytes_out.load(Ordering::Relaxed),
            })
            .collect()
    }

    /// Number of sessions here.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.sessions.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer() -> SocketAddr {
        "127.0.0.1:5555".parse().expect("address")
    }

    #[tokio::test]
    async fn ending_a_session_wakes_it_with_the_first_reason() {
        let registry = Registry::new("p1");
        let a = registry.register("alice", peer());
        let b = registry.register("alice", peer());
        let c = registry.register("bob", peer());
        assert_eq!(registry.len(), 3);
        assert_eq!(registry.user_sessions("alice", Some(&a.id)), 1);
        assert_eq!(
            registry.end_user("alice", ErrorCode::AccountLocked, "locked", Some(&a.id)),
            1
        );
        let request = b.end_requested().await;
        assert_eq!(request.code, ErrorCode::AccountLocked);
        b.end(ErrorCode::SessionEnded, "later");
        assert_eq!(b.end_requested().await.message, "locked");
        assert!(registry.end_session(&c.id, ErrorCode::SessionEnded, "bye"));
        assert_eq!(c.end_requested().await.code, ErrorCode::SessionEnded);
        registry.remove(&c.id);
        assert!(!registry.end_session(&c.id, ErrorCode::SessionEnded, "bye"));
    }

    #[test]
    fn states_and_counters_show_in_the_snapshot() {
        let registry = Registry::new("p1");
        let s = registry.register("alice", peer());
        assert_eq!(registry.snapshot()[0].query, None);
        s.set_query("SELECT 1");
        s.request_started();
        s.add_rows(3);
        let row = &registry.snapshot()[0];
        assert_eq!(
            (row.state.as_str(), row.queries, row.rows),
            ("active", 1, 3)
        );
        assert_eq!(row.query.as_deref(), Some("SELECT 1"));
        assert!(row.query_seconds.is_some());
        s.request_ended(SessionState::InTransaction);
        let row = &registry.snapshot()[0];
        assert_eq!(row.state, "idle in transaction");
        assert_eq!(row.query_seconds, None);
        assert_eq!(
            row.query.as_deref(),
            Some("SELECT 1"),
            "the last query stays"
        );
        s.request_started();
        assert_eq!(registry.snapshot()[0].query.as_deref(), Some("SELECT 1"));
    }

    #[test]
    fn long_query_text_is_cut_on_a_character_boundary() {
        let registry = Registry::new("p1");
        let s = registry.register("alice", peer());
        let long = format!("SELECT '{}'", "é".repeat(QUERY_TEXT_LIMIT));
        s.set_query(&long);
        let kept = registry.snapshot()[0].query.clone().unwrap_or_default();
        assert!(kept.len() <= QUERY_TEXT_LIMIT && kept.len() >= QUERY_TEXT_LIMIT - 1);
        assert!(long.starts_with(&kept));
        assert_eq!(truncate("abc", 2), "ab");
        assert_eq!(truncate("é", 1), "");
    }
}
