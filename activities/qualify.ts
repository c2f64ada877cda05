// Qualification: the classifier reads the lead's words, the score weighs them with what else is known.
import type { LeadWorkflowInput, MergedSubmission } from '../src/lead';
import type { LeadMatch } from '../src/matching/lead-match';
import { qualifyClassified, type Qualification, type QualificationInput } from '../src/qualification';
import { saveQualification } from '../db/leads';
import type { ActivityDeps } from '.';

/** The lead with what later submissions from the same person added: their text, and what it left out. */
function qualificationInput(
  input: LeadWorkflowInput,
  merged: MergedSubmission[],
  match: LeadMatch | null,
): QualificationInput {
  const { lead } = input;
  const others = merged.map((m) => m.lead);
  return {
    text: [lead.text, ...others.map((o) => o.text)].filter((t) => t.trim() !== '').join('\n\n'),
    receivedAt: input.receivedAt,
    timeZone: lead.timeZone,
    name: lead.name ?? others.find((o) => o.name)?.name ?? null,
    email: lead.email ?? others.find((o) => o.email)?.email ?? null,
    company: lead.company ?? others.find((o) => o.company)?.company ?? null,
    companyDomain: lead.companyDomain ?? others.find((o) => o.companyDomain)?.companyDomain ?? null,
    freeMail: lead.freeMail,
    disposableEmail: lead.disposableEmail,
    phone: lead.phone ?? others.find((o) => o.phone)?.phone ?? null,
    companySize: lead.companySize ?? others.find((o) => o.companySize !== null)?.companySize ?? null,
    budget: lead.budget ?? others.find((o) => o.budget)?.budget ?? null,
    knownCustomer: Boolean(match?.contact?.ownerRepId ?? match?.account?.ownerRepId),
  };
}

export function createQualifyActivities({ db, classifier }: Pick<ActivityDeps, 'db' | 'classifier'>) {
  return {
    async qualifyLead({
      leadId,
      input,
      merged,
      match,
    }: {
      leadId: string;
      input: LeadWorkflowInput;
      merged: MergedSubmission[];
      match: LeadMatch | null;
    }): Promise<Qualification> {
      const facts = qualificationInput(input, merged, match);
      const classified = await classifier.classify({
        text: facts.text,
        receivedAt: facts.receivedAt,
        timeZone: facts.timeZone ?? null,
      });
      const q = qualifyClassified(facts, classified);
      await saveQualification(db, leadId, q);
      return q;
    },
  };
}
