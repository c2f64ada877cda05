// Runs a rep's accept or decline as the workflow Update, for both the JSON API and the email-link pages, so the
// two share one update id (a retry, or the same answer given through both, is answered once) and one mapping of
// the workflow's refusals to HTTP statuses.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  acceptOffer,
  declineOffer,
  refusalTypes,
  type AcceptResult,
  type DeclineResult,
} from '../../workflows/messages';
import { workflowIdFor } from '../lead-workflow';

export type OfferAction = 'accept' | 'decline';

export const refusalStatus: Record<string, number> = {
  [refusalTypes.malformed]: 400,
  [refusalTypes.unknownOffer]: 404,
  [refusalTypes.notOffered]: 403,
  [refusalTypes.staleOffer]: 409,
  [refusalTypes.notDeclinable]: 409,
};

export type OfferAnswerOutcome =
  | { kind: 'answered'; result: AcceptResult | DeclineResult }
  | { kind: 'refused'; type: string; message: string }
  /** The run has finished: the server answers an update to it as if the workflow did not exist. */
  | { kind: 'closed' };

/**
 * The update id names the offer, the rep and the action: a retried request gets the first one's answer, and one
 * rep's answer can never be handed to another rep.
 */
export async function runOfferAnswer(
  client: Client,
  a: { action: OfferAction; leadId: string; offerNumber: number; repId: string; reason?: string },
): Promise<OfferAnswerOutcome> {
  const handle = client.workflow.getHandle(workflowIdFor(a.leadId));
  try {
    const result = await handle.executeUpdate(a.action === 'accept' ? acceptOffer : declineOffer, {
      args: [{ offerNumber: a.offerNumber, repId: a.repId, ...(a.reason ? { reason: a.reason } : {}) }],
      updateId: `${a.action}:${a.offerNumber}:${a.repId}`,
    });
    return { kind: 'answered', result };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return { kind: 'refused', type: err.cause.type ?? 'Refused', message: err.cause.message };
    }
    if (err instanceof WorkflowNotFoundError) return { kind: 'closed' };
    throw err;
  }
}
