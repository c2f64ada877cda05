// `leadrelay shadow report` on a real Postgres with a known answer: live gave ana 160 of 200 cloud leads and ben 40
// (best-fit, logged propensities 0.8 and 0.2; ana's converted 10%, ben's 50%); the shadow, a round robin,
// alternated them. So the two agree on half the leads, the shadow is fair where live was not, and its estimated
// conversion is 30% beside live's 18%.
import type { Pool } from 'pg';
import { upsertDirectory } from '../db/directory';
import { draftPolicy, shadowPolicy } from '../db/policies';
import { createPool } from '../db/pool';
import { copyOfTemplateDatabase } from '../test/support/database';
import { testDirectory } from '../test/support/directory';
import { seedLoggedDecisions } from '../test/support/logged-decisions';
import { main } from './shadow';

let db: Pool;
const now = new Date('2030-03-01T00:00:00Z');

beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
  await seedLoggedDecisions(db, now);
  const draft = await draftPolicy(
    db,
    'sla:\n  - name: any\n    within: 5 minutes\ndefault:\n  team: cloud\n  strategy: weighted-round-robin\n',
  );
  if (!draft.ok) throw new Error('the shadow policy does not parse');
  await shadowPolicy(db, draft.policy.version);
  for (let i = 0; i < 200; i++) {
    const live = i < 160 ? 'ana' : 'ben';
    await db.query(
      `INSERT INTO shadow_decisions (lead_id, policy_version, live_version, decided_at, live_team_id, live_rule,
                                     live_first_rep, team_id, rule, first_rep, propensity, plan)
       VALUES ($1, $2, 1, $3, 'cloud', NULL, $4, 'cloud', NULL, $5, 1, '{}')`,
      [
        `logged${String(i).padStart(3, '0')}`,
        draft.policy.version,
        new Date(now.getTime() - 30 * 86_400_000),
        live,
        i % 2 ? 'ben' : 'ana',
      ],
    );
  }
});
afterAll(async () => db?.end());

async function report(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['report', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), db, now });
  return { code, out, err };
}

test('the report shows where shadow and live differ, per rule, per rep and in fairness, and the offline estimate', async () => {
  const { code, out } = await report('--since', '90d');
  expect(code).toBe(0);
  expect(out[0]).toMatch(/^shadow policy v\d+: 200 leads decided beside live since /);
  expect(out[1]).toBe('  same team 200 (100.0%), same first rep 100 (50.0%), could not route 0');
  expect(out).toContain('  (default): 200, same 100 (50.0%); shadow: (default) 200');
  expect(out).toContain('  ana: 160 → 100');
  expect(out).toContain('  ben: 40 → 100');
  expect(out).toContain(
    "fairness (lowest share of a team's first offers against a rep's weighted share, among the reps in play): live 0.40, shadow 1.00",
  );
  expect(out.find((l) => l.startsWith('  shadow  '))).toMatch(
    /^ {2}shadow {2}30\.0% \[\d+\.\d%, \d+\.\d%\] from 200 decisions/,
  );
  expect(out.at(-1)).toBe('shadow decisions=200 same_first_rep=0.5000 live=0.1800 shadow=0.3000');
});

test('a window with no shadow decisions, and bad arguments, are answered plainly', async () => {
  const { code, out } = await report('--since', '7d');
  expect(code).toBe(0);
  expect(out[0]).toMatch(/: 0 leads decided beside live since /);
  expect((await report('--since', 'lots')).err[0]).toContain('--since: a number of days like 30d, not lots');
  const unknown = await main(['compare'], { out: () => {}, err: () => {}, db, now });
  expect(unknown).toBe(2);
});
