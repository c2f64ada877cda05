-- Up Migration
-- An offer's deadline counts from the moment its rep was told (the mail server took the email); until then it has
-- none and the lead is `notifying`. The stage it was made under (SLA, why this rep) is kept with it, so the steps
-- that email, remind and time it out read it by lead id and offer number.
ALTER TABLE lead_offers
  ALTER COLUMN deadline DROP NOT NULL,
  ADD COLUMN told_at timestamptz,
  ADD COLUMN stage jsonb;

-- The catch-all queue is one open offer re-alerted in rounds: one email per round.
ALTER TABLE outbound_emails ADD COLUMN round integer NOT NULL DEFAULT 0;
ALTER TABLE outbound_emails DROP CONSTRAINT outbound_emails_pkey;
ALTER TABLE outbound_emails ADD PRIMARY KEY (lead_id, offer_number, kind, round);

-- Down Migration
DELETE FROM outbound_emails WHERE round > 0;
ALTER TABLE outbound_emails DROP CONSTRAINT outbound_emails_pkey;
ALTER TABLE outbound_emails ADD PRIMARY KEY (lead_id, offer_number, kind);
ALTER TABLE outbound_emails DROP COLUMN round;
UPDATE lead_offers SET deadline = offered_at WHERE deadline IS NULL;
ALTER TABLE lead_offers
  DROP COLUMN stage,
  DROP COLUMN told_at,
  ALTER COLUMN deadline SET NOT NULL;
