// `npm run migrate`: applies the schema migrations, then loads the sales directory file into Postgres.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createPool } from '../activities/postgres';
import { loadConfig, requireSetting } from '../src/config';
import { parseDirectoryFile } from '../src/directory-file';
import { upsertDirectory } from '../activities/directory';
import { ensureDefaultPolicy } from '../activities/policies';
import { migrate } from '../stack/migrate';
import { repoRoot } from '../stack/paths';

/**
 * Applies the migrations, loads the directory file, and installs the policy file as version 1 when no policy is
 * active yet (later versions come through the admin API, and a restart never overrides them).
 */
export async function migrateAndLoadDirectory(databaseUrl: string, files: { directory: string; policy: string }, log: (line: string) => void): Promise<void> {
  await migrate(databaseUrl, () => {});
  const file = path.resolve(repoRoot, files.directory);
  const directory = parseDirectoryFile(JSON.parse(await fs.readFile(file, 'utf8')));
  const policyFile = path.resolve(repoRoot, files.policy);
  const db = createPool(databaseUrl, log);
  try {
    await upsertDirectory(db, directory);
    const policy = await ensureDefaultPolicy(db, await fs.readFile(policyFile, 'utf8'));
    log(`schema migrated; directory ${path.relative(repoRoot, file)} loaded: ${directory.teams.length} teams, ${directory.reps.length} reps; routing policy v${policy.version}${policy.created ? ` from ${path.relative(repoRoot, policyFile)}` : ' (already active)'}`);
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  const config = loadConfig(process.env);
  migrateAndLoadDirectory(requireSetting(config, 'DATABASE_URL'), { directory: config.LEADRELAY_DIRECTORY, policy: config.LEADRELAY_POLICY }, console.log).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
