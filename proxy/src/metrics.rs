//! Counters and gauges for Prometheus, kept in atomics so that counting
//! costs no lock: logins by outcome and reason, sessions by state (read
//! from the registry when scraped), pending logins, queries, rows and bytes,
//! errors by code, a query latency histogram, PostgreSQL connections, and
//! record bytes sealed and opened.
//!
//! [`http`] serves them as Prometheus text on `/metrics`, with `/healthz`
//! and `/readyz`, on `--metrics-listen`.

pub mod http;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use cor4_protocol::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::registry::Registry;

/// Why a login did not produce a session (or that it did).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    /// A session started.
    Ok,
    /// Wrong password (or a client that gave up after the challenge).
    WrongPassword,
    /// No such user.
    UnknownUser,
    /// The account is locked.
    Locked,
    /// Not from this address.
    AddressNotAllowed,
    /// Too many failures (the user's or the address's).
    RateLimited,
    /// Refused after the password was proven (duplicate login, lock, no
    /// backend).
    Refused,
    /// A malformed or unsupported LOGIN, or a client that left early.
    Bad,
    /// The login took longer than the login timeout.
    Timeout,
    /// PostgreSQL was down (restarting, unreachable).
    DatabaseDown,
}

impl LoginOutcome {
    const ALL: [LoginOutcome; 10] = [
        LoginOutcome::Ok,
        LoginOutcome::WrongPassword,
        LoginOutcome::UnknownUser,
        LoginOutcome::Locked,
        LoginOutcome::AddressNotAllowed,
        LoginOutcome::RateLimited,
        LoginOutcome::Refused,
        LoginOutcome::Bad,
        LoginOutcome::Timeout,
        LoginOutcome::DatabaseDown,
    ];

    fn label(self) -> (&'static str, &'static str) {
        match self {
            LoginOutcome::Ok => ("ok", "none"),
            LoginOutcome::WrongPassword => ("failed", "wrong_password"),
            LoginOutcome::UnknownUser => ("failed", "unknown_user"),
            LoginOutcome::Locked => ("refused", "locked"),
            LoginOutcome::AddressNotAllowed => ("refused", "address"),
            LoginOutcome::RateLimited => ("refused", "rate_limited"),
            LoginOutcome::Refused => ("refused", "admission"),
            LoginOutcome::Bad => ("failed", "bad_login"),
            LoginOutcome::Timeout => ("failed", "timeout"),
            LoginOutcome::DatabaseDown => ("refused", "database_down"),
        }
    }

    fn index(self) -> usize {
        LoginOutcome::ALL
            .iter()
            .position(|o| *o == self)
            .unwrap_or(0)
    }
}

/// Upper bounds (seconds) of the query latency histogram's buckets.
pub const LATENCY_BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0, 30.0,
];

/// A copy of the counters, as each proxy publishes it in `cor4.proxies`
/// for `cor4-proxy top` on any machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stats {
    /// Logins by `outcome/reason`, as the metric's labels.
    pub logins: BTreeMap<String, u64>,
    /// Connections accepted and not yet logged in.
    pub pending_logins: u64,
    /// Requests relayed.
    pub queries: u64,
    /// Rows relayed.
    pub rows: u64,
    /// Bytes read from clients.
    pub bytes_in: u64,
    /// Bytes written to clients.
    pub bytes_out: u64,
    /// ERRORs sent, by code (codes never sent are left out).
    pub errors: BTreeMap<i32, u64>,
    /// Requests per latency bucket of [`LATENCY_BUCKETS`] (not
    /// cumulative); requests slower than the last bound are only in
    /// `latency_count`.
    pub latency_buckets: Vec<u64>,
    /// Requests timed.
    pub latency_count: u64,
    /// Their total time in microseconds.
    pub latency_sum_us: u64,
    /// Open PostgreSQL connections of sessions.
    pub backends: u64,
}

impl Stats {
    /// The latency under which `quantile` (0..=1) of the requests counted
    /// in `self` but not in `earlier` finished, as the upper bound of its
    /// bucket; `None` when there were none.
    pub fn latency_quantile(&self, earlier: &Stats, quantile: f64) -> Option<f64> {
        let count = self.latency_count.checked_sub(earlier.latency_count)?;
        if count == 0 {
            return None;
        }
        let wanted = (count as f64 * quantile).ceil().max(1.0);
        let mut seen = 0u64;
        for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
            let now = self.latency_buckets.get(i).copied().unwrap_or(0);
            let then = earlier.latency_buckets.get(i).copied().unwrap_or(0);
            seen += now.saturating_sub(then);
            if seen as f64 >= wanted {
                return Some(*bound);
            }
        }
        Some(f64::INFINITY)
    }
}

/// The proxy's counters.
#[derive(Debug)]
pub struct Metrics {
    logins: [AtomicU64; LoginOutcome::ALL.len()],
    /// Connections accepted and not yet logged in.
    pub pending_logins: AtomicU64,
    /// Requests sent to PostgreSQL.
    pub queries: AtomicU64,
    /// Rows relayed.
    pub rows: AtomicU64,
    /// Bytes read from clients.
    pub bytes_in: AtomicU64,
    /// Bytes written to clients.
    pub bytes_out: AtomicU64,
    errors: [AtomicU64; 64],
    latency_buckets: [AtomicU64; 12],
    latency_count: AtomicU64,
    latency_sum_us: AtomicU64,
    /// Open PostgreSQL connections of sessions.
    pub backends: AtomicU64,
    /// Plaintext bytes sealed into RC6 records for clients.
    pub rc6_sealed: AtomicU64,
    /// Plaintext bytes opened from clients' RC6 records.
    pub rc6_opened: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            logins: Default::default(),
            pending_logins: AtomicU64::new(0),
            queries: AtomicU64::new(0),
            rows: AtomicU64::new(0),
            bytes_in: AtomicU64::new(0),
            bytes_out: AtomicU64::new(0),
            errors: std::array::from_fn(|_| AtomicU64::new(0)),
            latency_buckets: Default::default(),
            latency_count: AtomicU64::new(0),
            latency_sum_us: AtomicU64::new(0),
            backends: AtomicU64::new(0),
            rc6_sealed: AtomicU64::new(0),
            rc6_opened: AtomicU64::new(0),
        }
    }
}

fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

impl Metrics {
    /// Counts a login's outcome.
    pub fn login(&self, outcome: LoginOutcome) {
        add(&self.logins[outcome.index()], 1);
    }

    /// Logins counted with `outcome` so far.
    pub fn logins(&self, outcome: LoginOutcome) -> u64 {
        self.logins[outcome.index()].load(Ordering::Relaxed)
    }

    /// Counts an ERROR sent to a client.
    pub fn error(&self, code: i32) {
        let slot = usize::try_from(code).unwrap_or(0).min(63);
        add(&self.errors[slot], 1);
    }

    /// Records one request's time.
    pub fn query_time(&self, seconds: f64) {
        add(&self.latency_count, 1);
        add(
            &self.latency_sum_us,
            std::time::Duration::try_from_secs_f64(seconds)
                .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX)),
        );
        if let Some(i) = LATENCY_BUCKETS.iter().position(|&b| seconds <= b) {
            add(&self.latency_buckets[i], 1);
        }
    }

    /// A copy of the counters.
    pub fn stats(&self) -> Stats {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            logins: LoginOutcome::ALL
                .iter()
                .map(|o| {
                    let (outcome, reason) = o.label();
                    (format!("{outcome}/{reason}"), self.logins(*o))
                })
                .collect(),
            pending_logins: load(&self.pending_logins),
            queries: load(&self.queries),
            rows: load(&self.rows),
            bytes_in: load(&self.bytes_in),
            bytes_out: load(&self.bytes_out),
            errors: ErrorCode::ALL
                .iter()
                .filter_map(|code| {
                    let slot = usize::try_from(code.as_i32()).unwrap_or(0).min(63);
                    let n = load(&self.errors[slot]);
                    (n > 0).then_some((code.as_i32(), n))
                })
                .collect(),
            latency_buckets: self.latency_buckets.iter().map(load).collect(),
            latency_count: load(&self.latency_count),
            latency_sum_us: load(&self.latency_sum_us),
            backends: load(&self.backends),
        }
    }

    /// The metrics in Prometheus' text format, sessions read from
    /// `registry`.
    pub fn render(&self, registry: &Registry) -> String {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut family = |name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            name.to_owned()
        };
        let logins = family(
            "cor4_logins_total",
            "counter",
            "Logins by outcome and reason.",
        );
        let mut body = String::new();
        for outcome in LoginOutcome::ALL {
            let (result, reason) = outcome.label();
            let _ = writeln!(
                body,
                "{logins}{{outcome=\"{result}\",reason=\"{reason}\"}} {}",
                self.logins(outcome)
            );
        }
        out.push_str(&body);
        let mut states = [0u64; 4];
        for row in registry.snapshot() {
            let i = match row.state.as_str() {
                "active" => 1,
                "idle in transaction" => 2,
                "idle in failed transaction" => 3,
                _ => 0,
            };
            states[i] += 1;
        }
        let _ = writeln!(
            out,
            "# HELP cor4_sessions Live sessions by state.\n# TYPE cor4_sessions gauge"
        );
        for (state, n) in [
            "idle",
            "active",
            "idle_in_transaction",
            "idle_in_failed_transaction",
        ]
        .iter()
        .zip(states)
        {
            let _ = writeln!(out, "cor4_sessions{{state=\"{state}\"}} {n}");
        }
        for (name, kind, help, value) in [
            (
                "cor4_pending_logins",
                "gauge",
                "Connections accepted and not yet logged in.",
                load(&self.pending_logins),
            ),
            (
                "cor4_queries_total",
                "counter",
                "Requests relayed to PostgreSQL.",
                load(&self.queries),
            ),
            (
                "cor4_rows_total",
                "counter",
                "Rows relayed to clients.",
                load(&self.rows),
            ),
            (
                "cor4_client_bytes_received_total",
                "counter",
                "Bytes read from clients (sealed records opened).",
                load(&self.bytes_in),
            ),
            (
                "cor4_client_bytes_sent_total",
                "counter",
                "Bytes written to clients (sealed records).",
                load(&self.bytes_out),
            ),
            (
                "cor4_rc6_bytes_sealed_total",
                "counter",
                "Plaintext bytes sealed into RC6-GCM records for clients.",
                load(&self.rc6_sealed),
            ),
            (
                "cor4_rc6_bytes_opened_total",
                "counter",
                "Plaintext bytes opened from clients' RC6-GCM records.",
                load(&self.rc6_opened),
            ),
            (
                "cor4_backend_connections",
                "gauge",
                "Open PostgreSQL connections of sessions.",
                load(&self.backends),
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP cor4_errors_total ERROR packets sent, by code.\n# TYPE cor4_errors_total counter"
        );
        for code in ErrorCode::ALL {
            let slot = usize::try_from(code.as_i32()).unwrap_or(0).min(63);
            let _ = writeln!(
                out,
                "cor4_errors_total{{code=\"{}\"}} {}",
                code.as_i32(),
                load(&self.errors[slot])
            );
        }
        let _ = writeln!(
            out,
            "# HELP cor4_query_seconds Time from a request to its READY.\n# TYPE cor4_query_seconds histogram"
        );
        let mut cumulative = 0;
        for (bound, bucket) in LATENCY_BUCKETS.iter().zip(&self.latency_buckets) {
            cumulative += load(bucket);
            let _ = writeln!(
                out,
                "cor4_query_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = load(&self.latency_count);
        let _ = writeln!(out, "cor4_query_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(
            out,
            "cor4_query_seconds_sum {}",
            load(&self.latency_sum_us) as f64 / 1e6
        );
        let _ = writeln!(out, "cor4_query_seconds_count {count}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let m = Metrics::default();
        m.query_time(0.0001);
        m.query_time(0.02);
        m.query_time(100.0);
        m.login(LoginOutcome::Ok);
        m.error(ErrorCode::SessionEnded.as_i32());
        let text = m.render(&Registry::new("t"));
        assert!(
            text.contains("cor4_query_seconds_bucket{le=\"0.0005\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("cor4_query_seconds_bucket{le=\"0.025\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("cor4_query_seconds_bucket{le=\"+Inf\"} 3\n"),
            "{text}"
        );
        assert!(text.contains("cor4_logins_total{outcome=\"ok\",reason=\"none\"} 1\n"));
        assert!(text.contains("cor4_errors_total{code=\"38\"} 1\n"));
    }

    #[test]
    fn quantiles_come_from_the_buckets_counted_since_earlier() {
        let m = Metrics::default();
        m.query_time(0.2);
        let earlier = m.stats();
        for _ in 0..98 {
            m.query_time(0.0001);
        }
        m.query_time(0.02);
        m.query_time(3.0);
        let now = m.stats();
        assert_eq!(now.latency_quantile(&earlier, 0.5), Some(0.0005));
        assert_eq!(now.latency_quantile(&earlier, 0.99), Some(0.025));
        assert_eq!(now.latency_quantile(&earlier, 1.0), Some(5.0));
        assert_eq!(now.latency_quantile(&now, 0.5), None);
        let back: Stats = serde_json::from_value(serde_json::to_value(&now).unwrap()).unwrap();
        assert_eq!(back, now);
    }
}
