// Applies the versioned SQL migrations in migrations/ with node-pg-migrate.
import path from 'node:path';
import { repoRoot } from './paths';

export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<void> {
  // node-pg-migrate is ESM only; this stays a real dynamic import.
  const { runner } = await import('node-pg-migrate');
  await runner({
    databaseUrl,
    dir: path.join(repoRoot, 'migrations'),
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    log,
  });
}
