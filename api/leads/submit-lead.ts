// Turns one accepted submission into a lead workflow, or merges it into the running lead of the same person.
import type { Pool } from 'pg';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { withTransaction } from '../../db/pool';
import {
  findRecentLeadOfPerson,
  findSubmission,
  insertSubmission,
  lockSubmitter,
  readSubmissionsOfLead,
} from '../../db/submissions';
import { describePerson, intakeDeadlineMs, type MergeNotice, type NormalisedLead } from '../../src/lead';
import type { leadWorkflow } from '../../workflows/lead';
import { mergeSubmissionSignal, searchAttributes as sa, type LeadWorkflowInput } from '../../workflows/messages';
import { metrics } from '../../metrics/metrics';
import { workflowIdFor } from '../lead-workflow';

export interface SubmitLeadDeps {
  client: Client;
  db: Pool;
  taskQueue: string;
  /** A second submission from the same person within this window joins the first lead. */
  mergeWindowMs: number;
  /** Start the workflow eagerly on the worker sharing the client's connection (ApiDeps.eagerStart). */
  eagerStart?: boolean;
}

export interface SubmitLeadRequest {
  /** Deterministic for retried requests (Idempotency-Key, or the source's external id), random otherwise. */
  submissionId: string;
  lead: NormalisedLead;
  receivedAt: Date;
  /** The API key that sent it; it may read the lead back. */
  submittedBy: string | null;
}

export interface SubmitLeadResult {
  leadId: string;
  /** The same submission was seen before; nothing new happened. */
  duplicate: boolean;
  /** The submission joined a lead already running for the same person. */
  merged: boolean;
}

/**
 * The row in lead_submissions is written under a lock on the person, so two submissions racing in from one person
 * cannot both start a lead. A new lead's row is committed before its workflow starts (the workflow reads the lead
 * from it), and no transaction waits on Temporal for a start: a failed start leaves the row, and the client's retry
 * with the same key starts the workflow it finds missing. A merge signals the running workflow inside the
 * transaction, so a lead that closed meanwhile rolls the merge back and the submission starts a lead of its own.
 */
export async function submitLead(deps: SubmitLeadDeps, request: SubmitLeadRequest): Promise<SubmitLeadResult> {
  const { client, db, mergeWindowMs } = deps;
  const { submissionId, lead, receivedAt, submittedBy } = request;
  const personKey = lead.emailKey ?? lead.phone;

  const stored = await withTransaction(db, async (tx) => {
    await lockSubmitter(tx, personKey ?? submissionId);
    const seen = await findSubmission(tx, submissionId);
    if (seen) return { leadId: seen.leadId, duplicate: true, merged: seen.merged, receivedAt: seen.receivedAt };

    if (personKey) {
      const running = await findRecentLeadOfPerson(tx, personKey, new Date(receivedAt.getTime() - mergeWindowMs));
      const notice = { submissionId, source: lead.source, receivedAt: receivedAt.toISOString() };
      const merge = running ? await mergeInto(client, running, notice) : 'closed';
      if (running && merge !== 'closed') {
        await insertSubmission(tx, {
          submissionId,
          leadId: running,
          personKey,
          lead,
          receivedAt,
          merged: true,
          submittedBy,
        });
        return { leadId: running, duplicate: false, merged: true, receivedAt, notStarted: merge === 'not-started' };
      }
    }
    await insertSubmission(tx, {
      submissionId,
      leadId: submissionId,
      personKey,
      lead,
      receivedAt,
      merged: false,
      submittedBy,
    });
    return { leadId: submissionId, duplicate: false, merged: false, receivedAt };
  });
  if (stored.merged) {
    // The lead it joined was stored but its workflow not yet started (its own request is starting it now): the
    // workflow reads this submission from Postgres when it receives the lead. Started here too, in case that request
    // never gets to it; whichever start comes second finds the first.
    if ('notStarted' in stored && stored.notStarted) await startFirstSubmissionOf(deps, stored.leadId);
    metrics.submissions.inc({ source: lead.source, result: stored.duplicate ? 'duplicate' : 'merged' });
    return { leadId: stored.leadId, duplicate: stored.duplicate, merged: true };
  }

  const { leadId } = stored;
  try {
    await startLeadWorkflow(deps, leadId, lead, stored.receivedAt);
  } catch (err) {
    // Started by an earlier attempt whose response was lost, or by a submission that joined it meanwhile: the same lead.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    metrics.submissions.inc({ source: lead.source, result: stored.duplicate ? 'duplicate' : 'new' });
    return { leadId, duplicate: stored.duplicate, merged: false };
  }
  metrics.submissions.inc({ source: lead.source, result: stored.duplicate ? 'duplicate' : 'new' });
  return { leadId, duplicate: stored.duplicate, merged: false };
}

async function startFirstSubmissionOf(deps: SubmitLeadDeps, leadId: string): Promise<void> {
  const { first } = await readSubmissionsOfLead(deps.db, leadId);
  if (!first) return;
  try {
    await startLeadWorkflow(deps, leadId, first.lead, first.receivedAt);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

async function startLeadWorkflow(
  { client, taskQueue, eagerStart = false }: SubmitLeadDeps,
  leadId: string,
  lead: NormalisedLead,
  receivedAt: Date,
): Promise<void> {
  const input: LeadWorkflowInput = { leadId, receivedAt: receivedAt.toISOString() };
  await client.workflow.start<typeof leadWorkflow>('leadWorkflow', {
    workflowId: workflowIdFor(leadId),
    taskQueue,
    args: [input],
    // A lead that already ran to its end under this id is the same lead, not a new one.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    requestEagerStart: eagerStart,
    typedSearchAttributes: [
      { key: sa.LeadStatus, value: 'received' },
      { key: sa.Source, value: lead.source },
      { key: sa.EscalationLevel, value: 0 },
      { key: sa.SlaDeadline, value: new Date(receivedAt.getTime() + intakeDeadlineMs) },
    ],
    // The Web UI's line on the lead: where it came from, never who sent it.
    memo: { summary: `${lead.source} lead — received` },
    // Who it is, for the Web UI's list and the workflow page (user metadata): payloads like any other, so the codec
    // encrypts them and only codec-server users (managers, admins) read them.
    staticSummary: describePerson(lead),
    staticDetails: leadDetails(lead, receivedAt),
  });
}

/**
 * Signals the running lead. `closed` when that lead has ended (assigned or rejected): the new submission starts a
 * lead of its own. `not-started` when the lead's row is committed but its workflow is not started yet: no signal is
 * needed, since the workflow reads merged submissions from Postgres when it receives the lead.
 */
async function mergeInto(
  client: Client,
  leadId: string,
  notice: MergeNotice,
): Promise<'signalled' | 'not-started' | 'closed'> {
  const handle = client.workflow.getHandle(workflowIdFor(leadId));
  try {
    await handle.signal(mergeSubmissionSignal, notice);
    return 'signalled';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  // A signal finds only running workflows: an ended one still describes, one never started does not.
  try {
    await handle.describe();
    return 'closed';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'not-started';
    throw err;
  }
}

/** The workflow page's details: how to reach the person and what they wrote, cut short (markdown). */
function leadDetails(lead: NormalisedLead, receivedAt: Date): string {
  const text = lead.text.length > 500 ? `${lead.text.slice(0, 500)}…` : lead.text;
  const facts = [
    lead.company && `**Company:** ${lead.company}${lead.companySize ? ` (${lead.companySize} people)` : ''}`,
    lead.email && `**Email:** ${lead.email}`,
    lead.phone && `**Phone:** ${lead.phone}`,
    lead.country && `**Country:** ${lead.country}`,
    `**Received:** ${receivedAt.toISOString()} via ${lead.source}`,
  ].filter(Boolean);
  return `${facts.join('  \n')}\n\n> ${text.replace(/\n/g, '\n> ')}`;
}
