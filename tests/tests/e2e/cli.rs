//! The `cor4` shell as a process, non-interactively: each flag, the output
//! formats (compared byte for byte with the real `psql` on the same
//! database), exit codes, and bounded memory on a large result.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use super::*;

/// A proxy and a user to run `cor4` against.
struct Shell {
    proxy: Proxy,
    user: String,
    password: String,
}

impl Shell {
    async fn start() -> Shell {
        // The user first: a proxy that finds the user store empty creates
        // `admin`, and several doing that at once race (cor4-proxy exits
        // with "a PostgreSQL role of that name already exists").
        let (user, password) = new_user("cli").await;
        let proxy = Proxy::start(&[]);
        Shell {
            proxy,
            user,
            password,
        }
    }

    /// `cor4` connected through COR4_HOST/PORT/USER/PASSWORD, stdin not a
    /// terminal, no pager.
    fn command(&self) -> Command {
        let addr = self.proxy.addr();
        let mut c = Command::new(cor4_tests::binary("cor4"));
        c.env("COR4_HOST", addr.ip().to_string())
            .env("COR4_PORT", addr.port().to_string())
            .env("COR4_USER", &self.user)
            .env("COR4_PASSWORD", &self.password)
            .env("PAGER", "")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run cor4")
    }

    fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cor4");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait cor4")
    }
}

fn psql(args: &[&str]) -> Output {
    test_database()
        .psql_command()
        .args(args)
        .env("PAGER", "")
        .stdin(Stdio::null())
        .output()
        .expect("run psql")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn temp_file(name: &str, content: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("cor4-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, content).expect("write temp file");
    path
}

/// Every type and edge value; SELECTs of literals print the same whoever
/// runs them, so psql runs them as the test admin.
const CORPUS: &[&str] = &[
    "SELECT NULL::int AS n, 1 AS one",
    "SELECT (-2147483648)::int AS min, 2147483647 AS max",
    "SELECT (-9223372036854775808)::bigint AS min, 9223372036854775807::bigint AS max",
    "SELECT 32767::smallint AS s, (-32768)::smallint AS t",
    "SELECT 1234567890123456789012345678901234567890::numeric AS n40, -0.000000000000000000001::numeric AS tiny",
    "SELECT 'NaN'::numeric AS nan, 'Infinity'::numeric AS inf, '-Infinity'::numeric AS ninf, 1.50::numeric(10,2) AS scaled",
    "SELECT 'NaN'::float8 AS nan, 'Infinity'::float8 AS inf, '-Infinity'::float8 AS ninf",
    "SELECT 0.1::float8 AS a, 1e15::float8 AS b, 1e16::float8 AS c, 1.5e-7::float8 AS d, '-0'::float8 AS e, 1.0::float8 / 3 AS third",
    "SELECT 3.14::real AS a, 1e30::real AS b, 'NaN'::real AS c, 2::real / 3 AS d",
    "SELECT true AS t, false AS f, NULL::boolean AS n",
    "SELECT '4713-01-01 BC'::date AS first, '294276-12-31'::date AS last, 'infinity'::date AS inf, '-infinity'::date AS ninf",
    "SELECT '2000-01-01'::date AS a, '1999-12-31'::date AS b, '0001-01-01'::date AS c",
    "SELECT '2024-02-29 12:34:56.789012'::timestamp AS a, '4713-01-01 00:00:00 BC'::timestamp AS b, '294276-12-31 23:59:59.999999'::timestamp AS c",
    "SELECT 'infinity'::timestamp AS a, '-infinity'::timestamptz AS b",
    "SELECT '2024-06-01 12:00:00.5+02'::timestamptz AS a, '1970-01-01 00:00:00.000001+00'::timestamptz AS b",
    "SELECT '24:00:00'::time AS a, '00:00:00'::time AS b, '12:34:56.000001'::time AS c",
    "SELECT '\\x00ff00'::bytea AS a, ''::bytea AS b, 'abc'::bytea AS c",
    "SELECT '{\"a\": [1, 2, {\"b\": null}]}'::json AS j, '{\"b\":1,\"a\":\"x\"}'::jsonb AS jb",
    "SELECT '[]'::jsonb AS a, 'null'::json AS b, '\"str,with,commas\"'::jsonb AS c",
    "SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, NULL::uuid AS n",
    "SELECT ARRAY[1,2,3] AS a, ARRAY['a','b,c',NULL] AS b, '{}'::int[] AS c",
    "SELECT ARRAY[[1,2],[3,4]] AS a, ARRAY[1.5,NULL]::numeric[] AS b, ARRAY['say \"hi\"'] AS c",
    "SELECT '1 year 2 mons 3 days 04:05:06.789'::interval AS a, '-1 day'::interval AS b, '0'::interval AS c",
    "SELECT 'héllo wörld' AS a, '日本語' AS b, '😀🎉' AS c",
    "SELECT '' AS empty, ' ' AS space, '  padded  ' AS padded, NULL::text AS null_text",
    "SELECT E'line1\\nline2\\nline3' AS ml, E'cr\\rlf' AS cr, E'crlf\\r\\n' AS crlf",
    "SELECT 'a,b' AS comma, 'say \"hi\"' AS quote, '\"' AS q, ',' AS c, E'tab\\there' AS tab",
    "SELECT '\\.' AS backslash_dot, E'back\\\\slash' AS bs",
    "SELECT * FROM generate_series(1, 5) AS g",
    "SELECT x, x::text || 'y' AS t FROM generate_series(-2, 2) x ORDER BY x",
    "SELECT 'x'::char(5) AS c, 'y'::varchar(3) AS v, 'nm'::name AS n, 'c'::\"char\" AS ch",
    "SELECT 12345::oid AS o, '192.168.0.1/24'::inet AS i, '(1,2)'::point AS p",
    "SELECT 1 WHERE false",
    "SELECT 1 AS \"weird,name\", 2 AS \"quo\"\"te\", 3 AS \"new\nline\"",
    "SELECT 1 AS a; SELECT 'two' AS b",
    "CREATE TEMP TABLE corpus_t (a int, b text); INSERT INTO corpus_t VALUES (1, 'x'), (2, NULL) RETURNING a; UPDATE corpus_t SET b = 'y'; SELECT * FROM corpus_t ORDER BY a; DELETE FROM corpus_t; DROP TABLE corpus_t",
];

/// Runs each query through `cor4 ARGS -c` and `psql ARGS -c`; returns a
/// report of every difference.
fn compare_with_psql(shell: &Shell, queries: &[&str], args: &[&str]) -> Vec<String> {
    let mut diffs = Vec::new();
    for q in queries {
        let mut a = args.to_vec();
        a.extend(["-c", q]);
        let ours = shell.run(&a);
        let theirs = psql(&a);
        assert!(
            theirs.status.success(),
            "psql failed on {q}: {}",
            text(&theirs.stderr)
        );
        if ours.stdout != theirs.stdout || code(&ours) != code(&theirs) {
            diffs.push(format!(
                "{args:?} {q}\n--- cor4 (exit {}, stderr {:?})\n{}--- psql\n{}",
                code(&ours),
                text(&ours.stderr),
                text(&ours.stdout),
                text(&theirs.stdout)
            ));
        }
    }
    diffs
}

#[tokio::test]
async fn csv_output_is_byte_for_byte_psqls() {
    assert!(CORPUS.len() >= 30);
    let shell = Shell::start().await;
    let diffs = compare_with_psql(&shell, CORPUS, &["--csv"]);
    assert_no_diffs(&diffs);
}

#[tokio::test]
async fn aligned_output_matches_psql() {
    let shell = Shell::start().await;
    let diffs = compare_with_psql(&shell, CORPUS, &[]);
    assert_no_diffs(&diffs);
}

#[tokio::test]
async fn unaligned_tuples_only_and_expanded_match_psql() {
    let shell = Shell::start().await;
    let queries = [
        "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 22, NULL",
        "SELECT 1 AS a, E'two\\nlines' AS long_name, 3.5 AS c UNION ALL SELECT 2, 'x', NULL",
        "SELECT 1 WHERE false",
        "SELECT '日本' AS w, 1 AS n",
    ];
    let mut diffs = Vec::new();
    for args in [
        &["-A"][..],
        &["-t"],
        &["-A", "-t"],
        &["-x"],
        &["-x", "-t"],
        &["-A", "-x"],
        &["--csv", "-t"],
        &["-A", "-F", ";"],
        &["-P", "null=(null)"],
    ] {
        diffs.extend(compare_with_psql(&shell, &queries, args));
    }
    assert_no_diffs(&diffs);
}

#[tokio::test]
async fn json_prints_one_object_per_row() {
    let shell = Shell::start().await;
    let o = shell.run(&[
        "--json",
        "-c",
        "SELECT g AS n, 'r' || g AS s, NULL::int AS z, '{\"k\": [1]}'::jsonb AS j, 1.50::numeric AS d, true AS b FROM generate_series(1, 3) g",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(
        lines[0],
        r#"{"n":1,"s":"r1","z":null,"j":{"k": [1]},"d":1.50,"b":true}"#
    );
}

#[tokio::test]
async fn c_runs_in_order_and_f_and_stdin_run_scripts() {
    let shell = Shell::start().await;
    let o = shell.run(&["-A", "-t", "-c", "SELECT 1", "-c", "SELECT 2; SELECT 3"]);
    assert_eq!(text(&o.stdout), "1\n2\n3\n");

    let script = temp_file(
        "ok.sql",
        "SELECT 'from file' AS f;\nSELECT\n  40 + 2 AS answer;\n",
    );
    let path = script.to_str().expect("utf-8 path");
    let o = shell.run(&["-A", "-t", "-c", "SELECT 0", "-f", path, "-c", "SELECT 9"]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "0\nfrom file\n42\n9\n");

    let o = shell.run_stdin(&["-A", "-t"], "SELECT 'stdin';\nSELECT 7 * 6;\n");
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "stdin\n42\n");
    let _ = std::fs::remove_file(script);
}

#[tokio::test]
async fn command_tags_print_as_psql_prints_them() {
    let shell = Shell::start().await;
    let sql = "CREATE TEMP TABLE tags (a int); INSERT INTO tags VALUES (1), (2), (3); UPDATE tags SET a = a + 1 WHERE a > 1; DELETE FROM tags WHERE a = 1; BEGIN; COMMIT; DROP TABLE tags";
    let o = shell.run(&["-c", sql]);
    assert_eq!(
        text(&o.stdout),
        "CREATE TABLE\nINSERT 0 3\nUPDATE 2\nDELETE 1\nBEGIN\nCOMMIT\nDROP TABLE\n"
    );
    // -q drops the tags, as psql's does.
    let o = shell.run(&["-q", "-c", sql]);
    assert_eq!(text(&o.stdout), "");
    // --timing adds psql's `Time:` line after the command.
    let o = shell.run(&["-At", "--timing", "-c", "SELECT 1"]);
    let out = text(&o.stdout);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("1"));
    let time = lines.next().unwrap_or_default();
    let ms = time
        .strip_prefix("Time: ")
        .and_then(|t| t.strip_suffix(" ms"))
        .unwrap_or_else(|| panic!("timing line {time:?}"));
    assert_eq!(ms.split('.').nth(1).map(str::len), Some(3), "{time}");
}

#[tokio::test]
async fn errors_print_as_psql_prints_them() {
    let shell = Shell::start().await;
    for q in [
        "SELECT * FROM no_such_table",
        "SELECT 1,\n  2,\n  no_such_column",
        "SELECT 1/0",
        "SELEC 1",
    ] {
        let ours = shell.run(&["-c", q]);
        let theirs = psql(&["-c", q]);
        assert_eq!(text(&ours.stderr), text(&theirs.stderr), "for {q:?}");
        assert_eq!(code(&ours), 1);
    }
    let o = shell.run(&["-c", "DO $$ BEGIN RAISE NOTICE 'hello'; END $$"]);
    assert_eq!(text(&o.stderr), "NOTICE:  hello\n");
    assert_eq!(text(&o.stdout), "DO\n");
}

#[tokio::test]
async fn exit_codes_are_psqls() {
    let shell = Shell::start().await;
    let bad = "SELECT 1/0";
    // The last -c decides; on-error-stop stops at the failing one.
    assert_eq!(code(&shell.run(&["-c", bad])), 1);
    assert_eq!(code(&shell.run(&["-c", bad, "-c", "SELECT 1"])), 0);
    let o = shell.run(&["--on-error-stop", "-c", bad, "-c", "SELECT 'not run'"]);
    assert_eq!(code(&o), 1);
    assert!(!text(&o.stdout).contains("not run"));
    assert_eq!(code(&shell.run(&["-v", "ON_ERROR_STOP=1", "-c", bad])), 1);

    // Scripts: 0 despite errors, 3 with on-error-stop.
    let script = temp_file("bad.sql", "SELECT 1/0;\nSELECT 'after' AS x;\n");
    let path = script.to_str().expect("utf-8 path");
    let o = shell.run(&["-f", path]);
    assert_eq!(code(&o), 0);
    assert!(text(&o.stdout).contains("after"));
    let o = shell.run(&["--on-error-stop", "-f", path]);
    assert_eq!(code(&o), 3);
    assert!(!text(&o.stdout).contains("after"));
    let o = shell.run_stdin(&["-v", "ON_ERROR_STOP=1"], "SELECT 1/0;\nSELECT 'after';\n");
    assert_eq!(code(&o), 3);
    assert_eq!(code(&shell.run(&["-f", "/nonexistent/x.sql"])), 1);
    let _ = std::fs::remove_file(script);

    // Connection and authentication failures: 2.
    let o = shell
        .command()
        .env("COR4_PASSWORD", "wrong")
        .args(["-c", "SELECT 1"])
        .output()
        .expect("run cor4");
    assert_eq!(code(&o), 2);
    let addr = shell.proxy.addr();
    assert_eq!(
        text(&o.stderr),
        format!(
            "cor4: error: connection to server at \"{}\", port {} failed: login failed: wrong user name or password\n",
            addr.ip(),
            addr.port()
        )
    );
    let o = shell.run(&["-p", "1", "-c", "SELECT 1"]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stderr).contains("port 1 failed: Connection refused"),
        "{}",
        text(&o.stderr)
    );
    let o = shell
        .command()
        .env_remove("COR4_PASSWORD")
        .args(["-w", "-c", "SELECT 1"])
        .output()
        .expect("run cor4");
    assert_eq!(code(&o), 2);
}

#[tokio::test]
async fn two_million_rows_print_in_bounded_memory() {
    let shell = Shell::start().await;
    let sql = "SELECT * FROM generate_series(1, 2000000)";
    let (status, peak_kib) =
        cor4_tests::run_with_peak_rss(shell.command().args(["-c", sql]).stdout(Stdio::null()));
    assert!(status.success());
    eprintln!("cor4 peak RSS printing 2M rows: {peak_kib} KiB");
    assert!(
        peak_kib > 0 && peak_kib < 64 * 1024,
        "peak RSS {peak_kib} KiB"
    );
}

fn assert_no_diffs(diffs: &[String]) {
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[tokio::test]
async fn ef_edits_a_function_definition_into_the_buffer() {
    let shell = Shell::start().await;
    let script = temp_file(
        "ef.sql",
        "CREATE FUNCTION ef_probe() RETURNS int LANGUAGE sql AS 'SELECT 41';\n\
         \\ef ef_probe\n\
         \\g\n\
         SELECT ef_probe() AS answer;\n\
         \\ef no_such_function\n",
    );
    let path = script.to_str().expect("utf-8 path");
    let o = shell
        .command()
        .env("EDITOR", "sed -i s/41/42/")
        .env_remove("PSQL_EDITOR")
        .env_remove("VISUAL")
        .args(["-X", "-At", "-f", path])
        .output()
        .expect("run cor4");
    let out = text(&o.stdout);
    // The edited definition is shown, run by \g, and the function changed.
    assert!(out.contains("SELECT 42"), "{out}");
    assert!(out.lines().any(|l| l == "42"), "{out}");
    let err = text(&o.stderr);
    assert!(
        err.contains("function \"no_such_function\" does not exist"),
        "{err}"
    );
    let _ = std::fs::remove_file(script);
}
