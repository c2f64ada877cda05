// Replays the committed history of every workflow path against today's workflow code: a change that would
// break running leads fails here. Pre-1.0 there are no deployments to keep, so a deliberate change of shape
// re-records them from the fast workflow tests with `npm run export-histories`; after 1.0 it needs patched().
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { workflowsPath } from '../workers/worker';
import { historiesDir } from './support/histories';

const files = fs
  .readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

test('a history is committed for every workflow path, and none for a path no test records', () => {
  expect(files).toEqual([
    'accept-at-deadline-refused.json',
    'accepted-first-offer.json',
    'business-hours-over-weekend.json',
    'catch-all-continued-as-new.json',
    'chain-exhausted-catch-all.json',
    'declined-then-next-rep.json',
    'first-touch-in-time.json',
    'first-touch-nudged.json',
    'first-touch-reoffered.json',
    'foreign-accept-refused.json',
    'late-accept-refused.json',
    'mail-down-then-up.json',
    'manager-timeout-then-next-level.json',
    'merged-before-and-after-recording.json',
    'needs-attention-then-claimed.json',
    'reminded-then-accepted.json',
    'reps-exhausted-then-manager.json',
    'signals-stale-ignored.json',
    'spam-rejected.json',
    'stale-accept-refused.json',
    'timeout-then-next-rep.json',
  ]);
});

test('every committed history replays without nondeterminism', async () => {
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(historiesDir, file), 'utf8'))),
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowsPath, replayName: 'committed-histories' },
    histories,
  )) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(histories.length).toBe(files.length);
});
