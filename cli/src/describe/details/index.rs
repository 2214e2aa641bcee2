//! The footer of an index: its kind, table, predicate and flags.

use super::super::sql::{lit, text, truth};
use super::super::{Ctx, Done};
use super::{Relation, tablespace_footer};

/// Appends `unique, btree, for table "s.t", predicate (…), …`.
pub(super) async fn footer(cx: &mut Ctx<'_>, rel: &Relation, out: &mut Vec<String>) -> Done {
    let oid = lit(&rel.oid);
    let constraint = |flag: &str| {
        format!(
            "(NOT x.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k\n         \
             WHERE k.conrelid = x.indrelid AND k.conindid = x.indexrelid\n           \
             AND k.contype IN ('p', 'u', 'x') AND k.{flag})"
        )
    };
    let sql = format!(
        "SELECT x.indisunique, x.indisprimary, x.indisclustered, x.indisvalid,\n       \
         {},\n       {},\n       \
         x.indisreplident, x.indnullsnotdistinct, am.amname, t.relname,\n       \
         pg_catalog.pg_get_expr(x.indpred, x.indrelid, true)\n\
         FROM pg_catalog.pg_index x\n\
         JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid\n\
         JOIN pg_catalog.pg_class t ON t.oid = x.indrelid\n\
         JOIN pg_catalog.pg_am am ON am.oid = i.relam\n\
         WHERE x.indexrelid = {oid};",
        constraint("condeferrable"),
        constraint("condeferred")
    );
    let r = cx.query(&sql).await?;
    let Some(row) = r.rows.first() else {
        return Ok(());
    };
    let mut line = String::new();
    if truth(row, 1) {
        line.push_str("primary key, ");
    } else if truth(row, 0) {
        line.push_str("unique");
        if truth(row, 7) {
            line.push_str(" nulls not distinct");
        }
        line.push_str(", ");
    }
    line.push_str(&format!(
        "{}, for table \"{}.{}\"",
        text(row, 8),
        rel.schema,
        text(row, 9)
    ));
    let predicate = text(row, 10);
    if !predicate.is_empty() {
        line.push_str(&format!(", predicate ({predicate})"));
    }
    let flags = [
        (truth(row, 2), ", clustered"),
        (!truth(row, 3), ", invalid"),
        (truth(row, 4), ", deferrable"),
        (truth(row, 5), ", initially deferred"),
        (truth(row, 6), ", replica identity"),
    ];
    for (set, flag) in flags {
        if set {
            line.push_str(flag);
        }
    }
    out.push(line);
    if rel.kind == 'i' {
        tablespace_footer(cx, rel.kind, &rel.tablespace, false, out).await?;
    }
    Ok(())
}
