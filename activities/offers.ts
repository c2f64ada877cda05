// Offers: each stored (lead_offers) before its email goes out, its SLA counted from the moment the mail server took
// that email, reminded half way, and closed with its outcome in the step that opens the next.
import { ApplicationFailure } from '@temporalio/common';
import type { PoolClient } from 'pg';
import type { LeadStatus } from '../src/lead';
import { describeOffer, describeOfferOpened, describeOfferTold } from '../src/lead-narrative';
import { statusOf, type OfferView } from '../src/offer';
import { slaDeadline } from '../src/routing/business-time';
import { recordEvent, recordEvents, type NewLeadEvent } from '../db/events';
import { readLeadFacts, saveProgress } from '../db/leads';
import {
  closeOffer,
  insertOffer,
  recordOfferTold,
  readOffer,
  type OfferedStage,
  type OfferStatus,
  type StoredOffer,
} from '../db/offers';
import { withTransaction } from '../db/pool';
import { readRoutingDecision } from '../db/routing';
import type { Notifications } from './notify';
import type { ActivityDeps } from '.';
import { metrics, secondsBetween } from '../metrics/metrics';

/** How long an offer may wait for its email before the lead counts as stuck (the mail server is down, say). */
export const notifyDeadlineMs = 5 * 60_000;

/** An offer as the step that opened it stored it, and where that left the lead. */
export interface OpenedOffer {
  offer: OfferView;
  status: LeadStatus;
  deadline: string;
}

/** The offer that ended, as the workflow saw it end. */
export interface ClosingOffer {
  offerNumber: number;
  outcome: OfferStatus;
  answeredBy: string | null;
  reason: string | null;
  at: string;
}

/** The rep was told: when, and what now counts from that moment. */
export interface ToldOffer {
  toldAt: string;
  deadline: string;
  /** Half the SLA's working time: when a silent rep is reminded. */
  remindAt: string;
}

export function viewOf(o: Pick<StoredOffer, 'offerNumber' | 'stage' | 'offeredAt' | 'toldAt' | 'deadline'>): OfferView {
  return {
    offerNumber: o.offerNumber,
    kind: o.stage.kind,
    level: o.stage.level,
    repIds: o.stage.repIds,
    offeredAt: o.offeredAt,
    ...(o.toldAt ? { toldAt: o.toldAt } : {}),
    deadline: o.deadline,
    outcome: 'open',
  };
}

/**
 * Stores an offer under its stage and moves the lead to it: `notifying` until the rep is told (the catch-all queue
 * and a lead that needs attention are in their own status from the start, alerted by their own step).
 */
export async function openOfferIn(
  tx: PoolClient,
  o: { leadId: string; offerNumber: number; stage: OfferedStage; at: string; status?: LeadStatus },
  /** Events of the same step, written with the offer's own (routing's decision, the offer that ended). */
  before: NewLeadEvent[] = [],
): Promise<OpenedOffer> {
  const { offer: stored, inserted } = await insertOffer(tx, {
    leadId: o.leadId,
    offerNumber: o.offerNumber,
    stage: o.stage,
    offeredAt: o.at,
  });
  const offer = viewOf(stored);
  const status = o.status ?? (o.stage.kind === 'catch-all' ? 'catch-all' : 'notifying');
  const deadline = new Date(Date.parse(stored.offeredAt) + notifyDeadlineMs).toISOString();
  // A late attempt finds the offer made: the lead may have moved on since, and must not be moved back.
  if (!inserted) {
    await recordEvents(tx, before);
    return { offer, status, deadline };
  }
  await saveProgress(tx, {
    leadId: o.leadId,
    status,
    escalationLevel: o.stage.level,
    slaDeadline: deadline,
    offeredRepIds: o.stage.repIds,
  });
  await recordEvents(tx, [
    ...before,
    {
      leadId: o.leadId,
      key: `offer:${o.offerNumber}:opened`,
      kind: statusOf(o.stage.kind),
      at: stored.offeredAt,
      offerNumber: o.offerNumber,
      repId: o.stage.repIds.length === 1 ? o.stage.repIds[0] : null,
      summary: describeOfferOpened(offer, o.stage.why),
      detail: offer,
      decision: 'offered',
    },
  ]);
  return { offer, status, deadline };
}

/**
 * Closes an offer with the outcome the workflow saw. Returns the event that says so, for the caller to write with
 * its own; none when the offer was closed already (a retry: its event was written with the close).
 */
export async function closeOfferIn(tx: PoolClient, leadId: string, c: ClosingOffer): Promise<NewLeadEvent[]> {
  const stored = await closeOffer(tx, { leadId, ...c, status: c.outcome });
  if (!stored) return [];
  // Counted when this attempt closed it; a transaction that then fails and is retried counts it again (rare).
  metrics.offersClosed.inc({ kind: stored.stage.kind, outcome: c.outcome });
  if (c.outcome === 'timed-out')
    metrics.slaBreaches.inc({ kind: stored.stage.kind, level: String(stored.stage.level) });
  const closed: OfferView = {
    ...viewOf(stored),
    outcome: c.outcome,
    ...(c.answeredBy ? { answeredBy: c.answeredBy } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
  };
  const event: NewLeadEvent = {
    leadId,
    key: `offer:${c.offerNumber}:${c.outcome}`,
    kind: c.outcome,
    at: c.at,
    offerNumber: c.offerNumber,
    repId: c.answeredBy ?? (stored.stage.repIds.length === 1 ? stored.stage.repIds[0] : null),
    summary: describeOffer(closed),
    detail: closed,
    decision: c.outcome,
  };
  return [event];
}

export function createOfferActivities(
  { db }: Pick<ActivityDeps, 'db'>,
  notify: Pick<Notifications, 'emailOffer' | 'emailReminder' | 'clock'>,
) {
  async function storedOffer(leadId: string, offerNumber: number): Promise<StoredOffer> {
    const offer = await readOffer(db, leadId, offerNumber);
    if (!offer) throw ApplicationFailure.nonRetryable(`lead ${leadId} has no offer ${offerNumber}`, 'UnknownOffer');
    return offer;
  }

  return {
    /**
     * Closes the offer that ended (if any) and opens the next: stage `n` of the lead's stored plan, or its catch-all
     * queue. One transaction: the lead is never between two offers in Postgres.
     */
    async openOffer({
      leadId,
      offerNumber,
      stage,
      closing,
      at,
    }: {
      leadId: string;
      offerNumber: number;
      /** Index into the plan's stages, or the catch-all queue. */
      stage: number | 'catch-all';
      closing: ClosingOffer | null;
      at: string;
    }): Promise<OpenedOffer> {
      return await withTransaction(db, async (tx) => {
        const plan = await readRoutingDecision(tx, leadId);
        const chosen = plan && (stage === 'catch-all' ? plan.catchAll : plan.stages[stage]);
        if (!chosen)
          throw ApplicationFailure.nonRetryable(`lead ${leadId} has no routing stage ${stage}`, 'UnknownStage');
        // A queue nobody may claim from is no queue: a person has to fix the directory or the policy.
        if (chosen.kind === 'catch-all' && chosen.repIds.length === 0)
          throw ApplicationFailure.nonRetryable(
            `nobody can claim lead ${leadId}: the team it is routed to has no active members and no escalation chain`,
            'NoClaimants',
          );
        const closed = closing ? await closeOfferIn(tx, leadId, closing) : [];
        return await openOfferIn(tx, { leadId, offerNumber, stage: chosen, at }, closed);
      });
    },

    /**
     * Emails the offer to its rep. The SLA and the reminder count from the moment the mail server took the email,
     * so an SMTP outage delays the offer rather than burning it; the first delivery's moment stays.
     */
    async notifyOffer({
      leadId,
      offerNumber,
      at,
    }: {
      leadId: string;
      offerNumber: number;
      /** The workflow's now: the rep is never told earlier than that, whatever this worker's clock says. */
      at: string;
    }): Promise<ToldOffer> {
      const offer = await storedOffer(leadId, offerNumber);
      const facts = await readLeadFacts(db, leadId);
      if (!facts?.qualification)
        throw ApplicationFailure.nonRetryable(`lead ${leadId} is not qualified`, 'UnknownLead');
      const { sla } = offer.stage;
      // The workflow's timers count in the server's time, and a first try runs on this worker's clock: a clock
      // behind the server's would otherwise start the SLA early (and fire the reminder and timeout early).
      const notBefore = (moment: Date) => Math.max(moment.getTime(), Date.parse(at));
      // The email states the deadline as of now; the one stored counts from the server taking it, a moment later.
      const stated = new Date(slaDeadline(notBefore(await notify.clock()), sla)).toISOString();
      const sentAt = new Date(notBefore(await notify.emailOffer(offer, facts, stated)));
      const delivered = {
        toldAt: sentAt.toISOString(),
        deadline: new Date(slaDeadline(sentAt.getTime(), sla)).toISOString(),
      };
      const told = await recordOfferTold(db, {
        leadId,
        offerNumber,
        ...delivered,
        lead: {
          status: statusOf(offer.stage.kind),
          escalationLevel: offer.stage.level,
          offeredRepIds: offer.stage.repIds,
        },
        repId: offer.stage.repIds[0] ?? null,
        summary: describeOfferTold({ ...viewOf(offer), ...delivered }, offer.stage.slaText),
      });
      // Speed to lead: the first offer, told by this attempt (a retry finds the first delivery's moment).
      if (offerNumber === 1 && told.toldAt === delivered.toldAt)
        metrics.timeToTold.observe({ tier: facts.qualification.tier }, secondsBetween(facts.receivedAt, told.toldAt));
      const toldMs = Date.parse(told.toldAt);
      const remindAt = new Date(slaDeadline(toldMs, { ...sla, ms: sla.ms / 2 })).toISOString();
      return { ...told, remindAt };
    },

    /** Half the SLA gone without an answer: one reminder to the same rep, with the same links. */
    async remindOffer({ leadId, offerNumber }: { leadId: string; offerNumber: number }): Promise<string> {
      const offer = await storedOffer(leadId, offerNumber);
      const facts = await readLeadFacts(db, leadId);
      if (!facts?.qualification || !offer.deadline)
        throw ApplicationFailure.nonRetryable(`offer ${offerNumber} of lead ${leadId} was never told`, 'UnknownOffer');
      const remindedAt = await notify.emailReminder(offer, facts, (await notify.clock()).toISOString());
      const repId = offer.stage.repIds[0] ?? null;
      await recordEvent(db, {
        leadId,
        key: `offer:${offerNumber}:reminded`,
        kind: 'reminded',
        at: remindedAt.toISOString(),
        offerNumber,
        repId,
        summary: `reminded ${repId}: half of the SLA passed without an answer (deadline ${offer.deadline})`,
      });
      return remindedAt.toISOString();
    },
  };
}
