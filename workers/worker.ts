// Builds the lead worker from its parts; the entry points below and the tests call this.
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Activities } from '../activities';

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
