//! `cor4 --csv` beside `psql --csv` on a 1M-row, 5-column table (int,
//! text, bool, numeric with NULLs, date): wall time and peak RSS of the
//! whole process, and the same bytes.

use std::process::{Command, Stdio};
use std::time::Instant;

use cor4_tests::run_with_peak_rss;

use super::{Bench, Figure, best, ratio, seconds};

pub async fn run(bench: &Bench, figures: &mut Vec<Figure>) {
    bench
        .client
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS bench_csv; \
             CREATE TABLE bench_csv AS SELECT g AS id, 'name ' || g AS name, g % 2 = 0 AS flag, \
             CASE WHEN g % 7 = 0 THEN NULL ELSE (g / 3)::numeric + (g % 100) / 100.0 END AS amount, \
             DATE '2000-01-01' + (g % 1000) AS day FROM generate_series(1, {}) g",
            bench.rows
        ))
        .await
        .unwrap();
    let query = "SELECT * FROM bench_csv ORDER BY id";
    let run = |mut command: Command, file: &str| {
        let out = std::fs::File::create(bench.scratch.join(file)).unwrap();
        let start = Instant::now();
        let (status, rss) = run_with_peak_rss(
            command
                .args(["--csv", "-c", query])
                .stdout(Stdio::from(out)),
        );
        assert!(status.success(), "{file}");
        (start.elapsed(), rss)
    };
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let (mut ours_rss, mut theirs_rss) = (0, 0);
    for _ in 0..3 {
        let (t, rss) = run(bench.cor4(), "cor4.csv");
        ours.push(t);
        ours_rss = ours_rss.max(rss);
        let (t, rss) = run(bench.psql(), "psql.csv");
        theirs.push(t);
        theirs_rss = theirs_rss.max(rss);
    }
    let ours_bytes = std::fs::read(bench.scratch.join("cor4.csv")).unwrap();
    let theirs_bytes = std::fs::read(bench.scratch.join("psql.csv")).unwrap();
    assert!(
        ours_bytes == theirs_bytes,
        "cor4 --csv printed other bytes than psql --csv"
    );
    let (p, d) = (best(ours), best(theirs));
    figures.push(Figure::new(
        format!("--csv of {} rows x 5 columns (vs psql)", bench.rows),
        format!("{}, {} MiB", seconds(p), ours_rss / 1024),
        format!("{}, {} MiB", seconds(d), theirs_rss / 1024),
        ratio(p, d),
    ));
    bench
        .client
        .batch_execute("DROP TABLE bench_csv")
        .await
        .unwrap();
}
