//! What psql reads from the first words of a query before sending it:
//! whether it may run inside an automatic `BEGIN` (`AUTOCOMMIT off`) and
//! whether it is a `SELECT` to fetch through a cursor (`FETCH_COUNT`).

/// Skips whitespace and comments (`-- …` to the end of the line, nested
/// `/* … */`).
fn skip_white_space(mut s: &str) -> &str {
    loop {
        let trimmed = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(rest) = trimmed.strip_prefix("--") {
            s = rest.find('\n').map_or("", |i| &rest[i + 1..]);
        } else if trimmed.starts_with("/*") {
            let mut depth = 0usize;
            let bytes = trimmed.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if bytes[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            s = trimmed.get(i..).unwrap_or("");
        } else {
            return trimmed;
        }
    }
}

/// The first word (ASCII letters only) and what follows it.
fn word(s: &str) -> (&str, &str) {
    let s = skip_white_space(s);
    let end = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    (&s[..end], &s[end..])
}

fn is(word: &str, keyword: &str) -> bool {
    word.eq_ignore_ascii_case(keyword)
}

/// psql's `command_no_begin`: a statement that must not (or need not) get
/// an automatic `BEGIN` before it with `AUTOCOMMIT off` — transaction
/// control, and the commands PostgreSQL refuses inside a transaction.
pub fn command_no_begin(query: &str) -> bool {
    let (first, rest) = word(query);
    let first = first.to_ascii_lowercase();
    match first.as_str() {
        "abort" | "begin" | "start" | "commit" | "end" | "rollback" | "vacuum" => true,
        // PREPARE TRANSACTION is transaction control; PREPARE foo is not.
        "prepare" => is(word(rest).0, "transaction"),
        // CLUSTER without arguments only.
        "cluster" => !skip_white_space(rest).starts_with(|c: char| c.is_ascii_alphabetic()),
        "create" => {
            let (second, rest) = word(rest);
            if is(second, "database") || is(second, "tablespace") {
                return true;
            }
            let (second, rest) = if is(second, "unique") {
                word(rest)
            } else {
                (second, rest)
            };
            is(second, "index") && is(word(rest).0, "concurrently")
        }
        "alter" => is(word(rest).0, "system"),
        "drop" | "reindex" => {
            let (second, rest) = word(rest);
            if is(second, "database") || is(second, "system") || is(second, "tablespace") {
                return true;
            }
            (is(second, "index") || is(second, "table")) && is(word(rest).0, "concurrently")
        }
        "discard" => is(word(rest).0, "all"),
        _ => false,
    }
}

/// psql's `is_select_command`: the query starts (after comments and
/// opening parentheses) with `SELECT` or `VALUES`.
pub fn is_select_command(query: &str) -> bool {
    let mut s = skip_white_space(query);
    while let Some(rest) = s.strip_prefix('(') {
        s = skip_white_space(rest);
    }
    let first = word(s).0;
    is(first, "select") || is(first, "values")
}

/// The row count libpq's `PQcmdTuples` reads from a command tag: the last
/// number of `INSERT`, `UPDATE`, `DELETE`, `MERGE`, `SELECT`, `MOVE`,
/// `FETCH` and `COPY` tags, empty for the rest.
pub fn cmd_tuples(tag: &str) -> &str {
    let counted = [
        "INSERT ", "UPDATE ", "DELETE ", "MERGE ", "SELECT ", "MOVE ", "FETCH ", "COPY ",
    ];
    if !counted.iter().any(|p| tag.starts_with(p)) {
        return "";
    }
    tag.rsplit(' ').next().unwrap_or("")
}

/// Whether psql prints the command tag after a result with rows: for
/// `INSERT/UPDATE/DELETE … RETURNING`.
pub fn tag_follows_rows(tag: &str) -> bool {
    ["INSERT", "UPDATE", "DELETE"]
        .iter()
        .any(|p| tag.starts_with(p))
}

/// Whether a command tag ends the savepoint psql set around a statement
/// (`ON_ERROR_ROLLBACK`): the user managed the transaction themselves.
pub fn ends_savepoint(tag: &str) -> bool {
    matches!(tag, "COMMIT" | "SAVEPOINT" | "RELEASE" | "ROLLBACK")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_control_gets_no_begin() {
        for q in [
            "begin",
            "  COMMIT;",
            "-- c\nrollback",
            "/* a /* b */ */ end",
            "vacuum t",
            "cluster",
            "create database x",
            "create unique index concurrently i on t(a)",
            "drop index concurrently i",
            "reindex system x",
            "alter system set x = 1",
            "discard all",
            "prepare transaction 'x'",
        ] {
            assert!(command_no_begin(q), "{q}");
        }
        for q in [
            "select 1",
            "cluster t",
            "create table t()",
            "create index i on t(a)",
            "prepare p as select 1",
            "discard plans",
            "beginx",
        ] {
            assert!(!command_no_begin(q), "{q}");
        }
    }

    #[test]
    fn selects_are_recognised_through_comments_and_parentheses() {
        assert!(is_select_command("select 1"));
        assert!(is_select_command(" -- x\n ((SELECT 1))"));
        assert!(is_select_command("values (1)"));
        assert!(!is_select_command("selectx"));
        assert!(!is_select_command("with x as (select 1) select 1"));
        assert!(!is_select_command("table t"));
    }

    #[test]
    fn row_counts_come_from_the_tags_libpq_reads() {
        assert_eq!(cmd_tuples("INSERT 0 3"), "3");
        assert_eq!(cmd_tuples("SELECT 12"), "12");
        assert_eq!(cmd_tuples("COPY 5"), "5");
        assert_eq!(cmd_tuples("CREATE TABLE"), "");
        assert_eq!(cmd_tuples("SELECT"), "");
    }
}
