//! `./cor4-dev`, the README's two commands, on a machine without the
//! PostgreSQL and HAProxy binaries: the search path holds only fakes of
//! `id`, `sudo` and `apt-get` that log what they are asked, so nothing is
//! really installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory of fake programs, and the log they write to.
struct Fakes {
    dir: PathBuf,
}

impl Fakes {
    /// `id -u` answers `uid`; `sudo` logs and runs its command; `apt-get`
    /// logs, and `install` creates fake server binaries under `pg/15/bin`.
    fn new(uid: u32) -> Fakes {
        let dir = std::env::temp_dir().join(crate::unique_name("cor4-dev-fakes"));
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        let fakes = Fakes { dir };
        fakes.program("id", &format!("echo {uid}"));
        fakes.program(
            "sudo",
            "echo \"sudo $*\" >> \"$FAKE_LOG\"\n\
             while [[ $1 == *=* ]]; do export \"$1\"; shift; done\n\
             exec \"$@\"",
        );
        fakes.program(
            "apt-get",
            "echo \"apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND\" >> \"$FAKE_LOG\"\n\
             if [ \"$1\" = install ]; then\n\
                 /bin/mkdir -p \"$COR4_PG_ROOT/15/bin\"\n\
                 for p in initdb pg_ctl postgres; do\n\
                     printf '#!/bin/sh\\n' > \"$COR4_PG_ROOT/15/bin/$p\"\n\
                     /bin/chmod +x \"$COR4_PG_ROOT/15/bin/$p\"\n\
                 done\n\
             fi",
        );
        fakes
    }

    fn program(&self, name: &str, body: &str) {
        let path = self.dir.join("bin").join(name);
        std::fs::write(&path, format!("#!/bin/bash\n{body}\n")).unwrap();
        Command::new("/bin/chmod")
            .arg("+x")
            .arg(&path)
            .status()
            .unwrap();
    }

    /// Runs `./cor4-dev args…` with only the fakes on the search path.
    fn run(&self, args: &[&str]) -> Output {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cor4-dev");
        Command::new("/bin/bash")
            .arg(script)
            .args(args)
            .env_clear()
            .env("PATH", self.dir.join("bin"))
            .env("COR4_PG_ROOT", self.dir.join("pg"))
            .env("COR4_SBIN", self.dir.join("sbin"))
            .env("FAKE_LOG", self.dir.join("log"))
            .output()
            .unwrap()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }
}

impl Drop for Fakes {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn no_install_refuses_and_prints_the_one_line_instruction() {
    let fakes = Fakes::new(1000);
    let output = fakes.run(&["install", "run", "--no-install"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("sudo apt-get install -y --no-install-recommends postgresql`"),
        "{stderr}"
    );
    assert_eq!(fakes.log(), "", "nothing may be installed");

    let output = fakes.run(&["install", "test", "--no-install"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("postgresql postgresql-client haproxy"),
        "{stderr}"
    );
}

#[test]
fn start_command_says_what_it_installs_and_uses_sudo_when_not_root() {
    let fakes = Fakes::new(1000);
    let output = fakes.run(&["install", "run"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("installing postgresql, PostgreSQL's server binaries"),
        "{stderr}"
    );
    let log = fakes.log();
    assert!(
        log.contains("sudo DEBIAN_FRONTEND=noninteractive apt-get update"),
        "{log}"
    );
    assert!(
        log.contains(
            "apt-get install -y -q --no-install-recommends postgresql DEBIAN_FRONTEND=noninteractive"
        ),
        "{log}"
    );
    // Now the binaries are there: nothing more to install.
    let output = fakes.run(&["install", "run", "--no-install"]);
    assert!(output.status.success());
}

#[test]
fn test_command_installs_postgresql_psql_and_haproxy_as_root_without_sudo() {
    let fakes = Fakes::new(0);
    let output = fakes.run(&["install", "test"]);
    // The fake apt-get makes no psql or haproxy, so the script reports them.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("still missing postgresql-client haproxy"),
        "{stderr}"
    );
    let log = fakes.log();
    assert!(!log.contains("sudo"), "{log}");
    assert!(
        log.contains(
            "apt-get install -y -q --no-install-recommends postgresql postgresql-client haproxy"
        ),
        "{log}"
    );
}

#[test]
fn commands_need_cargo() {
    let fakes = Fakes::new(1000);
    let output = fakes.run(&["run"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("install Rust"), "{stderr}");
}
