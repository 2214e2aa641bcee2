//! `END` to `RESET`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "END",
        page: "sql-end",
        about: "commit the transaction in progress (same as COMMIT)",
        syntax: "END [ WORK | TRANSACTION ] [ AND [ NO ] CHAIN ]",
    },
    Command {
        name: "EXECUTE",
        page: "sql-execute",
        about: "run a prepared statement",
        syntax: "EXECUTE name [ ( parameter [, ...] ) ]",
    },
    Command {
        name: "EXPLAIN",
        page: "sql-explain",
        about: "show the plan the planner chose for a statement, optionally running it",
        syntax: "\
EXPLAIN [ ( option [, ...] ) ] statement
EXPLAIN [ ANALYZE ] [ VERBOSE ] statement

option:
  ANALYZE [ boolean ]
  VERBOSE [ boolean ]
  COSTS [ boolean ]
  SETTINGS [ boolean ]
  BUFFERS [ boolean ]
  WAL [ boolean ]
  TIMING [ boolean ]
  SUMMARY [ boolean ]
  FORMAT { TEXT | XML | JSON | YAML }",
    },
    Command {
        name: "FETCH",
        page: "sql-fetch",
        about: "read rows through a cursor",
        syntax: "\
FETCH [ direction ] [ FROM | IN ] cursor

direction:
  NEXT | PRIOR | FIRST | LAST
  ABSOLUTE n | RELATIVE n
  n | ALL
  FORWARD [ n | ALL ]
  BACKWARD [ n | ALL ]",
    },
    Command {
        name: "GRANT",
        page: "sql-grant",
        about: "give privileges on objects, or membership in a role",
        syntax: "\
GRANT privileges ON target TO grantee [, ...] [ WITH GRANT OPTION ] [ GRANTED BY grantor ]
GRANT { { SELECT | INSERT | UPDATE | REFERENCES } ( column [, ...] ) [, ...]
      | ALL [ PRIVILEGES ] ( column [, ...] ) }
    ON [ TABLE ] table [, ...]
    TO grantee [, ...] [ WITH GRANT OPTION ] [ GRANTED BY grantor ]
GRANT role [, ...] TO grantee [, ...] [ WITH ADMIN OPTION ] [ GRANTED BY grantor ]

privileges:
  privilege [, ...]
  ALL [ PRIVILEGES ]
target, and the privileges that fit it:
  [ TABLE ] table [, ...]
  ALL TABLES IN SCHEMA schema [, ...]
      SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER
  SEQUENCE sequence [, ...]
  ALL SEQUENCES IN SCHEMA schema [, ...]
      USAGE, SELECT, UPDATE
  DATABASE database [, ...]
      CREATE, CONNECT, TEMPORARY, TEMP
  DOMAIN domain [, ...]
  FOREIGN DATA WRAPPER wrapper [, ...]
  FOREIGN SERVER server [, ...]
  LANGUAGE language [, ...]
  TYPE type [, ...]
      USAGE
  { FUNCTION | PROCEDURE | ROUTINE } name [ ( [ arg [, ...] ] ) ] [, ...]
  ALL { FUNCTIONS | PROCEDURES | ROUTINES } IN SCHEMA schema [, ...]
      EXECUTE
  LARGE OBJECT oid [, ...]
      SELECT, UPDATE
  PARAMETER parameter [, ...]
      SET, ALTER SYSTEM
  SCHEMA schema [, ...]
      CREATE, USAGE
  TABLESPACE tablespace [, ...]
      CREATE
grantee, grantor:
  [ GROUP ] role | PUBLIC | CURRENT_ROLE | CURRENT_USER | SESSION_USER
arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type",
    },
    Command {
        name: "IMPORT FOREIGN SCHEMA",
        page: "sql-importforeignschema",
        about: "create foreign tables for the tables of a schema on a foreign server",
        syntax: "\
IMPORT FOREIGN SCHEMA remote_schema
    [ { LIMIT TO | EXCEPT } ( table [, ...] ) ]
    FROM SERVER server
    INTO local_schema
    [ OPTIONS ( option 'value' [, ...] ) ]",
    },
    Command {
        name: "INSERT",
        page: "sql-insert",
        about: "add rows to a table, optionally updating on conflict",
        syntax: "\
[ WITH [ RECURSIVE ] with_query [, ...] ]
INSERT INTO table [ AS alias ] [ ( column [, ...] ) ]
    [ OVERRIDING { SYSTEM | USER } VALUE ]
    { DEFAULT VALUES | VALUES ( { expr | DEFAULT } [, ...] ) [, ...] | query }
    [ ON CONFLICT [ conflict_target ] conflict_action ]
    [ RETURNING { * | expr [ [ AS ] output_name ] } [, ...] ]

conflict_target:
  ( { column | ( expr ) } [ COLLATE collation ] [ opclass ] [, ...] ) [ WHERE predicate ]
  ON CONSTRAINT constraint
conflict_action:
  DO NOTHING
  DO UPDATE SET assignment [, ...] [ WHERE condition ]
assignment:
  column = { expr | DEFAULT }
  ( column [, ...] ) = [ ROW ] ( { expr | DEFAULT } [, ...] )
  ( column [, ...] ) = ( subquery )",
    },
    Command {
        name: "LISTEN",
        page: "sql-listen",
        about: "subscribe this session to notifications on a channel",
        syntax: "LISTEN channel",
    },
    Command {
        name: "LOAD",
        page: "sql-load",
        about: "load a shared library into the server process",
        syntax: "LOAD 'file'",
    },
    Command {
        name: "LOCK",
        page: "sql-lock",
        about: "take an explicit table-level lock",
        syntax: "\
LOCK [ TABLE ] [ ONLY ] name [ * ] [, ...] [ IN mode MODE ] [ NOWAIT ]

mode:
  ACCESS SHARE | ROW SHARE | ROW EXCLUSIVE | SHARE UPDATE EXCLUSIVE
  SHARE | SHARE ROW EXCLUSIVE | EXCLUSIVE | ACCESS EXCLUSIVE",
    },
    Command {
        name: "MERGE",
        page: "sql-merge",
        about: "insert, update or delete rows of a table according to a join with a source",
        syntax: "\
[ WITH with_query [, ...] ]
MERGE INTO [ ONLY ] target [ * ] [ [ AS ] target_alias ]
    USING source ON join_condition
    when_clause [ ... ]

source:
  { [ ONLY ] table [ * ] | ( query ) } [ [ AS ] source_alias ]
when_clause:
  WHEN MATCHED [ AND condition ] THEN { UPDATE SET assignment [, ...] | DELETE | DO NOTHING }
  WHEN NOT MATCHED [ AND condition ] THEN { insert | DO NOTHING }
assignment:
  column = { expr | DEFAULT }
  ( column [, ...] ) = ( { expr | DEFAULT } [, ...] )
insert:
  INSERT [ ( column [, ...] ) ] [ OVERRIDING { SYSTEM | USER } VALUE ]
      { VALUES ( { expr | DEFAULT } [, ...] ) | DEFAULT VALUES }",
    },
    Command {
        name: "MOVE",
        page: "sql-move",
        about: "reposition a cursor without returning rows",
        syntax: "\
MOVE [ direction ] [ FROM | IN ] cursor

direction:
  as in FETCH",
    },
    Command {
        name: "NOTIFY",
        page: "sql-notify",
        about: "send a notification to the sessions listening on a channel",
        syntax: "NOTIFY channel [ , 'payload' ]",
    },
    Command {
        name: "PREPARE",
        page: "sql-prepare",
        about: "parse and plan a statement once, to run it later with EXECUTE",
        syntax: "PREPARE name [ ( type [, ...] ) ] AS statement",
    },
    Command {
        name: "PREPARE TRANSACTION",
        page: "sql-prepare-transaction",
        about: "get the transaction in progress ready for two-phase commit",
        syntax: "PREPARE TRANSACTION 'transaction_id'",
    },
    Command {
        name: "REASSIGN OWNED",
        page: "sql-reassign-owned",
        about: "give everything some roles own in this database to another role",
        syntax: "\
REASSIGN OWNED BY { old_role | CURRENT_ROLE | CURRENT_USER | SESSION_USER } [, ...]
    TO { new_role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }",
    },
    Command {
        name: "REFRESH MATERIALIZED VIEW",
        page: "sql-refreshmaterializedview",
        about: "run a materialized view's query again and store the new result",
        syntax: "REFRESH MATERIALIZED VIEW [ CONCURRENTLY ] name [ WITH [ NO ] DATA ]",
    },
    Command {
        name: "REINDEX",
        page: "sql-reindex",
        about: "build indexes again from their tables",
        syntax: "\
REINDEX [ ( option [, ...] ) ] { INDEX | TABLE | SCHEMA | DATABASE | SYSTEM } [ CONCURRENTLY ] name

option:
  CONCURRENTLY [ boolean ]
  TABLESPACE tablespace
  VERBOSE [ boolean ]",
    },
    Command {
        name: "RELEASE SAVEPOINT",
        page: "sql-release-savepoint",
        about: "forget a savepoint, keeping the work done since it",
        syntax: "RELEASE [ SAVEPOINT ] name",
    },
    Command {
        name: "RESET",
        page: "sql-reset",
        about: "put a run-time setting back to its default",
        syntax: "RESET { parameter | ALL }",
    },
];
