//! `ALTER SCHEMA` to `ALTER VIEW`.

use super::Command;

/// This file's entries, in `\h` order.
pub(super) const COMMANDS: &[Command] = &[
    Command {
        name: "ALTER SCHEMA",
        page: "sql-alterschema",
        about: "rename a schema or give it a new owner",
        syntax: "\
ALTER SCHEMA name RENAME TO new_name
ALTER SCHEMA name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }",
    },
    Command {
        name: "ALTER SEQUENCE",
        page: "sql-altersequence",
        about: "change how a sequence generates numbers, or its persistence, owner, name or schema",
        syntax: "\
ALTER SEQUENCE [ IF EXISTS ] name
    [ AS type ]
    [ INCREMENT [ BY ] step ]
    [ MINVALUE min | NO MINVALUE ] [ MAXVALUE max | NO MAXVALUE ]
    [ START [ WITH ] start ]
    [ RESTART [ [ WITH ] restart ] ]
    [ CACHE how_many ] [ [ NO ] CYCLE ]
    [ OWNED BY { table.column | NONE } ]
ALTER SEQUENCE [ IF EXISTS ] name SET { LOGGED | UNLOGGED }
ALTER SEQUENCE [ IF EXISTS ] name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER SEQUENCE [ IF EXISTS ] name RENAME TO new_name
ALTER SEQUENCE [ IF EXISTS ] name SET SCHEMA schema",
    },
    Command {
        name: "ALTER SERVER",
        page: "sql-alterserver",
        about: "change a foreign server's version, options, owner or name",
        syntax: "\
ALTER SERVER name [ VERSION 'version' ] [ OPTIONS ( option_change [, ...] ) ]
ALTER SERVER name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER SERVER name RENAME TO new_name

option_change:
  [ ADD ] option 'value'
  SET option 'value'
  DROP option",
    },
    Command {
        name: "ALTER STATISTICS",
        page: "sql-alterstatistics",
        about: "change an extended statistics object's owner, name, schema or sampling target",
        syntax: "\
ALTER STATISTICS name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER STATISTICS name RENAME TO new_name
ALTER STATISTICS name SET SCHEMA schema
ALTER STATISTICS name SET STATISTICS target",
    },
    Command {
        name: "ALTER SUBSCRIPTION",
        page: "sql-altersubscription",
        about: "change a logical replication subscription's connection, publications or options",
        syntax: "\
ALTER SUBSCRIPTION name CONNECTION 'conninfo'
ALTER SUBSCRIPTION name { SET | ADD | DROP } PUBLICATION publication [, ...]
    [ WITH ( option [ = value ] [, ...] ) ]
ALTER SUBSCRIPTION name REFRESH PUBLICATION [ WITH ( option [ = value ] [, ...] ) ]
ALTER SUBSCRIPTION name { ENABLE | DISABLE }
ALTER SUBSCRIPTION name SET ( subscription_parameter [ = value ] [, ...] )
ALTER SUBSCRIPTION name SKIP ( skip_option = value )
ALTER SUBSCRIPTION name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER SUBSCRIPTION name RENAME TO new_name",
    },
    Command {
        name: "ALTER SYSTEM",
        page: "sql-altersystem",
        about: "write a server setting to postgresql.auto.conf, or remove it from there",
        syntax: "\
ALTER SYSTEM SET parameter { TO | = } { value [, ...] | DEFAULT }
ALTER SYSTEM RESET { parameter | ALL }",
    },
    Command {
        name: "ALTER TABLE",
        page: "sql-altertable",
        about: "change a table's columns, constraints, partitions, storage, name, owner or schema",
        syntax: "\
ALTER TABLE [ IF EXISTS ] [ ONLY ] name [ * ] change [, ...]
ALTER TABLE [ IF EXISTS ] [ ONLY ] name [ * ] RENAME [ COLUMN ] column TO new_column
ALTER TABLE [ IF EXISTS ] [ ONLY ] name [ * ] RENAME CONSTRAINT constraint TO new_constraint
ALTER TABLE [ IF EXISTS ] name RENAME TO new_name
ALTER TABLE [ IF EXISTS ] name SET SCHEMA schema
ALTER TABLE ALL IN TABLESPACE tablespace [ OWNED BY role [, ...] ]
    SET TABLESPACE new_tablespace [ NOWAIT ]
ALTER TABLE [ IF EXISTS ] name ATTACH PARTITION partition { FOR VALUES bound | DEFAULT }
ALTER TABLE [ IF EXISTS ] name DETACH PARTITION partition [ CONCURRENTLY | FINALIZE ]

change:
  ADD [ COLUMN ] [ IF NOT EXISTS ] column type [ COMPRESSION method ]
      [ COLLATE collation ] [ column_constraint ... ]
  DROP [ COLUMN ] [ IF EXISTS ] column [ RESTRICT | CASCADE ]
  ALTER [ COLUMN ] column column_change
  ADD table_constraint [ NOT VALID ]
  ADD [ CONSTRAINT constraint ] { UNIQUE | PRIMARY KEY } USING INDEX index [ timing ]
  ALTER CONSTRAINT constraint [ timing ]
  VALIDATE CONSTRAINT constraint
  DROP CONSTRAINT [ IF EXISTS ] constraint [ RESTRICT | CASCADE ]
  { ENABLE | DISABLE } TRIGGER [ trigger | ALL | USER ]
  ENABLE { REPLICA | ALWAYS } TRIGGER trigger
  { ENABLE | DISABLE } RULE rule
  ENABLE { REPLICA | ALWAYS } RULE rule
  { ENABLE | DISABLE | FORCE | NO FORCE } ROW LEVEL SECURITY
  CLUSTER ON index
  SET WITHOUT CLUSTER
  SET WITHOUT OIDS
  SET ACCESS METHOD access_method
  SET TABLESPACE tablespace
  SET { LOGGED | UNLOGGED }
  SET ( storage_parameter [ = value ] [, ...] )
  RESET ( storage_parameter [, ...] )
  [ NO ] INHERIT parent
  OF type
  NOT OF
  OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
  REPLICA IDENTITY { DEFAULT | USING INDEX index | FULL | NOTHING }
column_change:
  [ SET DATA ] TYPE type [ COLLATE collation ] [ USING expr ]
  SET DEFAULT expr
  DROP DEFAULT
  { SET | DROP } NOT NULL
  DROP EXPRESSION [ IF EXISTS ]
  ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [ ( sequence_option [ ... ] ) ]
  { SET GENERATED { ALWAYS | BY DEFAULT } | SET sequence_option | RESTART [ [ WITH ] n ] } [ ... ]
  DROP IDENTITY [ IF EXISTS ]
  SET STATISTICS target
  SET ( attribute_option = value [, ...] )
  RESET ( attribute_option [, ...] )
  SET STORAGE { PLAIN | EXTERNAL | EXTENDED | MAIN }
  SET COMPRESSION method
timing:
  [ DEFERRABLE | NOT DEFERRABLE ] [ INITIALLY DEFERRED | INITIALLY IMMEDIATE ]
bound:
  IN ( value [, ...] )
  FROM ( { value | MINVALUE | MAXVALUE } [, ...] ) TO ( { value | MINVALUE | MAXVALUE } [, ...] )
  WITH ( MODULUS modulus, REMAINDER remainder )
column_constraint, table_constraint:
  as in CREATE TABLE
sequence_option:
  as in ALTER SEQUENCE",
    },
    Command {
        name: "ALTER TABLESPACE",
        page: "sql-altertablespace",
        about: "rename a tablespace, give it a new owner, or tune its cost settings",
        syntax: "\
ALTER TABLESPACE name RENAME TO new_name
ALTER TABLESPACE name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER TABLESPACE name SET ( tablespace_option = value [, ...] )
ALTER TABLESPACE name RESET ( tablespace_option [, ...] )",
    },
    Command {
        name: "ALTER TEXT SEARCH CONFIGURATION",
        page: "sql-altertsconfig",
        about: "change which dictionaries a text search configuration uses, or rename or move it",
        syntax: "\
ALTER TEXT SEARCH CONFIGURATION name
    { ADD | ALTER } MAPPING FOR token_type [, ...] WITH dictionary [, ...]
ALTER TEXT SEARCH CONFIGURATION name
    ALTER MAPPING [ FOR token_type [, ...] ] REPLACE old_dictionary WITH new_dictionary
ALTER TEXT SEARCH CONFIGURATION name DROP MAPPING [ IF EXISTS ] FOR token_type [, ...]
ALTER TEXT SEARCH CONFIGURATION name RENAME TO new_name
ALTER TEXT SEARCH CONFIGURATION name
    OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER TEXT SEARCH CONFIGURATION name SET SCHEMA schema",
    },
    Command {
        name: "ALTER TEXT SEARCH DICTIONARY",
        page: "sql-altertsdictionary",
        about: "change a text search dictionary's options, name, owner or schema",
        syntax: "\
ALTER TEXT SEARCH DICTIONARY name ( option [ = value ] [, ...] )
ALTER TEXT SEARCH DICTIONARY name RENAME TO new_name
ALTER TEXT SEARCH DICTIONARY name
    OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER TEXT SEARCH DICTIONARY name SET SCHEMA schema",
    },
    Command {
        name: "ALTER TEXT SEARCH PARSER",
        page: "sql-altertsparser",
        about: "rename a text search parser or move it to another schema",
        syntax: "\
ALTER TEXT SEARCH PARSER name RENAME TO new_name
ALTER TEXT SEARCH PARSER name SET SCHEMA schema",
    },
    Command {
        name: "ALTER TEXT SEARCH TEMPLATE",
        page: "sql-altertstemplate",
        about: "rename a text search template or move it to another schema",
        syntax: "\
ALTER TEXT SEARCH TEMPLATE name RENAME TO new_name
ALTER TEXT SEARCH TEMPLATE name SET SCHEMA schema",
    },
    Command {
        name: "ALTER TRIGGER",
        page: "sql-altertrigger",
        about: "rename a trigger or tie it to an extension",
        syntax: "\
ALTER TRIGGER name ON table RENAME TO new_name
ALTER TRIGGER name ON table [ NO ] DEPENDS ON EXTENSION extension",
    },
    Command {
        name: "ALTER TYPE",
        page: "sql-altertype",
        about: "change a type's attributes, enum labels, properties, name, owner or schema",
        syntax: "\
ALTER TYPE name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER TYPE name RENAME TO new_name
ALTER TYPE name SET SCHEMA schema
ALTER TYPE name RENAME ATTRIBUTE attribute TO new_attribute [ CASCADE | RESTRICT ]
ALTER TYPE name attribute_change [, ...]
ALTER TYPE name ADD VALUE [ IF NOT EXISTS ] 'label' [ { BEFORE | AFTER } 'existing_label' ]
ALTER TYPE name RENAME VALUE 'label' TO 'new_label'
ALTER TYPE name SET ( property = value [, ...] )

attribute_change:
  ADD ATTRIBUTE attribute type [ COLLATE collation ] [ CASCADE | RESTRICT ]
  DROP ATTRIBUTE [ IF EXISTS ] attribute [ CASCADE | RESTRICT ]
  ALTER ATTRIBUTE attribute [ SET DATA ] TYPE type [ COLLATE collation ] [ CASCADE | RESTRICT ]",
    },
    Command {
        name: "ALTER USER",
        page: "sql-alteruser",
        about: "change a role's attributes, password, name or settings (same as ALTER ROLE)",
        syntax: "\
ALTER USER role [ WITH ] attribute [ ... ]
ALTER USER name RENAME TO new_name
ALTER USER { role | ALL } [ IN DATABASE database ] SET parameter { TO | = } { value | DEFAULT }
ALTER USER { role | ALL } [ IN DATABASE database ] SET parameter FROM CURRENT
ALTER USER { role | ALL } [ IN DATABASE database ] RESET { parameter | ALL }

role:
  name | CURRENT_ROLE | CURRENT_USER | SESSION_USER
attribute:
  as in ALTER ROLE",
    },
    Command {
        name: "ALTER USER MAPPING",
        page: "sql-alterusermapping",
        about: "change the options of a user mapping for a foreign server",
        syntax: "\
ALTER USER MAPPING FOR { role | USER | CURRENT_ROLE | CURRENT_USER | SESSION_USER | PUBLIC }
    SERVER server
    OPTIONS ( { [ ADD | SET ] option 'value' | DROP option } [, ...] )",
    },
    Command {
        name: "ALTER VIEW",
        page: "sql-alterview",
        about: "change a view's column defaults, options, name, owner or schema",
        syntax: "\
ALTER VIEW [ IF EXISTS ] name ALTER [ COLUMN ] column { SET DEFAULT expr | DROP DEFAULT }
ALTER VIEW [ IF EXISTS ] name OWNER TO { role | CURRENT_ROLE | CURRENT_USER | SESSION_USER }
ALTER VIEW [ IF EXISTS ] name RENAME [ COLUMN ] column TO new_column
ALTER VIEW [ IF EXISTS ] name RENAME TO new_name
ALTER VIEW [ IF EXISTS ] name SET SCHEMA schema
ALTER VIEW [ IF EXISTS ] name SET ( view_option [ = value ] [, ...] )
ALTER VIEW [ IF EXISTS ] name RESET ( view_option [, ...] )",
    },
];
