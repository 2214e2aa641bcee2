-- 54-describe-views: views, materialized views, \dv, \dm, \d+ with the view
-- definition, \sv and \sv+.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP MATERIALIZED VIEW IF EXISTS w54_totals;
DROP VIEW IF EXISTS w54_big_spenders, w54_recent;
DROP TABLE IF EXISTS w54_sale;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE w54_sale (id int PRIMARY KEY, customer text, amount numeric, sold date);
INSERT INTO w54_sale VALUES (1, 'ann', 50, '2024-01-10'), (2, 'bob', 700, '2024-02-01'), (3, 'ann', 900, '2024-02-15');
CREATE VIEW w54_recent AS
  SELECT id, customer, amount FROM w54_sale WHERE sold >= '2024-02-01';
CREATE VIEW w54_big_spenders WITH (security_barrier) AS
  SELECT id, customer, amount
    FROM w54_sale WHERE amount > 500
  WITH LOCAL CHECK OPTION;
-- the check option refuses rows the view would not show
INSERT INTO w54_big_spenders VALUES (4, 'cy', 10);
COMMENT ON VIEW w54_recent IS 'sales since February';
CREATE MATERIALIZED VIEW w54_totals AS
  SELECT customer, count(*) AS n, sum(amount) AS total FROM w54_sale GROUP BY customer WITH NO DATA;
CREATE UNIQUE INDEX w54_totals_customer ON w54_totals (customer);

\dv w54_*
\dv+ w54_*
\dm w54_*
\d w54_recent
\d+ w54_recent
\d+ w54_big_spenders
\d w54_totals
\d+ w54_totals
SELECT * FROM w54_totals;
REFRESH MATERIALIZED VIEW w54_totals;
SELECT * FROM w54_totals ORDER BY customer;
\sv w54_recent
\sv+ w54_big_spenders
\sv w54_totals
\sv w54_sale
\sv w54_nope
\d w54_*
DROP MATERIALIZED VIEW w54_totals;
DROP VIEW w54_big_spenders, w54_recent;
DROP TABLE w54_sale;
