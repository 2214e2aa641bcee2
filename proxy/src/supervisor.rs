//! Keeps the embedded PostgreSQL running: a watcher notices a dead
//! postmaster within [`CHECK`], marks the database down (logins get ERROR 35
//! meanwhile) and starts it again, retrying with a doubling backoff, and
//! logs each death and restart.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::pg_embedded::EmbeddedCluster;

/// How often the postmaster is looked for.
const CHECK: Duration = Duration::from_millis(250);
/// The first wait after a failed restart; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Whether PostgreSQL is believed to be up: cleared by the supervisor
/// while it restarts the embedded server.
#[derive(Debug)]
pub struct DatabaseStatus {
    up: AtomicBool,
}

impl Default for DatabaseStatus {
    fn default() -> Self {
        DatabaseStatus {
            up: AtomicBool::new(true),
        }
    }
}

impl DatabaseStatus {
    /// True unless the server is known to be down.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }

    fn set(&self, up: bool) {
        self.up.store(up, Ordering::Relaxed);
    }
}

/// Watches `cluster` until `shutdown`, restarting it when it dies.
pub fn spawn(
    cluster: Arc<EmbeddedCluster>,
    status: Arc<DatabaseStatus>,
    mut shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = tokio::time::sleep(CHECK) => {}
                _ = shutdown.changed() => return,
            }
            if cluster.postmaster_pid().is_some() {
                continue;
            }
            status.set(false);
            tracing::error!(
                log = %cluster.log_file().display(),
                "embedded PostgreSQL stopped unexpectedly; refusing logins and restarting it"
            );
            let down_since = Instant::now();
            let mut backoff = FIRST_BACKOFF;
            for attempt in 1u32.. {
                let restarting = Arc::clone(&cluster);
                let result = tokio::task::spawn_blocking(move || restarting.restart()).await;
                match result {
                    Ok(Ok(())) => {
                        status.set(true);
                        tracing::info!(
                            attempt,
                            down_ms =
                                u64::try_from(down_since.elapsed().as_millis()).unwrap_or(u64::MAX),
                            "embedded PostgreSQL restarted; accepting logins again"
                        );
                        break;
                    }
                    Ok(Err(e)) => tracing::error!(
                        attempt,
                        error = %e,
                        retry_in_ms = u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX),
                        "restarting embedded PostgreSQL failed"
                    ),
                    Err(e) => {
                        tracing::error!(attempt, error = %e, "restarting embedded PostgreSQL failed")
                    }
                }
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    _ = shutdown.changed() => return,
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    })
}
