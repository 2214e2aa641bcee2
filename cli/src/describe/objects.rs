//! Listings of other catalog objects: `\dx[+]`, `\dL`, `\dC`, `\dc`,
//! `\dO`, `\dy`, `\dX`, `\dconfig`, `\dl`.

use super::pattern::{self, Target};
use super::sql::{Sql, listing, lit, text};
use super::types::{NOT_SYSTEM, acl_column};
use super::{Ctx, Done, Failed};

/// `\dx [PATTERN]`, or with `+` the objects of each matching extension.
pub(super) async fn extensions(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    if verbose {
        return extension_contents(cx, pattern).await;
    }
    let sql = Sql::new(
        "SELECT e.extname AS \"Name\", e.extversion AS \"Version\", n.nspname AS \"Schema\",\n       \
         d.description AS \"Description\"\n\
         FROM pg_catalog.pg_extension e\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace\n\
         LEFT JOIN pg_catalog.pg_description d ON d.objoid = e.oid\n  \
         AND d.classoid = 'pg_catalog.pg_extension'::pg_catalog.regclass\n",
    );
    cx.list(
        sql,
        pattern,
        &Target::name("e.extname"),
        "ORDER BY 1;",
        "List of installed extensions",
    )
    .await
}

/// `\dx+`: one table per extension.
async fn extension_contents(cx: &mut Ctx<'_>, pattern: Option<&str>) -> Done {
    let mut sql = Sql::new("SELECT e.extname, e.oid\nFROM pg_catalog.pg_extension e\n");
    cx.filter(&mut sql, pattern, &Target::name("e.extname"))
        .await?;
    sql.push("ORDER BY 1;");
    let found = cx.query(sql.text()).await?;
    if found.rows.is_empty() {
        if !cx.quiet {
            cx.error(match pattern {
                Some(p) => format!("Did not find any extension named \"{p}\"."),
                None => "Did not find any extensions.".to_owned(),
            });
        }
        return Err(Failed);
    }
    for row in &found.rows {
        let (name, oid) = (text(row, 0), text(row, 1));
        let result = cx
            .query(&format!(
                "SELECT pg_catalog.pg_describe_object(classid, objid, 0) AS \"Object description\"\n\
                 FROM pg_catalog.pg_depend\n\
                 WHERE refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass\n  \
                 AND refobjid = {} AND deptype = 'e'\nORDER BY 1;",
                lit(oid)
            ))
            .await?;
        cx.table(listing(&format!("Objects in extension \"{name}\""), result));
    }
    Ok(())
}

/// `\dL[S+] [PATTERN]`.
pub(super) async fn languages(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let mut cols = vec![
        "l.lanname AS \"Name\"".to_owned(),
        "pg_catalog.pg_get_userbyid(l.lanowner) AS \"Owner\"".to_owned(),
        "l.lanpltrusted AS \"Trusted\"".to_owned(),
    ];
    if verbose {
        cols.extend([
            "NOT l.lanispl AS \"Internal language\"".to_owned(),
            "l.lanplcallfoid::pg_catalog.regprocedure AS \"Call handler\"".to_owned(),
            "l.lanvalidator::pg_catalog.regprocedure AS \"Validator\"".to_owned(),
            "l.laninline::pg_catalog.regprocedure AS \"Inline handler\"".to_owned(),
            acl_column("l.lanacl"),
        ]);
    }
    cols.push("d.description AS \"Description\"".to_owned());
    let mut sql = Sql::new(&format!(
        "SELECT {}\n\
         FROM pg_catalog.pg_language l\n\
         LEFT JOIN pg_catalog.pg_description d ON d.classoid = l.tableoid\n  \
         AND d.objoid = l.oid AND d.objsubid = 0\n",
        cols.join(",\n       ")
    ));
    let target = Target {
        max_parts: 2,
        ..Target::name("l.lanname")
    };
    cx.filter(&mut sql, pattern, &target).await?;
    if !system && pattern.is_none() {
        sql.and("l.lanplcallfoid <> 0");
    }
    cx.show(sql, "ORDER BY 1;", "List of languages").await
}

/// `\dC[+] [PATTERN]`: the pattern matches the source or the target type.
pub(super) async fn casts(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut sql = Sql::new(&format!(
        "SELECT pg_catalog.format_type(c.castsource, NULL) AS \"Source type\",\n       \
         pg_catalog.format_type(c.casttarget, NULL) AS \"Target type\",\n       \
         CASE c.castmethod WHEN 'b' THEN '(binary coercible)' WHEN 'i' THEN '(with inout)'\n         \
         ELSE p.proname END AS \"Function\",\n       \
         CASE c.castcontext WHEN 'e' THEN 'no' WHEN 'a' THEN 'in assignment' ELSE 'yes' END \
         AS \"Implicit?\"{}\n\
         FROM pg_catalog.pg_cast c\n\
         LEFT JOIN pg_catalog.pg_proc p ON p.oid = c.castfunc\n\
         LEFT JOIN pg_catalog.pg_type ts ON ts.oid = c.castsource\n\
         LEFT JOIN pg_catalog.pg_namespace ns ON ns.oid = ts.typnamespace\n\
         LEFT JOIN pg_catalog.pg_type tt ON tt.oid = c.casttarget\n\
         LEFT JOIN pg_catalog.pg_namespace nt ON nt.oid = tt.typnamespace\n",
        if verbose {
            ",\n       d.description AS \"Description\""
        } else {
            ""
        }
    ));
    if verbose {
        sql.push(
            "LEFT JOIN pg_catalog.pg_description d ON d.classoid = c.tableoid \
             AND d.objoid = c.oid AND d.objsubid = 0\n",
        );
    }
    let side = |t: &'static str, n: &'static str| Target {
        schema: Some(n),
        name: t,
        alt_name: None,
        visible: None,
        max_parts: 3,
    };
    let mut sides = Vec::new();
    for (t, n, alt, vis) in [
        (
            "ts.typname",
            "ns.nspname",
            "pg_catalog.format_type(ts.oid, NULL)",
            "pg_catalog.pg_type_is_visible(ts.oid)",
        ),
        (
            "tt.typname",
            "nt.nspname",
            "pg_catalog.format_type(tt.oid, NULL)",
            "pg_catalog.pg_type_is_visible(tt.oid)",
        ),
    ] {
        let target = Target {
            alt_name: Some(alt),
            visible: Some(vis),
            ..side(t, n)
        };
        let mut cond = Sql::new("(true ");
        cond.mark_where();
        cx.filter(&mut cond, pattern, &target).await?;
        cond.push(")");
        sides.push(cond.text().to_owned());
    }
    sql.and(&format!("({})", sides.join(" OR ")));
    cx.show(sql, "ORDER BY 1, 2;", "List of casts").await
}

/// `\dc[S+] [PATTERN]`.
pub(super) async fn conversions(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let mut sql = Sql::new(&format!(
        "SELECT n.nspname AS \"Schema\",\n       \
         c.conname AS \"Name\",\n       \
         pg_catalog.pg_encoding_to_char(c.conforencoding) AS \"Source\",\n       \
         pg_catalog.pg_encoding_to_char(c.contoencoding) AS \"Destination\",\n       \
         CASE WHEN c.condefault THEN 'yes' ELSE 'no' END AS \"Default?\"{}\n\
         FROM pg_catalog.pg_conversion c\n\
         JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace\n",
        if verbose {
            ",\n       d.description AS \"Description\""
        } else {
            ""
        }
    ));
    if verbose {
        sql.push(
            "LEFT JOIN pg_catalog.pg_description d ON d.classoid = c.tableoid \
             AND d.objoid = c.oid AND d.objsubid = 0\n",
        );
    }
    if !system && pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    let target = Target::qualified(
        "n.nspname",
        "c.conname",
        "pg_catalog.pg_conversion_is_visible(c.oid)",
    );
    cx.list(
        sql,
        pattern,
        &target,
        "ORDER BY 1, 2;",
        "List of conversions",
    )
    .await
}

/// `\dO[S+] [PATTERN]`.
pub(super) async fn collations(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let mut sql = Sql::new(&format!(
        "SELECT n.nspname AS \"Schema\",\n       \
         c.collname AS \"Name\",\n       \
         c.collcollate AS \"Collate\",\n       \
         c.collctype AS \"Ctype\",\n       \
         c.colliculocale AS \"ICU Locale\",\n       \
         CASE c.collprovider WHEN 'd' THEN 'default' WHEN 'c' THEN 'libc' \
         WHEN 'i' THEN 'icu' END AS \"Provider\",\n       \
         CASE WHEN c.collisdeterministic THEN 'yes' ELSE 'no' END AS \"Deterministic?\"{}\n\
         FROM pg_catalog.pg_collation c\n\
         JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace\n",
        if verbose {
            ",\n       pg_catalog.obj_description(c.oid, 'pg_collation') AS \"Description\""
        } else {
            ""
        }
    ));
    if !system && pattern.is_none() {
        sql.and(NOT_SYSTEM);
    }
    sql.and(
        "c.collencoding IN (-1, \
         pg_catalog.pg_char_to_encoding(pg_catalog.getdatabaseencoding()))",
    );
    let target = Target::qualified(
        "n.nspname",
        "c.collname",
        "pg_catalog.pg_collation_is_visible(c.oid)",
    );
    cx.list(
        sql,
        pattern,
        &target,
        "ORDER BY 1, 2;",
        "List of collations",
    )
    .await
}

/// `\dy[+] [PATTERN]`.
pub(super) async fn event_triggers(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let sql = Sql::new(&format!(
        "SELECT e.evtname AS \"Name\", e.evtevent AS \"Event\",\n       \
         pg_catalog.pg_get_userbyid(e.evtowner) AS \"Owner\",\n       \
         CASE e.evtenabled WHEN 'O' THEN 'enabled' WHEN 'R' THEN 'replica' \
         WHEN 'A' THEN 'always' WHEN 'D' THEN 'disabled' END AS \"Enabled\",\n       \
         e.evtfoid::pg_catalog.regproc AS \"Function\",\n       \
         pg_catalog.array_to_string(ARRAY(SELECT x FROM pg_catalog.unnest(e.evttags) AS x), ', ') \
         AS \"Tags\"{}\n\
         FROM pg_catalog.pg_event_trigger e\n",
        if verbose {
            ",\n       pg_catalog.obj_description(e.oid, 'pg_event_trigger') AS \"Description\""
        } else {
            ""
        }
    ));
    cx.list(
        sql,
        pattern,
        &Target::name("e.evtname"),
        "ORDER BY 1",
        "List of event triggers",
    )
    .await
}

/// `\dX [PATTERN]`: extended statistics.
pub(super) async fn ext_statistics(cx: &mut Ctx<'_>, pattern: Option<&str>) -> Done {
    let sql = Sql::new(
        "SELECT es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS \"Schema\",\n       \
         es.stxname AS \"Name\",\n       \
         pg_catalog.format('%s FROM %s', pg_catalog.pg_get_statisticsobjdef_columns(es.oid),\n         \
         es.stxrelid::pg_catalog.regclass) AS \"Definition\",\n       \
         CASE WHEN 'd' = ANY (es.stxkind) THEN 'defined' END AS \"Ndistinct\",\n       \
         CASE WHEN 'f' = ANY (es.stxkind) THEN 'defined' END AS \"Dependencies\",\n       \
         CASE WHEN 'm' = ANY (es.stxkind) THEN 'defined' END AS \"MCV\"\n\
         FROM pg_catalog.pg_statistic_ext es\n",
    );
    let target = Target::qualified(
        "es.stxnamespace::pg_catalog.regnamespace::pg_catalog.text",
        "es.stxname",
        "pg_catalog.pg_statistics_obj_is_visible(es.oid)",
    );
    cx.list(
        sql,
        pattern,
        &target,
        "ORDER BY 1, 2;",
        "List of extended statistics",
    )
    .await
}

/// `\dconfig[+] [PATTERN]`: without a pattern, the settings that differ
/// from their defaults. The pattern is not checked for dots.
pub(super) async fn config(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let _ = system;
    let mut sql = Sql::new(&format!(
        "SELECT s.name AS \"Parameter\", pg_catalog.current_setting(s.name) AS \"Value\"{}\n\
         FROM pg_catalog.pg_settings s\n",
        if verbose {
            ", s.vartype AS \"Type\", s.context AS \"Context\",\n       \
             pg_catalog.array_to_string(p.paracl, E'\\n') AS \"Access privileges\""
        } else {
            ""
        }
    ));
    if verbose {
        sql.push(
            "LEFT JOIN pg_catalog.pg_parameter_acl p ON p.parname = pg_catalog.lower(s.name)\n",
        );
    }
    if pattern.is_some() {
        pattern::add(
            &mut sql,
            pattern,
            false,
            &Target::name("pg_catalog.lower(s.name)"),
        );
    } else {
        sql.and("s.source <> 'default' AND s.setting IS DISTINCT FROM s.boot_val");
    }
    sql.push("ORDER BY 1;");
    let result = cx.query(sql.text()).await?;
    let title = if pattern.is_some() {
        "List of configuration parameters"
    } else {
        "List of non-default configuration parameters"
    };
    cx.table(listing(title, result));
    Ok(())
}

/// `\dl[+]`: large objects.
pub(super) async fn large_objects(cx: &mut Ctx<'_>, verbose: bool) -> Done {
    let sql = format!(
        "SELECT oid AS \"ID\",\n       \
         pg_catalog.pg_get_userbyid(lomowner) AS \"Owner\",{}\n       \
         pg_catalog.obj_description(oid, 'pg_largeobject') AS \"Description\"\n\
         FROM pg_catalog.pg_largeobject_metadata\nORDER BY oid",
        if verbose {
            format!("\n       {},", acl_column("lomacl"))
        } else {
            String::new()
        }
    );
    let result = cx.query(&sql).await?;
    cx.table(listing("Large objects", result));
    Ok(())
}
