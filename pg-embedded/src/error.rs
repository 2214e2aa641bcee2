//! Errors of the embedded cluster.

use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::Duration;

use super::MAX_SOCKET_PATH;

/// Why the embedded cluster could not be located, started or stopped. Every
/// message is one line that says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbeddedError {
    /// `initdb`, `pg_ctl` or `postgres` is missing (from `explicit` when a
    /// directory was given, else from every place searched).
    #[error("{}", not_found_message(.explicit.as_deref()))]
    BinariesNotFound {
        /// The directory passed with `--pg-bindir`, if any.
        explicit: Option<PathBuf>,
    },
    /// The proxy runs as root and no unprivileged account exists to run
    /// PostgreSQL as.
    #[error(
        "running as root, but neither a `postgres` nor a `nobody` account exists to run PostgreSQL as: create a `postgres` system user, run cor4-proxy as a non-root user, or point --database-url at an existing server"
    )]
    NoUnprivilegedAccount,
    /// The proxy's own uid could not be determined.
    #[error(
        "could not determine the user cor4-proxy runs as (no /proc/self and `id -u` failed): mount /proc or point --database-url at an existing server"
    )]
    UnknownUser,
    /// The account PostgreSQL runs as cannot enter the data directory.
    #[error(
        "PostgreSQL runs as user `{user}`, which cannot enter {}: use a --data-dir that user can reach (e.g. under /var/lib or /tmp) or give it search permission there (chmod o+x)",
        .blocked.display()
    )]
    DataDirUnreachable {
        /// The account PostgreSQL runs as.
        user: String,
        /// The first directory on the way to the data directory that it
        /// cannot enter.
        blocked: PathBuf,
    },
    /// The data directory's path cannot be handed to `pg_ctl`, which passes
    /// it through a shell inside quotes.
    #[error(
        "data directory {} contains a quote, backslash, `$`, backquote, newline or non-UTF-8 byte, which pg_ctl cannot pass on: choose a plainer --data-dir",
        .path.display()
    )]
    UnsupportedPath {
        /// The offending path.
        path: PathBuf,
    },
    /// The socket's path would not fit in a Unix socket address.
    #[error(
        "socket path {} is longer than the {MAX_SOCKET_PATH} bytes a Unix socket allows: choose a shorter --data-dir",
        .path.display()
    )]
    SocketPathTooLong {
        /// The socket's full path.
        path: PathBuf,
    },
    /// The cluster exists but the file with its superuser password does not.
    #[error(
        "the cluster in {} exists but its superuser password file {} is missing or empty: restore that file, or move the cluster away to create a new one",
        .pgdata.display(), .password_file.display()
    )]
    PasswordFileMissing {
        /// The cluster's directory.
        pgdata: PathBuf,
        /// Where the password was expected.
        password_file: PathBuf,
    },
    /// A file or directory operation failed.
    #[error("could not {action} {}: {source}", .path.display())]
    Io {
        /// What was being done, e.g. `"create directory"`.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A program could not be run at all.
    #[error("could not run {}: {source}", .program.display())]
    Spawn {
        /// The program.
        program: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A PostgreSQL program exited with an error.
    #[error("{program} failed ({status}): {detail}; see {}", .log.display())]
    CommandFailed {
        /// The program's name, e.g. `"initdb"`.
        program: &'static str,
        /// How it exited.
        status: ExitStatus,
        /// The last line it printed (or the server log's last line).
        detail: String,
        /// Where to read more.
        log: PathBuf,
    },
    /// The server started but did not become ready in time.
    #[error(
        "PostgreSQL did not accept connections within {}s: {detail}; see {}",
        .timeout.as_secs(), .log.display()
    )]
    NotReady {
        /// How long was waited.
        timeout: Duration,
        /// The server log's last line.
        detail: String,
        /// The server log.
        log: PathBuf,
    },
}

fn not_found_message(explicit: Option<&Path>) -> String {
    match explicit {
        Some(dir) => format!(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in {}: pass --pg-bindir a directory that holds them (Debian/Ubuntu: /usr/lib/postgresql/<version>/bin), or point --database-url at an existing server",
            dir.display()
        ),
        None => "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install them (Debian/Ubuntu: apt-get install postgresql) or pass --pg-bindir DIR, or point --database-url at an existing server".to_owned(),
    }
}
