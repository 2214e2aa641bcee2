//! The session table of `top`: which columns fit the terminal, and each
//! session's cells. The query text keeps at least [`QUERY_MIN`] cells;
//! columns to its left give way in the order of [`GIVE_UP`], but never the
//! sort column.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, HighlightSpacing, Row, Table, TableState};

use super::input::App;
use super::sessions::Column;
use crate::admin::{bytes, duration};
use crate::registry::SessionRow;

/// The width a column needs for its heading and `cells`, within bounds.
fn fit<'a>(label: &str, cells: impl Iterator<Item = &'a str>, min: usize, max: usize) -> u16 {
    let widest = cells
        .map(|c| c.chars().count())
        .chain([label.chars().count() + 1])
        .max()
        .unwrap_or(0);
    u16::try_from(widest.clamp(min, max)).unwrap_or(u16::MAX)
}

/// Columns given up, in this order, when the terminal is too narrow for
/// every column and [`QUERY_MIN`] cells of query text.
const GIVE_UP: [Column; 6] = [
    Column::BytesIn,
    Column::BytesOut,
    Column::Proxy,
    Column::Rows,
    Column::Since,
    Column::State,
];

/// The least room the query text keeps before other columns give way.
const QUERY_MIN: u16 = 20;

/// The highlight symbol before each row.
const SELECTED: &str = "> ";

/// Each column's width for `rows`, but the query's (it takes what is left).
fn column_width(column: Column, rows: &[&SessionRow]) -> u16 {
    let texts = |f: fn(&SessionRow) -> &str| rows.iter().map(move |r| f(r));
    match column {
        Column::Id => 12,
        Column::User => fit("USER", texts(|r| r.user.as_str()), 4, 20),
        Column::Client => fit("CLIENT", texts(|r| r.client.as_str()), 6, 40),
        Column::Proxy => fit("PROXY", texts(|r| r.proxy.as_str()), 5, 24),
        Column::State => 10,
        Column::Since => 7,
        Column::Rows => 8,
        Column::BytesIn | Column::BytesOut => 7,
        Column::Query => QUERY_MIN,
    }
}

/// The columns that fit in `width` cells, left to right, with their
/// widths; the sort column is never given up.
fn fitting(rows: &[&SessionRow], width: u16, sort: Column) -> Vec<(Column, u16)> {
    let mut columns: Vec<(Column, u16)> = Column::ALL
        .iter()
        .map(|c| (*c, column_width(*c, rows)))
        .collect();
    let needed = |columns: &[(Column, u16)]| -> usize {
        // Widths, a space between columns, the highlight symbol.
        columns.iter().map(|(_, w)| usize::from(*w)).sum::<usize>()
            + columns.len().saturating_sub(1)
            + SELECTED.len()
    };
    for dropped in GIVE_UP.into_iter().filter(|c| *c != sort) {
        if needed(&columns) <= usize::from(width) {
            break;
        }
        columns.retain(|(c, _)| *c != dropped);
    }
    columns
}

/// Draws the sessions `app` shows into `area`; `now` (seconds since the
/// epoch) dates logins.
pub fn draw(frame: &mut Frame, app: &App, area: Rect, now: f64) {
    let rows = app.visible();
    let view = &app.view;
    let arrow = if view.descending { "▼" } else { "▲" };
    let columns = fitting(&rows, area.width.saturating_sub(2), view.sort);
    let header = Row::new(columns.iter().map(|(column, _)| {
        if *column == view.sort {
            Cell::from(format!("{}{arrow}", column.label()))
                .style(Style::new().add_modifier(Modifier::UNDERLINED))
        } else {
            Cell::from(column.label())
        }
    }))
    .style(Style::new().add_modifier(Modifier::BOLD));
    let widths = columns.iter().map(|(column, width)| match column {
        Column::Query => Constraint::Fill(1),
        _ => Constraint::Length(*width),
    });
    let body = rows.iter().map(|r| {
        Row::new(
            columns
                .iter()
                .map(|(column, _)| session_cell(r, *column, now)),
        )
    });
    let mut filters = Vec::new();
    if let Some(user) = &view.user {
        filters.push(format!("user {user}"));
    }
    if !view.filter.is_empty() {
        filters.push(format!("matching {:?}", view.filter));
    }
    let filters = if filters.is_empty() {
        String::new()
    } else {
        format!(" · {}", filters.join(" · "))
    };
    let title = format!(
        " sessions: {} of {}{filters} · sorted by {} {arrow} ",
        rows.len(),
        app.sessions.len(),
        view.sort.label()
    );
    let table = Table::new(body, widths)
        .header(header)
        .block(Block::bordered().title(title))
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol(SELECTED)
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::default().with_selected(app.cursor());
    frame.render_stateful_widget(table, area, &mut state);
}

/// One session's value in one column.
fn session_cell(r: &SessionRow, column: Column, now: f64) -> Cell<'static> {
    match column {
        Column::Id => Cell::from(r.id.clone()),
        Column::User => Cell::from(r.user.clone()),
        Column::Client => Cell::from(r.client.clone()),
        Column::Proxy => Cell::from(r.proxy.clone()),
        // "idle in failed transaction" does not fit.
        Column::State => Cell::from(short_state(&r.state)),
        Column::Since => Cell::from(duration((now - r.login_at).max(0.0))),
        Column::Rows => Cell::from(r.rows.to_string()),
        Column::BytesIn => Cell::from(bytes(r.bytes_in)),
        Column::BytesOut => Cell::from(bytes(r.bytes_out)),
        Column::Query => {
            // Newlines and runs of spaces would waste the one line a row
            // has.
            let sql = r
                .query
                .as_deref()
                .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            Cell::from(match r.query_seconds {
                Some(seconds) => Line::from(vec![
                    Span::styled(duration(seconds), Style::new().fg(Color::Yellow)),
                    Span::raw(format!(" {sql}")),
                ]),
                // The last query of a waiting session, dimmed: it is not
                // running.
                None => Line::from(Span::styled(sql, Style::new().fg(Color::DarkGray))),
            })
        }
    }
}

fn short_state(state: &str) -> String {
    match state {
        "idle in transaction" => "idle in tx",
        "idle in failed transaction" => "failed tx",
        other => other,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(user: &str, client: &str) -> SessionRow {
        SessionRow {
            id: "0123456789ab".into(),
            proxy: "east:7654".into(),
            user: user.into(),
            client: client.into(),
            login_at: 0.0,
            state: "idle".into(),
            query_seconds: None,
            query: None,
            queries: 0,
            rows: 0,
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    fn names(columns: &[(Column, u16)]) -> Vec<&'static str> {
        columns.iter().map(|(c, _)| c.label()).collect()
    }

    #[test]
    fn a_wide_terminal_shows_every_column_sized_to_its_values() {
        let alice = row("alice", "127.0.0.1:40000");
        let columns = fitting(&[&alice], 200, Column::Since);
        assert_eq!(names(&columns).len(), Column::ALL.len());
        let width = |label| {
            columns
                .iter()
                .find(|(c, _)| c.label() == label)
                .map(|(_, w)| *w)
        };
        assert_eq!(width("USER"), Some(5), "the heading and a space");
        assert_eq!(width("CLIENT"), Some(15));
        assert_eq!(width("PROXY"), Some(9));
    }

    #[test]
    fn a_narrow_terminal_gives_up_byte_counts_first_and_keeps_the_query() {
        let alice = row("alice", "127.0.0.1:40000");
        assert_eq!(
            names(&fitting(&[&alice], 100, Column::Since)),
            [
                "ID", "USER", "CLIENT", "PROXY", "STATE", "SINCE", "ROWS", "QUERY"
            ]
        );
        assert_eq!(
            names(&fitting(&[&alice], 78, Column::Since)),
            ["ID", "USER", "CLIENT", "STATE", "SINCE", "QUERY"]
        );
        assert_eq!(
            names(&fitting(&[&alice], 78, Column::BytesIn)),
            ["ID", "USER", "CLIENT", "STATE", "IN", "QUERY"],
            "the sort column stays"
        );
        assert_eq!(
            names(&fitting(&[&alice], 20, Column::Since)),
            ["ID", "USER", "CLIENT", "SINCE", "QUERY"],
            "never fewer than these"
        );
    }

    #[test]
    fn long_states_are_shortened() {
        assert_eq!(short_state("idle in transaction"), "idle in tx");
        assert_eq!(short_state("idle in failed transaction"), "failed tx");
        assert_eq!(short_state("active"), "active");
    }
}
