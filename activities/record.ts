// Receiving the lead: its record from the submission the API stored, dedupe against known contacts and accounts,
// qualification of its words, later submissions from the same person, and signals the workflow could not act on.
import { ApplicationFailure } from '@temporalio/common';
import type { NormalisedLead } from '../src/lead';
import { describeMatch, describeQualification } from '../src/lead-narrative';
import type { LeadMatch } from '../src/matching/lead-match';
import { qualifyClassified, type Qualification, type QualificationInput } from '../src/qualification';
import { insertLead, mergeSubmissionIntoLead, readLeadFacts } from '../db/leads';
import { recordEvent, recordEvents } from '../db/events';
import { withTransaction } from '../db/pool';
import { createMatcher } from '../db/contacts-and-accounts';
import { readSubmission, readSubmissionsOfLead } from '../db/submissions';
import { activityAttempt } from './clock';
import type { ActivityDeps } from '.';
import { metrics } from '../metrics/metrics';

/**
 * The API commits the submission before it starts the workflow, so a missing one after this many attempts is not
 * a race but a lead that cannot be read: a person must look at it.
 */
const attemptsToFindSubmission = 5;

/** What the workflow shows of a received lead: how it came in, what dedupe found, and its qualification. */
export interface ReceivedLead {
  source: string;
  match: string;
  qualification: Qualification;
}

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

const describeFound = (match: LeadMatch) =>
  [
    match.contact?.reason ?? 'new contact: no known contact has this email or phone',
    match.account?.reason ?? 'no known account matches the company',
  ].join('; ');

export function createRecordActivities({ db, classifier }: Pick<ActivityDeps, 'db' | 'classifier'>) {
  const matcher = createMatcher(db);
  return {
    /**
     * The lead as the API stored it becomes the lead's record: matched against known contacts and accounts, and
     * qualified with every submission merged into it so far (a chat merged before this step is read together with
     * the form it follows). One transaction, so a retry finds it whole or not at all, and then returns what was
     * stored; a spam verdict closes the lead in it. Returns what the workflow shows: no personal data.
     */
    async receiveLead({ leadId, at }: { leadId: string; at: string }): Promise<ReceivedLead> {
      const submissions = await readSubmissionsOfLead(db, leadId);
      const submission = submissions.first;
      if (!submission) {
        const message = `lead ${leadId} has no stored submission`;
        if (activityAttempt() >= attemptsToFindSubmission)
          throw ApplicationFailure.nonRetryable(message, 'NoSubmission');
        throw ApplicationFailure.retryable(message, 'NoSubmission');
      }
      const { lead } = submission;
      const receivedAt = submission.receivedAt.toISOString();
      const match = await matcher.matchLead({
        emailKey: lead.emailKey,
        phone: lead.phone,
        companyDomain: lead.companyDomain,
        company: lead.company,
      });
      const input = qualificationInput(
        lead,
        receivedAt,
        submissions.merged.map((m) => m.lead),
        match,
      );
      const classified = await classifier.classify({
        text: input.text,
        receivedAt: input.receivedAt,
        timeZone: input.timeZone ?? null,
      });
      const qualification = qualifyClassified(input, classified);
      const found = describeFound(match);
      const stored = await withTransaction(db, async (tx) => {
        if (!(await insertLead(tx, { leadId, lead, receivedAt, match, qualification }))) return false;
        const extracted = lead.extracted.length ? `; from the text: ${lead.extracted.join(', ')}` : '';
        await recordEvents(tx, [
          {
            leadId,
            key: 'received',
            kind: 'received',
            at: receivedAt,
            summary: `received via ${lead.source}${extracted}`,
            detail: { source: lead.source },
          },
          {
            leadId,
            key: 'matched',
            kind: 'matched',
            at: receivedAt,
            summary: describeMatch({ summary: found }),
            detail: match,
            decision: 'matched',
          },
          {
            leadId,
            key: 'qualified',
            kind: qualification.spam ? 'rejected-spam' : 'scored',
            at,
            summary: describeQualification(qualification),
            detail: qualification,
            decision: 'qualified',
          },
        ]);
        return true;
      });
      if (stored) {
        metrics.leadsReceived.inc({ source: lead.source, tier: qualification.spam ? 'spam' : qualification.tier });
        return { source: lead.source, match: found, qualification };
      }
      // A retry after the first attempt committed: what was stored stands (a model retrained since may judge the
      // same words differently).
      const facts = await readLeadFacts(db, leadId);
      if (!facts?.match || !facts.qualification)
        throw ApplicationFailure.nonRetryable(`lead ${leadId} is stored without its qualification`, 'UnknownLead');
      return { source: facts.lead.source, match: describeFound(facts.match), qualification: facts.qualification };
    },

    /** A later submission from the same person: fills what the first one left out and joins the timeline. */
    async recordMergedSubmission({ leadId, submissionId }: { leadId: string; submissionId: string }): Promise<void> {
      const submission = await readSubmission(db, submissionId);
      if (!submission || submission.leadId !== leadId)
        throw ApplicationFailure.nonRetryable(`submission ${submissionId} was not merged into lead ${leadId}`);
      const receivedAt = submission.receivedAt.toISOString();
      const { source } = submission.lead;
      // The event's key is the submission's: a retry (or an overrunning attempt, which waits on the key's row
      // until the first commits) finds it written and adds the text to the lead only once.
      await withTransaction(db, async (tx) => {
        const merged = await recordEvent(tx, {
          leadId,
          key: `merged:${submissionId}`,
          kind: 'merged',
          at: receivedAt,
          summary: `${source} submission from the same person merged into this lead`,
          detail: { submissionId, source },
        });
        if (merged) await mergeSubmissionIntoLead(tx, leadId, { submissionId, receivedAt, lead: submission.lead });
      });
    },

    /** An accept or decline signal the workflow could not act on, and why; numbered by the workflow. */
    async recordIgnoredSignal(s: { leadId: string; number: number; summary: string; at: string }): Promise<void> {
      await recordEvent(db, {
        leadId: s.leadId,
        key: `ignored-signal:${s.number}`,
        kind: 'ignored-signal',
        at: s.at,
        summary: s.summary,
        decision: 'ignored-signal',
      });
    },
  };
}
