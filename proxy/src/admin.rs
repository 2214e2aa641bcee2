//! Operators' session commands: `cor4-proxy sessions` lists every live
//! session of every proxy on the database, `cor4-proxy kill` ends one (or
//! all of a user's) wherever it runs.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::registry::{Control, SessionRow, notify_control};
use crate::users::{UserError, UserStore};

/// `cor4-proxy sessions`: a table, or JSON lines with `--json`.
pub async fn list_sessions(store: &UserStore, json: bool) -> Result<(), UserError> {
    let rows = store.live_sessions().await?;
    if json {
        for row in &rows {
            println!("{}", serde_json::to_string(row).unwrap_or_default());
        }
        return Ok(());
    }
    print!("{}", table(&rows, SystemTime::now()));
    Ok(())
}

/// The sessions as aligned columns, one line each, newest login last.
pub fn table(rows: &[SessionRow], now: SystemTime) -> String {
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let header = [
        "ID", "USER", "CLIENT", "PROXY", "LOGIN", "STATE", "QUERY", "QUERIES", "ROWS", "IN", "OUT",
    ];
    let mut lines: Vec<Vec<String>> = vec![header.iter().map(|h| (*h).to_owned()).collect()];
    for r in rows {
        lines.push(vec![
            r.id.clone(),
            r.user.clone(),
            r.client.clone(),
            r.proxy.clone(),
            duration((now - r.login_at).max(0.0)),
            r.state.clone(),
            r.query_seconds.map(duration).unwrap_or_default(),
            r.queries.to_string(),
            r.rows.to_string(),
            bytes(r.bytes_in),
            bytes(r.bytes_out),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    if rows.is_empty() {
        out.push_str("(no live sessions)\n");
    }
    out
}

/// `1h02m`, `3m05s`, `4.2s`.
pub(crate) fn duration(seconds: f64) -> String {
    let whole = std::time::Duration::try_from_secs_f64(seconds).map_or(0, |d| d.as_secs());
    if whole >= 3600 {
        format!("{}h{:02}m", whole / 3600, whole % 3600 / 60)
    } else if whole >= 60 {
        format!("{}m{:02}s", whole / 60, whole % 60)
    } else {
        format!("{seconds:.1}s")
    }
}

/// `512B`, `1.5K`, `2.0M`.
pub(crate) fn bytes(n: u64) -> String {
    let n = n as f64;
    if n < 1024.0 {
        format!("{n}B")
    } else if n < 1024.0 * 1024.0 {
        format!("{:.1}K", n / 1024.0)
    } else if n < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1}M", n / 1024.0 / 1024.0)
    } else {
        format!("{:.1}G", n / 1024.0 / 1024.0 / 1024.0)
    }
}

/// `cor4-proxy kill ID` / `kill --user NAME`: queues the request for every
/// proxy; says how many sessions it targets.
pub async fn kill(
    store: &UserStore,
    id: Option<String>,
    user: Option<String>,
) -> Result<String, UserError> {
    let live = store.live_sessions().await?;
    match (id, user) {
        (Some(id), _) => {
            if !live.iter().any(|s| s.id == id) {
                return Ok(format!(
                    "no live session {id}; `cor4-proxy sessions` lists them"
                ));
            }
            notify_control(store, &Control::KillSession(id.clone())).await?;
            Ok(format!("Ending session {id}"))
        }
        (None, Some(user)) => {
            let n = live.iter().filter(|s| s.user == user).count();
            notify_control(
                store,
                &Control::KillUser {
                    user: user.clone(),
                    reason: "operator",
                    except: None,
                },
            )
            .await?;
            Ok(format!("Ending {n} session(s) of {user}"))
        }
        (None, None) => Ok("name a session id, or --user NAME".to_owned()),
    }
}

/// `cor4-proxy user lock`: refuses new logins at once, has every proxy
/// end the user's sessions with ERROR 2 (so clients learn why), then ends
/// whatever backend of the role is still there.
pub async fn lock_user(store: &UserStore, name: &str) -> Result<(), UserError> {
    store.mark_locked(name).await?;
    notify_control(
        store,
        &Control::KillUser {
            user: name.to_owned(),
            reason: "locked",
            except: None,
        },
    )
    .await?;
    // Give the proxies a moment to end the sessions themselves.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        let live = store.live_sessions().await?;
        if !live.iter().any(|s| s.user == name) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let ended = store.terminate_backends(name).await?;
    tracing::info!(user = name, backends_ended = ended, "user locked");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lines_up_and_shows_running_queries() {
        let row = SessionRow {
            id: "0123456789ab".into(),
            proxy: "host:7654".into(),
            user: "alice".into(),
            client: "127.0.0.1:5000".into(),
            login_at: 1000.0,
            state: "active".into(),
            query_seconds: Some(2.5),
            query: Some("SELECT pg_sleep(5)".into()),
            queries: 3,
            rows: 10,
            bytes_in: 100,
            bytes_out: 4096,
        };
        let text = table(&[row], UNIX_EPOCH + std::time::Duration::from_secs(1065));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("ID            USER"), "{text}");
        assert!(lines[1].contains("1m05s"), "{text}");
        assert!(lines[1].contains("2.5s"), "{text}");
        assert!(lines[1].ends_with("4.0K"), "{text}");
        assert_eq!(
            table(&[], SystemTime::now()).lines().last(),
            Some("(no live sessions)")
        );
    }
}
