// A database the benchmarks may fill and drop: on DATABASE_URL's server when one is given (a database of its own,
// dropped afterwards; the server needs CREATEDB), else on an embedded PostgreSQL in a temporary directory.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { createPool } from '../db/pool';
import { freePort } from './free-port';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres } from './postgres';

export interface ThrowawayDatabase {
  url: string;
  /** Where it lives, in words, for the benchmark's log. */
  where: string;
  /** Steps that remove it, in the order they were made: run them in reverse. */
  cleanups: Array<() => Promise<unknown>>;
}

export async function throwawayDatabase(serverFrom: string | undefined, name: string): Promise<ThrowawayDatabase> {
  const cleanups: Array<() => Promise<unknown>> = [];
  if (serverFrom) {
    const server = new URL(serverFrom);
    server.pathname = '';
    const serverUrl = server.toString().replace(/\/$/, '');
    const url = await ensureDatabase(serverUrl, name);
    cleanups.push(() => dropDatabase(serverUrl, name));
    return { url, where: `DATABASE_URL's server, database ${name} (dropped at the end)`, cleanups };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'leadrelay-bench-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  try {
    const port = await freePort();
    const server = await startEmbeddedPostgres(path.join(dir, 'pg'), port);
    cleanups.push(() => server.stop());
    const url = await ensureDatabase(server.serverUrl, name);
    return { url, where: `embedded, ${dir}, port ${port}`, cleanups };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    throw error;
  }
}

/**
 * A pool for bulk work (seeding, first refreshes: no statement timeout), ended by `cleanups`. Once the cleanups run,
 * a connection Postgres drops while it stops is no news, so it is not logged.
 */
export function bulkPool(url: string, cleanups: Array<() => Promise<unknown>>): Pool {
  let stopping = false;
  const db = createPool(url, (line) => stopping || console.error(line), { statementMs: 0 });
  cleanups.push(() => {
    stopping = true;
    return Promise.resolve();
  });
  cleanups.push(() => db.end());
  return db;
}
