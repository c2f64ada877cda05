// The lead's timeline, which is also its decision log: what happened to the lead, in order, each row keyed by
// a name the caller chooses (`received`, `routed`, `offer:2:declined`), so a retried write never repeats it.
import type { Pool, PoolClient } from 'pg';
import { prepared } from './pool';

export interface LeadEvent {
  /** Write order: the tie-break between events at the same instant. */
  seq: number;
  /** Unique per lead: `received`, `matched`, `offer:2:opened`, `merged:<submission id>`, … */
  key: string;
  /** What happened, as the timeline says it: received, scored, routed, offered, escalated, reminded, … */
  kind: string;
  /** ISO-8601. */
  at: string;
  offerNumber: number | null;
  repId: string | null;
  summary: string;
  detail: unknown;
  /** The workflow's name for the decision this event records (matched, qualified, offered, …); null if none. */
  decision: string | null;
}

export type NewLeadEvent = Pick<LeadEvent, 'key' | 'kind' | 'at' | 'summary'> &
  Partial<Pick<LeadEvent, 'offerNumber' | 'repId' | 'detail' | 'decision'>> & { leadId: string };

const eventColumns = 'lead_id, key, kind, at, offer_number, rep_id, summary, detail, decision';
const eventParams = (event: NewLeadEvent) => [
  event.leadId,
  event.key,
  event.kind,
  event.at,
  event.offerNumber ?? null,
  event.repId ?? null,
  event.summary,
  JSON.stringify(event.detail ?? {}),
  event.decision ?? null,
];
/** One statement per number of rows written at once (a step writes at most a few). */
const insertEvents = [1, 2, 3].map((rows) =>
  prepared(
    `lead-events.insert.${rows}`,
    `INSERT INTO lead_events (${eventColumns})
     VALUES ${Array.from({ length: rows }, (_, r) => `(${Array.from({ length: 9 }, (_, c) => `$${r * 9 + c + 1}`).join(', ')})`).join(', ')}
     ON CONFLICT (lead_id, key) DO NOTHING`,
  ),
);

/** Writes one event; an event already recorded under its key is left as it was. True when this call wrote it. */
export async function recordEvent(on: Pool | PoolClient, event: NewLeadEvent): Promise<boolean> {
  const { rowCount } = await on.query(insertEvents[0]!(eventParams(event)));
  return rowCount === 1;
}

/** Writes a step's events in one statement, in order; each already recorded under its key is left as it was. */
export async function recordEvents(on: Pool | PoolClient, events: NewLeadEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += insertEvents.length) {
    const batch = events.slice(i, i + insertEvents.length);
    await on.query(insertEvents[batch.length - 1]!(batch.flatMap(eventParams)));
  }
}

interface EventRow {
  seq: string;
  key: string;
  kind: string;
  at: Date;
  offer_number: number | null;
  rep_id: string | null;
  summary: string;
  detail: unknown;
  decision: string | null;
}

/** The lead's events, oldest first; events at the same instant in the order they were written. */
export async function listEvents(db: Pool | PoolClient, leadId: string): Promise<LeadEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT seq, key, kind, at, offer_number, rep_id, summary, detail, decision
       FROM lead_events WHERE lead_id = $1 ORDER BY at, seq`,
    [leadId],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    key: r.key,
    kind: r.kind,
    at: r.at.toISOString(),
    offerNumber: r.offer_number,
    repId: r.rep_id,
    summary: r.summary,
    detail: r.detail,
    decision: r.decision,
  }));
}
