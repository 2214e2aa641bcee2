-- 38-bytea-strings: bytea_output hex/escape, standard_conforming_strings off
-- with backslash escapes, and escape_string_warning.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS i38_blobs;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE i38_blobs (id int, data bytea);
INSERT INTO i38_blobs VALUES (1, '\x00ff10'), (2, 'abc'), (3, E'\\001\\134quote''s'::bytea), (4, ''), (5, NULL);

SHOW bytea_output;
SELECT id, data FROM i38_blobs ORDER BY id;
SET bytea_output = escape;
SELECT id, data FROM i38_blobs ORDER BY id;
SELECT 'héllo'::bytea AS utf8_bytes, decode('7f80fe', 'hex') AS high_bytes;
RESET bytea_output;
SELECT convert_to('héllo', 'UTF8') AS hex_again;

SHOW standard_conforming_strings;
SHOW escape_string_warning;
SELECT 'back\slash' AS standard, E'tab\tafter' AS e_string;
SET standard_conforming_strings = off;
-- psql now treats backslashes in ordinary literals as escapes too
SELECT 'it\'s' AS escaped_quote;
SELECT 'c:\\temp\new' AS path, 'plain' AS no_backslash;
SET escape_string_warning = off;
SELECT 'it\'s quiet now' AS no_warning;
RESET escape_string_warning;
RESET standard_conforming_strings;
SELECT 'back\slash' AS standard_again;
-- a literal containing what looks like a psql variable or a semicolon
SELECT 'a;b' AS semi, 'it''s' AS doubled;
DROP TABLE i38_blobs;
