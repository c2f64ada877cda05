// The time an activity acts at. The Temporal server's clock leads: on a time-skipping test server it runs days
// ahead of the wall clock, and a deadline counted from the wall clock would be long past in the workflow's time.
import { Context } from '@temporalio/activity';

/** Now, never earlier than the moment the server scheduled this attempt. Outside an activity, the wall clock. */
export function activityNow(): Date {
  let scheduledMs = 0;
  try {
    scheduledMs = Context.current().info.currentAttemptScheduledTimestampMs;
  } catch {
    // Called outside an activity (a test calling the step directly): the wall clock is all there is.
  }
  return new Date(Math.max(Date.now(), scheduledMs));
}

/** Where the activities read the time when they email: the server's clock, which a test environment skips ahead. */
export type Clock = () => Promise<Date>;

/** The clock of a worker on a real cluster, where the server's time is the wall clock's. */
export const activityClock: Clock = () => Promise.resolve(activityNow());

/** The attempt number of the running activity (1 on the first try), or 1 outside an activity. */
export function activityAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}
