// TEMPORARY stand-in for `listEvents(db, leadId)` from db/events.ts, which another branch adds while it drops
// lead_decisions: the same contract (a lead's timeline, in order), read straight from lead_events. When that
// branch is merged, import listEvents from '../../db/events' in the tests and delete this file.
import type { Pool } from 'pg';

export interface LeadEvent {
  key: string;
  kind: string;
  at: Date;
  offerNumber: number | null;
  repId: string | null;
  summary: string;
  detail: unknown;
}

export async function listEvents(db: Pool, leadId: string): Promise<LeadEvent[]> {
  const { rows } = await db.query<{
    key: string;
    kind: string;
    at: Date;
    offer_number: number | null;
    rep_id: string | null;
    summary: string;
    detail: unknown;
  }>(
    'SELECT key, kind, at, offer_number, rep_id, summary, detail FROM lead_events WHERE lead_id = $1 ORDER BY at, seq',
    [leadId],
  );
  return rows.map((r) => ({
    key: r.key,
    kind: r.kind,
    at: r.at,
    offerNumber: r.offer_number,
    repId: r.rep_id,
    summary: r.summary,
    detail: r.detail,
  }));
}
