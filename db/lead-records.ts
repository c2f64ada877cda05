// The read model of a lead as the API and the rep pages show it: its record, offers, timeline and routing
// explanation, a rep's open offers, and past leads for policy simulation. Reads only: the lead's activities write
// these tables as the workflow goes.
import type { Pool, PoolClient } from 'pg';
import type { LeadStatus } from '../src/lead';
import type { SimulatedLead } from '../src/routing/simulation';
import type { Tier, Urgency } from '../src/qualification';
import { receivedLeadView, type LeadView, type OfferView } from '../workflows/messages';
import { firstTouchAt } from './outcomes';
import { readFirstSubmission, readSubmissionsOfLead } from './submissions';

type Queryable = Pool | PoolClient;

/**
 * A closed lead's view (the workflow's query answers while it runs), or the view of a lead whose workflow has not
 * yet recorded it (only its submission exists: it is `received`, with intake's deadline). Null for no such lead.
 */
export async function readLeadRecord(db: Queryable, leadId: string): Promise<LeadView | null> {
  const { rows } = await db.query<{
    status: LeadStatus;
    sla_deadline: Date | null;
    escalation_level: number;
    team_id: string | null;
    owner_rep_id: string | null;
    qualification: unknown;
    source: string;
  }>(
    'SELECT status, sla_deadline, escalation_level, team_id, owner_rep_id, qualification, source FROM leads WHERE id = $1',
    [leadId],
  );
  const row = rows[0];
  if (!row) {
    const submitted = await readFirstSubmission(db, leadId);
    return submitted ? receivedLeadView(leadId, submitted.receivedAt.getTime()) : null;
  }
  const offerViews = (await readStoredOffers(db, leadId)).map((o) => o.view);
  return {
    leadId,
    source: row.source,
    status: row.status,
    deadline: row.sla_deadline?.toISOString() ?? null,
    escalationLevel: row.escalation_level,
    teamId: row.team_id,
    owner: row.owner_rep_id,
    currentOffer: offerViews.find((o) => o.outcome === 'open') ?? null,
    offers: offerViews,
    qualification: (row.qualification as LeadView['qualification']) ?? null,
    routing: await readRoutingSummary(db, leadId),
    ignoredSignals: [],
    merged: (await readSubmissionsOfLead(db, leadId)).merged.map(({ submissionId, lead, receivedAt }) => ({
      submissionId,
      source: lead.source,
      receivedAt: receivedAt.toISOString(),
    })),
    problem: await readProblem(db, leadId),
    firstTouch: row.owner_rep_id ? await readFirstTouch(db, leadId, row.owner_rep_id) : null,
  };
}

/** The owner's first-touch SLA as their assignment recorded it, and when they reported the first touch. */
async function readFirstTouch(db: Queryable, leadId: string, owner: string): Promise<LeadView['firstTouch']> {
  const { rows } = await db.query<{ due_at: string | null; sla_text: string | null }>(
    `SELECT e.detail #>> '{firstTouch,dueAt}' AS due_at, e.detail #>> '{firstTouch,slaText}' AS sla_text
       FROM lead_events e
      WHERE e.lead_id = $1 AND e.kind = 'assigned' AND e.rep_id = $2
      ORDER BY e.at DESC, e.seq DESC LIMIT 1`,
    [leadId, owner],
  );
  const row = rows[0];
  if (!row?.due_at || !row.sla_text) return null;
  return { dueAt: row.due_at, slaText: row.sla_text, touchedAt: await firstTouchAt(db, leadId, owner) };
}

/** Why the lead needs a person, if a step failed that retrying could not cure. */
async function readProblem(db: Queryable, leadId: string): Promise<string | null> {
  const { rows } = await db.query<{ summary: string }>(
    `SELECT summary FROM lead_events WHERE lead_id = $1 AND kind = 'needs-attention' ORDER BY at DESC, seq DESC LIMIT 1`,
    [leadId],
  );
  return rows[0]?.summary ?? null;
}

/** Why the lead went where it went, in words: the summary of its timeline's routed event. */
async function readRoutingSummary(db: Queryable, leadId: string): Promise<string | null> {
  const { rows } = await db.query<{ summary: string }>(
    `SELECT summary FROM lead_events WHERE lead_id = $1 AND kind = 'routed' ORDER BY at, seq LIMIT 1`,
    [leadId],
  );
  return rows[0]?.summary ?? null;
}

/** The routing decision in structure (policy, rule, candidates, exclusions, SLA), as routing stored it. */
export async function readRoutingExplanation(db: Queryable, leadId: string): Promise<Record<string, unknown> | null> {
  const { rows } = await db.query<{ explanation: Record<string, unknown> | null }>(
    `SELECT plan -> 'explanation' AS explanation FROM routing_decisions WHERE lead_id = $1`,
    [leadId],
  );
  return rows[0]?.explanation ?? null;
}

export interface LeadPerson {
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  message: string | null;
  source: string | null;
}

/** Whom the lead is about: the recorded lead, else its first submission. Only for callers who may see it. */
export async function readLeadPerson(db: Queryable, leadId: string): Promise<LeadPerson | null> {
  const recorded = await db.query<LeadPerson>(
    'SELECT name, email, phone, company, message, source FROM leads WHERE id = $1',
    [leadId],
  );
  if (recorded.rows[0]) return recorded.rows[0];
  const lead = (await readFirstSubmission(db, leadId))?.lead;
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
export async function readStoredOffers(db: Queryable, leadId: string): Promise<StoredOffer[]> {
  const { rows } = await db.query<{
    offer_number: number;
    kind: OfferView['kind'];
    level: number;
    rep_ids: string[];
    offered_at: Date;
    told_at: Date | null;
    deadline: Date | null;
    status: OfferView['outcome'];
    answered_by: string | null;
    reason: string | null;
    closed_at: Date | null;
  }>(
    'SELECT offer_number, kind, level, rep_ids, offered_at, told_at, deadline, status, answered_by, reason, closed_at FROM lead_offers WHERE lead_id = $1 ORDER BY offer_number',
    [leadId],
  );
  return rows.map((o) => ({
    view: {
      offerNumber: o.offer_number,
      kind: o.kind,
      level: o.level,
      repIds: o.rep_ids,
      offeredAt: o.offered_at.toISOString(),
      ...(o.told_at ? { toldAt: o.told_at.toISOString() } : {}),
      deadline: o.deadline?.toISOString() ?? null,
      outcome: o.status,
      ...(o.answered_by ? { answeredBy: o.answered_by } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
    },
    closedAt: o.closed_at?.toISOString() ?? null,
  }));
}

/** Whether the rep was offered the lead or owns it, as Postgres has it (it has the offer once its email is sent). */
export async function wasOfferedTo(db: Queryable, leadId: string, repId: string): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM lead_offers WHERE lead_id = $1 AND $2 = ANY (rep_ids) UNION ALL SELECT 1 FROM leads WHERE id = $1 AND owner_rep_id = $2',
    [leadId, repId],
  );
  return rows.length > 0;
}

/** The lead as a rep sees it on a card: who, what they wrote, how good it looks. */
export interface LeadSummary {
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  message: string;
  source: string | null;
  score: number | null;
  tier: string | null;
  urgency: string | null;
  serviceLine: string | null;
}

interface LeadSummaryRow {
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  message: string;
  source: string;
  score: number | null;
  tier: string | null;
  urgency: string | null;
  service_line: string | null;
}

function leadSummaryOf(row: LeadSummaryRow): LeadSummary {
  return {
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    message: row.message,
    source: row.source,
    score: row.score,
    tier: row.tier,
    urgency: row.urgency,
    serviceLine: row.service_line,
  };
}

/** The recorded lead's card, status and owner; null until the workflow has recorded the lead. */
export async function readLeadSummary(
  db: Queryable,
  leadId: string,
): Promise<(LeadSummary & { status: string; owner: string | null }) | null> {
  const { rows } = await db.query<LeadSummaryRow & { status: string; owner_rep_id: string | null }>(
    `SELECT name, email, phone, company, message, source, score, tier, urgency, service_line, status, owner_rep_id
       FROM leads WHERE id = $1`,
    [leadId],
  );
  const row = rows[0];
  return row ? { ...leadSummaryOf(row), status: row.status, owner: row.owner_rep_id } : null;
}

export interface RepOpenOffer {
  leadId: string;
  offerNumber: number;
  kind: string;
  level: number;
  offeredAt: Date;
  /** Null while the offer's email is on its way, and for the catch-all queue (open until claimed). */
  deadline: Date | null;
  lead: LeadSummary;
}

/** The offers waiting on a rep at `at` (open, made to them, deadline not passed), soonest deadline first, the catch-all queue last. */
export async function readOpenOffersOf(db: Queryable, repId: string, at: Date): Promise<RepOpenOffer[]> {
  const { rows } = await db.query<
    LeadSummaryRow & {
      lead_id: string;
      offer_number: number;
      kind: string;
      level: number;
      offered_at: Date;
      deadline: Date | null;
    }
  >(
    `SELECT o.lead_id, o.offer_number, o.kind, o.level, o.offered_at, o.deadline,
            l.name, l.email, l.phone, l.company, l.message, l.source, l.score, l.tier, l.urgency, l.service_line
       FROM lead_offers o JOIN leads l ON l.id = o.lead_id
      WHERE o.status = 'open' AND $1 = ANY (o.rep_ids) AND (o.deadline IS NULL OR o.deadline > $2)
      ORDER BY o.deadline NULLS LAST, o.lead_id`,
    [repId, at],
  );
  return rows.map((r) => ({
    leadId: r.lead_id,
    offerNumber: r.offer_number,
    kind: r.kind,
    level: r.level,
    offeredAt: r.offered_at,
    deadline: r.deadline,
    lead: leadSummaryOf(r),
  }));
}

export interface AwaitingFirstTouch {
  leadId: string;
  status: LeadStatus;
  /** When the first touch is due (or, once overdue, the next step). */
  deadline: Date;
  lead: LeadSummary;
}

/** Leads the rep owns and has not reported contacting while a first-touch SLA runs, most pressing first. */
export async function readAwaitingFirstTouchOf(db: Queryable, repId: string): Promise<AwaitingFirstTouch[]> {
  const { rows } = await db.query<LeadSummaryRow & { id: string; status: LeadStatus; sla_deadline: Date }>(
    `SELECT l.id, l.status, l.sla_deadline,
            l.name, l.email, l.phone, l.company, l.message, l.source, l.score, l.tier, l.urgency, l.service_line
       FROM leads l
      WHERE l.owner_rep_id = $1 AND l.status IN ('assigned', 'first-touch-overdue') AND l.sla_deadline IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM lead_outcomes o WHERE o.lead_id = l.id AND o.rep_id = $1 AND o.event <> 'lost')
      ORDER BY l.status DESC, l.sla_deadline, l.id`,
    [repId],
  );
  return rows.map((r) => ({ leadId: r.id, status: r.status, deadline: r.sla_deadline, lead: leadSummaryOf(r) }));
}

export interface RepProfile {
  id: string;
  name: string;
  /** An IANA zone the runtime knows, or null (times are then shown in UTC). */
  timeZone: string | null;
}

/** Names and time zones of reps, from the directory's validated JSON (`doc`); unknown ids are left out. */
export async function readRepProfiles(db: Queryable, repIds: string[]): Promise<Map<string, RepProfile>> {
  const ids = [...new Set(repIds)];
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ id: string; name: string | null; time_zone: string | null }>(
    "SELECT id, doc ->> 'name' AS name, doc ->> 'timeZone' AS time_zone FROM reps WHERE id = ANY($1)",
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, name: r.name ?? r.id, timeZone: r.time_zone && isTimeZone(r.time_zone) ? r.time_zone : null },
    ]),
  );
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface PastLead {
  /** The lead as routing saw it, at the instant it arrived. */
  simulated: SimulatedLead;
  /** What actually happened: its team and the rep of its first candidate offer. */
  actual: { teamId: string | null; firstRepId: string | null };
}

/** The last `limit` leads that were qualified (spam left out), oldest first. */
export async function readPastLeads(db: Queryable, limit: number): Promise<PastLead[]> {
  const { rows } = await db.query<{
    id: string;
    received_at: Date;
    region: string | null;
    country: string | null;
    service_line: string;
    urgency: Urgency;
    tier: Tier;
    source: string;
    company_size: string | null;
    contact_owner: string | null;
    account_owner: string | null;
    team_id: string | null;
    first_rep: string | null;
  }>(
    `SELECT l.id, l.received_at, l.region, l.country, l.service_line, l.urgency, l.tier, l.source,
            l.normalised ->> 'companySize' AS company_size,
            c.owner_rep_id AS contact_owner, a.owner_rep_id AS account_owner, l.team_id,
            (SELECT o.rep_ids[1] FROM lead_offers o WHERE o.lead_id = l.id AND o.kind = 'candidate' ORDER BY o.offer_number LIMIT 1) AS first_rep
       FROM leads l
       LEFT JOIN contacts c ON c.id = l.contact_id
       LEFT JOIN accounts a ON a.id = l.account_id
      WHERE l.tier IS NOT NULL AND l.service_line IS NOT NULL AND l.urgency IS NOT NULL AND l.status <> 'rejected-spam'
      ORDER BY l.received_at DESC, l.id
      LIMIT $1`,
    [limit],
  );
  return rows.reverse().map((r) => ({
    simulated: {
      id: r.id,
      receivedAt: r.received_at.getTime(),
      lead: {
        region: r.region,
        country: r.country,
        serviceLine: r.service_line,
        urgency: r.urgency,
        tier: r.tier,
        source: r.source,
        companySize: r.company_size === null ? null : Number(r.company_size),
        contactOwnerRepId: r.contact_owner,
        accountOwnerRepId: r.account_owner,
      },
    },
    actual: { teamId: r.team_id, firstRepId: r.first_rep },
  }));
}
