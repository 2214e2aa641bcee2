//! `psql` commands for comparing cor4 with psql and for test set-up.

use std::path::PathBuf;
use std::process::Command;

use cor4_pg_embedded::PgBinaries;

/// The `psql` beside the server binaries when there is one (same version as
/// the server), else the one on the search path.
pub fn psql_program() -> PathBuf {
    PgBinaries::locate(None)
        .map(|binaries| binaries.program("psql"))
        .ok()
        .filter(|own| own.exists())
        .unwrap_or_else(|| PathBuf::from("psql"))
}

/// A `psql` command (`-X`: no `.psqlrc`, `-w`: never prompt) connected with
/// `config`'s host, port, user, password and database, and none of the
/// `PG*` variables that change what it prints; add `-c`, `-f`, `-At` and
/// the like.
pub fn psql_as(config: &tokio_postgres::Config) -> Command {
    let mut command = Command::new(psql_program());
    command.args(["-X", "-w"]);
    match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(host)) => {
            command.arg("-h").arg(host);
        }
        Some(tokio_postgres::config::Host::Unix(dir)) => {
            command.arg("-h").arg(dir);
        }
        None => {}
    }
    if let Some(port) = config.get_ports().first() {
        command.arg("-p").arg(port.to_string());
    }
    if let Some(user) = config.get_user() {
        command.arg("-U").arg(user);
    }
    if let Some(db) = config.get_dbname() {
        command.arg("-d").arg(db);
    }
    if let Some(password) = config.get_password() {
        command.env("PGPASSWORD", String::from_utf8_lossy(password).into_owned());
    }
    command
        .env_remove("PGOPTIONS")
        .env_remove("PGTZ")
        .env_remove("PGDATESTYLE");
    command
}
