//! The groups and commands of `\?`, in psql 15's order, with cor4's
//! descriptions.

use super::{Item, Now};

const fn item(command: &'static str, about: &'static str) -> Item {
    Item {
        command,
        about,
        now: None,
        not_via_proxy: false,
    }
}

const fn showing(command: &'static str, about: &'static str, now: Now) -> Item {
    Item {
        command,
        about,
        now: Some(now),
        not_via_proxy: false,
    }
}

/// The groups, in psql's order: a title, an optional note line, the items.
pub(super) const GROUPS: &[(&str, Option<&str>, &[Item])] = &[
    (
        "General",
        None,
        &[
            item(
                "\\copyright",
                "show PostgreSQL's copyright and distribution terms",
            ),
            item(
                "\\crosstabview [COLUMNS] ",
                "run the query and pivot its result into a grid",
            ),
            item("\\errverbose", "repeat the last error with every detail"),
            item(
                "\\g [(OPTIONS)] [FILE]",
                "run the query (to FILE or |pipe when given);\n\\g alone is the same as a semicolon",
            ),
            item(
                "\\gdesc",
                "show the columns the query would return, without running it",
            ),
            item(
                "\\gexec",
                "run the query, then run each value it returns as a statement",
            ),
            item(
                "\\gset [PREFIX]",
                "run the query and store its columns in variables",
            ),
            item("\\gx [(OPTIONS)] [FILE]", "like \\g, with expanded output"),
            item("\\q", "leave cor4"),
            item(
                "\\restrict RESTRICT_KEY\n",
                "enter restricted mode, locked by the key",
            ),
            item(
                "\\unrestrict RESTRICT_KEY\n",
                "leave restricted mode if the key matches",
            ),
            item("\\watch [SEC]", "run the query again every SEC seconds"),
        ],
    ),
    (
        "Help",
        None,
        &[
            item("\\? [commands]", "list the backslash commands"),
            item("\\? options", "list the command-line options"),
            item("\\? variables", "list the variables with a special meaning"),
            item(
                "\\h [NAME]",
                "syntax of SQL command NAME, * for all of them",
            ),
        ],
    ),
    (
        "Query Buffer",
        None,
        &[
            item(
                "\\e [FILE] [LINE]",
                "edit the query buffer (or FILE) in an external editor",
            ),
            item(
                "\\ef [FUNCNAME [LINE]]",
                "edit a function's definition in an external editor",
            ),
            item(
                "\\ev [VIEWNAME [LINE]]",
                "edit a view's definition in an external editor",
            ),
            item("\\p", "print the query buffer"),
            item("\\r", "empty the query buffer"),
            item(
                "\\s [FILE]",
                "print the command history, or save it to FILE",
            ),
            item("\\w FILE", "save the query buffer to FILE"),
        ],
    ),
    (
        "Input/Output",
        None,
        &[
            item(
                "\\copy ...",
                "COPY with the data read or written on this machine",
            ),
            item(
                "\\echo [-n] [STRING]",
                "print STRING on standard output (-n: no newline)",
            ),
            item("\\i FILE", "run the commands in FILE"),
            item(
                "\\ir FILE",
                "like \\i, with FILE relative to the running script",
            ),
            item(
                "\\o [FILE]",
                "send query results to FILE or |pipe (none: to stdout)",
            ),
            item(
                "\\qecho [-n] [STRING]",
                "print STRING where \\o sends output (-n: no newline)",
            ),
            item(
                "\\warn [-n] [STRING]",
                "print STRING on standard error (-n: no newline)",
            ),
        ],
    ),
    (
        "Conditional",
        None,
        &[
            item("\\if EXPR", "start a conditional block"),
            item(
                "\\elif EXPR",
                "another condition, tried if the ones before failed",
            ),
            item("\\else", "the branch taken when no condition held"),
            item("\\endif", "end the conditional block"),
        ],
    ),
    (
        "Informational",
        Some("(options: S = include system objects, + = more detail)"),
        &[
            item("\\d[S+]", "list tables, views and sequences"),
            item("\\d[S+]  NAME", "describe a table, view, sequence or index"),
            item("\\da[S]  [PATTERN]", "list aggregate functions"),
            item("\\dA[+]  [PATTERN]", "list access methods"),
            item("\\dAc[+] [AMPTRN [TYPEPTRN]]  ", "list operator classes"),
            item("\\dAf[+] [AMPTRN [TYPEPTRN]]  ", "list operator families"),
            item(
                "\\dAo[+] [AMPTRN [OPFPTRN]]   ",
                "list the operators of operator families",
            ),
            item(
                "\\dAp[+] [AMPTRN [OPFPTRN]]   ",
                "list the support functions of operator families",
            ),
            item("\\db[+]  [PATTERN]", "list tablespaces"),
            item("\\dc[S+] [PATTERN]", "list encoding conversions"),
            item("\\dconfig[+] [PATTERN]", "list server settings"),
            item("\\dC[+]  [PATTERN]", "list casts"),
            item(
                "\\dd[S]  [PATTERN]",
                "show descriptions of objects no other command lists",
            ),
            item("\\dD[S+] [PATTERN]", "list domains"),
            item("\\ddp    [PATTERN]", "list default privileges"),
            item("\\dE[S+] [PATTERN]", "list foreign tables"),
            item("\\des[+] [PATTERN]", "list foreign servers"),
            item(
                "\\det[+] [PATTERN]",
                "list foreign tables with their servers",
            ),
            item("\\deu[+] [PATTERN]", "list user mappings"),
            item("\\dew[+] [PATTERN]", "list foreign-data wrappers"),
            item(
                "\\df[anptw][S+] [FUNCPTRN [TYPEPTRN ...]]\n",
                "list functions [only aggregate/normal/procedure/trigger/window]",
            ),
            item("\\dF[+]  [PATTERN]", "list text search configurations"),
            item("\\dFd[+] [PATTERN]", "list text search dictionaries"),
            item("\\dFp[+] [PATTERN]", "list text search parsers"),
            item("\\dFt[+] [PATTERN]", "list text search templates"),
            item("\\dg[S+] [PATTERN]", "list roles"),
            item("\\di[S+] [PATTERN]", "list indexes"),
            item("\\dl[+]", "list large objects (same as \\lo_list)"),
            item("\\dL[S+] [PATTERN]", "list procedural languages"),
            item("\\dm[S+] [PATTERN]", "list materialized views"),
            item("\\dn[S+] [PATTERN]", "list schemas"),
            item(
                "\\do[S+] [OPPTRN [TYPEPTRN [TYPEPTRN]]]\n",
                "list operators",
            ),
            item("\\dO[S+] [PATTERN]", "list collations"),
            item(
                "\\dp     [PATTERN]",
                "list who may use tables, views and sequences",
            ),
            item(
                "\\dP[itn+] [PATTERN]",
                "list partitioned relations [i: indexes, t: tables, n: nested]",
            ),
            item(
                "\\drds [ROLEPTRN [DBPTRN]] ",
                "list role settings per database",
            ),
            item("\\dRp[+] [PATTERN]", "list publications"),
            item("\\dRs[+] [PATTERN]", "list subscriptions"),
            item("\\ds[S+] [PATTERN]", "list sequences"),
            item("\\dt[S+] [PATTERN]", "list tables"),
            item("\\dT[S+] [PATTERN]", "list data types"),
            item("\\du[S+] [PATTERN]", "list roles"),
            item("\\dv[S+] [PATTERN]", "list views"),
            item("\\dx[+]  [PATTERN]", "list installed extensions"),
            item("\\dX     [PATTERN]", "list extended statistics"),
            item("\\dy[+]  [PATTERN]", "list event triggers"),
            item("\\l[+]   [PATTERN]", "list databases"),
            item("\\sf[+]  FUNCNAME", "print a function's definition"),
            item("\\sv[+]  VIEWNAME", "print a view's definition"),
            item("\\z      [PATTERN]", "same as \\dp"),
        ],
    ),
    (
        "Large Objects",
        None,
        &[
            item("\\lo_export LOBOID FILE", "save a large object to FILE"),
            item(
                "\\lo_import FILE [COMMENT]\n",
                "make a large object from FILE",
            ),
            item("\\lo_list[+]", "list large objects"),
            item("\\lo_unlink LOBOID", "delete a large object"),
        ],
    ),
    (
        "Formatting",
        None,
        &[
            item("\\a", "switch between aligned and unaligned output"),
            item(
                "\\C [STRING]",
                "set the title printed above tables, or remove it",
            ),
            item(
                "\\f [STRING]",
                "show or set the field separator of unaligned output",
            ),
            showing("\\H", "switch HTML output on or off", Now::Html),
            item(
                "\\pset [NAME [VALUE]]",
                "set an output option\n(border|columns|csv_fieldsep|expanded|fieldsep|\nfieldsep_zero|footer|format|linestyle|null|\nnumericlocale|pager|pager_min_lines|recordsep|\nrecordsep_zero|tableattr|title|tuples_only|\nunicode_border_linestyle|unicode_column_linestyle|\nunicode_header_linestyle)",
            ),
            showing(
                "\\t [on|off]",
                "print rows only, without headers and footers",
                Now::TuplesOnly,
            ),
            item(
                "\\T [STRING]",
                "set the attributes of HTML <table>, or remove them",
            ),
            showing("\\x [on|off|auto]", "switch expanded output", Now::Expanded),
        ],
    ),
    (
        "Connection",
        None,
        &[
            Item {
                command: "\\c[onnect] {[DBNAME|- USER|- HOST|- PORT|-] | conninfo}\n",
                about: "open a new connection",
                now: Some(Now::Database),
                not_via_proxy: false,
            },
            item("\\conninfo", "show where this session is connected"),
            item("\\encoding [ENCODING]", "show or set the client encoding"),
            item(
                "\\password [USERNAME]",
                "change a password without showing it",
            ),
        ],
    ),
    (
        "Operating System",
        None,
        &[
            item("\\cd [DIR]", "change the working directory"),
            item(
                "\\getenv PSQLVAR ENVVAR",
                "copy an environment variable into a variable",
            ),
            item(
                "\\setenv NAME [VALUE]",
                "set an environment variable, or unset it",
            ),
            showing(
                "\\timing [on|off]",
                "report how long each command takes",
                Now::Timing,
            ),
            item(
                "\\! [COMMAND]",
                "run COMMAND in a shell, or start an interactive shell",
            ),
        ],
    ),
    (
        "Variables",
        None,
        &[
            item(
                "\\prompt [TEXT] NAME",
                "ask the user for the value of a variable",
            ),
            item(
                "\\set [NAME [VALUE]]",
                "set a variable; with no arguments, list them all",
            ),
            item("\\unset NAME", "delete a variable"),
        ],
    ),
];
