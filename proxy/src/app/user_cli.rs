//! `cor4-proxy user …`: each command on the user store, audited.

use std::io::{BufRead, IsTerminal};

use super::{AnyError, Backend};
use crate::audit::Audit;
use crate::config::{CommonArgs, Config, ServeArgs, UserCommand};
use crate::users::generate_password;

pub(super) async fn run_user(common: &CommonArgs, cmd: UserCommand) -> Result<(), AnyError> {
    let config = Config::resolve(common, &ServeArgs::from_env())?;
    let backend = Backend::start(&config.database).await?;
    let result = user_command(&backend, &config, cmd).await;
    backend.stop(false).await;
    result
}

async fn user_command(
    backend: &Backend,
    config: &Config,
    cmd: UserCommand,
) -> Result<(), AnyError> {
    let store = backend.open_store(config).await?;
    let audit = Audit::open(config.audit_log.as_deref())
        .map_err(|e| format!("cannot open the audit log: {e}"))?;
    let record = |event: &str, name: &str, extra: serde_json::Value| {
        let mut fields = serde_json::json!({"user": name});
        if let (Some(fields), Some(extra)) = (fields.as_object_mut(), extra.as_object()) {
            fields.extend(extra.clone());
        }
        audit.admin(event, fields);
    };
    match cmd {
        UserCommand::Add {
            name,
            password_stdin,
            role,
            admin,
            must_change_password,
        } => {
            let (password, generated) = new_password(password_stdin)?;
            store
                .add_user(&name, &password, role.as_deref(), admin, config.kdf)
                .await?;
            if must_change_password {
                store.set_must_change(&name, true).await?;
            }
            record(
                "user_add",
                &name,
                serde_json::json!({"admin": admin, "must_change_password": must_change_password}),
            );
            if generated {
                println!("Created user {name} with password: {password}");
            } else {
                println!("Created user {name}");
            }
        }
        UserCommand::Passwd {
            name,
            password_stdin,
            must_change_password,
        } => {
            let (password, generated) = new_password(password_stdin)?;
            store
                .set_password_text(&name, &password, config.kdf)
                .await?;
            if must_change_password {
                store.set_must_change(&name, true).await?;
            }
            record(
                "user_passwd",
                &name,
                serde_json::json!({"must_change_password": must_change_password}),
            );
            if generated {
                println!("New password for {name}: {password}");
            } else {
                println!("Password changed for {name}");
            }
        }
        UserCommand::Lock { name } => {
            crate::admin::lock_user(&store, &name).await?;
            record("user_lock", &name, serde_json::json!({}));
            println!("Locked {name}");
        }
        UserCommand::Unlock { name } => {
            store.unlock(&name).await?;
            record("user_unlock", &name, serde_json::json!({}));
            println!("Unlocked {name}");
        }
        UserCommand::List => {
            let users = store.list().await?;
            println!(
                "{:<24} {:<24} {:<8} {:<6} {:<12} {:<8} {:<26} allowed from",
                "name", "role", "status", "admin", "must change", "failures", "lockout until"
            );
            let now = std::time::SystemTime::now();
            for u in users {
                let lockout = u
                    .locked_until
                    .filter(|until| *until > now)
                    .map(|until| {
                        chrono::DateTime::<chrono::Utc>::from(until)
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    })
                    .unwrap_or_else(|| "-".to_owned());
                let ranges = if u.allowed_cidrs.is_empty() {
                    "anywhere".to_owned()
                } else {
                    u.allowed_cidrs.join(",")
                };
                println!(
                    "{:<24} {:<24} {:<8} {:<6} {:<12} {:<8} {:<26} {}",
                    u.name,
                    u.role,
                    if u.ksf.is_none() {
                        "reset"
                    } else if u.locked {
                        "locked"
                    } else {
                        "active"
                    },
                    if u.is_admin { "yes" } else { "no" },
                    if u.must_change_password { "yes" } else { "no" },
                    u.failed_attempts,
                    lockout,
                    ranges
                );
            }
        }
        UserCommand::Remove { name, force } => {
            if force {
                store.remove_dropping_objects(&name).await?;
            } else {
                store.remove(&name).await?;
            }
            record("user_remove", &name, serde_json::json!({"force": force}));
            println!("Removed {name}");
        }
        UserCommand::Allow { name, cidrs } => {
            store.set_allowed_cidrs(&name, &cidrs).await?;
            record("user_allow", &name, serde_json::json!({"ranges": cidrs}));
            if cidrs.is_empty() {
                println!("{name} may log in from anywhere");
            } else {
                println!("{name} may log in from {}", cidrs.join(", "));
            }
        }
    }
    Ok(())
}

/// The password for `user add`/`user passwd`: from standard input, or a
/// generated one (then `true`: the caller prints it once).
fn new_password(from_stdin: bool) -> Result<(String, bool), AnyError> {
    if from_stdin {
        Ok((read_password_stdin()?, false))
    } else {
        Ok((generate_password(), true))
    }
}

fn read_password_stdin() -> Result<String, AnyError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Password (then Enter):");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err("no password on standard input".into());
    }
    Ok(password)
}
