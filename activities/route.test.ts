// Routing against a real Postgres: a retried routing activity returns the plan already decided and charges the
// round robin once; without an active policy the lead waits (a retryable error) until an operator activates one.
import type { Pool } from 'pg';
import { upsertDirectory } from '../db/directory';
import { ensureDefaultPolicy } from '../db/policies';
import { createPool } from '../db/pool';
import { loadLedger } from '../db/routing';
import { normaliseWebForm } from '../src/intake/normalise';
import { WebFormSchema } from '../src/intake/schemas';
import type { Qualification } from '../src/qualification';
import { RoutingError } from '../src/routing/plan';
import { copyOfTemplateDatabase } from '../test/support/database';
import { testDirectory } from '../test/support/directory';
import { createRecordActivities } from './record';
import { createRouteActivities } from './route';

const pools: Pool[] = [];
async function database(): Promise<Pool> {
  const db = createPool(await copyOfTemplateDatabase());
  pools.push(db);
  await upsertDirectory(db, testDirectory);
  return db;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

const policy = (strategy: string) =>
  `sla:\n  - name: any\n    within: 5 minutes\ndefault:\n  team: cloud\n  strategy: ${strategy}\n`;

const qualification = {
  score: 85,
  tier: 'A',
  urgency: 'now',
  serviceLine: 'cloud-migration',
  spam: false,
  parts: [],
  fit: 40,
  intent: 45,
  timeline: null,
  confidence: { serviceLine: 1, urgency: 1, spam: 1 },
  reasons: [],
} satisfies Qualification;

let leads = 0;
async function recordedLead(db: Pool) {
  const lead = normaliseWebForm(
    WebFormSchema.parse({ name: 'Priya Shah', email: 'priya@acme.example', message: 'Move us to AWS' }),
  );
  const input = { leadId: `lead${++leads}`, lead, receivedAt: '2030-01-02T09:00:00.000Z' };
  await createRecordActivities({ db }).recordLead(input);
  return input;
}

test('a retried routing returns the stored plan, and the round robin is charged once', async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('weighted-round-robin'));
  const activities = createRouteActivities({ db });
  const input = await recordedLead(db);
  const route = (at: string) => activities.routeLead({ leadId: input.leadId, input, qualification, match: null, at });

  const first = await route('2030-01-02T09:00:01.000Z');
  expect(first.teamId).toBe('cloud');
  expect(first.description).toContain(first.stages[0]!.repIds[0]);
  const ledger = await loadLedger(db);
  expect(Object.values(ledger.cloud ?? {}).reduce((dealt, e) => dealt + e.dealt, 0)).toBe(1);

  // The retry comes later, when the round robin would deal to someone else.
  expect(await route('2030-01-02T09:00:31.000Z')).toEqual(first);
  expect(await loadLedger(db)).toEqual(ledger);

  const next = await recordedLead(db);
  const second = await activities.routeLead({
    leadId: next.leadId,
    input: next,
    qualification,
    match: null,
    at: '2030-01-02T09:01:00.000Z',
  });
  expect(second.stages[0]!.repIds).not.toEqual(first.stages[0]!.repIds);
});

test('without an active policy routing fails with a RoutingError (the activity retries), and routes once one is active', async () => {
  const db = await database();
  const activities = createRouteActivities({ db });
  const input = await recordedLead(db);
  const route = () =>
    activities.routeLead({ leadId: input.leadId, input, qualification, match: null, at: '2030-01-02T09:00:01.000Z' });
  await expect(route()).rejects.toThrow(RoutingError);
  await ensureDefaultPolicy(db, policy('least-loaded'));
  expect((await route()).teamId).toBe('cloud');
});
