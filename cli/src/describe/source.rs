//! `\sf[+] FUNCTION` and `\sv[+] VIEW`: the object's `CREATE OR REPLACE`
//! command, optionally with line numbers.

use super::sql::{lit, text};
use super::{Ctx, Done, Output};

/// Shows a function's (`is_function`) or a view's definition.
pub(super) async fn show(
    cx: &mut Ctx<'_>,
    object: Option<&str>,
    is_function: bool,
    numbered: bool,
) -> Done {
    let Some(object) = object.filter(|o| !o.is_empty()) else {
        let what = if is_function { "function" } else { "view" };
        return cx.fail(format!("{what} name is required"));
    };
    let cast = if !is_function {
        "regclass"
    } else if object.contains('(') {
        "regprocedure"
    } else {
        "regproc"
    };
    let found = cx
        .query_minimal(&format!(
            "SELECT {}::pg_catalog.{cast}::pg_catalog.oid",
            lit(object)
        ))
        .await?;
    let oid = found
        .rows
        .first()
        .map(|row| text(row, 0).to_owned())
        .filter(|oid| !oid.is_empty() && oid.bytes().all(|b| b.is_ascii_digit()));
    let Some(oid) = oid else {
        return cx.fail("ERROR:  (not available)".to_owned());
    };
    let mut definition = if is_function {
        let r = cx
            .query_minimal(&format!("SELECT pg_catalog.pg_get_functiondef({oid})"))
            .await?;
        r.rows
            .first()
            .map(|row| text(row, 0).to_owned())
            .unwrap_or_default()
    } else {
        match view_command(cx, &oid).await? {
            Some(cmd) => cmd,
            None => return Err(super::Failed),
        }
    };
    if !definition.is_empty() && !definition.ends_with('\n') {
        definition.push('\n');
    }
    let shown = if numbered {
        with_line_numbers(&definition, is_function)
    } else {
        definition
    };
    cx.out.push(Output::Text(shown));
    Ok(())
}

/// `CREATE OR REPLACE VIEW …` for a view; `None` (with the error logged)
/// for any other relation.
async fn view_command(cx: &mut Ctx<'_>, oid: &str) -> Result<Option<String>, super::Failed> {
    let r = cx
        .query_minimal(&format!(
            "SELECT n.nspname, c.relname, c.relkind,\n       \
             pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),\n       \
             pg_catalog.pg_get_viewdef(c.oid, true),\n       \
             (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(o.option_name) || '=' ||\n          \
             CASE WHEN pg_catalog.quote_ident(o.option_value) = o.option_value\n          \
             THEN o.option_value ELSE pg_catalog.quote_literal(o.option_value) END, ', ')\n        \
             FROM pg_catalog.pg_options_to_table(c.reloptions) o\n        \
             WHERE o.option_name <> 'check_option'\n          \
             OR o.option_value NOT IN ('local', 'cascaded')),\n       \
             CASE WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'\n         \
             WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED' END\n\
             FROM pg_catalog.pg_class c\n\
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n\
             WHERE c.oid = {oid}"
        ))
        .await?;
    let Some(row) = r.rows.first() else {
        cx.error("ERROR:  (not available)".to_owned());
        return Ok(None);
    };
    if text(row, 2) != "v" {
        cx.error(format!(
            "\"{}.{}\" is not a view",
            text(row, 0),
            text(row, 1)
        ));
        return Ok(None);
    }
    let mut cmd = format!("CREATE OR REPLACE VIEW {}", text(row, 3));
    let options = text(row, 5);
    if !options.is_empty() {
        cmd.push_str(&format!("\n WITH ({options})"));
    }
    cmd.push_str(" AS\n");
    cmd.push_str(text(row, 4));
    if cmd.ends_with(';') {
        cmd.pop();
    }
    let check = text(row, 6);
    if !check.is_empty() {
        cmd.push_str(&format!("\n WITH {check} CHECK OPTION"));
    }
    Ok(Some(cmd))
}

/// psql's `\sf+`/`\sv+` layout: a function's header lines are indented by
/// eight spaces, and the body's lines (from the line starting with `AS `,
/// `BEGIN ` or `RETURN `) are numbered from 1 in a field of seven.
fn with_line_numbers(definition: &str, is_function: bool) -> String {
    let mut out = String::new();
    let mut in_header = is_function;
    let mut number = 0;
    let body = definition.strip_suffix('\n').unwrap_or(definition);
    for line in body.split('\n') {
        if in_header
            && (line.starts_with("AS ")
                || line.starts_with("BEGIN ")
                || line.starts_with("RETURN "))
        {
            in_header = false;
        }
        if in_header {
            out.push_str(&format!("        {line}\n"));
        } else {
            number += 1;
            out.push_str(&format!("{number:<7} {line}\n"));
        }
    }
    out
}

#[cfg(test)]
mod unit {
    use super::with_line_numbers;

    #[test]
    fn numbers_the_body_only() {
        let def = "CREATE FUNCTION f()\n RETURNS int\nAS $$\nSELECT 1\n$$\n";
        assert_eq!(
            with_line_numbers(def, true),
            "        CREATE FUNCTION f()\n         RETURNS int\n1       AS $$\n2       SELECT 1\n3       $$\n"
        );
    }
}
