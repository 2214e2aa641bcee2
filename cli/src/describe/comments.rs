//! `\dd[S] [PATTERN]`: comments on the objects no other command shows
//! them for — constraints, operator classes and families, rules and
//! triggers.

use super::pattern::Target;
use super::sql::{Sql, listing};
use super::types::NOT_SYSTEM;
use super::{Ctx, Done};

/// `\dd[S] [PATTERN]`: comments on constraints, operator classes and
/// families, rules and triggers.
pub(super) async fn comments(cx: &mut Ctx<'_>, pattern: Option<&str>, system: bool) -> Done {
    // (object kind, FROM clause, fixed condition, name, visibility)
    let arms = [
        (
            "table constraint",
            "pg_catalog.pg_constraint o\n  JOIN pg_catalog.pg_class c ON c.oid = o.conrelid\n  \
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
            None,
            "o.conname",
            "pg_catalog.pg_table_is_visible(c.oid)",
        ),
        (
            "domain constraint",
            "pg_catalog.pg_constraint o\n  JOIN pg_catalog.pg_type t ON t.oid = o.contypid\n  \
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace",
            None,
            "o.conname",
            "pg_catalog.pg_type_is_visible(t.oid)",
        ),
        (
            "operator class",
            "pg_catalog.pg_opclass o\n  JOIN pg_catalog.pg_am am ON am.oid = o.opcmethod\n  \
             JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace",
            None,
            "o.opcname",
            "pg_catalog.pg_opclass_is_visible(o.oid)",
        ),
        (
            "operator family",
            "pg_catalog.pg_opfamily o\n  JOIN pg_catalog.pg_am am ON am.oid = o.opfmethod\n  \
             JOIN pg_catalog.pg_namespace n ON n.oid = o.opfnamespace",
            None,
            "o.opfname",
            "pg_catalog.pg_opfamily_is_visible(o.oid)",
        ),
        (
            "rule",
            "pg_catalog.pg_rewrite o\n  JOIN pg_catalog.pg_class c ON c.oid = o.ev_class\n  \
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
            Some("o.rulename <> '_RETURN'"),
            "o.rulename",
            "pg_catalog.pg_table_is_visible(c.oid)",
        ),
        (
            "trigger",
            "pg_catalog.pg_trigger o\n  JOIN pg_catalog.pg_class c ON c.oid = o.tgrelid\n  \
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
            None,
            "o.tgname",
            "pg_catalog.pg_table_is_visible(c.oid)",
        ),
    ];
    let mut parts = Vec::new();
    for (kind, from, fixed, name, visible) in arms {
        let mut arm = Sql::new(&format!(
            "SELECT o.oid, o.tableoid, n.nspname, {name}::pg_catalog.text AS name, \
             '{kind}'::pg_catalog.text AS object\nFROM {from}\n"
        ));
        if let Some(cond) = fixed {
            arm.and(cond);
        }
        if !system && pattern.is_none() {
            arm.and(NOT_SYSTEM);
        }
        let target = Target::qualified("n.nspname", name, visible);
        cx.filter(&mut arm, pattern, &target).await?;
        parts.push(arm.text().to_owned());
    }
    let sql = format!(
        "SELECT DISTINCT tt.nspname AS \"Schema\", tt.name AS \"Name\", tt.object AS \"Object\",\n       \
         d.description AS \"Description\"\n\
         FROM (\n{}) AS tt\n\
         JOIN pg_catalog.pg_description d\n  \
         ON d.objoid = tt.oid AND d.classoid = tt.tableoid AND d.objsubid = 0\n\
         ORDER BY 1, 2, 3;",
        parts.join("UNION ALL\n")
    );
    let result = cx.query(&sql).await?;
    cx.table(listing("Object descriptions", result));
    Ok(())
}
