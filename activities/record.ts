// Recording the lead: its arrival, later submissions from the same person, every decision the workflow takes
// (into the lead's timeline) and where the process stands.
import type { LeadWorkflowInput, MergedSubmission } from '../src/lead';
import { insertLead, mergeSubmissionIntoLead, saveProgress, type LeadProgress } from '../db/leads';
import { recordEvent } from '../db/events';
import { withTransaction } from '../db/pool';
import type { ActivityDeps } from '.';

export type { LeadProgress } from '../db/leads';

export interface Decision {
  leadId: string;
  /** Unique per lead, chosen by the workflow: `routed`, `offer:2:declined`, … */
  key: string;
  kind: string;
  summary: string;
  detail?: unknown;
  at: string;
}

/** The timeline speaks of what happened to the lead; decisions carry the workflow's own names for its steps. */
function eventKindOf(d: Decision): string {
  const detail = (d.detail ?? {}) as { kind?: string; spam?: boolean };
  switch (d.kind) {
    case 'qualified':
      return detail.spam ? 'rejected-spam' : 'scored';
    case 'offered':
      return detail.kind === 'escalation' ? 'escalated' : detail.kind === 'catch-all' ? 'catch-all' : 'offered';
    default:
      return d.kind;
  }
}

/** The rep a decision is about: who answered, who was assigned, or the one rep an offer went to. */
function repOf(d: Decision): string | null {
  const detail = (d.detail ?? {}) as { answeredBy?: string; repId?: string; repIds?: string[] };
  return detail.answeredBy ?? detail.repId ?? (detail.repIds?.length === 1 ? (detail.repIds[0] ?? null) : null);
}

export function createRecordActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    async recordLead(input: LeadWorkflowInput): Promise<void> {
      const { leadId, lead, receivedAt } = input;
      await insertLead(db, { leadId, lead, receivedAt });
      const extracted = lead.extracted.length ? `; from the text: ${lead.extracted.join(', ')}` : '';
      await recordEvent(db, {
        leadId,
        key: 'received',
        kind: 'received',
        at: receivedAt,
        summary: `received via ${lead.source}${extracted}`,
        detail: { source: lead.source },
      });
    },

    /** A later submission from the same person: fills what the first one left out and joins the timeline. */
    async recordMergedSubmission({
      leadId,
      submission,
    }: {
      leadId: string;
      submission: MergedSubmission;
    }): Promise<void> {
      const { source } = submission.lead;
      // The event's key is the submission's: a retry finds it written and adds the text to the lead only once.
      await withTransaction(db, async (tx) => {
        const merged = await recordEvent(tx, {
          leadId,
          key: `merged:${submission.submissionId}`,
          kind: 'merged',
          at: submission.receivedAt,
          summary: `${source} submission from the same person merged into this lead`,
          detail: { submissionId: submission.submissionId, source },
        });
        if (merged) await mergeSubmissionIntoLead(tx, leadId, submission);
      });
    },

    /** A decision is an event of the lead's timeline, under the workflow's key, that keeps the decision's name. */
    async recordDecision(d: Decision): Promise<void> {
      const detail = (d.detail ?? {}) as { offerNumber?: number };
      await recordEvent(db, {
        leadId: d.leadId,
        key: d.key,
        kind: eventKindOf(d),
        at: d.at,
        offerNumber: detail.offerNumber,
        repId: repOf(d),
        summary: d.summary,
        detail: d.detail,
        decision: d.kind,
      });
    },

    async recordProgress(p: LeadProgress): Promise<void> {
      await saveProgress(db, p);
    },
  };
}
