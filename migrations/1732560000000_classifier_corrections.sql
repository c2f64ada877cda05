-- Up Migration
-- What reps and managers corrected in the classifier's reading of a lead (service line, urgency, spam verdict),
-- and the classifier models retrained from those corrections: the active one, and candidates kept aside because
-- they measured worse on the frozen evaluation set, each with its figures.
CREATE TABLE lead_corrections (
  id bigserial PRIMARY KEY,
  lead_id text NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  -- A rep id, or 'api-key:<name>' for an admin key.
  corrected_by text NOT NULL,
  service_line text,
  urgency text CHECK (urgency IN ('now', 'this-week', 'this-month', 'none')),
  spam boolean,
  note text,
  -- What the classifier had said, so a correction can be read (and reviewed) on its own.
  was jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (service_line IS NOT NULL OR urgency IS NOT NULL OR spam IS NOT NULL)
);
CREATE INDEX lead_corrections_lead ON lead_corrections (lead_id, id);

CREATE TABLE classifier_models (
  version serial PRIMARY KEY,
  -- 'active' (at most one), 'set-aside' (measured worse than the active one), 'retired' (replaced).
  status text NOT NULL CHECK (status IN ('active', 'set-aside', 'retired')),
  -- The deployment's examples it was trained on beyond the default corpus: corrected leads as labelled inquiries.
  examples jsonb NOT NULL,
  corrections integer NOT NULL,
  -- Figures on the frozen evaluation set (service line, urgency, spam recall and false positives).
  figures jsonb NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX classifier_models_one_active ON classifier_models (status) WHERE status = 'active';

-- Down Migration
DROP TABLE classifier_models;
DROP TABLE lead_corrections;
