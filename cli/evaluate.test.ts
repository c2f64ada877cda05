// Offline evaluation on a real Postgres with a known answer: logged decisions gave ana 80% of the cloud leads
// (propensity 0.8) and ben 20%; ana's converted 10% of the time, ben's 50%.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { upsertDirectory } from '../db/directory';
import { createPool } from '../db/pool';
import { copyOfTemplateDatabase } from '../test/support/database';
import { testDirectory } from '../test/support/directory';
import { seedLoggedDecisions } from '../test/support/logged-decisions';
import { main } from './evaluate';

let db: Pool;
const now = new Date('2030-03-01T00:00:00Z');

beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
  await seedLoggedDecisions(db, now);
});
afterAll(async () => db?.end());

const sla = 'sla:\n  - name: any\n    within: 5 minutes\n';
async function evaluate(policyYaml: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'evaluate-')), 'candidate.yaml');
  fs.writeFileSync(file, policyYaml);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--policy', file, '--since', '90d'], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    db,
    now,
  });
  return { code, out, err };
}

test('a round-robin candidate is estimated at an even split of the two reps: 30%, beside live 18%', async () => {
  const { code, out } = await evaluate(`${sla}default:\n  team: cloud\n  strategy: weighted-round-robin\n`);
  expect(code).toBe(0);
  expect(out[0]).toContain('200 best-fit decisions');
  expect(out[1]).toMatch(/^live \(as decided\) +18\.0% /);
  expect(out[2]).toMatch(/^candidate +30\.0% \[\d+\.\d%, \d+\.\d%\] from 200 decisions it shares/);
  expect(out.at(-1)).toMatch(/^evaluate decisions=200 live=0\.1800 candidate=0\.3000 low=0\.\d+ high=0\.\d+$/);
});

test('a candidate that sends these leads to another team shares no decision: no estimate', async () => {
  const { code, out } = await evaluate(`${sla}default:\n  team: partners\n  strategy: weighted-round-robin\n`);
  expect(code).toBe(0);
  expect(out[2]).toContain('no estimate');
});

test('least-loaded cannot be evaluated offline, and the rule is named', async () => {
  const { code, err } = await evaluate(`${sla}default:\n  team: cloud\n  strategy: least-loaded\n`);
  expect(code).toBe(2);
  expect(err[0]).toContain('policy default orders by least-loaded');
});

test('a best-fit candidate is evaluated with the evidence of each decision’s time: none here, so a fair coin', async () => {
  const { code, out } = await evaluate(`${sla}default:\n  team: cloud\n  strategy: best-fit\n`);
  expect(code).toBe(0);
  const candidate = Number(/candidate=([\d.]+)/.exec(out.at(-1)!)![1]);
  expect(candidate).toBeGreaterThan(0.27);
  expect(candidate).toBeLessThan(0.33);
});
