//! `DEALLOCATE` to `DO`, and every `DROP`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "DEALLOCATE",
        page: "sql-deallocate",
        about: "forget a prepared statement, or all of them",
        syntax: "DEALLOCATE [ PREPARE ] { name | ALL }",
    },
    Command {
        name: "DECLARE",
        page: "sql-declare",
        about: "open a cursor over the result of a query",
        syntax: "\
DECLARE name [ BINARY ] [ ASENSITIVE | INSENSITIVE ] [ [ NO ] SCROLL ]
    CURSOR [ { WITH | WITHOUT } HOLD ] FOR query",
    },
    Command {
        name: "DELETE",
        page: "sql-delete",
        about: "remove rows from a table",
        syntax: "\
[ WITH [ RECURSIVE ] with_query [, ...] ]
DELETE FROM [ ONLY ] table [ * ] [ [ AS ] alias ]
    [ USING from_item [, ...] ]
    [ WHERE condition | WHERE CURRENT OF cursor ]
    [ RETURNING { * | expr [ [ AS ] output_name ] } [, ...] ]",
    },
    Command {
        name: "DISCARD",
        page: "sql-discard",
        about: "throw away session state: plans, sequence caches, temporary tables, or all",
        syntax: "DISCARD { ALL | PLANS | SEQUENCES | TEMPORARY | TEMP }",
    },
    Command {
        name: "DO",
        page: "sql-do",
        about: "run a one-off block of procedural code",
        syntax: "DO [ LANGUAGE language ] 'code'",
    },
    Command {
        name: "DROP ACCESS METHOD",
        page: "sql-drop-access-method",
        about: "remove access methods",
        syntax: "DROP ACCESS METHOD [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP AGGREGATE",
        page: "sql-dropaggregate",
        about: "remove aggregate functions",
        syntax: "\
DROP AGGREGATE [ IF EXISTS ] name ( agg_args ) [, ...] [ CASCADE | RESTRICT ]

agg_args:
  *
  arg [, ...]
  [ arg [, ...] ] ORDER BY arg [, ...]
arg:
  [ IN | VARIADIC ] [ arg_name ] type",
    },
    Command {
        name: "DROP CAST",
        page: "sql-dropcast",
        about: "delete a cast between two types",
        syntax: "DROP CAST [ IF EXISTS ] ( source_type AS target_type ) [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP COLLATION",
        page: "sql-dropcollation",
        about: "remove collations",
        syntax: "DROP COLLATION [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP CONVERSION",
        page: "sql-dropconversion",
        about: "remove encoding conversions",
        syntax: "DROP CONVERSION [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP DATABASE",
        page: "sql-dropdatabase",
        about: "remove a database and everything in it",
        syntax: "DROP DATABASE [ IF EXISTS ] name [ [ WITH ] ( FORCE [, ...] ) ]",
    },
    Command {
        name: "DROP DOMAIN",
        page: "sql-dropdomain",
        about: "remove domains",
        syntax: "DROP DOMAIN [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP EVENT TRIGGER",
        page: "sql-dropeventtrigger",
        about: "remove event triggers",
        syntax: "DROP EVENT TRIGGER [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP EXTENSION",
        page: "sql-dropextension",
        about: "uninstall extensions and their member objects",
        syntax: "DROP EXTENSION [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP FOREIGN DATA WRAPPER",
        page: "sql-dropforeigndatawrapper",
        about: "remove foreign-data wrappers",
        syntax: "DROP FOREIGN DATA WRAPPER [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP FOREIGN TABLE",
        page: "sql-dropforeigntable",
        about: "remove foreign tables",
        syntax: "DROP FOREIGN TABLE [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP FUNCTION",
        page: "sql-dropfunction",
        about: "remove functions",
        syntax: "\
DROP FUNCTION [ IF EXISTS ] name [ ( [ arg [, ...] ] ) ] [, ...] [ CASCADE | RESTRICT ]

arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type",
    },
    Command {
        name: "DROP GROUP",
        page: "sql-dropgroup",
        about: "remove roles (old spelling of DROP ROLE)",
        syntax: "DROP GROUP [ IF EXISTS ] name [, ...]",
    },
    Command {
        name: "DROP INDEX",
        page: "sql-dropindex",
        about: "remove indexes",
        syntax: "DROP INDEX [ CONCURRENTLY ] [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP LANGUAGE",
        page: "sql-droplanguage",
        about: "remove procedural languages",
        syntax: "DROP [ PROCEDURAL ] LANGUAGE [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP MATERIALIZED VIEW",
        page: "sql-dropmaterializedview",
        about: "remove materialized views",
        syntax: "DROP MATERIALIZED VIEW [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP OPERATOR",
        page: "sql-dropoperator",
        about: "remove operators",
        syntax: "\
DROP OPERATOR [ IF EXISTS ] op ( { left_type | NONE }, right_type ) [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP OPERATOR CLASS",
        page: "sql-dropopclass",
        about: "delete an operator class",
        syntax: "DROP OPERATOR CLASS [ IF EXISTS ] name USING index_method [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP OPERATOR FAMILY",
        page: "sql-dropopfamily",
        about: "remove an operator family and the classes in it",
        syntax: "DROP OPERATOR FAMILY [ IF EXISTS ] name USING index_method [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP OWNED",
        page: "sql-drop-owned",
        about: "drop what roles own in this database and revoke what they were granted",
        syntax: "\
DROP OWNED BY { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER } [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP POLICY",
        page: "sql-droppolicy",
        about: "delete a row-level security policy of a table",
        syntax: "DROP POLICY [ IF EXISTS ] name ON table [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP PROCEDURE",
        page: "sql-dropprocedure",
        about: "remove procedures",
        syntax: "\
DROP PROCEDURE [ IF EXISTS ] name [ ( [ arg [, ...] ] ) ] [, ...] [ CASCADE | RESTRICT ]

arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type",
    },
    Command {
        name: "DROP PUBLICATION",
        page: "sql-droppublication",
        about: "remove publications",
        syntax: "DROP PUBLICATION [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP ROLE",
        page: "sql-droprole",
        about: "remove roles",
        syntax: "DROP ROLE [ IF EXISTS ] name [, ...]",
    },
    Command {
        name: "DROP ROUTINE",
        page: "sql-droproutine",
        about: "remove functions or procedures",
        syntax: "\
DROP ROUTINE [ IF EXISTS ] name [ ( [ arg [, ...] ] ) ] [, ...] [ CASCADE | RESTRICT ]

arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type",
    },
    Command {
        name: "DROP RULE",
        page: "sql-droprule",
        about: "remove a rewrite rule from a table or view",
        syntax: "DROP RULE [ IF EXISTS ] name ON table [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP SCHEMA",
        page: "sql-dropschema",
        about: "remove schemas",
        syntax: "DROP SCHEMA [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP SEQUENCE",
        page: "sql-dropsequence",
        about: "remove sequences",
        syntax: "DROP SEQUENCE [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP SERVER",
        page: "sql-dropserver",
        about: "remove foreign servers",
        syntax: "DROP SERVER [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP STATISTICS",
        page: "sql-dropstatistics",
        about: "remove extended statistics objects",
        syntax: "DROP STATISTICS [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP SUBSCRIPTION",
        page: "sql-dropsubscription",
        about: "delete a logical replication subscription",
        syntax: "DROP SUBSCRIPTION [ IF EXISTS ] name [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP TABLE",
        page: "sql-droptable",
        about: "remove tables",
        syntax: "DROP TABLE [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP TABLESPACE",
        page: "sql-droptablespace",
        about: "remove an empty tablespace",
        syntax: "DROP TABLESPACE [ IF EXISTS ] name",
    },
    Command {
        name: "DROP TEXT SEARCH CONFIGURATION",
        page: "sql-droptsconfig",
        about: "remove text search configurations",
        syntax: "DROP TEXT SEARCH CONFIGURATION [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP TEXT SEARCH DICTIONARY",
        page: "sql-droptsdictionary",
        about: "remove text search dictionaries",
        syntax: "DROP TEXT SEARCH DICTIONARY [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP TEXT SEARCH PARSER",
        page: "sql-droptsparser",
        about: "remove text search parsers",
        syntax: "DROP TEXT SEARCH PARSER [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP TEXT SEARCH TEMPLATE",
        page: "sql-droptstemplate",
        about: "remove text search templates",
        syntax: "DROP TEXT SEARCH TEMPLATE [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP TRANSFORM",
        page: "sql-droptransform",
        about: "delete a transform",
        syntax: "DROP TRANSFORM [ IF EXISTS ] FOR type LANGUAGE language [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP TRIGGER",
        page: "sql-droptrigger",
        about: "remove a trigger from a table",
        syntax: "DROP TRIGGER [ IF EXISTS ] name ON table [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP TYPE",
        page: "sql-droptype",
        about: "remove data types",
        syntax: "DROP TYPE [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "DROP USER",
        page: "sql-dropuser",
        about: "remove roles (same as DROP ROLE)",
        syntax: "DROP USER [ IF EXISTS ] name [, ...]",
    },
    Command {
        name: "DROP USER MAPPING",
        page: "sql-dropusermapping",
        about: "delete the user mapping of a role for a foreign server",
        syntax: "\
DROP USER MAPPING [ IF EXISTS ]
    FOR { role | USER | CURRENT_ROLE | CURRENT_USER | SESSION_USER | PUBLIC }
    SERVER server",
    },
    Command {
        name: "DROP VIEW",
        page: "sql-dropview",
        about: "remove views",
        syntax: "DROP VIEW [ IF EXISTS ] name [, ...] [ CASCADE | RESTRICT ]",
    },
];
