//! `SHOW` to `WITH`.

use super::Command;
use super::revoke_set::SELECT;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "SHOW",
        page: "sql-show",
        about: "print the current value of a run-time setting, or of all of them",
        syntax: "SHOW { parameter | ALL }",
    },
    Command {
        name: "START TRANSACTION",
        page: "sql-start-transaction",
        about: "open a transaction block (same as BEGIN)",
        syntax: "\
START TRANSACTION [ mode [, ...] ]

mode:
  ISOLATION LEVEL { SERIALIZABLE | REPEATABLE READ | READ COMMITTED | READ UNCOMMITTED }
  READ WRITE | READ ONLY
  [ NOT ] DEFERRABLE",
    },
    Command {
        name: "TABLE",
        page: "sql-select",
        about: "read every row of a table (short for SELECT * FROM table)",
        syntax: SELECT,
    },
    Command {
        name: "TRUNCATE",
        page: "sql-truncate",
        about: "empty tables quickly, without scanning them",
        syntax: "\
TRUNCATE [ TABLE ] [ ONLY ] name [ * ] [, ...]
    [ RESTART IDENTITY | CONTINUE IDENTITY ] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "UNLISTEN",
        page: "sql-unlisten",
        about: "stop listening for notifications on a channel, or on all of them",
        syntax: "UNLISTEN { channel | * }",
    },
    Command {
        name: "UPDATE",
        page: "sql-update",
        about: "change values in rows of a table",
        syntax: "\
[ WITH [ RECURSIVE ] with_query [, ...] ]
UPDATE [ ONLY ] table [ * ] [ [ AS ] alias ]
    SET assignment [, ...]
    [ FROM from_item [, ...] ]
    [ WHERE condition | WHERE CURRENT OF cursor ]
    [ RETURNING { * | expr [ [ AS ] output_name ] } [, ...] ]

assignment:
  column = { expr | DEFAULT }
  ( column [, ...] ) = [ ROW ] ( { expr | DEFAULT } [, ...] )
  ( column [, ...] ) = ( subquery )",
    },
    Command {
        name: "VACUUM",
        page: "sql-vacuum",
        about: "reclaim space held by dead rows, and optionally update statistics",
        syntax: "\
VACUUM [ ( option [, ...] ) ] [ target [, ...] ]
VACUUM [ FULL ] [ FREEZE ] [ VERBOSE ] [ ANALYZE ] [ target [, ...] ]

option:
  FULL [ boolean ]
  FREEZE [ boolean ]
  VERBOSE [ boolean ]
  ANALYZE [ boolean ]
  DISABLE_PAGE_SKIPPING [ boolean ]
  SKIP_LOCKED [ boolean ]
  INDEX_CLEANUP { AUTO | ON | OFF }
  PROCESS_TOAST [ boolean ]
  TRUNCATE [ boolean ]
  PARALLEL workers
target:
  table [ ( column [, ...] ) ]",
    },
    Command {
        name: "VALUES",
        page: "sql-values",
        about: "produce rows from literal expressions",
        syntax: "\
VALUES ( expr [, ...] ) [, ...]
    [ ORDER BY expr [ ASC | DESC | USING op ] [, ...] ]
    [ LIMIT { count | ALL } ]
    [ OFFSET start [ ROW | ROWS ] ]
    [ FETCH { FIRST | NEXT } [ count ] { ROW | ROWS } ONLY ]",
    },
    Command {
        name: "WITH",
        page: "sql-select",
        about: "name subqueries for use in the statement that follows",
        syntax: SELECT,
    },
];
