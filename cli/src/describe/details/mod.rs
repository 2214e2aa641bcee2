//! `\d NAME`: one table per matching relation — its columns, then the
//! footers psql prints for its kind.
//!
//! ```text
//!  describe ─▶ find matches (pattern) ─▶ for each: Relation::load
//!     sequence ─▶ sequence::describe (a query result with its own footer)
//!     otherwise ─▶ columns table + footers:
//!         index ─▶ index::footer        table-like ─▶ table::footers
//!         view (+) ─▶ definition, rules  every kind ─▶ triggers
//!         table-like ─▶ tail::footers (inheritance, partitions, AM …)
//! ```

mod columns;
mod index;
mod sequence;
mod table;
mod tail;

use crate::print::{Align, PrintTable};

use super::pattern::Target;
use super::sql::{Sql, is_null, lit, text, truth};
use super::{Ctx, Done, Failed};

/// What `pg_class` says about one relation.
#[derive(Debug, Clone)]
pub(super) struct Relation {
    /// Its OID, as text.
    pub(super) oid: String,
    /// Its schema.
    pub(super) schema: String,
    /// Its name.
    pub(super) name: String,
    /// Number of check constraints.
    pub(super) checks: u32,
    /// `relkind`.
    pub(super) kind: char,
    pub(super) has_index: bool,
    pub(super) has_rules: bool,
    pub(super) has_triggers: bool,
    pub(super) row_security: bool,
    pub(super) force_row_security: bool,
    pub(super) is_partition: bool,
    /// Storage options (`+` only), TOAST ones prefixed `toast.`.
    pub(super) options: String,
    /// Tablespace OID, 0 for the database's default.
    pub(super) tablespace: String,
    /// The type of a typed table, or empty.
    pub(super) of_type: String,
    /// `relpersistence`.
    pub(super) persistence: char,
    /// `relreplident`.
    pub(super) replident: char,
    /// Access method name, if any.
    pub(super) access_method: Option<String>,
}

impl Relation {
    /// Whether the relation is a table, matview, foreign or TOAST table,
    /// partitioned table or partitioned index: the kinds with the full
    /// table footers.
    pub(super) fn table_like(&self) -> bool {
        matches!(self.kind, 'r' | 'm' | 'f' | 'p' | 'I' | 't')
    }
}

/// `\d PATTERN`: describes every relation the pattern matches.
pub(super) async fn describe(cx: &mut Ctx<'_>, pattern: &str, verbose: bool, system: bool) -> Done {
    let _ = system;
    let mut sql = Sql::new(
        "SELECT c.oid, n.nspname, c.relname\n\
         FROM pg_catalog.pg_class c\n\
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n",
    );
    let target = Target::qualified(
        "n.nspname",
        "c.relname",
        "pg_catalog.pg_table_is_visible(c.oid)",
    );
    cx.filter(&mut sql, Some(pattern), &target).await?;
    sql.push("ORDER BY 2, 3;");
    let found = cx.query(sql.text()).await?;
    if found.rows.is_empty() {
        if !cx.quiet {
            cx.error(format!("Did not find any relation named \"{pattern}\"."));
        }
        return Err(Failed);
    }
    for row in &found.rows {
        let (oid, schema, name) = (text(row, 0), text(row, 1), text(row, 2));
        describe_one(cx, oid, schema, name, verbose).await?;
    }
    Ok(())
}

/// Loads what `pg_class` says about `oid`.
async fn load(
    cx: &mut Ctx<'_>,
    oid: &str,
    schema: &str,
    name: &str,
    verbose: bool,
) -> Result<Option<Relation>, Failed> {
    let options = if verbose {
        "pg_catalog.array_to_string(c.reloptions || ARRAY(\
         SELECT 'toast.' || o FROM pg_catalog.unnest(tc.reloptions) o), ', ')"
    } else {
        "''"
    };
    let sql = format!(
        "SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers,\n       \
         c.relrowsecurity, c.relforcerowsecurity, c.relispartition, {options},\n       \
         c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' \
         ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END,\n       \
         c.relpersistence, c.relreplident, am.amname\n\
         FROM pg_catalog.pg_class c\n\
         LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid\n\
         LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam\n\
         WHERE c.oid = {};",
        lit(oid)
    );
    let result = cx.query(&sql).await?;
    let Some(row) = result.rows.first() else {
        if !cx.quiet {
            cx.error(format!("Did not find any relation with OID {oid}."));
        }
        return Ok(None);
    };
    let first = |col: usize| text(row, col).chars().next().unwrap_or(' ');
    Ok(Some(Relation {
        oid: oid.to_owned(),
        schema: schema.to_owned(),
        name: name.to_owned(),
        checks: text(row, 0).parse().unwrap_or(0),
        kind: first(1),
        has_index: truth(row, 2),
        has_rules: truth(row, 3),
        has_triggers: truth(row, 4),
        row_security: truth(row, 5),
        force_row_security: truth(row, 6),
        is_partition: truth(row, 7),
        options: text(row, 8).to_owned(),
        tablespace: text(row, 9).to_owned(),
        of_type: text(row, 10).to_owned(),
        persistence: first(11),
        replident: first(12),
        access_method: (!is_null(row, 13)).then(|| text(row, 13).to_owned()),
    }))
}

/// Describes one relation.
async fn describe_one(
    cx: &mut Ctx<'_>,
    oid: &str,
    schema: &str,
    name: &str,
    verbose: bool,
) -> Done {
    let Some(rel) = load(cx, oid, schema, name, verbose).await? else {
        return Err(Failed);
    };
    if rel.kind == 'S' {
        return sequence::describe(cx, &rel).await;
    }
    let (headers, cells) = columns::table(cx, &rel, verbose).await?;
    let mut footers = Vec::new();
    if matches!(rel.kind, 'i' | 'I') {
        index::footer(cx, &rel, &mut footers).await?;
    } else if rel.table_like() {
        table::footers(cx, &rel, verbose, &mut footers).await?;
    }
    if verbose && matches!(rel.kind, 'v' | 'm') {
        tail::view_definition(cx, &rel, &mut footers).await?;
    }
    if rel.has_triggers {
        tail::triggers(cx, &rel, &mut footers).await?;
    }
    if rel.table_like() {
        tail::footers(cx, &rel, verbose, &mut footers).await?;
    }
    if verbose && !rel.options.is_empty() {
        footers.push(format!("Options: {}", rel.options));
    }
    let aligns = vec![Align::Left; headers.len()];
    cx.unexpanded_table(PrintTable {
        title: Some(title(&rel)),
        headers,
        aligns,
        cells,
        footers: Some(footers),
    });
    Ok(())
}

/// The table's title, by kind and persistence.
fn title(rel: &Relation) -> String {
    let unlogged = rel.persistence == 'u';
    let kind = match (rel.kind, unlogged) {
        ('r', false) => "Table",
        ('r', true) => "Unlogged table",
        ('v', _) => "View",
        ('m', false) => "Materialized view",
        ('m', true) => "Unlogged materialized view",
        ('i', false) => "Index",
        ('i', true) => "Unlogged index",
        ('I', false) => "Partitioned index",
        ('I', true) => "Unlogged partitioned index",
        ('t', _) => "TOAST table",
        ('c', _) => "Composite type",
        ('f', _) => "Foreign table",
        ('p', false) => "Partitioned table",
        ('p', true) => "Unlogged partitioned table",
        (k, _) => return format!("?{k}? \"{}.{}\"", rel.schema, rel.name),
    };
    format!("{kind} \"{}.{}\"", rel.schema, rel.name)
}

/// Appends psql's tablespace footer for a relation kept outside the
/// default tablespace: a line of its own, or (`inline`) added to the last
/// footer.
pub(super) async fn tablespace_footer(
    cx: &mut Ctx<'_>,
    kind: char,
    tablespace: &str,
    inline: bool,
    footers: &mut Vec<String>,
) -> Done {
    if !matches!(kind, 'r' | 'm' | 'i' | 'p' | 'I' | 't')
        || tablespace == "0"
        || tablespace.is_empty()
    {
        return Ok(());
    }
    let sql = format!(
        "SELECT spcname FROM pg_catalog.pg_tablespace WHERE oid = {};",
        lit(tablespace)
    );
    let result = cx.query(&sql).await?;
    let Some(row) = result.rows.first() else {
        return Ok(());
    };
    let name = text(row, 0);
    if inline {
        if let Some(last) = footers.last_mut() {
            last.push_str(&format!(", tablespace \"{name}\""));
        }
    } else {
        footers.push(format!("Tablespace: \"{name}\""));
    }
    Ok(())
}
