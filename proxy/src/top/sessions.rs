//! Which sessions the table shows and in what order: the columns it can be
//! sorted by, the `--user` and `/` filters. Pure functions of the rows.

use std::cmp::Ordering;

use crate::registry::SessionRow;

/// A column of the session table, in the order `s` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Session id.
    Id,
    /// User name.
    User,
    /// Client address.
    Client,
    /// Proxy instance.
    Proxy,
    /// State name.
    State,
    /// Time since login.
    Since,
    /// Rows sent.
    Rows,
    /// Bytes from the client.
    BytesIn,
    /// Bytes to the client.
    BytesOut,
    /// The running (or last) query; sorted by how long it has run.
    Query,
}

impl Column {
    /// Every column, left to right.
    pub const ALL: [Column; 10] = [
        Column::Id,
        Column::User,
        Column::Client,
        Column::Proxy,
        Column::State,
        Column::Since,
        Column::Rows,
        Column::BytesIn,
        Column::BytesOut,
        Column::Query,
    ];

    /// The column's heading.
    pub fn label(self) -> &'static str {
        match self {
            Column::Id => "ID",
            Column::User => "USER",
            Column::Client => "CLIENT",
            Column::Proxy => "PROXY",
            Column::State => "STATE",
            Column::Since => "SINCE",
            Column::Rows => "ROWS",
            Column::BytesIn => "IN",
            Column::BytesOut => "OUT",
            Column::Query => "QUERY",
        }
    }

    /// The column to its right, wrapping around.
    pub fn next(self) -> Column {
        let i = Column::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    /// Whether sorting starts with the largest values (times and counters:
    /// what an operator looks for first).
    pub fn largest_first(self) -> bool {
        matches!(
            self,
            Column::Since | Column::Rows | Column::BytesIn | Column::BytesOut | Column::Query
        )
    }

    /// Orders two sessions by this column's values, smallest first.
    pub fn compare(self, a: &SessionRow, b: &SessionRow) -> Ordering {
        match self {
            Column::Id => a.id.cmp(&b.id),
            Column::User => a.user.cmp(&b.user),
            Column::Client => a.client.cmp(&b.client),
            Column::Proxy => a.proxy.cmp(&b.proxy),
            Column::State => a.state.cmp(&b.state),
            // A longer time since login is an earlier login.
            Column::Since => b.login_at.total_cmp(&a.login_at),
            Column::Rows => a.rows.cmp(&b.rows),
            Column::BytesIn => a.bytes_in.cmp(&b.bytes_in),
            Column::BytesOut => a.bytes_out.cmp(&b.bytes_out),
            Column::Query => {
                // Sessions running nothing come below every running query.
                let running = |r: &SessionRow| r.query_seconds.unwrap_or(-1.0);
                running(a).total_cmp(&running(b))
            }
        }
    }
}

/// What the table shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// `--user`: only this user's sessions.
    pub user: Option<String>,
    /// `/`: only sessions where some column contains this, ignoring case.
    pub filter: String,
    /// The sort column.
    pub sort: Column,
    /// Largest first.
    pub descending: bool,
}

impl View {
    /// Every session of `user` (all when `None`), sorted by time since
    /// login, longest first.
    pub fn new(user: Option<String>) -> View {
        View {
            user,
            filter: String::new(),
            sort: Column::Since,
            descending: Column::Since.largest_first(),
        }
    }

    /// Sorts by the next column, in its natural direction.
    pub fn next_sort(&mut self) {
        self.sort = self.sort.next();
        self.descending = self.sort.largest_first();
    }

    /// Whether `row` passes both filters.
    pub fn shows(&self, row: &SessionRow) -> bool {
        self.user.as_ref().is_none_or(|u| *u == row.user) && matches(row, &self.filter)
    }

    /// The rows shown, in order; ties go by id so rows keep their places
    /// between refreshes.
    pub fn apply<'a>(&self, rows: &'a [SessionRow]) -> Vec<&'a SessionRow> {
        let mut shown: Vec<&SessionRow> = rows.iter().filter(|r| self.shows(r)).collect();
        shown.sort_by(|a, b| {
            let order = self.sort.compare(a, b);
            let order = if self.descending {
                order.reverse()
            } else {
                order
            };
            order.then_with(|| a.id.cmp(&b.id))
        });
        shown
    }
}

/// Whether any shown text of `row` contains `text`, ignoring case; an empty
/// `text` matches every row.
pub fn matches(row: &SessionRow, text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    let needle = text.to_lowercase();
    [
        row.id.as_str(),
        row.user.as_str(),
        row.client.as_str(),
        row.proxy.as_str(),
        row.state.as_str(),
        row.query.as_deref().unwrap_or_default(),
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(&needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, user: &str, login_at: f64, rows: u64) -> SessionRow {
        SessionRow {
            id: id.into(),
            proxy: "p:1".into(),
            user: user.into(),
            client: format!("127.0.0.1:500{id}"),
            login_at,
            state: "idle".into(),
            query_seconds: None,
            query: None,
            queries: 0,
            rows,
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    fn three() -> Vec<SessionRow> {
        vec![
            row("1", "carol", 10.0, 5),
            row("2", "alice", 30.0, 9),
            row("3", "bob", 20.0, 1),
        ]
    }

    fn ids(view: &View, rows: &[SessionRow]) -> Vec<String> {
        view.apply(rows).iter().map(|r| r.id.clone()).collect()
    }

    #[test]
    fn starts_with_the_oldest_login_and_cycles_through_every_column() {
        let rows = three();
        let mut view = View::new(None);
        assert_eq!(ids(&view, &rows), ["1", "3", "2"]);
        view.next_sort();
        assert_eq!(view.sort, Column::Rows);
        assert_eq!(ids(&view, &rows), ["2", "1", "3"], "largest first");
        view.next_sort();
        view.next_sort();
        view.next_sort();
        assert_eq!(view.sort, Column::Query);
        view.next_sort();
        assert_eq!((view.sort, view.descending), (Column::Id, false));
        assert_eq!(ids(&view, &rows), ["1", "2", "3"]);
        view.next_sort();
        assert_eq!(ids(&view, &rows), ["2", "3", "1"], "by user");
        view.descending = !view.descending;
        assert_eq!(ids(&view, &rows), ["1", "3", "2"], "reversed");
    }

    #[test]
    fn running_queries_sort_above_idle_sessions_and_ties_go_by_id() {
        let mut rows = three();
        rows[2].query_seconds = Some(0.5);
        rows[0].query_seconds = Some(7.0);
        let view = View {
            sort: Column::Query,
            descending: true,
            ..View::new(None)
        };
        assert_eq!(ids(&view, &rows), ["1", "3", "2"]);
        let by_state = View {
            sort: Column::State,
            descending: true,
            ..View::new(None)
        };
        assert_eq!(ids(&by_state, &rows), ["1", "2", "3"], "all idle: by id");
    }

    #[test]
    fn the_text_filter_matches_any_column_ignoring_case() {
        let mut rows = three();
        rows[1].query = Some("SELECT * FROM Orders".into());
        let mut view = View::new(None);
        view.filter = "BO".into();
        assert_eq!(ids(&view, &rows), ["3"], "user");
        view.filter = "orders".into();
        assert_eq!(ids(&view, &rows), ["2"], "query text");
        view.filter = ":5001".into();
        assert_eq!(ids(&view, &rows), ["1"], "client address");
        view.filter = "nobody".into();
        assert!(ids(&view, &rows).is_empty());
        view.filter.clear();
        assert_eq!(ids(&view, &rows).len(), 3);
    }

    #[test]
    fn the_user_option_keeps_that_user_only() {
        let rows = vec![row("1", "al", 1.0, 0), row("2", "alice", 2.0, 0)];
        let view = View::new(Some("al".into()));
        assert_eq!(ids(&view, &rows), ["1"], "the whole name, not a part");
    }
}
