//! `CREATE SCHEMA` to `CREATE VIEW`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "CREATE SCHEMA",
        page: "sql-createschema",
        about: "create a schema, optionally with objects inside it",
        syntax: "\
CREATE SCHEMA name [ AUTHORIZATION owner ] [ element [ ... ] ]
CREATE SCHEMA AUTHORIZATION owner [ element [ ... ] ]
CREATE SCHEMA IF NOT EXISTS name [ AUTHORIZATION owner ]
CREATE SCHEMA IF NOT EXISTS AUTHORIZATION owner

owner:
  role | CURRENT_ROLE | CURRENT_USER | SESSION_USER
element:
  a CREATE TABLE, CREATE VIEW, CREATE INDEX, CREATE SEQUENCE,
  CREATE TRIGGER or GRANT command, without a terminating semicolon",
    },
    Command {
        name: "CREATE SEQUENCE",
        page: "sql-createsequence",
        about: "create a number generator",
        syntax: "\
CREATE [ { TEMPORARY | TEMP } | UNLOGGED ] SEQUENCE [ IF NOT EXISTS ] name
    [ AS type ]
    [ INCREMENT [ BY ] step ]
    [ MINVALUE min | NO MINVALUE ] [ MAXVALUE max | NO MAXVALUE ]
    [ START [ WITH ] start ] [ CACHE how_many ] [ [ NO ] CYCLE ]
    [ OWNED BY { table.column | NONE } ]",
    },
    Command {
        name: "CREATE SERVER",
        page: "sql-createserver",
        about: "define a foreign server that a foreign-data wrapper connects to",
        syntax: "\
CREATE SERVER [ IF NOT EXISTS ] name [ TYPE 'server_type' ] [ VERSION 'version' ]
    FOREIGN DATA WRAPPER wrapper
    [ OPTIONS ( option 'value' [, ...] ) ]",
    },
    Command {
        name: "CREATE STATISTICS",
        page: "sql-createstatistics",
        about: "collect statistics on several columns or on expressions of a table",
        syntax: "\
CREATE STATISTICS [ IF NOT EXISTS ] name
    ON ( expr )
    FROM table
CREATE STATISTICS [ IF NOT EXISTS ] name
    [ ( { ndistinct | dependencies | mcv } [, ...] ) ]
    ON { column | ( expr ) }, { column | ( expr ) } [, ...]
    FROM table",
    },
    Command {
        name: "CREATE SUBSCRIPTION",
        page: "sql-createsubscription",
        about: "subscribe to publications on another server through logical replication",
        syntax: "\
CREATE SUBSCRIPTION name
    CONNECTION 'conninfo'
    PUBLICATION publication [, ...]
    [ WITH ( subscription_parameter [ = value ] [, ...] ) ]",
    },
    Command {
        name: "CREATE TABLE",
        page: "sql-createtable",
        about: "create a table, possibly partitioned, typed or a partition of another",
        syntax: "\
CREATE [ persistence ] TABLE [ IF NOT EXISTS ] name ( [ element [, ...] ] )
    [ INHERITS ( parent [, ...] ) ]
    [ partitioning ] [ storage ]
CREATE [ persistence ] TABLE [ IF NOT EXISTS ] name OF type
    [ ( typed_element [, ...] ) ]
    [ partitioning ] [ storage ]
CREATE [ persistence ] TABLE [ IF NOT EXISTS ] name PARTITION OF parent
    [ ( typed_element [, ...] ) ]
    { FOR VALUES bound | DEFAULT }
    [ partitioning ] [ storage ]

persistence:
  [ GLOBAL | LOCAL ] { TEMPORARY | TEMP } | UNLOGGED
element:
  column type [ COMPRESSION method ] [ COLLATE collation ] [ column_constraint ... ]
  table_constraint
  LIKE source_table [ { INCLUDING | EXCLUDING } like_part ... ]
typed_element:
  column [ WITH OPTIONS ] [ column_constraint ... ]
  table_constraint
partitioning:
  PARTITION BY { RANGE | LIST | HASH }
      ( { column | ( expr ) } [ COLLATE collation ] [ opclass ] [, ...] )
storage:
  [ USING access_method ]
  [ WITH ( storage_parameter [ = value ] [, ...] ) | WITHOUT OIDS ]
  [ ON COMMIT { PRESERVE ROWS | DELETE ROWS | DROP } ]
  [ TABLESPACE tablespace ]
like_part:
  COMMENTS | COMPRESSION | CONSTRAINTS | DEFAULTS | GENERATED | IDENTITY
  INDEXES | STATISTICS | STORAGE | ALL
column_constraint:
  [ CONSTRAINT constraint ] column_rule [ timing ]
column_rule:
  NOT NULL | NULL
  CHECK ( expr ) [ NO INHERIT ]
  DEFAULT expr
  GENERATED ALWAYS AS ( expr ) STORED
  GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [ ( sequence_option [ ... ] ) ]
  UNIQUE [ NULLS [ NOT ] DISTINCT ] [ index_storage ]
  PRIMARY KEY [ index_storage ]
  REFERENCES other_table [ ( other_column ) ] [ match ] [ on_change ... ]
table_constraint:
  [ CONSTRAINT constraint ] table_rule [ timing ]
table_rule:
  CHECK ( expr ) [ NO INHERIT ]
  UNIQUE [ NULLS [ NOT ] DISTINCT ] ( column [, ...] ) [ index_options ]
  PRIMARY KEY ( column [, ...] ) [ index_options ]
  EXCLUDE [ USING index_method ] ( exclude_element WITH op [, ...] )
      [ index_options ] [ WHERE ( predicate ) ]
  FOREIGN KEY ( column [, ...] ) REFERENCES other_table [ ( other_column [, ...] ) ]
      [ match ] [ on_change ... ]
index_options:
  [ INCLUDE ( column [, ...] ) ] [ index_storage ]
index_storage:
  [ WITH ( storage_parameter [ = value ] [, ...] ) ] [ USING INDEX TABLESPACE tablespace ]
exclude_element:
  { column | ( expr ) } [ opclass ] [ ASC | DESC ] [ NULLS { FIRST | LAST } ]
match:
  MATCH { FULL | PARTIAL | SIMPLE }
on_change:
  ON { DELETE | UPDATE } { NO ACTION | RESTRICT | CASCADE
      | SET NULL [ ( column [, ...] ) ] | SET DEFAULT [ ( column [, ...] ) ] }
timing:
  [ DEFERRABLE | NOT DEFERRABLE ] [ INITIALLY DEFERRED | INITIALLY IMMEDIATE ]
bound:
  IN ( value [, ...] )
  FROM ( { value | MINVALUE | MAXVALUE } [, ...] ) TO ( { value | MINVALUE | MAXVALUE } [, ...] )
  WITH ( MODULUS modulus, REMAINDER remainder )
sequence_option:
  as in CREATE SEQUENCE",
    },
    Command {
        name: "CREATE TABLE AS",
        page: "sql-createtableas",
        about: "create a table and fill it with the result of a query",
        syntax: "\
CREATE [ [ GLOBAL | LOCAL ] { TEMPORARY | TEMP } | UNLOGGED ] TABLE [ IF NOT EXISTS ] name
    [ ( column [, ...] ) ]
    [ USING access_method ]
    [ WITH ( storage_parameter [ = value ] [, ...] ) | WITHOUT OIDS ]
    [ ON COMMIT { PRESERVE ROWS | DELETE ROWS | DROP } ]
    [ TABLESPACE tablespace ]
    AS query
    [ WITH [ NO ] DATA ]",
    },
    Command {
        name: "CREATE TABLESPACE",
        page: "sql-createtablespace",
        about: "define a directory where the server may store database files",
        syntax: "\
CREATE TABLESPACE name
    [ OWNER { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER } ]
    LOCATION 'directory'
    [ WITH ( tablespace_option = value [, ...] ) ]",
    },
    Command {
        name: "CREATE TEXT SEARCH CONFIGURATION",
        page: "sql-createtsconfig",
        about: "define a text search configuration from a parser or an existing configuration",
        syntax: "\
CREATE TEXT SEARCH CONFIGURATION name ( PARSER = parser )
CREATE TEXT SEARCH CONFIGURATION name ( COPY = source_configuration )",
    },
    Command {
        name: "CREATE TEXT SEARCH DICTIONARY",
        page: "sql-createtsdictionary",
        about: "define a text search dictionary from a template and options",
        syntax: "\
CREATE TEXT SEARCH DICTIONARY name (
    TEMPLATE = template
    [, option = value [, ...] ]
)",
    },
    Command {
        name: "CREATE TEXT SEARCH PARSER",
        page: "sql-createtsparser",
        about: "define a text search parser from its functions",
        syntax: "\
CREATE TEXT SEARCH PARSER name (
    START = start_function,
    GETTOKEN = gettoken_function,
    END = end_function,
    LEXTYPES = lextypes_function
    [, HEADLINE = headline_function ]
)",
    },
    Command {
        name: "CREATE TEXT SEARCH TEMPLATE",
        page: "sql-createtstemplate",
        about: "define a text search template from its functions",
        syntax: "\
CREATE TEXT SEARCH TEMPLATE name (
    [ INIT = init_function, ]
    LEXIZE = lexize_function
)",
    },
    Command {
        name: "CREATE TRANSFORM",
        page: "sql-createtransform",
        about: "define how a procedural language converts a data type",
        syntax: "\
CREATE [ OR REPLACE ] TRANSFORM FOR type LANGUAGE language ( conversion [, conversion ] )

conversion:
  FROM SQL WITH FUNCTION function [ ( arg_type [, ...] ) ]
  TO SQL WITH FUNCTION function [ ( arg_type [, ...] ) ]",
    },
    Command {
        name: "CREATE TRIGGER",
        page: "sql-createtrigger",
        about: "run a function before, after or instead of changes to a table or view",
        syntax: "\
CREATE [ OR REPLACE ] [ CONSTRAINT ] TRIGGER name
    { BEFORE | AFTER | INSTEAD OF } event [ OR ... ]
    ON table
    [ FROM referenced_table ]
    [ NOT DEFERRABLE | [ DEFERRABLE ] [ INITIALLY IMMEDIATE | INITIALLY DEFERRED ] ]
    [ REFERENCING { OLD | NEW } TABLE [ AS ] transition_name [ ... ] ]
    [ FOR [ EACH ] { ROW | STATEMENT } ]
    [ WHEN ( condition ) ]
    EXECUTE { FUNCTION | PROCEDURE } function ( [ argument [, ...] ] )

event:
  INSERT
  UPDATE [ OF column [, ...] ]
  DELETE
  TRUNCATE",
    },
    Command {
        name: "CREATE TYPE",
        page: "sql-createtype",
        about: "define a composite, enum, range, base or shell data type",
        syntax: "\
CREATE TYPE name AS ( [ attribute type [ COLLATE collation ] [, ...] ] )
CREATE TYPE name AS ENUM ( [ 'label' [, ...] ] )
CREATE TYPE name AS RANGE ( SUBTYPE = subtype [, range_option ...] )
CREATE TYPE name ( INPUT = function, OUTPUT = function [, base_option ...] )
CREATE TYPE name

range_option:
  SUBTYPE_OPCLASS = opclass
  COLLATION = collation
  CANONICAL = function
  SUBTYPE_DIFF = function
  MULTIRANGE_TYPE_NAME = name
base_option:
  RECEIVE = function
  SEND = function
  TYPMOD_IN = function
  TYPMOD_OUT = function
  ANALYZE = function
  SUBSCRIPT = function
  INTERNALLENGTH = { bytes | VARIABLE }
  PASSEDBYVALUE
  ALIGNMENT = { char | int2 | int4 | double }
  STORAGE = { plain | external | extended | main }
  LIKE = type
  CATEGORY = 'letter'
  PREFERRED = boolean
  DEFAULT = value
  ELEMENT = type
  DELIMITER = 'character'
  COLLATABLE = boolean",
    },
    Command {
        name: "CREATE USER",
        page: "sql-createuser",
        about: "create a role that can log in (CREATE ROLE with LOGIN)",
        syntax: "\
CREATE USER name [ [ WITH ] attribute [ ... ] ]

attribute:
  as in CREATE ROLE",
    },
    Command {
        name: "CREATE USER MAPPING",
        page: "sql-createusermapping",
        about: "tell a foreign server how a local role connects to it",
        syntax: "\
CREATE USER MAPPING [ IF NOT EXISTS ]
    FOR { role | USER | CURRENT_ROLE | CURRENT_USER | SESSION_USER | PUBLIC }
    SERVER server
    [ OPTIONS ( option 'value' [, ...] ) ]",
    },
    Command {
        name: "CREATE VIEW",
        page: "sql-createview",
        about: "define a named query that can be used like a table",
        syntax: "\
CREATE [ OR REPLACE ] [ TEMP | TEMPORARY ] [ RECURSIVE ] VIEW name [ ( column [, ...] ) ]
    [ WITH ( view_option [ = value ] [, ...] ) ]
    AS query
    [ WITH [ CASCADED | LOCAL ] CHECK OPTION ]",
    },
];
