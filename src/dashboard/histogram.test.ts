import { addBuckets, bucketCount, bucketLabel, duration, emptyBuckets, quantileOf, secondsBounds } from './histogram';

const at = (index: number, count: number) => {
  const buckets = emptyBuckets();
  buckets[index] = count;
  return buckets;
};

test('a quantile is interpolated inside its bucket', () => {
  // Ten waits in [60 s, 120 s): the median is half way, the 90th percentile nine tenths of the way.
  const buckets = at(secondsBounds.indexOf(120), 10);
  expect(quantileOf(buckets, 0.5)).toBe(90);
  expect(quantileOf(buckets, 0.9)).toBeCloseTo(114, 10);
});

test('a quantile crosses buckets by count, and the open last bucket answers its floor', () => {
  const buckets = addBuckets(at(0, 3), at(bucketCount - 1, 1));
  expect(quantileOf(buckets, 0.5)).toBe(10);
  expect(quantileOf(buckets, 0.99)).toBe(secondsBounds[secondsBounds.length - 1]);
  expect(quantileOf(emptyBuckets(), 0.5)).toBeNull();
});

test('bad input is refused rather than answered wrongly', () => {
  expect(() => quantileOf(emptyBuckets(), 1)).toThrow('between 0 and 1');
  expect(() => quantileOf([1, 2], 0.5)).toThrow(`expected ${bucketCount} buckets`);
  expect(() => bucketLabel(bucketCount)).toThrow('no bucket');
});

test('buckets and waits read the way a sales leader says them', () => {
  expect(bucketLabel(0)).toBe('<15 s');
  expect(bucketLabel(4)).toBe('2 min–5 min');
  expect(bucketLabel(bucketCount - 1)).toBe('≥3 d');
  expect(duration(7.5)).toBe('7.5 s');
  expect(duration(90)).toBe('1.5 min');
  expect(duration(7200)).toBe('2 h');
});
