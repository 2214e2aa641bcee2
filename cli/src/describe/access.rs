//! Privileges and the cluster's shared objects: `\dp`/`\z`, `\ddp`,
//! `\dn`, `\du`/`\dg`, `\l`, `\db` and `\drds`.

use crate::print::{Align, PrintTable};

use super::pattern::Target;
use super::sql::{Sql, listing, lit, text, truth};
use super::types::acl_column;
use super::{Ctx, Done};

/// The policies of table `c`, one block per policy, as `\dp` shows them.
const POLICIES: &str = "pg_catalog.array_to_string(ARRAY(\n    \
SELECT pol.polname\n      \
|| CASE WHEN pol.polpermissive THEN '' ELSE ' (RESTRICTIVE)' END\n      \
|| CASE WHEN pol.polcmd <> '*' THEN ' (' || pol.polcmd::pg_catalog.text || '):' ELSE ':' END\n      \
|| CASE WHEN pol.polqual IS NULL THEN '' \
ELSE E'\\n  (u): ' || pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) END\n      \
|| CASE WHEN pol.polwithcheck IS NULL THEN '' \
ELSE E'\\n  (c): ' || pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) END\n      \
|| CASE WHEN pol.polroles = '{0}' THEN '' ELSE E'\\n  to: ' || pg_catalog.array_to_string(ARRAY(\n           \
SELECT rolname FROM pg_catalog.pg_roles WHERE oid = ANY (pol.polroles) ORDER BY 1), ', ') END\n    \
FROM pg_catalog.pg_policy pol WHERE pol.polrelid = c.oid), E'\\n')";

/// `\dp [PATTERN]` and `\z [PATTERN]`.
pub(super) async fn privileges(cx: &mut Ctx<'_>, pattern: Option<&str>) -> Done {
    let mut sql = Sql::new(&format!(
        "SELECT n.nspname AS \"Schema\",\n       \
         c.relname AS \"Name\",\n       \
         CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' \
         WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' \
         WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' END AS \"Type\",\n       \
         {},\n       \
         pg_catalog.array_to_string(ARRAY(\n         \
         SELECT a.attname || E':\\n  ' || pg_catalog.array_to_string(a.attacl, E'\\n  ')\n         \
         FROM pg_catalog.pg_attribute a\n         \
         WHERE a.attrelid = c.oid AND NOT a.attisdropped AND a.attacl IS NOT NULL\n       \
         ), E'\\n') AS \"Column privileges\",\n       \
         {POLICIES} AS \"Policies\"\n\
         FROM pg_catalog.pg_class c\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n",
        acl_column("c.relacl")
    ));
    sql.and("c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p')");
    let target = Target::qualified(
        "n.nspname",
        "c.relname",
        "n.nspname !~ '^pg_' AND pg_catalog.pg_table_is_visible(c.oid)",
    );
    cx.list(sql, pattern, &target, "ORDER BY 1, 2;", "Access privileges")
        .await
}

/// `\ddp [PATTERN]`: the pattern matches the schema or the owner.
pub(super) async fn default_privileges(cx: &mut Ctx<'_>, pattern: Option<&str>) -> Done {
    let sql = Sql::new(&format!(
        "SELECT pg_catalog.pg_get_userbyid(d.defaclrole) AS \"Owner\",\n       \
         n.nspname AS \"Schema\",\n       \
         CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' \
         WHEN 'f' THEN 'function' WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS \"Type\",\n       \
         {}\n\
         FROM pg_catalog.pg_default_acl d\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace\n",
        pg_acl("d.defaclacl")
    ));
    let target = Target {
        schema: None,
        name: "n.nspname",
        alt_name: Some("pg_catalog.pg_get_userbyid(d.defaclrole)"),
        visible: None,
        max_parts: 3,
    };
    cx.list(
        sql,
        pattern,
        &target,
        "ORDER BY 1, 2, 3;",
        "Default access privileges",
    )
    .await
}

/// The `Access privileges` column.
fn pg_acl(col: &str) -> String {
    acl_column(col)
}

/// `\dn[S+] [PATTERN]`; with a pattern, the publications of the schema
/// named exactly like the pattern become the footer.
pub(super) async fn schemas(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let mut cols = vec![
        "n.nspname AS \"Name\"".to_owned(),
        "pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"".to_owned(),
    ];
    if verbose {
        cols.push(acl_column("n.nspacl"));
        cols.push(
            "pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\"".to_owned(),
        );
    }
    let mut sql = Sql::new(&format!(
        "SELECT {}\nFROM pg_catalog.pg_namespace n\n",
        cols.join(",\n       ")
    ));
    if !system && pattern.is_none() {
        sql.and("n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'");
    }
    let target = Target {
        max_parts: 2,
        ..Target::name("n.nspname")
    };
    cx.filter(&mut sql, pattern, &target).await?;
    sql.push("ORDER BY 1;");
    let result = cx.query(sql.text()).await?;
    let mut table = listing("List of schemas", result);
    if let Some(p) = pattern {
        let pubs = cx
            .query(&format!(
                "SELECT p.pubname\n\
                 FROM pg_catalog.pg_publication p\n\
                 JOIN pg_catalog.pg_publication_namespace pn ON pn.pnpubid = p.oid\n\
                 JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid\n\
                 WHERE n.nspname = {}\nORDER BY 1",
                lit(p)
            ))
            .await?;
        if !pubs.rows.is_empty() {
            let mut footers = vec!["Publications:".to_owned()];
            footers.extend(
                pubs.rows
                    .iter()
                    .map(|row| format!("    \"{}\"", text(row, 0))),
            );
            table.footers = Some(footers);
        }
    }
    cx.table(table);
    Ok(())
}

/// `\du[S+] [PATTERN]` and `\dg`: attributes spelled out, one table
/// built cell by cell, without a row count.
pub(super) async fn roles(
    cx: &mut Ctx<'_>,
    pattern: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let mut sql = Sql::new(
        "SELECT r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb,\n       \
         r.rolcanlogin, r.rolconnlimit, r.rolvaliduntil,\n       \
         ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m\n             \
         JOIN pg_catalog.pg_roles b ON m.roleid = b.oid\n             \
         WHERE m.member = r.oid) AS memberof,\n       \
         pg_catalog.shobj_description(r.oid, 'pg_authid'),\n       \
         r.rolreplication, r.rolbypassrls\n\
         FROM pg_catalog.pg_roles r\n",
    );
    if !system && pattern.is_none() {
        sql.and("r.rolname !~ '^pg_'");
    }
    cx.filter(&mut sql, pattern, &Target::name("r.rolname"))
        .await?;
    sql.push("ORDER BY 1;");
    let result = cx.query(sql.text()).await?;
    let mut headers = vec!["Role name", "Attributes", "Member of"];
    if verbose {
        headers.push("Description");
    }
    let cells = result
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                Some(text(row, 0).to_owned()),
                Some(attributes(row)),
                Some(text(row, 8).to_owned()),
            ];
            if verbose {
                cells.push(Some(text(row, 9).to_owned()));
            }
            cells
        })
        .collect();
    cx.table(PrintTable {
        title: Some("List of roles".to_owned()),
        aligns: vec![Align::Left; headers.len()],
        headers: headers.into_iter().map(str::to_owned).collect(),
        cells,
        footers: Some(Vec::new()),
    });
    Ok(())
}

/// The "Attributes" cell of a role.
fn attributes(row: &[Option<String>]) -> String {
    let flags = [
        (truth(row, 1), "Superuser"),
        (!truth(row, 2), "No inheritance"),
        (truth(row, 3), "Create role"),
        (truth(row, 4), "Create DB"),
        (!truth(row, 5), "Cannot login"),
        (truth(row, 10), "Replication"),
        (truth(row, 11), "Bypass RLS"),
    ];
    let mut out: String = flags
        .iter()
        .filter(|(set, _)| *set)
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let limit: i64 = text(row, 6).parse().unwrap_or(-1);
    if limit >= 0 {
        if !out.is_empty() {
            out.push('\n');
        }
        match limit {
            0 => out.push_str("No connections"),
            1 => out.push_str("1 connection"),
            n => out.push_str(&format!("{n} connections")),
        }
    }
    let until = text(row, 7);
    if !until.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("Password valid until ");
        out.push_str(until);
    }
    out
}

/// `\l[+] [PATTERN]`.
pub(super) async fn databases(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut cols = vec![
        "d.datname AS \"Name\"".to_owned(),
        "pg_catalog.pg_get_userbyid(d.datdba) AS \"Owner\"".to_owned(),
        "pg_catalog.pg_encoding_to_char(d.encoding) AS \"Encoding\"".to_owned(),
        "d.datcollate AS \"Collate\"".to_owned(),
        "d.datctype AS \"Ctype\"".to_owned(),
        "d.daticulocale AS \"ICU Locale\"".to_owned(),
        "CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Locale Provider\""
            .to_owned(),
        acl_column("d.datacl"),
    ];
    if verbose {
        cols.push(
            "CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')\n         \
             THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))\n         \
             ELSE 'No Access' END AS \"Size\""
                .to_owned(),
        );
        cols.push("t.spcname AS \"Tablespace\"".to_owned());
        cols.push(
            "pg_catalog.shobj_description(d.oid, 'pg_database') AS \"Description\"".to_owned(),
        );
    }
    let mut sql = Sql::new(&format!(
        "SELECT {}\nFROM pg_catalog.pg_database d\n",
        cols.join(",\n       ")
    ));
    if verbose {
        sql.push("JOIN pg_catalog.pg_tablespace t ON t.oid = d.dattablespace\n");
    }
    cx.list(
        sql,
        pattern,
        &Target::name("d.datname"),
        "ORDER BY 1;",
        "List of databases",
    )
    .await
}

/// `\db[+] [PATTERN]`.
pub(super) async fn tablespaces(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut cols = vec![
        "spcname AS \"Name\"".to_owned(),
        "pg_catalog.pg_get_userbyid(spcowner) AS \"Owner\"".to_owned(),
        "pg_catalog.pg_tablespace_location(oid) AS \"Location\"".to_owned(),
    ];
    if verbose {
        cols.push(acl_column("spcacl"));
        cols.push("spcoptions AS \"Options\"".to_owned());
        cols.push(
            "pg_catalog.pg_size_pretty(pg_catalog.pg_tablespace_size(oid)) AS \"Size\"".to_owned(),
        );
        cols.push(
            "pg_catalog.shobj_description(oid, 'pg_tablespace') AS \"Description\"".to_owned(),
        );
    }
    let sql = Sql::new(&format!(
        "SELECT {}\nFROM pg_catalog.pg_tablespace\n",
        cols.join(",\n       ")
    ));
    cx.list(
        sql,
        pattern,
        &Target::name("spcname"),
        "ORDER BY 1;",
        "List of tablespaces",
    )
    .await
}

/// `\drds [ROLE [DATABASE]]`: per-role and per-database settings.
pub(super) async fn role_settings(
    cx: &mut Ctx<'_>,
    role: Option<&str>,
    database: Option<&str>,
) -> Done {
    let mut sql = Sql::new(
        "SELECT r.rolname AS \"Role\", d.datname AS \"Database\",\n       \
         pg_catalog.array_to_string(s.setconfig, E'\\n') AS \"Settings\"\n\
         FROM pg_catalog.pg_db_role_setting s\n\
         LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase\n\
         LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole\n",
    );
    cx.filter(&mut sql, role, &Target::name("r.rolname"))
        .await?;
    cx.filter(&mut sql, database, &Target::name("d.datname"))
        .await?;
    sql.push("ORDER BY 1, 2;");
    let result = cx.query(sql.text()).await?;
    if result.rows.is_empty() && !cx.quiet {
        let message = match (role, database) {
            (Some(r), Some(d)) => {
                format!("Did not find any settings for role \"{r}\" and database \"{d}\".")
            }
            (Some(r), None) => format!("Did not find any settings for role \"{r}\"."),
            _ => "Did not find any settings.".to_owned(),
        };
        cx.error(message);
    } else {
        cx.table(listing("List of settings", result));
    }
    Ok(())
}
