use super::*;

fn catalog() -> Catalog {
    Catalog::from_rows([
        ("t".into(), "completion_target_xyz".into()),
        ("t".into(), "accounts".into()),
        ("t".into(), "Mixed".into()),
        ("c".into(), "account_id".into()),
        ("c".into(), "created_at".into()),
        ("s".into(), "public".into()),
        ("s".into(), "pg_catalog".into()),
        ("q".into(), "pg_catalog.pg_class".into()),
        ("q".into(), "pg_catalog.pg_proc".into()),
        ("q".into(), "public.accounts".into()),
    ])
}

fn complete(line: &str) -> Vec<String> {
    let word = current_word(line, line.len());
    let start = line[..word.start].trim().is_empty();
    candidates(&word, start, Some(&catalog()))
}

#[test]
fn keywords_are_sorted_for_binary_search() {
    let mut sorted = KEYWORDS.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, KEYWORDS);
}

#[test]
fn completes_table_after_from() {
    assert_eq!(
        complete("SELECT * FROM completion_t"),
        ["completion_target_xyz"]
    );
    // Only relations after FROM: no column, no keyword.
    assert_eq!(complete("SELECT * FROM acc"), ["accounts"]);
}

#[test]
fn completes_columns_and_keywords_elsewhere() {
    assert_eq!(complete("SELECT acc"), ["account_id", "accounts"]);
    assert_eq!(complete("SEL"), ["SELECT"]);
    assert_eq!(complete("sel"), ["select"]);
    assert_eq!(complete("SELECT 1 FR"), ["FROM"]);
}

#[test]
fn quotes_names_that_need_it() {
    assert_eq!(complete("SELECT * FROM mi"), ["\"Mixed\""]);
    assert_eq!(quote_ident("plain_name1"), "plain_name1");
    assert_eq!(quote_ident("select"), "\"select\"");
    assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
}

#[test]
fn completes_schemas_with_a_dot() {
    assert_eq!(complete("SELECT * FROM pub"), ["public."]);
    assert_eq!(complete("SELECT * FROM pg_cat"), ["pg_catalog."]);
    assert_eq!(
        complete("SELECT * FROM pg_catalog.pg_c"),
        ["pg_catalog.pg_class"]
    );
    assert_eq!(complete("table PUBLIC.acc"), ["public.accounts"]);
}

#[test]
fn completes_meta_commands_only_at_line_start() {
    assert_eq!(complete("\\ti"), ["\\timing"]);
    assert!(complete("\\d").len() > 40);
    assert_eq!(complete("\\gde"), ["\\gdesc"]);
    assert!(complete("SELECT \\ti").is_empty());
}

#[test]
fn ddl_invalidates_the_catalog() {
    assert!(changes_catalog("CREATE TABLE t (a int);"));
    assert!(changes_catalog("  drop table t;"));
    assert!(changes_catalog("/* note */ ALTER TABLE t ADD b int;"));
    assert!(!changes_catalog("SELECT 'CREATE';"));
    assert!(!changes_catalog("INSERT INTO t VALUES (1);"));
}

#[test]
fn highlighting_keeps_the_text() {
    let line = "SELECT 'it''s' AS name -- note";
    let styled = highlight_sql(line);
    let plain = styled
        .replace(KEYWORD_STYLE, "")
        .replace(STRING_STYLE, "")
        .replace(COMMENT_STYLE, "")
        .replace(RESET, "");
    assert_eq!(plain, line);
    assert!(styled.starts_with(&format!("{KEYWORD_STYLE}SELECT{RESET}")));
}

#[test]
fn highlighting_leaves_unterminated_strings_whole() {
    let line = "SELECT 'open";
    assert!(highlight_sql(line).ends_with(&format!("{STRING_STYLE}'open{RESET}")));
}

#[test]
fn ddl_after_any_comment_invalidates_the_catalog() {
    assert!(changes_catalog("-- why\nCREATE INDEX i ON t (a);"));
    assert!(!changes_catalog("/* DROP */ SELECT 1;"));
}

#[test]
fn highlighting_follows_the_input_lexer() {
    // A dollar-quoted body and a block comment are one stretch each, so
    // keywords inside them stay uncoloured.
    let line = "SELECT $$ FROM $$ /* WHERE */ FROM t";
    let styled = highlight_sql(line);
    assert!(styled.contains(&format!("{STRING_STYLE}$$ FROM $${RESET}")));
    assert!(styled.contains(&format!("{COMMENT_STYLE}/* WHERE */{RESET}")));
    assert!(styled.ends_with(&format!("{KEYWORD_STYLE}FROM{RESET} t")));
}

#[test]
fn completion_reads_the_previous_word_outside_strings() {
    let word = current_word("SELECT * FROM t WHERE a = 'FROM' AND b", 38);
    assert_eq!(word.text, "b");
    assert_eq!(word.previous.as_deref(), Some("AND"));
}
