-- 10-echo-modes: the ECHO variable: none, queries, errors, all.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS h10_pets;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE h10_pets (name text, kind text);

\set ECHO queries
INSERT INTO h10_pets VALUES ('Rex', 'dog'), ('Tom', 'cat');
SELECT name FROM h10_pets
 WHERE kind = 'dog';
\echo meta-commands are not echoed in queries mode
SELECT nope FROM h10_pets;

\set ECHO errors
SELECT name FROM h10_pets WHERE kind = 'cat';
SELECT name FROM h10_pets
  WHERE kind = 'bird' AND bad_column;

\set ECHO all
SELECT count(*) FROM h10_pets;
\echo with all, meta-command lines are echoed too
-- and comments

\set ECHO none
SELECT 'quiet again' AS done;
\set ECHO bogus
\echo ECHO is :ECHO
DROP TABLE h10_pets;
