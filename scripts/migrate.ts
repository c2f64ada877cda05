// `npm run migrate`: applies the schema migrations, then loads the sales directory file into Postgres.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createPool } from '../db/pool';
import { loadConfig, requireSetting } from '../src/config';
import { parseDirectoryFile } from '../src/directory-file';
import { upsertDirectory } from '../db/directory';
import { ensureDefaultPolicy } from '../db/policies';
import { migrate } from '../stack/migrate';
import { repoRoot } from '../stack/paths';

/**
 * Applies the migrations, loads the directory file, and installs the policy file as version 1 when no policy is
 * active yet (later versions come through the admin API, and a restart never overrides them).
 */
export async function migrateAndLoadDirectory(
  databaseUrl: string,
  files: { directory: string; policy: string; replaceDirectory?: boolean },
  log: (line: string) => void,
): Promise<void> {
  await migrate(databaseUrl, () => {});
  const file = path.resolve(repoRoot, files.directory);
  const directory = parseDirectoryFile(JSON.parse(await fs.readFile(file, 'utf8')));
  const policyFile = path.resolve(repoRoot, files.policy);
  const db = createPool(databaseUrl, log);
  try {
    // The file seeds the directory; once stored, reps and teams belong to the admin API, unless asked otherwise.
    const { written, kept } = await upsertDirectory(db, directory, { onlyNew: !files.replaceDirectory });
    const policy = await ensureDefaultPolicy(db, await fs.readFile(policyFile, 'utf8'));
    log(
      `schema migrated; directory ${path.relative(repoRoot, file)}: ${written} teams and reps written, ${kept} already stored and kept` +
        `${kept && !files.replaceDirectory ? ' (npm run migrate -- --replace-directory overwrites them)' : ''}; routing policy v${policy.version}${policy.created ? ` from ${path.relative(repoRoot, policyFile)}` : ' (already active)'}`,
    );
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  const config = loadConfig(process.env);
  migrateAndLoadDirectory(
    requireSetting(config, 'DATABASE_URL'),
    {
      directory: config.LEADRELAY_DIRECTORY,
      policy: config.LEADRELAY_POLICY,
      replaceDirectory: process.argv.includes('--replace-directory'),
    },
    console.log,
  ).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
