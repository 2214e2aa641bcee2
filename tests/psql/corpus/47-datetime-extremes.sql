-- 47-datetime-extremes: time and timetz, infinity, BC dates, the largest
-- timestamps, and intervals built from months, days and microseconds.
SET TimeZone = 'UTC';
SELECT '12:34:56.789'::time AS t, '23:59:59.999999'::time AS last_us, '24:00'::time AS midnight_end,
       '12:34:56+05:30'::timetz AS tz, '00:00-14:59'::timetz AS far_tz;
SELECT 'infinity'::date AS d_inf, '-infinity'::date AS d_ninf,
       'infinity'::timestamp AS ts_inf, '-infinity'::timestamptz AS tstz_ninf;
SELECT '0044-03-15 BC'::date AS ides, '4713-01-01 BC'::date AS first_day,
       '0001-12-31 BC 23:59:59'::timestamp AS last_bc_second, '0001-01-01'::date - 1 AS day_before_ad;
SELECT '294276-12-31 23:59:59.999999'::timestamp AS max_ts, '5874897-12-31'::date AS max_date,
       '294276-12-31 23:59:59.999999+00'::timestamptz AS max_tstz;
SELECT '294277-01-01'::timestamp;
SELECT '10000-01-01'::date AS five_digit_year, '10000-01-01 00:00'::timestamp AS five_digit_ts;
SET DateStyle = 'SQL, DMY';
SELECT '0044-03-15 BC'::date AS bc_sql, 'infinity'::timestamptz AS inf_sql, '294276-12-31 23:59:59'::timestamp AS max_sql;
SET DateStyle = 'German';
SELECT '0044-03-15 BC'::date AS bc_german;
SET DateStyle = 'Postgres, MDY';
SELECT '0044-03-15 BC 10:00'::timestamp AS bc_postgres, '12:00+03'::timetz AS tz_postgres;
RESET DateStyle;
SELECT interval '1 year 13 months 40 days 25 hours 0.000001 sec' AS raw,
       interval '-0.5 days' AS half_day_back, interval '1.5 years' AS frac_years,
       interval '2147483647 days' AS max_days,
       make_interval(months => 1, days => -1, secs => 1.000001) AS made;
SELECT '2024-01-31'::date + interval '1 month' AS month_end,
       '2024-03-10 12:00'::timestamp + interval '0.000001 seconds' AS plus_us,
       age('2024-03-01'::timestamp, '2023-02-28'::timestamp) AS age_result;
SELECT extract(epoch FROM '1970-01-02 00:00:00+00'::timestamptz) AS epoch, date_trunc('month', '2024-07-19 10:11:12'::timestamp) AS trunc;
