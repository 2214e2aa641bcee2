-- 39-datestyle: DateStyle ISO/SQL/German/Postgres with DMY/MDY/YMD for dates,
-- timestamps and timestamptz.
SET TimeZone = 'UTC';
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS j39_events;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE j39_events (name text, d date, ts timestamp, tstz timestamptz);
INSERT INTO j39_events VALUES
  ('launch', '2024-03-05', '2024-03-05 14:07:09.5', '2024-03-05 14:07:09.123456+00'),
  ('leap', '2024-02-29', '2024-02-29 00:00:00', '2024-02-29 23:59:59+02'),
  ('old', '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59-05');

SHOW DateStyle;
SELECT * FROM j39_events ORDER BY d;
SET DateStyle = 'SQL, DMY';
SELECT * FROM j39_events ORDER BY d;
SET DateStyle = 'SQL, MDY';
SELECT * FROM j39_events ORDER BY d;
SET DateStyle = 'German';
SHOW DateStyle;
SELECT * FROM j39_events ORDER BY d;
SET DateStyle = 'Postgres, MDY';
SELECT * FROM j39_events ORDER BY d;
SET DateStyle = 'Postgres, DMY';
SELECT * FROM j39_events ORDER BY d;
SET DateStyle = 'ISO, YMD';
SELECT * FROM j39_events ORDER BY d;
-- input interpretation follows the field order
SET DateStyle = 'ISO, DMY';
SELECT '03/04/2024'::date AS dmy_input;
SET DateStyle = 'ISO, MDY';
SELECT '03/04/2024'::date AS mdy_input;
SET DateStyle = 'Fancy';
RESET DateStyle;
DROP TABLE j39_events;
