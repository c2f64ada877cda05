// The one way leadrelay opens a Postgres pool.
import { Pool, type PoolClient } from 'pg';

export function createPool(
  connectionString: string,
  log: (line: string) => void = (line) => console.error(line),
): Pool {
  const pool = new Pool({ connectionString });
  // An idle client whose server went away (restart, failover, Ctrl-C reaching Postgres first) would otherwise
  // be an unhandled 'error' event that kills the process; the pool replaces it on the next query.
  pool.on('error', (err) => log(`postgres: idle connection lost: ${err.message}`));
  return pool;
}

/** Runs `work` in one transaction on one pooled client; any error rolls it back. */
export async function withTransaction<T>(db: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** The cheapest round trip to the server: what any query costs at least (the match benchmark's baseline). */
export async function ping(db: Pool | PoolClient): Promise<void> {
  await db.query('SELECT 1');
}
