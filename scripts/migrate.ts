// `npm run migrate`: applies the schema migrations, then loads the sales directory file into Postgres.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createPool } from '../activities/postgres';
import { loadConfig, requireSetting } from '../src/config';
import { parseDirectoryFile } from '../src/directory-file';
import { upsertDirectory } from '../activities/directory';
import { migrate } from '../stack/migrate';
import { repoRoot } from '../stack/paths';

export async function migrateAndLoadDirectory(databaseUrl: string, directoryPath: string, log: (line: string) => void): Promise<void> {
  await migrate(databaseUrl, () => {});
  const file = path.resolve(repoRoot, directoryPath);
  const directory = parseDirectoryFile(JSON.parse(await fs.readFile(file, 'utf8')));
  const db = createPool(databaseUrl, log);
  try {
    await upsertDirectory(db, directory);
  } finally {
    await db.end();
  }
  log(`schema migrated; directory ${path.relative(repoRoot, file)} loaded: ${directory.teams.length} teams, ${directory.reps.length} reps`);
}

if (require.main === module) {
  const config = loadConfig(process.env);
  migrateAndLoadDirectory(requireSetting(config, 'DATABASE_URL'), config.LEADRELAY_DIRECTORY, console.log).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
