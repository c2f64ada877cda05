// Importing a CRM export of outcomes on a real Postgres: per-row results, nothing applied twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { upsertDirectory } from '../db/directory';
import { listOutcomes } from '../db/outcomes';
import { createPool } from '../db/pool';
import { copyOfTemplateDatabase } from '../test/support/database';
import { testDirectory } from '../test/support/directory';
import { main } from './outcomes';

let db: Pool;
const kim = 'c0ffee00c0ffee00c0ffee21';
const twinA = 'c0ffee00c0ffee00c0ffee22';
const twinB = 'c0ffee00c0ffee00c0ffee23';

beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
  for (const [id, email, owner] of [
    [kim, 'kim@acme.example', 'ana'],
    [twinA, 'sam@beta.example', 'ben'],
    [twinB, 'sam@beta.example', 'ana'],
  ] as const)
    await db.query(
      `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, message, received_at, status,
                          team_id, owner_rep_id)
       VALUES ($1, $2, 'web-form', 'X', $3, $3, 'Help', '2026-11-02T07:30:00Z', 'assigned', 'cloud', $4)`,
      [id, `lead:${id}`, email, owner],
    );
});
afterAll(async () => db?.end());

async function runImport(csv: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outcomes-')), 'export.csv');
  fs.writeFileSync(file, csv);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['import', file], { out: (l) => out.push(l), err: (l) => err.push(l), db });
  return { code, out, err };
}

const csv = `lead,stage,date,amount,currency,reason
${kim},meeting-booked,2026-11-05,,,
KIM@acme.example,won,2026-11-20T10:00:00Z,12000,EUR,
sam@beta.example,lost,2026-11-21,,,went with a competitor
${twinA},lost,2026-11-21,,,
${twinA},signed,2026-11-21,,,
`;

test('each row is recorded or refused with its column named; the summary line counts them', async () => {
  const { code, out } = await runImport(csv);
  expect(code).toBe(1);
  expect(out).toEqual([
    `line 2: recorded: ${kim} meeting-booked (ana)`,
    `line 3: recorded: ${kim} won, 12000 EUR (ana)`,
    `line 4: refused: lead: 2 owned leads of sam@beta.example (${twinA}, ${twinB}): give the lead id`,
    'line 5: refused: reason: a lost lead needs the reason it was lost',
    'line 6: refused: stage: one of first-touch, meeting-booked, qualified, opportunity, won, lost',
    'outcomes import: rows=5 recorded=2 already=0 refused=3',
  ]);
  expect((await listOutcomes(db, kim)).map((o) => [o.event, o.at, o.reportedBy])).toEqual([
    ['meeting-booked', '2026-11-05T00:00:00.000Z', 'cli:outcomes-import'],
    ['won', '2026-11-20T10:00:00.000Z', 'cli:outcomes-import'],
  ]);
});

test('importing the same export again applies nothing twice', async () => {
  const { out } = await runImport(csv);
  expect(out.at(-1)).toBe('outcomes import: rows=5 recorded=0 already=2 refused=3');
  expect(await listOutcomes(db, kim)).toHaveLength(2);
});

test('a missing file or a file without a lead column is a usage error', async () => {
  const missing = await main(['import', '/nonexistent/x.csv'], { out: () => {}, err: () => {}, db });
  expect(missing).toBe(2);
  const { code, err } = await runImport('who,stage,date\nx,won,2026-11-01\n');
  expect(code).toBe(2);
  expect(err[0]).toContain('no lead column');
});
