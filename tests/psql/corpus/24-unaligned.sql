-- 24-unaligned: \a, \f, fieldsep, recordsep and their _zero forms.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS u24_inv;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE u24_inv (code text, qty int, note text);
INSERT INTO u24_inv VALUES ('A-1', 5, 'ok'), ('B|2', 0, E'two\nlines'), ('C 3', NULL, '');

\a
SELECT * FROM u24_inv ORDER BY code;
\f ','
SELECT * FROM u24_inv ORDER BY code;
\f
\pset fieldsep '\t'
SELECT * FROM u24_inv ORDER BY code;
\pset recordsep ';'
SELECT * FROM u24_inv ORDER BY code;
\echo
\pset recordsep '\n'
\pset fieldsep '|'
-- zero bytes, shown through od
\pset fieldsep_zero
SELECT * FROM u24_inv ORDER BY code \g | od -c
\pset recordsep_zero
SELECT code, qty FROM u24_inv ORDER BY code \g | od -c
\pset fieldsep ' :: '
\pset recordsep '\n'
SELECT code, qty FROM u24_inv ORDER BY code;
\x on
SELECT * FROM u24_inv ORDER BY code;
\t on
SELECT * FROM u24_inv ORDER BY code;
\x off
SELECT * FROM u24_inv ORDER BY code;
\t off
\pset fieldsep '|'
\a
SELECT code FROM u24_inv ORDER BY code LIMIT 1;
\pset fieldsep_zero
\pset fieldsep
DROP TABLE u24_inv;
