// What every group of routes is given: the Temporal client, Postgres and the clock, passed in (no module state).
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';

export interface RouteDeps {
  client: Client;
  db: Pool;
  taskQueue: string;
  /** Where partner batches' leads run, apart from the interactive ones. */
  bulkTaskQueue: string;
  now: () => Promise<Date>;
  /** A second submission from the same person within this window joins the first lead. */
  mergeWindowMs: number;
  /** Start lead workflows eagerly on the worker sharing the client's connection (ApiDeps.eagerStart). */
  eagerStart: boolean;
}
