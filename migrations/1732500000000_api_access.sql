-- Up Migration
-- Credentials for the HTTP API. Only sha256(secret) is kept; the token carries the id, so lookup is by primary key.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
  secret_sha256 bytea NOT NULL CHECK (octet_length(secret_sha256) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE rep_tokens (
  id text PRIMARY KEY,
  rep_id text NOT NULL REFERENCES reps (id),
  secret_sha256 bytea NOT NULL CHECK (octet_length(secret_sha256) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX rep_tokens_rep ON rep_tokens (rep_id);

-- Routing policies as uploaded (YAML), versioned. At most one is active; routing reads that one.
CREATE TABLE routing_policies (
  version serial PRIMARY KEY,
  yaml text NOT NULL,
  sha256 text NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  uploaded_by text,
  activated_at timestamptz,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired'))
);
CREATE UNIQUE INDEX routing_policies_one_active ON routing_policies (status) WHERE status = 'active';

-- The sales directory as the admin API edits it: each rep and team is the JSON its zod schema (RepSchema,
-- TeamSchema in src/directory-file.ts) validated, in `doc`. The columns readers filter and join on are generated
-- from it, so there is one source of truth and the old column names keep working for readers.
ALTER TABLE teams ADD COLUMN doc jsonb, ADD COLUMN active boolean NOT NULL DEFAULT true, ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE teams SET doc = jsonb_build_object('id', id, 'name', name, 'escalation', escalation, 'alertEmail', alert_email, 'catchAllRealertMinutes', catch_all_realert_minutes);
-- Service lines and the default team moved into the routing policy's rules.
ALTER TABLE teams
  ALTER COLUMN doc SET NOT NULL,
  ADD CONSTRAINT teams_doc_id CHECK (doc ->> 'id' = id),
  DROP COLUMN service_lines,
  DROP COLUMN is_default,
  DROP COLUMN name,
  DROP COLUMN escalation,
  DROP COLUMN alert_email,
  DROP COLUMN catch_all_realert_minutes;
ALTER TABLE teams
  ADD COLUMN name text GENERATED ALWAYS AS (doc ->> 'name') STORED,
  ADD COLUMN alert_email text GENERATED ALWAYS AS (doc ->> 'alertEmail') STORED,
  ADD COLUMN escalation jsonb GENERATED ALWAYS AS (doc -> 'escalation') STORED;
CREATE INDEX teams_active ON teams (active);

ALTER TABLE reps ADD COLUMN doc jsonb, ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE reps SET doc = jsonb_build_object('id', id, 'name', name, 'email', email, 'teamId', team_id, 'active', active, 'away', away);
ALTER TABLE reps
  ALTER COLUMN doc SET NOT NULL,
  ADD CONSTRAINT reps_doc_id CHECK (doc ->> 'id' = id),
  DROP COLUMN name,
  DROP COLUMN email,
  DROP COLUMN team_id,
  DROP COLUMN active,
  DROP COLUMN away;
ALTER TABLE reps
  ADD COLUMN team_id text NOT NULL GENERATED ALWAYS AS (doc ->> 'teamId') STORED REFERENCES teams (id),
  ADD COLUMN active boolean NOT NULL GENERATED ALWAYS AS ((doc ->> 'active')::boolean) STORED,
  ADD COLUMN name text GENERATED ALWAYS AS (doc ->> 'name') STORED,
  ADD COLUMN email text GENERATED ALWAYS AS (doc ->> 'email') STORED,
  ADD COLUMN away boolean GENERATED ALWAYS AS ((doc ->> 'away')::boolean) STORED;
CREATE INDEX reps_team_active ON reps (team_id, active);

-- Down Migration
DROP INDEX reps_team_active;
ALTER TABLE reps DROP COLUMN away, DROP COLUMN email, DROP COLUMN name, DROP COLUMN active, DROP COLUMN team_id;
ALTER TABLE reps
  ADD COLUMN name text, ADD COLUMN email text, ADD COLUMN team_id text REFERENCES teams (id),
  ADD COLUMN active boolean NOT NULL DEFAULT true, ADD COLUMN away boolean NOT NULL DEFAULT false;
UPDATE reps SET name = doc ->> 'name', email = doc ->> 'email', team_id = doc ->> 'teamId', active = (doc ->> 'active')::boolean, away = coalesce((doc ->> 'away')::boolean, false);
ALTER TABLE reps ALTER COLUMN name SET NOT NULL, ALTER COLUMN email SET NOT NULL, ALTER COLUMN team_id SET NOT NULL, DROP CONSTRAINT reps_doc_id, DROP COLUMN doc, DROP COLUMN updated_at;
DROP INDEX teams_active;
ALTER TABLE teams DROP COLUMN escalation, DROP COLUMN alert_email, DROP COLUMN name;
ALTER TABLE teams
  ADD COLUMN name text, ADD COLUMN service_lines text[] NOT NULL DEFAULT '{}', ADD COLUMN is_default boolean NOT NULL DEFAULT false,
  ADD COLUMN escalation jsonb NOT NULL DEFAULT '[]', ADD COLUMN alert_email text, ADD COLUMN catch_all_realert_minutes integer NOT NULL DEFAULT 60;
UPDATE teams SET name = doc ->> 'name', escalation = coalesce(doc -> 'escalation', '[]'), alert_email = doc ->> 'alertEmail', catch_all_realert_minutes = coalesce((doc ->> 'catchAllRealertMinutes')::integer, 60);
ALTER TABLE teams ALTER COLUMN name SET NOT NULL, ALTER COLUMN alert_email SET NOT NULL, DROP CONSTRAINT teams_doc_id, DROP COLUMN doc, DROP COLUMN active, DROP COLUMN updated_at;
CREATE UNIQUE INDEX teams_one_default ON teams (is_default) WHERE is_default;
DROP TABLE routing_policies;
DROP TABLE rep_tokens;
DROP TABLE api_keys;
