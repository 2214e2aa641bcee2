-- 32-pset-show: \pset with no argument lists every setting; again after
-- changing several of them.
\pset
\pset border 2
\pset format wrapped
\pset linestyle unicode
\pset null 'NULL'
\pset title 'a title'
\pset fieldsep_zero
\pset recordsep ';'
\pset csv_fieldsep '|'
\pset tableattr 'class=x'
\pset expanded auto
\pset numericlocale on
\pset pager off
\pset columns 72
\pset tuples_only on
\pset footer off
\pset unicode_header_linestyle double
\pset
-- single settings shown one at a time
\pset border
\pset null
\pset fieldsep
\pset recordsep
\pset title
\pset columns
\pset expanded
