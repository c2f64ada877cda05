// Provisions the real servers the suite runs against, once: PostgreSQL (embedded unless DATABASE_URL is set)
// with a migrated template database, and the time-skipping test server from Maven Central.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '../stack/postgres';
import { migrate } from '../stack/migrate';
import { cacheDir } from '../stack/paths';
import { provisionTestServer } from '../stack/temporal';
import { freePort } from '../stack/free-port';
import { templateDatabase } from './support/database';

declare global {
  var leadrelayTestPostgres: { server: RunningPostgres; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const config = loadConfig(process.env);
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);

  let serverUrl: string;
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL);
    url.pathname = '';
    serverUrl = url.toString().replace(/\/$/, '');
  } else {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'leadrelay-test-'));
    const server = await startEmbeddedPostgres(path.join(dir, 'pg'), await freePort());
    globalThis.leadrelayTestPostgres = { server, dir };
    serverUrl = server.serverUrl;
  }
  // Each test file copies this template into a database of its own.
  const templateUrl = await ensureDatabase(serverUrl, templateDatabase);
  await migrate(templateUrl);
  process.env.LEADRELAY_TEST_PG_SERVER = serverUrl;

  const testServer = config.TEMPORAL_TEST_SERVER_PATH ?? (await provisionTestServer(cacheDir(config), log));
  if (testServer) process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
  else log('Maven/Java not found: the SDK will download its own test server');
}
