-- 50-describe-partitions: range and list partitioning with a default
-- partition and a sub-partitioned partition; \d, \d+, \dP.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS s50_measure, s50_region CASCADE;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE s50_measure (city text NOT NULL, taken date NOT NULL, temp numeric) PARTITION BY RANGE (taken);
CREATE TABLE s50_measure_2023 PARTITION OF s50_measure FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE s50_measure_2024 PARTITION OF s50_measure FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (city);
CREATE TABLE s50_measure_2024_oslo PARTITION OF s50_measure_2024 FOR VALUES IN ('Oslo', 'Bergen');
CREATE TABLE s50_measure_2024_rest PARTITION OF s50_measure_2024 DEFAULT;
CREATE TABLE s50_measure_old PARTITION OF s50_measure FOR VALUES FROM (MINVALUE) TO ('2023-01-01');
CREATE INDEX s50_measure_city ON s50_measure (city);

CREATE TABLE s50_region (code text PRIMARY KEY, name text) PARTITION BY LIST (code);
CREATE TABLE s50_region_north PARTITION OF s50_region FOR VALUES IN ('N', 'NE', 'NW');
CREATE TABLE s50_region_other PARTITION OF s50_region DEFAULT;
CREATE TABLE s50_region_null PARTITION OF s50_region FOR VALUES IN (NULL);

\d s50_measure
\d+ s50_measure
\d s50_measure_2024
\d+ s50_measure_2024_oslo
\d+ s50_measure_2024_rest
\d s50_region
\d+ s50_region_north
\d+ s50_region_null
\dt s50_*
\dP s50_*
\dP+ s50_*
\dPt s50_*
\dPi s50_*
\d s50_measure_city
DROP TABLE s50_measure, s50_region;
