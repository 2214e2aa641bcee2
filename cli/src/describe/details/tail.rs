//! The later footers of `\d NAME`: view definitions and their rules,
//! triggers, and the closing block of table-like relations (foreign
//! server, inheritance, partitions, typed table, replica identity,
//! tablespace, access method).

use super::super::sql::{is_null, lit, text, truth};
use super::super::{Ctx, Done};
use super::{Relation, tablespace_footer};

/// "View definition:" and the rules of a view (`+` only).
pub(super) async fn view_definition(
    cx: &mut Ctx<'_>,
    rel: &Relation,
    out: &mut Vec<String>,
) -> Done {
    let oid = lit(&rel.oid);
    let r = cx
        .query(&format!(
            "SELECT pg_catalog.pg_get_viewdef({oid}::pg_catalog.oid, true);"
        ))
        .await?;
    let Some(def) = r
        .rows
        .first()
        .and_then(|row| row.first().cloned().flatten())
    else {
        return Ok(());
    };
    out.push("View definition:".to_owned());
    out.push(def);
    if rel.has_rules {
        let r = cx
            .query(&format!(
                "SELECT rulename, pg_catalog.rtrim(pg_catalog.pg_get_ruledef(oid, true), ';')\n\
                 FROM pg_catalog.pg_rewrite\n\
                 WHERE ev_class = {oid} AND rulename <> '_RETURN'\nORDER BY 1;"
            ))
            .await?;
        if !r.rows.is_empty() {
            out.push("Rules:".to_owned());
        }
        for row in &r.rows {
            out.push(format!(" {}", text(row, 1).get(12..).unwrap_or("")));
        }
    }
    Ok(())
}

/// Triggers, grouped by whether and how they fire.
pub(super) async fn triggers(cx: &mut Ctx<'_>, rel: &Relation, out: &mut Vec<String>) -> Done {
    let oid = lit(&rel.oid);
    let r = cx
        .query(&format!(
            "SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled,\n       \
             t.tgisinternal,\n       \
             CASE WHEN t.tgparentid <> 0 THEN (\n         \
             SELECT u.tgrelid::pg_catalog.regclass\n         \
             FROM pg_catalog.pg_partition_ancestors(t.tgrelid) WITH ORDINALITY AS anc(relid, depth)\n         \
             JOIN pg_catalog.pg_trigger u ON u.tgrelid = anc.relid\n         \
             WHERE u.tgname = t.tgname AND u.tgparentid = 0\n         \
             ORDER BY anc.depth LIMIT 1) END\n\
             FROM pg_catalog.pg_trigger t\n\
             WHERE t.tgrelid = {oid} AND (NOT t.tgisinternal OR t.tgenabled = 'D')\n\
             ORDER BY 1;"
        ))
        .await?;
    type Filter = fn(&str, bool) -> bool;
    let groups: [(&str, Filter); 5] = [
        ("Triggers:", |e, _| e == "O" || e == "t"),
        ("Disabled user triggers:", |e, internal| {
            (e == "D" || e == "f") && !internal
        }),
        ("Disabled internal triggers:", |e, internal| {
            (e == "D" || e == "f") && internal
        }),
        ("Triggers firing always:", |e, _| e == "A"),
        ("Triggers firing on replica only:", |e, _| e == "R"),
    ];
    for (heading, belongs) in groups {
        let mut first = true;
        for row in &r.rows {
            if !belongs(text(row, 2), truth(row, 3)) {
                continue;
            }
            if first {
                out.push(heading.to_owned());
                first = false;
            }
            let def = text(row, 1);
            let def = def.find(" TRIGGER ").map_or(def, |at| &def[at + 9..]);
            let mut line = format!("    {def}");
            if !is_null(row, 4) {
                line.push_str(&format!(", ON TABLE {}", text(row, 4)));
            }
            out.push(line);
        }
    }
    Ok(())
}

/// The closing footers of tables, partitioned tables and indexes,
/// materialized views, foreign and TOAST tables.
pub(super) async fn footers(
    cx: &mut Ctx<'_>,
    rel: &Relation,
    verbose: bool,
    out: &mut Vec<String>,
) -> Done {
    let oid = lit(&rel.oid);
    let partitioned = matches!(rel.kind, 'p' | 'I');
    if rel.kind == 'f' {
        let r = cx
            .query(&format!(
                "SELECT s.srvname,\n       \
                 pg_catalog.array_to_string(ARRAY(\n         \
                 SELECT pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value)\n         \
                 FROM pg_catalog.pg_options_to_table(f.ftoptions)), ', ')\n\
                 FROM pg_catalog.pg_foreign_table f\n\
                 JOIN pg_catalog.pg_foreign_server s ON s.oid = f.ftserver\n\
                 WHERE f.ftrelid = {oid};"
            ))
            .await?;
        if let Some(row) = r.rows.first() {
            out.push(format!("Server: {}", text(row, 0)));
            let options = text(row, 1);
            if !options.is_empty() {
                out.push(format!("FDW options: ({options})"));
            }
        }
    }
    let parents = cx
        .query(&format!(
            "SELECT p.oid::pg_catalog.regclass\n\
             FROM pg_catalog.pg_inherits h\n\
             JOIN pg_catalog.pg_class p ON p.oid = h.inhparent\n\
             WHERE h.inhrelid = {oid} AND p.relkind NOT IN ('p', 'I')\n\
             ORDER BY h.inhseqno;"
        ))
        .await?;
    let names: Vec<String> = parents
        .rows
        .iter()
        .map(|row| text(row, 0).to_owned())
        .collect();
    push_list(out, "Inherits", &names);
    let children = cx
        .query(&format!(
            "SELECT c.oid::pg_catalog.regclass, c.relkind, h.inhdetachpending,\n       \
             pg_catalog.pg_get_expr(c.relpartbound, c.oid)\n\
             FROM pg_catalog.pg_inherits h\n\
             JOIN pg_catalog.pg_class c ON c.oid = h.inhrelid\n\
             WHERE h.inhparent = {oid}\n\
             ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT',\n         \
             c.oid::pg_catalog.regclass::pg_catalog.text;"
        ))
        .await?;
    let count = children.rows.len();
    if partitioned && count == 0 {
        out.push("Number of partitions: 0".to_owned());
    } else if !verbose {
        if count > 0 {
            let what = if partitioned {
                "partitions"
            } else {
                "child tables"
            };
            out.push(format!(
                "Number of {what}: {count} (Use \\d+ to list them.)"
            ));
        }
    } else {
        let entries: Vec<String> = children
            .rows
            .iter()
            .map(|row| {
                let mut entry = text(row, 0).to_owned();
                if !is_null(row, 3) {
                    entry.push(' ');
                    entry.push_str(text(row, 3));
                }
                if matches!(text(row, 1), "p" | "I") {
                    entry.push_str(", PARTITIONED");
                }
                if truth(row, 2) {
                    entry.push_str(" (DETACH PENDING)");
                }
                entry
            })
            .collect();
        let heading = if partitioned {
            "Partitions"
        } else {
            "Child tables"
        };
        push_list(out, heading, &entries);
    }
    if !rel.of_type.is_empty() {
        out.push(format!("Typed table of type: {}", rel.of_type));
    }
    let shown_identity = if rel.schema == "pg_catalog" {
        rel.replident != 'n'
    } else {
        rel.replident != 'd'
    };
    if verbose && matches!(rel.kind, 'r' | 'm') && rel.replident != 'i' && shown_identity {
        let identity = match rel.replident {
            'f' => "FULL",
            'n' => "NOTHING",
            _ => "???",
        };
        out.push(format!("Replica Identity: {identity}"));
    }
    tablespace_footer(cx, rel.kind, &rel.tablespace, false, out).await?;
    if verbose
        && !cx.hide_tableam()
        && let Some(am) = &rel.access_method
    {
        out.push(format!("Access method: {am}"));
    }
    Ok(())
}

/// `Heading: a,` then the others aligned under the first, comma after all
/// but the last.
fn push_list(out: &mut Vec<String>, heading: &str, items: &[String]) {
    let pad = " ".repeat(heading.chars().count());
    let last = items.len().saturating_sub(1);
    for (i, item) in items.iter().enumerate() {
        let mut line = if i == 0 {
            format!("{heading}: {item}")
        } else {
            format!("{pad}  {item}")
        };
        if i < last {
            line.push(',');
        }
        out.push(line);
    }
}
