// lead_submissions: every submission the API accepted, and the lead it became or joined. Written in the transaction
// that starts (or signals) the lead's workflow, under a lock on the person, so a form and the chat that follows it
// become one lead and a retried request finds its first answer.
import type { Pool, PoolClient } from 'pg';
import type { NormalisedLead } from '../src/lead';
import { prepared } from './pool';

export interface NewSubmission {
  submissionId: string;
  leadId: string;
  /** The person's email key, or phone: what a later submission of the same person is matched on. */
  personKey: string | null;
  lead: NormalisedLead;
  receivedAt: Date;
  /** Joined a running lead rather than starting one. */
  merged: boolean;
  /** The API key that sent it (its id): that key may read the lead back without leads:read. */
  submittedBy: string | null;
}

// Intake runs these for every submission.
const lockStatement = prepared('lead-submissions.lock-submitter', 'SELECT pg_advisory_xact_lock(hashtext($1))');
const findStatement = prepared(
  'lead-submissions.find',
  'SELECT lead_id, merged, received_at FROM lead_submissions WHERE submission_id = $1',
);
const recentLeadStatement = prepared(
  'lead-submissions.recent-lead-of-person',
  `SELECT lead_id FROM lead_submissions
    WHERE person_key = $1 AND NOT merged AND received_at >= $2
    ORDER BY received_at DESC LIMIT 1`,
);
const insertStatement = prepared(
  'lead-submissions.insert',
  `INSERT INTO lead_submissions (submission_id, lead_id, person_key, source, received_at, merged, lead, submitted_by)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
);

/** Holds a lock on the person (or on the submission, for one with no contact key) until the transaction ends. */
export async function lockSubmitter(tx: PoolClient, key: string): Promise<void> {
  await tx.query(lockStatement([key]));
}

/** The lead a submission id went to before, if it was seen. */
export async function findSubmission(
  db: Pool | PoolClient,
  submissionId: string,
): Promise<{ leadId: string; merged: boolean; receivedAt: Date } | null> {
  const { rows } = await db.query<{ lead_id: string; merged: boolean; received_at: Date }>(
    findStatement([submissionId]),
  );
  const row = rows[0];
  return row ? { leadId: row.lead_id, merged: row.merged, receivedAt: row.received_at } : null;
}

/** The newest lead this person started since `since` (merged submissions do not count: they started nothing). */
export async function findRecentLeadOfPerson(
  db: Pool | PoolClient,
  personKey: string,
  since: Date,
): Promise<string | null> {
  const { rows } = await db.query<{ lead_id: string }>(recentLeadStatement([personKey, since]));
  return rows[0]?.lead_id ?? null;
}

export async function insertSubmission(db: Pool | PoolClient, row: NewSubmission): Promise<void> {
  await db.query(
    insertStatement([
      row.submissionId,
      row.leadId,
      row.personKey,
      row.lead.source,
      row.receivedAt,
      row.merged,
      JSON.stringify(row.lead),
      row.submittedBy,
    ]),
  );
}

/** Whether this API key sent a submission that started or joined the lead. */
export async function wasSubmittedBy(db: Pool | PoolClient, leadId: string, keyId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM lead_submissions WHERE lead_id = $1 AND submitted_by = $2 LIMIT 1', [
    leadId,
    keyId,
  ]);
  return rows.length > 0;
}

/** The submission that started a lead: all there is of a lead its workflow has not recorded yet. */
export async function readFirstSubmission(
  db: Pool | PoolClient,
  leadId: string,
): Promise<{ receivedAt: Date; lead: NormalisedLead } | null> {
  const { rows } = await db.query<{ received_at: Date; lead: NormalisedLead }>(
    'SELECT received_at, lead FROM lead_submissions WHERE lead_id = $1 AND NOT merged ORDER BY received_at LIMIT 1',
    [leadId],
  );
  const row = rows[0];
  return row ? { receivedAt: row.received_at, lead: row.lead } : null;
}

const readSubmissionsOfLeadStatement = prepared(
  'lead-submissions.of-lead',
  'SELECT submission_id, received_at, lead, merged FROM lead_submissions WHERE lead_id = $1 ORDER BY merged, received_at',
);

/**
 * All of a lead as the API took it, in one read: the submission that started it, and those merged into it since,
 * oldest first. `first` is null for a lead id no submission started.
 */
export async function readSubmissionsOfLead(
  db: Pool | PoolClient,
  leadId: string,
): Promise<{
  first: { receivedAt: Date; lead: NormalisedLead } | null;
  merged: Array<{ submissionId: string; receivedAt: Date; lead: NormalisedLead }>;
}> {
  const { rows } = await db.query<{ submission_id: string; received_at: Date; lead: NormalisedLead; merged: boolean }>(
    readSubmissionsOfLeadStatement([leadId]),
  );
  const first = rows.find((r) => !r.merged);
  return {
    first: first ? { receivedAt: first.received_at, lead: first.lead } : null,
    merged: rows
      .filter((r) => r.merged)
      .map((r) => ({ submissionId: r.submission_id, receivedAt: r.received_at, lead: r.lead })),
  };
}

/** One submission by its id, as the API stored it. */
export async function readSubmission(
  db: Pool | PoolClient,
  submissionId: string,
): Promise<{ leadId: string; receivedAt: Date; lead: NormalisedLead; merged: boolean } | null> {
  const { rows } = await db.query<{ lead_id: string; received_at: Date; lead: NormalisedLead; merged: boolean }>(
    'SELECT lead_id, received_at, lead, merged FROM lead_submissions WHERE submission_id = $1',
    [submissionId],
  );
  const row = rows[0];
  return row ? { leadId: row.lead_id, receivedAt: row.received_at, lead: row.lead, merged: row.merged } : null;
}
