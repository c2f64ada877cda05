// The queue sizes the metrics report, read at each scrape: two aggregate statements over indexed columns.
import type { Pool } from 'pg';
import { prepared } from './pool';

const openLeadsStatement = prepared(
  'metrics.open-leads',
  `SELECT status, count(*)::int AS count FROM leads
    WHERE status NOT IN ('assigned', 'first-touch-overdue', 'rejected-spam') GROUP BY status`,
);

export async function countOpenLeads(db: Pool): Promise<Array<{ status: string; count: number }>> {
  return (await db.query<{ status: string; count: number }>(openLeadsStatement([]))).rows;
}

const untoldStatement = prepared(
  'metrics.untold-offers',
  `SELECT coalesce(l.tier, 'none') AS tier, count(*)::int AS count,
          extract(epoch FROM now() - min(o.offered_at))::float8 AS oldest
     FROM lead_offers o JOIN leads l ON l.id = o.lead_id
    WHERE o.status = 'open' AND o.told_at IS NULL AND o.kind <> 'catch-all'
    GROUP BY 1`,
);

/** Offers opened whose email the mail server has not taken yet, by the lead's tier, with the oldest one's age. */
export async function countUntoldOffers(
  db: Pool,
): Promise<Array<{ tier: string; count: number; oldestSeconds: number }>> {
  const { rows } = await db.query<{ tier: string; count: number; oldest: number }>(untoldStatement([]));
  return rows.map((r) => ({ tier: r.tier, count: r.count, oldestSeconds: r.oldest }));
}
