//! The shared list of live sessions and the control queue in schema `cor4`:
//! every proxy writes its sessions to `cor4.sessions` (and a heartbeat to
//! `cor4.proxies`) and reads `cor4.control` for kill requests, so an
//! operator reaches every proxy on the database from anywhere.

use super::{UserError, UserStore};
use crate::metrics::Stats;
use crate::registry::SessionRow;

/// One request from `cor4.control`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlRow {
    /// Its position in the queue.
    pub id: i64,
    /// `kill` (one session) or `kill_user`.
    pub op: String,
    /// The session, for `kill`.
    pub session: Option<String>,
    /// The user, for `kill_user`.
    pub user: Option<String>,
    /// `operator`, `locked` or `replaced`.
    pub reason: String,
    /// A session of the user to spare (the newer login, for `replaced`).
    pub except: Option<String>,
}

/// Heartbeats older than this mark a proxy as gone.
pub const PROXY_STALE_SECONDS: f64 = 10.0;

/// A proxy whose heartbeat is fresh, with the counters it last published.
#[derive(Debug, Clone, PartialEq)]
pub struct ProxyStats {
    /// Its instance name.
    pub name: String,
    /// When it last published, seconds since the epoch by the database's
    /// clock (so rates never mix two machines' clocks).
    pub seen_at: f64,
    /// Its counters then.
    pub stats: Stats,
}

impl UserStore {
    /// Replaces `instance`'s rows in `cor4.sessions` with `rows` and beats
    /// its heartbeat, with its counters `stats`.
    pub async fn publish_sessions(
        &self,
        instance: &str,
        rows: &[SessionRow],
        stats: &Stats,
    ) -> Result<(), UserError> {
        // Plain numbers and string keys: serializing cannot fail.
        let stats = serde_json::to_string(stats).unwrap_or_else(|_| "{}".to_owned());
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let users: Vec<&str> = rows.iter().map(|r| r.user.as_str()).collect();
        let clients: Vec<&str> = rows.iter().map(|r| r.client.as_str()).collect();
        let logins: Vec<f64> = rows.iter().map(|r| r.login_at).collect();
        let states: Vec<&str> = rows.iter().map(|r| r.state.as_str()).collect();
        let running: Vec<Option<f64>> = rows.iter().map(|r| r.query_seconds).collect();
        let texts: Vec<Option<&str>> = rows.iter().map(|r| r.query.as_deref()).collect();
        let count = |f: fn(&SessionRow) -> u64| -> Vec<i64> {
            rows.iter()
                .map(|r| i64::try_from(f(r)).unwrap_or(i64::MAX))
                .collect()
        };
        let queries = count(|r| r.queries);
        let sent = count(|r| r.rows);
        let bytes_in = count(|r| r.bytes_in);
        let bytes_out = count(|r| r.bytes_out);
        let client = self.read().await?;
        client
            .execute(
                "INSERT INTO cor4.proxies (name, stats) VALUES ($1, $2::text::jsonb) \
                 ON CONFLICT (name) DO UPDATE SET seen_at = now(), stats = EXCLUDED.stats",
                &[&instance, &stats],
            )
            .await?;
        client
            .execute(
                "DELETE FROM cor4.sessions WHERE proxy = $1 AND id <> ALL($2)",
                &[&instance, &ids],
            )
            .await?;
        if rows.is_empty() {
            return Ok(());
        }
        client
            .execute(
                "INSERT INTO cor4.sessions AS s (id, proxy, user_name, client, login_at, state, \
                     query_seconds, queries, rows, bytes_in, bytes_out, query, seen_at) \
                 SELECT t.id, $1, t.u, t.c, pg_catalog.to_timestamp(t.l), t.st, t.q, t.n, t.r, \
                     t.bi, t.bo, t.sql, now() \
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], \
                     $7::float8[], $8::int8[], $9::int8[], $10::int8[], $11::int8[], \
                     $12::text[]) \
                     AS t(id, u, c, l, st, q, n, r, bi, bo, sql) \
                 ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, \
                     query_seconds = EXCLUDED.query_seconds, queries = EXCLUDED.queries, \
                     rows = EXCLUDED.rows, bytes_in = EXCLUDED.bytes_in, \
                     bytes_out = EXCLUDED.bytes_out, query = EXCLUDED.query, seen_at = now()",
                &[
                    &instance, &ids, &users, &clients, &logins, &states, &running, &queries, &sent,
                    &bytes_in, &bytes_out, &texts,
                ],
            )
            .await?;
        Ok(())
    }

    /// Removes `instance` and its sessions from the shared list (a proxy
    /// stopping).
    pub async fn withdraw_proxy(&self, instance: &str) -> Result<(), UserError> {
        let client = self.read().await?;
        client
            .execute("DELETE FROM cor4.sessions WHERE proxy = $1", &[&instance])
            .await?;
        client
            .execute("DELETE FROM cor4.proxies WHERE name = $1", &[&instance])
            .await?;
        Ok(())
    }

    /// Every live session of every proxy whose heartbeat is fresh.
    pub async fn live_sessions(&self) -> Result<Vec<SessionRow>, UserError> {
        let client = self.read().await?;
        let rows = client
            .query(
                "SELECT id, proxy, user_name, client, \
                     extract(epoch FROM login_at)::float8, state, query_seconds, \
                     queries, rows, bytes_in, bytes_out, query \
                 FROM cor4.live_sessions ORDER BY login_at, id",
                &[],
            )
            .await?;
        let n = |row: &tokio_postgres::Row, i: usize| -> Result<u64, UserError> {
            Ok(u64::try_from(row.try_get::<_, i64>(i)?).unwrap_or(0))
        };
        rows.iter()
            .map(|row| {
                Ok(SessionRow {
                    id: row.try_get(0)?,
                    proxy: row.try_get(1)?,
                    user: row.try_get(2)?,
                    client: row.try_get(3)?,
                    login_at: row.try_get(4)?,
                    state: row.try_get(5)?,
                    query_seconds: row.try_get(6)?,
                    queries: n(row, 7)?,
                    rows: n(row, 8)?,
                    bytes_in: n(row, 9)?,
                    bytes_out: n(row, 10)?,
                    query: row.try_get(11)?,
                })
            })
            .collect()
    }

    /// Every proxy whose heartbeat is fresh, with its counters, by name.
    pub async fn live_proxies(&self) -> Result<Vec<ProxyStats>, UserError> {
        let client = self.read().await?;
        let rows = client
            .query(
                "SELECT name, extract(epoch FROM seen_at)::float8, stats::text \
                 FROM cor4.proxies WHERE seen_at > now() - make_interval(secs => $1) \
                 ORDER BY name",
                &[&PROXY_STALE_SECONDS],
            )
            .await?;
        rows.iter()
            .map(|row| {
                let text: String = row.try_get(2)?;
                Ok(ProxyStats {
                    name: row.try_get(0)?,
                    seen_at: row.try_get(1)?,
                    // Unknown fields (a newer proxy) are ignored and missing
                    // ones are zero; counters that do not parse at all count
                    // as zeros rather than hiding every other proxy's.
                    stats: serde_json::from_str(&text).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Live sessions of `user` held by proxies other than `instance`.
    pub async fn sessions_elsewhere(&self, user: &str, instance: &str) -> Result<i64, UserError> {
        let client = self.read().await?;
        let row = client
            .query_one(
                "SELECT count(*) FROM cor4.live_sessions WHERE user_name = $1 AND proxy <> $2",
                &[&user, &instance],
            )
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Marks the account locked (new logins are refused) without touching
    /// its live sessions; [`Self::terminate_backends`] ends what remains.
    pub async fn mark_locked(&self, name: &str) -> Result<(), UserError> {
        let client = self.read().await?;
        let n = client
            .execute(
                "UPDATE cor4.users SET status = 'locked' WHERE name = $1",
                &[&name],
            )
            .await?;
        if n == 0 {
            return Err(UserError::NoSuchUser);
        }
        Ok(())
    }

    /// Ends every PostgreSQL backend of `name`'s role; returns how many.
    pub async fn terminate_backends(&self, name: &str) -> Result<i64, UserError> {
        let mut client = self.write().await?;
        let tx = client.transaction().await?;
        let row = tx
            .query_opt("SELECT role FROM cor4.users WHERE name = $1", &[&name])
            .await?;
        let role: String = row.ok_or(UserError::NoSuchUser)?.try_get(0)?;
        let ended = super::roles::terminate_sessions(&tx, &role, self.superuser).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Whether the store's database answers.
    pub async fn ping(&self) -> Result<(), UserError> {
        let client = self.read().await?;
        client.simple_query("SELECT 1").await?;
        Ok(())
    }

    /// Queues a control request for every proxy.
    pub async fn send_control(
        &self,
        op: &str,
        session: Option<&str>,
        user: Option<&str>,
        reason: &str,
        except: Option<&str>,
    ) -> Result<(), UserError> {
        let client = self.read().await?;
        client
            .execute(
                "INSERT INTO cor4.control (op, session, user_name, reason, except_session) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[&op, &session, &user, &reason, &except],
            )
            .await?;
        Ok(())
    }

    /// The newest control request's position (where a starting proxy
    /// begins reading).
    pub async fn control_position(&self) -> Result<i64, UserError> {
        let client = self.read().await?;
        let row = client
            .query_one("SELECT coalesce(max(id), 0) FROM cor4.control", &[])
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Control requests after `after`, oldest first; requests older than a
    /// minute are dropped from the queue on the way.
    pub async fn control_after(&self, after: i64) -> Result<Vec<ControlRow>, UserError> {
        let client = self.read().await?;
        client
            .execute(
                "DELETE FROM cor4.control WHERE at < now() - interval '1 minute'",
                &[],
            )
            .await?;
        let rows = client
            .query(
                "SELECT id, op, session, user_name, reason, except_session \
                 FROM cor4.control WHERE id > $1 ORDER BY id",
                &[&after],
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ControlRow {
                    id: row.try_get(0)?,
                    op: row.try_get(1)?,
                    session: row.try_get(2)?,
                    user: row.try_get(3)?,
                    reason: row.try_get(4)?,
                    except: row.try_get(5)?,
                })
            })
            .collect()
    }
}
