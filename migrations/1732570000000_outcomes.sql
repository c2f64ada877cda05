-- Up Migration
-- What became of a lead after a rep took it, as the CRM or the rep reports it: first touch, meeting booked,
-- qualified, opportunity, won, lost. Best-fit routing learns from these which rep converts which kind of lead.
CREATE TABLE lead_outcomes (
  id bigserial PRIMARY KEY,
  lead_id text NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  event text NOT NULL CHECK (event IN ('first-touch', 'meeting-booked', 'qualified', 'opportunity', 'won', 'lost')),
  at timestamptz NOT NULL,
  amount numeric(16, 2) CHECK (amount >= 0),
  currency text CHECK (currency ~ '^[A-Z]{3}$'),
  reason text,
  -- The reporter's own id for the outcome (a CRM's stage-change id): a retry with it writes nothing twice.
  external_id text NOT NULL,
  -- A rep id, or 'api-key:<name>'.
  reported_by text NOT NULL,
  -- Who owned the lead when the outcome was reported: the rep it is credited to.
  rep_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((amount IS NULL) = (currency IS NULL)),
  CHECK ((reason IS NOT NULL) = (event = 'lost'))
);
CREATE UNIQUE INDEX lead_outcomes_external_id ON lead_outcomes (lead_id, external_id);
CREATE INDEX lead_outcomes_lead ON lead_outcomes (lead_id, at);

-- Down Migration
DROP TABLE lead_outcomes;
