//! The `\d` family: psql's catalog queries (as `psql -E` shows them,
//! trimmed to what cor4 prints) and psql's title above the table.
//!
//! Every column is selected as text, so each listing has fixed headings
//! even when it finds nothing. Patterns follow psql's rules: `*` and `?`
//! wildcards, `schema.name`, unquoted letters folded to lower case, double
//! quotes keep case and make wildcards literal.

use std::io::{self, Write};

use cor4_protocol::{Type, Value};

use super::{Describe, Listing};
use crate::render::{Heading, ResultWriter, Values};
use crate::settings::{Format, Settings};

/// A query whose rows make one listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Printed above the table (`List of relations`).
    pub title: String,
    /// Column names, in the query's order.
    pub headings: Vec<&'static str>,
    /// The SQL; every column is text.
    pub sql: String,
    /// psql's message when nothing matches and it prints no table.
    pub none_found: Option<String>,
}

/// A SQL string literal, safe whatever `standard_conforming_strings` says.
pub fn literal(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('\'', "''");
    format!("E'{escaped}'")
}

/// psql's pattern for one name part, as an anchored regular expression.
fn name_regex(part: &str) -> String {
    let mut regex = String::from("^(");
    let mut quoted = false;
    let mut chars = part.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                regex.push('"');
            }
            '"' => quoted = !quoted,
            '*' if !quoted => regex.push_str(".*"),
            '?' if !quoted => regex.push('.'),
            c if c.is_alphanumeric() || c == '_' => {
                if quoted {
                    regex.push(c);
                } else {
                    regex.extend(c.to_lowercase());
                }
            }
            c => {
                regex.push('\\');
                regex.push(c);
            }
        }
    }
    regex.push_str(")$");
    regex
}

/// Splits `schema.name` at the last dot outside double quotes.
fn split_qualified(pattern: &str) -> (Option<&str>, &str) {
    let mut quoted = false;
    let mut dot = None;
    for (i, c) in pattern.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => dot = Some(i),
            _ => {}
        }
    }
    match dot {
        Some(i) => (Some(&pattern[..i]), &pattern[i + 1..]),
        None => (None, pattern),
    }
}

/// The WHERE conditions psql adds for a pattern: the name matches, and
/// either the schema matches or the object is visible on the search path.
fn pattern_filter(
    pattern: Option<&str>,
    schema_col: &str,
    name_col: &str,
    visible: &str,
) -> String {
    let Some(pattern) = pattern else {
        return format!("  AND {visible}\n");
    };
    let (schema, name) = split_qualified(pattern);
    let mut filter = String::new();
    if !name.is_empty() {
        filter.push_str(&format!(
            "  AND {name_col} OPERATOR(pg_catalog.~) {} COLLATE pg_catalog.default\n",
            literal(&name_regex(name))
        ));
    }
    match schema {
        Some(schema) => filter.push_str(&format!(
            "  AND {schema_col} OPERATOR(pg_catalog.~) {} COLLATE pg_catalog.default\n",
            literal(&name_regex(schema))
        )),
        None => filter.push_str(&format!("  AND {visible}\n")),
    }
    filter
}

const NOT_SYSTEM: &str = "  AND n.nspname <> 'pg_catalog'\n  AND n.nspname !~ '^pg_toast'\n  AND n.nspname <> 'information_schema'\n";

/// The query behind a listing (not `\d NAME`, see [`relation_lookup`]).
pub fn listing(describe: &Describe) -> Query {
    let pattern = describe.pattern.as_deref();
    match describe.kind {
        Listing::Relations | Listing::Tables => relations(describe),
        Listing::Schemas => {
            let mut sql = String::from(
                "SELECT n.nspname AS \"Name\",\n  pg_catalog.pg_get_userbyid(n.nspowner) AS \"Owner\"",
            );
            let mut headings = vec!["Name", "Owner"];
            if describe.verbose {
                sql.push_str(
                    ",\n  pg_catalog.array_to_string(n.nspacl, E'\\n') AS \"Access privileges\",\n  pg_catalog.obj_description(n.oid, 'pg_namespace') AS \"Description\"",
                );
                headings.extend(["Access privileges", "Description"]);
            }
            sql.push_str("\nFROM pg_catalog.pg_namespace n\nWHERE true\n");
            if !describe.system && pattern.is_none() {
                sql.push_str("  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'\n");
            }
            if let Some(p) = pattern {
                sql.push_str(&format!(
                    "  AND n.nspname OPERATOR(pg_catalog.~) {} COLLATE pg_catalog.default\n",
                    literal(&name_regex(p))
                ));
            }
            sql.push_str("ORDER BY 1;");
            Query {
                title: "List of schemas".into(),
                headings,
                sql,
                none_found: None,
            }
        }
        Listing::Functions => {
            let mut sql = String::from(
                "SELECT n.nspname AS \"Schema\",\n  p.proname AS \"Name\",\n  pg_catalog.pg_get_function_result(p.oid) AS \"Result data type\",\n  pg_catalog.pg_get_function_arguments(p.oid) AS \"Argument data types\",\n  CASE p.prokind WHEN 'a' THEN 'agg' WHEN 'w' THEN 'window' WHEN 'p' THEN 'proc' ELSE 'func' END AS \"Type\"",
            );
            let mut headings = vec![
                "Schema",
                "Name",
                "Result data type",
                "Argument data types",
                "Type",
            ];
            if describe.verbose {
                sql.push_str(
                    ",\n  pg_catalog.pg_get_userbyid(p.proowner) AS \"Owner\",\n  l.lanname AS \"Language\",\n  pg_catalog.obj_description(p.oid, 'pg_proc') AS \"Description\"",
                );
                headings.extend(["Owner", "Language", "Description"]);
            }
            sql.push_str(
                "\nFROM pg_catalog.pg_proc p\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n     LEFT JOIN pg_catalog.pg_language l ON l.oid = p.prolang\nWHERE true\n",
            );
            if !describe.system && pattern.is_none() {
                sql.push_str(
                    "  AND n.nspname <> 'pg_catalog'\n  AND n.nspname <> 'information_schema'\n",
                );
            }
            sql.push_str(&pattern_filter(
                pattern,
                "n.nspname",
                "p.proname",
                "pg_catalog.pg_function_is_visible(p.oid)",
            ));
            sql.push_str("ORDER BY 1, 2, 4;");
            Query {
                title: "List of functions".into(),
                headings,
                sql,
                none_found: None,
            }
        }
        Listing::Roles => {
            let mut sql = String::from(
                "SELECT r.rolname AS \"Role name\",\n  pg_catalog.concat_ws(', ',\n    CASE WHEN r.rolsuper THEN 'Superuser' END,\n    CASE WHEN NOT r.rolinherit THEN 'No inheritance' END,\n    CASE WHEN r.rolcreaterole THEN 'Create role' END,\n    CASE WHEN r.rolcreatedb THEN 'Create DB' END,\n    CASE WHEN NOT r.rolcanlogin THEN 'Cannot login' END,\n    CASE WHEN r.rolreplication THEN 'Replication' END,\n    CASE WHEN r.rolbypassrls THEN 'Bypass RLS' END,\n    CASE WHEN r.rolconnlimit = 1 THEN '1 connection' WHEN r.rolconnlimit >= 0 THEN r.rolconnlimit || ' connections' END,\n    CASE WHEN r.rolvaliduntil IS NOT NULL THEN 'Password valid until ' || r.rolvaliduntil END\n  ) AS \"Attributes\",\n  ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m\n        JOIN pg_catalog.pg_roles b ON m.roleid = b.oid\n        WHERE m.member = r.oid)::pg_catalog.text AS \"Member of\"\nFROM pg_catalog.pg_roles r\nWHERE true\n",
            );
            if !describe.system && pattern.is_none() {
                sql.push_str("  AND r.rolname !~ '^pg_'\n");
            }
            if let Some(p) = pattern {
                sql.push_str(&format!(
                    "  AND r.rolname OPERATOR(pg_catalog.~) {} COLLATE pg_catalog.default\n",
                    literal(&name_regex(p))
                ));
            }
            sql.push_str("ORDER BY 1;");
            Query {
                title: "List of roles".into(),
                headings: vec!["Role name", "Attributes", "Member of"],
                sql,
                none_found: None,
            }
        }
        Listing::Databases => {
            let mut sql = String::from(
                "SELECT d.datname AS \"Name\",\n  pg_catalog.pg_get_userbyid(d.datdba) AS \"Owner\",\n  pg_catalog.pg_encoding_to_char(d.encoding) AS \"Encoding\",\n  d.datcollate::pg_catalog.text AS \"Collate\",\n  d.datctype::pg_catalog.text AS \"Ctype\",\n  pg_catalog.array_to_string(d.datacl, E'\\n') AS \"Access privileges\"",
            );
            let mut headings = vec![
                "Name",
                "Owner",
                "Encoding",
                "Collate",
                "Ctype",
                "Access privileges",
            ];
            if describe.verbose {
                sql.push_str(
                    ",\n  CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')\n       THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))\n       ELSE 'No Access' END AS \"Size\",\n  pg_catalog.shobj_description(d.oid, 'pg_database') AS \"Description\"",
                );
                headings.extend(["Size", "Description"]);
            }
            sql.push_str("\nFROM pg_catalog.pg_database d\nWHERE true\n");
            if let Some(p) = pattern {
                sql.push_str(&format!(
                    "  AND d.datname OPERATOR(pg_catalog.~) {} COLLATE pg_catalog.default\n",
                    literal(&name_regex(p))
                ));
            }
            sql.push_str("ORDER BY 1;");
            Query {
                title: "List of databases".into(),
                headings,
                sql,
                none_found: None,
            }
        }
    }
}

fn relations(describe: &Describe) -> Query {
    let pattern = describe.pattern.as_deref();
    let tables_only = describe.kind == Listing::Tables;
    let mut sql = String::from(
        "SELECT n.nspname AS \"Schema\",\n  c.relname AS \"Name\",\n  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END AS \"Type\",\n  pg_catalog.pg_get_userbyid(c.relowner) AS \"Owner\"",
    );
    let mut headings = vec!["Schema", "Name", "Type", "Owner"];
    if describe.verbose {
        sql.push_str(
            ",\n  CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' WHEN 'u' THEN 'unlogged' END AS \"Persistence\",\n  pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) AS \"Size\",\n  pg_catalog.obj_description(c.oid, 'pg_class') AS \"Description\"",
        );
        headings.extend(["Persistence", "Size", "Description"]);
    }
    sql.push_str(
        "\nFROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n",
    );
    sql.push_str(if tables_only {
        "WHERE c.relkind IN ('r','p','')\n"
    } else {
        "WHERE c.relkind IN ('r','p','v','m','S','f','')\n"
    });
    if !describe.system && pattern.is_none() {
        sql.push_str(NOT_SYSTEM);
    }
    sql.push_str(&pattern_filter(
        pattern,
        "n.nspname",
        "c.relname",
        "pg_catalog.pg_table_is_visible(c.oid)",
    ));
    sql.push_str("ORDER BY 1,2;");
    let none_found = Some(match pattern {
        Some(p) => format!("Did not find any relation named \"{p}\"."),
        None => "Did not find any relations.".to_owned(),
    });
    Query {
        title: "List of relations".into(),
        headings,
        sql,
        none_found,
    }
}

/// `\d NAME`: the relations the pattern names: oid, schema, name, kind.
pub fn relation_lookup(pattern: &str) -> String {
    let mut sql = String::from(
        "SELECT c.oid::pg_catalog.text, n.nspname, c.relname, c.relkind::pg_catalog.text\nFROM pg_catalog.pg_class c\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\nWHERE true\n",
    );
    sql.push_str(&pattern_filter(
        Some(pattern),
        "n.nspname",
        "c.relname",
        "pg_catalog.pg_table_is_visible(c.oid)",
    ));
    sql.push_str("ORDER BY 2, 3;");
    sql
}

/// `\d NAME`'s title for a relation kind: `Table "public.t"`.
pub fn relation_title(kind: &str, schema: &str, name: &str) -> String {
    let what = match kind {
        "v" => "View",
        "m" => "Materialized view",
        "i" => "Index",
        "S" => "Sequence",
        "t" => "TOAST table",
        "f" => "Foreign table",
        "p" => "Partitioned table",
        "I" => "Partitioned index",
        "c" => "Composite type",
        _ => "Table",
    };
    format!("{what} \"{schema}.{name}\"")
}

/// Headings of `\d NAME`'s column table.
pub const COLUMN_HEADINGS: [&str; 5] = ["Column", "Type", "Collation", "Nullable", "Default"];

/// `\d NAME`'s columns: name, type, collation, nullable, default.
pub fn columns(oid: &str) -> String {
    format!(
        "SELECT a.attname::pg_catalog.text,\n  pg_catalog.format_type(a.atttypid, a.atttypmod),\n  (SELECT co.collname::pg_catalog.text FROM pg_catalog.pg_collation co, pg_catalog.pg_type t\n   WHERE co.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation),\n  CASE WHEN a.attnotnull THEN 'not null' ELSE '' END,\n  CASE a.attidentity WHEN 'a' THEN 'generated always as identity'\n                     WHEN 'd' THEN 'generated by default as identity'\n       ELSE CASE a.attgenerated WHEN 's' THEN 'generated always as (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) || ') stored'\n            ELSE pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) END END\nFROM pg_catalog.pg_attribute a\n     LEFT JOIN pg_catalog.pg_attrdef d ON a.attrelid = d.adrelid AND a.attnum = d.adnum\nWHERE a.attrelid = {} AND a.attnum > 0 AND NOT a.attisdropped\nORDER BY a.attnum;",
        literal(oid) + "::pg_catalog.oid"
    )
}

/// `\d NAME`'s footers (indexes and constraints), one `(section, line)`
/// per row, in psql's order.
pub fn footers(oid: &str) -> String {
    let oid = literal(oid) + "::pg_catalog.oid";
    format!(
        "SELECT 'Indexes:' AS section, 1 AS ord, c2.relname::pg_catalog.text AS name,\n  '\"' || c2.relname || '\"' ||\n  CASE WHEN i.indisprimary THEN ' PRIMARY KEY,'\n       WHEN con.contype = 'u' THEN ' UNIQUE CONSTRAINT,'\n       WHEN i.indisunique THEN ' UNIQUE,' ELSE '' END ||\n  ' ' || pg_catalog.regexp_replace(pg_catalog.pg_get_indexdef(i.indexrelid, 0, true), '^.* USING ', '') AS line\nFROM pg_catalog.pg_index i\n     JOIN pg_catalog.pg_class c2 ON c2.oid = i.indexrelid\n     LEFT JOIN pg_catalog.pg_constraint con ON con.conrelid = i.indrelid AND con.conindid = i.indexrelid AND con.contype IN ('p','u','x')\nWHERE i.indrelid = {oid}\nUNION ALL\nSELECT 'Check constraints:', 2, r.conname::pg_catalog.text,\n  '\"' || r.conname || '\" ' || pg_catalog.pg_get_constraintdef(r.oid, true)\nFROM pg_catalog.pg_constraint r WHERE r.conrelid = {oid} AND r.contype = 'c'\nUNION ALL\nSELECT 'Foreign-key constraints:', 3, r.conname::pg_catalog.text,\n  '\"' || r.conname || '\" ' || pg_catalog.pg_get_constraintdef(r.oid, true)\nFROM pg_catalog.pg_constraint r WHERE r.conrelid = {oid} AND r.contype = 'f'\nUNION ALL\nSELECT 'Referenced by:', 4, r.conname::pg_catalog.text,\n  'TABLE \"' || r.conrelid::pg_catalog.regclass::pg_catalog.text || '\" CONSTRAINT \"' || r.conname || '\" ' || pg_catalog.pg_get_constraintdef(r.oid, true)\nFROM pg_catalog.pg_constraint r WHERE r.confrelid = {oid} AND r.contype = 'f'\nORDER BY 2, 3;"
    )
}

/// Prints a titled table as psql does: the title centred over an aligned
/// table (on its own line in the other formats, none in CSV and JSON or
/// with tuples only), then the rows, then the `(N rows)` footer when
/// `row_count` is set, then `footer` lines.
pub fn write_titled<W: Write + ?Sized, R: Values>(
    out: &mut W,
    settings: &Settings,
    title: &str,
    headings: &[&str],
    rows: &[R],
    row_count: bool,
    footer: &[String],
) -> io::Result<()> {
    let columns: std::sync::Arc<[Heading]> = headings
        .iter()
        .map(|h| Heading::new(h, Type::Text))
        .collect();
    let mut table = Vec::new();
    let mut writer = ResultWriter::new(settings, columns);
    writer.write_rows(&mut table, rows)?;
    if row_count {
        writer.finish(&mut table)?;
    }
    let plain = matches!(settings.format, Format::Aligned | Format::Unaligned);
    if plain && !settings.tuples_only && !title.is_empty() {
        let indent = if settings.format == Format::Aligned && !settings.expanded {
            let text = String::from_utf8_lossy(&table);
            let width = text
                .lines()
                .nth(1)
                .map(|line| line.chars().count())
                .unwrap_or(0);
            width.saturating_sub(title.chars().count()) / 2
        } else {
            0
        };
        writeln!(out, "{:indent$}{title}", "")?;
    }
    out.write_all(&table)?;
    if plain && !settings.tuples_only {
        for line in footer {
            writeln!(out, "{line}")?;
        }
    }
    // A listing's `(N rows)` footer ends with the blank line already.
    if !row_count && settings.format == Format::Aligned {
        writeln!(out)?;
    }
    Ok(())
}

/// Rows of text cells as the renderers take them.
pub fn text_rows(rows: Vec<Vec<Option<String>>>) -> Vec<Vec<Value>> {
    rows.into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| cell.map_or(Value::Null, Value::Text))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_escapes_quotes_and_backslashes() {
        assert_eq!(literal("it's"), "E'it''s'");
        assert_eq!(literal(r"a\.b"), r"E'a\\.b'");
    }

    #[test]
    fn patterns_follow_psql() {
        assert_eq!(name_regex("Foo*"), "^(foo.*)$");
        assert_eq!(name_regex("t?x"), "^(t.x)$");
        assert_eq!(name_regex("\"Foo*\""), "^(Foo\\*)$");
        assert_eq!(name_regex("a$b"), "^(a\\$b)$");
        assert_eq!(split_qualified("s.t"), (Some("s"), "t"));
        assert_eq!(split_qualified("\"a.b\""), (None, "\"a.b\""));
    }

    #[test]
    fn relation_listing_filters_system_schemas_without_pattern() {
        let q = listing(&Describe {
            kind: Listing::Tables,
            pattern: None,
            verbose: false,
            system: false,
        });
        assert_eq!(q.title, "List of relations");
        assert!(q.sql.contains("n.nspname <> 'pg_catalog'"));
        assert!(q.sql.contains("pg_table_is_visible"));
        assert!(q.sql.contains("('r','p','')"));
    }

    #[test]
    fn qualified_pattern_matches_schema_instead_of_visibility() {
        let q = listing(&Describe {
            kind: Listing::Relations,
            pattern: Some("s.t*".into()),
            verbose: false,
            system: false,
        });
        assert!(q.sql.contains("n.nspname OPERATOR(pg_catalog.~) E'^(s)$'"));
        assert!(
            q.sql
                .contains("c.relname OPERATOR(pg_catalog.~) E'^(t.*)$'")
        );
        assert!(!q.sql.contains("pg_table_is_visible"));
    }

    #[test]
    fn title_is_centred_over_an_aligned_table() {
        let rows = text_rows(vec![vec![
            Some("public".into()),
            Some("t".into()),
            Some("table".into()),
            Some("alice".into()),
        ]]);
        let mut out = Vec::new();
        write_titled(
            &mut out,
            &Settings::default(),
            "List of relations",
            &["Schema", "Name", "Type", "Owner"],
            &rows,
            true,
            &[],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // psql: (width_total - title width) / 2 spaces before the title.
        let width = lines[2].chars().count();
        assert_eq!(
            lines[0],
            format!("{:1$}List of relations", "", (width - 17) / 2)
        );
        assert!(lines[1].starts_with(" Schema | Name | Type  | Owner"));
        assert_eq!(lines[4], "(1 row)");
    }
}
