-- included by 59-include-files.sql through \ir
SELECT 'from the included file' AS source;
\echo 'included file sees' :{?caller_var} :caller_var
\set from_include yes
