// Lead ids: derived from the intake's own identity when it has one, so a resubmission finds the same workflow.
import { createHash, randomUUID } from 'node:crypto';
import type { LeadSubmission } from '../src/lead';

/**
 * source + externalId is the lead's identity in the sending system and wins; an Idempotency-Key makes one
 * HTTP submission safe to retry; with neither, every submission is a new lead.
 */
export function deriveLeadId(submission: Pick<LeadSubmission, 'source' | 'externalId'>, idempotencyKey: string | undefined): string {
  const identity = submission.externalId ? `external:${submission.source}:${submission.externalId}` : idempotencyKey ? `idempotency-key:${idempotencyKey}` : undefined;
  if (!identity) return randomUUID().replaceAll('-', '').slice(0, 24);
  return createHash('sha256').update(identity).digest('hex').slice(0, 24);
}

export function workflowIdFor(leadId: string): string {
  return `lead:${leadId}`;
}
