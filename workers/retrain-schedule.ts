// The Temporal Schedule that retrains the classifier from reps' corrections, created at worker or stack start.
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';

export const retrainScheduleId = 'retrain-classifier';

/**
 * Creates the retraining Schedule unless it exists (a deployment that changed its interval in the Web UI keeps
 * it). Overlapping runs are skipped: one retraining at a time.
 */
export async function ensureRetrainSchedule(
  client: Client,
  { taskQueue, every = '1 day' }: { taskQueue: string; every?: string },
): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: retrainScheduleId,
      spec: { intervals: [{ every }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'retrainClassifierWorkflow',
        workflowId: 'retrain-classifier',
        taskQueue,
      },
      policies: { overlap: 'SKIP' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
