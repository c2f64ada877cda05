// A lead's view read back from Postgres: for a closed lead (the workflow's query answers while it runs), and for a
// lead whose workflow has not yet recorded it (only its submission exists) or cannot answer a query just now.
import type { Pool } from 'pg';
import type { LeadStatus } from '../src/lead';
import type { NormalisedLead } from '../src/intake/normalised-lead';
import { receivedLeadView, type LeadView, type OfferView } from '../workflows/messages';

export interface LeadPerson {
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  message: string | null;
  source: string | null;
}

export async function readLeadRecord(db: Pool, leadId: string): Promise<LeadView | null> {
  const lead = await db.query<{
    status: LeadStatus;
    sla_deadline: Date | null;
    escalation_level: number;
    team_id: string | null;
    owner_rep_id: string | null;
    qualification: unknown;
  }>('SELECT status, sla_deadline, escalation_level, team_id, owner_rep_id, qualification FROM leads WHERE id = $1', [
    leadId,
  ]);
  const row = lead.rows[0];
  if (!row) return readSubmittedLead(db, leadId);
  // The routing explanation: the timeline's routed event, or the decision log of leads from before it.
  const routed = await db.query<{ summary: string }>(
    `(SELECT summary, 1 AS pref, at FROM lead_events WHERE lead_id = $1 AND kind = 'routed')
     UNION ALL (SELECT summary, 2 AS pref, decided_at AS at FROM lead_decisions WHERE lead_id = $1 AND kind = 'routed')
     ORDER BY pref, at LIMIT 1`,
    [leadId],
  );
  const offerViews = (await readStoredOffers(db, leadId)).map((o) => o.view);
  const merged = await db.query<{ submission_id: string; source: string; received_at: Date }>(
    'SELECT submission_id, source, received_at FROM lead_submissions WHERE lead_id = $1 AND merged ORDER BY received_at',
    [leadId],
  );
  return {
    leadId,
    status: row.status,
    deadline: row.sla_deadline?.toISOString() ?? null,
    escalationLevel: row.escalation_level,
    teamId: row.team_id,
    owner: row.owner_rep_id,
    currentOffer: offerViews.find((o) => o.outcome === 'open') ?? null,
    offers: offerViews,
    qualification: (row.qualification as LeadView['qualification']) ?? null,
    routing: routed.rows[0]?.summary ?? null,
    ignoredSignals: [],
    merged: merged.rows.map((m) => ({
      submissionId: m.submission_id,
      source: m.source,
      receivedAt: m.received_at.toISOString(),
    })),
  };
}

/** Accepted by the API, not yet recorded by its workflow: it is `received`, with intake's deadline. */
async function readSubmittedLead(db: Pool, leadId: string): Promise<LeadView | null> {
  const { rows } = await db.query<{ received_at: Date }>(
    'SELECT received_at FROM lead_submissions WHERE lead_id = $1 AND NOT merged ORDER BY received_at LIMIT 1',
    [leadId],
  );
  const first = rows[0];
  if (!first) return null;
  return receivedLeadView(leadId, first.received_at.getTime());
}

/** Whom the lead is about: the recorded lead, else its first submission. Only for callers who may see it. */
export async function readLeadPerson(db: Pool, leadId: string): Promise<LeadPerson | null> {
  const recorded = await db.query<LeadPerson>(
    'SELECT name, email, phone, company, message, source FROM leads WHERE id = $1',
    [leadId],
  );
  if (recorded.rows[0]) return recorded.rows[0];
  const submitted = await db.query<{ lead: NormalisedLead }>(
    'SELECT lead FROM lead_submissions WHERE lead_id = $1 AND NOT merged ORDER BY received_at LIMIT 1',
    [leadId],
  );
  const lead = submitted.rows[0]?.lead;
  return lead
    ? {
        name: lead.name,
        email: lead.email,
        phone: lead.phone,
        company: lead.company,
        message: lead.text,
        source: lead.source,
      }
    : null;
}

export interface StoredOffer {
  view: OfferView;
  closedAt: string | null;
}

/** The lead's offers as lead_offers holds them (statuses: open, accepted, declined, timed-out), in offer order. */
export async function readStoredOffers(db: Pool, leadId: string): Promise<StoredOffer[]> {
  const { rows } = await db.query<{
    offer_number: number;
    kind: OfferView['kind'];
    level: number;
    rep_ids: string[];
    offered_at: Date;
    deadline: Date;
    status: OfferView['outcome'];
    answered_by: string | null;
    reason: string | null;
    closed_at: Date | null;
  }>(
    'SELECT offer_number, kind, level, rep_ids, offered_at, deadline, status, answered_by, reason, closed_at FROM lead_offers WHERE lead_id = $1 ORDER BY offer_number',
    [leadId],
  );
  return rows.map((o) => ({
    view: {
      offerNumber: o.offer_number,
      kind: o.kind,
      level: o.level,
      repIds: o.rep_ids,
      offeredAt: o.offered_at.toISOString(),
      deadline: o.deadline.toISOString(),
      outcome: o.status,
      ...(o.answered_by ? { answeredBy: o.answered_by } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
    },
    closedAt: o.closed_at?.toISOString() ?? null,
  }));
}
