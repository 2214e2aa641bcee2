//! The cluster's files: its data directory (made, checked for paths
//! PostgreSQL cannot use, reachable by the server's account) and the
//! private files the proxy writes there.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::{Account, EmbeddedError, MAX_SOCKET_PATH, SOCKET_PORT};

/// Makes `data_dir` absolute, creates it if needed and, when PostgreSQL runs
/// as another account, checks that account can enter it.
pub(super) fn prepare_data_dir(
    data_dir: &Path,
    account: Option<&Account>,
) -> Result<PathBuf, EmbeddedError> {
    let io = |action, source| EmbeddedError::Io {
        action,
        path: data_dir.to_path_buf(),
        source,
    };
    let absolute = std::path::absolute(data_dir).map_err(|source| io("resolve", source))?;
    check_paths(&absolute)?;
    if !absolute.exists() {
        std::fs::create_dir_all(&absolute).map_err(|source| io("create directory", source))?;
        // The server's account must pass through; only the proxy lists it.
        let mode = if account.is_some() { 0o711 } else { 0o700 };
        std::fs::set_permissions(&absolute, std::fs::Permissions::from_mode(mode))
            .map_err(|source| io("set permissions on", source))?;
    }
    let absolute = std::fs::canonicalize(&absolute).map_err(|source| io("resolve", source))?;
    check_paths(&absolute)?;
    if let Some(account) = account {
        account.check_reachable(&absolute)?;
    }
    Ok(absolute)
}

/// Fails when pg_ctl could not pass `data_dir` through its shell or the
/// socket's path would not fit in a socket address.
fn check_paths(data_dir: &Path) -> Result<(), EmbeddedError> {
    let plain = data_dir
        .to_str()
        .is_some_and(|path| !path.contains(['"', '\'', '\\', '$', '`', '\n']));
    if !plain {
        return Err(EmbeddedError::UnsupportedPath {
            path: data_dir.to_path_buf(),
        });
    }
    let socket = data_dir.join("run").join(format!(".s.PGSQL.{SOCKET_PORT}"));
    if socket.as_os_str().len() > MAX_SOCKET_PATH {
        return Err(EmbeddedError::SocketPathTooLong { path: socket });
    }
    Ok(())
}

/// Writes `contents` to a new mode-0600 file, then gives it to `owner`.
pub(super) fn write_private(
    path: &Path,
    contents: &str,
    owner: Option<&Account>,
) -> Result<(), EmbeddedError> {
    let io = |source| EmbeddedError::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    };
    // Remove leftovers of an interrupted run so the mode below applies.
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(io(err)),
        _ => {}
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io)?;
    file.write_all(contents.as_bytes()).map_err(io)?;
    file.write_all(b"\n").map_err(io)?;
    if let Some(owner) = owner {
        owner.chown(path)?;
    }
    Ok(())
}
