// Assignment: the lead is owned, and the contact and account remember their owner for the next lead.
import type { LeadWorkflowInput } from '../src/lead';
import type { LeadMatch } from '../src/matching/lead-match';
import {
  claimAccountOwner,
  insertPhoneContact,
  setContactOwner,
  upsertContactByEmail,
} from '../db/contacts-and-accounts';
import { markAssigned } from '../db/leads';
import { withTransaction } from '../db/pool';
import type { ActivityDeps } from '.';

/** Below this a name match is a guess: good enough to route by, not to give the account an owner. */
const sureNameMatch = 0.9;

export function createAssignActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /**
     * The lead is owned: the lead row says so, the contact remembers its owner for the next dedupe, and an
     * account the lead surely belongs to (by contact or domain, or a near-certain name) gets an owner if it had none.
     */
    async assignLead({
      leadId,
      repId,
      input,
      match,
    }: {
      leadId: string;
      repId: string;
      input: LeadWorkflowInput;
      match: LeadMatch | null;
    }): Promise<void> {
      const { lead } = input;
      const account =
        match?.account && (match.account.method !== 'name' || match.account.confidence >= sureNameMatch)
          ? match.account
          : null;
      const accountId = account?.accountId ?? null;
      const contact = { name: lead.name, company: lead.company, phone: lead.phone, ownerRepId: repId, accountId };
      await withTransaction(db, async (tx) => {
        if (accountId) await claimAccountOwner(tx, accountId, repId);
        let contactId = match?.contact?.contactId ?? null;
        if (contactId) await setContactOwner(tx, contactId, { repId, accountId });
        else if (lead.emailKey) contactId = await upsertContactByEmail(tx, lead.emailKey, contact);
        else if (lead.phone) contactId = await insertPhoneContact(tx, { ...contact, phone: lead.phone });
        await markAssigned(tx, { leadId, repId, contactId });
      });
    },
  };
}
