// With EXPORT_HISTORIES=1 (npm run export-histories), the fast workflow tests (test/workflows/lead-paths.test.ts) write
// each path's history to test/histories, one file per workflow shape, for the replay test.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const historiesDir = path.join(__dirname, '..', 'histories');

export async function exportHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!process.env.EXPORT_HISTORIES) return;
  const history = await handle.fetchHistory();
  await fs.mkdir(historiesDir, { recursive: true });
  // The proto3 JSON that `temporal workflow show --output json` and the Web UI export too.
  await fs.writeFile(path.join(historiesDir, `${name}.json`), historyToJSON(history) + '\n');
}
