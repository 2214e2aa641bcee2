//! `cor4-proxy top`: a live terminal view of every proxy sharing the
//! database, for operators.
//!
//! ```text
//!  source (task): user store ─every interval─▶ Sample ──┐
//!                 ◀── Request::Kill ──────────────────┐ │ Update
//!  keyboard (thread): crossterm events ──────────────┐│ ▼
//!                                       main loop: input::App ─▶ view::draw
//! ```
//!
//! [`data`] turns samples into rates, [`sessions`] filters and sorts the
//! session table, [`input`] holds the state and what each key does,
//! [`view`] draws it ([`table`] the session table), [`source`] talks to the
//! database. The terminal is
//! restored on every way out: quitting, an error, SIGTERM or SIGHUP, a
//! panic.

mod data;
mod input;
mod sessions;
mod source;
mod table;
mod view;

use std::io::IsTerminal;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crossterm::event::Event;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use input::{Action, App};
pub use source::{AnyError, OpenStore};

/// `top`'s command-line options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time between polls of the database.
    pub interval: Duration,
    /// Show only this user's sessions.
    pub user: Option<String>,
    /// Where kills are recorded.
    pub audit: Option<std::sync::Arc<crate::audit::Audit>>,
}

/// Why `top` will not run with its output or input redirected.
const NOT_A_TERMINAL: &str = "`top` draws on a terminal and reads keys from it, but standard \
    input or output is not one; `cor4-proxy sessions` prints a plain list (--json for scripts)";

/// How often the keyboard thread checks whether `top` is still running.
const KEY_POLL: Duration = Duration::from_millis(100);

/// Runs the view until the operator quits.
pub async fn run(open: OpenStore, options: Options) -> Result<(), AnyError> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(NOT_A_TERMINAL.into());
    }
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let (request_tx, request_rx) = mpsc::channel(8);
    let (update_tx, mut updates) = mpsc::channel(8);
    let poller = tokio::spawn(source::run(
        open,
        options.interval,
        options.audit.clone(),
        request_rx,
        update_tx,
    ));
    let mut screen = match Screen::enter() {
        Ok(screen) => screen,
        Err(e) => {
            poller.abort();
            return Err(e);
        }
    };
    // Keys are read only once the terminal is in raw mode.
    let (key_tx, mut keys) = mpsc::channel(64);
    std::thread::spawn(move || read_keys(&key_tx));
    let mut app = App::new(options.user, options.interval);
    let result = loop {
        if let Err(e) = screen.draw(&app) {
            break Err(format!("cannot draw on the terminal: {e}").into());
        }
        tokio::select! {
            update = updates.recv() => match update {
                Some(source::Update::Sample(sample)) => app.sample(sample, clock()),
                Some(source::Update::Failed(why)) => app.failed(why),
                Some(source::Update::Killed { id, user, result }) => app.killed(&id, &user, result),
                None => break Err("the database poller stopped unexpectedly".into()),
            },
            event = keys.recv() => match event {
                Some(Ok(Event::Key(key))) => match app.key(key) {
                    Action::None => {}
                    Action::Quit => break Ok(()),
                    Action::Kill { id, user } => {
                        if request_tx.send(source::Request::Kill { id, user }).await.is_err() {
                            break Err("the database poller stopped unexpectedly".into());
                        }
                    }
                },
                Some(Ok(_)) => {}
                Some(Err(e)) => break Err(format!("cannot read the keyboard: {e}").into()),
                None => break Err("the keyboard reader stopped unexpectedly".into()),
            },
            // Asked to stop (or the terminal went away): leave it clean.
            _ = terminate.recv() => break Ok(()),
            _ = hangup.recv() => break Ok(()),
        }
    };
    poller.abort();
    drop(screen);
    result
}

/// The wall-clock time shown beside the data.
fn clock() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}

/// Reads terminal events until the receiver is gone.
fn read_keys(keys: &mpsc::Sender<std::io::Result<Event>>) {
    loop {
        if keys.is_closed() {
            return;
        }
        let event = match crossterm::event::poll(KEY_POLL) {
            Ok(false) => continue,
            Ok(true) => crossterm::event::read(),
            Err(e) => Err(e),
        };
        let failed = event.is_err();
        if keys.blocking_send(event).is_err() || failed {
            return;
        }
    }
}

/// The terminal in raw mode on the alternate screen, restored on drop (and
/// by ratatui's panic hook on a panic).
struct Screen {
    terminal: ratatui::DefaultTerminal,
}

impl Screen {
    fn enter() -> Result<Screen, AnyError> {
        match ratatui::try_init() {
            Ok(terminal) => Ok(Screen { terminal }),
            Err(e) => {
                ratatui::restore();
                Err(format!("cannot set up the terminal: {e}").into())
            }
        }
    }

    fn draw(&mut self, app: &App) -> std::io::Result<()> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        self.terminal.draw(|frame| view::draw(frame, app, now))?;
        Ok(())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.terminal.show_cursor();
        ratatui::restore();
    }
}
