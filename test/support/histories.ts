// With EXPORT_HISTORIES=1, workflow tests write each path's history to test/histories for the replay test.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';

export const historiesDir = path.join(__dirname, '..', 'histories');

export async function exportHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!process.env.EXPORT_HISTORIES) return;
  const history = await handle.fetchHistory();
  await fs.writeFile(path.join(historiesDir, `${name}.json`), JSON.stringify(history, null, 1) + '\n');
}
