-- Up Migration
-- One log per lead: lead_events. Every decision the workflow records has also been a lead_events row (same key,
-- summary and detail) since that table was made, so lead_decisions only repeated it. What the timeline did not
-- keep is the workflow's own name for the decision (a 'qualified' decision is a 'scored' or 'rejected-spam'
-- event, an 'offered' one may be 'escalated' or 'catch-all'): that is the new column `decision`, null for the
-- events that are no decision (received, merged, reminded).
ALTER TABLE lead_events ADD COLUMN decision text;

-- Decisions of leads older than lead_events join the timeline as recordDecision writes them today; the others
-- are there already and only learn their decision's name.
INSERT INTO lead_events (lead_id, key, kind, at, offer_number, rep_id, summary, detail, decision)
SELECT d.lead_id,
       d.key,
       CASE
         WHEN d.kind = 'qualified' THEN CASE WHEN d.detail ->> 'spam' = 'true' THEN 'rejected-spam' ELSE 'scored' END
         WHEN d.kind = 'offered' THEN
           CASE d.detail ->> 'kind' WHEN 'escalation' THEN 'escalated' WHEN 'catch-all' THEN 'catch-all' ELSE 'offered' END
         ELSE d.kind
       END,
       d.decided_at,
       CASE WHEN jsonb_typeof(d.detail -> 'offerNumber') = 'number' THEN (d.detail ->> 'offerNumber')::integer END,
       coalesce(
         d.detail ->> 'answeredBy',
         d.detail ->> 'repId',
         CASE WHEN jsonb_typeof(d.detail -> 'repIds') = 'array' AND jsonb_array_length(d.detail -> 'repIds') = 1
              THEN d.detail -> 'repIds' ->> 0 END
       ),
       d.summary,
       d.detail,
       d.kind
  FROM lead_decisions d
 ORDER BY d.seq
ON CONFLICT (lead_id, key) DO UPDATE SET decision = EXCLUDED.decision;

DROP TABLE lead_decisions;

-- Down Migration
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
INSERT INTO lead_decisions (lead_id, key, kind, summary, detail, decided_at)
SELECT lead_id, key, decision, summary, detail, at FROM lead_events WHERE decision IS NOT NULL ORDER BY at, seq;
ALTER TABLE lead_events DROP COLUMN decision;
