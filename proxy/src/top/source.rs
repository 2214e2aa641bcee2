//! The poller behind `top`: opens the user store (again and again until
//! the database answers), reads the live proxies and their sessions every
//! interval, and queues the kills the operator confirms. It reports to the
//! screen over a channel, so a slow or unreachable database never freezes
//! the keyboard.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{MissedTickBehavior, timeout};

use super::data::Sample;
use crate::audit::Audit;
use crate::registry::{Control, notify_control};
use crate::users::UserStore;

/// A boxed error from opening the store.
pub type AnyError = Box<dyn Error + Send + Sync>;

/// Opens the user store: connects, and brings the embedded cluster's
/// database or the URL's database up to the current schema.
pub type OpenStore = Box<
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<UserStore, AnyError>> + Send>> + Send + Sync,
>;

/// How long one poll or one kill may wait for the database before `top`
/// gives up on the connection and opens a new one.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// What the screen asks of the poller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Have the proxy holding session `id` end it with ERROR 38.
    Kill {
        /// The session.
        id: String,
        /// Its user, for the answer.
        user: String,
    },
}

/// What the poller tells the screen.
#[derive(Debug)]
pub enum Update {
    /// A fresh sample.
    Sample(Sample),
    /// The poll failed: what happened and what to check.
    Failed(String),
    /// A kill was queued for every proxy, or could not be.
    Killed {
        /// The session.
        id: String,
        /// Its user.
        user: String,
        /// Why it could not be queued.
        result: Result<(), String>,
    },
}

/// Polls every `interval` until `requests` or `updates` closes.
pub async fn run(
    open: OpenStore,
    interval: Duration,
    audit: Option<Arc<Audit>>,
    mut requests: mpsc::Receiver<Request>,
    updates: mpsc::Sender<Update>,
) {
    let mut store: Option<UserStore> = None;
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let every = format!("{}s", interval.as_secs_f64());
    loop {
        let update = tokio::select! {
            _ = ticks.tick() => match timeout(ANSWER_TIMEOUT, poll(&open, &mut store)).await {
                Ok(Ok(sample)) => Update::Sample(sample),
                Ok(Err(why)) => Update::Failed(format!("{why}; retrying every {every}")),
                Err(_) => {
                    // The connection may hang on a dead network path:
                    // start over with a fresh one.
                    store = None;
                    Update::Failed(format!(
                        "the database did not answer within {} s; reconnecting every {every}",
                        ANSWER_TIMEOUT.as_secs()
                    ))
                }
            },
            request = requests.recv() => match request {
                None => return,
                Some(Request::Kill { id, user }) => {
                    let result = kill(store.as_ref(), &id).await;
                    if let (Ok(()), Some(audit)) = (&result, &audit) {
                        audit.admin(
                            "session_kill",
                            serde_json::json!({"session": id, "user": user, "from": "top"}),
                        );
                    }
                    Update::Killed { id, user, result }
                }
            },
        };
        if updates.send(update).await.is_err() {
            return;
        }
    }
}

/// One sample, opening the store first if there is none yet.
async fn poll(open: &OpenStore, store: &mut Option<UserStore>) -> Result<Sample, String> {
    let store = match store {
        Some(store) => store,
        None => store.insert(open().await.map_err(|e| {
            format!(
                "cannot reach the database: {}. Is PostgreSQL running, and is \
                 --database-url (COR4_DATABASE_URL) right?",
                explain(e.as_ref())
            )
        })?),
    };
    let read = async {
        let proxies = store.live_proxies().await?;
        let sessions = store.live_sessions().await?;
        Ok::<_, crate::users::UserError>(Sample { proxies, sessions })
    };
    read.await
        .map_err(|e| format!("cannot read the session list: {}", explain(&e)))
}

/// Queues the kill of session `id` for every proxy.
async fn kill(store: Option<&UserStore>, id: &str) -> Result<(), String> {
    let Some(store) = store else {
        return Err("not connected to the database (see the error above); \
                    try again once it answers"
            .to_owned());
    };
    match timeout(
        ANSWER_TIMEOUT,
        notify_control(store, &Control::KillSession(id.to_owned())),
    )
    .await
    {
        Ok(result) => result.map_err(|e| explain(&e)),
        Err(_) => Err(format!(
            "the database did not answer within {} s",
            ANSWER_TIMEOUT.as_secs()
        )),
    }
}

/// An error with its causes, each said once (`user store: db error` alone
/// hides what PostgreSQL said).
pub fn explain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let part = cause.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref().map(|l| l as &(dyn Error + 'static))
        }
    }

    #[test]
    fn explain_names_every_cause_once() {
        let e = Layer(
            "user store: db error",
            Some(Box::new(Layer(
                "db error",
                Some(Box::new(Layer(
                    "ERROR: permission denied for schema cor4",
                    None,
                ))),
            ))),
        );
        assert_eq!(
            explain(&e),
            "user store: db error: ERROR: permission denied for schema cor4"
        );
    }

    #[tokio::test]
    async fn an_unreachable_database_is_reported_and_retried() {
        let attempts = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = attempts.clone();
        let open: OpenStore = Box::new(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Box::pin(async { Err::<UserStore, AnyError>("connection refused".into()) })
        });
        let (_requests, request_rx) = mpsc::channel(1);
        let (update_tx, mut updates) = mpsc::channel(1);
        let poller = tokio::spawn(run(
            open,
            Duration::from_millis(10),
            None,
            request_rx,
            update_tx,
        ));
        for _ in 0..3 {
            match updates.recv().await {
                Some(Update::Failed(why)) => {
                    assert!(
                        why.contains("cannot reach the database: connection refused"),
                        "{why}"
                    );
                    assert!(why.contains("retrying every 0.01s"), "{why}");
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(attempts.load(std::sync::atomic::Ordering::Relaxed) >= 3);
        drop(updates);
        poller.await.unwrap();
    }

    #[tokio::test]
    async fn a_kill_without_a_connection_says_why() {
        let open: OpenStore =
            Box::new(|| Box::pin(async { Err::<UserStore, AnyError>("refused".into()) }));
        let (requests, request_rx) = mpsc::channel(1);
        let (update_tx, mut updates) = mpsc::channel(1);
        let poller = tokio::spawn(run(
            open,
            Duration::from_secs(3600),
            None,
            request_rx,
            update_tx,
        ));
        assert!(matches!(updates.recv().await, Some(Update::Failed(_))));
        requests
            .send(Request::Kill {
                id: "abc".into(),
                user: "u".into(),
            })
            .await
            .unwrap();
        match updates.recv().await {
            Some(Update::Killed {
                id,
                result: Err(why),
                ..
            }) => {
                assert_eq!(id, "abc");
                assert!(why.contains("not connected"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        drop(requests);
        poller.await.unwrap();
    }
}
