-- Up Migration
-- The version of the sales directory: workers keep the directory they parsed last and read it again only when
-- this changed. Every statement that writes reps or teams sets a new one in the same transaction, so a reader
-- sees a version together with exactly the rows it stands for. Random rather than a counter: two databases (the
-- tests' copies of one template, a restored backup) may then share a version only while they share the rows too.
CREATE TABLE directory_version (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  version uuid NOT NULL
);
INSERT INTO directory_version (version) VALUES (gen_random_uuid());

CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_version SET version = gen_random_uuid();
  RETURN NULL;
END;
$$;
-- Per statement: one new version for a statement however many rows it wrote, and TRUNCATE has no row triggers.
-- Before the statement: every writer then takes the version row's lock before any rep or team row, so two
-- transactions writing several entries in different orders queue up instead of deadlocking.
CREATE TRIGGER reps_directory_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON reps FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
CREATE TRIGGER teams_directory_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON teams FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();

-- Down Migration
DROP TRIGGER teams_directory_changed ON teams;
DROP TRIGGER reps_directory_changed ON reps;
DROP FUNCTION directory_changed();
DROP TABLE directory_version;
