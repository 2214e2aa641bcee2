//! `CREATE ACCESS METHOD` to `CREATE FUNCTION`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "CREATE ACCESS METHOD",
        page: "sql-create-access-method",
        about: "register a table or index access method by its handler function",
        syntax: "CREATE ACCESS METHOD name TYPE { TABLE | INDEX } HANDLER handler_function",
    },
    Command {
        name: "CREATE AGGREGATE",
        page: "sql-createaggregate",
        about: "define an aggregate function from a state transition function",
        syntax: "\
CREATE [ OR REPLACE ] AGGREGATE name ( arg [, ...] )
    ( SFUNC = function, STYPE = state_type [, attribute ...] )
CREATE [ OR REPLACE ] AGGREGATE name ( [ arg [, ...] ] ORDER BY arg [, ...] )
    ( SFUNC = function, STYPE = state_type [, ordered_attribute ...] [, HYPOTHETICAL ] )
CREATE [ OR REPLACE ] AGGREGATE name
    ( BASETYPE = input_type, SFUNC = function, STYPE = state_type [, attribute ...] )

arg:
  [ IN | VARIADIC ] [ arg_name ] type
ordered_attribute:
  SSPACE = bytes
  FINALFUNC = function
  FINALFUNC_EXTRA
  FINALFUNC_MODIFY = { READ_ONLY | SHAREABLE | READ_WRITE }
  INITCOND = initial_state
  PARALLEL = { SAFE | RESTRICTED | UNSAFE }
attribute:
  any ordered_attribute
  COMBINEFUNC = function
  SERIALFUNC = function
  DESERIALFUNC = function
  MSFUNC = function
  MINVFUNC = function
  MSTYPE = state_type
  MSSPACE = bytes
  MFINALFUNC = function
  MFINALFUNC_EXTRA
  MFINALFUNC_MODIFY = { READ_ONLY | SHAREABLE | READ_WRITE }
  MINITCOND = initial_state
  SORTOP = operator",
    },
    Command {
        name: "CREATE CAST",
        page: "sql-createcast",
        about: "define how values of one data type convert to another",
        syntax: "\
CREATE CAST ( source_type AS target_type )
    WITH FUNCTION function [ ( arg_type [, ...] ) ] [ AS ASSIGNMENT | AS IMPLICIT ]
CREATE CAST ( source_type AS target_type )
    WITHOUT FUNCTION [ AS ASSIGNMENT | AS IMPLICIT ]
CREATE CAST ( source_type AS target_type )
    WITH INOUT [ AS ASSIGNMENT | AS IMPLICIT ]",
    },
    Command {
        name: "CREATE COLLATION",
        page: "sql-createcollation",
        about: "define a collation from locale settings or by copying another",
        syntax: "\
CREATE COLLATION [ IF NOT EXISTS ] name ( setting [, ...] )
CREATE COLLATION [ IF NOT EXISTS ] name FROM existing_collation

setting:
  LOCALE = locale
  LC_COLLATE = locale
  LC_CTYPE = locale
  PROVIDER = { icu | libc }
  DETERMINISTIC = boolean
  VERSION = version",
    },
    Command {
        name: "CREATE CONVERSION",
        page: "sql-createconversion",
        about: "define a conversion between two character set encodings",
        syntax: "\
CREATE [ DEFAULT ] CONVERSION name
    FOR 'source_encoding' TO 'target_encoding' FROM function",
    },
    Command {
        name: "CREATE DATABASE",
        page: "sql-createdatabase",
        about: "create a database by copying a template",
        syntax: "\
CREATE DATABASE name [ [ WITH ] setting [ ... ] ]

setting:
  OWNER [=] role
  TEMPLATE [=] template
  ENCODING [=] encoding
  STRATEGY [=] { wal_log | file_copy }
  LOCALE [=] locale
  LC_COLLATE [=] locale
  LC_CTYPE [=] locale
  ICU_LOCALE [=] locale
  LOCALE_PROVIDER [=] { icu | libc }
  COLLATION_VERSION = version
  TABLESPACE [=] tablespace
  ALLOW_CONNECTIONS [=] boolean
  CONNECTION LIMIT [=] max_connections
  IS_TEMPLATE [=] boolean
  OID [=] oid",
    },
    Command {
        name: "CREATE DOMAIN",
        page: "sql-createdomain",
        about: "define a data type that is a base type with constraints",
        syntax: "\
CREATE DOMAIN name [ AS ] type
    [ COLLATE collation ]
    [ DEFAULT expr ]
    [ constraint [ ... ] ]

constraint:
  [ CONSTRAINT constraint_name ] { NOT NULL | NULL | CHECK ( expr ) }",
    },
    Command {
        name: "CREATE EVENT TRIGGER",
        page: "sql-createeventtrigger",
        about: "run a function when DDL commands start, end or drop objects",
        syntax: "\
CREATE EVENT TRIGGER name
    ON { ddl_command_start | ddl_command_end | sql_drop | table_rewrite }
    [ WHEN TAG IN ( 'command_tag' [, ...] ) ]
    EXECUTE { FUNCTION | PROCEDURE } function ()",
    },
    Command {
        name: "CREATE EXTENSION",
        page: "sql-createextension",
        about: "install an extension into the current database",
        syntax: "\
CREATE EXTENSION [ IF NOT EXISTS ] name
    [ WITH ] [ SCHEMA schema ] [ VERSION version ] [ CASCADE ]",
    },
    Command {
        name: "CREATE FOREIGN DATA WRAPPER",
        page: "sql-createforeigndatawrapper",
        about: "register a foreign-data wrapper",
        syntax: "\
CREATE FOREIGN DATA WRAPPER name
    [ HANDLER function | NO HANDLER ]
    [ VALIDATOR function | NO VALIDATOR ]
    [ OPTIONS ( option 'value' [, ...] ) ]",
    },
    Command {
        name: "CREATE FOREIGN TABLE",
        page: "sql-createforeigntable",
        about: "define a table whose rows live on a foreign server",
        syntax: "\
CREATE FOREIGN TABLE [ IF NOT EXISTS ] name ( [ element [, ...] ] )
    [ INHERITS ( parent [, ...] ) ]
    SERVER server
    [ OPTIONS ( option 'value' [, ...] ) ]
CREATE FOREIGN TABLE [ IF NOT EXISTS ] name PARTITION OF parent
    [ ( partition_element [, ...] ) ]
    { FOR VALUES bound | DEFAULT }
    SERVER server
    [ OPTIONS ( option 'value' [, ...] ) ]

element:
  column type [ OPTIONS ( option 'value' [, ...] ) ] [ COLLATE collation ]
      [ column_constraint ... ]
  table_constraint
partition_element:
  column [ WITH OPTIONS ] [ column_constraint ... ]
  table_constraint
column_constraint:
  [ CONSTRAINT constraint ]
  { NOT NULL | NULL | CHECK ( expr ) [ NO INHERIT ] | DEFAULT expr
  | GENERATED ALWAYS AS ( expr ) STORED }
table_constraint:
  [ CONSTRAINT constraint ] CHECK ( expr ) [ NO INHERIT ]
bound:
  IN ( value [, ...] )
  FROM ( { value | MINVALUE | MAXVALUE } [, ...] ) TO ( { value | MINVALUE | MAXVALUE } [, ...] )
  WITH ( MODULUS modulus, REMAINDER remainder )",
    },
    Command {
        name: "CREATE FUNCTION",
        page: "sql-createfunction",
        about: "define a function, or replace one",
        syntax: "\
CREATE [ OR REPLACE ] FUNCTION name ( [ arg [, ...] ] )
    [ RETURNS type | RETURNS TABLE ( column type [, ...] ) ]
    clause [ ... ]

arg:
  [ IN | OUT | INOUT | VARIADIC ] [ arg_name ] type [ { DEFAULT | = } expr ]
clause:
  LANGUAGE language
  TRANSFORM FOR TYPE type [, ...]
  WINDOW
  IMMUTABLE | STABLE | VOLATILE
  [ NOT ] LEAKPROOF
  CALLED ON NULL INPUT | RETURNS NULL ON NULL INPUT | STRICT
  [ EXTERNAL ] SECURITY { INVOKER | DEFINER }
  PARALLEL { UNSAFE | RESTRICTED | SAFE }
  COST cost
  ROWS rows
  SUPPORT support_function
  SET parameter { TO value | = value | FROM CURRENT }
  AS 'body'
  AS 'object_file', 'link_symbol'
  RETURN expr
  BEGIN ATOMIC statement; [ ... ] END",
    },
];
