-- Up Migration
-- Intake now accepts chats and partner leads, which may carry a phone but no email, or no name.
ALTER TABLE leads
  ALTER COLUMN name DROP NOT NULL,
  ALTER COLUMN email DROP NOT NULL,
  ALTER COLUMN email_normalised DROP NOT NULL,
  ADD COLUMN company_domain text,
  ADD COLUMN country text,
  ADD COLUMN region text,
  ADD COLUMN time_zone text,
  ADD COLUMN account_id bigint REFERENCES accounts (id),
  ADD COLUMN policy_version integer,
  ADD COLUMN normalised jsonb,
  ADD COLUMN qualification jsonb,
  ADD COLUMN match jsonb;
-- A contact reached only by phone (a chat, a partner lead) is still a contact with an owner.
ALTER TABLE contacts
  ALTER COLUMN email_normalised DROP NOT NULL,
  ALTER COLUMN name DROP NOT NULL;
CREATE INDEX leads_status_open ON leads (status) WHERE status NOT IN ('assigned', 'rejected-spam');

-- Every submission that reached leadrelay, and the lead it became or was merged into. Written by the API before
-- the workflow starts, under a per-person lock, so a form and the chat that follows it become one lead.
CREATE TABLE lead_submissions (
  submission_id text PRIMARY KEY,
  lead_id text NOT NULL,
  person_key text,
  source text NOT NULL,
  received_at timestamptz NOT NULL,
  merged boolean NOT NULL DEFAULT false,
  lead jsonb NOT NULL
);
CREATE INDEX lead_submissions_person ON lead_submissions (person_key, received_at DESC) WHERE person_key IS NOT NULL;
CREATE INDEX lead_submissions_lead ON lead_submissions (lead_id, received_at);

-- The lead's timeline: what happened, in order. The key is chosen by the workflow, so retries never duplicate.
CREATE TABLE lead_events (
  lead_id text NOT NULL,
  key text NOT NULL,
  seq bigserial,
  kind text NOT NULL,
  at timestamptz NOT NULL,
  offer_number integer,
  rep_id text,
  summary text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (lead_id, key)
);
CREATE INDEX lead_events_order ON lead_events (lead_id, at, seq);

-- One routing decision per lead: a retried routing activity returns the stored plan instead of moving the ledger twice.
CREATE TABLE routing_decisions (
  lead_id text PRIMARY KEY,
  policy_version integer,
  team_id text NOT NULL,
  plan jsonb NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now()
);

-- The weighted round robin's fairness ledger, one row per team and rep, updated in the routing transaction.
CREATE TABLE routing_ledger (
  team_id text NOT NULL,
  rep_id text NOT NULL,
  entry jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, rep_id)
);

-- Down Migration
DROP TABLE routing_ledger;
DROP TABLE routing_decisions;
DROP TABLE lead_events;
DROP TABLE lead_submissions;
DROP INDEX leads_status_open;
ALTER TABLE leads
  DROP COLUMN match,
  DROP COLUMN qualification,
  DROP COLUMN normalised,
  DROP COLUMN policy_version,
  DROP COLUMN account_id,
  DROP COLUMN time_zone,
  DROP COLUMN region,
  DROP COLUMN country,
  DROP COLUMN company_domain;
