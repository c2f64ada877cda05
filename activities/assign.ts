// Assignment: the lead is owned, and the contact and account remember their owner for the next lead.
import { ApplicationFailure } from '@temporalio/common';
import { describeAssignment } from '../src/lead-narrative';
import {
  claimAccountOwner,
  insertPhoneContact,
  setContactOwner,
  upsertContactByEmail,
} from '../db/contacts-and-accounts';
import { recordEvents, type NewLeadEvent } from '../db/events';
import { markAssigned, readLeadFacts, type LeadFacts } from '../db/leads';
import { loadDirectory } from '../db/directory';
import { loadActivePolicy } from '../db/policies';
import { withTransaction } from '../db/pool';
import { planFirstTouch, type FirstTouchStepKind } from '../src/first-touch';
import { routingLeadOf } from '../src/routing/routing-lead';
import { closeOfferIn } from './offers';
import type { ActivityDeps } from '.';
import { metrics, secondsBetween } from '../metrics/metrics';

/** A rep's ownership of a lead: through which offer, and since (or, for a step on it, as of) when. */
export interface Ownership {
  leadId: string;
  /** The offer whose acceptance made `repId` the owner; a rep who owns the lead a second time is told apart by it. */
  offerNumber: number;
  repId: string;
  at: string;
}

/** The owner's first-touch SLA as the workflow waits on it: instants in ISO-8601. */
export interface FirstTouchWait {
  assignedAt: string;
  dueAt: string;
  slaText: string;
  /** Nudge the owner, tell the manager, offer again: each when due, unless a first touch was reported. */
  steps: Array<{ kind: FirstTouchStepKind; at: string }>;
  /**
   * How long the workflow watches for the first touch when the last step leaves the lead with its owner: as long
   * as the policy's outcome window, after which the lead counts as not converted anyway.
   */
  watchUntil: string;
}

/** Below this a name match is a guess: good enough to route by, not to give the account an owner. */
const sureNameMatch = 0.9;

export function createAssignActivities({ db }: Pick<ActivityDeps, 'db'>) {
  /** The owner's first-touch SLA under the active policy, counted in the owner's working time; null without one. */
  async function firstTouchOf(facts: LeadFacts, repId: string, at: string): Promise<FirstTouchWait | null> {
    const active = await loadActivePolicy(db);
    if (!active?.policy.firstTouch || !facts.qualification) return null;
    const owner = (await loadDirectory(db)).reps.find((r) => r.id === repId);
    if (!owner) return null;
    const lead = routingLeadOf(facts.lead, facts.qualification, facts.match);
    const plan = planFirstTouch(active.policy, lead, owner, Date.parse(at));
    if (!plan) return null;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      assignedAt: at,
      dueAt: iso(plan.dueAt),
      slaText: plan.slaText,
      steps: plan.steps.map((s) => ({ kind: s.kind, at: iso(s.at) })),
      watchUntil: iso(Date.parse(at) + active.policy.learning.outcomeWindow * 86_400_000),
    };
  }

  return {
    /**
     * The lead is owned, in one transaction: the accepted offer is closed, the lead row says who owns it, the
     * contact remembers its owner for the next dedupe, and an account the lead surely belongs to (by contact or
     * domain, or a near-certain name) gets an owner if it had none.
     */
    async assignLead({ leadId, offerNumber, repId, at }: Ownership): Promise<{ firstTouch: FirstTouchWait | null }> {
      const facts = await readLeadFacts(db, leadId);
      if (!facts) throw ApplicationFailure.nonRetryable(`lead ${leadId} was never received`, 'UnknownLead');
      const { lead, match } = facts;
      const firstTouch = await firstTouchOf(facts, repId, at);
      const account =
        match?.account && (match.account.method !== 'name' || match.account.confidence >= sureNameMatch)
          ? match.account
          : null;
      const accountId = account?.accountId ?? null;
      const contact = { name: lead.name, company: lead.company, phone: lead.phone, ownerRepId: repId, accountId };
      const acceptedNow = await withTransaction(db, async (tx) => {
        const closed = await closeOfferIn(tx, leadId, {
          offerNumber,
          outcome: 'accepted',
          answeredBy: repId,
          reason: null,
          at,
        });
        if (accountId) await claimAccountOwner(tx, accountId, repId);
        let contactId = match?.contact?.contactId ?? null;
        if (contactId) await setContactOwner(tx, contactId, { repId, accountId });
        else if (lead.emailKey) contactId = await upsertContactByEmail(tx, lead.emailKey, contact);
        else if (lead.phone) contactId = await insertPhoneContact(tx, { ...contact, phone: lead.phone });
        await markAssigned(tx, { leadId, repId, contactId, firstTouchDue: firstTouch?.dueAt ?? null });
        const due = firstTouch ? `; first touch due by ${firstTouch.dueAt} (${firstTouch.slaText})` : '';
        const assigned: NewLeadEvent = {
          leadId,
          // A lead offered again after a missed first touch is assigned again, under another offer.
          key: `offer:${offerNumber}:assigned`,
          kind: 'assigned',
          at,
          offerNumber,
          repId,
          summary: describeAssignment({ repId, offerNumber }) + due,
          detail: { repId, offerNumber, ...(firstTouch ? { firstTouch } : {}) },
          decision: 'assigned',
        };
        await recordEvents(tx, [...closed, assigned]);
        return closed.length > 0;
      });
      if (acceptedNow)
        metrics.timeToAccepted.observe(
          { tier: facts.qualification?.tier ?? 'none' },
          secondsBetween(facts.receivedAt, at),
        );
      return { firstTouch };
    },
  };
}
