//! psql's variables: `\set`, `\unset`, `-v`, and the special ones whose
//! values change how the shell behaves, with psql 15's defaults, parsing
//! rules and messages.
//!
//! ```text
//!  \set ECHO all ──set──▶ validate ("Available values are: …") ──▶ store
//!  \unset QUIET  ──unset──▶ substitute ("off") ──▶ store
//!  the shell reads settings through typed getters (echo(), quiet(), …)
//! ```

use std::collections::BTreeMap;

/// psql's `ECHO`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echo {
    /// Nothing is echoed.
    None,
    /// Failed queries are echoed to stderr after their error.
    Errors,
    /// Queries are echoed as they are sent.
    Queries,
    /// Every input line is echoed as it is read.
    All,
}

/// psql's `ECHO_HIDDEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EchoHidden {
    /// Internal queries are not shown.
    Off,
    /// They are shown, then run.
    On,
    /// They are shown and not run.
    NoExec,
}

/// psql's `ON_ERROR_ROLLBACK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnErrorRollback {
    /// A failed statement fails the transaction.
    Off,
    /// Each statement in a transaction runs under a savepoint.
    On,
    /// Only in interactive sessions.
    Interactive,
}

/// How a special variable's values are checked.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// A Boolean; unset means `off`, the empty string means `on`.
    Bool,
    /// An integer; unset means the default.
    Int(&'static str),
    /// One of these (case-insensitive); unset means the default.
    Enum(&'static [&'static str], &'static str),
    /// `ECHO_HIDDEN`: a Boolean or `noexec`.
    BoolOr(&'static str),
    /// Any text; unset means the empty string.
    Text,
}

/// psql 15's special variables with the rule each follows and its value at
/// startup (`None`: not set until something sets it).
const SPECIALS: &[(&str, Rule, Option<&str>)] = &[
    ("AUTOCOMMIT", Rule::Bool, Some("on")),
    (
        "COMP_KEYWORD_CASE",
        Rule::Enum(
            &["lower", "upper", "preserve-lower", "preserve-upper"],
            "preserve-upper",
        ),
        Some("preserve-upper"),
    ),
    (
        "ECHO",
        Rule::Enum(&["none", "errors", "queries", "all"], "none"),
        Some("none"),
    ),
    ("ECHO_HIDDEN", Rule::BoolOr("noexec"), Some("off")),
    ("FETCH_COUNT", Rule::Int("0"), Some("0")),
    ("HIDE_TABLEAM", Rule::Bool, Some("off")),
    ("HIDE_TOAST_COMPRESSION", Rule::Bool, Some("off")),
    (
        "HISTCONTROL",
        Rule::Enum(&["none", "ignorespace", "ignoredups", "ignoreboth"], "none"),
        Some("none"),
    ),
    ("HISTSIZE", Rule::Int("500"), Some("500")),
    ("IGNOREEOF", Rule::Int("0"), Some("0")),
    (
        "ON_ERROR_ROLLBACK",
        Rule::Enum(&["on", "off", "interactive"], "off"),
        Some("off"),
    ),
    ("ON_ERROR_STOP", Rule::Bool, Some("off")),
    ("PROMPT1", Rule::Text, Some("%/%R%x%# ")),
    ("PROMPT2", Rule::Text, Some("%/%R%x%# ")),
    ("PROMPT3", Rule::Text, Some(">> ")),
    ("QUIET", Rule::Bool, Some("off")),
    ("SHOW_ALL_RESULTS", Rule::Bool, Some("on")),
    (
        "SHOW_CONTEXT",
        Rule::Enum(&["never", "errors", "always"], "errors"),
        Some("errors"),
    ),
    ("SINGLELINE", Rule::Bool, Some("off")),
    ("SINGLESTEP", Rule::Bool, Some("off")),
    (
        "VERBOSITY",
        Rule::Enum(&["default", "verbose", "terse", "sqlstate"], "default"),
        Some("default"),
    ),
];

/// Variables `\gset` may not set (psql warns and leaves them).
const GSET_PROTECTED: &[&str] = &[
    "AUTOCOMMIT",
    "COMP_KEYWORD_CASE",
    "ECHO",
    "ECHO_HIDDEN",
    "FETCH_COUNT",
    "HIDE_TABLEAM",
    "HIDE_TOAST_COMPRESSION",
    "HISTCONTROL",
    "HISTFILE",
    "HISTSIZE",
    "IGNOREEOF",
    "ON_ERROR_ROLLBACK",
    "ON_ERROR_STOP",
    "PROMPT1",
    "PROMPT2",
    "PROMPT3",
    "QUIET",
    "SHOW_ALL_RESULTS",
    "SHOW_CONTEXT",
    "SINGLELINE",
    "SINGLESTEP",
    "VERBOSITY",
];

/// psql's Boolean parsing: a case-insensitive prefix of `true`, `false`,
/// `yes`, `no`, at least two letters of `on`/`off`, or `1`/`0`.
pub fn parse_bool(value: &str) -> Option<bool> {
    let lower = value.to_ascii_lowercase();
    let prefix_of =
        |word: &str, min: usize| lower.len() >= min.max(1) && word.starts_with(lower.as_str());
    if prefix_of("true", 1) || prefix_of("yes", 1) {
        Some(true)
    } else if prefix_of("false", 1) || prefix_of("no", 1) {
        Some(false)
    } else if prefix_of("on", 2) {
        Some(true)
    } else if prefix_of("off", 2) {
        Some(false)
    } else if lower == "1" {
        Some(true)
    } else if lower == "0" {
        Some(false)
    } else {
        None
    }
}

/// The message for a value `parse_bool` refuses.
pub fn bool_error(value: &str, name: &str) -> String {
    format!("unrecognized value \"{value}\" for \"{name}\": Boolean expected")
}

/// Whether `name` may be a variable's name (psql's `valid_variable_name`).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(crate::scan::is_variable_char)
}

/// The variables of one shell.
#[derive(Debug, Clone)]
pub struct Vars {
    map: BTreeMap<String, String>,
}

impl Default for Vars {
    fn default() -> Self {
        Vars::new()
    }
}

impl Vars {
    /// psql's variables at startup (connection variables come later).
    pub fn new() -> Self {
        let mut map = BTreeMap::new();
        for (name, _, default) in SPECIALS {
            if let Some(value) = default {
                map.insert((*name).to_owned(), (*value).to_owned());
            }
        }
        for (name, value) in [
            (
                "VERSION",
                concat!("cor4 ", env!("CARGO_PKG_VERSION"), " (psql-compatible)"),
            ),
            ("VERSION_NAME", "15.0"),
            ("VERSION_NUM", "150000"),
            ("LAST_ERROR_MESSAGE", ""),
            ("LAST_ERROR_SQLSTATE", "00000"),
        ] {
            map.insert(name.to_owned(), value.to_owned());
        }
        Vars { map }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// Every variable, sorted by name (`\set` without arguments).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Sets `name` (`\set`, `-v`): special variables check the value; on
    /// an error, nothing changes and the message says why.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        if !valid_name(name) {
            return Err(format!("invalid variable name: \"{name}\""));
        }
        let value = match special(name) {
            Some(rule) => check(name, rule, Some(value))?,
            None => value.to_owned(),
        };
        self.map.insert(name.to_owned(), value);
        Ok(())
    }

    /// Sets a variable the shell maintains (`ROW_COUNT`, `DBNAME`, …),
    /// without checks.
    pub fn set_internal(&mut self, name: &str, value: impl Into<String>) {
        self.map.insert(name.to_owned(), value.into());
    }

    /// Unsets `name` (`\unset`); special variables go back to their
    /// substitute value (`off`, `0`, the default).
    pub fn unset(&mut self, name: &str) -> Result<(), String> {
        if !valid_name(name) {
            return Err(format!("invalid variable name: \"{name}\""));
        }
        match special(name) {
            Some(rule) => {
                let value = check(name, rule, None)?;
                self.map.insert(name.to_owned(), value);
            }
            None => {
                self.map.remove(name);
            }
        }
        Ok(())
    }

    /// Whether `\gset` refuses to set `name`.
    pub fn gset_protected(name: &str) -> bool {
        GSET_PROTECTED.contains(&name)
    }

    fn flag(&self, name: &str) -> bool {
        self.get(name).and_then(parse_bool).unwrap_or(false)
    }

    fn number(&self, name: &str) -> i64 {
        self.get(name).and_then(|v| v.parse().ok()).unwrap_or(0)
    }

    /// `AUTOCOMMIT`.
    pub fn autocommit(&self) -> bool {
        self.flag("AUTOCOMMIT")
    }

    /// `ON_ERROR_STOP`.
    pub fn on_error_stop(&self) -> bool {
        self.flag("ON_ERROR_STOP")
    }

    /// `QUIET`.
    pub fn quiet(&self) -> bool {
        self.flag("QUIET")
    }

    /// `SINGLELINE`.
    pub fn singleline(&self) -> bool {
        self.flag("SINGLELINE")
    }

    /// `SINGLESTEP`.
    pub fn singlestep(&self) -> bool {
        self.flag("SINGLESTEP")
    }

    /// `SHOW_ALL_RESULTS`.
    pub fn show_all_results(&self) -> bool {
        self.flag("SHOW_ALL_RESULTS")
    }

    /// `HIDE_TABLEAM`.
    pub fn hide_tableam(&self) -> bool {
        self.flag("HIDE_TABLEAM")
    }

    /// `HIDE_TOAST_COMPRESSION`.
    pub fn hide_toast_compression(&self) -> bool {
        self.flag("HIDE_TOAST_COMPRESSION")
    }

    /// `FETCH_COUNT` (0: fetch everything at once).
    pub fn fetch_count(&self) -> i64 {
        self.number("FETCH_COUNT")
    }

    /// `HISTSIZE`.
    pub fn histsize(&self) -> i64 {
        self.number("HISTSIZE")
    }

    /// `IGNOREEOF`.
    pub fn ignoreeof(&self) -> i64 {
        self.number("IGNOREEOF")
    }

    /// `ECHO`.
    pub fn echo(&self) -> Echo {
        match self.get("ECHO").map(str::to_ascii_lowercase).as_deref() {
            Some("errors") => Echo::Errors,
            Some("queries") => Echo::Queries,
            Some("all") => Echo::All,
            _ => Echo::None,
        }
    }

    /// `ECHO_HIDDEN`.
    pub fn echo_hidden(&self) -> EchoHidden {
        match self.get("ECHO_HIDDEN") {
            Some(v) if v.eq_ignore_ascii_case("noexec") => EchoHidden::NoExec,
            Some(v) if parse_bool(v) == Some(true) => EchoHidden::On,
            _ => EchoHidden::Off,
        }
    }

    /// `ON_ERROR_ROLLBACK`.
    pub fn on_error_rollback(&self) -> OnErrorRollback {
        match self
            .get("ON_ERROR_ROLLBACK")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("on") => OnErrorRollback::On,
            Some("interactive") => OnErrorRollback::Interactive,
            _ => OnErrorRollback::Off,
        }
    }

    /// `VERBOSITY` and `SHOW_CONTEXT`, as the error printer takes them.
    pub fn report_style(&self) -> crate::report::ReportStyle {
        use crate::report::{ReportStyle, ShowContext, Verbosity};
        let lower = |name| self.get(name).map(str::to_ascii_lowercase);
        ReportStyle {
            verbosity: match lower("VERBOSITY").as_deref() {
                Some("verbose") => Verbosity::Verbose,
                Some("terse") => Verbosity::Terse,
                Some("sqlstate") => Verbosity::Sqlstate,
                _ => Verbosity::Default,
            },
            show_context: match lower("SHOW_CONTEXT").as_deref() {
                Some("never") => ShowContext::Never,
                Some("always") => ShowContext::Always,
                _ => ShowContext::Errors,
            },
        }
    }
}

fn special(name: &str) -> Option<Rule> {
    SPECIALS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, rule, _)| *rule)
}

/// The value a special variable takes for `value` (`None`: unset), or why
/// it cannot.
fn check(name: &str, rule: Rule, value: Option<&str>) -> Result<String, String> {
    match rule {
        Rule::Bool => match value {
            None => Ok("off".to_owned()),
            Some("") => Ok("on".to_owned()),
            Some(v) => parse_bool(v)
                .map(|_| v.to_owned())
                .ok_or_else(|| bool_error(v, name)),
        },
        Rule::Int(default) => match value {
            None => Ok(default.to_owned()),
            Some(v) if name == "IGNOREEOF" && v.parse::<i32>().is_err() => Ok("10".to_owned()),
            Some(v) => v
                .trim()
                .parse::<i32>()
                .map(|_| v.to_owned())
                .map_err(|_| format!("invalid value \"{v}\" for \"{name}\": integer expected")),
        },
        Rule::Enum(values, default) => match value {
            None | Some("") => Ok(default.to_owned()),
            Some(v) if values.iter().any(|x| x.eq_ignore_ascii_case(v)) => Ok(v.to_owned()),
            Some(v) => Err(format!(
                "unrecognized value \"{v}\" for \"{name}\"\nAvailable values are: {}.",
                values.join(", ")
            )),
        },
        Rule::BoolOr(extra) => match value {
            None => Ok("off".to_owned()),
            Some("") => Ok("on".to_owned()),
            Some(v) if v.eq_ignore_ascii_case(extra) || parse_bool(v).is_some() => Ok(v.to_owned()),
            Some(v) => Err(format!(
                "unrecognized value \"{v}\" for \"{name}\"\nAvailable values are: on, off, {extra}."
            )),
        },
        Rule::Text => Ok(value.unwrap_or_default().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_parse_as_psql_parses_them() {
        for t in ["t", "TRUE", "y", "yes", "on", "ON", "1"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["f", "false", "n", "No", "of", "off", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["o", "", "maybe", "2", "onn", "tr ue"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }

    #[test]
    fn special_variables_check_and_substitute() {
        let mut v = Vars::new();
        assert_eq!(
            v.set("AUTOCOMMIT", "maybe"),
            Err("unrecognized value \"maybe\" for \"AUTOCOMMIT\": Boolean expected".into())
        );
        assert!(v.autocommit());
        v.set("AUTOCOMMIT", "").unwrap();
        assert_eq!(v.get("AUTOCOMMIT"), Some("on"));
        v.unset("AUTOCOMMIT").unwrap();
        assert_eq!(v.get("AUTOCOMMIT"), Some("off"));
        assert_eq!(
            v.set("ECHO", "bogus"),
            Err("unrecognized value \"bogus\" for \"ECHO\"\nAvailable values are: none, errors, queries, all.".into())
        );
        v.set("ECHO", "ALL").unwrap();
        assert_eq!(v.echo(), Echo::All);
        assert!(v.set("FETCH_COUNT", "x").is_err());
        v.unset("FETCH_COUNT").unwrap();
        assert_eq!(v.get("FETCH_COUNT"), Some("0"));
        assert_eq!(
            v.set("bad-name", "x"),
            Err("invalid variable name: \"bad-name\"".into())
        );
        v.set("mine", "x").unwrap();
        v.unset("mine").unwrap();
        assert_eq!(v.get("mine"), None);
        v.set("ECHO_HIDDEN", "noexec").unwrap();
        assert_eq!(v.echo_hidden(), EchoHidden::NoExec);
    }
}
