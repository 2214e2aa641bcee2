//! psql's object-name patterns (`*`, `?`, `"Quoted"`, `schema.name`,
//! `db.schema.name`) turned into SQL conditions.
//!
//! A pattern is split at unquoted dots into at most three parts (the last
//! one swallows any further dots). Each part becomes an anchored regular
//! expression `^(…)$`: unquoted letters are folded to lower case, `*`
//! becomes `.*`, `?` becomes `.`, `$` is always escaped, and inside double
//! quotes (or when escaping is forced) regular-expression characters are
//! escaped. The regexes reach the server only as escaped string literals,
//! compared with `OPERATOR(pg_catalog.~)` under the database's default
//! collation, exactly as psql compares them.

use cor4_protocol::client::escape_literal;

use super::sql::Sql;

/// The regular expressions of one pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// The parts as regular expressions, last one first: name, schema,
    /// database.
    regexes: Vec<String>,
    /// The leftmost part as a literal name (case-folded, unquoted), for the
    /// cross-database check.
    first_literal: String,
    /// How many unquoted dots the pattern had.
    pub(crate) dots: usize,
}

impl Parsed {
    /// The name part's regex.
    pub(crate) fn name(&self) -> &str {
        self.regexes.first().map_or("^()$", String::as_str)
    }

    /// The schema part's regex, when there was a dot.
    pub(crate) fn schema(&self) -> Option<&str> {
        self.regexes.get(1).map(String::as_str)
    }
}

/// Splits and translates `pattern` as psql's `patternToSQLRegex` does.
pub(crate) fn parse(pattern: &str, force_escape: bool) -> Parsed {
    let mut parts: Vec<String> = vec![String::new()];
    let mut first_literal = String::new();
    let mut in_first = true;
    let mut in_quotes = false;
    let mut dots = 0;
    let mut chars = pattern.chars().peekable();
    while let Some(ch) = chars.next() {
        let count = parts.len();
        let Some(cur) = parts.last_mut() else { break };
        if ch == '"' {
            if in_quotes && chars.peek() == Some(&'"') {
                chars.next();
                cur.push('"');
                if in_first {
                    first_literal.push('"');
                }
            } else {
                in_quotes = !in_quotes;
            }
        } else if !in_quotes && ch.is_ascii_uppercase() {
            cur.push(ch.to_ascii_lowercase());
            if in_first {
                first_literal.push(ch.to_ascii_lowercase());
            }
        } else if !in_quotes && ch == '*' {
            cur.push_str(".*");
            if in_first {
                first_literal.push('*');
            }
        } else if !in_quotes && ch == '?' {
            cur.push('.');
            if in_first {
                first_literal.push('?');
            }
        } else if !in_quotes && ch == '.' {
            in_first = false;
            dots += 1;
            if count < 3 {
                parts.push(String::new());
            } else {
                cur.push('.');
            }
        } else if ch == '$' {
            cur.push_str("\\$");
            if in_first {
                first_literal.push('$');
            }
        } else {
            let special = (in_quotes || force_escape) && "|*+?()[]{}.^$\\".contains(ch);
            let array_brackets = ch == '[' && chars.peek() == Some(&']');
            if special || array_brackets {
                cur.push('\\');
            }
            cur.push(ch);
            if in_first {
                first_literal.push(ch);
            }
        }
    }
    let regexes = parts
        .into_iter()
        .rev()
        .map(|p| format!("^({p})$"))
        .collect();
    Parsed {
        regexes,
        first_literal,
        dots,
    }
}

/// Where a pattern applies: the SQL expressions it is matched against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    /// The schema name expression (`n.nspname`), if the objects have one.
    pub(crate) schema: Option<&'a str>,
    /// The object name expression.
    pub(crate) name: &'a str,
    /// A second expression the name may match instead.
    pub(crate) alt_name: Option<&'a str>,
    /// The condition that selects objects visible on the search path, used
    /// when the pattern names no schema.
    pub(crate) visible: Option<&'a str>,
    /// How many dotted parts the pattern may have (database included).
    pub(crate) max_parts: usize,
}

impl<'a> Target<'a> {
    /// A target with a name expression only, one part.
    pub(crate) fn name(name: &'a str) -> Self {
        Target {
            schema: None,
            name,
            alt_name: None,
            visible: None,
            max_parts: 1,
        }
    }

    /// A schema-qualified target: `schema.name`, or `db.schema.name`.
    pub(crate) fn qualified(schema: &'a str, name: &'a str, visible: &'a str) -> Self {
        Target {
            schema: Some(schema),
            name,
            alt_name: None,
            visible: Some(visible),
            max_parts: 3,
        }
    }
}

/// Why a pattern was refused (psql logs the message as an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// More dots than the object kind allows.
    TooManyDots(String),
    /// A database part that is not the current database.
    CrossDatabase(String),
}

impl Refused {
    /// psql's message.
    pub(crate) fn message(&self) -> String {
        match self {
            Refused::TooManyDots(p) => {
                format!("improper qualified name (too many dotted names): {p}")
            }
            Refused::CrossDatabase(p) => {
                format!("cross-database references are not implemented: {p}")
            }
        }
    }
}

/// Checks `pattern` against the parts `target` allows; `database` is the
/// current database's name.
pub(crate) fn check(pattern: &str, target: &Target<'_>, database: &str) -> Result<(), Refused> {
    let parsed = parse(pattern, false);
    if parsed.dots >= target.max_parts {
        return Err(Refused::TooManyDots(pattern.to_owned()));
    }
    if target.max_parts > 1 && parsed.dots == target.max_parts - 1 {
        // Without a schema expression psql compares the database part in a
        // form that never equals the database's name.
        if target.schema.is_none() || parsed.first_literal != database {
            return Err(Refused::CrossDatabase(pattern.to_owned()));
        }
    }
    Ok(())
}

/// Whether a pattern needs the current database's name to be checked.
pub(crate) fn needs_database(pattern: Option<&str>, target: &Target<'_>) -> bool {
    pattern.is_some_and(|p| {
        let dots = parse(p, false).dots;
        target.max_parts > 1 && dots == target.max_parts - 1 && target.schema.is_some()
    })
}

/// `expr OPERATOR(pg_catalog.~) '<regex>' COLLATE pg_catalog.default`.
pub(crate) fn matches(expr: &str, regex: &str) -> String {
    format!(
        "{expr} OPERATOR(pg_catalog.~) {} COLLATE pg_catalog.default",
        escape_literal(regex)
    )
}

/// Adds the conditions for `pattern` (or, without one, the visibility
/// rule) to `sql`. Returns whether a condition was added.
pub(crate) fn add(
    sql: &mut Sql,
    pattern: Option<&str>,
    force_escape: bool,
    target: &Target<'_>,
) -> bool {
    let Some(pattern) = pattern else {
        return match target.visible {
            Some(v) => {
                sql.and(v);
                true
            }
            None => false,
        };
    };
    let parsed = parse(pattern, force_escape);
    let mut added = false;
    let name = parsed.name();
    if name != "^(.*)$" {
        let cond = match target.alt_name {
            Some(alt) => format!(
                "({}\n        OR {})",
                matches(target.name, name),
                matches(alt, name)
            ),
            None => matches(target.name, name),
        };
        sql.and(&cond);
        added = true;
    }
    match (target.schema, parsed.schema()) {
        (Some(col), Some(schema)) => {
            if schema != "^(.*)$" {
                sql.and(&matches(col, schema));
                added = true;
            }
        }
        (_, Some(_)) => {}
        (_, None) => {
            if let Some(v) = target.visible {
                sql.and(v);
                added = true;
            }
        }
    }
    added
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn folds_case_and_translates_wildcards() {
        let p = parse("Foo*?", false);
        assert_eq!(p.name(), "^(foo.*.)$");
        assert_eq!(p.schema(), None);
    }

    #[test]
    fn keeps_quoted_text_literal() {
        let p = parse("\"Z57 Mixed\"\"Case.*\"", false);
        assert_eq!(p.name(), "^(Z57 Mixed\"Case\\.\\*)$");
    }

    #[test]
    fn splits_schema_and_database() {
        let p = parse("DB.s*.t", false);
        assert_eq!(p.name(), "^(t)$");
        assert_eq!(p.schema(), Some("^(s.*)$"));
        assert_eq!(p.first_literal, "db");
        assert_eq!(p.dots, 2);
    }

    #[test]
    fn escapes_dollar_and_array_brackets() {
        assert_eq!(parse("a$b", false).name(), "^(a\\$b)$");
        assert_eq!(parse("int[]", false).name(), "^(int\\[])$");
    }

    #[test]
    fn rejects_too_many_dots_and_other_databases() {
        let t = Target::qualified("n.nspname", "c.relname", "v");
        assert_eq!(
            check("a.b.c.d", &t, "db"),
            Err(Refused::TooManyDots("a.b.c.d".into()))
        );
        assert_eq!(
            check("x.b.c", &t, "db"),
            Err(Refused::CrossDatabase("x.b.c".into()))
        );
        assert_eq!(check("DB.b.c", &t, "db"), Ok(()));
    }
}
