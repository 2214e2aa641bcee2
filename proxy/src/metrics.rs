//! Counters and gauges for Prometheus, kept in atomics so that counting
//! costs no lock: logins by outcome and reason, sessions by state (read
//! from the registry when scraped), pending logins, queries, rows and bytes,
//! errors by code, a query latency histogram, PostgreSQL connections, and
//! record bytes sealed and opened.
//!
//! [`http`] serves them as Prometheus text on `/metrics`, with `/healthz`
//! and `/readyz`, on `--metrics-listen`.

pub mod http;

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use cor4_protocol::ErrorCode;

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
}

impl LoginOutcome {
    const ALL: [LoginOutcome; 9] = [
        LoginOutcome::Ok,
        LoginOutcome::WrongPassword,
        LoginOutcome::UnknownUser,
        LoginOutcome::Locked,
        LoginOutcome::AddressNotAllowed,
        LoginOutcome::RateLimited,
        LoginOutcome::Refused,
        LoginOutcome::Bad,
        LoginOutcome::Timeout,
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

/// The proxy's counters.
#[derive(Debug)]
pub struct Metrics {
    logins: [AtomicU64; 9],
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
}
