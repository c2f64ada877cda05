-- Up Migration
-- One policy may run as the shadow beside the active one: decided for every live lead from the same inputs at the
-- same moment, stored, and never acted on.
ALTER TABLE routing_policies DROP CONSTRAINT routing_policies_status_check;
ALTER TABLE routing_policies
  ADD CONSTRAINT routing_policies_status_check CHECK (status IN ('draft', 'active', 'shadow', 'retired')),
  ADD COLUMN shadowed_at timestamptz;
CREATE UNIQUE INDEX routing_policies_one_shadow ON routing_policies (status) WHERE status = 'shadow';

CREATE TABLE shadow_decisions (
  lead_id text PRIMARY KEY REFERENCES leads (id),
  policy_version integer NOT NULL REFERENCES routing_policies (version),
  live_version integer NOT NULL,
  decided_at timestamptz NOT NULL,
  live_team_id text NOT NULL,
  live_rule text,
  live_first_rep text,
  -- Null when the shadow policy could not route the lead (the reason is in `problem`).
  team_id text,
  rule text,
  first_rep text,
  propensity double precision,
  plan jsonb,
  problem text
);
CREATE INDEX shadow_decisions_decided_at ON shadow_decisions (decided_at);

-- Down Migration
DROP TABLE shadow_decisions;
DROP INDEX routing_policies_one_shadow;
UPDATE routing_policies SET status = 'draft' WHERE status = 'shadow';
ALTER TABLE routing_policies DROP COLUMN shadowed_at, DROP CONSTRAINT routing_policies_status_check;
ALTER TABLE routing_policies
  ADD CONSTRAINT routing_policies_status_check CHECK (status IN ('draft', 'active', 'retired'));
