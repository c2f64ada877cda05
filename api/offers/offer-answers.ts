// Runs a rep's accept or decline as the workflow Update, for both the JSON API and the email-link pages, so the
// two share one update id (a retry, or the same answer given through both, is answered once) and one mapping of
// the workflow's refusals to HTTP statuses.
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  acceptOffer,
  declineOffer,
  refusalTypes,
  type AcceptResult,
  type DeclineResult,
} from '../../workflows/messages';
import { httpError } from '../errors';
import { workflowIdFor } from '../lead-workflow';

export type OfferAction = 'accept' | 'decline';

/**
 * How long an answer waits for the lead's workflow to take it and act on it: long enough for a restarted worker to
 * pick the workflow up (its task first waits 10 s on the old worker's sticky queue) and for an email's first try.
 * With no worker running at all it would wait for one; the rep is told to send it again instead, and the same
 * update id makes that safe.
 */
export const answerDeadlineMs = 25_000;

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
    const result = await client.connection.withDeadline(Date.now() + answerDeadlineMs, () =>
      handle.executeUpdate(a.action === 'accept' ? acceptOffer : declineOffer, {
        args: [{ offerNumber: a.offerNumber, repId: a.repId, ...(a.reason ? { reason: a.reason } : {}) }],
        updateId: `${a.action}:${a.offerNumber}:${a.repId}`,
      }),
    );
    return { kind: 'answered', result };
  } catch (err) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
      throw httpError(
        503,
        'offerId',
        `lead ${a.leadId} did not take the answer within ${answerDeadlineMs / 1000} s (its worker may be restarting); send the same request again in a minute: it is answered once, with the outcome`,
        'AnswerNotTakenYet',
      );
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return { kind: 'refused', type: err.cause.type ?? 'Refused', message: err.cause.message };
    }
    if (err instanceof WorkflowNotFoundError) return { kind: 'closed' };
    throw err;
  }
}
