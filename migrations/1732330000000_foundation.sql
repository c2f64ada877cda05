-- Up Migration
CREATE TABLE teams (
  id text PRIMARY KEY,
  name text NOT NULL,
  service_lines text[] NOT NULL DEFAULT '{}',
  is_default boolean NOT NULL DEFAULT false,
  -- [{"repId": "...", "slaMinutes": 30}, ...]: manager first, then up the chain
  escalation jsonb NOT NULL DEFAULT '[]',
  alert_email text NOT NULL,
  catch_all_realert_minutes integer NOT NULL DEFAULT 60 CHECK (catch_all_realert_minutes > 0)
);
-- At most one default team takes the leads no service line claims.
CREATE UNIQUE INDEX teams_one_default ON teams (is_default) WHERE is_default;

CREATE TABLE reps (
  id text PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  team_id text NOT NULL REFERENCES teams (id),
  active boolean NOT NULL DEFAULT true,
  away boolean NOT NULL DEFAULT false
);

CREATE TABLE contacts (
  id bigserial PRIMARY KEY,
  email_normalised text NOT NULL UNIQUE,
  name text NOT NULL,
  company text,
  owner_rep_id text REFERENCES reps (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE leads (
  id text PRIMARY KEY,
  workflow_id text NOT NULL UNIQUE,
  source text NOT NULL,
  external_id text,
  name text NOT NULL,
  email text NOT NULL,
  email_normalised text NOT NULL,
  company text,
  phone text,
  message text NOT NULL,
  received_at timestamptz NOT NULL,
  status text NOT NULL,
  contact_id bigint REFERENCES contacts (id),
  team_id text REFERENCES teams (id),
  score integer,
  tier text,
  urgency text,
  service_line text,
  offered_rep_ids text[] NOT NULL DEFAULT '{}',
  owner_rep_id text REFERENCES reps (id),
  escalation_level integer NOT NULL DEFAULT 0,
  sla_deadline timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX leads_source_external_id ON leads (source, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX leads_email_normalised ON leads (email_normalised);

CREATE TABLE lead_offers (
  lead_id text NOT NULL REFERENCES leads (id),
  offer_number integer NOT NULL,
  kind text NOT NULL,
  level integer NOT NULL,
  rep_ids text[] NOT NULL,
  offered_at timestamptz NOT NULL,
  deadline timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open',
  answered_by text,
  reason text,
  closed_at timestamptz,
  PRIMARY KEY (lead_id, offer_number)
);
-- Open offers per rep feed the least-loaded tie-break.
CREATE INDEX lead_offers_open ON lead_offers USING gin (rep_ids) WHERE status = 'open';

-- Every decision the workflow takes, explained. The key is chosen by the workflow, so retries never duplicate.
CREATE TABLE lead_decisions (
  lead_id text NOT NULL REFERENCES leads (id),
  key text NOT NULL,
  kind text NOT NULL,
  summary text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  decided_at timestamptz NOT NULL,
  seq bigserial,
  PRIMARY KEY (lead_id, key)
);

-- One row per email leadrelay means to send: the key makes a retried activity send it once.
CREATE TABLE outbound_emails (
  lead_id text NOT NULL REFERENCES leads (id),
  offer_number integer NOT NULL,
  kind text NOT NULL,
  message_id text NOT NULL UNIQUE,
  recipient text NOT NULL,
  subject text NOT NULL,
  sent_at timestamptz,
  PRIMARY KEY (lead_id, offer_number, kind)
);

-- Down Migration
DROP TABLE outbound_emails;
DROP TABLE lead_decisions;
DROP TABLE lead_offers;
DROP TABLE leads;
DROP TABLE contacts;
DROP TABLE reps;
DROP TABLE teams;
