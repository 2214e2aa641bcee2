//! Text search objects: `\dF` (configurations), `\dFd` (dictionaries),
//! `\dFp` (parsers), `\dFt` (templates), each with `+`.

use crate::print::PrintTable;

use super::pattern::Target;
use super::sql::{Sql, listing, lit, text};
use super::{Ctx, Done, Failed};

/// A schema-qualified text search object pattern target.
fn target<'a>(name: &'a str, visible: &'a str) -> Target<'a> {
    Target::qualified("n.nspname", name, visible)
}

/// A listing without the `(N rows)` footer.
fn bare(title: String, result: super::QueryResult) -> PrintTable {
    PrintTable {
        footers: Some(Vec::new()),
        ..listing(&title, result)
    }
}

/// Logs psql's "Did not find any text search …" and fails.
fn not_found(cx: &mut Ctx<'_>, what: &str, pattern: Option<&str>) -> Done {
    if !cx.quiet {
        cx.error(match pattern {
            Some(p) => format!("Did not find any text search {what} named \"{p}\"."),
            None => format!("Did not find any text search {what}s."),
        });
    }
    Err(Failed)
}

/// `\dF[+] [PATTERN]`.
pub(super) async fn configs(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let visible = "pg_catalog.pg_ts_config_is_visible(c.oid)";
    if !verbose {
        let sql = Sql::new(
            "SELECT n.nspname AS \"Schema\", c.cfgname AS \"Name\",\n       \
             pg_catalog.obj_description(c.oid, 'pg_ts_config') AS \"Description\"\n\
             FROM pg_catalog.pg_ts_config c\n\
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace\n",
        );
        return cx
            .list(
                sql,
                pattern,
                &target("c.cfgname", visible),
                "ORDER BY 1, 2;",
                "List of text search configurations",
            )
            .await;
    }
    let mut sql = Sql::new(
        "SELECT c.oid, c.cfgname, n.nspname, p.prsname, pn.nspname\n\
         FROM pg_catalog.pg_ts_config c\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace\n\
         JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser\n\
         LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace\n",
    );
    cx.filter(&mut sql, pattern, &target("c.cfgname", visible))
        .await?;
    sql.push("ORDER BY 3, 2;");
    let found = cx.query(sql.text()).await?;
    if found.rows.is_empty() {
        return not_found(cx, "configuration", pattern);
    }
    for row in &found.rows {
        let result = cx
            .query(&format!(
                "SELECT (SELECT tt.alias FROM pg_catalog.ts_token_type(c.cfgparser) tt\n          \
                 WHERE tt.tokid = m.maptokentype) AS \"Token\",\n       \
                 pg_catalog.btrim(ARRAY(SELECT mm.mapdict::pg_catalog.regdictionary\n         \
                 FROM pg_catalog.pg_ts_config_map mm\n         \
                 WHERE mm.mapcfg = m.mapcfg AND mm.maptokentype = m.maptokentype\n         \
                 ORDER BY mm.mapseqno)::pg_catalog.text, '{{}}') AS \"Dictionaries\"\n\
                 FROM pg_catalog.pg_ts_config c\n\
                 JOIN pg_catalog.pg_ts_config_map m ON m.mapcfg = c.oid\n\
                 WHERE c.oid = {}\n\
                 GROUP BY m.mapcfg, m.maptokentype, c.cfgparser\n\
                 ORDER BY 1;",
                lit(text(row, 0))
            ))
            .await?;
        let title = format!(
            "Text search configuration \"{}.{}\"\nParser: \"{}.{}\"",
            text(row, 2),
            text(row, 1),
            text(row, 4),
            text(row, 3)
        );
        cx.table(bare(title, result));
    }
    Ok(())
}

/// `\dFp[+] [PATTERN]`.
pub(super) async fn parsers(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let visible = "pg_catalog.pg_ts_parser_is_visible(p.oid)";
    if !verbose {
        let sql = Sql::new(
            "SELECT n.nspname AS \"Schema\", p.prsname AS \"Name\",\n       \
             pg_catalog.obj_description(p.oid, 'pg_ts_parser') AS \"Description\"\n\
             FROM pg_catalog.pg_ts_parser p\n\
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n",
        );
        return cx
            .list(
                sql,
                pattern,
                &target("p.prsname", visible),
                "ORDER BY 1, 2;",
                "List of text search parsers",
            )
            .await;
    }
    let mut sql = Sql::new(
        "SELECT p.oid, n.nspname, p.prsname\n\
         FROM pg_catalog.pg_ts_parser p\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace\n",
    );
    cx.filter(&mut sql, pattern, &target("p.prsname", visible))
        .await?;
    sql.push("ORDER BY 1, 2;");
    let found = cx.query(sql.text()).await?;
    if found.rows.is_empty() {
        return not_found(cx, "parser", pattern);
    }
    for row in &found.rows {
        let oid = lit(text(row, 0));
        let name = format!("\"{}.{}\"", text(row, 1), text(row, 2));
        let methods = [
            ("Start parse", "prsstart"),
            ("Get next token", "prstoken"),
            ("End parse", "prsend"),
            ("Get headline", "prsheadline"),
            ("Get token types", "prslextype"),
        ]
        .iter()
        .map(|(label, col)| {
            format!(
                "SELECT '{label}' AS \"Method\", p.{col}::pg_catalog.regproc AS \"Function\",\n       \
                 pg_catalog.obj_description(p.{col}, 'pg_proc') AS \"Description\"\n\
                 FROM pg_catalog.pg_ts_parser p WHERE p.oid = {oid}\n"
            )
        })
        .collect::<Vec<_>>()
        .join("UNION ALL\n");
        let result = cx.query(&methods).await?;
        cx.table(bare(format!("Text search parser {name}"), result));
        let result = cx
            .query(&format!(
                "SELECT t.alias AS \"Token name\", t.description AS \"Description\"\n\
                 FROM pg_catalog.ts_token_type({oid}::pg_catalog.oid) t\nORDER BY 1;"
            ))
            .await?;
        cx.table(listing(&format!("Token types for parser {name}"), result));
    }
    Ok(())
}

/// `\dFd[+] [PATTERN]`.
pub(super) async fn dictionaries(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let extra = if verbose {
        ",\n       (SELECT COALESCE(tn.nspname, '(null)')::pg_catalog.text || '.' || t.tmplname\n        \
         FROM pg_catalog.pg_ts_template t\n        \
         LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace\n        \
         WHERE t.oid = d.dicttemplate) AS \"Template\",\n       \
         d.dictinitoption AS \"Init options\""
    } else {
        ""
    };
    let sql = Sql::new(&format!(
        "SELECT n.nspname AS \"Schema\", d.dictname AS \"Name\"{extra},\n       \
         pg_catalog.obj_description(d.oid, 'pg_ts_dict') AS \"Description\"\n\
         FROM pg_catalog.pg_ts_dict d\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace\n"
    ));
    let visible = "pg_catalog.pg_ts_dict_is_visible(d.oid)";
    cx.list(
        sql,
        pattern,
        &target("d.dictname", visible),
        "ORDER BY 1, 2;",
        "List of text search dictionaries",
    )
    .await
}

/// `\dFt[+] [PATTERN]`.
pub(super) async fn templates(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let extra = if verbose {
        ",\n       t.tmplinit::pg_catalog.regproc AS \"Init\",\n       \
         t.tmpllexize::pg_catalog.regproc AS \"Lexize\""
    } else {
        ""
    };
    let sql = Sql::new(&format!(
        "SELECT n.nspname AS \"Schema\", t.tmplname AS \"Name\"{extra},\n       \
         pg_catalog.obj_description(t.oid, 'pg_ts_template') AS \"Description\"\n\
         FROM pg_catalog.pg_ts_template t\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace\n"
    ));
    let visible = "pg_catalog.pg_ts_template_is_visible(t.oid)";
    cx.list(
        sql,
        pattern,
        &target("t.tmplname", visible),
        "ORDER BY 1, 2;",
        "List of text search templates",
    )
    .await
}
