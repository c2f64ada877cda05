// The rules for answering an offer: who may answer which offer, and until when.
import type { OfferView } from './offer';
import { refuseAnswer, refusalTypes, type OfferRefusal, type OffersNow } from './offer-refusals';

const offeredAt = '2025-03-10T09:00:00.000Z';
const deadline = '2025-03-10T09:05:00.000Z';
const beforeDeadline = Date.parse(deadline) - 1;

function offer(offerNumber: number, overrides: Partial<OfferView> = {}): OfferView {
  return {
    offerNumber,
    kind: 'candidate',
    level: 0,
    repIds: ['ana'],
    offeredAt,
    deadline,
    outcome: 'open',
    ...overrides,
  };
}

/** ana declined offer 1; offer 2 is open for ben until `deadline`. */
const declinedThenBen: OffersNow = {
  leadId: 'L1',
  offers: [offer(1, { outcome: 'declined', answeredBy: 'ana' }), offer(2, { repIds: ['ben'] })],
  current: offer(2, { repIds: ['ben'] }),
  answered: false,
  nowMs: beforeDeadline,
};
const ben2 = declinedThenBen.offers[1] as OfferView;
const catchAll = offer(1, { kind: 'catch-all', level: 3, repIds: ['mgr', 'ana', 'ben'] });

const malformed = { type: refusalTypes.malformed, message: 'offerNumber (number) and repId (string) are required' };
const inCatchAll: OffersNow = { ...declinedThenBen, offers: [catchAll], current: catchAll };

interface Case {
  what: string;
  answer: unknown;
  action: 'accept' | 'decline';
  now?: OffersNow;
  refused: OfferRefusal | undefined;
}

const cases: Case[] = [
  {
    what: 'an open offer to the rep, before its deadline',
    answer: { offerNumber: 2, repId: 'ben' },
    action: 'accept',
    refused: undefined,
  },
  {
    what: 'a decline of an open offer, with a reason',
    answer: { offerNumber: 2, repId: 'ben', reason: 'busy' },
    action: 'decline',
    refused: undefined,
  },
  {
    what: 'a claim by anyone in the catch-all queue',
    answer: { offerNumber: 1, repId: 'ana' },
    action: 'accept',
    now: inCatchAll,
    refused: undefined,
  },
  { what: 'no payload', answer: undefined, action: 'accept', refused: malformed },
  { what: 'an offer number as text', answer: { offerNumber: '2', repId: 'ben' }, action: 'accept', refused: malformed },
  { what: 'no rep', answer: { offerNumber: 2 }, action: 'decline', refused: malformed },
  {
    what: 'an offer never made',
    answer: { offerNumber: 3, repId: 'ben' },
    action: 'accept',
    refused: { type: refusalTypes.unknownOffer, message: 'lead L1 has no offer 3' },
  },
  {
    what: 'offer 0',
    answer: { offerNumber: 0, repId: 'ana' },
    action: 'accept',
    refused: { type: refusalTypes.unknownOffer, message: 'lead L1 has no offer 0' },
  },
  {
    what: 'a rep the offer was not made to',
    answer: { offerNumber: 2, repId: 'mallory' },
    action: 'accept',
    refused: { type: refusalTypes.notOffered, message: 'offer 2 was not made to mallory' },
  },
  {
    // Who may answer is asked before whether it is too late: a stranger learns nothing about the offer's state.
    what: 'a stranger, on a closed offer',
    answer: { offerNumber: 1, repId: 'ben' },
    action: 'accept',
    refused: { type: refusalTypes.notOffered, message: 'offer 1 was not made to ben' },
  },
  {
    what: 'an offer the rep already declined',
    answer: { offerNumber: 1, repId: 'ana' },
    action: 'accept',
    refused: { type: refusalTypes.staleOffer, message: 'offer 1 is closed: it was declined by ana' },
  },
  {
    what: 'an offer that timed out',
    answer: { offerNumber: 1, repId: 'ana' },
    action: 'accept',
    now: { ...declinedThenBen, offers: [offer(1, { outcome: 'timed-out' }), ben2] },
    refused: { type: refusalTypes.staleOffer, message: `offer 1 is closed: it expired at ${deadline}` },
  },
  {
    // The offer is still open in the view until the workflow acts, hence the odd "it was open" (kept as it was).
    what: 'a second answer before the workflow acted on the first',
    answer: { offerNumber: 2, repId: 'ben' },
    action: 'decline',
    now: { ...declinedThenBen, answered: true },
    refused: { type: refusalTypes.staleOffer, message: 'offer 2 is closed: it was open' },
  },
  {
    what: 'an answer exactly at the deadline, before the timer closed the offer',
    answer: { offerNumber: 2, repId: 'ben' },
    action: 'accept',
    now: { ...declinedThenBen, nowMs: Date.parse(deadline) },
    refused: { type: refusalTypes.staleOffer, message: `offer 2 expired at ${deadline}` },
  },
  {
    what: 'a decline in the catch-all queue',
    answer: { offerNumber: 1, repId: 'ana', reason: 'no' },
    action: 'decline',
    now: inCatchAll,
    refused: {
      type: refusalTypes.notDeclinable,
      message: 'a lead in the catch-all queue can be claimed, not declined',
    },
  },
  {
    what: 'a late decline in the catch-all queue: too late is said first',
    answer: { offerNumber: 1, repId: 'ana' },
    action: 'decline',
    now: { ...inCatchAll, nowMs: Date.parse(deadline) + 1 },
    refused: { type: refusalTypes.staleOffer, message: `offer 1 expired at ${deadline}` },
  },
];

test.each(cases)('$what', ({ answer, action, now = declinedThenBen, refused }) => {
  expect(refuseAnswer(answer, action, now)).toEqual(refused);
});
