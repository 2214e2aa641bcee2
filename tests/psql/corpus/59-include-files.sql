-- 59-include-files: \i and \ir (relative to the script), \o to files,
-- \cd, errors for missing files, and psql:FILE:LINE prefixes inside them.
\set caller_var 42
\ir ../include/59-part.sql
\echo from_include is :from_include

-- a generated file run with \i: errors show the included file's name
\o gen.sql
\qecho 'SELECT 1 AS generated_one;'
\qecho 'SELECT no_such_column;'
\qecho '\\echo last line of gen.sql'
\o
\i gen.sql
\include gen.sql
\ir gen.sql
\i missing.sql
\o no/such/dir/out.txt
\echo 'still writing to stdout'

-- \cd changes directory for later relative paths
\! mkdir -p sub
\cd sub
\o inside.txt
SELECT 'written inside sub' AS where_am_i;
\o
\cd ..
\! cat sub/inside.txt
\cd no_such_dir
\echo done
