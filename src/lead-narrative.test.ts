// The words of a lead's timeline and memo, as reps and sales ops read them.
import {
  describeAssignment,
  describeClosed,
  describeIgnoredSignal,
  describeMatch,
  describeOffer,
  describeOfferOpened,
  describeOfferTold,
  describeQualification,
  summariseLead,
  type LeadMemoFacts,
} from './lead-narrative';
import type { OfferView } from './offer';
import type { Qualification } from './qualification';

const qualification: Qualification = {
  score: 82,
  tier: 'A',
  urgency: 'now',
  serviceLine: 'cloud-migration',
  spam: false,
  parts: [
    { points: 20, reason: 'business email domain (acme-corp.example)', kind: 'fit' },
    { points: 30, reason: 'wants it now', kind: 'intent' },
  ],
  fit: 20,
  intent: 30,
  timeline: null,
  confidence: { serviceLine: 0.9, urgency: 0.9, spam: 0.99 },
  reasons: [],
};

function offer(overrides: Partial<OfferView> = {}): OfferView {
  return {
    offerNumber: 2,
    kind: 'candidate',
    level: 0,
    repIds: ['ben'],
    offeredAt: '2025-03-10T09:05:00.000Z',
    deadline: '2025-03-10T09:10:00.000Z',
    outcome: 'open',
    ...overrides,
  };
}

describe('the qualification sentence', () => {
  test('gives the score, tier, urgency and service line, then every point with its reason', () => {
    expect(describeQualification(qualification)).toBe(
      'score 82 (tier A), urgency now, service line cloud-migration: ' +
        '+20 business email domain (acme-corp.example), +30 wants it now',
    );
  });

  test('for spam, says only why it was thrown out', () => {
    expect(describeQualification({ ...qualification, spam: true, spamReason: 'sells SEO services' })).toBe(
      'rejected as spam: sells SEO services',
    );
    expect(describeQualification({ ...qualification, spam: true })).toBe('rejected as spam: spam');
  });
});

test('a match is told as matching found it; no match is a new contact', () => {
  expect(describeMatch({ summary: 'email key x is known contact 7, owned by ben' })).toBe(
    'email key x is known contact 7, owned by ben',
  );
  expect(describeMatch(null)).toBe('new contact: no existing contact has this email');
});

test('an opened offer says its kind, level, reps and why them; a told one when its SLA runs out', () => {
  expect(describeOfferOpened(offer(), 'next in the round robin of Cloud')).toBe(
    'offer 2 (candidate, level 0) to ben: next in the round robin of Cloud',
  );
  expect(
    describeOfferOpened(offer({ kind: 'catch-all', level: 3, repIds: ['mgr', 'ana'] }), 'nobody in the chain took it'),
  ).toBe('offer 2 (catch-all, level 3) to mgr, ana: nobody in the chain took it');
  expect(describeOfferOpened(offer({ kind: 'catch-all', repIds: [] }), 'needs attention')).toBe(
    'offer 2 (catch-all, level 0) to any rep: needs attention',
  );
  const told = { ...offer(), toldAt: '2025-03-10T09:05:00.000Z', deadline: '2025-03-10T09:10:00.000Z' };
  expect(describeOfferTold(told, '5 minutes')).toBe(
    'ben told of offer 2 at 2025-03-10T09:05:00.000Z: answer due by 2025-03-10T09:10:00.000Z (5 minutes)',
  );
});

describe('an offer as it ended', () => {
  test.each<[string, Partial<OfferView>, string, string]>([
    ['accepted', { outcome: 'accepted', answeredBy: 'ben' }, 'offer 2: accepted by ben', 'it was accepted by ben'],
    [
      'declined with a reason',
      { outcome: 'declined', answeredBy: 'ben', reason: 'on leave' },
      'offer 2: declined by ben ("on leave")',
      'it was declined by ben',
    ],
    [
      'declined without one',
      { outcome: 'declined', answeredBy: 'ben' },
      'offer 2: declined by ben',
      'it was declined by ben',
    ],
    [
      'timed out',
      { outcome: 'timed-out' },
      'offer 2: ben did not answer by 2025-03-10T09:10:00.000Z',
      'it expired at 2025-03-10T09:10:00.000Z',
    ],
    ['still open', {}, 'offer 2: open for ben until 2025-03-10T09:10:00.000Z', 'it was open'],
  ])('%s', (_what, overrides, told, closed) => {
    expect(describeOffer(offer(overrides))).toBe(told);
    expect(describeClosed(offer(overrides))).toBe(closed);
  });
});

test('an assignment names the owner and the offer they accepted', () => {
  expect(describeAssignment({ repId: 'ana', offerNumber: 1 })).toBe('ana owns the lead (accepted offer 1)');
});

test('an ignored signal says who sent it for which offer and why it was ignored, whatever was sent', () => {
  expect(describeIgnoredSignal('accept', { offerNumber: 1, repId: 'mallory' }, 'offer 1 was not made to mallory')).toBe(
    'accept signal from mallory for offer 1 ignored: offer 1 was not made to mallory',
  );
  expect(describeIgnoredSignal('decline', undefined, 'malformed')).toBe(
    'decline signal from undefined for offer undefined ignored: malformed',
  );
});

describe('the memo line', () => {
  const received: LeadMemoFacts = {
    status: 'received',
    deadline: '2025-03-10T09:05:00.000Z',
    owner: null,
    currentOffer: null,
    qualification: null,
  };
  // The memo is readable by anyone with Web UI access: it names where the lead came from, never who sent it.
  test('while intake works: the source, the status and until when', () => {
    expect(summariseLead('web-form', received)).toBe('web-form lead — received until 2025-03-10T09:05:00.000Z');
  });

  test('while offered: the grade, and the offer to whom until when', () => {
    const offered = { ...received, status: 'offered' as const, deadline: '2025-03-10T09:10:00.000Z' };
    expect(summariseLead('web-form', { ...offered, qualification, currentOffer: offer() })).toBe(
      'web-form lead, tier A (82), cloud-migration — offered: offer 2 to ben (level 0) until 2025-03-10T09:10:00.000Z',
    );
  });

  test('while its email is on its way: notifying, with the time by which it must have gone', () => {
    const notifying = {
      ...received,
      status: 'notifying' as const,
      qualification,
      currentOffer: offer({ deadline: null }),
    };
    expect(summariseLead('chat', notifying)).toBe(
      'chat lead, tier A (82), cloud-migration — notifying: offer 2 to ben (level 0) until 2025-03-10T09:05:00.000Z',
    );
  });

  test('once owned: the owner', () => {
    expect(
      summariseLead('web-form', { ...received, status: 'assigned', deadline: null, qualification, owner: 'ben' }),
    ).toBe('web-form lead, tier A (82), cloud-migration — assigned to ben');
  });

  test('thrown out as spam: the status alone', () => {
    expect(summariseLead('web-form', { ...received, status: 'rejected-spam', deadline: null })).toBe(
      'web-form lead — rejected-spam',
    );
  });
});
