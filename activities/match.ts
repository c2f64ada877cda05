// Dedupe and lead-to-account matching: is this person or company known, and who owns them?
import type { LeadWorkflowInput } from '../src/lead';
import type { LeadMatch } from '../src/matching/lead-match';
import { createMatcher } from '../db/contacts-and-accounts';
import { saveMatch } from '../db/leads';
import type { ActivityDeps } from '.';

export type MatchOutcome = LeadMatch & { summary: string };

export function createMatchActivities({ db }: Pick<ActivityDeps, 'db'>) {
  const matcher = createMatcher(db);
  return {
    async matchContact({ leadId, input }: { leadId: string; input: LeadWorkflowInput }): Promise<MatchOutcome> {
      const { emailKey, phone, companyDomain, company } = input.lead;
      const match = await matcher.matchLead({ emailKey, phone, companyDomain, company });
      const summary = [
        match.contact?.reason ?? 'new contact: no known contact has this email or phone',
        match.account?.reason ?? 'no known account matches the company',
      ].join('; ');
      await saveMatch(db, leadId, match);
      return { ...match, summary };
    },
  };
}
