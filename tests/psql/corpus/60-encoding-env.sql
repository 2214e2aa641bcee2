-- 60-encoding-env: the ENCODING variable and \encoding, \setenv and \getenv,
-- shell commands with \!.
\echo :ENCODING
\encoding
SHOW client_encoding;
-- cor4 sessions are UTF-8 end to end (docs/cli.md), so the corpus switches
-- only to UTF8 itself and to an encoding that does not exist
SELECT 'Grüße' AS word;
SELECT 'Zürich' AS utf8_output \g (format=unaligned tuples_only=on) | od -An -tx1
\encoding UTF8
\echo :ENCODING
\encoding NO_SUCH_ENCODING
SET client_encoding = 'SQL_ASCII';
\echo :ENCODING
RESET client_encoding;
\echo :ENCODING

\setenv COR4_CORPUS_GREETING 'hello from setenv'
\! echo "$COR4_CORPUS_GREETING"
\getenv greeting COR4_CORPUS_GREETING
\echo :greeting
\setenv COR4_CORPUS_GREETING
\getenv greeting COR4_CORPUS_GREETING
\echo greeting still :greeting
\! echo hi
\! exit 3
\echo 'a failing shell command does not stop the script'
