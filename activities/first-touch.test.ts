// The first-touch steps against a real Postgres: a lead routed and accepted under a policy with a first-touch SLA,
// then nudged, its manager told, offered again; and a touch Postgres holds ends the steps without an email.
import type { Pool } from 'pg';
import { upsertDirectory } from '../db/directory';
import { listEvents } from '../db/events';
import { readLeadSummary } from '../db/lead-records';
import { readLeadFacts } from '../db/leads';
import { readOffer } from '../db/offers';
import { recordOutcome } from '../db/outcomes';
import { ensureDefaultPolicy } from '../db/policies';
import { createPool } from '../db/pool';
import type { Mailer } from '../mail/mailer';
import type { LeadClassifier } from '../src/classification/classifier';
import { copyOfTemplateDatabase } from '../test/support/database';
import { testDirectory } from '../test/support/directory';
import { storeWebForm } from '../test/support/submissions';
import { loadClassifier } from '../workers/classifier';
import { createAssignActivities, type FirstTouchWait } from './assign';
import { createFirstTouchActivities } from './first-touch';
import { createRecordActivities } from './record';
import { createRouteActivities } from './route';

let classifier: LeadClassifier | undefined;
let db: Pool;
const sent: Array<Parameters<Mailer['send']>[0]> = [];
const mailer: Mailer = { send: (m) => Promise.resolve(void sent.push(m)) };
const clock = () => Promise.resolve(new Date(at(31)));
let steps: ReturnType<typeof createFirstTouchActivities>;

beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
  await ensureDefaultPolicy(
    db,
    `sla:\n  - name: any\n    within: 5 minutes\ndefault:\n  team: cloud\n  strategy: least-loaded\nfirstTouch:\n  sla:\n    - name: all\n      within: 30 minutes\n`,
  );
  steps = createFirstTouchActivities({
    db,
    mailer,
    mailFrom: 'leadrelay@leadrelay.test',
    apiUrl: 'https://leads.example.test',
    linkSecret: 'a-link-secret-of-at-least-32-characters!',
    clock,
  });
});
afterAll(async () => {
  await db?.end();
});
beforeEach(() => {
  sent.length = 0;
});

const start = Date.parse('2030-01-02T09:00:00.000Z');
const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();

let leads = 0;
/** A lead routed to the cloud team, its first offer accepted by whoever it went to: the plan the owner is under. */
async function owned(): Promise<{ leadId: string; owner: string; plan: FirstTouchWait }> {
  const leadId = `touch${++leads}`;
  await storeWebForm(
    db,
    leadId,
    { name: 'Pat Doe', email: `pat${leads}@acme.example`, message: 'Help us move to AWS' },
    new Date(at(0)),
  );
  await createRecordActivities({ db, classifier: (classifier ??= loadClassifier()) }).receiveLead({
    leadId,
    at: at(0),
  });
  const { firstOffer } = await createRouteActivities({ db }).routeLead({ leadId, at: at(0) });
  const owner = firstOffer!.offer.repIds[0]!;
  const { firstTouch } = await createAssignActivities({ db }).assignLead({
    leadId,
    offerNumber: 1,
    repId: owner,
    at: at(1),
  });
  return { leadId, owner, plan: firstTouch! };
}

test('no first touch: the owner is nudged, then the manager told, each once, the lead overdue until the next step', async () => {
  const { leadId, owner, plan } = await owned();
  expect(plan).toMatchObject({ assignedAt: at(1), dueAt: at(31), watchUntil: '2030-03-03T09:01:00.000Z' });
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'assigned', owner });

  const nudged = await steps.remindFirstTouch({ leadId, offerNumber: 1, repId: owner, plan, step: 0 });
  expect(nudged).toEqual({ touchedAt: null, sentAt: at(31) });
  // A retried step sends nothing twice.
  await steps.remindFirstTouch({ leadId, offerNumber: 1, repId: owner, plan, step: 0 });
  expect(sent.map((m) => m.to)).toEqual([`${owner}@leadrelay.test`]);
  expect(sent[0]!.subject).toMatch(/^Not contacted yet: Pat Doe — tier [ABC], first touch was due/);
  expect(sent[0]!.text).toMatch(/I contacted them: https:\/\/leads\.example\.test\/first-touch\/\S+/);
  expect(sent[0]!.text).toMatch(/Unless a first contact is recorded by .*, your manager is told\./);
  const lead = await db.query<{ status: string; sla_deadline: Date }>(
    'SELECT status, sla_deadline FROM leads WHERE id = $1',
    [leadId],
  );
  expect(lead.rows[0]).toEqual({ status: 'first-touch-overdue', sla_deadline: new Date(at(61)) });

  await steps.remindFirstTouch({ leadId, offerNumber: 1, repId: owner, plan, step: 1 });
  expect(sent.map((m) => m.to)).toEqual([`${owner}@leadrelay.test`, 'mgr@leadrelay.test']);
  expect(sent[1]!.subject).toMatch(/^Untouched lead: \w+ has not contacted Pat Doe/);
  expect(sent[1]!.text).toMatch(/Unless a first contact is recorded by .*, the lead is offered to the team again\./);
  const kinds = (await listEvents(db, leadId)).map((e) => e.kind);
  expect(kinds.filter((k) => k.startsWith('first-touch'))).toEqual(['first-touch-nudged', 'first-touch-escalated']);
});

test('the re-offer releases the owner and opens a catch-all offer anyone on the team may claim; a retry changes nothing', async () => {
  const { leadId, owner, plan } = await owned();
  const reoffer = () => steps.reofferUntouched({ leadId, offerNumber: 2, repId: owner, plan, at: at(91) });
  const result = await reoffer();
  expect(result).toMatchObject({
    touchedAt: null,
    opened: { status: 'catch-all', offer: { offerNumber: 2, kind: 'catch-all' } },
  });
  expect(await reoffer()).toMatchObject({ opened: { offer: { offerNumber: 2 } } });
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'catch-all', owner: null });
  const offer = await readOffer(db, leadId, 2);
  expect(offer!.stage).toMatchObject({ kind: 'catch-all', untouchedBy: owner, alertEmail: 'sales-ops@leadrelay.test' });
  expect(offer!.stage.repIds).toContain(owner);
  expect(offer!.stage.why).toMatch(new RegExp(`^offered again: ${owner} reported no first touch by ${at(31)}`));
  const missed = (await listEvents(db, leadId)).filter((e) => e.kind === 'first-touch-missed');
  expect(missed).toHaveLength(1);

  // Whoever claims it owns it under a first-touch SLA of their own.
  const { firstTouch } = await createAssignActivities({ db }).assignLead({
    leadId,
    offerNumber: 2,
    repId: 'ben',
    at: at(100),
  });
  expect(firstTouch?.dueAt).toBe(at(130));
  expect((await listEvents(db, leadId)).filter((e) => e.kind === 'assigned').map((e) => e.repId)).toEqual([
    owner,
    'ben',
  ]);
});

test('a first touch Postgres holds ends the steps: no email, no re-offer, and the lead has nothing due', async () => {
  const { leadId, owner, plan } = await owned();
  await recordOutcome(db, {
    leadId,
    event: 'first-touch',
    at: at(20),
    externalId: 'crm-1',
    reportedBy: owner,
    repId: owner,
  });
  expect(await steps.remindFirstTouch({ leadId, offerNumber: 1, repId: owner, plan, step: 0 })).toEqual({
    touchedAt: at(20),
  });
  expect(await steps.reofferUntouched({ leadId, offerNumber: 2, repId: owner, plan, at: at(91) })).toEqual({
    touchedAt: at(20),
  });
  expect(sent).toEqual([]);
  await steps.noteFirstTouch({ leadId, offerNumber: 1, repId: owner, at: at(20) });
  expect((await listEvents(db, leadId)).filter((e) => e.kind === 'first-touch-met')).toMatchObject([
    { key: 'offer:1:first-touch:met', offerNumber: 1, repId: owner },
  ]);
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'assigned', owner });
  expect((await readLeadFacts(db, leadId))!.status).toBe('assigned');
  const lead = await db.query<{ sla_deadline: Date | null }>('SELECT sla_deadline FROM leads WHERE id = $1', [leadId]);
  expect(lead.rows[0]!.sla_deadline).toBeNull();
});
