//! `REVOKE` to `SET TRANSACTION`, with the `SELECT` synopsis that `TABLE`
//! and `WITH` share.

use super::Command;

/// The synopsis of `SELECT`, shown for `SELECT`, `TABLE` and `WITH` alike
/// (one documentation page covers the three).
pub(super) const SELECT: &str = "\
[ WITH [ RECURSIVE ] with_query [, ...] ]
SELECT [ ALL | DISTINCT [ ON ( expr [, ...] ) ] ]
    [ { * | expr [ [ AS ] output_name ] } [, ...] ]
    [ FROM from_item [, ...] ]
    [ WHERE condition ]
    [ GROUP BY [ ALL | DISTINCT ] grouping_element [, ...] ]
    [ HAVING condition ]
    [ WINDOW window AS ( window_definition ) [, ...] ]
    [ { UNION | INTERSECT | EXCEPT } [ ALL | DISTINCT ] select ]
    [ ORDER BY expr [ ASC | DESC | USING op ] [ NULLS { FIRST | LAST } ] [, ...] ]
    [ LIMIT { count | ALL } ]
    [ OFFSET start [ ROW | ROWS ] ]
    [ FETCH { FIRST | NEXT } [ count ] { ROW | ROWS } { ONLY | WITH TIES } ]
    [ FOR { UPDATE | NO KEY UPDATE | SHARE | KEY SHARE }
        [ OF table [, ...] ] [ NOWAIT | SKIP LOCKED ] [ ... ] ]
TABLE [ ONLY ] table [ * ]

from_item:
  [ ONLY ] table [ * ] [ as_alias ]
      [ TABLESAMPLE method ( argument [, ...] ) [ REPEATABLE ( seed ) ] ]
  [ LATERAL ] ( select ) as_alias
  with_query_name [ as_alias ]
  [ LATERAL ] function ( [ argument [, ...] ] ) [ WITH ORDINALITY ] [ as_alias ]
  [ LATERAL ] function ( [ argument [, ...] ] ) { [ AS ] alias | AS } ( column type [, ...] )
  [ LATERAL ] ROWS FROM ( function ( [ argument [, ...] ] ) [ AS ( column type [, ...] ) ] [, ...] )
      [ WITH ORDINALITY ] [ as_alias ]
  from_item join_type from_item { ON condition | USING ( column [, ...] ) [ AS join_alias ] }
  from_item NATURAL join_type from_item
  from_item CROSS JOIN from_item
as_alias:
  [ AS ] alias [ ( column_alias [, ...] ) ]
join_type:
  [ INNER ] JOIN | { LEFT | RIGHT | FULL } [ OUTER ] JOIN
grouping_element:
  ( )
  expr
  ( expr [, ...] )
  { ROLLUP | CUBE } ( { expr | ( expr [, ...] ) } [, ...] )
  GROUPING SETS ( grouping_element [, ...] )
with_query:
  name [ ( column [, ...] ) ] AS [ [ NOT ] MATERIALIZED ]
      ( select | values | insert | update | delete )
      [ SEARCH { BREADTH | DEPTH } FIRST BY column [, ...] SET order_column ]
      [ CYCLE column [, ...] SET mark_column [ TO mark DEFAULT no_mark ] USING path_column ]
window_definition:
  [ existing_window ] [ PARTITION BY expr [, ...] ]
  [ ORDER BY expr [ ASC | DESC | USING op ] [ NULLS { FIRST | LAST } ] [, ...] ]
  [ { RANGE | ROWS | GROUPS } { frame_bound | BETWEEN frame_bound AND frame_bound }
      [ EXCLUDE { CURRENT ROW | GROUP | TIES | NO OTHERS } ] ]
frame_bound:
  UNBOUNDED PRECEDING | offset PRECEDING | CURRENT ROW
  offset FOLLOWING | UNBOUNDED FOLLOWING";

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "REVOKE",
        page: "sql-revoke",
        about: "take back privileges on objects, or membership in a role",
        syntax: "\
REVOKE [ GRANT OPTION FOR ] privileges ON target
    FROM grantee [, ...] [ GRANTED BY grantor ] [ CASCADE | RESTRICT ]
REVOKE [ GRANT OPTION FOR ]
    { { SELECT | INSERT | UPDATE | REFERENCES } ( column [, ...] ) [, ...]
    | ALL [ PRIVILEGES ] ( column [, ...] ) }
    ON [ TABLE ] table [, ...]
    FROM grantee [, ...] [ GRANTED BY grantor ] [ CASCADE | RESTRICT ]
REVOKE [ ADMIN OPTION FOR ] role [, ...]
    FROM grantee [, ...] [ GRANTED BY grantor ] [ CASCADE | RESTRICT ]

privileges, target:
  as in GRANT
grantee, grantor:
  [ GROUP ] role | PUBLIC | CURRENT_ROLE | CURRENT_USER | SESSION_USER",
    },
    Command {
        name: "ROLLBACK",
        page: "sql-rollback",
        about: "undo the transaction in progress",
        syntax: "ROLLBACK [ WORK | TRANSACTION ] [ AND [ NO ] CHAIN ]",
    },
    Command {
        name: "ROLLBACK PREPARED",
        page: "sql-rollback-prepared",
        about: "undo a transaction earlier prepared for two-phase commit",
        syntax: "ROLLBACK PREPARED 'transaction_id'",
    },
    Command {
        name: "ROLLBACK TO SAVEPOINT",
        page: "sql-rollback-to",
        about: "undo the work done since a savepoint, keeping the savepoint",
        syntax: "ROLLBACK [ WORK | TRANSACTION ] TO [ SAVEPOINT ] name",
    },
    Command {
        name: "SAVEPOINT",
        page: "sql-savepoint",
        about: "mark a point in the transaction to roll back to later",
        syntax: "SAVEPOINT name",
    },
    Command {
        name: "SECURITY LABEL",
        page: "sql-security-label",
        about: "attach a label for a security provider to an object, or remove it",
        syntax: "\
SECURITY LABEL [ FOR provider ] ON object IS { 'label' | NULL }

object:
  object_kind name
  COLUMN table.column
  { FUNCTION | PROCEDURE | ROUTINE } name [ ( [ arg [, ...] ] ) ]
  AGGREGATE name ( agg_args )
  LARGE OBJECT oid
object_kind:
  DATABASE | DOMAIN | EVENT TRIGGER | FOREIGN TABLE | [ PROCEDURAL ] LANGUAGE
  MATERIALIZED VIEW | PUBLICATION | ROLE | SCHEMA | SEQUENCE | SUBSCRIPTION
  TABLE | TABLESPACE | TYPE | VIEW
arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type
agg_args:
  * | arg [, ...] | [ arg [, ...] ] ORDER BY arg [, ...]",
    },
    Command {
        name: "SELECT",
        page: "sql-select",
        about: "read rows from tables, views, functions or subqueries",
        syntax: SELECT,
    },
    Command {
        name: "SELECT INTO",
        page: "sql-selectinto",
        about: "create a table from the result of a query (prefer CREATE TABLE AS)",
        syntax: "\
[ WITH [ RECURSIVE ] with_query [, ...] ]
SELECT [ ALL | DISTINCT [ ON ( expr [, ...] ) ] ]
    { * | expr [ [ AS ] output_name ] } [, ...]
    INTO [ TEMPORARY | TEMP | UNLOGGED ] [ TABLE ] new_table
    [ FROM from_item [, ...] ]
    [ WHERE condition ]
    [ GROUP BY [ ALL | DISTINCT ] grouping_element [, ...] ]
    [ HAVING condition ]
    [ WINDOW window AS ( window_definition ) [, ...] ]
    [ { UNION | INTERSECT | EXCEPT } [ ALL | DISTINCT ] select ]
    [ ORDER BY expr [ ASC | DESC | USING op ] [ NULLS { FIRST | LAST } ] [, ...] ]
    [ LIMIT { count | ALL } ]
    [ OFFSET start [ ROW | ROWS ] ]
    [ FETCH { FIRST | NEXT } [ count ] { ROW | ROWS } { ONLY | WITH TIES } ]
    [ FOR { UPDATE | NO KEY UPDATE | SHARE | KEY SHARE }
        [ OF table [, ...] ] [ NOWAIT | SKIP LOCKED ] [ ... ] ]

with_query, from_item, grouping_element, window_definition:
  as in SELECT",
    },
    Command {
        name: "SET",
        page: "sql-set",
        about: "change a run-time setting for the session or the transaction",
        syntax: "\
SET [ SESSION | LOCAL ] parameter { TO | = } { value [, ...] | DEFAULT }
SET [ SESSION | LOCAL ] TIME ZONE { value | LOCAL | DEFAULT }",
    },
    Command {
        name: "SET CONSTRAINTS",
        page: "sql-set-constraints",
        about: "choose when deferrable constraints are checked in this transaction",
        syntax: "SET CONSTRAINTS { ALL | name [, ...] } { DEFERRED | IMMEDIATE }",
    },
    Command {
        name: "SET ROLE",
        page: "sql-set-role",
        about: "act as another role this session belongs to",
        syntax: "\
SET [ SESSION | LOCAL ] ROLE { role | NONE }
RESET ROLE",
    },
    Command {
        name: "SET SESSION AUTHORIZATION",
        page: "sql-set-session-authorization",
        about: "become another user for the rest of the session (superusers only)",
        syntax: "\
SET [ SESSION | LOCAL ] SESSION AUTHORIZATION { user | DEFAULT }
RESET SESSION AUTHORIZATION",
    },
    Command {
        name: "SET TRANSACTION",
        page: "sql-set-transaction",
        about: "choose the isolation and access mode of this transaction or later ones",
        syntax: "\
SET TRANSACTION mode [, ...]
SET TRANSACTION SNAPSHOT 'snapshot_id'
SET SESSION CHARACTERISTICS AS TRANSACTION mode [, ...]

mode:
  ISOLATION LEVEL { SERIALIZABLE | REPEATABLE READ | READ COMMITTED | READ UNCOMMITTED }
  READ WRITE | READ ONLY
  [ NOT ] DEFERRABLE",
    },
];
