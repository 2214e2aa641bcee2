-- 40-intervalstyle: IntervalStyle postgres, postgres_verbose, sql_standard,
-- iso_8601 for intervals with years, months, days, hours and microseconds.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS k40_spans;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE k40_spans (label text, span interval);
INSERT INTO k40_spans VALUES
  ('mixed', '1 year 2 months 3 days 04:05:06.789'),
  ('negative', '-1 year -2 mons +3 days -04:05:06'),
  ('micro', '0.000001 seconds'),
  ('days only', '45 days'),
  ('hours', '100:00:00'),
  ('zero', '0'),
  ('months', '18 months');

SHOW IntervalStyle;
SELECT label, span FROM k40_spans ORDER BY label;
SET IntervalStyle = postgres_verbose;
SELECT label, span FROM k40_spans ORDER BY label;
SET IntervalStyle = sql_standard;
SELECT label, span FROM k40_spans ORDER BY label;
SET IntervalStyle = iso_8601;
SELECT label, span FROM k40_spans ORDER BY label;
RESET IntervalStyle;
-- arithmetic producing intervals
SELECT '2024-03-31'::date - '2024-01-01'::date AS day_diff,
       '2024-03-31 10:00'::timestamp - '2024-01-01 08:30'::timestamp AS ts_diff,
       interval '1 month' * 1.5 AS one_and_half_months,
       justify_interval(interval '400 days 30 hours') AS justified;
DROP TABLE k40_spans;
