import { lowestFairShare } from './fair-share';

const total = (reps: Array<{ teamId: string; firstOffers: number }>) => (teamId: string) =>
  reps.filter((r) => r.teamId === teamId).reduce((n, r) => n + r.firstOffers, 0);

test('offers in proportion to weight are exactly fair', () => {
  const reps = [
    { teamId: 'cloud', weight: 2, firstOffers: 20 },
    { teamId: 'cloud', weight: 1, firstOffers: 10 },
  ];
  expect(lowestFairShare(reps, total(reps))).toBeCloseTo(1, 10);
});

test('the lowest ratio over every team is the answer', () => {
  const reps = [
    { teamId: 'cloud', weight: 1, firstOffers: 15 },
    { teamId: 'cloud', weight: 1, firstOffers: 5 },
    { teamId: 'data', weight: 1, firstOffers: 9 },
    { teamId: 'data', weight: 2, firstOffers: 3 },
  ];
  // cloud: 5 of 20 against an expected 10 → 0.5; data: 3 of 12 against an expected 8 → 0.375.
  expect(lowestFairShare(reps, total(reps))).toBeCloseTo(0.375, 10);
});

test('a rep never offered a lead first is not in play; leads with no first offer count against the team', () => {
  const reps = [
    { teamId: 'cloud', weight: 1, firstOffers: 10 },
    { teamId: 'cloud', weight: 5, firstOffers: 0 },
  ];
  expect(lowestFairShare(reps, total(reps))).toBe(1);
  // 20 leads routed to cloud, 10 offered to the one rep in play: half of what they would get.
  expect(lowestFairShare(reps, () => 20)).toBe(0.5);
  expect(lowestFairShare([], () => 0)).toBe(1);
});
