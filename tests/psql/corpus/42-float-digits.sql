-- 42-float-digits: extra_float_digits 0/1/3/-15 with float4 and float8,
-- including special values.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS m42_readings;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE m42_readings (id int, f4 real, f8 double precision);
INSERT INTO m42_readings VALUES
  (1, 0.1, 0.1), (2, 1.0/3, 1.0/3), (3, 123456789, 123456789.123456789),
  (4, 1e-40, 1e-310), (5, 'NaN', 'Infinity'), (6, '-Infinity', '-0'),
  (7, 3.4e38, 1.7976931348623157e308);

SHOW extra_float_digits;
SELECT * FROM m42_readings ORDER BY id;
SET extra_float_digits = 0;
SELECT * FROM m42_readings ORDER BY id;
SET extra_float_digits = 3;
SELECT * FROM m42_readings ORDER BY id;
SET extra_float_digits = -15;
SELECT * FROM m42_readings ORDER BY id;
SET extra_float_digits = 4;
RESET extra_float_digits;
SELECT 0.1::float8 + 0.2::float8 AS sum, (0.1::float8 + 0.2::float8)::numeric AS as_numeric;
DROP TABLE m42_readings;
