// The one way leadrelay opens a Postgres pool.
import { Pool } from 'pg';

export function createPool(connectionString: string, log: (line: string) => void = (line) => console.error(line)): Pool {
  const pool = new Pool({ connectionString });
  // An idle client whose server went away (restart, failover, Ctrl-C reaching Postgres first) would otherwise
  // be an unhandled 'error' event that kills the process; the pool replaces it on the next query.
  pool.on('error', (err) => log(`postgres: idle connection lost: ${err.message}`));
  return pool;
}
