// Turns one accepted submission into a lead workflow, or merges it into the running lead of the same person.
import type { Pool, PoolClient } from 'pg';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { withTransaction } from '../db/pool';
import {
  describePerson,
  intakeDeadlineMs,
  type LeadWorkflowInput,
  type MergedSubmission,
  type NormalisedLead,
} from '../src/lead';
import type { leadWorkflow } from '../workflows/lead';
import { mergeSubmissionSignal, searchAttributes as sa } from '../workflows/messages';
import { workflowIdFor } from './lead-id';

export interface SubmitLeadDeps {
  client: Client;
  db: Pool;
  taskQueue: string;
  /** A second submission from the same person within this window joins the first lead. */
  mergeWindowMs: number;
}

export interface SubmitLeadRequest {
  /** Deterministic for retried requests (Idempotency-Key, or the source's external id), random otherwise. */
  submissionId: string;
  lead: NormalisedLead;
  receivedAt: Date;
}

export interface SubmitLeadResult {
  leadId: string;
  /** The same submission was seen before; nothing new happened. */
  duplicate: boolean;
  /** The submission joined a lead already running for the same person. */
  merged: boolean;
}

/**
 * The row in lead_submissions is written in the same transaction that starts (or signals) the workflow, under a
 * lock on the person, so two submissions racing in from one person cannot both start a lead, and a failure to
 * reach Temporal rolls the row back for the client's retry: nothing is recorded that did not happen.
 */
export async function submitLead(deps: SubmitLeadDeps, request: SubmitLeadRequest): Promise<SubmitLeadResult> {
  const { client, db, taskQueue, mergeWindowMs } = deps;
  const { submissionId, lead, receivedAt } = request;
  const personKey = lead.emailKey ?? lead.phone;

  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [personKey ?? submissionId]);
    const seen = await tx.query<{ lead_id: string; merged: boolean }>(
      'SELECT lead_id, merged FROM lead_submissions WHERE submission_id = $1',
      [submissionId],
    );
    if (seen.rows[0]) return { leadId: seen.rows[0].lead_id, duplicate: true, merged: seen.rows[0].merged };

    if (personKey) {
      const recent = await tx.query<{ lead_id: string }>(
        `SELECT lead_id FROM lead_submissions
          WHERE person_key = $1 AND NOT merged AND received_at >= $2
          ORDER BY received_at DESC LIMIT 1`,
        [personKey, new Date(receivedAt.getTime() - mergeWindowMs)],
      );
      const running = recent.rows[0]?.lead_id;
      if (running && (await mergeInto(client, running, { submissionId, lead, receivedAt: receivedAt.toISOString() }))) {
        await insertSubmission(tx, { submissionId, leadId: running, personKey, lead, receivedAt, merged: true });
        return { leadId: running, duplicate: false, merged: true };
      }
    }

    const leadId = submissionId;
    await insertSubmission(tx, { submissionId, leadId, personKey, lead, receivedAt, merged: false });
    const input: LeadWorkflowInput = { leadId, lead, receivedAt: receivedAt.toISOString() };
    try {
      await client.workflow.start<typeof leadWorkflow>('leadWorkflow', {
        workflowId: workflowIdFor(leadId),
        taskQueue,
        args: [input],
        // A lead that already ran to its end under this id is the same lead, not a new one.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: sa.LeadStatus, value: 'received' },
          { key: sa.Source, value: lead.source },
          { key: sa.EscalationLevel, value: 0 },
          { key: sa.SlaDeadline, value: new Date(receivedAt.getTime() + intakeDeadlineMs) },
        ],
        memo: { summary: `${describePerson(input)} — received` },
      });
    } catch (err) {
      // Started by an earlier attempt whose response was lost: the same lead.
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { leadId, duplicate: true, merged: false };
      throw err;
    }
    return { leadId, duplicate: false, merged: false };
  });
}

/** False when that lead has already closed (assigned or rejected): the new submission starts a lead of its own. */
async function mergeInto(client: Client, leadId: string, submission: MergedSubmission): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowIdFor(leadId)).signal(mergeSubmissionSignal, submission);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

async function insertSubmission(
  tx: PoolClient,
  row: {
    submissionId: string;
    leadId: string;
    personKey: string | null;
    lead: NormalisedLead;
    receivedAt: Date;
    merged: boolean;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO lead_submissions (submission_id, lead_id, person_key, source, received_at, merged, lead)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      row.submissionId,
      row.leadId,
      row.personKey,
      row.lead.source,
      row.receivedAt,
      row.merged,
      JSON.stringify(row.lead),
    ],
  );
}
