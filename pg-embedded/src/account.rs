//! Who the PostgreSQL processes run as: the proxy's own user, or, when the
//! proxy runs as root (which `initdb` and `postgres` refuse), an unprivileged
//! account read from `/etc/passwd`.

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::EmbeddedError;

/// Accounts tried, in order, when the proxy runs as root.
const UNPRIVILEGED: [&str; 2] = ["postgres", "nobody"];

/// An account the PostgreSQL processes switch to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub(super) name: String,
    pub(super) uid: u32,
    pub(super) gid: u32,
}

impl Account {
    /// `None` when the proxy is not root (children keep its user), else the
    /// `postgres` account, else `nobody`.
    pub fn for_server() -> Result<Option<Self>, EmbeddedError> {
        if effective_uid()? != 0 {
            return Ok(None);
        }
        let passwd =
            std::fs::read_to_string("/etc/passwd").map_err(|source| EmbeddedError::Io {
                action: "read",
                path: PathBuf::from("/etc/passwd"),
                source,
            })?;
        UNPRIVILEGED
            .iter()
            .find_map(|name| lookup(&passwd, name))
            .map(Some)
            .ok_or(EmbeddedError::NoUnprivilegedAccount)
    }

    /// Makes `command` run as this account.
    pub fn apply(&self, command: &mut Command) {
        // std drops root's supplementary groups when it switches uid.
        command.uid(self.uid).gid(self.gid);
    }

    /// Gives `path` to this account.
    pub fn chown(&self, path: &Path) -> Result<(), EmbeddedError> {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid)).map_err(|source| {
            EmbeddedError::Io {
                action: "change the owner of",
                path: path.to_path_buf(),
                source,
            }
        })
    }

    /// Fails unless this account can enter `dir` (which needs search
    /// permission on every ancestor); names the first directory that blocks.
    pub(super) fn check_reachable(&self, dir: &Path) -> Result<(), EmbeddedError> {
        // Ask the kernel as that user rather than re-implementing permission
        // checks (groups, ACLs): print the first ancestor it cannot enter.
        let mut ancestors: Vec<&Path> = dir.ancestors().collect();
        ancestors.reverse();
        let mut command = Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(r#"for d; do test -x "$d" || { printf '%s' "$d"; exit 1; }; done"#)
            .arg("sh")
            .args(&ancestors)
            .current_dir("/")
            .stdin(Stdio::null())
            .stderr(Stdio::null());
        self.apply(&mut command);
        let output = command.output().map_err(|source| EmbeddedError::Spawn {
            program: PathBuf::from("/bin/sh"),
            source,
        })?;
        if output.status.success() {
            return Ok(());
        }
        let blocked = String::from_utf8_lossy(&output.stdout).into_owned();
        Err(EmbeddedError::DataDirUnreachable {
            user: self.name.clone(),
            blocked: if blocked.is_empty() {
                dir.to_path_buf()
            } else {
                PathBuf::from(blocked)
            },
        })
    }
}

/// The proxy's effective uid, without `unsafe`: `/proc/self` belongs to it.
fn effective_uid() -> Result<u32, EmbeddedError> {
    if let Ok(meta) = std::fs::metadata("/proc/self") {
        return Ok(meta.uid());
    }
    let output = Command::new("id")
        .arg("-u")
        .stdin(Stdio::null())
        .output()
        .map_err(|source| EmbeddedError::Spawn {
            program: PathBuf::from("id"),
            source,
        })?;
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|_| EmbeddedError::UnknownUser)
}

/// The entry for `name` in the text of `/etc/passwd`.
fn lookup(passwd: &str, name: &str) -> Option<Account> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != name {
            return None;
        }
        let _password = fields.next()?;
        let uid = fields.next()?.parse().ok()?;
        let gid = fields.next()?.parse().ok()?;
        Some(Account {
            name: name.to_owned(),
            uid,
            gid,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
        postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n\
        broken:x:notanumber:1::/:/bin/sh\n";

    #[test]
    fn finds_accounts_in_passwd() {
        assert_eq!(
            lookup(PASSWD, "postgres"),
            Some(Account {
                name: "postgres".into(),
                uid: 101,
                gid: 104
            })
        );
        assert_eq!(lookup(PASSWD, "nobody").map(|a| a.uid), Some(65534));
    }

    #[test]
    fn rejects_missing_or_malformed_entries() {
        assert_eq!(lookup(PASSWD, "post"), None);
        assert_eq!(lookup(PASSWD, "broken"), None);
    }
}
