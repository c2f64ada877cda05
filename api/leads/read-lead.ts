// Reading one lead for a caller: its state (from the running workflow, or Postgres once closed) and its timeline.
// Reps see only leads they were offered or own; the person's details go only to those who may see them.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { hasScope, type Principal } from '../../db/credentials';
import { listEvents, type LeadEvent } from '../../db/events';
import { readLeadPerson, readLeadRecord, readRoutingExplanation, wasOfferedTo } from '../../db/lead-records';
import { leadStateQuery, type LeadView, type OfferView } from '../../workflows/messages';
import { httpError } from '../errors';
import { workflowIdFor } from '../lead-workflow';
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
  const state = await readLeadState(deps, leadId);
  const seesPerson = await authorise(deps.db, principal, leadId, state);
  const lead: Lead = {
    leadId,
    status: state.view.status,
    closed: state.closed,
    owner: state.view.owner,
    teamId: state.view.teamId,
    slaDeadline: state.view.deadline,
    escalationLevel: state.view.escalationLevel,
    currentOffer: state.view.currentOffer ? presentOffer(leadId, state.view.currentOffer) : null,
    offers: state.view.offers.map((o) => presentOffer(leadId, o)),
    explanation: {
      routing: state.view.routing,
      qualification: (state.view.qualification as unknown as Record<string, unknown> | null) ?? null,
      decision: await readRoutingExplanation(deps.db, leadId),
    },
  };
  if (seesPerson) lead.person = (await readLeadPerson(deps.db, leadId)) ?? undefined;
  return lead;
}

export async function readLeadTimeline(
  deps: ReadLeadDeps,
  principal: Principal | null,
  leadId: string,
): Promise<{ leadId: string; events: Array<Omit<LeadEvent, 'decision'>> }> {
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
  const handle = client.workflow.getHandle(workflowIdFor(leadId));
  try {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') {
      const view = await client.connection
        .withDeadline(Date.now() + 5_000, () => handle.query(leadStateQuery))
        .catch(() => null);
      if (view) return { view, closed: false };
    }
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const record = await readLeadRecord(db, leadId);
  if (!record) throw httpError(404, 'id', `no lead ${leadId}`);
  return { view: record, closed: record.status === 'assigned' || record.status === 'rejected-spam' };
}

/** Refuses reps who were never offered the lead; says whether the caller may see the person's details. */
async function authorise(db: Pool, principal: Principal | null, leadId: string, state: LeadState): Promise<boolean> {
  if (!principal) throw httpError(401, 'Authorization', 'send Authorization: Bearer <token>');
  if (principal.kind === 'api-key') return hasScope(principal, 'leads:read');
  const repId = principal.repId;
  if (state.view.owner === repId || state.view.offers.some((o) => o.repIds.includes(repId))) return true;
  // The query may lag the offer row by a moment; Postgres has the offer as soon as the email is sent.
  if (await wasOfferedTo(db, leadId, repId)) return true;
  throw httpError(403, 'id', `lead ${leadId} was not offered to ${repId}`);
}

function presentOffer(leadId: string, o: OfferView): Offer {
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
    ...(o.reason ? { reason: o.reason } : {}),
  };
}
