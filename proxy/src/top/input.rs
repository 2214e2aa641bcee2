//! `top`'s state and what each key does to it: the sort, the filter, the
//! selected session, the kill confirmation. [`App::key`] takes a key and
//! returns what the caller must do (quit, send a kill); nothing here
//! touches the terminal or the database.
//!
//! ```text
//!  Normal ──/──▶ Filter (typing filters at once) ──Enter: keep, Esc: clear──▶ Normal
//!  Normal ──k──▶ Confirm ──y──▶ Action::Kill, Normal
//!                        └─any other key──▶ Normal (nothing ended)
//! ```

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::data::{Overview, Sample, Tracker};
use super::sessions::View;
use crate::registry::SessionRow;

/// Rows PageUp and PageDown move by.
const PAGE: usize = 10;

/// What the keyboard is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Keys are commands.
    Normal,
    /// Typing the filter text.
    Filter,
    /// Waiting for `y` before ending a session.
    Confirm {
        /// The session.
        id: String,
        /// Its user, to show in the question.
        user: String,
        /// Its client address, likewise.
        client: String,
    },
}

/// What the caller does after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing beyond redrawing.
    None,
    /// Restore the terminal and exit.
    Quit,
    /// Ask the proxies to end this session.
    Kill {
        /// The session.
        id: String,
        /// Its user.
        user: String,
    },
}

/// Everything `top` shows.
#[derive(Debug)]
pub struct App {
    /// Every live session of the last sample, in the database's order.
    pub sessions: Vec<SessionRow>,
    /// The header figures of the last sample.
    pub overview: Overview,
    /// Rates and their history.
    tracker: Tracker,
    /// Filters and sort order of the session table.
    pub view: View,
    /// What keys do now.
    pub mode: Mode,
    /// The selected session's id.
    pub selected: Option<String>,
    /// The selected row's position (kept when its session disappears).
    cursor: usize,
    /// Whether the key line lists every key.
    pub help: bool,
    /// Why the last poll failed, while polls keep failing.
    pub problem: Option<String>,
    /// The answer to the last command, until the next key.
    pub message: Option<String>,
    /// Wall-clock time of the last good sample, as shown.
    pub updated_at: Option<String>,
    /// Time between polls.
    pub interval: Duration,
}

impl App {
    /// An empty view, of `user`'s sessions only when given.
    pub fn new(user: Option<String>, interval: Duration) -> App {
        App {
            sessions: Vec::new(),
            overview: Overview::default(),
            tracker: Tracker::default(),
            view: View::new(user.filter(|u| !u.is_empty())),
            mode: Mode::Normal,
            selected: None,
            cursor: 0,
            help: false,
            problem: None,
            message: None,
            updated_at: None,
            interval,
        }
    }

    /// A good sample arrived at wall-clock time `at`.
    pub fn sample(&mut self, sample: Sample, at: String) {
        self.overview = self.tracker.update(&sample);
        self.sessions = sample.sessions;
        self.problem = None;
        self.updated_at = Some(at);
        self.fix_selection();
    }

    /// A poll failed; the last figures stay up.
    pub fn failed(&mut self, why: String) {
        self.problem = Some(why);
    }

    /// The answer to a kill request.
    pub fn killed(&mut self, id: &str, user: &str, result: Result<(), String>) {
        self.message = Some(match result {
            Ok(()) => format!(
                "asked every proxy to end session {id} of {user}; it leaves the list once ended"
            ),
            Err(why) => format!("could not ask the proxies to end session {id}: {why}"),
        });
    }

    /// The sessions shown: filtered, then sorted.
    pub fn visible(&self) -> Vec<&SessionRow> {
        self.view.apply(&self.sessions)
    }

    /// The selected row's position among [`visible`](Self::visible).
    pub fn cursor(&self) -> Option<usize> {
        self.selected.as_ref().map(|_| self.cursor)
    }

    /// Keeps the selection on the same session while it is shown, else
    /// moves it to the row now at the same position.
    fn fix_selection(&mut self) {
        let rows = self.visible();
        let found = self
            .selected
            .as_ref()
            .and_then(|id| rows.iter().position(|r| &r.id == id));
        let (cursor, selected) = match found {
            Some(i) => (i, self.selected.clone()),
            None => match rows.len().checked_sub(1) {
                None => (0, None),
                Some(last) => {
                    let i = self.cursor.min(last);
                    (i, Some(rows[i].id.clone()))
                }
            },
        };
        self.cursor = cursor;
        self.selected = selected;
    }

    /// Selects the row at `cursor`, or the last one.
    fn select(&mut self, cursor: usize) {
        let rows = self.visible();
        if let Some(last) = rows.len().checked_sub(1) {
            let i = cursor.min(last);
            let id = rows[i].id.clone();
            self.cursor = i;
            self.selected = Some(id);
        }
    }

    /// Applies a key; returns what the caller must do.
    pub fn key(&mut self, key: KeyEvent) -> Action {
        if key.kind == KeyEventKind::Release {
            return Action::None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return Action::Quit;
        }
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Normal => {
                self.message = None;
                self.command(key.code)
            }
            Mode::Filter => {
                self.filter_key(key.code, ctrl);
                Action::None
            }
            Mode::Confirm { id, user, .. } => match key.code {
                KeyCode::Char('y' | 'Y') => {
                    self.message = Some(format!("ending session {id} of {user}…"));
                    Action::Kill { id, user }
                }
                _ => {
                    self.message = Some(format!("session {id} of {user} left running"));
                    Action::None
                }
            },
        }
    }

    fn command(&mut self, code: KeyCode) -> Action {
        match code {
            KeyCode::Char('q') => return Action::Quit,
            KeyCode::Char('s') => {
                self.view.next_sort();
                self.fix_selection();
            }
            KeyCode::Char('r') => {
                self.view.descending = !self.view.descending;
                self.fix_selection();
            }
            KeyCode::Char('/') => self.mode = Mode::Filter,
            KeyCode::Esc => {
                self.view.filter.clear();
                self.fix_selection();
            }
            KeyCode::Char('?') => self.help = !self.help,
            KeyCode::Char('k') => {
                let target = self.selected.as_ref().and_then(|id| {
                    self.visible()
                        .into_iter()
                        .find(|s| &s.id == id)
                        .map(|s| (s.id.clone(), s.user.clone(), s.client.clone()))
                });
                match target {
                    Some((id, user, client)) => self.mode = Mode::Confirm { id, user, client },
                    None => self.message = Some("no session selected".to_owned()),
                }
            }
            KeyCode::Up => self.select(self.cursor.saturating_sub(1)),
            KeyCode::Down | KeyCode::Char('j') if self.selected.is_none() => self.select(0),
            KeyCode::Down | KeyCode::Char('j') => self.select(self.cursor + 1),
            KeyCode::PageUp => self.select(self.cursor.saturating_sub(PAGE)),
            KeyCode::PageDown => self.select(self.cursor + PAGE),
            KeyCode::Home => self.select(0),
            KeyCode::End => self.select(usize::MAX),
            _ => {}
        }
        Action::None
    }

    /// A key while typing the filter: the table follows every change.
    fn filter_key(&mut self, code: KeyCode, ctrl: bool) {
        match code {
            KeyCode::Enter => {}
            KeyCode::Esc => self.view.filter.clear(),
            KeyCode::Backspace => {
                self.view.filter.pop();
                self.mode = Mode::Filter;
            }
            KeyCode::Char('u') if ctrl => {
                self.view.filter.clear();
                self.mode = Mode::Filter;
            }
            KeyCode::Char(c) if !ctrl => {
                self.view.filter.push(c);
                self.mode = Mode::Filter;
            }
            _ => self.mode = Mode::Filter,
        }
        self.fix_selection();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::top::sessions::Column;

    fn row(id: &str, user: &str, login_at: f64) -> SessionRow {
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
            rows: 0,
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    fn sample(sessions: Vec<SessionRow>) -> Sample {
        Sample {
            proxies: Vec::new(),
            sessions,
        }
    }

    /// carol logged in first, then bob, then alice.
    fn app() -> App {
        let mut app = App::new(None, Duration::from_secs(1));
        app.sample(
            sample(vec![
                row("1", "carol", 10.0),
                row("2", "alice", 30.0),
                row("3", "bob", 20.0),
            ]),
            "12:00:00".into(),
        );
        app
    }

    fn press(app: &mut App, code: KeyCode) -> Action {
        app.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }

    fn ids(app: &App) -> Vec<&str> {
        app.visible().iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn s_cycles_the_sort_column_and_r_reverses_it() {
        let mut app = app();
        assert_eq!(ids(&app), ["1", "3", "2"], "longest since login first");
        press(&mut app, KeyCode::Char('r'));
        assert_eq!(ids(&app), ["2", "3", "1"]);
        for _ in 0..6 {
            press(&mut app, KeyCode::Char('s'));
        }
        assert_eq!(app.view.sort, Column::User);
        assert_eq!(ids(&app), ["2", "3", "1"]);
        press(&mut app, KeyCode::Char('r'));
        assert_eq!(ids(&app), ["1", "3", "2"]);
        for _ in Column::ALL {
            press(&mut app, KeyCode::Char('s'));
        }
        assert_eq!(app.view.sort, Column::User, "s comes back round");
    }

    #[test]
    fn slash_filters_as_you_type_enter_keeps_it_and_esc_clears_it() {
        let mut app = app();
        press(&mut app, KeyCode::Char('/'));
        assert_eq!(app.mode, Mode::Filter);
        typed(&mut app, "boz");
        assert!(ids(&app).is_empty());
        press(&mut app, KeyCode::Backspace);
        assert_eq!(ids(&app), ["3"]);
        assert_eq!(app.selected.as_deref(), Some("3"), "the selection follows");
        press(&mut app, KeyCode::Enter);
        assert_eq!((app.mode.clone(), ids(&app)), (Mode::Normal, vec!["3"]));
        // Esc in the table clears it too.
        press(&mut app, KeyCode::Esc);
        assert_eq!((app.view.filter.as_str(), ids(&app).len()), ("", 3));
        press(&mut app, KeyCode::Char('/'));
        typed(&mut app, "q");
        assert_eq!(app.view.filter, "q", "q is typed, not quit");
        press(&mut app, KeyCode::Esc);
        assert_eq!(
            (app.mode.clone(), app.view.filter.as_str()),
            (Mode::Normal, "")
        );
        press(&mut app, KeyCode::Char('/'));
        typed(&mut app, "al");
        app.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(
            (app.mode.clone(), app.view.filter.as_str()),
            (Mode::Filter, "")
        );
    }

    #[test]
    fn the_user_option_shows_that_user_only() {
        let mut app = App::new(Some("alice".into()), Duration::from_secs(1));
        app.sample(
            sample(vec![row("1", "alice", 1.0), row("2", "alice2", 2.0)]),
            "t".into(),
        );
        assert_eq!(ids(&app), ["1"]);
    }

    #[test]
    fn arrows_and_j_move_the_selection_which_follows_its_session() {
        let mut app = app();
        assert_eq!(app.selected.as_deref(), Some("1"), "first row preselected");
        press(&mut app, KeyCode::Char('j'));
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        assert_eq!(
            (app.selected.as_deref(), app.cursor()),
            (Some("2"), Some(2))
        );
        press(&mut app, KeyCode::Char('r'));
        assert_eq!(
            (app.selected.as_deref(), app.cursor()),
            (Some("2"), Some(0))
        );
        press(&mut app, KeyCode::End);
        press(&mut app, KeyCode::Up);
        assert_eq!(app.selected.as_deref(), Some("3"));
        press(&mut app, KeyCode::PageUp);
        assert_eq!(app.selected.as_deref(), Some("2"));
        press(&mut app, KeyCode::PageDown);
        assert_eq!(app.selected.as_deref(), Some("1"));
        // The selected session ends: the row now in its place is selected.
        app.sample(
            sample(vec![row("2", "alice", 30.0), row("3", "bob", 20.0)]),
            "t".into(),
        );
        assert_eq!(
            (app.selected.as_deref(), app.cursor()),
            (Some("3"), Some(1))
        );
        app.sample(Sample::default(), "t".into());
        assert_eq!((app.selected.clone(), app.cursor()), (None, None));
    }

    #[test]
    fn k_asks_first_and_only_y_kills() {
        let mut app = app();
        press(&mut app, KeyCode::Down);
        assert_eq!(press(&mut app, KeyCode::Char('k')), Action::None);
        assert_eq!(
            app.mode,
            Mode::Confirm {
                id: "3".into(),
                user: "bob".into(),
                client: "127.0.0.1:5003".into(),
            }
        );
        assert_eq!(press(&mut app, KeyCode::Char('n')), Action::None);
        assert_eq!(app.mode, Mode::Normal);
        assert!(
            app.message
                .as_deref()
                .unwrap_or_default()
                .contains("left running")
        );
        press(&mut app, KeyCode::Char('k'));
        assert_eq!(app.message, None, "a key clears the last answer");
        assert_eq!(
            press(&mut app, KeyCode::Char('y')),
            Action::Kill {
                id: "3".into(),
                user: "bob".into()
            }
        );
        assert_eq!(app.mode, Mode::Normal);
        app.killed("3", "bob", Err("connection refused".into()));
        assert!(
            app.message
                .as_deref()
                .unwrap_or_default()
                .contains("connection refused")
        );
    }

    #[test]
    fn k_without_a_shown_session_says_so() {
        let mut app = app();
        press(&mut app, KeyCode::Char('/'));
        typed(&mut app, "nobody");
        press(&mut app, KeyCode::Enter);
        assert_eq!(press(&mut app, KeyCode::Char('k')), Action::None);
        assert_eq!(app.mode, Mode::Normal);
        assert_eq!(app.message.as_deref(), Some("no session selected"));
    }

    #[test]
    fn q_quits_and_ctrl_c_quits_in_every_mode() {
        let mut app = app();
        assert_eq!(press(&mut app, KeyCode::Char('q')), Action::Quit);
        assert_eq!(
            press(&mut app, KeyCode::Esc),
            Action::None,
            "Esc only clears"
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        press(&mut app, KeyCode::Char('/'));
        assert_eq!(app.key(ctrl_c), Action::Quit);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('k'));
        assert!(matches!(app.mode, Mode::Confirm { .. }));
        assert_eq!(app.key(ctrl_c), Action::Quit);
    }

    #[test]
    fn key_releases_are_ignored_and_question_mark_toggles_help() {
        let mut app = app();
        let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(app.key(release), Action::None);
        press(&mut app, KeyCode::Char('?'));
        assert!(app.help);
        press(&mut app, KeyCode::Char('?'));
        assert!(!app.help);
    }
}
