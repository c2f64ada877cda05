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
import { markAssigned, readLeadFacts } from '../db/leads';
import { loadDirectory } from '../db/directory';
import { loadActivePolicy } from '../db/policies';
import { withTransaction } from '../db/pool';
import { planFirstTouch, type FirstTouchStepKind } from '../src/first-touch';
import { routingLeadOf } from '../src/routing/routing-lead';
import { closeOfferIn } from './offers';
import type { ActivityDeps } from '.';

/** The owner's first-touch SLA as the workflow waits on it: instants in ISO-8601. */
export interface FirstTouchWait {
  dueAt: string;
  slaText: string;
  steps: Array<{ kind: FirstTouchStepKind; at: string }>;
}

/** Below this a name match is a guess: good enough to route by, not to give the account an owner. */
const sureNameMatch = 0.9;

export function createAssignActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /**
     * The lead is owned, in one transaction: the accepted offer is closed, the lead row says who owns it, the
     * contact remembers its owner for the next dedupe, and an account the lead surely belongs to (by contact or
     * domain, or a near-certain name) gets an owner if it had none.
     */
    async assignLead({
      leadId,
      offerNumber,
      repId,
      at,
    }: {
      leadId: string;
      offerNumber: number;
      repId: string;
      at: string;
    }): Promise<{ firstTouch: FirstTouchWait | null }> {
      const facts = await readLeadFacts(db, leadId);
      if (!facts) throw ApplicationFailure.nonRetryable(`lead ${leadId} was never received`, 'UnknownLead');
      const { lead, match } = facts;
      const account =
        match?.account && (match.account.method !== 'name' || match.account.confidence >= sureNameMatch)
          ? match.account
          : null;
      const accountId = account?.accountId ?? null;
      const contact = { name: lead.name, company: lead.company, phone: lead.phone, ownerRepId: repId, accountId };
      await withTransaction(db, async (tx) => {
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
        await markAssigned(tx, { leadId, repId, contactId });
        const assigned: NewLeadEvent = {
          leadId,
          key: 'assigned',
          kind: 'assigned',
          at,
          repId,
          summary: describeAssignment({ repId, offerNumber }),
          detail: { repId, offerNumber },
          decision: 'assigned',
        };
        await recordEvents(tx, [...closed, assigned]);
      });
      // The active policy decides whether the owner has a first-touch SLA, counted in the owner's working time.
      const active = await loadActivePolicy(db);
      if (!active?.policy.firstTouch || !facts.qualification) return { firstTouch: null };
      const owner = (await loadDirectory(db)).reps.find((r) => r.id === repId);
      if (!owner) return { firstTouch: null };
      const plan = planFirstTouch(
        active.policy,
        routingLeadOf(lead, facts.qualification, match),
        owner,
        Date.parse(at),
      );
      if (!plan) return { firstTouch: null };
      const iso = (ms: number) => new Date(ms).toISOString();
      return {
        firstTouch: {
          dueAt: iso(plan.dueAt),
          slaText: plan.slaText,
          steps: plan.steps.map((s) => ({ kind: s.kind, at: iso(s.at) })),
        },
      };
    },
  };
}
