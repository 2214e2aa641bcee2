//! `\copy … from` and `\copy … to` a 1M-row CSV file, cor4 beside psql:
//! wall time and peak RSS of the whole process, and identical bytes.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use cor4_tests::run_with_peak_rss;

use super::{Bench, Figure, best, ratio, seconds};

/// `\copy … from` and `\copy … to` a 1M-row CSV file, cor4 vs psql:
/// wall time and peak RSS of the whole process.
pub async fn run(bench: &Bench, figures: &mut Vec<Figure>) {
    let csv = bench.scratch.join("bench.csv");
    write_csv(&csv, bench.rows);
    bench
        .client
        .batch_execute(
            "DROP TABLE IF EXISTS bench_copy; \
             CREATE TABLE bench_copy (id int, name text, flag bool, amount numeric, day date)",
        )
        .await
        .unwrap();
    let load = "\\copy bench_copy from 'bench.csv' csv";
    let dump = |file: &str| format!("\\copy bench_copy to '{file}' csv");
    let timed = |mut command: Command, args: &[&str]| {
        let start = Instant::now();
        let (status, rss) = run_with_peak_rss(command.args(args));
        assert!(status.success(), "{args:?}");
        (start.elapsed(), rss)
    };
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let (mut ours_rss, mut theirs_rss) = (0, 0);
    for _ in 0..3 {
        bench
            .client
            .batch_execute("TRUNCATE bench_copy")
            .await
            .unwrap();
        let (t, rss) = timed(bench.cor4(), &["-c", load]);
        ours.push(t);
        ours_rss = ours_rss.max(rss);
        bench
            .client
            .batch_execute("TRUNCATE bench_copy")
            .await
            .unwrap();
        let (t, rss) = timed(bench.psql(), &["-c", load]);
        theirs.push(t);
        theirs_rss = theirs_rss.max(rss);
    }
    let (p, d) = (best(ours), best(theirs));
    figures.push(Figure::new(
        format!("\\copy from a {} row CSV (vs psql)", bench.rows),
        format!("{}, {} MiB", seconds(p), ours_rss / 1024),
        format!("{}, {} MiB", seconds(d), theirs_rss / 1024),
        ratio(p, d),
    ));
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let (mut ours_rss, mut theirs_rss) = (0, 0);
    for _ in 0..3 {
        let (t, rss) = timed(bench.cor4(), &["-c", &dump("cor4.csv")]);
        ours.push(t);
        ours_rss = ours_rss.max(rss);
        let (t, rss) = timed(bench.psql(), &["-c", &dump("psql.csv")]);
        theirs.push(t);
        theirs_rss = theirs_rss.max(rss);
    }
    assert_eq!(
        std::fs::read(bench.scratch.join("cor4.csv")).unwrap(),
        std::fs::read(bench.scratch.join("psql.csv")).unwrap(),
        "\\copy to a file wrote other bytes than psql's"
    );
    let (p, d) = (best(ours), best(theirs));
    figures.push(Figure::new(
        format!("\\copy to a {} row CSV (vs psql)", bench.rows),
        format!("{}, {} MiB", seconds(p), ours_rss / 1024),
        format!("{}, {} MiB", seconds(d), theirs_rss / 1024),
        ratio(p, d),
    ));
    bench
        .client
        .batch_execute("DROP TABLE bench_copy")
        .await
        .unwrap();
}

/// `rows` lines of id, name, flag, amount (NULL on every 7th), date.
pub fn write_csv(path: &Path, rows: u64) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 1..=rows {
        let amount = if i % 7 == 0 {
            String::new()
        } else {
            format!("{}.{:02}", i / 3, i % 100)
        };
        writeln!(
            out,
            "{i},name {i},{},{amount},{}",
            i % 2 == 0,
            chrono_day(i)
        )
        .unwrap();
    }
    out.flush().unwrap();
}

/// A date in 2000–2002 for row `i`.
fn chrono_day(i: u64) -> String {
    let day = i % 1000;
    let (y, m, d) = cor4_protocol::civil_from_days(i64::try_from(day).unwrap_or(0));
    format!("{y:04}-{m:02}-{d:02}")
}
