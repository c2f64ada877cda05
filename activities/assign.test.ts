// Assignment against a real Postgres, read back the way the next lead is: through the matcher. The accepted offer is
// closed and the lead is the rep's; the rep owns the contact from now on; an account gets the rep as its owner only
// when the lead surely belongs to it and it had none.
import type { Pool } from 'pg';
import { createMatcher, upsertAccount } from '../db/contacts-and-accounts';
import { upsertDirectory } from '../db/directory';
import { listEvents } from '../db/events';
import { readLeadSummary } from '../db/lead-records';
import { readLeadFacts } from '../db/leads';
import { insertOffer, readOffer } from '../db/offers';
import { ensureDefaultPolicy } from '../db/policies';
import { createPool } from '../db/pool';
import type { LeadMatch } from '../src/matching/lead-match';
import { copyOfTemplateDatabase } from '../test/support/database';
import { storeWebForm } from '../test/support/submissions';
import { testDirectory } from '../test/support/directory';
import { createAssignActivities } from './assign';
import type { LeadClassifier } from '../src/classification/classifier';
import { loadClassifier } from '../workers/classifier';
import { createRecordActivities } from './record';

/** Trained once, on first use: receiving a lead qualifies it. */
let classifier: LeadClassifier | undefined;

let db: Pool;
let matchLead: ReturnType<typeof createMatcher>['matchLead'];
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
  matchLead = createMatcher(db).matchLead;
});
afterAll(async () => {
  await db?.end();
});

const at = '2030-01-02T09:10:00.000Z';

let leads = 0;
/** Submits and receives a lead (which matches it, as the workflow does), offers it to `repId`, who accepts. */
async function assign(
  body: Record<string, unknown>,
  repId: string,
): Promise<{ leadId: string; match: LeadMatch; firstTouch: unknown }> {
  const leadId = `lead${++leads}`;
  await storeWebForm(db, leadId, body, new Date('2030-01-02T09:00:00.000Z'));
  await createRecordActivities({ db, classifier: (classifier ??= loadClassifier()) }).receiveLead({
    leadId,
    at: '2030-01-02T09:00:00.000Z',
  });
  const match = (await readLeadFacts(db, leadId))!.match!;
  await insertOffer(db, {
    leadId,
    offerNumber: 1,
    stage: {
      kind: 'candidate',
      level: 0,
      repIds: [repId],
      sla: { ms: 300_000, businessHours: null },
      slaText: '5 minutes',
      why: 'test',
    },
    offeredAt: '2030-01-02T09:00:01.000Z',
  });
  const { firstTouch } = await createAssignActivities({ db }).assignLead({ leadId, offerNumber: 1, repId, at });
  return { leadId, match, firstTouch };
}

test('the accepted offer is closed, the lead is owned by the rep, and the assignment is on the timeline once', async () => {
  const { leadId } = await assign({ name: 'Ada', email: 'ada@lovelace.example', message: 'hello' }, 'ana');
  // A retried step changes nothing.
  await createAssignActivities({ db }).assignLead({ leadId, offerNumber: 1, repId: 'ana', at: '2030-01-02T09:11:00Z' });

  expect(await readOffer(db, leadId, 1)).toMatchObject({ status: 'accepted' });
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'assigned', owner: 'ana' });
  const events = await listEvents(db, leadId);
  expect(events.filter((e) => e.kind === 'accepted' || e.kind === 'assigned')).toEqual([
    expect.objectContaining({ key: 'offer:1:accepted', at, offerNumber: 1, repId: 'ana', decision: 'accepted' }),
    expect.objectContaining({ key: 'offer:1:assigned', at, offerNumber: 1, repId: 'ana', decision: 'assigned' }),
  ]);
});

test('a new person at a known, unowned domain: the next lead from them finds the rep as owner of contact and account', async () => {
  await upsertAccount(db, { name: 'Orbis Systems', domain: 'orbis.example' });
  const { match: before } = await assign(
    { name: 'Olga', email: 'olga@orbis.example', company: 'Orbis Systems' },
    'ana',
  );
  expect(before).toMatchObject({ contact: null, account: { method: 'domain', ownerRepId: null } });

  const again = await matchLead({ emailKey: 'olga@orbis.example', phone: null, companyDomain: null, company: null });
  expect(again.contact?.ownerRepId).toBe('ana');
  expect(again.account).toMatchObject({ name: 'Orbis Systems', ownerRepId: 'ana' });
});

test("an account's owner is never replaced, though the contact's owner is", async () => {
  await upsertAccount(db, { name: 'Globex', domain: 'globex.example', ownerRepId: 'ben' });
  await assign({ name: 'Gus', email: 'gus@globex.example' }, 'ana');
  await assign({ name: 'Gus', email: 'gus@globex.example' }, 'mgr');
  const again = await matchLead({ emailKey: 'gus@globex.example', phone: null, companyDomain: null, company: null });
  expect(again.contact?.ownerRepId).toBe('mgr');
  expect(again.account).toMatchObject({ name: 'Globex', ownerRepId: 'ben' });
});

test('a company matched only by a similar name gets no owner from the lead', async () => {
  await upsertAccount(db, { name: 'Kestrel Robotics Ltd', country: 'GB' });
  const { match } = await assign({ name: 'Kim', email: 'kim@gmail.com', company: 'Kestrl Robotics' }, 'ana');
  expect(match.account).toMatchObject({ method: 'name', name: 'Kestrel Robotics Ltd' });
  expect(match.account!.confidence).toBeLessThan(0.9);
  const again = await matchLead({ emailKey: null, phone: null, companyDomain: null, company: 'Kestrel Robotics Ltd' });
  expect(again.account).toMatchObject({ name: 'Kestrel Robotics Ltd', ownerRepId: null });
  // The person is a contact of ana's all the same.
  const kim = await matchLead({ emailKey: 'kim@gmail.com', phone: null, companyDomain: null, company: null });
  expect(kim.contact?.ownerRepId).toBe('ana');
});

test('a lead known only by phone becomes a contact reached by that phone', async () => {
  await assign({ name: 'Raj', phone: '+1 415 555 0100', message: 'call me' }, 'ben');
  const again = await matchLead({ emailKey: null, phone: '+14155550100', companyDomain: null, company: null });
  expect(again.contact?.ownerRepId).toBe('ben');
});

test('under a policy with a first-touch SLA, assignment answers with the owner’s first-touch steps; without one, none', async () => {
  const before = await assign({ name: 'No Policy', email: 'np@first.example', message: 'Help us move to AWS' }, 'ana');
  expect(before.firstTouch).toBeNull();
  await ensureDefaultPolicy(
    db,
    `sla:\n  - name: any\n    within: 5 minutes\ndefault:\n  team: cloud\n  strategy: least-loaded\nfirstTouch:\n  sla:\n    - name: all\n      within: 30 minutes\n`,
  );
  const after = await assign({ name: 'Pat', email: 'pat@first.example', message: 'Help us move to AWS' }, 'ana');
  expect(after.firstTouch).toEqual({
    assignedAt: at,
    dueAt: '2030-01-02T09:40:00.000Z',
    slaText: '30 minutes',
    steps: [
      { kind: 'nudge-owner', at: '2030-01-02T09:40:00.000Z' },
      { kind: 'tell-manager', at: '2030-01-02T10:10:00.000Z' },
      { kind: 'reoffer', at: '2030-01-02T10:40:00.000Z' },
    ],
    // The policy's outcome window (60 days by default).
    watchUntil: '2030-03-03T09:10:00.000Z',
  });
  const { rows } = await db.query<{ sla_deadline: Date }>('SELECT sla_deadline FROM leads WHERE id = $1', [
    after.leadId,
  ]);
  expect(rows[0]!.sla_deadline.toISOString()).toBe('2030-01-02T09:40:00.000Z');
});
