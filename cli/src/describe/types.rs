//! `\dT` (data types) and `\dD` (domains).

use super::pattern::Target;
use super::sql::Sql;
use super::{Ctx, Done};

/// Leaves out `pg_catalog` and `information_schema`.
pub(super) const NOT_SYSTEM: &str =
    "n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema'";

/// The `Access privileges` column of an ACL array.
pub(super) fn acl_column(col: &str) -> String {
    format!("pg_catalog.array_to_string({col}, E'\\n') AS \"Access privileges\"")
}

/// `\dT[S+] [PATTERN]`.
pub(super) async fn data_types(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let mut cols = vec![
        "n.nspname AS \"Schema\"".to_owned(),
        "pg_catalog.format_type(t.oid, NULL) AS \"Name\"".to_owned(),
    ];
    if verbose {
        cols.push("t.typname AS \"Internal name\"".to_owned());
        cols.push(
            "CASE WHEN t.typrelid <> 0 THEN 'tuple'::pg_catalog.text \
             WHEN t.typlen < 0 THEN 'var'::pg_catalog.text \
             ELSE t.typlen::pg_catalog.text END AS \"Size\""
                .to_owned(),
        );
        cols.push(
            "pg_catalog.array_to_string(ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e \
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), E'\\n') AS \"Elements\""
                .to_owned(),
        );
        cols.push("pg_catalog.pg_get_userbyid(t.typowner) AS \"Owner\"".to_owned());
        cols.push(acl_column("t.typacl"));
    }
    cols.push("pg_catalog.obj_description(t.oid, 'pg_type') AS \"Description\"".to_owned());
    let mut sql = Sql::new(&format!("SELECT {}\n", cols.join(",\n       ")));
    sql.push("FROM pg_catalog.pg_type t\n")
        .push("LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n")
        .and(
            "(t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c \
             WHERE c.oid = t.typrelid))",
        );
    // Array types only when the pattern asks for them with "[]".
    if !pattern.is_some_and(|p| p.contains("[]")) {
        sql.and(
            "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type el \
             WHERE el.oid = t.typelem AND el.typarray = t.oid)",
        );
    }
    if !system && pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    let target = Target {
        schema: Some("n.nspname"),
        name: "t.typname",
        alt_name: Some("pg_catalog.format_type(t.oid, NULL)"),
        visible: Some("pg_catalog.pg_type_is_visible(t.oid)"),
        max_parts: 3,
    };
    let mapped = pattern.map(map_type_name);
    cx.filter(&mut sql, mapped.as_deref(), &target).await?;
    cx.show(sql, "ORDER BY 1, 2;", "List of data types").await
}

/// `\dD[S+] [PATTERN]`.
pub(super) async fn domains(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let mut cols = vec![
        "n.nspname AS \"Schema\"".to_owned(),
        "t.typname AS \"Name\"".to_owned(),
        "pg_catalog.format_type(t.typbasetype, t.typtypmod) AS \"Type\"".to_owned(),
        "(SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type bt \
         WHERE c.oid = t.typcollation AND bt.oid = t.typbasetype \
         AND t.typcollation <> bt.typcollation) AS \"Collation\""
            .to_owned(),
        "CASE WHEN t.typnotnull THEN 'not null' END AS \"Nullable\"".to_owned(),
        "t.typdefault AS \"Default\"".to_owned(),
        "pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.pg_get_constraintdef(r.oid, true) \
         FROM pg_catalog.pg_constraint r WHERE r.contypid = t.oid), ' ') AS \"Check\""
            .to_owned(),
    ];
    if verbose {
        cols.push(acl_column("t.typacl"));
        cols.push("d.description AS \"Description\"".to_owned());
    }
    let mut sql = Sql::new(&format!("SELECT {}\n", cols.join(",\n       ")));
    sql.push("FROM pg_catalog.pg_type t\n")
        .push("LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n");
    if verbose {
        sql.push(
            "LEFT JOIN pg_catalog.pg_description d ON d.classoid = t.tableoid \
             AND d.objoid = t.oid AND d.objsubid = 0\n",
        );
    }
    sql.and("t.typtype = 'd'");
    if !system && pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    let target = Target::qualified(
        "n.nspname",
        "t.typname",
        "pg_catalog.pg_type_is_visible(t.oid)",
    );
    cx.list(sql, pattern, &target, "ORDER BY 1, 2;", "List of domains")
        .await
}

/// psql 15 lets type patterns use SQL's spellings: a pattern that is
/// exactly one of these names (in any case, with any number of `[]`) is
/// rewritten to the name `format_type` prints before it is matched.
pub(super) fn map_type_name(pattern: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("bool", "boolean"),
        ("decimal", "numeric"),
        ("float", "double precision"),
        ("float4", "real"),
        ("float8", "double precision"),
        ("int", "integer"),
        ("int2", "smallint"),
        ("int4", "integer"),
        ("int8", "bigint"),
        ("time", "time without time zone"),
        ("timetz", "time with time zone"),
        ("timestamp", "timestamp without time zone"),
        ("timestamptz", "timestamp with time zone"),
        ("varbit", "bit varying"),
        ("varchar", "character varying"),
    ];
    let mut base = pattern;
    let mut arrays = 0;
    while let Some(stripped) = base.strip_suffix("[]") {
        base = stripped;
        arrays += 1;
    }
    match NAMES
        .iter()
        .find(|(from, _)| from.eq_ignore_ascii_case(base))
    {
        Some((_, to)) => format!("{to}{}", "[]".repeat(arrays)),
        None => pattern.to_owned(),
    }
}

#[cfg(test)]
mod unit {
    use super::map_type_name;

    #[test]
    fn maps_sql_spellings_of_type_names() {
        assert_eq!(map_type_name("INT"), "integer");
        assert_eq!(map_type_name("float8[]"), "double precision[]");
        assert_eq!(map_type_name("bpchar[]"), "bpchar[]");
        assert_eq!(map_type_name("int*"), "int*");
    }
}
