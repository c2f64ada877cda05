// Builds the lead worker from its parts; the entry points below and the tests call this.
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type Activities, type ActivityDeps } from '../activities';
import { createRetrainActivities, defaultRetrainingSources } from '../activities/retrain-classifier';
import type { Config } from '../src/config';
import { loadActiveClassifier, loadBaseCorpus, withOptionalLlm } from './classifier';

export const workflowsPath = require.resolve('../workflows');

export async function createLeadWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** Pre-bundled workflow code; without it the worker bundles workflows/ itself at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * leadrelay's data converter (codec/data-converter.ts): payloads are encrypted on their way to Temporal and
   * decrypted on their way back, around the workflow sandbox, never in it. A pre-built bundle must have been bundled
   * with its failureConverterPath.
   */
  dataConverter?: DataConverter;
}): Promise<Worker> {
  return await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
  });
}

/**
 * Every activity a worker of a real deployment runs: the lead's steps, classifying with the model trained from the
 * built-in and the deployment's corpus (its active retrained model, if one was activated; the LLM in front when
 * configured), and the retraining that replaces that model in place.
 */
export async function createWorkerActivities({
  config,
  ...deps
}: Pick<ActivityDeps, 'db' | 'mailer' | 'apiUrl' | 'linkSecret'> & {
  config: Pick<Config, 'MAIL_FROM' | 'LEADRELAY_OPS_EMAIL' | 'LEADRELAY_CLASSIFIER_CORPUS'>;
}) {
  const corpus = { ownCorpusPath: config.LEADRELAY_CLASSIFIER_CORPUS };
  const trained = await loadActiveClassifier(deps.db, corpus);
  return {
    ...createActivities({
      ...deps,
      mailFrom: config.MAIL_FROM,
      opsEmail: config.LEADRELAY_OPS_EMAIL ?? config.MAIL_FROM,
      classifier: withOptionalLlm(trained),
    }),
    ...createRetrainActivities({
      db: deps.db,
      classifier: trained,
      retraining: { base: () => loadBaseCorpus(corpus), evaluation: () => defaultRetrainingSources.evaluation() },
    }),
  };
}
