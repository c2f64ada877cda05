// Offers of a lead (lead_offers): one row per offer the workflow makes, closed when it is answered or times out.
// Open offers per rep are the load that capacity caps and least-loaded routing decide over.
import type { Pool, PoolClient } from 'pg';
import type { OfferStage } from '../src/routing/plan';

/** Open offers per rep, in total and per lead tier. A rep without open offers is absent. */
export type RepLoad = Record<string, { total: number; byTier: Record<string, number> }>;

/** `withdrawn`: a step failed in a way retrying cannot cure before the rep could answer; the lead needs a person. */
export type OfferStatus = 'accepted' | 'declined' | 'timed-out' | 'withdrawn';

/** The stage an offer was made under; the catch-all queue's names whom to alert. */
export type OfferedStage = OfferStage & { alertEmail?: string };

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

/**
 * Stores an offer as open with no deadline yet; one already stored under its number (a retry) is left as it is.
 * True when this call stored it.
 */
export async function insertOffer(
  db: Pool | PoolClient,
  o: { leadId: string; offerNumber: number; stage: OfferedStage; offeredAt: string; deadline?: string | null },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, deadline, stage)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (lead_id, offer_number) DO NOTHING`,
    [
      o.leadId,
      o.offerNumber,
      o.stage.kind,
      o.stage.level,
      o.stage.repIds,
      o.offeredAt,
      o.deadline ?? null,
      JSON.stringify(o.stage),
    ],
  );
  return rowCount === 1;
}

export async function readOffer(
  db: Pool | PoolClient,
  leadId: string,
  offerNumber: number,
): Promise<StoredOffer | null> {
  const { rows } = await db.query<{
    stage: OfferedStage;
    offered_at: Date;
    told_at: Date | null;
    deadline: Date | null;
    status: StoredOffer['status'];
  }>('SELECT stage, offered_at, told_at, deadline, status FROM lead_offers WHERE lead_id = $1 AND offer_number = $2', [
    leadId,
    offerNumber,
  ]);
  const row = rows[0];
  if (!row) return null;
  return {
    leadId,
    offerNumber,
    stage: row.stage,
    offeredAt: row.offered_at.toISOString(),
    toldAt: row.told_at?.toISOString() ?? null,
    deadline: row.deadline?.toISOString() ?? null,
    status: row.status,
  };
}

/**
 * The rep was told: the offer's deadline now counts. The first call wins, so a retried step reads the moment and
 * deadline of the email that actually went out. Returns what is stored.
 */
export async function markOfferTold(
  db: Pool | PoolClient,
  t: { leadId: string; offerNumber: number; toldAt: string; deadline: string },
): Promise<{ toldAt: string; deadline: string }> {
  const { rows } = await db.query<{ told_at: Date; deadline: Date }>(
    `UPDATE lead_offers SET told_at = COALESCE(told_at, $3), deadline = CASE WHEN told_at IS NULL THEN $4 ELSE deadline END
      WHERE lead_id = $1 AND offer_number = $2 RETURNING told_at, deadline`,
    [t.leadId, t.offerNumber, t.toldAt, t.deadline],
  );
  const row = rows[0];
  if (!row) throw new Error(`lead ${t.leadId} has no offer ${t.offerNumber}`);
  return { toldAt: row.told_at.toISOString(), deadline: row.deadline.toISOString() };
}

/** Closes an open offer; a closed one keeps its first outcome. */
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
): Promise<void> {
  await db.query(
    `UPDATE lead_offers SET status = $3, answered_by = $4, reason = $5, closed_at = $6
      WHERE lead_id = $1 AND offer_number = $2 AND status = 'open'`,
    [c.leadId, c.offerNumber, c.status, c.answeredBy, c.reason, c.at],
  );
}

export async function loadRepLoad(db: Pool | PoolClient): Promise<RepLoad> {
  const { rows } = await db.query<{ rep_id: string; tier: string | null; n: number }>(
    `SELECT r.rep_id, l.tier, count(*)::int AS n
       FROM lead_offers o CROSS JOIN LATERAL unnest(o.rep_ids) AS r(rep_id) JOIN leads l ON l.id = o.lead_id
      WHERE o.status = 'open'
      GROUP BY r.rep_id, l.tier`,
  );
  // Keyed by rep ids an admin chooses: no prototype, so a rep called `constructor` is just a key.
  const load = Object.create(null) as RepLoad;
  for (const row of rows) {
    const entry = (load[row.rep_id] ??= { total: 0, byTier: {} });
    entry.total += row.n;
    if (row.tier) entry.byTier[row.tier] = (entry.byTier[row.tier] ?? 0) + row.n;
  }
  return load;
}
