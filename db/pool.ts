// The one way leadrelay opens a Postgres pool.
import { Pool, type PoolClient, type QueryConfig } from 'pg';

/**
 * How long anything may wait on Postgres. Without them one slow dependency (a worker holding a row lock, a server
 * that stops answering) blocks the API's requests one connection at a time until the pool is empty.
 */
export interface PoolTimeouts {
  /** Waiting for a free pooled connection, or for a new one to connect. */
  connectMs: number;
  /** One statement, lock waits included (Postgres cancels it). 0: none, for bulk work such as the benchmarks' seeding. */
  statementMs: number;
  /** A transaction left open with nothing running: Postgres ends the session, releasing its locks. */
  idleInTransactionMs: number;
}

export const defaultPoolTimeouts: PoolTimeouts = {
  connectMs: 10_000,
  statementMs: 30_000,
  idleInTransactionMs: 60_000,
};

export function createPool(
  connectionString: string,
  log: (line: string) => void = (line) => console.error(line),
  timeouts: Partial<PoolTimeouts> = {},
): Pool {
  const t = { ...defaultPoolTimeouts, ...timeouts };
  const pool = new Pool({
    connectionString,
    connectionTimeoutMillis: t.connectMs,
    // Sent as session settings when each connection starts, so they hold for every query on it.
    statement_timeout: t.statementMs,
    idle_in_transaction_session_timeout: t.idleInTransactionMs,
  });
  // An idle client whose server went away (restart, failover, Ctrl-C reaching Postgres first) would otherwise
  // be an unhandled 'error' event that kills the process; the pool replaces it on the next query.
  pool.on('error', (err) => log(`postgres: idle connection lost: ${err.message}`));
  return pool;
}

/** Runs `work` in one transaction on one pooled client; any error rolls it back. */
export async function withTransaction<T>(db: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  // The server may end the session while `work` awaits something else (an SMTP server, say): the client then emits
  // 'error' with no query running, which would be an uncaught exception that kills the process. The transaction
  // fails instead, at its next statement, and the connection is not given back to the pool.
  let lost: Error | undefined;
  const onError = (err: Error) => {
    lost = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    if (lost)
      // With the server's SQLSTATE (57P01 for a shutdown): callers tell an outage from a bug by it.
      throw Object.assign(new Error(`Postgres ended the transaction: ${lost.message}`, { cause: err }), {
        code: (lost as { code?: string }).code,
      });
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}

/** The cheapest round trip to the server: what any query costs at least (the match benchmark's baseline). */
export async function ping(db: Pool | PoolClient): Promise<void> {
  await db.query('SELECT 1');
}

const preparedTexts = new Map<string, string>();

/**
 * A statement every lead runs: Postgres parses and plans it once per connection, then only binds and executes it,
 * which halves its cost on the server. Names are per connection and global, so each is declared once, at module
 * level; a name declared twice with different text is a bug, caught on load rather than on some connection later.
 * (A pooler in transaction mode must support protocol-level prepared statements: PgBouncer does from 1.21.)
 */
export function prepared(name: string, text: string): (values: unknown[]) => QueryConfig<unknown[]> {
  const declared = preparedTexts.get(name);
  if (declared !== undefined && declared !== text)
    throw new Error(`prepared statement ${name} is declared twice with different text`);
  preparedTexts.set(name, text);
  return (values) => ({ name, text, values });
}
