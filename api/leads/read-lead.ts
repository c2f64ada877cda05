// Reading one lead for a caller: its state (from the running workflow, or Postgres once closed) and its timeline.
// Object-level authorisation lives here: an API key without leads:read reads only the leads its own submissions
// started or joined, a rep only leads offered to or owned by them; the person's details, and every part of the
// explanation that quotes them, go only to those who may see the person.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { hasScope, type Principal } from '../../db/credentials';
import { listEvents, type LeadEvent } from '../../db/events';
import { readLeadPerson, readLeadRecord, readRoutingExplanation, wasOfferedTo } from '../../db/lead-records';
import { wasSubmittedBy } from '../../db/submissions';
import type { LeadView, OfferView } from '../../workflows/messages';
import { httpError } from '../errors';
import { liveLeadView } from '../lead-workflow';
import { offerIdOf } from '../offers/offer-id';
import type { Lead, Offer } from './schemas';

export interface ReadLeadDeps {
  client: Client;
  db: Pool;
}

interface LeadState {
  view: LeadView;
  closed: boolean;
}

export async function readLead(deps: ReadLeadDeps, principal: Principal | null, leadId: string): Promise<Lead> {
  // A key that may not read this lead learns nothing, not even that it exists, and costs no Temporal call.
  await refuseForeignKey(deps.db, principal, leadId);
  const state = await readLeadState(deps, leadId);
  const seesPerson = await authorise(deps.db, principal, leadId, state);
  const decision = await readRoutingExplanation(deps.db, leadId);
  const qualification = (state.view.qualification as unknown as Record<string, unknown> | null) ?? null;
  const lead: Lead = {
    leadId,
    status: state.view.status,
    closed: state.closed,
    owner: state.view.owner,
    teamId: state.view.teamId,
    slaDeadline: state.view.deadline,
    escalationLevel: state.view.escalationLevel,
    firstTouch: state.view.firstTouch ?? null,
    currentOffer: state.view.currentOffer ? presentOffer(leadId, state.view.currentOffer, seesPerson) : null,
    offers: state.view.offers.map((o) => presentOffer(leadId, o, seesPerson)),
    explanation: seesPerson
      ? { routing: state.view.routing, qualification, decision }
      : withoutPerson(state.view.routing, qualification, decision),
  };
  if (seesPerson) lead.person = (await readLeadPerson(deps.db, leadId)) ?? undefined;
  return lead;
}

export async function readLeadTimeline(
  deps: ReadLeadDeps,
  principal: Principal | null,
  leadId: string,
): Promise<{ leadId: string; events: Array<Omit<LeadEvent, 'decision'>> }> {
  await refuseForeignKey(deps.db, principal, leadId);
  const state = await readLeadState(deps, leadId);
  await authorise(deps.db, principal, leadId, state);
  // The decision's internal name is the workflow's; the timeline speaks in its own kinds.
  const events = await listEvents(deps.db, leadId);
  return { leadId, events: events.map(({ decision: _decision, ...event }) => event) };
}

/**
 * The running workflow answers for itself; a closed (or never-started) one is read from Postgres. A query that
 * cannot be answered in time (no worker polling) falls back to Postgres too, which the workflow keeps current.
 */
async function readLeadState({ client, db }: ReadLeadDeps, leadId: string): Promise<LeadState> {
  const { view } = await liveLeadView(client, leadId);
  if (view) return { view, closed: false };
  const record = await readLeadRecord(db, leadId);
  if (!record) throw httpError(404, 'id', `no lead ${leadId}`);
  return { view: record, closed: record.status === 'assigned' || record.status === 'rejected-spam' };
}

/**
 * An API key without leads:read may read only the leads it submitted (started or joined); any other lead is "no lead"
 * to it, exactly as a lead that does not exist, so a partner cannot probe for other partners' leads.
 */
async function refuseForeignKey(db: Pool, principal: Principal | null, leadId: string): Promise<void> {
  if (principal?.kind !== 'api-key' || hasScope(principal, 'leads:read')) return;
  if (!(await wasSubmittedBy(db, leadId, principal.keyId))) throw httpError(404, 'id', `no lead ${leadId}`);
}

/** Refuses reps who were never offered the lead; says whether the caller may see the person's details. */
async function authorise(db: Pool, principal: Principal | null, leadId: string, state: LeadState): Promise<boolean> {
  if (!principal) throw httpError(401, 'Authorization', 'send Authorization: Bearer <token>');
  // Keys without leads:read got here only for their own submissions (refuseForeignKey); they never see the person.
  if (principal.kind === 'api-key') return hasScope(principal, 'leads:read');
  const repId = principal.repId;
  if (state.view.owner === repId || state.view.offers.some((o) => o.repIds.includes(repId))) return true;
  // The query may lag the offer row by a moment; Postgres has the offer as soon as the email is sent.
  if (await wasOfferedTo(db, leadId, repId)) return true;
  throw httpError(403, 'id', `lead ${leadId} was not offered to ${repId}`);
}

/**
 * The explanation for a caller who may not see the person: its structure, without a word that can quote them.
 * Qualification reasons name the company and email domain ("business email domain acme.example"), candidates'
 * reasons and the routing text name the account ("owns the account Acme"), rule traces the lead's fields; only
 * numbers, codes, the directory's own names (reps, team, rule, SLA) and why a rep was unavailable stay.
 */
function withoutPerson(
  routing: string | null,
  qualification: Record<string, unknown> | null,
  decision: Record<string, unknown> | null,
): Lead['explanation'] {
  const pick = (from: Record<string, unknown> | null, keys: string[]) =>
    from ? Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k]])) : null;
  const structure = pick(decision, [
    'ruleName',
    'teamName',
    'strategy',
    'fallback',
    'candidates',
    'maxCandidates',
    'notReached',
    'tieBreak',
    'policyVersion',
    'decidedAt',
  ]);
  if (structure && decision) {
    const excluded = Array.isArray(decision.excluded) ? (decision.excluded as Array<Record<string, unknown>>) : [];
    structure.excluded = excluded.map((x) => ({ repId: x.repId, reason: x.reason, code: x.code, role: x.role }));
    const details = Array.isArray(decision.candidateDetails)
      ? (decision.candidateDetails as Array<Record<string, unknown>>)
      : [];
    structure.candidateDetails = details.map((c) => ({ repId: c.repId, role: c.role }));
    const sla = decision.sla as { name?: unknown } | undefined;
    if (sla) structure.sla = { name: sla.name };
  }
  const team = typeof structure?.teamName === 'string' ? structure.teamName : null;
  return {
    routing: routing === null ? null : team ? `Routed to team ${team}.` : 'Routed.',
    qualification: pick(qualification, ['score', 'tier', 'urgency', 'serviceLine', 'spam', 'fit', 'intent']),
    decision: structure,
  };
}

/** A decline's reason is the rep's own words about the person: only for those who may see the person. */
function presentOffer(leadId: string, o: OfferView, seesPerson: boolean): Offer {
  return {
    offerId: offerIdOf(leadId, o.offerNumber),
    offerNumber: o.offerNumber,
    kind: o.kind,
    level: o.level,
    repIds: o.repIds,
    offeredAt: o.offeredAt,
    ...(o.toldAt ? { toldAt: o.toldAt } : {}),
    deadline: o.deadline,
    outcome: o.outcome,
    ...(o.answeredBy ? { answeredBy: o.answeredBy } : {}),
    ...(o.reason && seesPerson ? { reason: o.reason } : {}),
  };
}
