//! Access methods and what they index with: `\dA`, `\dAc`, `\dAf`,
//! `\dAo`, `\dAp`.

use super::pattern::Target;
use super::sql::{Sql, listing};
use super::{Ctx, Done};

/// The target of a type pattern over `t` (schema `tn`).
const TYPE_TARGET: Target<'static> = Target {
    schema: Some("tn.nspname"),
    name: "t.typname",
    alt_name: Some("pg_catalog.format_type(t.oid, NULL)"),
    visible: Some("pg_catalog.pg_type_is_visible(t.oid)"),
    max_parts: 3,
};

/// An operator family's name, qualified when not on the search path.
fn family_name(alias: &str, schema: &str) -> String {
    format!(
        "CASE WHEN pg_catalog.pg_opfamily_is_visible({alias}.oid) \
         THEN pg_catalog.format('%I', {alias}.opfname) \
         ELSE pg_catalog.format('%I.%I', {schema}.nspname, {alias}.opfname) END"
    )
}

/// `\dA[+] [PATTERN]`.
pub(super) async fn access_methods(cx: &mut Ctx<'_>, pattern: Option<&str>, verbose: bool) -> Done {
    let mut cols = vec![
        "amname AS \"Name\"",
        "CASE amtype WHEN 'i' THEN 'Index' WHEN 't' THEN 'Table' END AS \"Type\"",
    ];
    if verbose {
        cols.push("amhandler AS \"Handler\"");
        cols.push("pg_catalog.obj_description(oid, 'pg_am') AS \"Description\"");
    }
    let sql = Sql::new(&format!(
        "SELECT {}\nFROM pg_catalog.pg_am\n",
        cols.join(",\n       ")
    ));
    cx.list(
        sql,
        pattern,
        &Target::name("amname"),
        "ORDER BY 1;",
        "List of access methods",
    )
    .await
}

/// `\dAc[+] [AM [TYPE]]`.
pub(super) async fn opclasses(
    cx: &mut Ctx<'_>,
    am: Option<&str>,
    typ: Option<&str>,
    verbose: bool,
) -> Done {
    let mut cols = vec![
        "am.amname AS \"AM\"".to_owned(),
        "pg_catalog.format_type(c.opcintype, NULL) AS \"Input type\"".to_owned(),
        "CASE WHEN c.opckeytype <> 0 AND c.opckeytype <> c.opcintype \
         THEN pg_catalog.format_type(c.opckeytype, NULL) END AS \"Storage type\""
            .to_owned(),
        "CASE WHEN pg_catalog.pg_opclass_is_visible(c.oid) \
         THEN pg_catalog.format('%I', c.opcname) \
         ELSE pg_catalog.format('%I.%I', n.nspname, c.opcname) END AS \"Operator class\""
            .to_owned(),
        "CASE WHEN c.opcdefault THEN 'yes' ELSE 'no' END AS \"Default?\"".to_owned(),
    ];
    if verbose {
        cols.push(format!("{} AS \"Operator family\"", family_name("f", "fn")));
        cols.push("pg_catalog.pg_get_userbyid(c.opcowner) AS \"Owner\"".to_owned());
    }
    let mut sql = Sql::new(&format!(
        "SELECT {}\n\
         FROM pg_catalog.pg_opclass c\n\
         LEFT JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace\n\
         LEFT JOIN pg_catalog.pg_type t ON t.oid = c.opcintype\n\
         LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace\n",
        cols.join(",\n       ")
    ));
    if verbose {
        sql.push("LEFT JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily\n")
            .push("LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace\n");
    }
    cx.filter(&mut sql, am, &Target::name("am.amname")).await?;
    if typ.is_some() {
        cx.filter(&mut sql, typ, &TYPE_TARGET).await?;
    }
    cx.show(sql, "ORDER BY 1, 2, 4;", "List of operator classes")
        .await
}

/// `\dAf[+] [AM [TYPE]]`.
pub(super) async fn opfamilies(
    cx: &mut Ctx<'_>,
    am: Option<&str>,
    typ: Option<&str>,
    verbose: bool,
) -> Done {
    let mut cols = vec![
        "am.amname AS \"AM\"".to_owned(),
        format!("{} AS \"Operator family\"", family_name("f", "n")),
        "(SELECT pg_catalog.string_agg(pg_catalog.format_type(oc.opcintype, NULL), ', ') \
         FROM pg_catalog.pg_opclass oc WHERE oc.opcfamily = f.oid) AS \"Applicable types\""
            .to_owned(),
    ];
    if verbose {
        cols.push("pg_catalog.pg_get_userbyid(f.opfowner) AS \"Owner\"".to_owned());
    }
    let mut sql = Sql::new(&format!(
        "SELECT {}\n\
         FROM pg_catalog.pg_opfamily f\n\
         LEFT JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod\n\
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace\n",
        cols.join(",\n       ")
    ));
    cx.filter(&mut sql, am, &Target::name("am.amname")).await?;
    if typ.is_some() {
        let mut inner = Sql::new(
            "EXISTS (SELECT 1 FROM pg_catalog.pg_type t\n  \
             JOIN pg_catalog.pg_opclass oc ON oc.opcintype = t.oid\n  \
             LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace\n",
        );
        inner.and("oc.opcfamily = f.oid");
        cx.filter(&mut inner, typ, &TYPE_TARGET).await?;
        inner.push(")");
        sql.and(inner.text());
    }
    cx.show(sql, "ORDER BY 1, 2;", "List of operator families")
        .await
}

/// The target of an operator family pattern over `f` (schema `fn`).
const FAMILY_TARGET: Target<'static> = Target {
    schema: Some("fn.nspname"),
    name: "f.opfname",
    alt_name: None,
    visible: Some("pg_catalog.pg_opfamily_is_visible(f.oid)"),
    max_parts: 3,
};

/// `\dAo[+] [AM [FAMILY]]`.
pub(super) async fn am_operators(
    cx: &mut Ctx<'_>,
    am: Option<&str>,
    family: Option<&str>,
    verbose: bool,
    system: bool,
) -> Done {
    let _ = system;
    let mut cols = vec![
        "am.amname AS \"AM\"".to_owned(),
        format!("{} AS \"Operator family\"", family_name("f", "fn")),
        "o.amopopr::pg_catalog.regoperator AS \"Operator\"".to_owned(),
        "o.amopstrategy AS \"Strategy\"".to_owned(),
        "CASE o.amoppurpose WHEN 'o' THEN 'ordering' WHEN 's' THEN 'search' END AS \"Purpose\""
            .to_owned(),
    ];
    if verbose {
        cols.push("sf.opfname AS \"Sort opfamily\"".to_owned());
    }
    let mut sql = Sql::new(&format!(
        "SELECT {}\n\
         FROM pg_catalog.pg_amop o\n\
         LEFT JOIN pg_catalog.pg_opfamily f ON f.oid = o.amopfamily\n\
         LEFT JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod AND am.oid = o.amopmethod\n\
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace\n",
        cols.join(",\n       ")
    ));
    if verbose {
        sql.push("LEFT JOIN pg_catalog.pg_opfamily sf ON sf.oid = o.amopsortfamily\n");
    }
    cx.filter(&mut sql, am, &Target::name("am.amname")).await?;
    if family.is_some() {
        cx.filter(&mut sql, family, &FAMILY_TARGET).await?;
    }
    sql.push(
        "ORDER BY 1, 2, o.amoplefttype = o.amoprighttype DESC,\n  \
         pg_catalog.format_type(o.amoplefttype, NULL),\n  \
         pg_catalog.format_type(o.amoprighttype, NULL), o.amopstrategy;",
    );
    let result = cx.query(sql.text()).await?;
    cx.table(listing("List of operators of operator families", result));
    Ok(())
}

/// `\dAp[+] [AM [FAMILY]]`.
pub(super) async fn am_functions(
    cx: &mut Ctx<'_>,
    am: Option<&str>,
    family: Option<&str>,
    verbose: bool,
) -> Done {
    let function = if verbose {
        "ap.amproc::pg_catalog.regprocedure"
    } else {
        "p.proname"
    };
    let mut sql = Sql::new(&format!(
        "SELECT am.amname AS \"AM\",\n       \
         {} AS \"Operator family\",\n       \
         pg_catalog.format_type(ap.amproclefttype, NULL) AS \"Registered left type\",\n       \
         pg_catalog.format_type(ap.amprocrighttype, NULL) AS \"Registered right type\",\n       \
         ap.amprocnum AS \"Number\",\n       \
         {function} AS \"Function\"\n\
         FROM pg_catalog.pg_amproc ap\n\
         LEFT JOIN pg_catalog.pg_opfamily f ON f.oid = ap.amprocfamily\n\
         LEFT JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod\n\
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace\n\
         LEFT JOIN pg_catalog.pg_proc p ON p.oid = ap.amproc\n",
        family_name("f", "fn")
    ));
    cx.filter(&mut sql, am, &Target::name("am.amname")).await?;
    if family.is_some() {
        cx.filter(&mut sql, family, &FAMILY_TARGET).await?;
    }
    sql.push("ORDER BY 1, 2, ap.amproclefttype = ap.amprocrighttype DESC, 3, 4, 5;");
    let result = cx.query(sql.text()).await?;
    cx.table(listing(
        "List of support functions of operator families",
        result,
    ));
    Ok(())
}
