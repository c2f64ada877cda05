// Postgres for tests: globalSetup migrates one template database, and each test that writes gets a copy of its own.
import { randomBytes } from 'node:crypto';
import { ensureDatabase } from '../../stack/postgres';

export const templateDatabase = 'leadrelay_test_template';

/** The URL of a new database copied from the migrated template. */
export async function copyOfTemplateDatabase(): Promise<string> {
  const server = process.env.LEADRELAY_TEST_PG_SERVER;
  if (!server)
    throw new Error('LEADRELAY_TEST_PG_SERVER is unset: run the suite through jest (globalSetup provisions Postgres)');
  return ensureDatabase(server, `leadrelay_test_${randomBytes(4).toString('hex')}`, templateDatabase);
}
