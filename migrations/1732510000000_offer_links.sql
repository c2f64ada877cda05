-- Up Migration
-- One row per answer link that was used: the email's Accept/Decline links are single use. Keyed by the SHA-256
-- of the token (the token itself is a bearer credential until it expires, so it is never stored).
CREATE TABLE offer_link_uses (
  token_hash text PRIMARY KEY,
  lead_id text NOT NULL,
  offer_number integer NOT NULL,
  rep_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('accept', 'decline')),
  used_at timestamptz NOT NULL,
  -- accepted, declined, or the refusal (StaleOffer, LeadClosed, ...) the workflow answered with
  outcome text NOT NULL
);
CREATE INDEX offer_link_uses_offer ON offer_link_uses (lead_id, offer_number);

-- Down Migration
DROP TABLE offer_link_uses;
