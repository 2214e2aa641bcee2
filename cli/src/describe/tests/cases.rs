//! The cases: every catalog command with patterns, `S` and `+`, run as the
//! ordinary role and as the superuser.

use super::harness::{Live, Printed, ours, ours_fails, psql, psql_fails};

/// Commands run as both users. Lines without a backslash are SQL run on
/// both sides (their output is not compared).
const BOTH: &str = r#"
\d q48_invoice
\d+ q48_invoice
\d q48_client
\d+ q48_client
\d q48_empty
\d+ q48_scratch
\d q48_typed
\d+ q48_typed
\d q48_booking
\d+ q48_booking
\d q48_deferred
\d+ q48_deferred
\d q48_deferred_j
\d+ q48_deferred_k2
\d q48_deferred_k_key
\d q48_deferred_j_key
\d+ q48_booking_during_excl
\d q48_deferred_rid
\d q48_pair
\d+ q48_pair
\d r49_article
\d+ r49_article
\di r49_*
\di+ r49_*
\d r49_slug_uq
\d+ r49_pub_idx
\d r49_lower_title
\d r49_tags_gin
\d r49_cover
\d+ r49_cover
\ds r49_*
\ds+ r49_*
\d r49_ticket_seq
\d+ r49_loose_seq
\d r49_article_id_seq
\d r49_article_views_seq
\d r49_unlogged_seq
\dis r49_*
\d s50_measure
\d+ s50_measure
\d s50_measure_2024
\d+ s50_measure_2024
\d+ s50_measure_2024_oslo
\d+ s50_measure_2024_rest
\d s50_region
\d+ s50_region
\d+ s50_region_north
\d+ s50_region_null
\d s50_measure_2024_far
\d+ s50_measure_2024_far
\dt s50_*
\dP s50_*
\dP+ s50_*
\dPt s50_*
\dPi s50_*
\dPn
\dPn+ s50_*
\dPtn
\dP
\dPi+
\dPt+
\d s50_measure_city
\d+ s50_measure_city
\d s50_empty_parent
\d+ s50_empty_parent
\d s50_station
\d+ s50_station
\d+ s50_station_low
\d s50_region_pkey
\d t51_vehicle
\d+ t51_vehicle
\d t51_car
\d+ t51_truck
\d+ t51_amphibian
\d t51_audit
\d+ t51_audit
\dp t51_*
\z t51_vehicle
\d t51_forced
\d t51_nopolicy
\dT u52_*
\dT+ u52_*
\dT+ u52_mood
\d u52_point3
\d+ u52_point3
\dD u52_*
\dD+ u52_*
\dT int4
\dTS int2
\dT pg_catalog.bool
\dT u52_nothing*
\dT integer
\dT int[]
\dT float8[]
\dT
\dD
\dT+ bool
\df v53_*
\df+ v53_add
\df *_add
\df v53_add numeric
\df v53_add int int
\df v53_add int -
\df v53_* - -
\dfn v53_*
\dfa v53_*
\dft v53_*
\dfp v53_*
\dfw v53_*
\dfan v53_*
\dfx
\dfnx v53_*
\df+ v53_*
\df
\dfS+ int4pl
\df int4pl int
\df *sum*
\da v53_*
\da+ v53_*
\daS count
\da
\do ###
\do+ ###
\do !!!
\do !!! - text
\do !!! text
\do ### text text
\do
\do+ ###*
\sf v53_add(int, int)
\sf v53_add(numeric,numeric)
\sf+ v53_touch
\sf+ v53_series
\sf v53_log_it
\sf v53_add
\sf v53_nonexistent
\sf v53_product
\sf+ v53_body
\sf+ v53_add(int,int)
\sf
\sv
\dv w54_*
\dv+ w54_*
\dm w54_*
\dm+ w54_*
\d w54_recent
\d+ w54_recent
\d+ w54_big_spenders
\d+ w54_cascade
\d w54_totals
\d+ w54_totals
\d w54_ruled
\d+ w54_ruled
\sv w54_recent
\sv+ w54_big_spenders
\sv w54_cascade
\sv w54_totals
\sv w54_sale
\sv w54_nope
\d w54_*
\sv "W54 Quoted View"
\d "W54 Quoted View"
\dp x55_secret
\z x55_open
\dp x55_nomatch*
\dp x55_*
\dp
\ddp
\ddp describe_test
\ddp a.b
\ddp cor4.a.b
\dn describe_test
\dn+ describe_test
\dn nosuch_schema*
\du pg_monitor
\dg pg_read_all_*
\du+ pg_write_server_files
\du nosuch_role
\du dt_*
\du+ dt_*
\dg
\l nosuch_database
\l cor4
\dO y56_*
\dO+ y56_*
\dO
\dC y56_*
\dC+ y56_pair
\dC
\dd y56_*
\dd t51_*
\dd
\ddS y56_*
\dX y56_*
\dX+ y56_*
\dX
\dX q48*
\d y56_people
\dx plpgsql
\dx+ plpgsql
\dx
\dx+ citext
\dx nosuch
\dx+ nosuch
\dL plpgsql
\dL+ plpgsql
\dL
\dLS
\dA heap
\dA+ hash
\dA
\dAc btree int4
\dAc+ btree int4
\dAc btree y56*
\dAc * text
\dAf btree int4
\dAf+ btree
\dAo btree integer_ops
\dAo+ btree integer_ops
\dAp btree integer_ops
\dAp+ btree integer_ops
\dAo btree y56*
\db pg_default
\db
\db dt_*
\d+ q48_scratch_k
\d+ q48_client
\d dt_far_mv
\d+ dt_far_mv
\dS
\dvS
\dE+ *.*
\dy
\dy+
\dRp
\dRs+
\dRs
\dE
\dE+
\dew
\dew+
\des
\des+
\deu
\deu+
\det
\det+
\d dt_ft
\d+ dt_ft
\dcS utf8_to_iso_8859_1
\dc
\dc+
\dc y56*
\dF english
\dF+ english
\dF+ y56_ts
\dF
\dFd english_stem
\dFd+ y56*
\dFd
\dFp default
\dFp+ default
\dFp
\dFp+ nosuch
\dFt simple
\dFt+ simple
\dFt
\dconfig extra_float_digits
\dconfig+ bytea_output
\dconfig nosuch_setting*
\dconfig a.b
\dl
\dl+
\drds
\drds dt_reader
\drds dt_reader cor4
\drds nosuch
\d "Z57 Mixed Case"
\d "z57 mixed case"
\d Z57_LOWER
\d "Z57_LOWER"
\dt "Z57"*
\dt describe_test.z57_*
\dt *.z57_lower
\dt z57_lower|nothing
\dt z57_lowe?
\dt z57_nonexistent
\dt public.*
\dS pg_am
\dvS pg_roles
\dtS pg_am*
\d z57_nonexistent
\d nosuchschema.z57_lower
\dt+ z57_lower
\di z57_*
\dv z57_*
\dm z57_*
\ds z57_*
\df z57_*
\dD z57_*
\dT z57_*
\dn z57_*
\dx z57_*
\d "z57.dotted"
\d z57$dollar
\d "z57$dollar"
\dt *.*z57*
\dt a.b.c.d
\d nosuchdb.public.z57_lower
\d cor4.describe_test.z57_lower
\d COR4.describe_test.z57_lower
\dn a.b
\dn cor4.x
\l x.y
\dT x.y.z
\dL a.b
\d
\d+
\dt
\dv
\dm
\di
\ds
\dtv
\dts+
\dS pg_toast.pg_toast_2619
\d+ pg_toast.pg_toast_2619
\d pg_toast.pg_toast_2619_index
\dS+ pg_class
\dtS+ pg_class
\dt (z57|q48)_*
\df v53_(add|neg)
\dT "u52_mood"
\dT+ u52_point3
\df v53_add "integer"
\dt DESCRIBE_TEST.Z57_LOWER
\dt "describe_test"."z57_lower"
\d "describe_test.z57_lower"
\dn describe*
\dn+ describe*
\do +
\do *
\do+ * int4 int4
\do - int4
\dfS v53*
\dAf
\dAc
\dA+
\ddS
\dgS dt*
\duS+ dt_admin
\dt *.*
\d *.q48_c*
\d+ r49_*
\dm+
\dv+
\ds+
\dE+ *
\dx+
\dF+
\dFd+
\dFt+
\dy dt_*
\dRp dt_*
\des+ dt*
\dew+ dt*
\deu+ dt*
\det+ dt*
\dl+
\dP+
\dPn+
\dPin+
\dPtn+
\dconfig+ work_mem
\dconfig *float*
\dconfig "extra_float_digits"
SET search_path = z57_no_such_schema;
\d
\dt
\dv
\di
\d z57_lower
\d describe_test.z57_lower
\dt describe_test.*z57*
RESET search_path;
"#;

/// Commands that need the superuser.
const SUPER: &str = r#"
\dRp+
\dRp+ dt_pub_some
\dRp+ nosuch
\dRs
\dRs+
\db+ pg_global
\dn
\dnS
\dn+
"#;

/// Commands whose success or failure (for `ON_ERROR_STOP`) is compared.
const STATUS: &[&str] = &[
    r"\d nosuch",
    r"\dt nosuch",
    r"\dt a.b.c.d",
    r"\d x.y.z",
    r"\dx+ nosuch",
    r"\df+ v53_add",
    r"\dfx v53_add",
    r"\sf nosuch",
    r"\sf",
    r"\sv x55_open",
    r"\sv w54_recent",
    r"\dRp+ nosuch",
    r"\dF+ nosuch",
    r"\dFp+ nosuch",
    r"\d q48_client",
    r"\drds nosuch",
    r"\dn a.b",
    r"\dP nosuch",
    r"\dconfig a.b.c.d",
];

/// Compares success and failure of [`STATUS`] as `user`.
async fn compare_status(base: &str, user: &str) -> (usize, Vec<String>) {
    let conninfo = format!("{base} user={user} options='-c search_path=describe_test'");
    let mut live = match Live::connect(&conninfo).await {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    let mut same = 0;
    let mut diffs = Vec::new();
    for line in STATUS {
        let theirs = match psql_fails(&conninfo, line) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        };
        let mine = ours_fails(&mut live, line).await;
        if theirs == mine {
            same += 1;
        } else {
            diffs.push(format!(
                "[{user} status] {line}: psql failed {theirs}, ours {mine}"
            ));
        }
    }
    (same, diffs)
}

/// The lines of a case list.
fn lines(list: &str) -> Vec<&str> {
    list.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// How psql runs: plain, or quiet with the table access method and
/// compression hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    QuietHidden,
}

/// Runs `list` as `user` both ways; returns (identical, mismatches).
async fn compare(base: &str, user: &str, list: &[&str], mode: Mode) -> (usize, Vec<String>) {
    let conninfo = format!("{base} user={user} options='-c search_path=describe_test'");
    let quiet = mode == Mode::QuietHidden;
    let extra: &[&str] = if quiet {
        &[
            "-q",
            "-v",
            "HIDE_TABLEAM=on",
            "-v",
            "HIDE_TOAST_COMPRESSION=on",
        ]
    } else {
        &[]
    };
    let theirs = match psql(&conninfo, list, extra) {
        Ok(t) => t,
        Err(e) => panic!("psql failed: {e}"),
    };
    let mut live = match Live::connect(&conninfo).await {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    live.hide = quiet;
    let mut same = 0;
    let mut diffs = Vec::new();
    for (line, psql_printed) in list.iter().zip(theirs) {
        if !line.starts_with('\\') {
            if let Err(e) = live.batch(line).await {
                panic!("{line}: {e}");
            }
            continue;
        }
        let mine: Printed = ours(&mut live, line, quiet).await;
        if mine == psql_printed {
            same += 1;
        } else {
            diffs.push(format!(
                "[{user} {mode:?}] {line}\n--- psql\n{}{:?}\n--- ours\n{}{:?}\n",
                psql_printed
                    .stdout
                    .replace('\u{1e}', "\n")
                    .replace('\u{1f}', "|"),
                psql_printed.errors,
                mine.stdout.replace('\u{1e}', "\n").replace('\u{1f}', "|"),
                mine.errors
            ));
        }
    }
    (same, diffs)
}

#[tokio::test]
async fn catalog_commands_print_what_psql_prints() {
    let Ok(base) = std::env::var("COR4_DESCRIBE_TEST_URL") else {
        eprintln!(
            "skipped: set COR4_DESCRIBE_TEST_URL (libpq key=value, no user) to a \
             PostgreSQL 15 with a superuser postgres to compare with psql"
        );
        return;
    };
    let role = std::env::var("COR4_DESCRIBE_TEST_ROLE").unwrap_or_else(|_| "corpus".to_owned());
    let admin = match Live::connect(&format!("{base} user=postgres")).await {
        Ok(a) => a,
        Err(e) => panic!("{e}"),
    };
    let mut fixture = include_str!("fixture.sql").replace("{{role}}", &role);
    // Tablespaces cannot be created or dropped inside the fixture's
    // implicit transaction.
    let solo = [
        "SET client_min_messages = warning",
        "DROP SCHEMA IF EXISTS describe_test CASCADE",
        "DROP TABLESPACE IF EXISTS dt_space",
    ];
    for sql in solo {
        if let Err(e) = admin.batch(sql).await {
            panic!("{sql}: {e}");
        }
    }
    let tablespace = std::env::var("COR4_DESCRIBE_TEST_TABLESPACE").ok();
    if let Some(dir) = &tablespace {
        let sql = format!("CREATE TABLESPACE dt_space LOCATION '{dir}'");
        if let Err(e) = admin.batch(&sql).await {
            panic!("{sql}: {e}");
        }
    }
    if tablespace.is_some() {
        fixture.push_str(
            "SET search_path = describe_test;\n\
             ALTER TABLE describe_test.q48_scratch SET TABLESPACE dt_space;\n\
             CREATE INDEX q48_scratch_k ON describe_test.q48_scratch (k) TABLESPACE dt_space;\n\
             ALTER INDEX describe_test.q48_client_pkey SET TABLESPACE dt_space;\n\
             CREATE MATERIALIZED VIEW describe_test.dt_far_mv TABLESPACE dt_space AS SELECT 1 AS one;\n",
        );
    }
    if let Err(e) = admin.batch(&fixture).await {
        panic!("fixture: {e}");
    }
    let both = lines(BOTH);
    let mut supers = lines(SUPER);
    supers.extend(&both);
    let mut total = 0;
    let mut same = 0;
    let mut diffs = Vec::new();
    let runs = [
        (role.as_str(), &both, Mode::Plain),
        ("postgres", &supers, Mode::Plain),
        (role.as_str(), &both, Mode::QuietHidden),
    ];
    for (user, list, mode) in runs {
        let (n, mut d) = compare(&base, user, list, mode).await;
        total += n + d.len();
        same += n;
        diffs.append(&mut d);
    }
    let (n, mut d) = compare_status(&base, &role).await;
    total += n + d.len();
    same += n;
    diffs.append(&mut d);
    eprintln!("{same} of {total} catalog command cases identical to psql");
    if let Ok(path) = std::env::var("COR4_DESCRIBE_TEST_DIFFS") {
        let _ = std::fs::write(path, diffs.join("\n"));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
