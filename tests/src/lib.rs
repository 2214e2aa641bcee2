//! Shared helpers for cor4's end-to-end tests and the benchmark: the real
//! `cor4-proxy` and `cor4` binaries, HAProxy, output comparison. PostgreSQL
//! comes from the one test harness, `cor4-testpg`, re-exported here.

// Test infrastructure: a failed set-up step is a failed test, said at once.
#![allow(clippy::expect_used, clippy::panic)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod embedded;
mod haproxy;
mod proxy;
mod recorder;
pub use cor4_testpg::{
    DATABASE_URL_VAR, PgServer, TestDatabase, free_port, psql_as, psql_program, test_database,
};
pub use embedded::EmbeddedProxy;
pub use haproxy::Haproxy;
pub use proxy::{Proxy, binary};
pub use recorder::{Recorder, Recording, units};

use std::process::Command;

/// The cheap Argon2id cost every test proxy and test user shares (the
/// proxy's `--kdf-memory` and `--kdf-iterations`): real logins use 64 MiB
/// and 3 passes, tests must not. Users made with another cost would look
/// different from unknown users, which get the proxy's.
pub const TEST_KSF: cor4_protocol::crypto::KsfParams = cor4_protocol::crypto::KsfParams {
    memory_kib: 256,
    iterations: 1,
    parallelism: 4,
};

/// A line diff of `expected` and `actual` for test reports: `-` lines only
/// in `expected`, `+` lines only in `actual`, two lines of context around
/// each change.
pub fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    // Longest common subsequence, by dynamic programming from the end.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut lines = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            lines.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(('-', a[i]));
            i += 1;
        } else {
            lines.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        lines[k.saturating_sub(2)..(k + 3).min(lines.len())]
            .iter()
            .any(|(tag, _)| *tag != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (tag, line)) in lines.iter().enumerate() {
        if near_change(k) {
            if skipped {
                out.push_str("  ...\n");
                skipped = false;
            }
            out.push(*tag);
            out.push(' ');
            out.push_str(line.trim_end_matches('\n'));
            if !line.ends_with('\n') {
                out.push_str(" (no newline)");
            }
            out.push('\n');
        } else {
            skipped = true;
        }
    }
    out
}

/// Runs `command` to completion and returns its exit status and peak
/// resident set size in KiB, sampled from `/proc` while it runs (the kernel
/// keeps the high-water mark, so a sample late in its life sees the peak).
pub fn run_with_peak_rss(command: &mut Command) -> (std::process::ExitStatus, u64) {
    let mut child = command.spawn().expect("spawn the measured command");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(v) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
        {
            peak = peak.max(v);
        }
        if let Some(status) = child.try_wait().expect("wait for the measured command") {
            return (status, peak);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn diff_shows_changed_lines_with_context() {
        let d = diff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n");
        assert_eq!(d, "  ...\n  b\n  c\n- d\n+ D\n  e\n  f\n");
        assert_eq!(diff("same\n", "same\n"), "");
    }
}
