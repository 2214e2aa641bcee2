//! Relation listings: `\d` without a pattern, `\dt \di \dv \dm \ds \dE`
//! (alone or combined, with `S` and `+`), and `\dP[tin][+]`.

use super::pattern::Target;
use super::sql::{Sql, listing};
use super::{Ctx, Done};

/// The kind names of `\d` listings, by `relkind`.
const KIND_NAMES: &str = "CASE c.relkind \
WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' \
WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' \
WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' \
WHEN 'I' THEN 'partitioned index' END";

/// Leaves out the system schemas.
const NOT_SYSTEM: &str = "n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' \
AND n.nspname <> 'information_schema'";

/// Relations in schemas on the search path.
const TABLE_VISIBLE: &str = "pg_catalog.pg_table_is_visible(c.oid)";

/// `\dt`, `\di`, … : `kinds` holds the letters typed after `d`.
pub(super) async fn list(
    cx: &mut Ctx<'_>,
    kinds: &str,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let has = |c: char| kinds.contains(c);
    let (mut tables, indexes, mut views, mut matviews, mut seqs, mut foreign) =
        (has('t'), has('i'), has('v'), has('m'), has('s'), has('E'));
    if !(tables || indexes || views || matviews || seqs || foreign) {
        (tables, views, matviews, seqs, foreign) = (true, true, true, true, true);
    }
    let mut cols = vec![
        "n.nspname AS \"Schema\"".to_owned(),
        "c.relname AS \"Name\"".to_owned(),
        format!("{KIND_NAMES} AS \"Type\""),
        "pg_catalog.pg_get_userbyid(c.relowner) AS \"Owner\"".to_owned(),
    ];
    if indexes {
        cols.push("t.relname AS \"Table\"".to_owned());
    }
    if verbose {
        cols.push(
            "CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' \
             WHEN 'u' THEN 'unlogged' END AS \"Persistence\""
                .to_owned(),
        );
        if (tables || matviews || indexes) && !cx.hide_tableam() {
            cols.push("am.amname AS \"Access method\"".to_owned());
        }
        cols.push(
            "pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) AS \"Size\"".to_owned(),
        );
        cols.push("pg_catalog.obj_description(c.oid, 'pg_class') AS \"Description\"".to_owned());
    }
    let mut sql = Sql::new(&format!("SELECT {}\n", cols.join(",\n       ")));
    sql.push("FROM pg_catalog.pg_class c\n")
        .push("JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n")
        .push("LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam\n");
    if indexes {
        sql.push("LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = c.oid\n")
            .push("LEFT JOIN pg_catalog.pg_class t ON t.oid = x.indrelid\n");
    }
    let mut relkinds: Vec<&str> = Vec::new();
    if tables {
        relkinds.extend(["'r'", "'p'"]);
        if system || pattern.is_some() {
            relkinds.push("'t'");
        }
    }
    if views {
        relkinds.push("'v'");
    }
    if matviews {
        relkinds.push("'m'");
    }
    if indexes {
        relkinds.extend(["'i'", "'I'"]);
    }
    if seqs {
        relkinds.push("'S'");
    }
    if system || pattern.is_some() {
        relkinds.push("'s'");
    }
    if foreign {
        relkinds.push("'f'");
    }
    sql.and(&format!("c.relkind IN ({})", relkinds.join(", ")));
    if !system && pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    let target = Target::qualified("n.nspname", "c.relname", TABLE_VISIBLE);
    cx.filter(&mut sql, pattern, &target).await?;
    sql.push("ORDER BY 1, 2;");
    let result = cx.query(sql.text()).await?;
    if result.rows.is_empty() && !cx.quiet {
        let message = match pattern {
            Some(p) => format!("Did not find any relation named \"{p}\"."),
            None => "Did not find any relations.".to_owned(),
        };
        cx.error(message);
    } else {
        cx.table(listing("List of relations", result));
    }
    Ok(())
}

/// `\dP`: partitioned tables and indexes; `kinds` holds the letters after
/// `dP` (`t`, `i`, `n`).
pub(super) async fn partitioned(
    cx: &mut Ctx<'_>,
    kinds: &str,
    pattern: Option<&str>,
    verbose: bool,
) -> Done {
    let (mut tables, mut indexes) = (kinds.contains('t'), kinds.contains('i'));
    let nested = kinds.contains('n');
    if !tables && !indexes {
        (tables, indexes) = (true, true);
    }
    let title = match (tables, indexes) {
        (true, true) => "List of partitioned relations",
        (true, false) => "List of partitioned tables",
        _ => "List of partitioned indexes",
    };
    let with_parent = nested || pattern.is_some();
    let mut cols = vec![
        "n.nspname AS \"Schema\"",
        "c.relname AS \"Name\"",
        "pg_catalog.pg_get_userbyid(c.relowner) AS \"Owner\"",
    ];
    if tables && indexes {
        cols.push(
            "CASE c.relkind WHEN 'p' THEN 'partitioned table' \
             WHEN 'I' THEN 'partitioned index' END AS \"Type\"",
        );
    }
    if with_parent {
        cols.push("h.inhparent::pg_catalog.regclass AS \"Parent name\"");
    }
    if indexes {
        cols.push("t.oid::pg_catalog.regclass AS \"Table\"");
    }
    if verbose {
        if nested {
            cols.push("sz.leaves AS \"Leaf partition size\"");
        }
        cols.push("sz.total AS \"Total size\"");
        cols.push("pg_catalog.obj_description(c.oid, 'pg_class') AS \"Description\"");
    }
    let mut sql = Sql::new(&format!("SELECT {}\n", cols.join(",\n       ")));
    sql.push("FROM pg_catalog.pg_class c\n")
        .push("JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n");
    if indexes {
        sql.push("LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = c.oid\n")
            .push("LEFT JOIN pg_catalog.pg_class t ON t.oid = x.indrelid\n");
    }
    if with_parent {
        sql.push("LEFT JOIN pg_catalog.pg_inherits h ON h.inhrelid = c.oid\n");
    }
    if verbose {
        sql.push(
            "CROSS JOIN LATERAL (\n  SELECT pg_catalog.pg_size_pretty(pg_catalog.sum(\n    \
             CASE WHEN tr.isleaf AND tr.level = 1 THEN pg_catalog.pg_table_size(tr.relid) \
             ELSE 0 END)) AS leaves,\n    \
             pg_catalog.pg_size_pretty(pg_catalog.sum(pg_catalog.pg_table_size(tr.relid))) AS total\n  \
             FROM pg_catalog.pg_partition_tree(c.oid) tr) sz\n",
        );
    }
    let mut relkinds = Vec::new();
    if tables {
        relkinds.push("'p'");
    }
    if indexes {
        relkinds.push("'I'");
    }
    sql.and(&format!("c.relkind IN ({})", relkinds.join(", ")));
    if pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    if !nested && pattern.is_none() {
        sql.and("NOT c.relispartition");
    }
    let target = Target::qualified("n.nspname", "c.relname", TABLE_VISIBLE);
    cx.filter(&mut sql, pattern, &target).await?;
    let mut order = vec!["\"Schema\""];
    if tables && indexes {
        order.push("\"Type\" DESC");
    }
    if with_parent {
        order.push("\"Parent name\" NULLS FIRST");
    }
    order.push("\"Name\"");
    cx.show(sql, &format!("ORDER BY {};", order.join(", ")), title)
        .await
}
