//! Throwaway directories that never outlive the test process.
//!
//! ```text
//! TempDir ─ /tmp/cor4-test-<pid>-<n>/   (0711, so the server account gets through)
//!    │        pgdata/   a cluster, if the test makes one
//!    └─ pipe ──> watchdog (sh): on EOF (the test process gone, however it
//!                ended) stops the postmaster of pgdata/ and removes the dir
//! ```

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// Stops the postmaster of `$1/pgdata` (SIGQUIT: an immediate shutdown),
/// waits until it is gone or a zombie nobody has reaped yet, and removes
/// `$1`; three rounds, in case a server was still starting.
const CLEANUP: &str = r#"
for _round in 1 2 3; do
    pid=$(head -n 1 "$1/pgdata/postmaster.pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null; then
        i=0
        while [ "$i" -lt 100 ] && [ -e "/proc/$pid" ] &&
            ! grep -q '^State:.*zombie' "/proc/$pid/status" 2>/dev/null; do
            sleep 0.1
            i=$((i + 1))
        done
    fi
    rm -rf "$1"
    [ -e "$1" ] || break
    sleep 0.5
done
"#;

/// A fresh directory under `/tmp`; on drop, or when the process ends in any
/// way, whatever PostgreSQL runs in its `pgdata/` is stopped and the
/// directory removed.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    _watchdog: Watchdog,
}

impl TempDir {
    /// Creates `/tmp/cor4-test-<pid>-<n>` (mode 0711) and its watchdog.
    ///
    /// # Errors
    ///
    /// When the directory or the watchdog cannot be made.
    pub fn new() -> Result<TempDir, String> {
        let path = fresh_dir()?;
        // The watchdog first: a process killed while a server starts in the
        // directory still leaves nothing behind.
        let watchdog = Watchdog::spawn(&path)?;
        Ok(TempDir {
            path,
            _watchdog: watchdog,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = cleanup_command(&self.path).status();
    }
}

fn cleanup_command(dir: &Path) -> Command {
    let mut command = Command::new("/bin/sh");
    command
        .arg("-c")
        .arg(CLEANUP)
        .arg("cor4-test-cleanup")
        .arg(dir)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// A `sh` process blocked reading a pipe whose only write end this process
/// holds (std opens pipes close-on-exec, so no child inherits it). When the
/// process ends the kernel closes that end, the read sees EOF, and the
/// watchdog runs [`CLEANUP`].
#[derive(Debug)]
struct Watchdog {
    _child: Child,
    _pipe: ChildStdin,
}

impl Watchdog {
    fn spawn(dir: &Path) -> Result<Self, String> {
        // Signals from the terminal or the test runner are ignored, so that
        // the watchdog always gets to clean up.
        let script =
            format!("trap '' INT TERM HUP QUIT\nwhile read -r _line; do :; done\n{CLEANUP}");
        let mut child = Command::new("/bin/sh")
            .args(["-c", &script, "cor4-test-watchdog"])
            .arg(dir)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|err| format!("could not start the cleanup watchdog: {err}"))?;
        let pipe = child
            .stdin
            .take()
            .ok_or("the cleanup watchdog has no stdin pipe")?;
        Ok(Self {
            _child: child,
            _pipe: pipe,
        })
    }
}

/// Creates `/tmp/cor4-test-<pid>-<n>`, a name no other process uses.
fn fresh_dir() -> Result<PathBuf, String> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    // /tmp rather than $TMPDIR: the socket path must stay short and the
    // unprivileged server account must be able to reach it.
    let base = Path::new("/tmp");
    for attempt in 0..100u32 {
        let dir = base.join(format!(
            "cor4-test-{}-{}",
            std::process::id(),
            nanos.wrapping_add(attempt)
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                // Whatever the umask, the server's account must get through.
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o711)).map_err(
                    |err| format!("could not set permissions on {}: {err}", dir.display()),
                )?;
                return Ok(dir);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(format!("could not create {}: {err}", dir.display())),
        }
    }
    Err("could not find an unused directory name under /tmp".to_owned())
}
