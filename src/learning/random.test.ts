import { betaDraw, gammaDraw, seedFrom, seededUniform } from './random';

test('a seed gives the same stream every time, and another seed another stream', () => {
  const take = (seed: number) => Array.from({ length: 5 }, seededUniform(seed));
  expect(take(42)).toEqual(take(42));
  expect(take(42)).not.toEqual(take(43));
  for (const u of take(7)) expect(u >= 0 && u < 1).toBe(true);
  expect(seedFrom('lead-1')).toBe(seedFrom('lead-1'));
  expect(seedFrom('lead-1')).not.toBe(seedFrom('lead-2'));
});

function moments(draw: () => number, n: number) {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

test('beta draws have the mean and variance of the distribution', () => {
  const uniform = seededUniform(1);
  // Beta(2, 5): mean 2/7, variance 2·5 / (7²·8).
  const { mean, variance } = moments(() => betaDraw(2, 5, uniform), 40_000);
  expect(mean).toBeCloseTo(2 / 7, 2);
  expect(variance).toBeCloseTo(10 / (49 * 8), 3);
  // Shapes below 1 take the boosted path: Beta(0.5, 0.5) has mean 1/2, variance 1/8.
  const arcsine = moments(() => betaDraw(0.5, 0.5, uniform), 40_000);
  expect(arcsine.mean).toBeCloseTo(0.5, 2);
  expect(arcsine.variance).toBeCloseTo(1 / 8, 2);
});

test('gamma draws have mean and variance equal to the shape', () => {
  const uniform = seededUniform(2);
  const { mean, variance } = moments(() => gammaDraw(3, uniform), 40_000);
  expect(mean).toBeCloseTo(3, 1);
  expect(Math.abs(variance - 3)).toBeLessThan(0.15);
  expect(() => gammaDraw(0, uniform)).toThrow(RangeError);
});
