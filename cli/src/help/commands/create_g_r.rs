//! `CREATE GROUP` to `CREATE RULE`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "CREATE GROUP",
        page: "sql-creategroup",
        about: "create a role (old spelling of CREATE ROLE)",
        syntax: "\
CREATE GROUP name [ [ WITH ] attribute [ ... ] ]

attribute:
  as in CREATE ROLE",
    },
    Command {
        name: "CREATE INDEX",
        page: "sql-createindex",
        about: "build an index on columns or expressions of a table",
        syntax: "\
CREATE [ UNIQUE ] INDEX [ CONCURRENTLY ] [ [ IF NOT EXISTS ] name ]
    ON [ ONLY ] table [ USING method ]
    ( key [, ...] )
    [ INCLUDE ( column [, ...] ) ]
    [ NULLS [ NOT ] DISTINCT ]
    [ WITH ( storage_parameter [ = value ] [, ...] ) ]
    [ TABLESPACE tablespace ]
    [ WHERE predicate ]

key:
  { column | ( expr ) } [ COLLATE collation ]
      [ opclass [ ( opclass_parameter = value [, ...] ) ] ]
      [ ASC | DESC ] [ NULLS { FIRST | LAST } ]",
    },
    Command {
        name: "CREATE LANGUAGE",
        page: "sql-createlanguage",
        about: "register a procedural language by its handler functions",
        syntax: "\
CREATE [ OR REPLACE ] [ TRUSTED ] [ PROCEDURAL ] LANGUAGE name
    HANDLER call_handler [ INLINE inline_handler ] [ VALIDATOR validator ]
CREATE [ OR REPLACE ] [ TRUSTED ] [ PROCEDURAL ] LANGUAGE name",
    },
    Command {
        name: "CREATE MATERIALIZED VIEW",
        page: "sql-creatematerializedview",
        about: "store the result of a query as a table that can be refreshed",
        syntax: "\
CREATE MATERIALIZED VIEW [ IF NOT EXISTS ] name [ ( column [, ...] ) ]
    [ USING access_method ]
    [ WITH ( storage_parameter [ = value ] [, ...] ) ]
    [ TABLESPACE tablespace ]
    AS query
    [ WITH [ NO ] DATA ]",
    },
    Command {
        name: "CREATE OPERATOR",
        page: "sql-createoperator",
        about: "define an operator backed by a function",
        syntax: "\
CREATE OPERATOR name (
    { FUNCTION | PROCEDURE } = function
    [, LEFTARG = left_type ] [, RIGHTARG = right_type ]
    [, COMMUTATOR = op ] [, NEGATOR = op ]
    [, RESTRICT = restrict_function ] [, JOIN = join_function ]
    [, HASHES ] [, MERGES ]
)",
    },
    Command {
        name: "CREATE OPERATOR CLASS",
        page: "sql-createopclass",
        about: "define how an index method handles a data type",
        syntax: "\
CREATE OPERATOR CLASS name [ DEFAULT ] FOR TYPE type
    USING index_method [ FAMILY family ] AS member [, ...]

member:
  OPERATOR strategy op [ ( op_type, op_type ) ] [ FOR SEARCH | FOR ORDER BY sort_family ]
  FUNCTION support_number [ ( op_type [, op_type ] ) ] function ( arg_type [, ...] )
  STORAGE storage_type",
    },
    Command {
        name: "CREATE OPERATOR FAMILY",
        page: "sql-createopfamily",
        about: "define an empty group of related operator classes",
        syntax: "CREATE OPERATOR FAMILY name USING index_method",
    },
    Command {
        name: "CREATE POLICY",
        page: "sql-createpolicy",
        about: "define a row-level security policy for a table",
        syntax: "\
CREATE POLICY name ON table
    [ AS { PERMISSIVE | RESTRICTIVE } ]
    [ FOR { ALL | SELECT | INSERT | UPDATE | DELETE } ]
    [ TO { role | PUBLIC | CURRENT_ROLE | CURRENT_USER | SESSION_USER } [, ...] ]
    [ USING ( visible_if ) ]
    [ WITH CHECK ( allowed_if ) ]",
    },
    Command {
        name: "CREATE PROCEDURE",
        page: "sql-createprocedure",
        about: "define a procedure, or replace one",
        syntax: "\
CREATE [ OR REPLACE ] PROCEDURE name ( [ arg [, ...] ] ) clause [ ... ]

arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type [ { DEFAULT | = } expr ]
clause:
  LANGUAGE language
  TRANSFORM FOR TYPE type [, ...]
  [ EXTERNAL ] SECURITY { INVOKER | DEFINER }
  SET parameter { TO value | = value | FROM CURRENT }
  AS 'body'
  AS 'object_file', 'link_symbol'
  BEGIN ATOMIC statement; [ ... ] END",
    },
    Command {
        name: "CREATE PUBLICATION",
        page: "sql-createpublication",
        about: "define a set of tables whose changes are sent by logical replication",
        syntax: "\
CREATE PUBLICATION name
    [ FOR ALL TABLES | FOR published [, ...] ]
    [ WITH ( publication_parameter [ = value ] [, ...] ) ]

published:
  TABLE [ ONLY ] table [ * ] [ ( column [, ...] ) ] [ WHERE ( row_filter ) ] [, ...]
  TABLES IN SCHEMA { schema | CURRENT_SCHEMA } [, ...]",
    },
    Command {
        name: "CREATE ROLE",
        page: "sql-createrole",
        about: "create a role: a user, a group, or both",
        syntax: "\
CREATE ROLE name [ [ WITH ] attribute [ ... ] ]

attribute:
  SUPERUSER | NOSUPERUSER
  CREATEDB | NOCREATEDB
  CREATEROLE | NOCREATEROLE
  INHERIT | NOINHERIT
  LOGIN | NOLOGIN
  REPLICATION | NOREPLICATION
  BYPASSRLS | NOBYPASSRLS
  CONNECTION LIMIT max_connections
  [ ENCRYPTED ] PASSWORD 'password' | PASSWORD NULL
  VALID UNTIL 'timestamp'
  IN ROLE role [, ...]
  IN GROUP role [, ...]
  ROLE role [, ...]
  ADMIN role [, ...]
  USER role [, ...]
  SYSID number",
    },
    Command {
        name: "CREATE RULE",
        page: "sql-createrule",
        about: "define a rewrite rule that adds to or replaces commands on a table",
        syntax: "\
CREATE [ OR REPLACE ] RULE name AS ON { SELECT | INSERT | UPDATE | DELETE }
    TO table [ WHERE condition ]
    DO [ ALSO | INSTEAD ] { NOTHING | command | ( command ; command ... ) }",
    },
];
