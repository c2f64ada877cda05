// Offers of a lead (lead_offers): one row per offer the workflow makes, closed when it is answered or times out.
// Open offers per rep are the load that capacity caps and least-loaded routing decide over.
import type { Pool, PoolClient } from 'pg';
import type { LeadStatus } from '../src/lead';
import type { OfferStage } from '../src/routing/plan';
import { prepared } from './pool';

/** Open offers per rep, in total and per lead tier. A rep without open offers is absent. */
export type RepLoad = Record<string, { total: number; byTier: Record<string, number> }>;

/** `withdrawn`: a step failed in a way retrying cannot cure before the rep could answer; the lead needs a person. */
export type OfferStatus = 'accepted' | 'declined' | 'timed-out' | 'withdrawn';

/** The stage an offer was made under; the catch-all queue's names whom to alert. */
/** `untouchedBy`: a catch-all offer made again because that owner reported no first touch in time. */
export type OfferedStage = OfferStage & { alertEmail?: string; untouchedBy?: string };

/** An offer as stored: the stage it was made under, and since when its rep knows (null while notifying). */
export interface StoredOffer {
  leadId: string;
  offerNumber: number;
  stage: OfferedStage;
  offeredAt: string;
  toldAt: string | null;
  deadline: string | null;
  status: 'open' | OfferStatus;
}

interface OfferRow {
  stage: OfferedStage;
  offered_at: Date;
  told_at: Date | null;
  deadline: Date | null;
  status: StoredOffer['status'];
}
const offerColumns = 'stage, offered_at, told_at, deadline, status';
const storedOffer = (leadId: string, offerNumber: number, row: OfferRow): StoredOffer => ({
  leadId,
  offerNumber,
  stage: row.stage,
  offeredAt: row.offered_at.toISOString(),
  toldAt: row.told_at?.toISOString() ?? null,
  deadline: row.deadline?.toISOString() ?? null,
  status: row.status,
});

const insertStatement = prepared(
  'lead-offers.insert',
  `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, deadline, stage)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (lead_id, offer_number) DO NOTHING
   RETURNING ${offerColumns}`,
);

/**
 * Stores an offer as open with no deadline yet; one already stored under its number (a retry) is left as it is.
 * Returns the offer as stored, and whether this call stored it.
 */
export async function insertOffer(
  db: Pool | PoolClient,
  o: { leadId: string; offerNumber: number; stage: OfferedStage; offeredAt: string; deadline?: string | null },
): Promise<{ offer: StoredOffer; inserted: boolean }> {
  const { rows } = await db.query<OfferRow>(
    insertStatement([
      o.leadId,
      o.offerNumber,
      o.stage.kind,
      o.stage.level,
      o.stage.repIds,
      o.offeredAt,
      o.deadline ?? null,
      JSON.stringify(o.stage),
    ]),
  );
  const row = rows[0];
  if (row) return { offer: storedOffer(o.leadId, o.offerNumber, row), inserted: true };
  const stored = await readOffer(db, o.leadId, o.offerNumber);
  if (!stored) throw new Error(`offer ${o.offerNumber} of lead ${o.leadId} was neither stored nor found`);
  return { offer: stored, inserted: false };
}

const readStatement = prepared(
  'lead-offers.read',
  `SELECT ${offerColumns} FROM lead_offers WHERE lead_id = $1 AND offer_number = $2`,
);

export async function readOffer(
  db: Pool | PoolClient,
  leadId: string,
  offerNumber: number,
): Promise<StoredOffer | null> {
  const { rows } = await db.query<OfferRow>(readStatement([leadId, offerNumber]));
  const row = rows[0];
  return row ? storedOffer(leadId, offerNumber, row) : null;
}

const toldStatement = prepared(
  'lead-offers.told',
  // One statement, so one snapshot: the lead's status moves only while this offer is its latest and still open
  // (a late attempt must not move an assigned lead, or one at a later offer, back), and the told event is written
  // with the first delivery's moment, or was written with it already.
  `WITH told AS (
     UPDATE lead_offers SET told_at = COALESCE(told_at, $3), deadline = CASE WHEN told_at IS NULL THEN $4 ELSE deadline END
      WHERE lead_id = $1 AND offer_number = $2
     RETURNING told_at, deadline
   ), progress AS (
     UPDATE leads SET status = $5, escalation_level = $6, sla_deadline = (SELECT deadline FROM told),
                      offered_rep_ids = $7, updated_at = now()
      WHERE id = $1
        AND EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead_id = $1 AND o.offer_number = $2 AND o.status = 'open')
        AND NOT EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead_id = $1 AND o.offer_number > $2)
   ), event AS (
     INSERT INTO lead_events (lead_id, key, kind, at, offer_number, rep_id, summary, detail)
     SELECT $1, 'offer:' || $2 || ':told', 'told', told_at, $2, $8, $9, '{}'::jsonb FROM told
     ON CONFLICT (lead_id, key) DO NOTHING
   )
   SELECT told_at, deadline FROM told`,
);

/**
 * The rep was told: the offer's deadline now counts, the lead shows it, and the timeline says so. The first call
 * wins, so a retried step reads the moment and deadline of the email that actually went out. Returns what is
 * stored. `summary` describes the told event as of `toldAt`, written only by the call that sets it.
 */
export async function recordOfferTold(
  db: Pool | PoolClient,
  t: {
    leadId: string;
    offerNumber: number;
    toldAt: string;
    deadline: string;
    lead: { status: LeadStatus; escalationLevel: number; offeredRepIds: string[] };
    repId: string | null;
    summary: string;
  },
): Promise<{ toldAt: string; deadline: string }> {
  const { rows } = await db.query<{ told_at: Date; deadline: Date }>(
    toldStatement([
      t.leadId,
      t.offerNumber,
      t.toldAt,
      t.deadline,
      t.lead.status,
      t.lead.escalationLevel,
      t.lead.offeredRepIds,
      t.repId,
      t.summary,
    ]),
  );
  const row = rows[0];
  if (!row) throw new Error(`lead ${t.leadId} has no offer ${t.offerNumber}`);
  return { toldAt: row.told_at.toISOString(), deadline: row.deadline.toISOString() };
}

const closeStatement = prepared(
  'lead-offers.close',
  `UPDATE lead_offers SET status = $3, answered_by = $4, reason = $5, closed_at = $6
    WHERE lead_id = $1 AND offer_number = $2 AND status = 'open'
   RETURNING ${offerColumns}`,
);

/** Closes an open offer and returns it as closed; a closed one keeps its first outcome, and null is returned. */
export async function closeOffer(
  db: Pool | PoolClient,
  c: {
    leadId: string;
    offerNumber: number;
    status: OfferStatus;
    answeredBy: string | null;
    reason: string | null;
    at: string;
  },
): Promise<StoredOffer | null> {
  const { rows } = await db.query<OfferRow>(
    closeStatement([c.leadId, c.offerNumber, c.status, c.answeredBy, c.reason, c.at]),
  );
  const row = rows[0];
  return row ? storedOffer(c.leadId, c.offerNumber, row) : null;
}

const repLoadStatement = prepared(
  'lead-offers.rep-load',
  `SELECT r.rep_id, l.tier, count(*)::int AS n
     FROM lead_offers o CROSS JOIN LATERAL unnest(o.rep_ids) AS r(rep_id) JOIN leads l ON l.id = o.lead_id
    WHERE o.status = 'open'
    GROUP BY r.rep_id, l.tier`,
);

export async function loadRepLoad(db: Pool | PoolClient): Promise<RepLoad> {
  const { rows } = await db.query<{ rep_id: string; tier: string | null; n: number }>(repLoadStatement([]));
  // Keyed by rep ids an admin chooses: no prototype, so a rep called `constructor` is just a key.
  const load = Object.create(null) as RepLoad;
  for (const row of rows) {
    const entry = (load[row.rep_id] ??= { total: 0, byTier: {} });
    entry.total += row.n;
    if (row.tier) entry.byTier[row.tier] = (entry.byTier[row.tier] ?? 0) + row.n;
  }
  return load;
}
