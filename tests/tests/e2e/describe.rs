//! psql's catalog commands (`\d` and its family, `\l`, `\dp`, `\sf` …)
//! through `cor4` beside psql itself, on a schema holding every object kind
//! they describe (`tests/psql/describe/fixture.sql`): the ~240 command
//! lines of `cases.txt` run as one script in three modes (plain, `-x`, and
//! `-q` with `HIDE_TABLEAM` and `HIDE_TOAST_COMPRESSION`), and the
//! commands of `status.txt` compare their exit status one by one.

use std::path::Path;

use super::corpus::Corpus;
use super::*;

const FIXTURE: &str = include_str!("../../psql/describe/fixture.sql");
const CASES: &str = include_str!("../../psql/describe/cases.txt");
const STATUS: &str = include_str!("../../psql/describe/status.txt");

/// The lines of a case list: no blank lines or `#` notes; `{db}` is the
/// test database.
fn lines(list: &str, db: &str) -> Vec<String> {
    list.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.replace("{db}", db)
                .replace("{DB}", &db.to_ascii_uppercase())
        })
        .collect()
}

/// Creates the fixture: the schema `describe_test`, owned by `role`, and
/// the `dt_*` roles, wrappers, publications and event trigger around it.
async fn create_fixture(role: &str, db: &str) {
    let admin = admin_pg().await;
    let sql = FIXTURE
        .replace("{{role}}", &format!("\"{role}\""))
        .replace("{db}", &format!("\"{db}\""));
    admin
        .batch_execute(
            "SET client_min_messages = warning; DROP SCHEMA IF EXISTS describe_test CASCADE",
        )
        .await
        .expect("drop the old fixture");
    admin.batch_execute(&sql).await.expect("create the fixture");
}

/// The cases as one script: each after a numbered `\echo`, so a
/// difference shows which command it belongs to.
fn script(cases: &[String]) -> String {
    let mut text = String::from("SET search_path = describe_test;\n");
    for (i, case) in cases.iter().enumerate() {
        text.push_str(&format!("\\echo '#### case {}'\n{case}\n", i + 1));
    }
    text
}

#[tokio::test]
async fn catalog_commands_print_what_psql_prints() {
    let corpus = Corpus::start("describe").await;
    let db = corpus.database().to_owned();
    create_fixture(corpus.role(), &db).await;
    let cases = lines(CASES, &db);
    assert!(cases.len() > 200, "only {} cases", cases.len());
    let dir = std::env::temp_dir().join(unique_name("cor4-describe"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("catalog.sql");
    std::fs::write(&path, script(&cases)).expect("write the script");
    let mut diffs = Vec::new();
    let modes: [&[&str]; 3] = [
        &[],
        &["-x"],
        &[
            "-q",
            "-v",
            "HIDE_TABLEAM=on",
            "-v",
            "HIDE_TOAST_COMPRESSION=on",
        ],
    ];
    for mode in modes {
        diffs.extend(corpus.compare(Path::new(&path), mode).await);
    }
    for command in lines(STATUS, &db) {
        diffs.extend(
            corpus.compare_commands(&["SET search_path = describe_test", command.as_str()]),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(diffs.is_empty(), "{}", diffs.join("\n\n"));
}
