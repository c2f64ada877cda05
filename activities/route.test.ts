// Routing against a real Postgres: a retried or overlapping routing activity returns the plan already decided and
// charges the round robin once; offer 1 is stored with the plan, waiting for its email, and its SLA starts when that
// email leaves, never before the workflow's now; without an active policy the lead needs an operator (a
// non-retryable RoutingError that says what to do); one team's lock holds up no other team.
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { readLeadSummary } from '../db/lead-records';
import { upsertDirectory } from '../db/directory';
import { listEvents } from '../db/events';
import { saveQualification } from '../db/leads';
import { readOffer } from '../db/offers';
import { draftPolicy, ensureDefaultPolicy, promoteShadow, shadowPolicy } from '../db/policies';
import { readShadowDecisions } from '../db/shadow';
import { createPool } from '../db/pool';
import { loadTeamLedger, lockTeamRouting, readRoutingDecision } from '../db/routing';
import type { Qualification } from '../src/qualification';
import { copyOfTemplateDatabase } from '../test/support/database';
import { insertOwnedLead } from '../test/support/owned-leads';
import { storeWebForm } from '../test/support/submissions';
import { testDirectory } from '../test/support/directory';
import { createAssignActivities } from './assign';
import { createNotifications } from './notify';
import { createOfferActivities } from './offers';
import type { LeadClassifier } from '../src/classification/classifier';
import { loadClassifier } from '../workers/classifier';
import { createRecordActivities } from './record';
import { createRouteActivities } from './route';

/** Trained once, on first use: receiving a lead qualifies it. */
let classifier: LeadClassifier | undefined;

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

/** Everything to the cloud team, except tier-B leads, which go to leadership. */
const policy = (strategy: string) =>
  `sla:\n  - name: any\n    within: 5 minutes\nrules:\n  - name: warm\n    when: { tier: B }\n    team: leadership\n    strategy: least-loaded\ndefault:\n  team: cloud\n  strategy: ${strategy}\n`;

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
/** A lead as the workflow has it when routing starts: submitted, received, qualified. */
async function qualifiedLead(db: Pool, q: Qualification = qualification): Promise<string> {
  const leadId = `lead${++leads}`;
  const form = { name: 'Priya Shah', email: `priya${leads}@acme.example`, message: 'Move us to AWS' };
  await storeWebForm(db, leadId, form, new Date('2030-01-02T09:00:00.000Z'));
  await createRecordActivities({ db, classifier: (classifier ??= loadClassifier()) }).receiveLead({
    leadId,
    at: '2030-01-02T09:00:00.000Z',
  });
  await saveQualification(db, leadId, q);
  return leadId;
}

const dealt = (ledger: Awaited<ReturnType<typeof loadTeamLedger>>, teamId: string) =>
  Object.values(ledger[teamId] ?? {}).reduce((sum, e) => sum + e.dealt, 0);

test('a retried routing returns the stored plan, and the round robin is charged once', async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('weighted-round-robin'));
  const activities = createRouteActivities({ db });
  const leadId = await qualifiedLead(db);
  const route = (at: string) => activities.routeLead({ leadId, at });

  const first = await route('2030-01-02T09:00:01.000Z');
  expect(first.teamId).toBe('cloud');
  expect(first.description).toContain(first.stages[0]!.repIds[0]);
  const ledger = await loadTeamLedger(db, 'cloud');
  expect(dealt(ledger, 'cloud')).toBe(1);

  // The retry comes later, when the round robin would deal to someone else.
  expect(await route('2030-01-02T09:00:31.000Z')).toEqual(first);
  expect(await loadTeamLedger(db, 'cloud')).toEqual(ledger);
  expect((await listEvents(db, leadId)).filter((e) => e.key === 'routed')).toHaveLength(1);

  // The next lead is dealt to the other rep, though two attempts to route it overlap.
  const next = await qualifiedLead(db);
  const [second, overlapping] = await Promise.all([
    activities.routeLead({ leadId: next, at: '2030-01-02T09:01:00.000Z' }),
    activities.routeLead({ leadId: next, at: '2030-01-02T09:01:01.000Z' }),
  ]);
  expect(overlapping).toEqual(second);
  expect(second.stages[0]!.repIds).not.toEqual(first.stages[0]!.repIds);
  expect(dealt(await loadTeamLedger(db, 'cloud'), 'cloud')).toBe(2);
});

test('offer 1 is stored with the plan, with no deadline until its rep is told, and the lead is notifying', async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('least-loaded'));
  const leadId = await qualifiedLead(db);
  const at = '2030-01-02T09:00:01.000Z';
  const { stages, firstOffer } = await createRouteActivities({ db }).routeLead({ leadId, at });

  expect(firstOffer).toMatchObject({
    status: 'notifying',
    offer: { offerNumber: 1, kind: 'candidate', repIds: stages[0]!.repIds, offeredAt: at, outcome: 'open' },
    // How long the email may take before the lead counts as stuck: five minutes, not the SLA.
    deadline: '2030-01-02T09:05:01.000Z',
  });
  expect(await readOffer(db, leadId, 1)).toMatchObject({
    stage: { kind: 'candidate', repIds: stages[0]!.repIds },
    offeredAt: at,
    toldAt: null,
    deadline: null,
    status: 'open',
  });
  expect(await readOffer(db, leadId, 2)).toBeNull();
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'notifying' });
  expect((await listEvents(db, leadId)).map((e) => e.key)).toEqual([
    'received',
    'matched',
    'qualified',
    'routed',
    'offer:1:opened',
  ]);
});

test('without an active policy routing needs an operator (a non-retryable RoutingError naming the fix), and leaves nothing half-done', async () => {
  const db = await database();
  const activities = createRouteActivities({ db });
  const leadId = await qualifiedLead(db);
  const route = () => activities.routeLead({ leadId, at: '2030-01-02T09:00:01.000Z' });

  const failed = route();
  await expect(failed).rejects.toBeInstanceOf(ApplicationFailure);
  await expect(failed).rejects.toMatchObject({
    type: 'RoutingError',
    nonRetryable: true,
    message: expect.stringContaining('activate one (POST /v1/admin/policies)') as unknown,
  });
  expect(await readRoutingDecision(db, leadId)).toBeNull();
  expect(await readOffer(db, leadId, 1)).toBeNull();
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'received' });

  // Once an operator activates one, the same lead routes.
  await ensureDefaultPolicy(db, policy('least-loaded'));
  expect((await route()).teamId).toBe('cloud');
});

/** The promise's value, or a failure naming what hung once `ms` pass. */
async function within<T>(ms: number, promise: Promise<T>, hung: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(hung)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

test("a lead for one team routes while another team's routing holds its lock", async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('weighted-round-robin'));
  const activities = createRouteActivities({ db });
  const cloudLead = await qualifiedLead(db);
  const warmLead = await qualifiedLead(db, { ...qualification, tier: 'B', score: 60 });

  // Another lead's routing for the cloud team, mid-transaction.
  const held = await db.connect();
  try {
    await held.query('BEGIN');
    await lockTeamRouting(held, 'cloud');
    let cloudDone = false;
    const cloud = activities.routeLead({ leadId: cloudLead, at: '2030-01-02T09:00:01.000Z' }).then((r) => {
      cloudDone = true;
      return r;
    });
    // Wait until that attempt is queued behind the held lock, so the lead below routes while it is.
    const waitingOnLock = async () =>
      (
        await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
      ).rows[0]!.n;
    for (const start = Date.now(); (await waitingOnLock()) === 0;) {
      if (Date.now() - start > 10_000) throw new Error('the cloud lead never waited on its team lock');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const warm = await within(
      10_000,
      activities.routeLead({ leadId: warmLead, at: '2030-01-02T09:00:01.000Z' }),
      "leadership's routing waited on the cloud team's lock",
    );
    expect(warm.teamId).toBe('leadership');
    // The cloud lead waits its turn.
    expect(cloudDone).toBe(false);
    await held.query('COMMIT');
    expect((await cloud).teamId).toBe('cloud');
  } finally {
    await held.query('ROLLBACK').catch(() => undefined);
    held.release();
  }
});

/** The offer activities with an in-memory mail server and this worker's clock at `now`. */
function offerActivities(db: Pool, now: string, sent: string[] = []) {
  const notify = createNotifications({
    db,
    mailer: { send: (m) => Promise.resolve(void sent.push(m.to)) },
    mailFrom: 'leads@leadrelay.test',
    apiUrl: 'http://127.0.0.1:3000',
    linkSecret: 'x'.repeat(32),
    clock: () => Promise.resolve(new Date(now)),
  });
  return createOfferActivities({ db }, notify);
}

test("offer 1's SLA starts when its email leaves, and never before the workflow's now, whatever the worker's clock", async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('weighted-round-robin'));
  const leadId = await qualifiedLead(db);
  await createRouteActivities({ db }).routeLead({ leadId, at: '2030-01-02T09:00:01.000Z' });
  const sent: string[] = [];
  // This worker's clock is ten minutes behind the server's (the workflow's now).
  const told = await offerActivities(db, '2030-01-02T08:50:02.000Z', sent).notifyOffer({
    leadId,
    offerNumber: 1,
    at: '2030-01-02T09:00:02.000Z',
  });
  expect(sent).toHaveLength(1);
  expect(told).toMatchObject({ toldAt: '2030-01-02T09:00:02.000Z', deadline: '2030-01-02T09:05:02.000Z' });
  expect(await readOffer(db, leadId, 1)).toMatchObject({ toldAt: told.toldAt, deadline: told.deadline });
});

test('an email attempt that finishes after the lead was assigned leaves it assigned', async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('weighted-round-robin'));
  const leadId = await qualifiedLead(db);
  const route = await createRouteActivities({ db }).routeLead({ leadId, at: '2030-01-02T09:00:01.000Z' });
  const repId = route.stages[0]!.repIds[0]!;
  // The first try overran: the rep accepted from their offers page and owns the lead before it gets to write.
  await createAssignActivities({ db }).assignLead({ leadId, offerNumber: 1, repId, at: '2030-01-02T09:00:05.000Z' });
  await offerActivities(db, '2030-01-02T09:00:09.000Z').notifyOffer({
    leadId,
    offerNumber: 1,
    at: '2030-01-02T09:00:02.000Z',
  });
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'assigned' });
});

/** A lead the team took in the past: `rep` accepted offer 1 at `at`, and the outcomes that followed. */
async function pastLead(db: Pool, id: string, rep: string, at: string, outcome: 'won' | 'lost' | null): Promise<void> {
  await insertOwnedLead(db, {
    id,
    owner: rep,
    at,
    qualification,
    // Like the web form routed below: no company size, no region.
    normalised: { region: null, source: 'web-form', companySize: null },
  });
  await db.query(
    `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, deadline, status, answered_by, closed_at)
     VALUES ($1, 1, 'candidate', 0, ARRAY[$2], $3, $3, 'accepted', $2, $3)`,
    [id, rep, at],
  );
  await db.query(`INSERT INTO routing_decisions (lead_id, team_id, plan) VALUES ($1, 'cloud', '{}')`, [id]);
  if (outcome)
    await db.query(
      `INSERT INTO lead_outcomes (lead_id, event, at, external_id, reported_by, rep_id, reason)
       VALUES ($1, $2, $3::timestamptz + interval '10 days', 'x', 'test', $4, $5)`,
      [id, outcome, at, rep, outcome === 'lost' ? 'price' : null],
    );
}

test('best-fit reads the outcomes of the team: the rep whose leads convert is offered first, with the evidence in words', async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('best-fit'));
  const cloud = testDirectory.reps.filter((r) => r.teamId === 'cloud').map((r) => r.id);
  // Last month each rep took 30 leads like this one (so the fairness floor owes nobody); ana's converted 25 times,
  // everyone else's twice.
  let n = 0;
  for (const rep of cloud)
    for (let i = 0; i < 30; i++)
      await pastLead(
        db,
        `past${++n}`,
        rep,
        `2029-12-1${i % 9}T10:00:00Z`,
        i < (rep === 'ana' ? 25 : 2) ? 'won' : 'lost',
      );
  const leadId = await qualifiedLead(db);
  const { stages } = await createRouteActivities({ db }).routeLead({ leadId, at: '2030-01-02T09:00:01.000Z' });
  expect(stages[0]!.repIds).toEqual(['ana']);
  const plan = (await readRoutingDecision(db, leadId))!;
  const fit = plan.explanation.fit!;
  expect(fit.owedRepId).toBeNull();
  expect(fit.propensity).toBeGreaterThan(0.9);
  expect(fit.segment).toBe('unknown-size cloud-migration leads in an unknown region');
  expect(plan.explanation.candidateDetails[0]!.why).toMatch(
    /^ana: 25 of 30 unknown-size cloud-migration leads in an unknown region became opportunities \(estimate \d+%; team \d+%\); drew [\d.]+, highest of \d+/,
  );
});

test('best-fit with no outcomes yet still routes, and the fairness floor shares out a new team between its available reps', async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('best-fit'));
  const activities = createRouteActivities({ db });
  const first: string[] = [];
  for (let i = 0; i < 4; i++) {
    const leadId = await qualifiedLead(db);
    const route = await activities.routeLead({ leadId, at: `2030-01-02T09:0${i}:00.000Z` });
    first.push(route.stages[0]!.repIds[0]!);
  }
  // Cleo is away: the floor deals ana and ben one each before the draws may repeat anyone.
  expect(new Set(first.slice(0, 2))).toEqual(new Set(['ana', 'ben']));
});

test('a policy that routes to a team nobody can claim from hands the lead to a person (NoClaimants), not to an empty queue', async () => {
  const db = await database();
  await upsertDirectory(db, {
    teams: [...testDirectory.teams, { id: 'nobody', name: 'No members', alertEmail: 'ops@leadrelay.test' }],
    reps: testDirectory.reps,
  });
  await ensureDefaultPolicy(
    db,
    'sla:\n  - name: any\n    within: 5 minutes\ndefault:\n  team: nobody\n  strategy: least-loaded\n',
  );
  const leadId = await qualifiedLead(db);
  const route = await createRouteActivities({ db }).routeLead({ leadId, at: '2030-01-02T09:00:01.000Z' });
  expect(route.stages).toEqual([]);

  const opened = offerActivities(db, '2030-01-02T09:00:02.000Z').openOffer({
    leadId,
    offerNumber: 1,
    stage: 'catch-all',
    closing: null,
    at: '2030-01-02T09:00:02.000Z',
  });
  await expect(opened).rejects.toMatchObject({
    type: 'NoClaimants',
    nonRetryable: true,
    message: expect.stringContaining('no active members and no escalation chain') as unknown,
  });
  expect(await readOffer(db, leadId, 1)).toBeNull();
});

test('a shadow policy decides each lead beside the live one, from the same inputs, and charges and offers nothing', async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('weighted-round-robin'));
  // The shadow sends everything to leadership, least loaded first.
  const draft = await draftPolicy(db, policy('least-loaded').replace('team: cloud', 'team: leadership'));
  if (!draft.ok) throw new Error('the shadow policy does not parse');
  await shadowPolicy(db, draft.policy.version);
  const leadId = await qualifiedLead(db);
  const ledgerBefore = await loadTeamLedger(db, 'leadership');

  const route = await createRouteActivities({ db }).routeLead({ leadId, at: '2030-01-02T09:00:01.000Z' });
  expect(route.teamId).toBe('cloud');
  const [shadow] = await readShadowDecisions(db, new Date('2030-01-01'), new Date('2030-01-03'));
  expect(shadow).toMatchObject({
    leadId,
    policyVersion: draft.policy.version,
    liveTeamId: 'cloud',
    liveFirstRep: route.stages[0]?.repIds[0],
    teamId: 'leadership',
    propensity: 1,
    problem: null,
  });
  expect(['dieter', 'mgr', 'head']).toContain(shadow?.firstRep);
  // Nothing else is written: leadership's round robin is not charged and only the live offer exists.
  expect(await loadTeamLedger(db, 'leadership')).toEqual(ledgerBefore);
  expect(await readOffer(db, leadId, 2)).toBeNull();
  expect((await readOffer(db, leadId, 1))?.stage.repIds).toEqual(route.stages[0]?.repIds);

  // A retried routing finds its plan and stores no second shadow decision.
  await createRouteActivities({ db }).routeLead({ leadId, at: '2030-01-02T09:00:31.000Z' });
  expect(await readShadowDecisions(db, new Date('2030-01-01'), new Date('2030-01-03'))).toHaveLength(1);

  // Promoted in one step: the shadow is live for the next lead, the old version retired, no shadow left.
  const promoted = await promoteShadow(db, new Date('2030-01-02T10:00:00.000Z'));
  expect(promoted.policy).toMatchObject({ version: draft.policy.version, status: 'active' });
  expect(promoted.policy.shadowedAt).not.toBeNull();
  const next = await qualifiedLead(db);
  expect((await createRouteActivities({ db }).routeLead({ leadId: next, at: '2030-01-02T10:00:01.000Z' })).teamId).toBe(
    'leadership',
  );
  expect(await readShadowDecisions(db, new Date('2030-01-02T10:00:00Z'), new Date('2030-01-03'))).toEqual([]);
});

test('a shadow policy that cannot route a lead records why, and the live lead routes all the same', async () => {
  const db = await database();
  await ensureDefaultPolicy(db, policy('weighted-round-robin'));
  // No default and no rule that matches a tier-A lead: the shadow has no route for it.
  const draft = await draftPolicy(
    db,
    'sla:\n  - name: any\n    within: 5 minutes\nrules:\n  - name: only cold\n    when: { tier: C }\n    team: cloud\n    strategy: least-loaded\n',
  );
  if (!draft.ok) throw new Error('the shadow policy does not parse');
  await shadowPolicy(db, draft.policy.version);
  const leadId = await qualifiedLead(db);
  expect((await createRouteActivities({ db }).routeLead({ leadId, at: '2030-01-02T09:00:01.000Z' })).teamId).toBe(
    'cloud',
  );
  const [shadow] = await readShadowDecisions(db, new Date('2030-01-01'), new Date('2030-01-03'));
  expect(shadow).toMatchObject({
    leadId,
    teamId: null,
    firstRep: null,
    problem: expect.stringMatching(/no rule/i) as unknown,
  });
});
