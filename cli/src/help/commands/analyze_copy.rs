//! `ANALYZE` to `COPY`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "ANALYZE",
        page: "sql-analyze",
        about: "sample tables and store the statistics the planner uses",
        syntax: "\
ANALYZE [ ( option [, ...] ) ] [ target [, ...] ]
ANALYZE [ VERBOSE ] [ target [, ...] ]

option:
  VERBOSE [ boolean ]
  SKIP_LOCKED [ boolean ]
target:
  table [ ( column [, ...] ) ]",
    },
    Command {
        name: "BEGIN",
        page: "sql-begin",
        about: "open a transaction block",
        syntax: "\
BEGIN [ WORK | TRANSACTION ] [ mode [, ...] ]

mode:
  ISOLATION LEVEL { SERIALIZABLE | REPEATABLE READ | READ COMMITTED | READ UNCOMMITTED }
  READ WRITE | READ ONLY
  [ NOT ] DEFERRABLE",
    },
    Command {
        name: "CALL",
        page: "sql-call",
        about: "run a stored procedure",
        syntax: "CALL name ( [ argument [, ...] ] )",
    },
    Command {
        name: "CHECKPOINT",
        page: "sql-checkpoint",
        about: "flush all dirty buffers and write a checkpoint record to the WAL now",
        syntax: "CHECKPOINT",
    },
    Command {
        name: "CLOSE",
        page: "sql-close",
        about: "release an open cursor",
        syntax: "CLOSE { cursor | ALL }",
    },
    Command {
        name: "CLUSTER",
        page: "sql-cluster",
        about: "rewrite a table in the order of one of its indexes",
        syntax: "\
CLUSTER [ VERBOSE ] table [ USING index ]
CLUSTER ( option [, ...] ) table [ USING index ]
CLUSTER [ VERBOSE ]

option:
  VERBOSE [ boolean ]",
    },
    Command {
        name: "COMMENT",
        page: "sql-comment",
        about: "attach a description to a database object, or remove it",
        syntax: "\
COMMENT ON object IS { 'text' | NULL }

object:
  object_kind name
  COLUMN table.column
  { CONSTRAINT | POLICY | RULE | TRIGGER } name ON table
  CONSTRAINT name ON DOMAIN domain
  { FUNCTION | PROCEDURE | ROUTINE } name [ ( [ arg [, ...] ] ) ]
  AGGREGATE name ( agg_args )
  CAST ( source_type AS target_type )
  OPERATOR op ( { left_type | NONE }, right_type )
  OPERATOR { CLASS | FAMILY } name USING index_method
  LARGE OBJECT oid
  TRANSFORM FOR type LANGUAGE language
object_kind:
  ACCESS METHOD | COLLATION | CONVERSION | DATABASE | DOMAIN | EXTENSION
  EVENT TRIGGER | FOREIGN DATA WRAPPER | FOREIGN TABLE | INDEX
  [ PROCEDURAL ] LANGUAGE | MATERIALIZED VIEW | PUBLICATION | ROLE | SCHEMA
  SEQUENCE | SERVER | STATISTICS | SUBSCRIPTION | TABLE | TABLESPACE | TYPE | VIEW
  TEXT SEARCH { CONFIGURATION | DICTIONARY | PARSER | TEMPLATE }
arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type
agg_args:
  * | arg [, ...] | [ arg [, ...] ] ORDER BY arg [, ...]",
    },
    Command {
        name: "COMMIT",
        page: "sql-commit",
        about: "make the work of the transaction in progress permanent",
        syntax: "COMMIT [ WORK | TRANSACTION ] [ AND [ NO ] CHAIN ]",
    },
    Command {
        name: "COMMIT PREPARED",
        page: "sql-commit-prepared",
        about: "commit a transaction earlier prepared for two-phase commit",
        syntax: "COMMIT PREPARED 'transaction_id'",
    },
    Command {
        name: "COPY",
        page: "sql-copy",
        about: "move rows between a table or query and a file, a program, or the client",
        syntax: "\
COPY table [ ( column [, ...] ) ]
    FROM { 'file' | PROGRAM 'command' | STDIN }
    [ [ WITH ] ( option [, ...] ) ]
    [ WHERE condition ]
COPY { table [ ( column [, ...] ) ] | ( query ) }
    TO { 'file' | PROGRAM 'command' | STDOUT }
    [ [ WITH ] ( option [, ...] ) ]

option:
  FORMAT { text | csv | binary }
  FREEZE [ boolean ]
  DELIMITER 'character'
  NULL 'string'
  HEADER [ boolean | MATCH ]
  QUOTE 'character'
  ESCAPE 'character'
  FORCE_QUOTE { ( column [, ...] ) | * }
  FORCE_NOT_NULL ( column [, ...] )
  FORCE_NULL ( column [, ...] )
  ENCODING 'encoding'",
    },
];
