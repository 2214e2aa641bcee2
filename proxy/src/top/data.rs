//! What `top` computes from the samples it polls: each proxy's rates from
//! the deltas of its counters, the same for all proxies together, and the
//! history the sparklines draw.
//!
//! Every proxy publishes its [`Stats`] once a second and `top` polls at its
//! own interval, so a poll may see a proxy's previous publication again (no
//! news: its last rates stand) or one from two seconds later (the delta is
//! divided by the two seconds that passed by the database's clock). A proxy
//! whose counters went backwards restarted: it adds nothing until its next
//! publication. Pure functions of their inputs: no clock, no I/O.

use std::collections::{BTreeMap, HashMap, VecDeque};

use crate::metrics::Stats;
use crate::registry::SessionRow;
use crate::users::ProxyStats;

/// How many samples a sparkline keeps.
pub const HISTORY: usize = 120;

/// Failed logins are counted over this many seconds.
pub const FAILURE_WINDOW_SECONDS: f64 = 60.0;

/// One poll of the shared database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    /// The proxies with a fresh heartbeat.
    pub proxies: Vec<ProxyStats>,
    /// Their live sessions.
    pub sessions: Vec<SessionRow>,
}

/// The figures of one proxy, or of all of them together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// The proxy's instance name (empty for the total).
    pub name: String,
    /// Its live sessions.
    pub sessions: usize,
    /// Successful logins per second.
    pub logins_per_s: f64,
    /// Failed or refused logins per second.
    pub failures_per_s: f64,
    /// Requests per second.
    pub queries_per_s: f64,
    /// Rows per second.
    pub rows_per_s: f64,
    /// Bytes from clients per second.
    pub bytes_in_per_s: f64,
    /// Bytes to clients per second.
    pub bytes_out_per_s: f64,
    /// Median request time over the last publication interval (a latency
    /// bucket's upper bound); `None` when no request finished.
    pub p50: Option<f64>,
    /// 99th percentile of the same.
    pub p99: Option<f64>,
    /// PostgreSQL connections of sessions, now.
    pub backends: u64,
    /// Connections not yet logged in, now.
    pub pending_logins: u64,
    /// Requests per second, one per sample, oldest first (at most
    /// [`HISTORY`]).
    pub history: Vec<u64>,
}

/// Everything in `top`'s header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    /// Each proxy with a fresh heartbeat, by name.
    pub proxies: Vec<Figures>,
    /// All of them together.
    pub total: Figures,
    /// Sessions by state name, in [`STATES`] order.
    pub sessions_by_state: [usize; 4],
    /// Failed or refused logins in the last [`FAILURE_WINDOW_SECONDS`], by
    /// `outcome/reason`; reasons with none are left out.
    pub recent_failures: BTreeMap<String, u64>,
}

/// Session states in the order the header lists them.
pub const STATES: [&str; 4] = [
    "idle",
    "active",
    "idle in transaction",
    "idle in failed transaction",
];

/// The key of successful logins in [`Stats::logins`].
const LOGIN_OK: &str = "ok/none";

/// One proxy as last seen: its newest publication, what changed since the
/// one before (over how many seconds), and its requests-per-second history.
#[derive(Debug, Clone)]
struct Seen {
    seen_at: f64,
    stats: Stats,
    window: Option<(f64, Stats)>,
    history: VecDeque<u64>,
}

/// Turns samples into [`Overview`]s.
#[derive(Debug, Default)]
pub struct Tracker {
    proxies: HashMap<String, Seen>,
    total_history: VecDeque<u64>,
    /// Failures first counted at a database time, newest last.
    failures: VecDeque<(f64, BTreeMap<String, u64>)>,
}

impl Tracker {
    /// Folds in a new sample and returns the header figures.
    pub fn update(&mut self, sample: &Sample) -> Overview {
        let mut counted = BTreeMap::new();
        let mut newest = f64::MIN;
        let mut next = HashMap::with_capacity(sample.proxies.len());
        for proxy in &sample.proxies {
            newest = newest.max(proxy.seen_at);
            let seen = match self.proxies.remove(&proxy.name) {
                // The same publication again: its rates stand.
                Some(old) if proxy.seen_at <= old.seen_at => old,
                Some(old) => {
                    let window = difference(&proxy.stats, &old.stats)
                        .map(|delta| (proxy.seen_at - old.seen_at, delta));
                    if let Some((_, delta)) = &window {
                        for (key, n) in failures(delta) {
                            *counted.entry(key).or_insert(0) += n;
                        }
                    }
                    Seen {
                        seen_at: proxy.seen_at,
                        stats: proxy.stats.clone(),
                        window,
                        history: old.history,
                    }
                }
                None => Seen {
                    seen_at: proxy.seen_at,
                    stats: proxy.stats.clone(),
                    window: None,
                    history: VecDeque::new(),
                },
            };
            next.insert(proxy.name.clone(), seen);
        }
        self.proxies = next;
        if !counted.is_empty() {
            self.failures.push_back((newest, counted));
        }
        while self
            .failures
            .front()
            .is_some_and(|(at, _)| newest - at > FAILURE_WINDOW_SECONDS)
        {
            self.failures.pop_front();
        }
        self.overview(sample)
    }

    /// The figures of every proxy and of all together; appends this
    /// sample's rates to the histories.
    fn overview(&mut self, sample: &Sample) -> Overview {
        let mut o = Overview::default();
        let mut per_proxy: HashMap<&str, usize> = HashMap::new();
        for session in &sample.sessions {
            let i = STATES.iter().position(|s| *s == session.state).unwrap_or(0);
            o.sessions_by_state[i] += 1;
            *per_proxy.entry(session.proxy.as_str()).or_insert(0) += 1;
        }
        let mut latency = Stats::default();
        let mut names: Vec<String> = self.proxies.keys().cloned().collect();
        names.sort();
        for name in names {
            let Some(seen) = self.proxies.get_mut(&name) else {
                continue;
            };
            let mut f = figures(seen);
            f.sessions = per_proxy.get(name.as_str()).copied().unwrap_or(0);
            f.name = name;
            push(&mut seen.history, f.queries_per_s);
            f.history = seen.history.iter().copied().collect();
            if let Some((_, delta)) = &seen.window {
                accumulate_latency(&mut latency, delta);
            }
            add(&mut o.total, &f);
            o.proxies.push(f);
        }
        o.total.sessions = sample.sessions.len();
        o.total.p50 = latency.latency_quantile(&Stats::default(), 0.5);
        o.total.p99 = latency.latency_quantile(&Stats::default(), 0.99);
        push(&mut self.total_history, o.total.queries_per_s);
        o.total.history = self.total_history.iter().copied().collect();
        for (_, counts) in &self.failures {
            for (key, n) in counts {
                *o.recent_failures.entry(key.clone()).or_insert(0) += n;
            }
        }
        o
    }
}

/// One proxy's rates over its last publication interval, and its gauges.
fn figures(seen: &Seen) -> Figures {
    let mut f = Figures {
        backends: seen.stats.backends,
        pending_logins: seen.stats.pending_logins,
        ..Figures::default()
    };
    let Some((seconds, delta)) = &seen.window else {
        return f;
    };
    if *seconds <= 0.0 {
        return f;
    }
    let rate = |n: u64| n as f64 / seconds;
    f.logins_per_s = rate(delta.logins.get(LOGIN_OK).copied().unwrap_or(0));
    f.failures_per_s = rate(failures(delta).map(|(_, n)| n).sum());
    f.queries_per_s = rate(delta.queries);
    f.rows_per_s = rate(delta.rows);
    f.bytes_in_per_s = rate(delta.bytes_in);
    f.bytes_out_per_s = rate(delta.bytes_out);
    f.p50 = delta.latency_quantile(&Stats::default(), 0.5);
    f.p99 = delta.latency_quantile(&Stats::default(), 0.99);
    f
}

/// Adds a proxy's rates and gauges into the total (latency is merged
/// separately: quantiles do not add).
fn add(total: &mut Figures, f: &Figures) {
    total.logins_per_s += f.logins_per_s;
    total.failures_per_s += f.failures_per_s;
    total.queries_per_s += f.queries_per_s;
    total.rows_per_s += f.rows_per_s;
    total.bytes_in_per_s += f.bytes_in_per_s;
    total.bytes_out_per_s += f.bytes_out_per_s;
    total.backends += f.backends;
    total.pending_logins += f.pending_logins;
}

/// Appends a rate to a sparkline's history, dropping the oldest past
/// [`HISTORY`].
fn push(history: &mut VecDeque<u64>, rate: f64) {
    if history.len() == HISTORY {
        history.pop_front();
    }
    // A rate is finite and not negative; `as` saturates anything else.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    history.push_back(rate.round() as u64);
}

/// Logins that did not start a session, by key, with their counts.
fn failures(delta: &Stats) -> impl Iterator<Item = (String, u64)> + '_ {
    delta
        .logins
        .iter()
        .filter(|(key, n)| key.as_str() != LOGIN_OK && **n > 0)
        .map(|(key, n)| (key.clone(), *n))
}

/// What the counters of `now` added since `then`; `None` when any went
/// backwards (the proxy restarted). Gauges are `now`'s values.
fn difference(now: &Stats, then: &Stats) -> Option<Stats> {
    let sub = |a: u64, b: u64| a.checked_sub(b);
    let mut logins = BTreeMap::new();
    for (key, n) in &now.logins {
        logins.insert(
            key.clone(),
            sub(*n, then.logins.get(key).copied().unwrap_or(0))?,
        );
    }
    let mut errors = BTreeMap::new();
    for (code, n) in &now.errors {
        errors.insert(*code, sub(*n, then.errors.get(code).copied().unwrap_or(0))?);
    }
    let mut latency_buckets = Vec::with_capacity(now.latency_buckets.len());
    for (i, n) in now.latency_buckets.iter().enumerate() {
        latency_buckets.push(sub(*n, then.latency_buckets.get(i).copied().unwrap_or(0))?);
    }
    Some(Stats {
        logins,
        pending_logins: now.pending_logins,
        queries: sub(now.queries, then.queries)?,
        rows: sub(now.rows, then.rows)?,
        bytes_in: sub(now.bytes_in, then.bytes_in)?,
        bytes_out: sub(now.bytes_out, then.bytes_out)?,
        errors,
        latency_buckets,
        latency_count: sub(now.latency_count, then.latency_count)?,
        latency_sum_us: sub(now.latency_sum_us, then.latency_sum_us)?,
        backends: now.backends,
    })
}

/// Adds `delta`'s latency histogram into `total`'s.
fn accumulate_latency(total: &mut Stats, delta: &Stats) {
    if total.latency_buckets.len() < delta.latency_buckets.len() {
        total.latency_buckets.resize(delta.latency_buckets.len(), 0);
    }
    for (sum, n) in total.latency_buckets.iter_mut().zip(&delta.latency_buckets) {
        *sum = sum.saturating_add(*n);
    }
    total.latency_count = total.latency_count.saturating_add(delta.latency_count);
    total.latency_sum_us = total.latency_sum_us.saturating_add(delta.latency_sum_us);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{LoginOutcome, Metrics};

    fn proxy(name: &str, seen_at: f64, stats: Stats) -> ProxyStats {
        ProxyStats {
            name: name.to_owned(),
            seen_at,
            stats,
        }
    }

    fn sample(proxies: Vec<ProxyStats>) -> Sample {
        Sample {
            proxies,
            sessions: Vec::new(),
        }
    }

    fn counted(queries: u64, rows: u64) -> Stats {
        Stats {
            queries,
            rows,
            ..Stats::default()
        }
    }

    fn session(proxy: &str, state: &str) -> SessionRow {
        SessionRow {
            id: "1".into(),
            proxy: proxy.into(),
            user: "u".into(),
            client: "127.0.0.1:1".into(),
            login_at: 0.0,
            state: state.into(),
            query_seconds: None,
            query: None,
            queries: 0,
            rows: 0,
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    #[test]
    fn rates_are_deltas_over_the_database_time_between_publications() {
        let mut t = Tracker::default();
        let first = t.update(&sample(vec![proxy("a", 100.0, counted(10, 100))]));
        assert_eq!(
            first.proxies[0].queries_per_s, 0.0,
            "no rate from one sample"
        );
        assert_eq!(first.proxies[0].name, "a");
        let o = t.update(&sample(vec![proxy("a", 102.0, counted(30, 500))]));
        assert_eq!(o.proxies[0].queries_per_s, 10.0);
        assert_eq!(o.proxies[0].rows_per_s, 200.0);
        // The same publication seen again: its rates stand.
        let again = t.update(&sample(vec![proxy("a", 102.0, counted(30, 500))]));
        assert_eq!(again.proxies[0].queries_per_s, 10.0);
        assert_eq!(again.proxies[0].history, [0, 10, 10]);
        assert_eq!(again.total.history, [0, 10, 10]);
    }

    #[test]
    fn each_proxy_has_its_own_figures_and_the_total_adds_them_up() {
        let mut t = Tracker::default();
        t.update(&sample(vec![
            proxy("b", 10.5, counted(100, 0)),
            proxy("a", 10.0, counted(0, 0)),
        ]));
        let o = t.update(&Sample {
            proxies: vec![
                proxy("b", 11.5, counted(103, 0)),
                proxy("a", 11.0, counted(5, 0)),
            ],
            sessions: vec![
                session("a", "idle"),
                session("b", "active"),
                session("b", "idle"),
            ],
        });
        let names: Vec<&str> = o.proxies.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "b"], "by name");
        assert_eq!(
            (o.proxies[0].queries_per_s, o.proxies[0].sessions),
            (5.0, 1)
        );
        assert_eq!(
            (o.proxies[1].queries_per_s, o.proxies[1].sessions),
            (3.0, 2)
        );
        assert_eq!((o.total.queries_per_s, o.total.sessions), (8.0, 3));
        assert_eq!(o.proxies[1].history, [0, 3]);
        // A proxy that stopped beating drops out, and so does its share.
        let o = t.update(&sample(vec![proxy("b", 12.5, counted(105, 0))]));
        assert_eq!(o.proxies.len(), 1);
        assert_eq!(o.total.queries_per_s, 2.0);
        assert_eq!(o.total.history, [0, 8, 2]);
    }

    #[test]
    fn a_restarted_proxy_adds_nothing_until_its_next_publication() {
        let mut t = Tracker::default();
        t.update(&sample(vec![proxy("a", 1.0, counted(1000, 0))]));
        let o = t.update(&sample(vec![proxy("a", 2.0, counted(3, 0))]));
        assert_eq!(o.proxies[0].queries_per_s, 0.0);
        let o = t.update(&sample(vec![proxy("a", 3.0, counted(7, 0))]));
        assert_eq!(o.proxies[0].queries_per_s, 4.0);
    }

    #[test]
    fn the_history_keeps_the_newest_samples() {
        let mut t = Tracker::default();
        let mut o = Overview::default();
        for i in 0..=(HISTORY as u64 + 5) {
            o = t.update(&sample(vec![proxy("a", i as f64, counted(i * i, 0))]));
        }
        let history = &o.proxies[0].history;
        assert_eq!(history.len(), HISTORY);
        assert_eq!(history.last(), Some(&(2 * (HISTORY as u64 + 5) - 1)));
    }

    #[test]
    fn logins_and_failures_by_reason_come_from_the_login_counters() {
        let m = Metrics::default();
        let mut t = Tracker::default();
        t.update(&sample(vec![proxy("a", 0.0, m.stats())]));
        m.login(LoginOutcome::Ok);
        m.login(LoginOutcome::Ok);
        m.login(LoginOutcome::WrongPassword);
        m.login(LoginOutcome::Locked);
        let o = t.update(&sample(vec![proxy("a", 2.0, m.stats())]));
        assert_eq!(o.proxies[0].logins_per_s, 1.0);
        assert_eq!(o.total.failures_per_s, 1.0);
        assert_eq!(
            o.recent_failures,
            BTreeMap::from([
                ("failed/wrong_password".to_owned(), 1),
                ("refused/locked".to_owned(), 1)
            ])
        );
        // Seen again, the same failures are not counted twice; a minute on
        // they have left the window.
        let o = t.update(&sample(vec![proxy("a", 2.0, m.stats())]));
        assert_eq!(o.recent_failures.values().sum::<u64>(), 2);
        let o = t.update(&sample(vec![proxy("a", 70.0, m.stats())]));
        assert!(o.recent_failures.is_empty(), "{:?}", o.recent_failures);
        assert_eq!(o.total.failures_per_s, 0.0);
    }

    #[test]
    fn latency_quantiles_are_per_proxy_and_over_every_proxy_for_the_total() {
        let (a, b) = (Metrics::default(), Metrics::default());
        a.query_time(3.0);
        let mut t = Tracker::default();
        t.update(&sample(vec![
            proxy("a", 0.0, a.stats()),
            proxy("b", 0.0, b.stats()),
        ]));
        for _ in 0..60 {
            a.query_time(0.0001);
        }
        for _ in 0..39 {
            b.query_time(0.02);
        }
        b.query_time(20.0);
        let o = t.update(&sample(vec![
            proxy("a", 1.0, a.stats()),
            proxy("b", 1.0, b.stats()),
        ]));
        assert_eq!(
            (o.proxies[0].p50, o.proxies[0].p99),
            (Some(0.0005), Some(0.0005))
        );
        assert_eq!(
            (o.proxies[1].p50, o.proxies[1].p99),
            (Some(0.025), Some(30.0))
        );
        assert_eq!((o.total.p50, o.total.p99), (Some(0.0005), Some(0.025)));
        let quiet = t.update(&sample(vec![
            proxy("a", 2.0, a.stats()),
            proxy("b", 2.0, b.stats()),
        ]));
        assert_eq!(quiet.total.p50, None, "no request in the last interval");
        assert_eq!(quiet.proxies[1].p99, None);
    }

    #[test]
    fn gauges_and_session_states_are_current_values() {
        let mut t = Tracker::default();
        let gauges = |backends, pending_logins| Stats {
            backends,
            pending_logins,
            ..Stats::default()
        };
        let o = t.update(&Sample {
            proxies: vec![proxy("a", 1.0, gauges(3, 1)), proxy("b", 1.0, gauges(2, 4))],
            sessions: vec![
                session("a", "idle"),
                session("a", "active"),
                session("b", "idle"),
                session("b", "idle in transaction"),
            ],
        });
        assert_eq!((o.proxies[0].backends, o.proxies[1].pending_logins), (3, 4));
        assert_eq!((o.total.backends, o.total.pending_logins), (5, 5));
        assert_eq!(o.sessions_by_state, [2, 1, 1, 0]);
    }
}
