//! The environment the shell's commands see: the process's own, with the
//! changes `\setenv` made on top. Every command the shell starts (`\!`,
//! backquotes, pagers, `\o |command`, `\copy … program`, the editor) is
//! built here so it inherits them, and the shell's own lookups
//! (`\getenv`, `PAGER`, `EDITOR`) read through them.

use std::collections::HashMap;
use std::process::Command;
use std::sync::{Mutex, OnceLock};

fn overlay() -> &'static Mutex<HashMap<String, Option<String>>> {
    static OVERLAY: OnceLock<Mutex<HashMap<String, Option<String>>>> = OnceLock::new();
    OVERLAY.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Sets (`Some`) or removes (`None`) a variable for everything started
/// from now on.
pub fn set(name: &str, value: Option<&str>) {
    if let Ok(mut map) = overlay().lock() {
        map.insert(name.to_owned(), value.map(str::to_owned));
    }
}

/// A variable's value as the shell's commands would see it.
pub fn var(name: &str) -> Option<String> {
    if let Ok(map) = overlay().lock()
        && let Some(value) = map.get(name)
    {
        return value.clone();
    }
    std::env::var(name).ok()
}

/// `/bin/sh -c COMMAND` with the shell's environment.
pub fn shell_command(command: &str) -> Command {
    let mut c = Command::new("/bin/sh");
    c.arg("-c").arg(command);
    apply(&mut c);
    c
}

/// Applies the `\setenv` changes to `command`.
pub fn apply(command: &mut Command) {
    if let Ok(map) = overlay().lock() {
        for (name, value) in map.iter() {
            match value {
                Some(v) => command.env(name, v),
                None => command.env_remove(name),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_reach_started_commands() {
        set("COR4_ENV_TEST_A", Some("x y"));
        set("PATH_COR4_UNSET_TEST", None);
        assert_eq!(var("COR4_ENV_TEST_A").as_deref(), Some("x y"));
        let out = shell_command("printf %s \"$COR4_ENV_TEST_A\"")
            .output()
            .expect("sh runs");
        assert_eq!(out.stdout, b"x y");
        set("COR4_ENV_TEST_A", None);
        assert_eq!(var("COR4_ENV_TEST_A"), None);
    }
}
