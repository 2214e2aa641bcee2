//! Finding the machine's PostgreSQL server binaries.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::EmbeddedError;

/// The programs a directory must hold to run a cluster.
const REQUIRED: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// Where Debian and Ubuntu install one directory per major version.
const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// A directory holding `initdb`, `pg_ctl` and `postgres`, and the version of
/// that `postgres`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    bindir: PathBuf,
    version: String,
}

impl PgBinaries {
    /// Finds the server binaries: in `explicit` when given (and only there),
    /// else next to the `initdb` on `PATH` (symlinks resolved), else in
    /// `pg_config --bindir`, else in the highest `/usr/lib/postgresql/*/bin`.
    pub fn locate(explicit: Option<&Path>) -> Result<Self, EmbeddedError> {
        if let Some(dir) = explicit {
            return Self::in_dir(dir).ok_or_else(|| EmbeddedError::BinariesNotFound {
                explicit: Some(dir.to_path_buf()),
            });
        }
        let candidates = path_candidates()
            .into_iter()
            .chain(pg_config_bindir())
            .chain(debian_bindirs());
        for dir in candidates {
            if let Some(found) = Self::in_dir(&dir) {
                return Ok(found);
            }
        }
        Err(EmbeddedError::BinariesNotFound { explicit: None })
    }

    /// The directory holding the binaries.
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// The server's version as `postgres --version` reports it, e.g. `15.18`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The path of `program` (e.g. `"psql"`) in the binaries' directory; it
    /// may not exist for programs other than the three server ones.
    pub fn program(&self, program: &str) -> PathBuf {
        self.bindir.join(program)
    }

    /// `Some` when `dir` holds all required programs and `postgres --version`
    /// runs.
    fn in_dir(dir: &Path) -> Option<Self> {
        if !REQUIRED.iter().all(|name| is_executable(&dir.join(name))) {
            return None;
        }
        let output = Command::new(dir.join("postgres"))
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .ok()?;
        if !output.status.success() {
            return None;
        }
        let version = parse_version(&String::from_utf8_lossy(&output.stdout))?;
        Some(Self {
            bindir: dir.to_path_buf(),
            version,
        })
    }
}

/// `15.18` from `postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`.
fn parse_version(line: &str) -> Option<String> {
    let rest = line.split_once("(PostgreSQL)")?.1;
    rest.split_whitespace().next().map(str::to_owned)
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// For every `initdb` on `PATH`, the directory it really lives in (after
/// resolving symlinks), then the `PATH` directory itself.
fn path_candidates() -> Vec<PathBuf> {
    let Some(path) = std::env::var_os("PATH") else {
        return Vec::new();
    };
    let mut dirs = Vec::new();
    for dir in std::env::split_paths(&path) {
        let initdb = dir.join("initdb");
        if !is_executable(&initdb) {
            continue;
        }
        if let Some(real_dir) = std::fs::canonicalize(&initdb)
            .ok()
            .and_then(|real| real.parent().map(Path::to_path_buf))
        {
            dirs.push(real_dir);
        }
        dirs.push(dir);
    }
    dirs
}

fn pg_config_bindir() -> Option<PathBuf> {
    let output = Command::new("pg_config")
        .arg("--bindir")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// `/usr/lib/postgresql/*/bin`, highest version first.
fn debian_bindirs() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(DEBIAN_ROOT) else {
        return Vec::new();
    };
    let mut versions: Vec<(Vec<u32>, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let key = name
                .split('.')
                .map(str::parse)
                .collect::<Result<Vec<u32>, _>>()
                .ok()?;
            Some((key, entry.path().join("bin")))
        })
        .collect();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    versions.into_iter().map(|(_, dir)| dir).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_debian_version_line() {
        assert_eq!(
            parse_version("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n").as_deref(),
            Some("15.18")
        );
        assert_eq!(
            parse_version("postgres (PostgreSQL) 17.2\n").as_deref(),
            Some("17.2")
        );
        assert_eq!(parse_version("something else"), None);
    }

    #[test]
    fn rejects_bogus_explicit_bindir() {
        let err = PgBinaries::locate(Some(Path::new("/nonexistent/cor4/bin")))
            .expect_err("a bogus bindir has no binaries");
        let message = err.to_string();
        assert!(matches!(err, EmbeddedError::BinariesNotFound { .. }));
        assert!(message.contains("/nonexistent/cor4/bin"), "{message}");
        assert!(message.contains("--pg-bindir"), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    fn locates_machine_binaries() {
        // The development machine and CI have PostgreSQL installed.
        let found = PgBinaries::locate(None).expect("PostgreSQL binaries are installed");
        assert!(found.program("initdb").exists());
        assert!(!found.version().is_empty());
    }
}
