// When a rep's accept or decline cannot be taken, and what they are told. The lead workflow refuses an Update with
// it (the API maps the type to an HTTP status) and records it for a Signal, which cannot be refused to its sender.
import { describeClosed } from './lead-narrative';
import type { OfferAnswer, OfferView } from './offer';

/** Failure types a refused accept or decline carries. */
export const refusalTypes = {
  malformed: 'MalformedAnswer',
  unknownOffer: 'UnknownOffer',
  notOffered: 'NotOfferedToRep',
  staleOffer: 'StaleOffer',
  notDeclinable: 'NotDeclinable',
} as const;

export type RefusalType = (typeof refusalTypes)[keyof typeof refusalTypes];

export interface OfferRefusal {
  type: RefusalType;
  message: string;
}

/** The offers of one lead at the moment an answer arrives. */
export interface OffersNow {
  leadId: string;
  /** Every offer made so far, in order: offer n is offers[n - 1]. */
  offers: readonly OfferView[];
  /** The offer waiting for an answer, if any. */
  current: OfferView | null;
  /** An answer to the current offer was already taken and the workflow has not yet acted on it. */
  answered: boolean;
  /** The workflow's clock, ms since the epoch. */
  nowMs: number;
}

/** Whether a payload has the shape of an answer; senders of Updates and Signals can send anything. */
export function isOfferAnswer(a: unknown): a is OfferAnswer {
  const answer = a as Partial<Record<keyof OfferAnswer, unknown>> | null | undefined;
  return typeof answer?.offerNumber === 'number' && typeof answer.repId === 'string';
}

/** Why `a` cannot be taken as the rep's `action`, or undefined when it can. Rules in order, the first that fails. */
export function refuseAnswer(a: unknown, action: 'accept' | 'decline', now: OffersNow): OfferRefusal | undefined {
  if (!isOfferAnswer(a))
    return { type: refusalTypes.malformed, message: 'offerNumber (number) and repId (string) are required' };
  const offer = now.offers[a.offerNumber - 1];
  if (!offer) return { type: refusalTypes.unknownOffer, message: `lead ${now.leadId} has no offer ${a.offerNumber}` };
  // A lead that needs attention before any team was chosen for it is open to every rep (the API knows who they are).
  if (offer.repIds.length > 0 && !offer.repIds.includes(a.repId))
    return { type: refusalTypes.notOffered, message: `offer ${a.offerNumber} was not made to ${a.repId}` };
  if (offer.offerNumber !== now.current?.offerNumber || now.answered)
    return { type: refusalTypes.staleOffer, message: `offer ${a.offerNumber} is closed: ${describeClosed(offer)}` };
  // A timer that fired in the same workflow task as this answer has not closed the offer yet.
  if (offer.deadline !== null && now.nowMs >= Date.parse(offer.deadline))
    return { type: refusalTypes.staleOffer, message: `offer ${a.offerNumber} expired at ${offer.deadline}` };
  if (action === 'decline' && offer.kind === 'catch-all')
    return { type: refusalTypes.notDeclinable, message: 'a lead in the catch-all queue can be claimed, not declined' };
  return undefined;
}
