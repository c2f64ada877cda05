// When the catch-all queue is alerted again. Its own module, free of imports: the lead workflow uses it, and every
// module the workflow imports is loaded for every lead it runs.
/** Re-alerts back off to no rarer than this, or the team's own interval if that is longer. */
export const catchAllReAlertCeilingMs = 4 * 3_600_000;

/**
 * How long after alert `round` (1, 2, …) the next one goes out: the team's interval, doubling after each alert
 * nobody answered, up to every four hours. A lead nobody claims is still raised six times a day, but a weekend
 * at a one-minute interval is a few dozen emails, not thousands.
 */
export function catchAllReAlertDelayMs(intervalMs: number, round: number): number {
  const ceiling = Math.max(intervalMs, catchAllReAlertCeilingMs);
  return Math.min(ceiling, intervalMs * 2 ** Math.min(Math.max(round - 1, 0), 30));
}
