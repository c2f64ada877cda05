// Where leadrelay keeps what it builds (per user, reusable) and what a dev stack stores (per user, persistent).
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../src/config';

export const repoRoot = path.resolve(__dirname, '..');

export function cacheDir(config: Pick<Config, 'LEADRELAY_CACHE_DIR'>): string {
  return (
    config.LEADRELAY_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'leadrelay')
  );
}

/**
 * As root, embedded Postgres runs as a separate `postgres` user that cannot enter /root, so root's data lives
 * under /var/lib instead of the home directory.
 */
export function dataDir(config: Pick<Config, 'LEADRELAY_DATA_DIR'>): string {
  if (config.LEADRELAY_DATA_DIR) return config.LEADRELAY_DATA_DIR;
  if (process.getuid?.() === 0) return '/var/lib/leadrelay';
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'leadrelay');
}
