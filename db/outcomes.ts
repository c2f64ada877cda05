// Outcomes reported for leads: stored once per (lead, external id), each written to the lead's timeline in the
// same transaction.
import type { Pool, PoolClient } from 'pg';
import {
  defaultExternalId,
  describeOutcome,
  sameOutcome,
  type OutcomeEvent,
  type OutcomeInput,
  type StoredOutcome,
} from '../src/outcomes';
import { recordEvent } from './events';
import { withTransaction } from './pool';

type Queryable = Pool | PoolClient;

interface OutcomeRow {
  id: string;
  lead_id: string;
  event: OutcomeEvent;
  at: Date;
  amount: string | null;
  currency: string | null;
  reason: string | null;
  external_id: string;
  reported_by: string;
  rep_id: string;
  created_at: Date;
}

const toOutcome = (r: OutcomeRow): StoredOutcome => ({
  id: Number(r.id),
  leadId: r.lead_id,
  event: r.event,
  at: r.at.toISOString(),
  amount: r.amount === null ? null : Number(r.amount),
  currency: r.currency,
  reason: r.reason,
  externalId: r.external_id,
  reportedBy: r.reported_by,
  repId: r.rep_id,
  createdAt: r.created_at.toISOString(),
});

export type RecordedOutcome = { created: true; outcome: StoredOutcome } | { created: false; outcome: StoredOutcome };

export type OutcomeReport =
  | { result: 'created' | 'repeated'; outcome: StoredOutcome }
  | { result: 'conflict'; outcome: StoredOutcome; externalId: string }
  | { result: 'no-lead' | 'unowned' };

/**
 * Reports an outcome of a lead, credited to its owner: created, or repeated (the same report under the same
 * external id: nothing written), or a conflict (that id already records something else); a lead that does not
 * exist or has no owner yet takes none. What the API and the CSV import both do.
 */
export async function reportOutcomeOf(
  db: Pool,
  leadId: string,
  input: OutcomeInput,
  reportedBy: string,
): Promise<OutcomeReport> {
  const { rows } = await db.query<{ owner_rep_id: string | null }>('SELECT owner_rep_id FROM leads WHERE id = $1', [
    leadId,
  ]);
  if (!rows[0]) return { result: 'no-lead' };
  const owner = rows[0].owner_rep_id;
  if (!owner) return { result: 'unowned' };
  const externalId = input.externalId ?? defaultExternalId(input);
  const recorded = await recordOutcome(db, { ...input, leadId, externalId, reportedBy, repId: owner });
  if (recorded.created) return { result: 'created', outcome: recorded.outcome };
  return sameOutcome(recorded.outcome, input)
    ? { result: 'repeated', outcome: recorded.outcome }
    : { result: 'conflict', outcome: recorded.outcome, externalId };
}

/**
 * Stores the outcome credited to `repId` and writes it to the timeline; when one is already stored under its
 * external id, returns that one unchanged (created: false) for the caller to compare.
 */
export async function recordOutcome(
  db: Pool,
  o: OutcomeInput & { leadId: string; externalId: string; reportedBy: string; repId: string },
): Promise<RecordedOutcome> {
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<OutcomeRow>(
      `INSERT INTO lead_outcomes (lead_id, event, at, amount, currency, reason, external_id, reported_by, rep_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (lead_id, external_id) DO NOTHING RETURNING *`,
      [
        o.leadId,
        o.event,
        o.at,
        o.amount ?? null,
        o.currency ?? null,
        o.reason ?? null,
        o.externalId,
        o.reportedBy,
        o.repId,
      ],
    );
    if (rows[0]) {
      const outcome = toOutcome(rows[0]);
      await recordEvent(tx, {
        leadId: o.leadId,
        key: `outcome:${outcome.id}`,
        kind: 'outcome',
        at: outcome.at,
        repId: outcome.repId,
        summary: describeOutcome(outcome),
        detail: { event: outcome.event, externalId: outcome.externalId, reportedBy: outcome.reportedBy },
      });
      return { created: true, outcome };
    }
    const existing = await tx.query<OutcomeRow>('SELECT * FROM lead_outcomes WHERE lead_id = $1 AND external_id = $2', [
      o.leadId,
      o.externalId,
    ]);
    return { created: false, outcome: toOutcome(existing.rows[0]!) };
  });
}

export async function listOutcomes(db: Queryable, leadId: string): Promise<StoredOutcome[]> {
  const { rows } = await db.query<OutcomeRow>('SELECT * FROM lead_outcomes WHERE lead_id = $1 ORDER BY at, id', [
    leadId,
  ]);
  return rows.map(toOutcome);
}

/** Owned leads whose contact has this email: what a CRM export that names the person, not the lead, may mean. */
export async function ownedLeadsByEmail(db: Queryable, email: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM leads WHERE email_normalised = lower($1) AND owner_rep_id IS NOT NULL ORDER BY received_at DESC, id`,
    [email.trim()],
  );
  return rows.map((r) => r.id);
}

/**
 * When `repId` first reported contact with the lead (any funnel event but a loss, credited to them), or null:
 * the first-touch SLA's steps check it, so a signal lost on the way changes nothing.
 */
export async function firstTouchAt(db: Queryable, leadId: string, repId: string): Promise<string | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    "SELECT min(at) AS at FROM lead_outcomes WHERE lead_id = $1 AND rep_id = $2 AND event <> 'lost'",
    [leadId, repId],
  );
  return rows[0]?.at?.toISOString() ?? null;
}
