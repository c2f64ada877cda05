// Retraining the classifier, started by a Temporal Schedule: one activity trains, measures and activates or sets
// aside the candidate; the workflow is the durable record of each run (its result carries the figures).
import { proxyActivities } from '@temporalio/workflow';
import type { createRetrainActivities, RetrainSummary } from '../activities/retrain-classifier';

const { retrainClassifier } = proxyActivities<ReturnType<typeof createRetrainActivities>>({
  // Training and measuring take seconds; a slow machine gets minutes, and a retry after a crash.
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 3 },
});

export async function retrainClassifierWorkflow(): Promise<RetrainSummary> {
  return await retrainClassifier();
}
