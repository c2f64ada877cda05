import { estimateOffPolicy, type LoggedChoice } from './off-policy';

// Logged: rep a chosen with propensity 0.8 (converts 10%), rep b with 0.2 (converts 50%), over 1,000 leads.
function log(candidateChooses: 'a' | 'b' | 'same'): LoggedChoice[] {
  const choices: LoggedChoice[] = [];
  for (let i = 0; i < 800; i++)
    choices.push({ propensity: 0.8, candidateProbability: candidateChooses === 'b' ? 0 : 1, converted: i < 80 });
  for (let i = 0; i < 200; i++)
    choices.push({ propensity: 0.2, candidateProbability: candidateChooses === 'a' ? 0 : 1, converted: i < 100 });
  return choices;
}

test('a candidate that always picks one rep is estimated at that rep’s rate', () => {
  expect(estimateOffPolicy(log('b')).rate).toBeCloseTo(0.5, 9);
  expect(estimateOffPolicy(log('a')).rate).toBeCloseTo(0.1, 9);
});

test('a candidate that agrees with every logged choice weighs them back to a fair coin: 30%', () => {
  // With weights 1/0.8 and 1/0.2, each rep counts as if chosen half the time: (0.1 + 0.5) / 2.
  const estimate = estimateOffPolicy(log('same'));
  expect(estimate.rate).toBeCloseTo(0.3, 9);
  expect(estimate.low!).toBeLessThan(0.3);
  expect(estimate.high!).toBeGreaterThan(0.3);
  expect(estimate.matched).toBe(1000);
});

test('no agreement gives no estimate; a propensity outside (0, 1] is refused', () => {
  expect(estimateOffPolicy([{ propensity: 0.5, candidateProbability: 0, converted: true }]).rate).toBeNull();
  expect(() => estimateOffPolicy([{ propensity: 0, candidateProbability: 1, converted: true }])).toThrow(RangeError);
});
