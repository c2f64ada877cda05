// A closed lead's view, read back from Postgres (the workflow's query answers while it runs).
import type { Pool } from 'pg';
import type { LeadView, OfferView } from '../workflows/messages';
import type { LeadStatus } from '../src/lead';

export async function readLeadRecord(db: Pool, leadId: string): Promise<(LeadView & { decisions: Array<{ kind: string; summary: string; at: string }> }) | null> {
  const lead = await db.query<{ status: LeadStatus; sla_deadline: Date | null; escalation_level: number; team_id: string | null; owner_rep_id: string | null }>(
    'SELECT status, sla_deadline, escalation_level, team_id, owner_rep_id FROM leads WHERE id = $1',
    [leadId],
  );
  const row = lead.rows[0];
  if (!row) return null;
  const offers = await db.query<{ offer_number: number; kind: OfferView['kind']; level: number; rep_ids: string[]; offered_at: Date; deadline: Date; status: OfferView['outcome']; answered_by: string | null; reason: string | null }>(
    'SELECT offer_number, kind, level, rep_ids, offered_at, deadline, status, answered_by, reason FROM lead_offers WHERE lead_id = $1 ORDER BY offer_number',
    [leadId],
  );
  const decisions = await db.query<{ kind: string; summary: string; decided_at: Date }>('SELECT kind, summary, decided_at FROM lead_decisions WHERE lead_id = $1 ORDER BY decided_at, seq', [leadId]);
  const offerViews: OfferView[] = offers.rows.map((o) => ({
    offerNumber: o.offer_number,
    kind: o.kind,
    level: o.level,
    repIds: o.rep_ids,
    offeredAt: o.offered_at.toISOString(),
    deadline: o.deadline.toISOString(),
    outcome: o.status,
    ...(o.answered_by ? { answeredBy: o.answered_by } : {}),
    ...(o.reason ? { reason: o.reason } : {}),
  }));
  return {
    leadId,
    status: row.status,
    deadline: row.sla_deadline?.toISOString() ?? null,
    escalationLevel: row.escalation_level,
    teamId: row.team_id,
    owner: row.owner_rep_id,
    currentOffer: offerViews.find((o) => o.outcome === 'open') ?? null,
    offers: offerViews,
    qualification: null,
    routing: decisions.rows.find((d) => d.kind === 'routed')?.summary ?? null,
    ignoredSignals: [],
    decisions: decisions.rows.map((d) => ({ kind: d.kind, summary: d.summary, at: d.decided_at.toISOString() })),
  };
}
