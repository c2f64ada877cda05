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
import { withTransaction } from '../db/pool';
import { closeOfferIn } from './offers';
import type { ActivityDeps } from '.';

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
    }): Promise<void> {
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
    },
  };
}
