use super::slash::{ArgEnv, ArgKind};
use super::*;
use std::collections::HashMap;

#[derive(Default)]
struct Vars {
    map: HashMap<String, String>,
    inactive: bool,
    warnings: std::cell::RefCell<Vec<String>>,
}

impl Vars {
    fn with(pairs: &[(&str, &str)]) -> Vars {
        Vars {
            map: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..Vars::default()
        }
    }
}

impl Variables for Vars {
    fn get(&self, name: &str) -> Option<String> {
        self.map.get(name).cloned()
    }
    fn active(&self) -> bool {
        !self.inactive
    }
    fn warn(&self, message: &str) {
        self.warnings.borrow_mut().push(message.to_owned());
    }
}

impl ArgEnv for Vars {
    fn backquote(&self, command: &str) -> Option<String> {
        Some(format!("<{command}>"))
    }
    fn error(&self, message: &str) {
        self.warnings.borrow_mut().push(message.to_owned());
    }
}

/// Scans `lines` as psql's main loop does and returns the statements sent
/// and what was left in the buffer.
fn statements(lines: &[&str], vars: &Vars) -> (Vec<String>, String) {
    let mut s = SqlScanner::new();
    let mut buf = String::new();
    let mut sent = Vec::new();
    for line in lines {
        if !buf.is_empty() {
            buf.push('\n');
        }
        s.setup(line, true);
        loop {
            match s.scan(&mut buf, vars) {
                ScanResult::Semicolon => sent.push(std::mem::take(&mut buf)),
                ScanResult::Backslash => {
                    let name = s.slash_command();
                    sent.push(format!("\\{name}"));
                }
                ScanResult::Incomplete | ScanResult::Eol => break,
            }
        }
    }
    (sent, buf)
}

#[test]
fn splits_at_semicolons_outside_quotes_comments_and_parens() {
    let vars = Vars::default();
    let (sent, rest) = statements(
        &[
            "select 'a;b', \"c;d\" /* ; */ from t; select (1;",
            "2); select $x$ ; $x$; select 1 -- ;",
            "; select e'it\\'s;'; select 4",
        ],
        &vars,
    );
    assert_eq!(
        sent,
        [
            "select 'a;b', \"c;d\" /* ; */ from t;",
            "select (1;\n2);",
            "select $x$ ; $x$;",
            "select 1 -- ;\n;",
            "select e'it\\'s;';",
        ]
    );
    assert_eq!(rest, "select 4");
}

#[test]
fn drops_whitespace_and_dash_comments_before_a_statement() {
    let vars = Vars::default();
    let (sent, _) = statements(&["-- heading", "   ", "  select 1; -- tail"], &vars);
    assert_eq!(sent, ["select 1;"]);
}

#[test]
fn keeps_block_comments_and_nested_ones() {
    let vars = Vars::default();
    let (sent, _) = statements(&["/* a /* b */ ; */ select 1;"], &vars);
    assert_eq!(sent, ["/* a /* b */ ; */ select 1;"]);
}

#[test]
fn begin_atomic_bodies_hold_semicolons() {
    let vars = Vars::default();
    let (sent, _) = statements(
        &[
            "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql",
            "BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;",
            "select 3;",
        ],
        &vars,
    );
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].ends_with("END; END;"));
}

#[test]
fn substitutes_variables_outside_quotes_only() {
    let vars = Vars::with(&[("v", "it's"), ("n", "42"), ("tbl", "My Table")]);
    let (sent, _) = statements(
        &["select :n, :'v', :\"tbl\", ':n', :{?n}, :{?none}, :none, x::int, a := 1;"],
        &vars,
    );
    assert_eq!(
        sent,
        ["select 42, 'it''s', \"My Table\", ':n', TRUE, FALSE, :none, x::int, a := 1;"]
    );
}

#[test]
fn a_variable_is_scanned_again_as_sql() {
    let vars = Vars::with(&[("two", "select 1; select 2"), ("me", "x :me y")]);
    let (sent, rest) = statements(&[":two;"], &vars);
    assert_eq!(sent, ["select 1;", "select 2;"]);
    assert_eq!(rest, "");
    let (sent, _) = statements(&["select :me;"], &vars);
    assert_eq!(sent, ["select x :me y;"]);
    assert_eq!(
        vars.warnings.borrow().as_slice(),
        ["skipping recursive expansion of variable \"me\""]
    );
}

#[test]
fn literal_quoting_follows_libpq() {
    assert_eq!(quote_value("a'b", Quoting::Literal), "'a''b'");
    assert_eq!(quote_value("a\\b", Quoting::Literal), " E'a\\\\b'");
    assert_eq!(quote_value("a\"b", Quoting::Identifier), "\"a\"\"b\"");
}

#[test]
fn inactive_branches_substitute_nothing() {
    let mut vars = Vars::with(&[("n", "42")]);
    vars.inactive = true;
    let (sent, _) = statements(&["select :n, :'n', :{?n};"], &vars);
    assert_eq!(sent, ["select :n, :'n', :{?n};"]);
}

#[test]
fn backslash_stops_the_scan_and_escaped_semicolons_stay() {
    let vars = Vars::default();
    let (sent, rest) = statements(&["select 1 \\; select 2 \\g"], &vars);
    assert_eq!(sent, ["\\g"]);
    assert_eq!(rest, "select 1 ; select 2 ");
}

#[test]
fn standard_conforming_strings_off_makes_backslash_escape_quotes() {
    let vars = Vars::default();
    let mut s = SqlScanner::new();
    let mut buf = String::new();
    s.setup("select 'it\\'s;'; select 2;", false);
    assert_eq!(s.scan(&mut buf, &vars), ScanResult::Semicolon);
    assert_eq!(buf, "select 'it\\'s;';");
}

#[test]
fn reports_what_is_open_at_the_end_of_a_line() {
    let vars = Vars::default();
    for (line, prompt) in [
        ("select 'abc", PromptStatus::SingleQuote),
        ("select \"abc", PromptStatus::DoubleQuote),
        ("select /* abc", PromptStatus::Comment),
        ("select $$abc", PromptStatus::DollarQuote),
        ("select (abc", PromptStatus::Paren),
        ("select abc", PromptStatus::Continue),
    ] {
        let mut s = SqlScanner::new();
        let mut buf = String::new();
        s.setup(line, true);
        s.scan(&mut buf, &vars);
        assert_eq!(s.prompt(), prompt, "{line}");
    }
}

fn args(line: &str, kinds: &[ArgKind], vars: &Vars) -> (String, Vec<Option<String>>, String) {
    let mut s = SqlScanner::new();
    let mut buf = String::new();
    s.setup(line, true);
    assert_eq!(s.scan(&mut buf, vars), ScanResult::Backslash);
    let name = s.slash_command();
    let got = kinds.iter().map(|&k| s.slash_arg(k, vars, false)).collect();
    s.slash_end();
    (name, got, s.rest().to_owned())
}

#[test]
fn lexes_meta_command_arguments_like_psql() {
    let vars = Vars::with(&[("v", "val"), ("q", "it's")]);
    let n = ArgKind::Normal;
    let (name, got, rest) = args(
        "\\pset null '(null) \\t it''s' :v :'q' \"Id\" `date` \\\\ select 1;",
        &[n, n, n, n, n, n, n],
        &vars,
    );
    assert_eq!(name, "pset");
    assert_eq!(
        got,
        [
            Some("null".into()),
            Some("(null) \t it's".into()),
            Some("val".into()),
            Some("'it''s'".into()),
            Some("\"Id\"".into()),
            Some("<date>".into()),
            None
        ]
    );
    assert_eq!(rest, " select 1;");
}

#[test]
fn a_backslash_ends_the_arguments_and_starts_the_next_command() {
    let vars = Vars::default();
    let n = ArgKind::Normal;
    let (name, got, rest) = args("\\set a 1 \\set b 2", &[n, n, n], &vars);
    assert_eq!(name, "set");
    assert_eq!(got, [Some("a".into()), Some("1".into()), None]);
    assert_eq!(rest, "\\set b 2");
}

#[test]
fn sql_ids_fold_case_and_pipes_take_the_line() {
    let vars = Vars::default();
    let (_, got, _) = args(
        "\\x Foo\"Bar\" |cat -n",
        &[ArgKind::SqlId, ArgKind::FilePipe],
        &vars,
    );
    assert_eq!(got, [Some("fooBar".into()), Some("|cat -n".into())]);
    let (_, got, _) = args("\\! echo 'hi' \\x", &[ArgKind::WholeLine], &vars);
    assert_eq!(got, [Some("echo 'hi' \\x".into())]);
}

#[test]
fn an_unterminated_quote_is_reported() {
    let vars = Vars::default();
    let (_, got, _) = args(
        "\\set x O'Brien",
        &[ArgKind::Normal, ArgKind::Normal],
        &vars,
    );
    assert_eq!(got[0].as_deref(), Some("x"));
    assert_eq!(
        vars.warnings.borrow().as_slice(),
        ["unterminated quoted string"]
    );
}
