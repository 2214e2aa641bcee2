//! File names as psql treats them (`~` expanded, paths canonicalized the
//! way `psql:FILE:LINE:` prefixes show them) and the external editor of
//! `\e`.

use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

/// `~` and `~/…` become the home directory.
pub fn expand_tilde(name: &str) -> String {
    let Some(rest) = name.strip_prefix('~') else {
        return name.to_owned();
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return name.to_owned();
    }
    match crate::environment::var("HOME") {
        Some(home) if !home.is_empty() => format!("{home}{rest}"),
        _ => name.to_owned(),
    }
}

/// PostgreSQL's `canonicalize_path`: no `.` components, `..` folded into
/// what precedes it, no doubled or trailing slashes.
pub fn canonicalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// `\ir`: `name` relative to the directory of the file being run.
pub fn relative_to(current_file: Option<&str>, name: &str) -> String {
    match current_file {
        Some(current) if !name.starts_with('/') => {
            let dir = Path::new(current)
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            if dir.is_empty() {
                canonicalize(name)
            } else {
                canonicalize(&format!("{dir}/{name}"))
            }
        }
        _ => canonicalize(name),
    }
}

fn stamp(path: &str) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Opens `file` (or a temporary file holding `buf`) in the editor,
/// positioned at `line`; when the file changed, `buf` becomes its text.
/// Returns whether it changed.
pub fn edit(file: Option<&str>, buf: &mut String, line: Option<u32>) -> Result<bool, String> {
    let editor = ["PSQL_EDITOR", "EDITOR", "VISUAL"]
        .iter()
        .find_map(|v| crate::environment::var(v).filter(|e| !e.is_empty()))
        .unwrap_or_else(|| "vi".to_owned());
    let temp;
    let path = match file {
        Some(f) => f.to_owned(),
        None => {
            let dir = crate::environment::var("TMPDIR").unwrap_or_else(|| "/tmp".to_owned());
            temp = format!("{dir}/cor4.edit.{}.sql", std::process::id());
            let mut text = buf.clone();
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
                .map_err(|e| {
                    format!(
                        "could not open temporary file \"{temp}\": {}",
                        crate::output::os_reason(&e)
                    )
                })?;
            f.write_all(text.as_bytes())
                .map_err(|e| format!("{temp}: {}", crate::output::os_reason(&e)))?;
            temp.clone()
        }
    };
    let before = stamp(&path);
    let line_arg = match line {
        Some(n) => {
            let arg = crate::environment::var("PSQL_EDITOR_LINENUMBER_ARG")
                .unwrap_or_else(|| "+".to_owned());
            format!(" {arg}{n}")
        }
        None => String::new(),
    };
    let quoted = format!("'{}'", path.replace('\'', "'\\''"));
    let status =
        crate::environment::shell_command(&format!("exec {editor}{line_arg} {quoted}")).status();
    let result = match status {
        Err(_) => Err("could not start /bin/sh".to_owned()),
        Ok(s) if s.code() == Some(127) => Err(format!("could not start editor \"{editor}\"")),
        Ok(s) if !s.success() => Err(format!("could not start editor \"{editor}\"")),
        Ok(_) => {
            let after = stamp(&path);
            if after != before || before.is_none() {
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        *buf = String::from_utf8_lossy(&bytes).into_owned();
                        Ok(true)
                    }
                    Err(e) => Err(format!("{path}: {}", crate::output::os_reason(&e))),
                }
            } else {
                Ok(false)
            }
        }
    };
    if file.is_none() {
        let _ = std::fs::remove_file(&path);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_canonical_as_postgresql_makes_them() {
        assert_eq!(canonicalize("./a.sql"), "a.sql");
        assert_eq!(canonicalize("dir//sub/./x.sql"), "dir/sub/x.sql");
        assert_eq!(canonicalize("dir/../x.sql"), "x.sql");
        assert_eq!(canonicalize("../x.sql"), "../x.sql");
        assert_eq!(canonicalize("/a/../../b"), "/b");
        assert_eq!(canonicalize("dir/"), "dir");
    }

    #[test]
    fn relative_includes_start_from_the_current_file() {
        assert_eq!(
            relative_to(Some("scripts/main.sql"), "inc.sql"),
            "scripts/inc.sql"
        );
        assert_eq!(relative_to(Some("main.sql"), "inc.sql"), "inc.sql");
        assert_eq!(relative_to(None, "./inc.sql"), "inc.sql");
        assert_eq!(relative_to(Some("a/b.sql"), "/abs.sql"), "/abs.sql");
    }
}
