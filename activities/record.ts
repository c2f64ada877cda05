// Receiving the lead: its record from the submission the API stored, dedupe against known contacts and accounts,
// later submissions from the same person, and signals the workflow could not act on.
import { ApplicationFailure } from '@temporalio/common';
import { describeMatch } from '../src/lead-narrative';
import { insertLead, mergeSubmissionIntoLead, saveMatch } from '../db/leads';
import { recordEvent } from '../db/events';
import { withTransaction } from '../db/pool';
import { createMatcher } from '../db/contacts-and-accounts';
import { readFirstSubmission, readSubmission } from '../db/submissions';
import { activityAttempt } from './clock';
import type { ActivityDeps } from '.';

/**
 * The API commits the submission before it starts the workflow, so a missing one after this many attempts is not
 * a race but a lead that cannot be read: a person must look at it.
 */
const attemptsToFindSubmission = 5;

export function createRecordActivities({ db }: Pick<ActivityDeps, 'db'>) {
  const matcher = createMatcher(db);
  return {
    /**
     * The lead as the API stored it becomes the lead's record, matched against known contacts and accounts; one
     * transaction, so a retry finds it whole or not at all. Returns what the workflow shows: no personal data.
     */
    async receiveLead({ leadId }: { leadId: string }): Promise<{ source: string; match: string }> {
      const submission = await readFirstSubmission(db, leadId);
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
      const summary = [
        match.contact?.reason ?? 'new contact: no known contact has this email or phone',
        match.account?.reason ?? 'no known account matches the company',
      ].join('; ');
      await withTransaction(db, async (tx) => {
        await insertLead(tx, { leadId, lead, receivedAt });
        const extracted = lead.extracted.length ? `; from the text: ${lead.extracted.join(', ')}` : '';
        await recordEvent(tx, {
          leadId,
          key: 'received',
          kind: 'received',
          at: receivedAt,
          summary: `received via ${lead.source}${extracted}`,
          detail: { source: lead.source },
        });
        await saveMatch(tx, leadId, match);
        await recordEvent(tx, {
          leadId,
          key: 'matched',
          kind: 'matched',
          at: receivedAt,
          summary: describeMatch({ summary }),
          detail: match,
          decision: 'matched',
        });
      });
      return { source: lead.source, match: summary };
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
