import fc from 'fast-check';
import { beliefMean, beliefOf, EvidenceTallies, summarizeEvidence, type OutcomeEvidence } from './posterior';
import { seededUniform } from './random';

const day = 86_400_000;
const now = Date.parse('2026-06-01T00:00:00Z');
const window = { outcomeWindow: 60, halfLife: 180 };

function lead(repId: string, segmentKey: string, daysAgo: number, outcome: 'won' | 'lost' | 'open'): OutcomeEvidence {
  const assignedAt = now - daysAgo * day;
  return {
    repId,
    segmentKey,
    assignedAt,
    convertedAt: outcome === 'won' ? assignedAt : null,
    lostAt: outcome === 'lost' ? assignedAt : null,
  };
}

test('a lead inside the outcome window with no outcome is open, not a failure; past the window it is one', () => {
  const summary = summarizeEvidence(
    [lead('ana', 'cloud', 10, 'open'), lead('ana', 'cloud', 61, 'open'), lead('ana', 'cloud', 5, 'won')],
    now,
    window,
  );
  const own = summary.own('ana', 'cloud');
  expect(own.leadsResolved).toBe(2);
  expect(own.leadsConverted).toBe(1);
});

test('an outcome reported after the instant read is not known yet', () => {
  const later = { ...lead('ana', 'cloud', 3, 'open'), convertedAt: now + day };
  expect(summarizeEvidence([lead('ana', 'cloud', 3, 'won')], now, window).own('ana', 'cloud').leadsResolved).toBe(1);
  expect(summarizeEvidence([later], now, window).own('ana', 'cloud').leadsResolved).toBe(0);
});

test('evidence one half-life old weighs half', () => {
  const summary = summarizeEvidence([lead('ana', 'cloud', 180, 'won'), lead('ana', 'cloud', 0, 'lost')], now, window);
  const own = summary.own('ana', 'cloud');
  expect(own.resolved).toBeCloseTo(1.5, 6);
  expect(own.conversions).toBeCloseTo(0.5, 6);
});

test('tallies added as leads resolve read the same as a summary made at once', () => {
  const evidence = [lead('ana', 'a', 100, 'won'), lead('ben', 'a', 50, 'lost'), lead('ana', 'b', 20, 'won')];
  const tallies = new EvidenceTallies(now - 365 * day, window.halfLife);
  for (const e of evidence) tallies.add(e.repId, e.segmentKey, e.assignedAt, e.convertedAt !== null);
  const incremental = tallies.summaryAt(now);
  const atOnce = summarizeEvidence(evidence, now, window);
  for (const rep of ['ana', 'ben'])
    expect(beliefOf(rep, 'a', incremental, 10).alpha).toBeCloseTo(beliefOf(rep, 'a', atOnce, 10).alpha, 9);
});

test("a rep with no leads anywhere starts from a typical rep's rate in the segment", () => {
  const evidence: OutcomeEvidence[] = [];
  for (let i = 0; i < 100; i++) evidence.push(lead('ben', 'a', 70, i < 40 ? 'won' : 'lost'));
  for (let i = 0; i < 100; i++) evidence.push(lead('ben', 'b', 70, i < 10 ? 'won' : 'lost'));
  const summary = summarizeEvidence(evidence, now, window);
  const newcomer = beliefOf('cruz', 'a', summary, 10);
  expect(newcomer.own.leadsResolved).toBe(0);
  expect(newcomer.priorMean).toBeCloseTo(summary.typicalRepRate('a', 10), 6);
  expect(newcomer.priorMean).toBeGreaterThan(0.3);
});

test("the reps given most of a segment's leads do not lift what a newcomer there is believed to convert", () => {
  // Ana converts a at 40% and has had most of its leads; ben and cruz convert it at 10% on a few each.
  const evidence: OutcomeEvidence[] = [];
  const add = (rep: string, leads: number, rate: number) => {
    for (let i = 0; i < leads; i++) evidence.push(lead(rep, 'a', 70, i < rate * leads ? 'won' : 'lost'));
  };
  add('ana', 300, 0.4);
  add('ben', 30, 0.1);
  add('cruz', 30, 0.1);
  const newcomer = beliefOf('dina', 'a', summarizeEvidence(evidence, now, window), 10);
  // Per lead the segment converts at 35%; a rep picked at random, at 20%: the newcomer is believed nearer that.
  expect(newcomer.teamRate).toBeGreaterThan(0.33);
  expect(newcomer.priorMean).toBeGreaterThan(0.18);
  expect(newcomer.priorMean).toBeLessThan(0.28);
});

test("a rep's record elsewhere carries into a segment as records elsewhere have predicted records there", () => {
  // Ana converts b at 40% and has no a leads yet; two other reps convert a and b at each pair of rates given.
  const priorOfAna = (...pairs: Array<[number, number]>) => {
    const evidence: OutcomeEvidence[] = [];
    const add = (rep: string, segment: string, rate: number) => {
      for (let i = 0; i < 100; i++) evidence.push(lead(rep, segment, 70, i < rate * 100 ? 'won' : 'lost'));
    };
    [...pairs, ...pairs].forEach(([a, b], r) => {
      add(`rep${r}`, 'a', a);
      add(`rep${r}`, 'b', b);
    });
    add('ana', 'b', 0.4);
    const summary = summarizeEvidence(evidence, now, window);
    return { ana: beliefOf('ana', 'a', summary, 10), weight: summary.skillWeight(10) };
  };
  // Reps good at one kind are good at the other: her 40% in b says she is good at a too.
  const generalists = priorOfAna([0.4, 0.4], [0.1, 0.1]);
  expect(generalists.weight).toBeGreaterThan(0.8);
  expect(generalists.ana.priorMean).toBeGreaterThan(generalists.ana.teamRate * 1.3);
  // Reps strong at one kind are weak at the other: her 40% in b says she is likely weak at a.
  const specialists = priorOfAna([0.4, 0.1], [0.1, 0.4]);
  expect(specialists.weight).toBeLessThan(-0.5);
  expect(specialists.ana.priorMean).toBeLessThan(specialists.ana.teamRate * 0.8);
  // A handful of leads moves it little either way: early decisions are not made near-certain by noise.
  const few: OutcomeEvidence[] = [];
  for (const [rep, a, b] of [
    ['ben', 'won', 'lost'],
    ['cruz', 'lost', 'won'],
    ['dina', 'won', 'won'],
  ] as const) {
    few.push(lead(rep, 'a', 70, a), lead(rep, 'b', 70, b));
  }
  expect(Math.abs(summarizeEvidence(few, now, window).skillWeight(10))).toBeLessThan(0.3);
  // Reps whose records elsewhere say nothing of a: neither up nor down.
  const unrelated = priorOfAna([0.4, 0.4], [0.1, 0.4], [0.4, 0.1], [0.1, 0.1]);
  expect(Math.abs(unrelated.weight)).toBeLessThan(0.2);
  expect(unrelated.ana.priorMean).toBeCloseTo(unrelated.ana.teamRate, 1);
});

test("with much evidence of their own, a rep's estimate is their own rate", () => {
  const evidence: OutcomeEvidence[] = [];
  for (let i = 0; i < 1000; i++) evidence.push(lead('ana', 'a', 70, i < 300 ? 'won' : 'lost'));
  for (let i = 0; i < 1000; i++) evidence.push(lead('ben', 'a', 70, i < 100 ? 'won' : 'lost'));
  const summary = summarizeEvidence(evidence, now, window);
  expect(beliefMean(beliefOf('ana', 'a', summary, 10))).toBeCloseTo(0.3, 2);
  expect(beliefMean(beliefOf('ben', 'a', summary, 10))).toBeCloseTo(0.1, 2);
});

test('the prior weighs less when reps differ beyond chance, and its full strength when they do not', () => {
  const uniform = seededUniform(3);
  const leads = (rates: number[]) => {
    const evidence: OutcomeEvidence[] = [];
    rates.forEach((rate, r) => {
      for (let i = 0; i < 200; i++) evidence.push(lead(`rep${r}`, 'a', 70, uniform() < rate ? 'won' : 'lost'));
    });
    return summarizeEvidence(evidence, now, window);
  };
  expect(leads([0.05, 0.5, 0.1, 0.45, 0.3, 0.02]).priorStrength(50)).toBeLessThan(10);
  expect(leads([0.2, 0.2, 0.2, 0.2, 0.2, 0.2]).priorStrength(50)).toBeGreaterThan(25);
});

test('property: the estimate lies between the prior mean and the rep’s own rate, nearer their own as it grows', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          rep: fc.constantFrom('ana', 'ben', 'cruz'),
          segment: fc.constantFrom('a', 'b'),
          daysAgo: fc.integer({ min: 61, max: 400 }),
          won: fc.boolean(),
        }),
        { maxLength: 60 },
      ),
      fc.constantFrom('ana', 'ben', 'cruz'),
      fc.constantFrom('a', 'b'),
      (leads, rep, segment) => {
        const evidence = leads.map((l) => lead(l.rep, l.segment, l.daysAgo, l.won ? 'won' : 'lost'));
        const belief = beliefOf(rep, segment, summarizeEvidence(evidence, now, window), 10);
        const mean = beliefMean(belief);
        expect(mean).toBeGreaterThan(0);
        expect(mean).toBeLessThan(1);
        if (belief.own.resolved === 0) {
          expect(mean).toBeCloseTo(belief.priorMean, 9);
          return;
        }
        const own = belief.own.conversions / belief.own.resolved;
        expect(mean).toBeGreaterThanOrEqual(Math.min(belief.priorMean, own) - 1e-12);
        expect(mean).toBeLessThanOrEqual(Math.max(belief.priorMean, own) + 1e-12);
      },
    ),
    { numRuns: 1000 },
  );
});
