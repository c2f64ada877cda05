// A rep's accept or decline through the JSON API: the workflow Update while the lead runs; once its run has
// finished, Postgres says how it ended, so a retried answer gets its first answer again and anyone else a refusal.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { readLeadRecord } from '../../db/lead-records';
import { refusalTypes, type AcceptResult, type DeclineResult } from '../../workflows/messages';
import { httpError } from '../errors';
import { refusalStatus, runOfferAnswer, type OfferAction } from './offer-answers';

export interface OfferAnswerDeps {
  client: Client;
  db: Pool;
}

export interface RepAnswer {
  leadId: string;
  offerNumber: number;
  /** The token's rep, never one named in the body. */
  repId: string;
}

export async function acceptAsRep(deps: OfferAnswerDeps, answer: RepAnswer): Promise<AcceptResult> {
  return (await answerOffer(deps, 'accept', answer)) as AcceptResult;
}

export async function declineAsRep(
  deps: OfferAnswerDeps,
  answer: RepAnswer & { reason: string },
): Promise<DeclineResult> {
  return answerOffer(deps, 'decline', answer);
}

async function answerOffer(
  { client, db }: OfferAnswerDeps,
  action: OfferAction,
  { leadId, offerNumber, repId, reason }: RepAnswer & { reason?: string },
): Promise<AcceptResult | DeclineResult> {
  const outcome = await runOfferAnswer(client, { action, leadId, offerNumber, repId, reason });
  if (outcome.kind === 'answered') return outcome.result;
  if (outcome.kind === 'refused')
    throw httpError(refusalStatus[outcome.type] ?? 409, 'offerId', outcome.message, outcome.type);
  // The run has finished; Postgres knows how.
  const record = await readLeadRecord(db, leadId);
  if (!record) throw httpError(404, 'offerId', `no lead ${leadId}`, refusalTypes.unknownOffer);
  const offer = record.offers.find((o) => o.offerNumber === offerNumber);
  const offered = offer?.repIds.includes(repId) === true || record.owner === repId;
  if (!offered)
    throw httpError(
      403,
      'offerId',
      `offer ${offerNumber} of lead ${leadId} was not made to ${repId}`,
      refusalTypes.notOffered,
    );
  // A retry of an answer that was given before the lead closed gets that answer again, not a refusal.
  if (offer?.answeredBy === repId && offer.outcome === (action === 'accept' ? 'accepted' : 'declined')) {
    return action === 'accept' ? { leadId, owner: repId, offerNumber } : { leadId, offerNumber };
  }
  throw httpError(
    409,
    'offerId',
    `lead ${leadId} is closed (${record.status}${record.owner ? `, owned by ${record.owner}` : ''})`,
    'LeadClosed',
  );
}
