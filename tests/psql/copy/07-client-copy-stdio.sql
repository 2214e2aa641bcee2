-- copy/07-client-copy-stdio: \copy from stdin with inline data (the data
-- follows in the script), \copy to stdout, and to/from a program.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS cg07_note;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE cg07_note (a int, b text, c text DEFAULT 'dflt');

\copy cg07_note (a, b) from stdin
1	first
2	\N
\.
\copy cg07_note from stdin with csv
3,"third, with comma",x
4,,
\.
\copy cg07_note to stdout
\copy cg07_note to stdout with (format csv, header, force_quote (b))
\copy (select a, b from cg07_note where a > 2 order by a) to stdout csv
\copy cg07_note (b) to program 'cat'
\copy cg07_note (a) to program 'sort -rn'
\copy cg07_note (a, b) from program 'printf "5\tfrom program\n6\tagain\n"'
SELECT a, b, c FROM cg07_note ORDER BY a;
-- a failing program
\copy cg07_note (a) to program 'cat >/dev/null; exit 1'
\copy cg07_note (a, b) from program 'printf "7\tpartial\n"; exit 2'
SELECT count(*) AS after_failed_program FROM cg07_note;
DROP TABLE cg07_note;
