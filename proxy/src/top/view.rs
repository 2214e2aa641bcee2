//! Drawing `top`: a summary line, a row per proxy with its rates and a
//! sparkline of its requests per second, the session table, a status line
//! and the key line. A pure function of [`App`] and the time, so tests draw
//! on ratatui's `TestBackend` and read the buffer.
//!
//! ```text
//!  summary   proxies · sessions by state
//!            backends · logins in progress · failed logins
//!  proxies   PROXY SESS LOGIN/s QUERY/s ROWS/s IN/s OUT/s P50 P99 ▁▂▅▇ (one row each, then all)
//!  sessions  ID USER CLIENT PROXY STATE SINCE ROWS IN OUT QUERY (filtered, sorted, one selected)
//!  status    the database's error, a command's answer, or the time of the data
//!  keys      the keys, the filter being typed, or the kill question
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Sparkline, Table, Wrap};

use super::data::{Figures, Overview, STATES};
use super::input::{App, Mode};
use super::table;
use crate::metrics::LATENCY_BUCKETS;

/// The key line when `?` has not been pressed.
const SHORT_HELP: &str =
    "↑/↓/j move · k kill · / filter · s sort · r reverse · ? more keys · q quit";

/// The key line after `?`.
const FULL_HELP: &str = "↑/↓/j PgUp/PgDn Home/End move · k then y: kill the selected session · / filter (Enter keeps, Esc clears) · s next sort column · r reverse · ? fewer keys · q/Ctrl-C quit";

/// Proxy rows shown at most; the rest are counted in the title.
const MAX_PROXY_ROWS: usize = 8;

/// The proxy table's columns after PROXY, with their widths.
const PROXY_COLUMNS: [(&str, u16); 8] = [
    ("SESS", 5),
    ("LOGIN/s", 7),
    ("QUERY/s", 7),
    ("ROWS/s", 7),
    ("IN/s", 7),
    ("OUT/s", 7),
    ("P50", 7),
    ("P99", 7),
];

/// Draws the whole screen; `now` (seconds since the epoch) dates logins.
pub fn draw(frame: &mut Frame, app: &App, now: f64) {
    let o = &app.overview;
    let rows = proxy_rows(o).len().min(MAX_PROXY_ROWS);
    // Borders, the heading, one line per row.
    let proxies_height = u16::try_from(rows).unwrap_or(0) + 3;
    let key_lines = if app.help && app.mode == Mode::Normal {
        2
    } else {
        1
    };
    let [summary, proxies, table, status, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(proxies_height),
        Constraint::Min(4),
        Constraint::Length(1),
        Constraint::Length(key_lines),
    ])
    .areas(frame.area());
    frame.render_widget(Paragraph::new(summary_lines(o)), summary);
    draw_proxies(frame, o, proxies);
    table::draw(frame, app, table, now);
    frame.render_widget(status_line(app), status);
    frame.render_widget(key_line(app), keys);
}

fn summary_lines(o: &Overview) -> Vec<Line<'static>> {
    let total: usize = o.sessions_by_state.iter().sum();
    let states: Vec<String> = STATES
        .iter()
        .zip(o.sessions_by_state)
        .filter(|(_, n)| *n > 0)
        .map(|(state, n)| format!("{n} {state}"))
        .collect();
    let mut sessions = count(total, "session", "sessions");
    if !states.is_empty() {
        sessions = format!("{sessions} ({})", states.join(", "));
    }
    let failures = if o.recent_failures.is_empty() {
        "none".to_owned()
    } else {
        let reasons: Vec<String> = o
            .recent_failures
            .iter()
            .map(|(reason, n)| format!("{reason} {n}"))
            .collect();
        reasons.join(", ")
    };
    vec![
        Line::from(vec![
            Span::styled("cor4-proxy top", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(format!(
                " · {} · {sessions}",
                count(o.proxies.len(), "proxy", "proxies")
            )),
        ]),
        Line::from(format!(
            "backends {} · logins in progress {} · failed logins {}/s, in the last minute: {failures}",
            o.total.backends,
            o.total.pending_logins,
            rate(o.total.failures_per_s),
        )),
    ]
}

/// Each proxy, then all together when there are several.
fn proxy_rows(o: &Overview) -> Vec<(&str, &Figures)> {
    let mut rows: Vec<(&str, &Figures)> = o.proxies.iter().map(|f| (f.name.as_str(), f)).collect();
    if o.proxies.len() > 1 {
        rows.push(("all", &o.total));
    }
    rows
}

fn draw_proxies(frame: &mut Frame, o: &Overview, area: Rect) {
    let rows = proxy_rows(o);
    let shown = rows.len().min(MAX_PROXY_ROWS);
    let hidden = if shown < rows.len() {
        format!(" ({} more not shown)", rows.len() - shown)
    } else {
        String::new()
    };
    let block = Block::bordered().title(format!(" proxies{hidden} "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let name_width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(5, 24);
    let name_width = u16::try_from(name_width).unwrap_or(24);
    let mut widths = vec![name_width];
    widths.extend(PROXY_COLUMNS.iter().map(|(_, w)| *w));
    // Columns and the one-cell gaps between them.
    let table_width = widths.iter().sum::<u16>() + u16::try_from(widths.len()).unwrap_or(0);
    let [left, right] =
        Layout::horizontal([Constraint::Length(table_width), Constraint::Fill(1)]).areas(inner);
    let header =
        Row::new(std::iter::once("PROXY").chain(PROXY_COLUMNS.iter().map(|(label, _)| *label)))
            .style(Style::new().add_modifier(Modifier::BOLD));
    let body = rows.iter().take(shown).map(|(name, f)| {
        let style = if *name == "all" && o.proxies.len() > 1 {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        Row::new([
            (*name).to_owned(),
            f.sessions.to_string(),
            rate(f.logins_per_s),
            rate(f.queries_per_s),
            rate(f.rows_per_s),
            byte_rate(f.bytes_in_per_s),
            byte_rate(f.bytes_out_per_s),
            latency(f.p50),
            latency(f.p99),
        ])
        .style(style)
    });
    let table = Table::new(body, widths.iter().map(|w| Constraint::Length(*w))).header(header);
    frame.render_widget(table, left);
    if right.width < 4 {
        return;
    }
    // One scale for every row, so a quiet proxy looks quiet beside a busy
    // one.
    let width = usize::from(right.width);
    let peak = rows
        .iter()
        .take(shown)
        .flat_map(|(_, f)| recent(f, width).iter().copied())
        .max()
        .unwrap_or(0);
    frame.render_widget(
        Paragraph::new(format!("queries/s, peak {peak}"))
            .style(Style::new().add_modifier(Modifier::BOLD)),
        Rect { height: 1, ..right },
    );
    for (i, (_, f)) in rows.iter().take(shown).enumerate() {
        let y = right.y + 1 + u16::try_from(i).unwrap_or(u16::MAX);
        if y >= right.bottom() {
            break;
        }
        // The newest samples that fit, against the right edge.
        let recent = recent(f, width);
        let used = u16::try_from(recent.len()).unwrap_or(right.width);
        let line = Rect {
            x: right.right().saturating_sub(used),
            y,
            width: used,
            height: 1,
        };
        let spark = Sparkline::default()
            .style(Style::new().fg(Color::Green))
            .max(peak)
            .data(recent);
        frame.render_widget(spark, line);
    }
}

/// The newest `width` samples of a proxy's history.
fn recent(f: &Figures, width: usize) -> &[u64] {
    &f.history[f.history.len().saturating_sub(width)..]
}

fn status_line(app: &App) -> Paragraph<'static> {
    let every = format!("{}s", app.interval.as_secs_f64());
    let since = app
        .updated_at
        .as_ref()
        .map(|at| format!("; the figures shown are from {at}"))
        .unwrap_or_else(|| "; nothing shown yet".to_owned());
    match (&app.problem, &app.message) {
        (Some(problem), _) => Paragraph::new(format!("{problem}{since}"))
            .style(Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)),
        (None, Some(message)) => {
            Paragraph::new(message.clone()).style(Style::new().fg(Color::Yellow))
        }
        (None, None) => Paragraph::new(match &app.updated_at {
            Some(at) => format!("updated {at}, every {every}"),
            None => "reading the session list…".to_owned(),
        }),
    }
}

fn key_line(app: &App) -> Paragraph<'static> {
    match &app.mode {
        Mode::Normal if app.help => Paragraph::new(FULL_HELP).wrap(Wrap { trim: true }),
        Mode::Normal => Paragraph::new(SHORT_HELP),
        Mode::Filter => Paragraph::new(Line::from(vec![
            Span::styled("filter: ", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(format!("{}█", app.view.filter)),
            Span::raw("   Enter keeps · Esc clears"),
        ])),
        Mode::Confirm { id, user, client } => {
            Paragraph::new(format!("kill session {id} of {user} from {client}? y/n"))
                .style(Style::new().fg(Color::Red).add_modifier(Modifier::BOLD))
        }
    }
}

/// `1 proxy`, `2 proxies`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `0.4`, `12`, `3.2k`, `1.5M`.
fn rate(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.1}")
    } else if x < 10_000.0 {
        format!("{x:.0}")
    } else if x < 10_000_000.0 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{:.1}M", x / 1e6)
    }
}

/// Bytes per second as `admin::bytes` writes sizes.
fn byte_rate(x: f64) -> String {
    if x < 1024.0 {
        format!("{x:.0}B")
    } else if x < 1024.0 * 1024.0 {
        format!("{:.1}K", x / 1024.0)
    } else if x < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1}M", x / 1024.0 / 1024.0)
    } else {
        format!("{:.1}G", x / 1024.0 / 1024.0 / 1024.0)
    }
}

/// A latency bucket's bound as `≤25ms`, `≤1s`, `>30s`; `-` for none.
fn latency(bound: Option<f64>) -> String {
    let trim = |s: String| s.trim_end_matches('0').trim_end_matches('.').to_owned();
    match bound {
        None => "-".to_owned(),
        Some(b) if b.is_infinite() => {
            format!(">{}s", LATENCY_BUCKETS.last().copied().unwrap_or_default())
        }
        Some(b) if b < 1.0 => format!("≤{}ms", trim(format!("{:.1}", b * 1e3))),
        Some(b) => format!("≤{}s", trim(format!("{b:.1}"))),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::metrics::{LoginOutcome, Metrics};
    use crate::registry::SessionRow;
    use crate::top::data::Sample;
    use crate::top::sessions::Column;
    use crate::users::ProxyStats;

    fn screen(app: &App, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| draw(f, app, 1_000.0)).unwrap();
        let buffer = terminal.backend().buffer();
        let mut text = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    }

    fn session(id: &str, user: &str, proxy: &str, state: &str) -> SessionRow {
        SessionRow {
            id: id.into(),
            proxy: proxy.into(),
            user: user.into(),
            client: "127.0.0.1:40000".into(),
            login_at: 935.0,
            state: state.into(),
            query_seconds: (state == "active").then_some(2.5),
            query: Some("SELECT *\n  FROM orders".into()),
            queries: 3,
            rows: 10,
            bytes_in: 100,
            bytes_out: 4096,
        }
    }

    /// Two proxies: `east` busy, `west` quiet; alice on east, bob on west.
    fn busy_app() -> App {
        let (east, west) = (Metrics::default(), Metrics::default());
        let mut app = App::new(None, Duration::from_secs(1));
        let proxies = |at: f64, east: &Metrics, west: &Metrics| {
            vec![
                ProxyStats {
                    name: "east:7654".into(),
                    seen_at: at,
                    stats: east.stats(),
                },
                ProxyStats {
                    name: "west:7654".into(),
                    seen_at: at,
                    stats: west.stats(),
                },
            ]
        };
        app.sample(
            Sample {
                proxies: proxies(0.0, &east, &west),
                sessions: Vec::new(),
            },
            "11:59:59".into(),
        );
        east.login(LoginOutcome::Ok);
        west.login(LoginOutcome::WrongPassword);
        east.queries.store(40, std::sync::atomic::Ordering::Relaxed);
        east.rows.store(2000, std::sync::atomic::Ordering::Relaxed);
        east.query_time(0.02);
        let sessions = vec![
            session("aaaaaaaaaaaa", "alice", "east:7654", "active"),
            session(
                "bbbbbbbbbbbb",
                "bob",
                "west:7654",
                "idle in failed transaction",
            ),
        ];
        app.sample(
            Sample {
                proxies: proxies(1.0, &east, &west),
                sessions,
            },
            "12:00:00".into(),
        );
        app
    }

    /// The screen's line that contains `needle`.
    fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in\n{text}"))
    }

    #[test]
    fn draws_a_row_per_proxy_the_total_and_the_sessions() {
        let app = busy_app();
        let text = screen(&app, 160, 20);
        for expected in [
            "2 proxies · 2 sessions (1 active, 1 idle in failed transaction)",
            "failed logins 1.0/s, in the last minute: failed/wrong_password 1",
            "sessions: 2 of 2 · sorted by SINCE ▼",
            "SINCE▼",
            "> aaaaaaaaaaaa",
            "127.0.0.1:40000",
            "1m05s",
            "2.5s SELECT * FROM orders",
            "4.0K",
            "failed tx",
            "updated 12:00:00, every 1s",
            "k kill",
        ] {
            assert!(text.contains(expected), "no {expected:?} in\n{text}");
        }
        let east = line_with(&text, "│east:7654 ");
        for figure in ["1.0", "40", "2000", "≤25ms"] {
            assert!(east.contains(figure), "{figure:?} in {east}");
        }
        let west = line_with(&text, "│west:7654 ");
        assert!(west.contains(" 0.0 "), "{west}");
        assert!(west.ends_with("  │"), "a quiet proxy draws no bar: {west}");
        assert!(text.contains("queries/s, peak 40"), "{text}");
        let all = line_with(&text, "│all ");
        assert!(all.contains("40") && all.contains(" 2 "), "{all}");
    }

    #[test]
    fn one_proxy_has_no_total_row() {
        let mut app = App::new(None, Duration::from_secs(1));
        app.sample(
            Sample {
                proxies: vec![ProxyStats {
                    name: "solo:1".into(),
                    seen_at: 1.0,
                    stats: Metrics::default().stats(),
                }],
                sessions: Vec::new(),
            },
            "t".into(),
        );
        let text = screen(&app, 120, 16);
        assert!(text.contains("1 proxy ·"), "{text}");
        assert!(!text.contains("│all "), "{text}");
    }

    #[test]
    fn shows_the_filters_the_question_and_the_database_error() {
        let mut app = busy_app();
        app.view.filter = "BO".into();
        app.view.sort = Column::User;
        app.view.descending = true;
        app.mode = Mode::Confirm {
            id: "bbbbbbbbbbbb".into(),
            user: "bob".into(),
            client: "127.0.0.1:40000".into(),
        };
        app.failed("cannot reach the database: connection refused".into());
        let text = screen(&app, 160, 20);
        for expected in [
            "sessions: 1 of 2 · matching \"BO\" · sorted by USER ▼",
            "USER▼",
            "kill session bbbbbbbbbbbb of bob from 127.0.0.1:40000? y/n",
            "cannot reach the database: connection refused; the figures shown are from 12:00:00",
        ] {
            assert!(text.contains(expected), "no {expected:?} in\n{text}");
        }
        assert!(!text.contains("alice"), "{text}");
        app.mode = Mode::Filter;
        assert!(screen(&app, 160, 20).contains("filter: BO█"));
        app.mode = Mode::Normal;
        app.help = true;
        assert!(screen(&app, 200, 20).contains("k then y: kill the selected session"));
        app.view.user = Some("bob".into());
        assert!(screen(&app, 160, 20).contains("· user bob · matching"));
    }

    #[test]
    fn sparklines_end_at_the_right_edge() {
        let app = busy_app();
        let text = screen(&app, 160, 20);
        let east = line_with(&text, "│east:7654 ");
        // One sample of 0, then one of 40: a blank then a full bar, just
        // inside the border.
        assert!(east.ends_with(" █│"), "{east}");
    }

    #[test]
    fn a_small_terminal_does_not_panic() {
        let app = busy_app();
        for (w, h) in [(1, 1), (20, 5), (60, 12), (80, 24)] {
            screen(&app, w, h);
        }
    }

    #[test]
    fn numbers_read_as_an_operator_expects() {
        assert_eq!(latency(None), "-");
        assert_eq!(latency(Some(0.0005)), "≤0.5ms");
        assert_eq!(latency(Some(0.025)), "≤25ms");
        assert_eq!(latency(Some(1.0)), "≤1s");
        assert_eq!(latency(Some(f64::INFINITY)), ">30s");
        assert_eq!(rate(0.25), "0.2");
        assert_eq!(rate(1234.0), "1234");
        assert_eq!(rate(123_456.0), "123.5k");
        assert_eq!(byte_rate(2048.0), "2.0K");
    }
}
