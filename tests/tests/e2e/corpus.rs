//! psql scripts run through `cor4 -f` and `psql -f` as the same PostgreSQL
//! role: stdout, stderr and the exit code must be identical, apart from the
//! program name in `psql:FILE:LINE:` prefixes (`tests/psql/README.md`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::*;

/// A cor4 user and a proxy, and the role's own login for psql.
pub(crate) struct Corpus {
    proxy: Proxy,
    user: String,
    password: String,
    role: tokio_postgres::Config,
}

impl Corpus {
    pub(crate) async fn start(prefix: &str) -> Corpus {
        let (user, password) = new_user(prefix).await;
        let store = store().await;
        let record = store.lookup(&user).await.unwrap().expect("the new user");
        let role = store.session_config(&record).driver().clone();
        let proxy = Proxy::start(&[]);
        Corpus {
            proxy,
            user,
            password,
            role,
        }
    }

    /// The PostgreSQL role both programs log in as.
    pub(crate) fn role(&self) -> &str {
        self.role.get_user().unwrap_or_default()
    }

    /// The database both programs use.
    pub(crate) fn database(&self) -> &str {
        self.role.get_dbname().unwrap_or("postgres")
    }

    /// Runs `commands` as `-c` options of one run of each program; returns
    /// a description of every difference in output and exit status.
    pub(crate) fn compare_commands(&self, commands: &[&str]) -> Vec<String> {
        let run = |mut command: Command| -> Output {
            for c in commands {
                command.arg("-c").arg(c);
            }
            command
                .env("PAGER", "")
                .stdin(Stdio::null())
                .output()
                .expect("run the commands")
        };
        let psql = run(self.psql());
        let cor4 = run(self.cor4());
        let label = commands.join(" ; ");
        compare_outputs(&label, &psql, &cor4)
    }

    fn cor4(&self) -> Command {
        let addr = self.proxy.addr();
        let mut c = Command::new(cor4_tests::binary("cor4"));
        c.env("COR4_HOST", addr.ip().to_string())
            .env("COR4_PORT", addr.port().to_string())
            .env("COR4_USER", &self.user)
            .env("COR4_PASSWORD", &self.password)
            .arg("-X");
        c
    }

    fn psql(&self) -> Command {
        cor4_tests::psql_as(&self.role)
    }

    /// Runs `script` with `args` through both programs, each in a fresh
    /// working directory; returns a description of every difference.
    pub(crate) async fn compare(&self, script: &Path, args: &[&str]) -> Vec<String> {
        let name = script
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let run = |mut command: Command, tag: &str| -> Output {
            let dir = scratch_dir(&format!("{tag}-{name}"));
            let out = command
                .args(args)
                .arg("-f")
                .arg(script)
                .current_dir(&dir)
                .env("PAGER", "")
                .env("COLUMNS", "80")
                .stdin(Stdio::null())
                .output()
                .expect("run the script");
            let _ = std::fs::remove_dir_all(&dir);
            out
        };
        // The scripts drop what they create (tests/psql/README.md), so both
        // runs start from the same state.
        let psql = run(self.psql(), "psql");
        let cor4 = run(self.cor4(), "cor4");
        let label = format!("{name} {}", args.join(" "));
        compare_outputs(&label, &psql, &cor4)
    }
}

/// The differences between psql's and cor4's runs: exit status, stdout
/// and stderr, after the allowed normalisations.
fn compare_outputs(label: &str, psql: &Output, cor4: &Output) -> Vec<String> {
    let mut diffs = Vec::new();
    if psql.status.code() != cor4.status.code() {
        diffs.push(format!(
            "{label}: exit code psql {:?}, cor4 {:?}",
            psql.status.code(),
            cor4.status.code()
        ));
    }
    let psql_err = String::from_utf8_lossy(&psql.stderr).replace("\npsql:", "\ncor4:");
    let psql_err = psql_err
        .strip_prefix("psql:")
        .map_or(psql_err.clone(), |rest| format!("cor4:{rest}"));
    for (what, p, c) in [
        (
            "stdout",
            mask_hidden_queries(&String::from_utf8_lossy(&psql.stdout)),
            mask_hidden_queries(&String::from_utf8_lossy(&cor4.stdout)),
        ),
        (
            "stderr",
            psql_err,
            String::from_utf8_lossy(&cor4.stderr).into_owned(),
        ),
    ] {
        if p != c {
            diffs.push(format!(
                "{label}: {what} differs\n{}",
                cor4_tests::diff(&p, &c)
            ));
        }
    }
    diffs
}

/// The catalog commands' queries that `ECHO_HIDDEN` shows are cor4's own
/// SQL, not psql's (docs/cli.md): the text between the banners is
/// replaced by a marker in both outputs; the banners, their number and
/// their place are compared.
fn mask_hidden_queries(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        match line.trim_end_matches('\n') {
            "********* QUERY **********" => {
                inside = true;
                out.push_str(line);
                out.push_str("<query>\n");
            }
            "**************************" if inside => {
                inside = false;
                out.push_str(line);
            }
            _ if inside => {}
            _ => out.push_str(line),
        }
    }
    out
}

fn scratch_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cor4-corpus-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The `.sql` files of `tests/psql/<dir>`, sorted.
pub(crate) fn scripts(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("psql").join(dir);
    let mut all: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    all.sort();
    all
}

/// The option sets every script runs under (tests/psql/README.md).
const MODES: &[&[&str]] = &[
    &[],
    &["-a"],
    &["-e"],
    &["-q"],
    &["-v", "ON_ERROR_STOP=1"],
    &["-x"],
];

/// Runs every script of `tests/psql/<dir>` in every mode, except `skip`.
async fn compare_all(prefix: &str, dir: &str, skip: &[&str]) {
    let corpus = Corpus::start(prefix).await;
    let mut diffs = Vec::new();
    let mut runs = 0;
    for script in scripts(dir) {
        let name = script.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.as_deref().is_some_and(|n| skip.contains(&n)) {
            continue;
        }
        for mode in MODES {
            diffs.extend(corpus.compare(&script, mode).await);
            runs += 1;
        }
    }
    assert!(runs > 0, "no scripts in tests/psql/{dir}");
    assert!(
        diffs.is_empty(),
        "{} of {runs} runs differ from psql:\n{}",
        diffs.len(),
        diffs.join("\n\n")
    );
}

#[tokio::test]
async fn corpus_scripts_print_what_psql_prints() {
    // 58-help is psql's SQL syntax help, which cor4 words its own way.
    compare_all("corpus", "corpus", &["58-help.sql"]).await;
}

#[tokio::test]
async fn copy_scripts_print_what_psql_prints() {
    compare_all("copycorpus", "copy", &[]).await;
}
