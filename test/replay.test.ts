// Replays the committed history of every workflow path against today's workflow code: a change that would
// break running leads fails here (and needs patched()). Regenerate with `npm run export-histories`.
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

test('a history is committed for every workflow path', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'accepted-first-offer.json',
      'declined-then-next-rep.json',
      'timeout-then-next-rep.json',
      'reps-exhausted-then-manager.json',
      'manager-timeout-then-next-level.json',
      'chain-exhausted-catch-all.json',
      'late-accept-refused.json',
      'foreign-accept-refused.json',
      'duplicate-submission.json',
      'signals-stale-ignored.json',
      'known-contact-owner-first.json',
      'spam-rejected.json',
    ]),
  );
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
