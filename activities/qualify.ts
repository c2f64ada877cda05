// Qualification: the classifier reads the lead's words, the score weighs them with what else is known.
import { ApplicationFailure } from '@temporalio/common';
import type { NormalisedLead } from '../src/lead';
import { describeQualification } from '../src/lead-narrative';
import type { LeadMatch } from '../src/matching/lead-match';
import { qualifyClassified, type Qualification, type QualificationInput } from '../src/qualification';
import { readLeadFacts, saveProgress, saveQualification } from '../db/leads';
import { recordEvent } from '../db/events';
import { withTransaction } from '../db/pool';
import { readMergedSubmissions } from '../db/submissions';
import type { ActivityDeps } from '.';

/** The lead with what later submissions from the same person added: their text, and what it left out. */
function qualificationInput(
  lead: NormalisedLead,
  receivedAt: string,
  others: NormalisedLead[],
  match: LeadMatch | null,
): QualificationInput {
  return {
    text: [lead.text, ...others.map((o) => o.text)].filter((t) => t.trim() !== '').join('\n\n'),
    receivedAt,
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
    /**
     * Scores the lead as stored, with every submission merged into it so far (a chat merged before qualification
     * is read together with the form it follows). A spam verdict closes the lead in the same transaction.
     */
    async qualifyLead({ leadId, at }: { leadId: string; at: string }): Promise<Qualification> {
      const facts = await readLeadFacts(db, leadId);
      if (!facts) throw ApplicationFailure.nonRetryable(`lead ${leadId} was never received`, 'UnknownLead');
      const merged = await readMergedSubmissions(db, leadId);
      const input = qualificationInput(
        facts.lead,
        facts.receivedAt,
        merged.map((m) => m.lead),
        facts.match,
      );
      const classified = await classifier.classify({
        text: input.text,
        receivedAt: input.receivedAt,
        timeZone: input.timeZone ?? null,
      });
      const q = qualifyClassified(input, classified);
      await withTransaction(db, async (tx) => {
        await saveQualification(tx, leadId, q);
        await recordEvent(tx, {
          leadId,
          key: 'qualified',
          kind: q.spam ? 'rejected-spam' : 'scored',
          at,
          summary: describeQualification(q),
          detail: q,
          decision: 'qualified',
        });
        if (q.spam)
          await saveProgress(tx, {
            leadId,
            status: 'rejected-spam',
            escalationLevel: 0,
            slaDeadline: null,
            offeredRepIds: [],
          });
      });
      return q;
    },
  };
}
