-- Up Migration
-- The dashboard reads daily rollups, not the leads themselves, so a page stays fast at millions of leads. A day is
-- the UTC day a lead was received, and every figure of a lead (its offers, outcomes, decision) counts on that day.
-- Whatever writes a lead, an offer, a decision or an outcome leaves a mark for the lead's day (triggers, so no
-- writer can forget); the dashboard recomputes the marked days before it reads (db/dashboard.ts).
CREATE INDEX leads_received_at ON leads (received_at);

-- Append-only and unkeyed on purpose: a writer never waits on another writer's mark, and a mark becomes visible with
-- the data it marks (same transaction), so a recompute that consumed it also saw that data.
CREATE TABLE dashboard_changes (day date NOT NULL);

CREATE FUNCTION dashboard_mark_leads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dashboard_changes (day) SELECT DISTINCT (received_at AT TIME ZONE 'UTC')::date FROM changed;
  RETURN NULL;
END $$;

CREATE FUNCTION dashboard_mark_lead_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dashboard_changes (day)
  SELECT DISTINCT (l.received_at AT TIME ZONE 'UTC')::date FROM (SELECT DISTINCT lead_id FROM changed) c JOIN leads l ON l.id = c.lead_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboard_leads_inserted AFTER INSERT ON leads
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dashboard_mark_leads();
CREATE TRIGGER dashboard_leads_updated AFTER UPDATE ON leads
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dashboard_mark_leads();
CREATE TRIGGER dashboard_offers_inserted AFTER INSERT ON lead_offers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dashboard_mark_lead_rows();
CREATE TRIGGER dashboard_offers_updated AFTER UPDATE ON lead_offers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dashboard_mark_lead_rows();
CREATE TRIGGER dashboard_outcomes_inserted AFTER INSERT ON lead_outcomes
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dashboard_mark_lead_rows();
CREATE TRIGGER dashboard_decisions_inserted AFTER INSERT ON routing_decisions
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dashboard_mark_lead_rows();

-- Speed to lead, per day, team, and one of source, tier or policy version (dim/value): each lead counts once per dim.
-- The *_buckets arrays count leads per bucket of seconds since received (bounds in src/dashboard/histogram.ts).
CREATE TABLE dashboard_speed_daily (
  day date NOT NULL,
  team_id text NOT NULL,
  dim text NOT NULL,
  value text NOT NULL,
  leads integer NOT NULL,
  spam integer NOT NULL,
  told integer NOT NULL,
  accepted integer NOT NULL,
  within_sla integer NOT NULL,
  touched integer NOT NULL,
  told_buckets integer[] NOT NULL,
  accepted_buckets integer[] NOT NULL,
  touched_buckets integer[] NOT NULL,
  PRIMARY KEY (day, team_id, dim, value)
);

-- Offers per rep and escalation level: fairness (first offers against weight) and SLA breaches.
CREATE TABLE dashboard_offers_daily (
  day date NOT NULL,
  team_id text NOT NULL,
  rep_id text NOT NULL,
  level integer NOT NULL,
  offers integer NOT NULL,
  first_offers integer NOT NULL,
  accepted integer NOT NULL,
  declined integer NOT NULL,
  timed_out integer NOT NULL,
  PRIMARY KEY (day, team_id, rep_id, level)
);

-- Who routing passed over, and why (the explanation's exclusions).
CREATE TABLE dashboard_skips_daily (
  day date NOT NULL,
  team_id text NOT NULL,
  rep_id text NOT NULL,
  code text NOT NULL,
  skipped integer NOT NULL,
  PRIMARY KEY (day, team_id, rep_id, code)
);

-- Conversion per routing path: dim is rule, strategy, offer (the accepted offer's number), level, source or policy.
CREATE TABLE dashboard_conversion_daily (
  day date NOT NULL,
  team_id text NOT NULL,
  dim text NOT NULL,
  value text NOT NULL,
  leads integer NOT NULL,
  accepted integer NOT NULL,
  meetings integer NOT NULL,
  opportunities integer NOT NULL,
  won integer NOT NULL,
  PRIMARY KEY (day, team_id, dim, value)
);

-- Best-fit calibration: the owner's predicted chance (tenths) against whether the lead converted.
CREATE TABLE dashboard_calibration_daily (
  day date NOT NULL,
  team_id text NOT NULL,
  policy_version integer NOT NULL,
  bin integer NOT NULL,
  leads integer NOT NULL,
  predicted double precision NOT NULL,
  converted integer NOT NULL,
  PRIMARY KEY (day, team_id, policy_version, bin)
);

-- Every day that already has leads is computed on the first read.
INSERT INTO dashboard_changes (day) SELECT DISTINCT (received_at AT TIME ZONE 'UTC')::date FROM leads;

-- Down Migration
DROP TABLE dashboard_calibration_daily;
DROP TABLE dashboard_conversion_daily;
DROP TABLE dashboard_skips_daily;
DROP TABLE dashboard_offers_daily;
DROP TABLE dashboard_speed_daily;
DROP TRIGGER dashboard_decisions_inserted ON routing_decisions;
DROP TRIGGER dashboard_outcomes_inserted ON lead_outcomes;
DROP TRIGGER dashboard_offers_updated ON lead_offers;
DROP TRIGGER dashboard_offers_inserted ON lead_offers;
DROP TRIGGER dashboard_leads_updated ON leads;
DROP TRIGGER dashboard_leads_inserted ON leads;
DROP FUNCTION dashboard_mark_lead_rows();
DROP FUNCTION dashboard_mark_leads();
DROP TABLE dashboard_changes;
DROP INDEX leads_received_at;
