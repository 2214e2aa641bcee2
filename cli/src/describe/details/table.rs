//! The footers of tables, partitions, materialized views, foreign and
//! TOAST tables, in psql's order: partition of, partition key, owning
//! table, indexes, check and foreign-key constraints, referenced by,
//! policies, statistics objects, rules, publications.

use super::super::sql::{is_null, lit, text, truth};
use super::super::{Ctx, Done};
use super::{Relation, tablespace_footer};

/// Appends the table footers of `rel`.
pub(super) async fn footers(
    cx: &mut Ctx<'_>,
    rel: &Relation,
    verbose: bool,
    out: &mut Vec<String>,
) -> Done {
    let oid = lit(&rel.oid);
    if rel.is_partition {
        partition_of(cx, &oid, verbose, out).await?;
    }
    if rel.kind == 'p' {
        let r = cx
            .query(&format!(
                "SELECT pg_catalog.pg_get_partkeydef({oid}::pg_catalog.oid);"
            ))
            .await?;
        if let Some(row) = r.rows.first() {
            out.push(format!("Partition key: {}", text(row, 0)));
        }
    }
    if rel.kind == 't' {
        let r = cx
            .query(&format!(
                "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c\n\
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n\
                 WHERE c.reltoastrelid = {oid};"
            ))
            .await?;
        if let Some(row) = r.rows.first() {
            out.push(format!(
                "Owning table: \"{}.{}\"",
                text(row, 0),
                text(row, 1)
            ));
        }
    }
    if rel.has_index {
        indexes(cx, &oid, out).await?;
    }
    if rel.checks > 0 {
        let r = cx
            .query(&format!(
                "SELECT conname, pg_catalog.pg_get_constraintdef(oid, true)\n\
                 FROM pg_catalog.pg_constraint\n\
                 WHERE conrelid = {oid} AND contype = 'c'\nORDER BY 1;"
            ))
            .await?;
        if !r.rows.is_empty() {
            out.push("Check constraints:".to_owned());
        }
        for row in &r.rows {
            out.push(format!("    \"{}\" {}", text(row, 0), text(row, 1)));
        }
    }
    if rel.has_triggers || rel.kind == 'p' {
        foreign_keys(cx, rel, &oid, out).await?;
    }
    policies(cx, rel, &oid, out).await?;
    statistics(cx, &oid, out).await?;
    if rel.has_rules && rel.kind != 'm' {
        rules(cx, &oid, out).await?;
    }
    publications(cx, &oid, out).await
}

/// "Partition of: …" and, with `+`, the partition constraint.
async fn partition_of(cx: &mut Ctx<'_>, oid: &str, verbose: bool, out: &mut Vec<String>) -> Done {
    let constraint = if verbose {
        ",\n       pg_catalog.pg_get_partition_constraintdef(c.oid)"
    } else {
        ""
    };
    let r = cx
        .query(&format!(
            "SELECT h.inhparent::pg_catalog.regclass,\n       \
             pg_catalog.pg_get_expr(c.relpartbound, c.oid),\n       \
             h.inhdetachpending{constraint}\n\
             FROM pg_catalog.pg_class c\n\
             JOIN pg_catalog.pg_inherits h ON h.inhrelid = c.oid\n\
             WHERE c.oid = {oid};"
        ))
        .await?;
    let Some(row) = r.rows.first() else {
        return Ok(());
    };
    let pending = if truth(row, 2) { " DETACH PENDING" } else { "" };
    out.push(format!(
        "Partition of: {} {}{pending}",
        text(row, 0),
        text(row, 1)
    ));
    if verbose {
        let def = text(row, 3);
        out.push(if def.is_empty() {
            "No partition constraint".to_owned()
        } else {
            format!("Partition constraint: {def}")
        });
    }
    Ok(())
}

/// "Indexes:", primary key first, then by name.
async fn indexes(cx: &mut Ctx<'_>, oid: &str, out: &mut Vec<String>) -> Done {
    let r = cx
        .query(&format!(
            "SELECT ic.relname, x.indisprimary, x.indisunique, x.indisclustered, x.indisvalid,\n       \
             pg_catalog.pg_get_indexdef(x.indexrelid, 0, true),\n       \
             pg_catalog.pg_get_constraintdef(k.oid, true), k.contype, k.condeferrable,\n       \
             k.condeferred, x.indisreplident, ic.reltablespace\n\
             FROM pg_catalog.pg_index x\n\
             JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid\n\
             LEFT JOIN pg_catalog.pg_constraint k ON k.conrelid = x.indrelid\n  \
             AND k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x')\n\
             WHERE x.indrelid = {oid}\n\
             ORDER BY x.indisprimary DESC, ic.relname;"
        ))
        .await?;
    if r.rows.is_empty() {
        return Ok(());
    }
    out.push("Indexes:".to_owned());
    for row in &r.rows {
        let mut line = format!("    \"{}\"", text(row, 0));
        if text(row, 7) == "x" {
            line.push(' ');
            line.push_str(text(row, 6));
        } else {
            if truth(row, 1) {
                line.push_str(" PRIMARY KEY,");
            } else if truth(row, 2) {
                line.push_str(if text(row, 7) == "u" {
                    " UNIQUE CONSTRAINT,"
                } else {
                    " UNIQUE,"
                });
            }
            let def = text(row, 5);
            let tail = def.find(" USING ").map_or(def, |at| &def[at + 7..]);
            line.push(' ');
            line.push_str(tail);
            if truth(row, 8) {
                line.push_str(" DEFERRABLE");
            }
            if truth(row, 9) {
                line.push_str(" INITIALLY DEFERRED");
            }
        }
        if truth(row, 3) {
            line.push_str(" CLUSTER");
        }
        if !truth(row, 4) {
            line.push_str(" INVALID");
        }
        if truth(row, 10) {
            line.push_str(" REPLICA IDENTITY");
        }
        out.push(line);
        tablespace_footer(cx, 'i', text(row, 11), true, out).await?;
    }
    Ok(())
}

/// "Foreign-key constraints:" and "Referenced by:".
async fn foreign_keys(cx: &mut Ctx<'_>, rel: &Relation, oid: &str, out: &mut Vec<String>) -> Done {
    let sql = if rel.is_partition || rel.kind == 'p' {
        format!(
            "SELECT k.conrelid = {oid}::pg_catalog.regclass AS sametable, k.conname,\n       \
             pg_catalog.pg_get_constraintdef(k.oid, true),\n       \
             k.conrelid::pg_catalog.regclass\n\
             FROM pg_catalog.pg_partition_ancestors({oid}) anc\n\
             JOIN pg_catalog.pg_constraint k ON k.conrelid = anc.relid\n\
             WHERE k.contype = 'f' AND k.conparentid = 0\n\
             ORDER BY sametable DESC, k.conname;"
        )
    } else {
        format!(
            "SELECT true, conname, pg_catalog.pg_get_constraintdef(oid, true),\n       \
             conrelid::pg_catalog.regclass\n\
             FROM pg_catalog.pg_constraint\n\
             WHERE conrelid = {oid} AND contype = 'f' AND conparentid = 0\n\
             ORDER BY conname;"
        )
    };
    let r = cx.query(&sql).await?;
    if !r.rows.is_empty() {
        out.push("Foreign-key constraints:".to_owned());
    }
    for row in &r.rows {
        out.push(if truth(row, 0) {
            format!("    \"{}\" {}", text(row, 1), text(row, 2))
        } else {
            format!(
                "    TABLE \"{}\" CONSTRAINT \"{}\" {}",
                text(row, 3),
                text(row, 1),
                text(row, 2)
            )
        });
    }
    let r = cx
        .query(&format!(
            "SELECT conname, conrelid::pg_catalog.regclass,\n       \
             pg_catalog.pg_get_constraintdef(oid, true)\n\
             FROM pg_catalog.pg_constraint\n\
             WHERE contype = 'f' AND conparentid = 0\n  \
             AND confrelid IN (SELECT pg_catalog.pg_partition_ancestors({oid})\n                    \
             UNION ALL SELECT {oid}::pg_catalog.regclass)\n\
             ORDER BY conname;"
        ))
        .await?;
    if !r.rows.is_empty() {
        out.push("Referenced by:".to_owned());
    }
    for row in &r.rows {
        out.push(format!(
            "    TABLE \"{}\" CONSTRAINT \"{}\" {}",
            text(row, 1),
            text(row, 0),
            text(row, 2)
        ));
    }
    Ok(())
}

/// The row-level security heading and each policy.
async fn policies(cx: &mut Ctx<'_>, rel: &Relation, oid: &str, out: &mut Vec<String>) -> Done {
    let r = cx
        .query(&format!(
            "SELECT p.polname, p.polpermissive,\n       \
             CASE WHEN p.polroles <> '{{0}}' THEN pg_catalog.array_to_string(ARRAY(\n         \
             SELECT rolname FROM pg_catalog.pg_roles WHERE oid = ANY (p.polroles)\n         \
             ORDER BY 1), ',') END,\n       \
             pg_catalog.pg_get_expr(p.polqual, p.polrelid),\n       \
             pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),\n       \
             CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'\n         \
             WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' END\n\
             FROM pg_catalog.pg_policy p\n\
             WHERE p.polrelid = {oid}\nORDER BY 1;"
        ))
        .await?;
    let any = !r.rows.is_empty();
    let heading = match (rel.row_security, rel.force_row_security, any) {
        (true, false, true) => Some("Policies:"),
        (true, true, true) => Some("Policies (forced row security enabled):"),
        (true, false, false) => Some("Policies (row security enabled): (none)"),
        (true, true, false) => Some("Policies (forced row security enabled): (none)"),
        (false, _, true) => Some("Policies (row security disabled):"),
        (false, _, false) => None,
    };
    out.extend(heading.map(str::to_owned));
    for row in &r.rows {
        let mut line = format!("    POLICY \"{}\"", text(row, 0));
        if text(row, 1) == "f" {
            line.push_str(" AS RESTRICTIVE");
        }
        if !is_null(row, 5) {
            line.push_str(&format!(" FOR {}", text(row, 5)));
        }
        if !is_null(row, 2) {
            line.push_str(&format!("\n      TO {}", text(row, 2)));
        }
        if !is_null(row, 3) {
            line.push_str(&format!("\n      USING ({})", text(row, 3)));
        }
        if !is_null(row, 4) {
            line.push_str(&format!("\n      WITH CHECK ({})", text(row, 4)));
        }
        out.push(line);
    }
    Ok(())
}

/// "Statistics objects:".
async fn statistics(cx: &mut Ctx<'_>, oid: &str, out: &mut Vec<String>) -> Done {
    let r = cx
        .query(&format!(
            "SELECT s.stxrelid::pg_catalog.regclass,\n       \
             s.stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, s.stxname,\n       \
             pg_catalog.pg_get_statisticsobjdef_columns(s.oid),\n       \
             'd' = ANY (s.stxkind), 'f' = ANY (s.stxkind), 'm' = ANY (s.stxkind),\n       \
             s.stxstattarget\n\
             FROM pg_catalog.pg_statistic_ext s\n\
             WHERE s.stxrelid = {oid}\n\
             ORDER BY nsp, s.stxname;"
        ))
        .await?;
    if !r.rows.is_empty() {
        out.push("Statistics objects:".to_owned());
    }
    for row in &r.rows {
        let kinds: Vec<&str> = [(4, "ndistinct"), (5, "dependencies"), (6, "mcv")]
            .into_iter()
            .filter(|(col, _)| truth(row, *col))
            .map(|(_, name)| name)
            .collect();
        let mut line = format!("    \"{}.{}\"", text(row, 1), text(row, 2));
        if !kinds.is_empty() && kinds.len() < 3 {
            line.push_str(&format!(" ({})", kinds.join(", ")));
        }
        line.push_str(&format!(" ON {} FROM {}", text(row, 3), text(row, 0)));
        if !is_null(row, 7) && text(row, 7) != "-1" {
            line.push_str(&format!("; STATISTICS {}", text(row, 7)));
        }
        out.push(line);
    }
    Ok(())
}

/// Rules, grouped by how they fire.
async fn rules(cx: &mut Ctx<'_>, oid: &str, out: &mut Vec<String>) -> Done {
    let r = cx
        .query(&format!(
            "SELECT rulename,\n       \
             pg_catalog.rtrim(pg_catalog.pg_get_ruledef(oid, true), ';'), ev_enabled\n\
             FROM pg_catalog.pg_rewrite\n\
             WHERE ev_class = {oid}\nORDER BY 1;"
        ))
        .await?;
    let groups = [
        ("O", "Rules:"),
        ("D", "Disabled rules:"),
        ("A", "Rules firing always:"),
        ("R", "Rules firing on replica only:"),
    ];
    for (state, heading) in groups {
        let mut first = true;
        for row in r.rows.iter().filter(|row| text(row, 2) == state) {
            if first {
                out.push(heading.to_owned());
                first = false;
            }
            let def = text(row, 1);
            out.push(format!("    {}", def.get(12..).unwrap_or("")));
        }
    }
    Ok(())
}

/// "Publications:" with column lists and row filters.
async fn publications(cx: &mut Ctx<'_>, oid: &str, out: &mut Vec<String>) -> Done {
    let r = cx
        .query(&format!(
            "SELECT p.pubname, NULL::pg_catalog.text, NULL::pg_catalog.text\n\
             FROM pg_catalog.pg_publication p\n\
             JOIN pg_catalog.pg_publication_namespace pn ON pn.pnpubid = p.oid\n\
             JOIN pg_catalog.pg_class c ON c.relnamespace = pn.pnnspid\n\
             WHERE c.oid = {oid} AND pg_catalog.pg_relation_is_publishable({oid})\n\
             UNION\n\
             SELECT p.pubname, pg_catalog.pg_get_expr(pr.prqual, pr.prrelid),\n       \
             CASE WHEN pr.prattrs IS NOT NULL THEN (\n         \
             SELECT pg_catalog.string_agg(a.attname, ', ')\n         \
             FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) g\n         \
             JOIN pg_catalog.pg_attribute a ON a.attrelid = pr.prrelid AND a.attnum = pr.prattrs[g]) END\n\
             FROM pg_catalog.pg_publication p\n\
             JOIN pg_catalog.pg_publication_rel pr ON pr.prpubid = p.oid\n\
             WHERE pr.prrelid = {oid}\n\
             UNION\n\
             SELECT p.pubname, NULL, NULL\n\
             FROM pg_catalog.pg_publication p\n\
             WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable({oid})\n\
             ORDER BY 1;"
        ))
        .await?;
    if !r.rows.is_empty() {
        out.push("Publications:".to_owned());
    }
    for row in &r.rows {
        let mut line = format!("    \"{}\"", text(row, 0));
        if !is_null(row, 2) {
            line.push_str(&format!(" ({})", text(row, 2)));
        }
        if !is_null(row, 1) {
            line.push_str(&format!(" WHERE {}", text(row, 1)));
        }
        out.push(line);
    }
    Ok(())
}
