import fc from 'fast-check';
import { drawFrom, owedMembers, rankBestFit, type FitMember } from './best-fit';
import { seededUniform } from './random';
import { knownRate, type RepBelief } from './posterior';

const belief = (alpha: number, beta: number): RepBelief => ({
  alpha,
  beta,
  priorMean: alpha / (alpha + beta),
  teamRate: 0.2,
  own: { conversions: 0, resolved: 0, leadsConverted: 0, leadsResolved: 0 },
});
const members = (n: number, weight = 1): FitMember[] => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, weight }));

test('the same seed and evidence give the same ranking; the draws decide it', () => {
  const input = {
    members: members(4),
    beliefs: [belief(2, 8), belief(5, 5), belief(1, 9), belief(3, 7)],
    recentLeads: [5, 5, 5, 5],
    fairnessFloor: 0.5,
    seed: 99,
    propensityDraws: 200,
  };
  const first = rankBestFit(input);
  expect(rankBestFit(input)).toEqual(first);
  expect(first.owed).toBe(-1);
  const byDraw = [...first.order].sort((a, b) => first.draws[b]! - first.draws[a]!);
  expect(first.order).toEqual(byDraw);
});

test('a rep below the fairness floor is owed the lead whatever the draws say, with propensity 1', () => {
  const ranking = rankBestFit({
    members: members(3),
    beliefs: [knownRate(0.9), knownRate(0.8), knownRate(0.01)],
    // 20 leads in the window, equal weights: a floor of 0.5 is 3.5 leads each (counting this one); r2 has 1.
    recentLeads: [10, 9, 1],
    fairnessFloor: 0.5,
    seed: 1,
    propensityDraws: 100,
  });
  expect(ranking.order[0]).toBe(2);
  expect(ranking.owed).toBe(2);
  expect(ranking.owedBy).toEqual({ received: 1, floor: 3.5 });
  expect(ranking.propensity).toBe(1);
});

test('the propensity is the chance of drawing highest: a half for twins, near 1 for a sure winner', () => {
  const twins = rankBestFit({
    members: members(2),
    beliefs: [belief(20, 80), belief(20, 80)],
    recentLeads: [10, 10],
    fairnessFloor: 0.5,
    seed: 5,
    propensityDraws: 4000,
  });
  expect(twins.propensity).toBeGreaterThan(0.45);
  expect(twins.propensity).toBeLessThan(0.55);
  const sure = rankBestFit({
    members: members(2),
    beliefs: [knownRate(0.4), knownRate(0.1)],
    recentLeads: [10, 10],
    fairnessFloor: 0.5,
    seed: 5,
    propensityDraws: 1000,
  });
  expect(sure.order[0]).toBe(0);
  expect(sure.propensity).toBe(1);
});

test('routing lead after lead, every rep keeps at least the floor share of their weight, within one lead', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ weight: fc.integer({ min: 1, max: 4 }), rate: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }),
        {
          minLength: 2,
          maxLength: 6,
        },
      ),
      fc.double({ min: 0.1, max: 1, noNaN: true }),
      fc.integer(),
      (reps, floor, seed) => {
        const team = reps.map((r, i) => ({ id: `r${i}`, weight: r.weight }));
        const beliefs = reps.map((r) => knownRate(r.rate));
        const received = reps.map(() => 0);
        const totalWeight = reps.reduce((a, r) => a + r.weight, 0);
        for (let lead = 0; lead < 120; lead++) {
          const ranking = rankBestFit({
            members: team,
            beliefs,
            recentLeads: received,
            fairnessFloor: floor,
            seed: seed + lead,
            propensityDraws: 0,
          });
          received[ranking.order[0]!]! += 1;
          const dealt = lead + 1;
          reps.forEach((r, i) =>
            expect(received[i]!).toBeGreaterThanOrEqual(floor * (r.weight / totalWeight) * dealt - 1),
          );
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('nobody is owed when everyone has their floor share', () => {
  expect(owedMembers(members(2), [5, 5], 0.5)).toBeNull();
  expect(owedMembers(members(2), [0, 0], 0)).toBeNull();
});

test('in a new team everyone is owed alike, and the draws choose among them', () => {
  expect(owedMembers(members(3), [0, 0, 0], 0.5)?.positions).toEqual([0, 1, 2]);
  const ranking = rankBestFit({
    members: members(3),
    beliefs: [knownRate(0.1), knownRate(0.5), knownRate(0.2)],
    recentLeads: [0, 0, 0],
    fairnessFloor: 0.5,
    seed: 3,
    propensityDraws: 100,
  });
  expect(ranking.order[0]).toBe(1);
  expect(ranking.propensity).toBe(1);
});

test('exploration below 1 draws nearer each rep’s estimate: same mean, a fraction of the spread', () => {
  const b = belief(4, 16);
  const spread = (exploration: number) => {
    const uniform = seededUniform(9);
    const draws = Array.from({ length: 20_000 }, () => drawFrom(b, exploration, uniform));
    const mean = draws.reduce((a, x) => a + x, 0) / draws.length;
    return { mean, variance: draws.reduce((a, x) => a + (x - mean) ** 2, 0) / draws.length };
  };
  const plain = spread(1);
  const sharp = spread(0.25);
  expect(sharp.mean).toBeCloseTo(plain.mean, 2);
  expect(sharp.variance / plain.variance).toBeGreaterThan(0.15);
  expect(sharp.variance / plain.variance).toBeLessThan(0.35);
  expect(() =>
    rankBestFit({
      members: members(2),
      beliefs: [b, b],
      recentLeads: [1, 1],
      fairnessFloor: 0,
      seed: 1,
      propensityDraws: 0,
      exploration: 0,
    }),
  ).toThrow(RangeError);
});

test('when the floor owes reps of different weights alike, the explanation gives the chosen rep’s own floor', () => {
  // Weights 2, 1, 1 over 7 window leads (+ this one): floors 2, 1 and 1; r0 and r1 are each one lead short.
  const ranking = rankBestFit({
    members: [
      { id: 'r0', weight: 2 },
      { id: 'r1', weight: 1 },
      { id: 'r2', weight: 1 },
    ],
    beliefs: [knownRate(0.1), knownRate(0.9), knownRate(0.5)],
    recentLeads: [1, 0, 6],
    fairnessFloor: 0.5,
    seed: 4,
    propensityDraws: 0,
  });
  expect(ranking.order[0]).toBe(1);
  expect(ranking.owedBy).toEqual({ received: 0, floor: 1 });
});
