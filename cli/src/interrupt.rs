//! Ctrl-C, psql's way: while a query runs it sends a cancel request
//! ("Cancel request sent"); while a script runs between queries it stops
//! the script. At the interactive prompt the terminal is raw and Ctrl-C is
//! a key the line editor handles, so no signal arrives there.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

static PRESSED: AtomicBool = AtomicBool::new(false);

fn notify() -> &'static Notify {
    static NOTIFY: OnceLock<Notify> = OnceLock::new();
    NOTIFY.get_or_init(Notify::new)
}

/// Takes SIGINT over from the default (ending the process) for the rest
/// of the run. Call once, inside the runtime.
pub fn install() {
    let Ok(mut signals) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
    else {
        return;
    };
    tokio::spawn(async move {
        while signals.recv().await.is_some() {
            PRESSED.store(true, Ordering::SeqCst);
            notify().notify_waiters();
        }
    });
}

/// Waits for the next Ctrl-C (one pressed earlier does not count).
pub async fn pressed() {
    notify().notified().await;
}

/// Whether Ctrl-C was pressed since the main loop last took it.
pub fn is_pressed() -> bool {
    PRESSED.load(Ordering::SeqCst)
}

/// Whether Ctrl-C was pressed since the last call; clears it.
pub fn take() -> bool {
    PRESSED.swap(false, Ordering::SeqCst)
}
