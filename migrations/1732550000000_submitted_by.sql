-- Up Migration
-- Which API key sent each submission. An intake or partner key reads back (GET /v1/leads/:id) only the leads its own
-- submissions started or joined, unless it holds leads:read. Submissions stored before this column have none: only
-- readers and admins see those leads.
ALTER TABLE lead_submissions ADD COLUMN submitted_by text;
CREATE INDEX lead_submissions_submitted_by ON lead_submissions (lead_id, submitted_by) WHERE submitted_by IS NOT NULL;

-- Down Migration
DROP INDEX lead_submissions_submitted_by;
ALTER TABLE lead_submissions DROP COLUMN submitted_by;
