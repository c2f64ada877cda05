// Offers of a lead (lead_offers): one row per offer the workflow makes, closed when it is answered or times out.
// Open offers per rep are the load that capacity caps and least-loaded routing decide over.
import type { Pool, PoolClient } from 'pg';
import type { OfferStage } from '../src/routing/plan';

/** Open offers per rep, in total and per lead tier. A rep without open offers is absent. */
export type RepLoad = Record<string, { total: number; byTier: Record<string, number> }>;

export type OfferStatus = 'accepted' | 'declined' | 'timed-out';

/** Stores an offer as open; an offer already stored under its number (a retried activity) is left as it is. */
export async function insertOffer(
  db: Pool | PoolClient,
  o: {
    leadId: string;
    offerNumber: number;
    stage: Pick<OfferStage, 'kind' | 'level' | 'repIds'>;
    offeredAt: string;
    deadline: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (lead_id, offer_number) DO NOTHING`,
    [o.leadId, o.offerNumber, o.stage.kind, o.stage.level, o.stage.repIds, o.offeredAt, o.deadline],
  );
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
