import fs from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const pg = globalThis.leadrelayTestPostgres;
  if (!pg) return;
  await pg.server.stop();
  await fs.rm(pg.dir, { recursive: true, force: true });
}
