// Builds the lead worker from its parts; the entry points below and the tests call this.
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities';

export const workflowsPath = require.resolve('../workflows');

export async function createLeadWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** Pre-bundled workflow code; without it the worker bundles workflows/ itself at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}): Promise<Worker> {
  return await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
  });
}
