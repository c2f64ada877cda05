// Speed-to-lead distributions are kept as counts per bucket of seconds, so a day's figures add up across days, teams
// and sources without keeping every lead's time; percentiles are read back by interpolating inside the bucket.

/** Upper bounds, in seconds, of every bucket but the last (which is open-ended): 15 s … 3 days. */
export const secondsBounds = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200] as const;

/** One more bucket than bounds: [0, 15), [15, 30), …, [259200, ∞). */
export const bucketCount = secondsBounds.length + 1;

/** How a bucket reads on a chart axis: "<15 s", "15–30 s", …, "≥3 d". */
export function bucketLabel(index: number): string {
  if (index < 0 || index >= bucketCount) throw new RangeError(`no bucket ${index}`);
  if (index === 0) return `<${duration(secondsBounds[0])}`;
  if (index === bucketCount - 1) return `≥${duration(secondsBounds[bucketCount - 2]!)}`;
  return `${duration(secondsBounds[index - 1]!)}–${duration(secondsBounds[index]!)}`;
}

/** 90 → "1.5 min", 7200 → "2 h": the unit a sales leader reads a wait in. */
export function duration(seconds: number): string {
  const round = (x: number) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10);
  if (seconds < 60) return `${round(seconds)} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  if (seconds < 86400) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86400)} d`;
}

/**
 * The q-quantile (0 < q < 1) of the times counted in `buckets`, interpolated linearly inside its bucket; the open
 * last bucket answers its lower bound (a floor: "at least 3 days"). Null when nothing was counted.
 */
export function quantileOf(buckets: readonly number[], q: number): number | null {
  if (!(q > 0 && q < 1)) throw new RangeError(`a quantile is between 0 and 1 (got ${q})`);
  if (buckets.length !== bucketCount) throw new RangeError(`expected ${bucketCount} buckets, got ${buckets.length}`);
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < bucketCount; i++) {
    const count = buckets[i]!;
    if (count > 0 && below + count >= rank) {
      const low = i === 0 ? 0 : secondsBounds[i - 1]!;
      if (i === bucketCount - 1) return low;
      return low + ((rank - below) / count) * (secondsBounds[i]! - low);
    }
    below += count;
  }
  return secondsBounds[bucketCount - 2]!;
}

/** Element-wise sum of bucket arrays (rows of several days, teams or sources). */
export function addBuckets(into: number[], more: readonly number[]): number[] {
  for (let i = 0; i < bucketCount; i++) into[i] = (into[i] ?? 0) + (more[i] ?? 0);
  return into;
}

export const emptyBuckets = (): number[] => new Array<number>(bucketCount).fill(0);
