//! `\? variables`: the variables, display settings and environment
//! variables with a special meaning, in psql 15's three sections and
//! layout — a section title and its usage lines, then each name on its own
//! line (names sharing a description stacked) and the description below it,
//! indented four spaces.

/// One entry: its names and the lines describing them.
type Entry = (&'static [&'static str], &'static [&'static str]);

/// A section: its title, how to set what it lists, its entries.
struct Section {
    title: &'static str,
    usage: [&'static str; 2],
    entries: &'static [Entry],
}

const SECTIONS: [Section; 3] = [
    Section {
        title: "cor4 variables:",
        usage: ["cor4 --set=NAME=VALUE", "or \\set NAME VALUE inside cor4"],
        entries: &[
            (
                &["AUTOCOMMIT"],
                &["when on, each successful SQL command is committed at once"],
            ),
            (
                &["COMP_KEYWORD_CASE"],
                &[
                    "letter case of completed SQL key words:",
                    "lower, upper, preserve-lower or preserve-upper",
                ],
            ),
            (&["DBNAME"], &["the database this session is connected to"]),
            (
                &["ECHO"],
                &[
                    "which input is copied to standard output:",
                    "all, errors, none or queries",
                ],
            ),
            (
                &["ECHO_HIDDEN"],
                &[
                    "when on, print the queries that backslash commands send;",
                    "when \"noexec\", print them instead of sending them",
                ],
            ),
            (&["ENCODING"], &["the client character set encoding"]),
            (
                &["ERROR"],
                &["\"true\" if the last query failed, else \"false\""],
            ),
            (
                &["FETCH_COUNT"],
                &["how many rows to fetch and print at a time (0: all at once)"],
            ),
            (
                &["HIDE_TABLEAM"],
                &["when on, descriptions leave out table access methods"],
            ),
            (
                &["HIDE_TOAST_COMPRESSION"],
                &["when on, descriptions leave out column compression methods"],
            ),
            (
                &["HISTCONTROL"],
                &[
                    "which lines the history leaves out:",
                    "ignorespace, ignoredups or ignoreboth",
                ],
            ),
            (&["HISTFILE"], &["the file the command history is kept in"]),
            (&["HISTSIZE"], &["how many commands the history keeps"]),
            (&["HOST"], &["the server host of this session"]),
            (
                &["IGNOREEOF"],
                &["how many end-of-file keys end an interactive session"],
            ),
            (&["LASTOID"], &["the last OID a command reported"]),
            (
                &["LAST_ERROR_MESSAGE", "LAST_ERROR_SQLSTATE"],
                &["text and SQLSTATE of the last error (empty and \"00000\" when none)"],
            ),
            (
                &["ON_ERROR_ROLLBACK"],
                &[
                    "when on, a failing statement leaves the transaction usable",
                    "(each runs under an implicit savepoint); \"interactive\": only when typed",
                ],
            ),
            (&["ON_ERROR_STOP"], &["stop a script at its first error"]),
            (&["PORT"], &["the server port of this session"]),
            (&["PROMPT1"], &["the prompt for a new statement"]),
            (
                &["PROMPT2"],
                &["the prompt for the following lines of a statement"],
            ),
            (
                &["PROMPT3"],
                &["the prompt while COPY ... FROM STDIN reads rows"],
            ),
            (&["QUIET"], &["print fewer messages (like -q)"]),
            (
                &["ROW_COUNT"],
                &["rows the last query returned or changed (0 if it failed)"],
            ),
            (
                &["SERVER_VERSION_NAME", "SERVER_VERSION_NUM"],
                &["the server's version, as text or as a number"],
            ),
            (
                &["SHOW_ALL_RESULTS"],
                &["print the result of every query joined by \\;, not just the last"],
            ),
            (
                &["SHOW_CONTEXT"],
                &["when messages show their CONTEXT lines: never, errors or always"],
            ),
            (
                &["SINGLELINE"],
                &["a newline ends an SQL command (like -S)"],
            ),
            (
                &["SINGLESTEP"],
                &["confirm each command before it runs (like -s)"],
            ),
            (
                &["SQLSTATE"],
                &["SQLSTATE of the last query (\"00000\" when it succeeded)"],
            ),
            (&["USER"], &["the role this session is connected as"]),
            (
                &["VERBOSITY"],
                &[
                    "how much of an error to print:",
                    "default, verbose, terse or sqlstate",
                ],
            ),
            (
                &["VERSION", "VERSION_NAME", "VERSION_NUM"],
                &["this program's version: in full, short, or as a number"],
            ),
        ],
    },
    Section {
        title: "Display settings:",
        usage: [
            "cor4 --pset=NAME[=VALUE]",
            "or \\pset NAME [VALUE] inside cor4",
        ],
        entries: &[
            (&["border"], &["border style, a number"]),
            (
                &["columns"],
                &["the line width the wrapped format aims for"],
            ),
            (
                &["csv_fieldsep"],
                &["field separator of CSV output (default \",\")"],
            ),
            (&["expanded (or x)"], &["expanded output: on, off or auto"]),
            (
                &["fieldsep"],
                &["field separator of unaligned output (default \"|\")"],
            ),
            (
                &["fieldsep_zero"],
                &["separate unaligned fields with a zero byte"],
            ),
            (
                &["footer"],
                &["print the footer with the row count, or not"],
            ),
            (
                &["format"],
                &[
                    "output format: aligned, asciidoc, csv, html, json, latex,",
                    "latex-longtable, troff-ms, unaligned or wrapped",
                ],
            ),
            (
                &["linestyle"],
                &["how borders are drawn: ascii, old-ascii or unicode"],
            ),
            (&["null"], &["what a null value prints as"]),
            (
                &["numericlocale"],
                &["group the digits of numbers the locale's way"],
            ),
            (&["pager"], &["when to use a pager: yes, no or always"]),
            (
                &["recordsep"],
                &["record (line) separator of unaligned output"],
            ),
            (
                &["recordsep_zero"],
                &["separate unaligned records with a zero byte"],
            ),
            (
                &["tableattr (or T)"],
                &[
                    "attributes of the HTML <table> tag, or column widths",
                    "of left-aligned columns in latex-longtable",
                ],
            ),
            (&["title"], &["a title printed above tables"]),
            (
                &["tuples_only"],
                &["print rows only, without headers and footers"],
            ),
            (
                &[
                    "unicode_border_linestyle",
                    "unicode_column_linestyle",
                    "unicode_header_linestyle",
                ],
                &["single or double lines for the unicode line style"],
            ),
        ],
    },
    Section {
        title: "Environment variables:",
        usage: [
            "NAME=VALUE [NAME=VALUE] cor4 ...",
            "or \\setenv NAME [VALUE] inside cor4",
        ],
        entries: &[
            (
                &["COLUMNS"],
                &["the screen width the wrapped format assumes"],
            ),
            (
                &["PGAPPNAME"],
                &["the application_name reported to the server (not used by cor4)"],
            ),
            (
                &["PGDATABASE"],
                &["the database to connect to (cor4: -d; the proxy serves one)"],
            ),
            (
                &["PGHOST"],
                &["the host to connect to (cor4 reads COR4_HOST)"],
            ),
            (
                &["PGPASSFILE"],
                &["the file of stored passwords (not used by cor4)"],
            ),
            (
                &["PGPASSWORD"],
                &["the password to connect with (cor4 reads COR4_PASSWORD)"],
            ),
            (
                &["PGPORT"],
                &["the port to connect to (cor4 reads COR4_PORT)"],
            ),
            (
                &["PGUSER"],
                &["the role to connect as (cor4 reads COR4_USER)"],
            ),
            (
                &["PSQL_EDITOR, EDITOR, VISUAL"],
                &["the editor \\e, \\ef and \\ev start"],
            ),
            (
                &["PSQL_EDITOR_LINENUMBER_ARG"],
                &["how to tell the editor which line to start at"],
            ),
            (
                &["PSQL_HISTORY"],
                &["where the command history is kept (cor4 reads COR4_HISTFILE)"],
            ),
            (&["PSQL_PAGER, PAGER"], &["the pager program"]),
            (
                &["PSQL_WATCH_PAGER"],
                &["the pager for \\watch (not used by cor4)"],
            ),
            (
                &["PSQLRC"],
                &["a startup file to read instead of the usual one (cor4 reads COR4RC)"],
            ),
            (&["SHELL"], &["the shell \\! starts"]),
            (&["TMPDIR"], &["where temporary files go"]),
        ],
    },
];

/// psql's `\? variables`: appends the variables, display settings and
/// environment variables with a special meaning.
pub fn variables_help(out: &mut String) {
    out.push_str("Variables with a special meaning\n");
    for section in &SECTIONS {
        out.push('\n');
        out.push_str(section.title);
        out.push_str("\nUsage:\n");
        for line in section.usage {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        for (names, about) in section.entries {
            for name in *names {
                out.push_str("  ");
                out.push_str(name);
                out.push('\n');
            }
            for line in *about {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names psql 15.18's `\? variables` lists, section by section
    /// (its lines indented by exactly two spaces).
    const PSQL_NAMES: &str = include_str!("testdata/variable_names.txt");

    fn help() -> String {
        let mut out = String::new();
        variables_help(&mut out);
        out
    }

    #[test]
    fn lists_every_name_psql_15_lists() {
        let ours: Vec<&str> = SECTIONS
            .iter()
            .flat_map(|s| {
                s.entries
                    .iter()
                    .flat_map(|(names, _)| names.iter().copied())
            })
            .collect();
        let theirs: Vec<&str> = PSQL_NAMES.lines().collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn has_psqls_layout() {
        let text = help();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1..8],
            [
                "",
                "cor4 variables:",
                "Usage:",
                "  cor4 --set=NAME=VALUE",
                "  or \\set NAME VALUE inside cor4",
                "",
                "  AUTOCOMMIT",
            ]
        );
        assert!(text.contains("    this program's version: in full, short, or as a number\n\nDisplay settings:\nUsage:\n"));
        assert!(text.contains("  LAST_ERROR_MESSAGE\n  LAST_ERROR_SQLSTATE\n    text"));
        assert!(text.ends_with("  TMPDIR\n    where temporary files go\n"));
        // Every line is a title, usage, a name (two spaces) or a
        // description (four), and fits a terminal.
        for line in lines {
            assert!(line.len() < 80, "{line}");
            let indent = line.len() - line.trim_start().len();
            assert!([0, 2, 4].contains(&indent), "{line}");
        }
    }
}
