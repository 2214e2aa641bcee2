//! `\d SEQUENCE`: the sequence's parameters as a one-row result, with the
//! column that owns it as the footer.

use crate::print::PrintTable;

use super::super::sql::{align_for, lit, text};
use super::super::{Ctx, Done};
use super::Relation;

/// Prints the sequence table of `rel`.
pub(super) async fn describe(cx: &mut Ctx<'_>, rel: &Relation) -> Done {
    let oid = lit(&rel.oid);
    let params = cx
        .query(&format!(
            "SELECT pg_catalog.format_type(seqtypid, NULL) AS \"Type\",\n       \
             seqstart AS \"Start\",\n       \
             seqmin AS \"Minimum\",\n       \
             seqmax AS \"Maximum\",\n       \
             seqincrement AS \"Increment\",\n       \
             CASE WHEN seqcycle THEN 'yes' ELSE 'no' END AS \"Cycles?\",\n       \
             seqcache AS \"Cache\"\n\
             FROM pg_catalog.pg_sequence\n\
             WHERE seqrelid = {oid};"
        ))
        .await?;
    let owner = cx
        .query(&format!(
            "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)\n         \
             || '.' || pg_catalog.quote_ident(a.attname), d.deptype\n\
             FROM pg_catalog.pg_depend d\n\
             JOIN pg_catalog.pg_class c ON c.oid = d.refobjid\n\
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n\
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid\n\
             WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass\n  \
             AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass\n  \
             AND d.objid = {oid} AND d.deptype IN ('a', 'i');"
        ))
        .await?;
    let mut footers = Vec::new();
    if let [row] = owner.rows.as_slice() {
        match text(row, 1) {
            "a" => footers.push(format!("Owned by: {}", text(row, 0))),
            "i" => footers.push(format!("Sequence for identity column: {}", text(row, 0))),
            _ => {}
        }
    }
    let kind = if rel.persistence == 'u' {
        "Unlogged sequence"
    } else {
        "Sequence"
    };
    cx.table(PrintTable {
        title: Some(format!("{kind} \"{}.{}\"", rel.schema, rel.name)),
        aligns: params.types.iter().map(|t| align_for(*t)).collect(),
        headers: params.columns,
        cells: params.rows,
        footers: Some(footers),
    });
    Ok(())
}
