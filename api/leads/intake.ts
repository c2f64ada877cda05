// Intake for the routes: a normalised lead from an API key becomes that client's submission (its identity scoped to
// the key), and a partner batch is submitted lead by lead, each with its own result.
import type { Principal } from '../../db/credentials';
import { normalisePartnerLead } from '../../src/intake/normalise';
import type { NormalisedLead } from '../../src/intake/normalised-lead';
import type { PartnerBatchItem } from '../../src/intake/schemas';
import { HttpError, type FieldIssue } from '../errors';
import type { PartnerItemResult } from './intake-schemas';
import { deriveSubmissionId } from './submission-id';
import { submitLead, type SubmitLeadDeps, type SubmitLeadResult } from './submit-lead';

export function locationOf(leadId: string): string {
  return `/v1/leads/${leadId}`;
}

export async function submitAsClient(
  deps: SubmitLeadDeps,
  principal: Principal | null,
  lead: NormalisedLead,
  idempotencyKey: string | undefined,
  receivedAt: Date,
): Promise<SubmitLeadResult> {
  if (principal?.kind !== 'api-key')
    throw new HttpError(403, 'intake needs an API key', [
      { field: 'Authorization', message: 'intake needs an API key' } satisfies FieldIssue,
    ]);
  const submissionId = deriveSubmissionId({
    source: lead.source,
    externalId: lead.externalId,
    idempotencyKey,
    clientId: principal.keyId,
  });
  return submitLead(deps, { submissionId, lead, receivedAt, submittedBy: principal.keyId });
}

export type PartnerBatchAnswer =
  | { status: 202; body: { accepted: number; refused: number; results: PartnerItemResult[] } }
  | { status: 400; body: { error: string; issues: FieldIssue[]; results: PartnerItemResult[] } };

/** 202 when at least one lead was accepted or seen before; 400 with every lead's issues when none was. */
export async function submitPartnerBatch(
  deps: SubmitLeadDeps,
  principal: Principal | null,
  items: PartnerBatchItem[],
  receivedAt: Date,
): Promise<PartnerBatchAnswer> {
  const results: PartnerItemResult[] = [];
  // One at a time: submissions of the same person in one batch must see each other to merge.
  for (const item of items) {
    if (!item.ok) {
      results.push({ index: item.index, status: 400, issues: item.issues });
      continue;
    }
    const result = await submitAsClient(deps, principal, normalisePartnerLead(item.lead), undefined, receivedAt);
    results.push({
      index: item.index,
      status: result.duplicate ? 200 : 202,
      leadId: result.leadId,
      location: locationOf(result.leadId),
      duplicate: result.duplicate,
      merged: result.merged,
    });
  }
  const refused = results.filter((r) => r.status === 400);
  const accepted = results.length - refused.length;
  if (accepted === 0) {
    const issues = refused.flatMap((r) => r.issues ?? []);
    return {
      status: 400,
      body: { error: `no lead in the batch was accepted: ${issues.map((i) => i.field).join(', ')}`, issues, results },
    };
  }
  return { status: 202, body: { accepted, refused: refused.length, results } };
}
