// The leads table as the workflow's activities write it: the lead as intake normalised it, then what matching,
// qualification and routing made of it, and where the process stands. The API reads it (db/lead-records.ts).
import type { Pool, PoolClient } from 'pg';
import type { LeadStatus, MergedSubmission, NormalisedLead } from '../src/lead';
import type { LeadMatch } from '../src/matching/lead-match';
import type { Qualification } from '../src/qualification';
import { prepared } from './pool';

/** Where a lead's process stands, as the stuck-lead queries and the API's fallback for closed leads read it. */
export interface LeadProgress {
  leadId: string;
  status: LeadStatus;
  escalationLevel: number;
  slaDeadline: string | null;
  offeredRepIds: string[];
}

const insertLeadStatement = prepared(
  'leads.insert',
  `INSERT INTO leads (id, workflow_id, source, external_id, name, email, email_normalised, company, phone, message, received_at,
                      status, company_domain, country, region, time_zone, normalised,
                      contact_id, account_id, match, score, tier, urgency, service_line, qualification)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
   ON CONFLICT (id) DO NOTHING`,
);

/**
 * Stores a new lead as received, with what matching and qualification made of it when given: one row written
 * whole, and a lead qualified as spam is closed by it. A lead already stored (a retried activity) is left as it
 * is. True when this call stored it.
 */
export async function insertLead(
  db: Pool | PoolClient,
  {
    leadId,
    lead,
    receivedAt,
    match = null,
    qualification: q = null,
  }: {
    leadId: string;
    lead: NormalisedLead;
    receivedAt: string;
    match?: LeadMatch | null;
    qualification?: Qualification | null;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    insertLeadStatement([
      leadId,
      `lead:${leadId}`,
      lead.source,
      lead.externalId,
      lead.name,
      lead.email,
      lead.emailKey,
      lead.company,
      lead.phone,
      lead.text,
      receivedAt,
      q?.spam ? 'rejected-spam' : 'received',
      lead.companyDomain,
      lead.country,
      lead.region,
      lead.timeZone,
      JSON.stringify(lead),
      match?.contact?.contactId ?? null,
      match?.account?.accountId ?? null,
      match && JSON.stringify(match),
      q?.score ?? null,
      q?.tier ?? null,
      q?.urgency ?? null,
      q?.serviceLine ?? null,
      q && JSON.stringify(q),
    ]),
  );
  return rowCount === 1;
}

/**
 * A later submission from the same person fills what the lead left out and adds its text to the message.
 * Not idempotent by itself: call it in the transaction that records the merge under the submission's key.
 */
export async function mergeSubmissionIntoLead(
  db: Pool | PoolClient,
  leadId: string,
  submission: MergedSubmission,
): Promise<void> {
  const l = submission.lead;
  await db.query(
    `UPDATE leads SET name = COALESCE(name, $2), email = COALESCE(email, $3), email_normalised = COALESCE(email_normalised, $4),
            company = COALESCE(company, $5), phone = COALESCE(phone, $6), company_domain = COALESCE(company_domain, $7),
            message = message || E'\n\n' || $8, updated_at = now()
      WHERE id = $1`,
    [
      leadId,
      l.name,
      l.email,
      l.emailKey,
      l.company,
      l.phone,
      l.companyDomain,
      `[${l.source} ${submission.receivedAt}]\n${l.text}`,
    ],
  );
}

export async function saveQualification(db: Pool | PoolClient, leadId: string, q: Qualification): Promise<void> {
  await db.query(
    'UPDATE leads SET score = $2, tier = $3, urgency = $4, service_line = $5, qualification = $6 WHERE id = $1',
    [leadId, q.score, q.tier, q.urgency, q.serviceLine, JSON.stringify(q)],
  );
}

const saveProgressStatement = prepared(
  'leads.save-progress',
  'UPDATE leads SET status = $2, escalation_level = $3, sla_deadline = $4, offered_rep_ids = $5, updated_at = now() WHERE id = $1',
);

export async function saveProgress(db: Pool | PoolClient, p: LeadProgress): Promise<void> {
  await db.query(saveProgressStatement([p.leadId, p.status, p.escalationLevel, p.slaDeadline, p.offeredRepIds]));
}

const markAssignedStatement = prepared(
  'leads.mark-assigned',
  `UPDATE leads SET status = 'assigned', owner_rep_id = $2, contact_id = $3, sla_deadline = $4, offered_rep_ids = '{}', updated_at = now() WHERE id = $1`,
);

/**
 * The lead is owned: by the rep, as the contact (if one is known or was made) that the next dedupe finds. Its
 * deadline is when the first touch is due, or none when the policy sets no first-touch SLA.
 */
export async function markAssigned(
  db: Pool | PoolClient,
  p: { leadId: string; repId: string; contactId: string | null; firstTouchDue: string | null },
): Promise<void> {
  await db.query(markAssignedStatement([p.leadId, p.repId, p.contactId, p.firstTouchDue]));
}

/**
 * Where an owned lead's first touch stands, only while `repId` still owns it: `first-touch-overdue` until
 * `deadline` (its next step), or `assigned` with nothing due once the owner reported the touch.
 */
export async function saveFirstTouchState(
  db: Pool | PoolClient,
  leadId: string,
  repId: string,
  state: { status: 'first-touch-overdue'; deadline: string } | { status: 'assigned'; deadline: null },
): Promise<void> {
  await db.query(
    `UPDATE leads SET status = $3, sla_deadline = $4, updated_at = now()
      WHERE id = $1 AND owner_rep_id = $2 AND status IN ('assigned', 'first-touch-overdue')`,
    [leadId, repId, state.status, state.deadline],
  );
}

/**
 * The owner let the first-touch SLA pass and the lead is offered again: it has no owner until someone claims it.
 * False when `repId` no longer owns it (a retry after it was released, or someone else claimed it since).
 */
export async function releaseOwner(tx: PoolClient, leadId: string, repId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'UPDATE leads SET owner_rep_id = NULL, updated_at = now() WHERE id = $1 AND owner_rep_id = $2',
    [leadId, repId],
  );
  return rowCount === 1;
}

/** What the lead's steps read of it: the lead as intake normalised it, and what matching and qualification made of it. */
export interface LeadFacts {
  leadId: string;
  receivedAt: string;
  lead: NormalisedLead;
  match: LeadMatch | null;
  qualification: Qualification | null;
  teamId: string | null;
  status: LeadStatus;
}

const readFactsStatement = prepared(
  'leads.read-facts',
  'SELECT received_at, normalised, match, qualification, team_id, status FROM leads WHERE id = $1',
);

export async function readLeadFacts(db: Pool | PoolClient, leadId: string): Promise<LeadFacts | null> {
  const { rows } = await db.query<{
    received_at: Date;
    normalised: NormalisedLead;
    match: LeadMatch | null;
    qualification: Qualification | null;
    team_id: string | null;
    status: LeadStatus;
  }>(readFactsStatement([leadId]));
  const row = rows[0];
  if (!row) return null;
  return {
    leadId,
    receivedAt: row.received_at.toISOString(),
    lead: row.normalised,
    match: row.match,
    qualification: row.qualification,
    teamId: row.team_id,
    status: row.status,
  };
}
