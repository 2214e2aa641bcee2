//! Foreign data and logical replication: `\des \det \deu \dew`, `\dRp`,
//! `\dRs`.

use crate::print::{Align, PrintTable};

use super::pattern::Target;
use super::sql::{Sql, is_null, listing, lit, text};
use super::types::acl_column;
use super::{Ctx, Done, Failed};

/// `(name 'value', …)` of an options array, or empty.
fn options(col: &str) -> String {
    format!(
        "CASE WHEN {col} IS NULL THEN '' ELSE '(' || pg_catalog.array_to_string(ARRAY(\n         \
         SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)\n         \
         FROM pg_catalog.pg_options_to_table({col})), ', ') || ')' END AS \"FDW options\""
    )
}

/// `\des[+] [PATTERN]`.
pub(super) async fn servers(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut cols = vec![
        "s.srvname AS \"Name\"".to_owned(),
        "pg_catalog.pg_get_userbyid(s.srvowner) AS \"Owner\"".to_owned(),
        "f.fdwname AS \"Foreign-data wrapper\"".to_owned(),
    ];
    if verbose {
        cols.extend([
            acl_column("s.srvacl"),
            "s.srvtype AS \"Type\"".to_owned(),
            "s.srvversion AS \"Version\"".to_owned(),
            options("s.srvoptions"),
            "d.description AS \"Description\"".to_owned(),
        ]);
    }
    let mut sql = Sql::new(&format!(
        "SELECT {}\n\
         FROM pg_catalog.pg_foreign_server s\n\
         JOIN pg_catalog.pg_foreign_data_wrapper f ON f.oid = s.srvfdw\n",
        cols.join(",\n       ")
    ));
    if verbose {
        sql.push(
            "LEFT JOIN pg_catalog.pg_description d ON d.classoid = s.tableoid \
             AND d.objoid = s.oid AND d.objsubid = 0\n",
        );
    }
    cx.list(
        sql,
        pattern,
        &Target::name("s.srvname"),
        "ORDER BY 1;",
        "List of foreign servers",
    )
    .await
}

/// `\deu[+] [PATTERN]`: the pattern matches the server or the user.
pub(super) async fn user_mappings(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let sql = Sql::new(&format!(
        "SELECT um.srvname AS \"Server\",\n       um.usename AS \"User name\"{}\n\
         FROM pg_catalog.pg_user_mappings um\n",
        if verbose {
            format!(",\n       {}", options("um.umoptions"))
        } else {
            String::new()
        }
    ));
    let target = Target {
        alt_name: Some("um.usename"),
        ..Target::name("um.srvname")
    };
    cx.list(
        sql,
        pattern,
        &target,
        "ORDER BY 1, 2;",
        "List of user mappings",
    )
    .await
}

/// `\dew[+] [PATTERN]`.
pub(super) async fn wrappers(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut cols = vec![
        "w.fdwname AS \"Name\"".to_owned(),
        "pg_catalog.pg_get_userbyid(w.fdwowner) AS \"Owner\"".to_owned(),
        "w.fdwhandler::pg_catalog.regproc AS \"Handler\"".to_owned(),
        "w.fdwvalidator::pg_catalog.regproc AS \"Validator\"".to_owned(),
    ];
    if verbose {
        cols.extend([
            acl_column("w.fdwacl"),
            options("w.fdwoptions"),
            "d.description AS \"Description\"".to_owned(),
        ]);
    }
    let mut sql = Sql::new(&format!(
        "SELECT {}\nFROM pg_catalog.pg_foreign_data_wrapper w\n",
        cols.join(",\n       ")
    ));
    if verbose {
        sql.push(
            "LEFT JOIN pg_catalog.pg_description d ON d.classoid = w.tableoid \
             AND d.objoid = w.oid AND d.objsubid = 0\n",
        );
    }
    cx.list(
        sql,
        pattern,
        &Target::name("w.fdwname"),
        "ORDER BY 1;",
        "List of foreign-data wrappers",
    )
    .await
}

/// `\det[+] [PATTERN]`.
pub(super) async fn tables(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut sql = Sql::new(&format!(
        "SELECT n.nspname AS \"Schema\",\n       c.relname AS \"Table\",\n       \
         s.srvname AS \"Server\"{}\n\
         FROM pg_catalog.pg_foreign_table ft\n\
         JOIN pg_catalog.pg_class c ON c.oid = ft.ftrelid\n\
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n\
         JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver\n",
        if verbose {
            format!(
                ",\n       {},\n       d.description AS \"Description\"",
                options("ft.ftoptions")
            )
        } else {
            String::new()
        }
    ));
    if verbose {
        sql.push(
            "LEFT JOIN pg_catalog.pg_description d ON d.classoid = c.tableoid \
             AND d.objoid = c.oid AND d.objsubid = 0\n",
        );
    }
    let target = Target::qualified(
        "n.nspname",
        "c.relname",
        "pg_catalog.pg_table_is_visible(c.oid)",
    );
    cx.list(
        sql,
        pattern,
        &target,
        "ORDER BY 1, 2;",
        "List of foreign tables",
    )
    .await
}

/// `\dRp[+] [PATTERN]`.
pub(super) async fn publications(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut sql = Sql::new(
        "SELECT p.oid, p.pubname AS \"Name\",\n       \
         pg_catalog.pg_get_userbyid(p.pubowner) AS \"Owner\",\n       \
         p.puballtables AS \"All tables\",\n       \
         p.pubinsert AS \"Inserts\",\n       \
         p.pubupdate AS \"Updates\",\n       \
         p.pubdelete AS \"Deletes\",\n       \
         p.pubtruncate AS \"Truncates\",\n       \
         p.pubviaroot AS \"Via root\"\n\
         FROM pg_catalog.pg_publication p\n",
    );
    cx.filter(&mut sql, pattern, &Target::name("p.pubname"))
        .await?;
    sql.push("ORDER BY 2;");
    let mut result = cx.query(sql.text()).await?;
    if !verbose {
        result.columns.remove(0);
        result.types.remove(0);
        for row in &mut result.rows {
            row.remove(0);
        }
        cx.table(listing("List of publications", result));
        return Ok(());
    }
    if result.rows.is_empty() {
        if !cx.quiet {
            cx.error(match pattern {
                Some(p) => format!("Did not find any publication named \"{p}\"."),
                None => "Did not find any publications.".to_owned(),
            });
        }
        return Err(Failed);
    }
    for row in &result.rows {
        let oid = lit(text(row, 0));
        let mut footers = Vec::new();
        if text(row, 3) != "t" {
            let tables = cx
                .query(&format!(
                    "SELECT n.nspname, c.relname, pg_catalog.pg_get_expr(pr.prqual, c.oid),\n       \
                     CASE WHEN pr.prattrs IS NOT NULL THEN pg_catalog.array_to_string(ARRAY(\n         \
                     SELECT a.attname\n         \
                     FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) g\n         \
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = pr.prattrs[g]), ', ') END\n\
                     FROM pg_catalog.pg_publication_rel pr\n\
                     JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid\n\
                     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n\
                     WHERE pr.prpubid = {oid}\nORDER BY 1, 2"
                ))
                .await?;
            if !tables.rows.is_empty() {
                footers.push("Tables:".to_owned());
            }
            for t in &tables.rows {
                let mut line = format!("    \"{}.{}\"", text(t, 0), text(t, 1));
                if !is_null(t, 3) {
                    line.push_str(&format!(" ({})", text(t, 3)));
                }
                if !is_null(t, 2) {
                    line.push_str(&format!(" WHERE {}", text(t, 2)));
                }
                footers.push(line);
            }
            let schemas = cx
                .query(&format!(
                    "SELECT n.nspname\n\
                     FROM pg_catalog.pg_publication_namespace pn\n\
                     JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid\n\
                     WHERE pn.pnpubid = {oid}\nORDER BY 1"
                ))
                .await?;
            if !schemas.rows.is_empty() {
                footers.push("Tables from schemas:".to_owned());
            }
            footers.extend(
                schemas
                    .rows
                    .iter()
                    .map(|s| format!("    \"{}\"", text(s, 0))),
            );
        }
        let headers: Vec<String> = result.columns.iter().skip(2).cloned().collect();
        cx.table(PrintTable {
            title: Some(format!("Publication {}", text(row, 1))),
            aligns: vec![Align::Left; headers.len()],
            headers,
            cells: vec![
                row.iter()
                    .skip(2)
                    .map(|c| Some(c.clone().unwrap_or_default()))
                    .collect(),
            ],
            footers: (!footers.is_empty()).then_some(footers),
        });
    }
    Ok(())
}

/// `\dRs[+] [PATTERN]`: subscriptions of the current database.
pub(super) async fn subscriptions(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut cols = vec![
        "subname AS \"Name\"",
        "pg_catalog.pg_get_userbyid(subowner) AS \"Owner\"",
        "subenabled AS \"Enabled\"",
        "subpublications AS \"Publication\"",
    ];
    if verbose {
        cols.extend([
            "subbinary AS \"Binary\"",
            "substream AS \"Streaming\"",
            "subtwophasestate AS \"Two-phase commit\"",
            "subdisableonerr AS \"Disable on error\"",
            "subsynccommit AS \"Synchronous commit\"",
            "subconninfo AS \"Conninfo\"",
            "subskiplsn AS \"Skip LSN\"",
        ]);
    }
    let mut sql = Sql::new(&format!(
        "SELECT {}\nFROM pg_catalog.pg_subscription\n",
        cols.join(",\n       ")
    ));
    sql.and(
        "subdbid = (SELECT oid FROM pg_catalog.pg_database \
         WHERE datname = pg_catalog.current_database())",
    );
    cx.list(
        sql,
        pattern,
        &Target::name("subname"),
        "ORDER BY 1;",
        "List of subscriptions",
    )
    .await
}
