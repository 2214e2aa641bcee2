//! The audit log: one JSON object per line for logins, failures, password
//! changes and session ends. Never a password, secret or (unless asked) a
//! query.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Mutex;

use serde_json::{Value, json};

/// Where audit events go.
pub struct Audit {
    out: Mutex<Box<dyn Write + Send>>,
}

impl std::fmt::Debug for Audit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Audit")
    }
}

impl Audit {
    /// Appends to `path` (created with mode 0600), or writes to stderr.
    pub fn open(path: Option<&Path>) -> std::io::Result<Audit> {
        let out: Box<dyn Write + Send> = match path {
            Some(path) => {
                use std::os::unix::fs::OpenOptionsExt;
                Box::new(
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .mode(0o600)
                        .open(path)?,
                )
            }
            None => Box::new(std::io::stderr()),
        };
        Ok(Audit {
            out: Mutex::new(out),
        })
    }

    /// Records an event: `event` names it, `fields` add to it.
    pub fn record(&self, event: &str, peer: Option<SocketAddr>, fields: Value) {
        let mut line = json!({
            "ts": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "event": event,
        });
        if let Some(peer) = peer {
            line["peer"] = json!(peer.to_string());
        }
        if let (Some(obj), Value::Object(extra)) = (line.as_object_mut(), fields) {
            obj.extend(extra);
        }
        self.write(&line);
    }

    /// Records an operator's action, with who did it as far as this
    /// machine knows (`SUDO_USER`, else `USER`).
    pub fn admin(&self, event: &str, mut fields: Value) {
        let by = std::env::var("SUDO_USER")
            .or_else(|_| std::env::var("USER"))
            .unwrap_or_default();
        if let Value::Object(obj) = &mut fields {
            obj.insert("by".to_owned(), json!(by));
        }
        self.record(event, None, fields);
    }

    fn write(&self, line: &Value) {
        let Ok(mut out) = self.out.lock() else {
            return;
        };
        // An audit write failure must not take a session down; it is logged.
        if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
            tracing::error!(error = %e, "cannot write the audit log");
        }
    }
}
