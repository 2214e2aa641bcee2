//! `\df` (functions, with kind letters and argument-type patterns), `\da`
//! (aggregates) and `\do` (operators).

use super::pattern::{self, Target};
use super::sql::Sql;
use super::types::{NOT_SYSTEM, acl_column, map_type_name};
use super::{Ctx, Done};

/// Adds the conditions for argument-type patterns: `-` means "no such
/// argument", anything else matches the type's internal or printed name.
async fn type_conditions(cx: &mut Ctx<'_>, sql: &mut Sql, patterns: &[&str]) -> Done {
    for (i, pat) in patterns.iter().enumerate() {
        if *pat == "-" {
            sql.and(&format!("t{i}.typname IS NULL"));
            continue;
        }
        let schema = format!("nt{i}.nspname");
        let name = format!("t{i}.typname");
        let alt = format!("pg_catalog.format_type(t{i}.oid, NULL)");
        let visible = format!("pg_catalog.pg_type_is_visible(t{i}.oid)");
        let target = Target {
            schema: Some(&schema),
            name: &name,
            alt_name: Some(&alt),
            visible: Some(&visible),
            max_parts: 3,
        };
        let mapped = map_type_name(pat);
        cx.filter(sql, Some(&mapped), &target).await?;
    }
    Ok(())
}

/// Joins `pg_type` (and its schema) as `t{i}` on each expression.
fn join_types(sql: &mut Sql, exprs: &[String]) {
    for (i, expr) in exprs.iter().enumerate() {
        sql.push(&format!(
            "LEFT JOIN pg_catalog.pg_type t{i} ON t{i}.oid = {expr}\n\
             LEFT JOIN pg_catalog.pg_namespace nt{i} ON nt{i}.oid = t{i}.typnamespace\n"
        ));
    }
}

/// `\df[anptwS+] [PATTERN [TYPE …]]`; `kinds` holds the letters after
/// `df`.
pub(super) async fn functions(
    cx: &mut Ctx<'_>,
    kinds: &str,
    pattern: Option<&str>,
    arg_types: &[&str],
    verbose: bool,
    system: bool,
) -> Done {
    if !kinds.chars().all(|c| "anptwS+".contains(c)) {
        cx.error("\\df only takes [anptwS+] as options".to_owned());
        return Ok(());
    }
    let has = |c: char| kinds.contains(c);
    let (mut agg, mut normal, mut proc, mut trigger, mut window) =
        (has('a'), has('n'), has('p'), has('t'), has('w'));
    if !(agg || normal || proc || trigger || window) {
        (agg, normal, proc, trigger, window) = (true, true, true, true, true);
    }
    let mut cols = vec![
        "n.nspname AS \"Schema\"".to_owned(),
        "p.proname AS \"Name\"".to_owned(),
        "pg_catalog.pg_get_function_result(p.oid) AS \"Result data type\"".to_owned(),
        "pg_catalog.pg_get_function_arguments(p.oid) AS \"Argument data types\"".to_owned(),
        "CASE p.prokind WHEN 'a' THEN 'agg' WHEN 'w' THEN 'window' WHEN 'p' THEN 'proc' \
         ELSE 'func' END AS \"Type\""
            .to_owned(),
    ];
    if verbose {
        cols.extend([
            "CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' \
             WHEN 'v' THEN 'volatile' END AS \"Volatility\""
                .to_owned(),
            "CASE p.proparallel WHEN 'r' THEN 'restricted' WHEN 's' THEN 'safe' \
             WHEN 'u' THEN 'unsafe' END AS \"Parallel\""
                .to_owned(),
            "pg_catalog.pg_get_userbyid(p.proowner) AS \"Owner\"".to_owned(),
            "CASE WHEN p.prosecdef THEN 'definer' ELSE 'invoker' END AS \"Security\"".to_owned(),
            acl_column("p.proacl"),
            "l.lanname AS \"Language\"".to_owned(),
            "COALESCE(pg_catalog.pg_get_function_sqlbody(p.oid), p.prosrc) AS \"Source code\""
                .to_owned(),
            "pg_catalog.obj_description(p.oid, 'pg_proc') AS \"Description\"".to_owned(),
        ]);
    }
    let mut sql = Sql::new(&format!("SELECT {}\n", cols.join(",\n       ")));
    sql.push("FROM pg_catalog.pg_proc p\n")
        .push("LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n");
    let exprs: Vec<String> = (0..arg_types.len())
        .map(|i| format!("p.proargtypes[{i}]"))
        .collect();
    join_types(&mut sql, &exprs);
    if verbose {
        sql.push("LEFT JOIN pg_catalog.pg_language l ON l.oid = p.prolang\n");
    }
    if agg && normal && proc && trigger && window {
        // every kind
    } else if normal {
        let excluded = [
            (agg, "p.prokind <> 'a'"),
            (proc, "p.prokind <> 'p'"),
            (
                trigger,
                "p.prorettype <> 'pg_catalog.trigger'::pg_catalog.regtype",
            ),
            (window, "p.prokind <> 'w'"),
        ];
        for (shown, cond) in excluded {
            if !shown {
                sql.and(cond);
            }
        }
    } else {
        let included: Vec<&str> = [
            (agg, "p.prokind = 'a'"),
            (
                trigger,
                "p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype",
            ),
            (proc, "p.prokind = 'p'"),
            (window, "p.prokind = 'w'"),
        ]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, cond)| cond)
        .collect();
        sql.and(&format!("({})", included.join(" OR ")));
    }
    let target = Target::qualified(
        "n.nspname",
        "p.proname",
        "pg_catalog.pg_function_is_visible(p.oid)",
    );
    cx.filter(&mut sql, pattern, &target).await?;
    type_conditions(cx, &mut sql, arg_types).await?;
    if !system && pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    cx.show(sql, "ORDER BY 1, 2, 4;", "List of functions").await
}

/// `\da[S] [PATTERN]`.
pub(super) async fn aggregates(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let _ = verbose;
    let mut sql = Sql::new(
        "SELECT n.nspname AS \"Schema\",\n       \
         p.proname AS \"Name\",\n       \
         pg_catalog.format_type(p.prorettype, NULL) AS \"Result data type\",\n       \
         CASE WHEN p.pronargs = 0 THEN '*'::pg_catalog.text\n            \
         ELSE pg_catalog.pg_get_function_arguments(p.oid) END AS \"Argument data types\",\n       \
         pg_catalog.obj_description(p.oid, 'pg_proc') AS \"Description\"\n\
         FROM pg_catalog.pg_proc p\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n",
    );
    sql.and("p.prokind = 'a'");
    if !system && pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    let target = Target::qualified(
        "n.nspname",
        "p.proname",
        "pg_catalog.pg_function_is_visible(p.oid)",
    );
    cx.list(
        sql,
        pattern,
        &target,
        "ORDER BY 1, 2, 4;",
        "List of aggregate functions",
    )
    .await
}

/// `\do[S+] [PATTERN [TYPE [TYPE]]]`: one type is the right operand of a
/// prefix operator, two are the left and right operands.
pub(super) async fn operators(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    arg_types: &[&str],
    verbose: bool,
    system: bool,
) -> Done {
    let arg_types = arg_types.get(..arg_types.len().min(2)).unwrap_or(&[]);
    let mut cols = vec![
        "n.nspname AS \"Schema\"",
        "o.oprname AS \"Name\"",
        "CASE WHEN o.oprkind = 'l' THEN NULL \
         ELSE pg_catalog.format_type(o.oprleft, NULL) END AS \"Left arg type\"",
        "CASE WHEN o.oprkind = 'r' THEN NULL \
         ELSE pg_catalog.format_type(o.oprright, NULL) END AS \"Right arg type\"",
        "pg_catalog.format_type(o.oprresult, NULL) AS \"Result type\"",
    ];
    if verbose {
        cols.push("o.oprcode AS \"Function\"");
    }
    cols.push(
        "COALESCE(pg_catalog.obj_description(o.oid, 'pg_operator'), \
         pg_catalog.obj_description(o.oprcode, 'pg_proc')) AS \"Description\"",
    );
    let mut sql = Sql::new(&format!("SELECT {}\n", cols.join(",\n       ")));
    sql.push("FROM pg_catalog.pg_operator o\n")
        .push("LEFT JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace\n");
    let exprs: Vec<String> = match arg_types.len() {
        1 => vec!["o.oprright".to_owned()],
        2 => vec!["o.oprleft".to_owned(), "o.oprright".to_owned()],
        _ => Vec::new(),
    };
    join_types(&mut sql, &exprs);
    if !system && pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    let target = Target::qualified(
        "n.nspname",
        "o.oprname",
        "pg_catalog.pg_operator_is_visible(o.oid)",
    );
    cx.check(pattern, &target).await?;
    pattern::add(&mut sql, pattern, true, &target);
    if arg_types.len() == 1 {
        sql.and("o.oprleft = 0");
    }
    type_conditions(cx, &mut sql, arg_types).await?;
    cx.show(sql, "ORDER BY 1, 2, 3, 4;", "List of operators")
        .await
}
