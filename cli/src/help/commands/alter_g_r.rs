//! `ALTER GROUP` to `ALTER RULE`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "ALTER GROUP",
        page: "sql-altergroup",
        about: "add members to a role, remove them, or rename it (old spelling of ALTER ROLE)",
        syntax: "\
ALTER GROUP group { ADD | DROP } USER role [, ...]
ALTER GROUP group RENAME TO new_name

group:
  name | CURRENT_ROLE | CURRENT_USER | SESSION_USER",
    },
    Command {
        name: "ALTER INDEX",
        page: "sql-alterindex",
        about: "rename an index, move it, tune its storage, or attach it to a partitioned index",
        syntax: "\
ALTER INDEX [ IF EXISTS ] name RENAME TO new_name
ALTER INDEX [ IF EXISTS ] name SET TABLESPACE tablespace
ALTER INDEX name ATTACH PARTITION partition_index
ALTER INDEX name [ NO ] DEPENDS ON EXTENSION extension
ALTER INDEX [ IF EXISTS ] name SET ( storage_parameter [ = value ] [, ...] )
ALTER INDEX [ IF EXISTS ] name RESET ( storage_parameter [, ...] )
ALTER INDEX [ IF EXISTS ] name ALTER [ COLUMN ] column_number SET STATISTICS target
ALTER INDEX ALL IN TABLESPACE tablespace [ OWNED BY role [, ...] ]
    SET TABLESPACE new_tablespace [ NOWAIT ]",
    },
    Command {
        name: "ALTER LANGUAGE",
        page: "sql-alterlanguage",
        about: "rename a procedural language or give it a new owner",
        syntax: "\
ALTER [ PROCEDURAL ] LANGUAGE name RENAME TO new_name
ALTER [ PROCEDURAL ] LANGUAGE name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }",
    },
    Command {
        name: "ALTER LARGE OBJECT",
        page: "sql-alterlargeobject",
        about: "give a large object a new owner",
        syntax: "\
ALTER LARGE OBJECT oid OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }",
    },
    Command {
        name: "ALTER MATERIALIZED VIEW",
        page: "sql-altermaterializedview",
        about: "change a materialized view's storage, columns, name, owner or schema",
        syntax: "\
ALTER MATERIALIZED VIEW [ IF EXISTS ] name change [, ...]
ALTER MATERIALIZED VIEW name [ NO ] DEPENDS ON EXTENSION extension
ALTER MATERIALIZED VIEW [ IF EXISTS ] name RENAME [ COLUMN ] column TO new_column
ALTER MATERIALIZED VIEW [ IF EXISTS ] name RENAME TO new_name
ALTER MATERIALIZED VIEW [ IF EXISTS ] name SET SCHEMA schema
ALTER MATERIALIZED VIEW ALL IN TABLESPACE tablespace [ OWNED BY role [, ...] ]
    SET TABLESPACE new_tablespace [ NOWAIT ]

change:
  ALTER [ COLUMN ] column SET STATISTICS target
  ALTER [ COLUMN ] column SET ( attribute_option = value [, ...] )
  ALTER [ COLUMN ] column RESET ( attribute_option [, ...] )
  ALTER [ COLUMN ] column SET STORAGE { PLAIN | EXTERNAL | EXTENDED | MAIN }
  ALTER [ COLUMN ] column SET COMPRESSION method
  CLUSTER ON index
  SET WITHOUT CLUSTER
  SET ACCESS METHOD access_method
  SET TABLESPACE tablespace
  SET ( storage_parameter [ = value ] [, ...] )
  RESET ( storage_parameter [, ...] )
  OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }",
    },
    Command {
        name: "ALTER OPERATOR",
        page: "sql-alteroperator",
        about: "change an operator's owner, schema, or selectivity estimators",
        syntax: "\
ALTER OPERATOR op ( { left_type | NONE }, right_type )
    OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER OPERATOR op ( { left_type | NONE }, right_type ) SET SCHEMA schema
ALTER OPERATOR op ( { left_type | NONE }, right_type )
    SET ( { RESTRICT = { function | NONE } | JOIN = { function | NONE } } [, ...] )",
    },
    Command {
        name: "ALTER OPERATOR CLASS",
        page: "sql-alteropclass",
        about: "rename an operator class, or change its owner or schema",
        syntax: "\
ALTER OPERATOR CLASS name USING index_method RENAME TO new_name
ALTER OPERATOR CLASS name USING index_method
    OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER OPERATOR CLASS name USING index_method SET SCHEMA schema",
    },
    Command {
        name: "ALTER OPERATOR FAMILY",
        page: "sql-alteropfamily",
        about: "add operators and support functions to an operator family, remove them, or rename or move it",
        syntax: "\
ALTER OPERATOR FAMILY name USING index_method ADD member [, ...]
ALTER OPERATOR FAMILY name USING index_method DROP
    { OPERATOR strategy ( op_type [, op_type ] )
    | FUNCTION support_number ( op_type [, op_type ] ) } [, ...]
ALTER OPERATOR FAMILY name USING index_method RENAME TO new_name
ALTER OPERATOR FAMILY name USING index_method
    OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER OPERATOR FAMILY name USING index_method SET SCHEMA schema

member:
  OPERATOR strategy op ( op_type, op_type ) [ FOR SEARCH | FOR ORDER BY sort_family ]
  FUNCTION support_number [ ( op_type [, op_type ] ) ] function [ ( arg_type [, ...] ) ]",
    },
    Command {
        name: "ALTER POLICY",
        page: "sql-alterpolicy",
        about: "rename a row-level security policy or change whom and what it covers",
        syntax: "\
ALTER POLICY name ON table RENAME TO new_name
ALTER POLICY name ON table
    [ TO { role | PUBLIC | CURRENT_ROLE | CURRENT_USER | SESSION_USER } [, ...] ]
    [ USING ( visible_if ) ]
    [ WITH CHECK ( allowed_if ) ]",
    },
    Command {
        name: "ALTER PROCEDURE",
        page: "sql-alterprocedure",
        about: "change a procedure's properties, name, owner, schema or extension dependency",
        syntax: "\
ALTER PROCEDURE name [ ( [ arg [, ...] ] ) ] property [ ... ] [ RESTRICT ]
ALTER PROCEDURE name [ ( [ arg [, ...] ] ) ] RENAME TO new_name
ALTER PROCEDURE name [ ( [ arg [, ...] ] ) ] OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER PROCEDURE name [ ( [ arg [, ...] ] ) ] SET SCHEMA schema
ALTER PROCEDURE name [ ( [ arg [, ...] ] ) ] [ NO ] DEPENDS ON EXTENSION extension

arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type
property:
  [ EXTERNAL ] SECURITY { INVOKER | DEFINER }
  SET parameter { TO | = } { value | DEFAULT }
  SET parameter FROM CURRENT
  RESET { parameter | ALL }",
    },
    Command {
        name: "ALTER PUBLICATION",
        page: "sql-alterpublication",
        about: "change which tables a publication carries, its options, name or owner",
        syntax: "\
ALTER PUBLICATION name { ADD | SET | DROP } published [, ...]
ALTER PUBLICATION name SET ( publication_parameter [ = value ] [, ...] )
ALTER PUBLICATION name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER PUBLICATION name RENAME TO new_name

published:
  TABLE [ ONLY ] table [ * ] [ ( column [, ...] ) ] [ WHERE ( row_filter ) ] [, ...]
  TABLES IN SCHEMA { schema | CURRENT_SCHEMA } [, ...]",
    },
    Command {
        name: "ALTER ROLE",
        page: "sql-alterrole",
        about: "change a role's attributes, password, name or per-database settings",
        syntax: "\
ALTER ROLE role [ WITH ] attribute [ ... ]
ALTER ROLE name RENAME TO new_name
ALTER ROLE { role | ALL } [ IN DATABASE database ] SET parameter { TO | = } { value | DEFAULT }
ALTER ROLE { role | ALL } [ IN DATABASE database ] SET parameter FROM CURRENT
ALTER ROLE { role | ALL } [ IN DATABASE database ] RESET { parameter | ALL }

role:
  name | CURRENT_ROLE | CURRENT_USER | SESSION_USER
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
  VALID UNTIL 'timestamp'",
    },
    Command {
        name: "ALTER ROUTINE",
        page: "sql-alterroutine",
        about: "change a function's or procedure's properties, name, owner or schema",
        syntax: "\
ALTER ROUTINE name [ ( [ arg [, ...] ] ) ] property [ ... ] [ RESTRICT ]
ALTER ROUTINE name [ ( [ arg [, ...] ] ) ] RENAME TO new_name
ALTER ROUTINE name [ ( [ arg [, ...] ] ) ] OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER ROUTINE name [ ( [ arg [, ...] ] ) ] SET SCHEMA schema
ALTER ROUTINE name [ ( [ arg [, ...] ] ) ] [ NO ] DEPENDS ON EXTENSION extension

arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type
property:
  IMMUTABLE | STABLE | VOLATILE
  [ NOT ] LEAKPROOF
  [ EXTERNAL ] SECURITY { INVOKER | DEFINER }
  PARALLEL { UNSAFE | RESTRICTED | SAFE }
  COST cost
  ROWS rows
  SET parameter { TO | = } { value | DEFAULT }
  SET parameter FROM CURRENT
  RESET { parameter | ALL }",
    },
    Command {
        name: "ALTER RULE",
        page: "sql-alterrule",
        about: "rename a rewrite rule",
        syntax: "ALTER RULE name ON table RENAME TO new_name",
    },
];
