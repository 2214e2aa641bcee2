-- 37-constraint-errors: unique, primary key, foreign key (both directions),
-- check, not null and exclusion-style errors with DETAIL and HINT lines.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS h37_lines, h37_orders, h37_customers CASCADE;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE h37_customers (id int PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE h37_orders (
  id int PRIMARY KEY,
  customer_id int NOT NULL REFERENCES h37_customers(id),
  qty int CONSTRAINT qty_positive CHECK (qty > 0),
  code text,
  UNIQUE (customer_id, code)
);
INSERT INTO h37_customers VALUES (1, 'ann@example.org'), (2, 'bob@example.org');
INSERT INTO h37_orders VALUES (10, 1, 3, 'A');

INSERT INTO h37_customers VALUES (1, 'new@example.org');
INSERT INTO h37_customers VALUES (3, 'ann@example.org');
INSERT INTO h37_orders VALUES (11, 1, 1, 'A');
INSERT INTO h37_orders VALUES (12, 99, 1, 'B');
INSERT INTO h37_orders VALUES (13, 2, 0, 'C');
INSERT INTO h37_orders VALUES (14, NULL, 1, 'D');
INSERT INTO h37_customers (id) VALUES (4);
DELETE FROM h37_customers WHERE id = 1;
UPDATE h37_customers SET id = 5 WHERE id = 1;
-- a multi-column key with a NULL is allowed twice
INSERT INTO h37_orders VALUES (15, 2, 1, NULL), (16, 2, 1, NULL);
-- adding a constraint that existing rows violate
ALTER TABLE h37_orders ADD CONSTRAINT small_qty CHECK (qty < 2);
-- a deferred check reported at COMMIT
ALTER TABLE h37_orders DROP CONSTRAINT h37_orders_customer_id_fkey;
ALTER TABLE h37_orders ADD FOREIGN KEY (customer_id) REFERENCES h37_customers(id) DEFERRABLE INITIALLY DEFERRED;
BEGIN;
INSERT INTO h37_orders VALUES (17, 42, 1, 'Z');
\echo 'insert accepted for now'
COMMIT;
-- an error with a HINT from the server
DROP TABLE h37_customers;
SELECT id, customer_id, qty, code FROM h37_orders ORDER BY id;
DROP TABLE h37_orders, h37_customers;
