//! SIGHUP: the configuration is read again (flags and environment as at
//! start, the config file as it is now) and what can change safely while
//! running takes effect for what follows: log level, timeouts, limits,
//! policies. The rest needs a restart and keeps its value, with a warning
//! that names it (`docs/operations.md`, Reload).

use std::fmt::Debug;

use crate::config::Config;

/// What a reload changed, and what it could not.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// `name: old → new`, for each setting now in force.
    pub applied: Vec<String>,
    /// Names of settings that changed but need a restart.
    pub restart_only: Vec<String>,
}

/// `new` with the restart-only settings of `old`, and what changed.
pub fn merge(old: &Config, new: Config) -> (Config, Changes) {
    let mut changes = Changes::default();
    let mut applied = |name: &str, before: &dyn Debug, after: &dyn Debug| {
        let (before, after) = (format!("{before:?}"), format!("{after:?}"));
        if before != after {
            changes.applied.push(format!("{name}: {before} → {after}"));
        }
    };
    applied("log_level", &old.log_level, &new.log_level);
    applied("max_packet", &old.max_packet, &new.max_packet);
    applied("login_timeout", &old.login_timeout, &new.login_timeout);
    applied("idle_timeout", &old.idle_timeout, &new.idle_timeout);
    applied("write_timeout", &old.write_timeout, &new.write_timeout);
    applied("max_sessions", &old.max_sessions, &new.max_sessions);
    applied("max_backends", &old.max_backends, &new.max_backends);
    applied(
        "max_pending_logins",
        &old.max_pending_logins,
        &new.max_pending_logins,
    );
    applied(
        "max_pending_per_address",
        &old.max_pending_per_address,
        &new.max_pending_per_address,
    );
    applied("shutdown_grace", &old.shutdown_grace, &new.shutdown_grace);
    applied("log_queries", &old.log_queries, &new.log_queries);
    applied(
        "duplicate_login",
        &old.duplicate_login,
        &new.duplicate_login,
    );
    applied("pool_size", &old.pool.size, &new.pool.size);
    applied(
        "pool_idle_timeout",
        &old.pool.idle_timeout,
        &new.pool.idle_timeout,
    );
    applied(
        "pool_wait_timeout",
        &old.pool.wait_timeout,
        &new.pool.wait_timeout,
    );

    // Values are not printed: a database URL may hold a password.
    let mut restart = |name: &str, before: &dyn Debug, after: &dyn Debug| {
        if format!("{before:?}") != format!("{after:?}") {
            changes.restart_only.push(name.to_owned());
        }
    };
    restart("database", &old.database, &new.database);
    restart("log_format", &old.log_format, &new.log_format);
    restart("listen", &old.listen, &new.listen);
    restart("max_record", &old.max_record, &new.max_record);
    restart("max_buffered", &old.max_buffered, &new.max_buffered);
    restart("kdf_memory, kdf_iterations", &old.kdf, &new.kdf);
    restart("connect_retry", &old.connect_retry, &new.connect_retry);
    restart("audit_log", &old.audit_log, &new.audit_log);
    restart("instance_name", &old.instance_name, &new.instance_name);
    restart("metrics_listen", &old.metrics_listen, &new.metrics_listen);
    restart("pool_mode", &old.pool_mode, &new.pool_mode);

    let kept = Config {
        database: old.database.clone(),
        log_format: old.log_format,
        listen: old.listen,
        max_record: old.max_record,
        max_buffered: old.max_buffered,
        kdf: old.kdf,
        connect_retry: old.connect_retry,
        audit_log: old.audit_log.clone(),
        instance_name: old.instance_name.clone(),
        metrics_listen: old.metrics_listen,
        pool_mode: old.pool_mode,
        ..new
    };
    (kept, changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CommonArgs, ServeArgs};

    #[test]
    fn safe_settings_change_and_restart_only_ones_are_kept_and_named() {
        let old = Config::resolve(&CommonArgs::default(), &ServeArgs::default()).expect("defaults");
        let mut new = old.clone();
        new.max_sessions = 3;
        new.log_level = "debug".to_owned();
        new.listen = "127.0.0.1:1".parse().expect("address");
        let (kept, changes) = merge(&old, new);
        assert_eq!(kept.max_sessions, 3);
        assert_eq!(kept.log_level, "debug");
        assert_eq!(kept.listen, old.listen, "listen needs a restart");
        assert_eq!(
            changes.applied,
            ["log_level: \"info\" → \"debug\"", "max_sessions: 100 → 3"]
        );
        assert_eq!(changes.restart_only, ["listen"]);
    }
}
