-- 51-describe-inheritance-rls: inheritance (Inherits:/Child tables:), row
-- level security policies, rules and triggers with a trigger function.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS t51_car, t51_truck, t51_vehicle, t51_audit;
DROP FUNCTION IF EXISTS t51_stamp();
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE t51_vehicle (id int PRIMARY KEY, wheels int, owner_name text);
CREATE TABLE t51_car (doors int) INHERITS (t51_vehicle);
CREATE TABLE t51_truck (payload numeric) INHERITS (t51_vehicle);
CREATE TABLE t51_audit (vehicle_id int, note text, at_step int);

CREATE FUNCTION t51_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO t51_audit VALUES (NEW.id, TG_OP, 1);
  RETURN NEW;
END $$;
CREATE TRIGGER t51_after_ins AFTER INSERT ON t51_vehicle FOR EACH ROW EXECUTE FUNCTION t51_stamp();
CREATE TRIGGER t51_before_upd BEFORE UPDATE OF wheels ON t51_vehicle FOR EACH ROW WHEN (NEW.wheels > 2) EXECUTE FUNCTION t51_stamp();
CREATE TRIGGER t51_stmt AFTER DELETE ON t51_vehicle FOR EACH STATEMENT EXECUTE FUNCTION t51_stamp();
ALTER TABLE t51_vehicle DISABLE TRIGGER t51_stmt;

ALTER TABLE t51_vehicle ENABLE ROW LEVEL SECURITY;
CREATE POLICY t51_own ON t51_vehicle FOR SELECT USING (owner_name = 'me');
CREATE POLICY t51_ins ON t51_vehicle AS RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK (wheels > 0);
CREATE POLICY t51_all ON t51_vehicle USING (true) WITH CHECK (wheels < 20);

CREATE RULE t51_no_delete AS ON DELETE TO t51_audit DO INSTEAD NOTHING;
CREATE RULE t51_skip AS ON INSERT TO t51_audit WHERE NEW.note = 'skip' DO INSTEAD NOTHING;

\d t51_vehicle
\d+ t51_vehicle
\d t51_car
\d+ t51_truck
\d t51_audit
\dp t51_*
\z t51_vehicle
-- triggers fire; rules apply
INSERT INTO t51_vehicle VALUES (1, 4, 'me');
DELETE FROM t51_audit;
INSERT INTO t51_audit VALUES (2, 'skip', 0);
SELECT vehicle_id, note FROM t51_audit;
ALTER TABLE t51_vehicle FORCE ROW LEVEL SECURITY;
\d t51_vehicle
DROP TABLE t51_car, t51_truck;
DROP TABLE t51_vehicle, t51_audit;
DROP FUNCTION t51_stamp();
