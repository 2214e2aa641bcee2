-- 43-numeric: numeric precision and scale, very long values, NaN and
-- Infinity, integer limits and overflow errors.
-- trailing zeros are kept as typed; scale follows the operation
SELECT 1.500 AS kept, 1.500::numeric(10,1) AS rescaled, trim_scale(1.500) AS trimmed,
       scale(1.500) AS s, 1.0 = 1.00 AS equal;
SELECT 1234567890123456789012345678901234567890.0123456789 AS long_value,
       0.000000000000000000000000000001 AS tiny,
       -0.50::numeric(5,2) AS neg_scaled;
SELECT 'NaN'::numeric AS nan, 'Infinity'::numeric AS inf, '-Infinity'::numeric AS ninf;
SELECT 2::numeric / 3 AS div, round(2::numeric / 3, 2) AS rounded, 10::numeric ^ 30 AS power;
SELECT 1e20::numeric(30,5) AS scaled, 12.345::numeric(4,1) AS narrowed;
SELECT factorial(25) AS f25;
SELECT 9223372036854775807::int8 AS max8, (-2147483648)::int4 AS min4, 32767::int2 AS max2;
SELECT 2147483647::int4 + 1;
SELECT 12345.678::numeric(5,2);
SELECT sum(x) AS total, avg(x) AS mean FROM (VALUES (1.5), (2.25), (NULL::numeric)) v(x);
SELECT x, x::int AS rounded FROM (VALUES (0.5), (1.5), (-0.5), (2.5)) v(x) ORDER BY x;
SELECT to_char(1234567.891, 'FM9,999,999.00') AS formatted, to_char(-0.5, '999D99S') AS signed,
       1e-5::numeric AS small_sci, 1.5e3::numeric AS big_sci;
SELECT 'abc'::numeric;
SELECT 1 / 0.0;
