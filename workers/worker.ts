// Builds the lead worker from its parts; the entry points below and the tests call this.
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type Activities, type ActivityDeps } from '../activities';
import { createRetrainActivities, defaultRetrainingSources } from '../activities/retrain-classifier';
import { bulkTaskQueueOf, type Config } from '../src/config';
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
  /** Slots and cache: left to the SDK's defaults unless given. */
  tuning?: Pick<
    WorkerOptions,
    'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions'
  >;
}): Promise<Worker> {
  return await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    ...opts.tuning,
  });
}

export interface LeadWorkers {
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * A deployment's two lead workers in one process: the interactive queue (web forms, chats, single API calls) with
 * the SDK's slots, and the bulk queue (partner batches) with a few. A 10,000-lead import then moves through a
 * narrow lane of its own while a hot web-form lead finds free slots and CPU at once. The workflow cache is bounded,
 * so memory does not grow with the number of leads waiting open.
 */
export async function createLeadWorkers(
  opts: Omit<Parameters<typeof createLeadWorker>[0], 'taskQueue' | 'tuning'> & {
    config: Pick<
      Config,
      'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_BULK_TASK_QUEUE' | 'LEADRELAY_BULK_SLOTS' | 'LEADRELAY_MAX_CACHED_WORKFLOWS'
    >;
  },
): Promise<LeadWorkers> {
  const { config, ...rest } = opts;
  // Bundled once for both.
  const common = {
    ...rest,
    workflowBundle:
      rest.workflowBundle ??
      (await bundleWorkflowCode({
        workflowsPath,
        ...(rest.dataConverter?.failureConverterPath
          ? { failureConverterPath: rest.dataConverter.failureConverterPath }
          : {}),
      })),
  };
  const slots = config.LEADRELAY_BULK_SLOTS;
  const interactive = await createLeadWorker({
    ...common,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    tuning: { maxCachedWorkflows: config.LEADRELAY_MAX_CACHED_WORKFLOWS },
  });
  const bulk = await createLeadWorker({
    ...common,
    taskQueue: bulkTaskQueueOf(config),
    tuning: {
      maxCachedWorkflows: Math.min(config.LEADRELAY_MAX_CACHED_WORKFLOWS, 2 * Math.max(2, slots)),
      maxConcurrentWorkflowTaskExecutions: Math.max(2, slots),
      maxConcurrentActivityTaskExecutions: slots,
    },
  });
  return {
    run: async () => {
      // One stopping (a fatal error) stops the other, so the process never runs half a worker.
      await Promise.all([
        interactive.run().finally(() => bulk.getState() === 'RUNNING' && bulk.shutdown()),
        bulk.run().finally(() => interactive.getState() === 'RUNNING' && interactive.shutdown()),
      ]);
    },
    shutdown: () => {
      interactive.shutdown();
      bulk.shutdown();
    },
  };
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
