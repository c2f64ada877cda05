// The floors `npm run bench:stack` measures the lead workflow against, on the same server: the least a workflow
// of its shape can cost. F0 does nothing; F1 runs ten no-op activities, then waits for an Update, as a lead waits
// for its rep; F2 is F1 with local activities. Bundled by the benchmark's own worker, on its own task queue.
import { condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './activities';
import { finishFloor } from './messages';

// The lead workflow's retry policy, so a floor step costs what a lead step costs.
const retry = { initialInterval: '1 second', maximumInterval: '1 minute' } as const;
const remote = proxyActivities<FloorActivities>({ startToCloseTimeout: '1 minute', retry });
const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '30 seconds', retry });

/** F0: started and completed in one workflow task. */
export async function floorEmpty(): Promise<void> {}

/** F1: `steps` activities, each a round trip through the server, then a wait for finishFloor. */
export async function floorActivities(steps: number): Promise<void> {
  await stepsThenWait(remote, steps);
}

/** F2: `steps` local activities, run by the worker inside the workflow task, then a wait for finishFloor. */
export async function floorLocalActivities(steps: number): Promise<void> {
  await stepsThenWait(local, steps);
}

async function stepsThenWait(activities: FloorActivities, steps: number): Promise<void> {
  let finished = false;
  setHandler(finishFloor, () => {
    finished = true;
  });
  for (let step = 1; step <= steps; step++) await activities.floorStep({ step, of: steps });
  await condition(() => finished);
}
