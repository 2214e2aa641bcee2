//! `ABORT`, and `ALTER AGGREGATE` to `ALTER FUNCTION`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "ABORT",
        page: "sql-abort",
        about: "roll back the transaction in progress",
        syntax: "ABORT [ WORK | TRANSACTION ] [ AND [ NO ] CHAIN ]",
    },
    Command {
        name: "ALTER AGGREGATE",
        page: "sql-alteraggregate",
        about: "rename an aggregate function, or change its owner or schema",
        syntax: "\
ALTER AGGREGATE name ( agg_args ) RENAME TO new_name
ALTER AGGREGATE name ( agg_args ) OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER AGGREGATE name ( agg_args ) SET SCHEMA schema

agg_args:
  *
  arg [, ...]
  [ arg [, ...] ] ORDER BY arg [, ...]
arg:
  [ IN | VARIADIC ] [ arg_name ] type",
    },
    Command {
        name: "ALTER COLLATION",
        page: "sql-altercollation",
        about: "rename a collation, change its owner or schema, or record its new version",
        syntax: "\
ALTER COLLATION name REFRESH VERSION
ALTER COLLATION name RENAME TO new_name
ALTER COLLATION name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER COLLATION name SET SCHEMA schema",
    },
    Command {
        name: "ALTER CONVERSION",
        page: "sql-alterconversion",
        about: "rename an encoding conversion, or change its owner or schema",
        syntax: "\
ALTER CONVERSION name RENAME TO new_name
ALTER CONVERSION name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER CONVERSION name SET SCHEMA schema",
    },
    Command {
        name: "ALTER DATABASE",
        page: "sql-alterdatabase",
        about: "change a database's name, owner, tablespace, limits or default settings",
        syntax: "\
ALTER DATABASE name [ WITH ] db_option [ ... ]
ALTER DATABASE name RENAME TO new_name
ALTER DATABASE name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER DATABASE name SET TABLESPACE tablespace
ALTER DATABASE name REFRESH COLLATION VERSION
ALTER DATABASE name SET parameter { TO | = } { value | DEFAULT }
ALTER DATABASE name SET parameter FROM CURRENT
ALTER DATABASE name RESET { parameter | ALL }

db_option:
  ALLOW_CONNECTIONS boolean
  CONNECTION LIMIT max_connections
  IS_TEMPLATE boolean",
    },
    Command {
        name: "ALTER DEFAULT PRIVILEGES",
        page: "sql-alterdefaultprivileges",
        about: "choose the privileges that objects created later will carry",
        syntax: "\
ALTER DEFAULT PRIVILEGES
    [ FOR { ROLE | USER } creator [, ...] ]
    [ IN SCHEMA schema [, ...] ]
    change

change:
  GRANT privileges ON kind TO grantee [, ...] [ WITH GRANT OPTION ]
  REVOKE [ GRANT OPTION FOR ] privileges ON kind
      FROM grantee [, ...] [ CASCADE | RESTRICT ]
privileges:
  privilege [, ...]
  ALL [ PRIVILEGES ]
kind, and the privileges that fit it:
  TABLES                    SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER
  SEQUENCES                 USAGE, SELECT, UPDATE
  { FUNCTIONS | ROUTINES }  EXECUTE
  TYPES                     USAGE
  SCHEMAS                   USAGE, CREATE
grantee:
  [ GROUP ] role
  PUBLIC",
    },
    Command {
        name: "ALTER DOMAIN",
        page: "sql-alterdomain",
        about: "change a domain's default, constraints, name, owner or schema",
        syntax: "\
ALTER DOMAIN name { SET DEFAULT expr | DROP DEFAULT }
ALTER DOMAIN name { SET | DROP } NOT NULL
ALTER DOMAIN name ADD [ CONSTRAINT constraint ] CHECK ( expr ) [ NOT VALID ]
ALTER DOMAIN name DROP CONSTRAINT [ IF EXISTS ] constraint [ RESTRICT | CASCADE ]
ALTER DOMAIN name RENAME CONSTRAINT constraint TO new_constraint
ALTER DOMAIN name VALIDATE CONSTRAINT constraint
ALTER DOMAIN name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER DOMAIN name RENAME TO new_name
ALTER DOMAIN name SET SCHEMA schema",
    },
    Command {
        name: "ALTER EVENT TRIGGER",
        page: "sql-altereventtrigger",
        about: "enable, disable, rename or reassign an event trigger",
        syntax: "\
ALTER EVENT TRIGGER name DISABLE
ALTER EVENT TRIGGER name ENABLE [ REPLICA | ALWAYS ]
ALTER EVENT TRIGGER name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER EVENT TRIGGER name RENAME TO new_name",
    },
    Command {
        name: "ALTER EXTENSION",
        page: "sql-alterextension",
        about: "upgrade an extension, move it to another schema, or add or remove a member object",
        syntax: "\
ALTER EXTENSION name UPDATE [ TO version ]
ALTER EXTENSION name SET SCHEMA schema
ALTER EXTENSION name { ADD | DROP } member

member:
  object_kind object
  { FUNCTION | PROCEDURE | ROUTINE } name [ ( [ arg [, ...] ] ) ]
  AGGREGATE name ( agg_args )
  CAST ( source_type AS target_type )
  OPERATOR op ( { left_type | NONE }, right_type )
  OPERATOR { CLASS | FAMILY } name USING index_method
  TRANSFORM FOR type LANGUAGE language
object_kind:
  ACCESS METHOD | COLLATION | CONVERSION | DOMAIN | EVENT TRIGGER
  FOREIGN DATA WRAPPER | FOREIGN TABLE | [ PROCEDURAL ] LANGUAGE
  MATERIALIZED VIEW | SCHEMA | SEQUENCE | SERVER | TABLE | TYPE | VIEW
  TEXT SEARCH { CONFIGURATION | DICTIONARY | PARSER | TEMPLATE }
arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type
agg_args:
  * | arg [, ...] | [ arg [, ...] ] ORDER BY arg [, ...]",
    },
    Command {
        name: "ALTER FOREIGN DATA WRAPPER",
        page: "sql-alterforeigndatawrapper",
        about: "change a foreign-data wrapper's functions, options, name or owner",
        syntax: "\
ALTER FOREIGN DATA WRAPPER name
    [ HANDLER function | NO HANDLER ]
    [ VALIDATOR function | NO VALIDATOR ]
    [ OPTIONS ( option_change [, ...] ) ]
ALTER FOREIGN DATA WRAPPER name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER FOREIGN DATA WRAPPER name RENAME TO new_name

option_change:
  [ ADD ] option 'value'
  SET option 'value'
  DROP option",
    },
    Command {
        name: "ALTER FOREIGN TABLE",
        page: "sql-alterforeigntable",
        about: "change the columns, constraints, options or ownership of a foreign table",
        syntax: "\
ALTER FOREIGN TABLE [ IF EXISTS ] [ ONLY ] name [ * ] change [, ...]
ALTER FOREIGN TABLE [ IF EXISTS ] [ ONLY ] name [ * ] RENAME [ COLUMN ] column TO new_column
ALTER FOREIGN TABLE [ IF EXISTS ] name RENAME TO new_name
ALTER FOREIGN TABLE [ IF EXISTS ] name SET SCHEMA schema

change:
  ADD [ COLUMN ] [ IF NOT EXISTS ] column type [ COLLATE collation ] [ column_constraint ... ]
  DROP [ COLUMN ] [ IF EXISTS ] column [ RESTRICT | CASCADE ]
  ALTER [ COLUMN ] column column_change
  ADD [ CONSTRAINT constraint ] CHECK ( expr ) [ NO INHERIT ] [ NOT VALID ]
  VALIDATE CONSTRAINT constraint
  DROP CONSTRAINT [ IF EXISTS ] constraint [ RESTRICT | CASCADE ]
  { ENABLE | DISABLE } TRIGGER [ trigger | ALL | USER ]
  ENABLE { REPLICA | ALWAYS } TRIGGER trigger
  SET WITHOUT OIDS
  [ NO ] INHERIT parent
  OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
  OPTIONS ( option_change [, ...] )
column_change:
  [ SET DATA ] TYPE type [ COLLATE collation ]
  SET DEFAULT expr | DROP DEFAULT
  { SET | DROP } NOT NULL
  SET STATISTICS target
  SET ( attribute_option = value [, ...] ) | RESET ( attribute_option [, ...] )
  SET STORAGE { PLAIN | EXTERNAL | EXTENDED | MAIN }
  OPTIONS ( option_change [, ...] )
column_constraint:
  [ CONSTRAINT constraint ] { NOT NULL | NULL | CHECK ( expr ) [ NO INHERIT ]
      | DEFAULT expr | GENERATED ALWAYS AS ( expr ) STORED }
option_change:
  [ ADD | SET ] option 'value' | DROP option",
    },
    Command {
        name: "ALTER FUNCTION",
        page: "sql-alterfunction",
        about: "change a function's properties, name, owner, schema or extension dependency",
        syntax: "\
ALTER FUNCTION name [ ( [ arg [, ...] ] ) ] property [ ... ] [ RESTRICT ]
ALTER FUNCTION name [ ( [ arg [, ...] ] ) ] RENAME TO new_name
ALTER FUNCTION name [ ( [ arg [, ...] ] ) ] OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER FUNCTION name [ ( [ arg [, ...] ] ) ] SET SCHEMA schema
ALTER FUNCTION name [ ( [ arg [, ...] ] ) ] [ NO ] DEPENDS ON EXTENSION extension

arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type
property:
  CALLED ON NULL INPUT | RETURNS NULL ON NULL INPUT | STRICT
  IMMUTABLE | STABLE | VOLATILE
  [ NOT ] LEAKPROOF
  [ EXTERNAL ] SECURITY { INVOKER | DEFINER }
  PARALLEL { UNSAFE | RESTRICTED | SAFE }
  COST cost
  ROWS rows
  SUPPORT support_function
  SET parameter { TO | = } { value | DEFAULT }
  SET parameter FROM CURRENT
  RESET { parameter | ALL }",
    },
];
