// The dashboard's rollups against a real Postgres: the triggers mark the days written to, a refresh recomputes them,
// and each reader adds up what the leads' offers, decisions and outcomes say.
import type { Pool } from 'pg';
import { quantileOf } from '../src/dashboard/histogram';
import { createPool } from './pool';
import { copyOfTemplateDatabase } from '../test/support/database';
import { testDirectory } from '../test/support/directory';
import { upsertDirectory } from './directory';
import {
  readCalibration,
  readConversion,
  readLeadCard,
  readOfferTotals,
  readOpenLeads,
  readQueues,
  readRepShares,
  readShadowComparison,
  readSkips,
  readSpeed,
  refreshDashboard,
  teamsManagedBy,
} from './dashboard';

let db: Pool;
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
});
afterAll(async () => {
  await db?.end();
});

const at = (base: string, seconds: number) => new Date(Date.parse(base) + seconds * 1000);

interface LeadFields {
  source?: string;
  status?: string;
  team_id?: string | null;
  tier?: string | null;
  owner?: string;
  level?: number;
  deadline?: string;
}

async function insertLead(id: string, receivedAt: string, fields: LeadFields) {
  const row = { source: 'web-form', status: 'assigned', team_id: 'cloud', tier: 'A', policy_version: 1, ...fields };
  await db.query(
    `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, message, received_at, status, team_id,
                        tier, policy_version, owner_rep_id, escalation_level, sla_deadline, company)
     VALUES ($1, 'lead:' || $1, $2, 'X', $1 || '@dash.example', $1 || '@dash.example', 'hello', $3, $4, $5, $6, $7, $8,
             $9, $10, 'Acme')`,
    [
      id,
      row.source,
      receivedAt,
      row.status,
      row.team_id,
      row.tier,
      row.policy_version,
      row.owner ?? null,
      row.level ?? 0,
      row.deadline ?? null,
    ],
  );
}

async function insertOffer(
  leadId: string,
  n: number,
  offer: { rep: string; level?: number; kind?: string; told: Date; closed?: Date; status: string },
) {
  await db.query(
    `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, told_at, deadline, status,
                              answered_by, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $6::timestamptz + interval '5 minutes', $7, $8, $9)`,
    [
      leadId,
      n,
      offer.kind ?? 'candidate',
      offer.level ?? 0,
      [offer.rep],
      offer.told,
      offer.status,
      offer.status === 'accepted' || offer.status === 'declined' ? offer.rep : null,
      offer.closed ?? null,
    ],
  );
}

async function insertDecision(leadId: string, explanation: Record<string, unknown>) {
  await db.query(`INSERT INTO routing_decisions (lead_id, policy_version, team_id, plan) VALUES ($1, 1, 'cloud', $2)`, [
    leadId,
    JSON.stringify({ teamId: 'cloud', policyVersion: 1, stages: [], explanation }),
  ]);
}

async function insertOutcome(leadId: string, event: string, when: Date, rep: string) {
  await db.query(
    `INSERT INTO lead_outcomes (lead_id, event, at, external_id, reported_by, rep_id) VALUES ($1, $2, $3, $2, 'crm', $4)`,
    [leadId, event, when, rep],
  );
}

const day = '2031-03-02T09:00:00Z';
const range = { from: '2031-03-01', to: '2031-03-03' };

beforeAll(async () => {
  // hot: ana let the first offer time out, ben took the second; it became an opportunity.
  await insertLead('dash-hot', day, { owner: 'ben' });
  await insertDecision('dash-hot', {
    ruleName: 'cloud-hot',
    strategy: 'best-fit',
    excluded: [{ repId: 'cleo', code: 'away', reason: 'away', role: 'team' }],
    fit: { estimates: { ana: 0.5, ben: 0.35 }, convertsOn: 'opportunity' },
  });
  await insertOffer('dash-hot', 1, { rep: 'ana', told: at(day, 20), closed: at(day, 320), status: 'timed-out' });
  await insertOffer('dash-hot', 2, { rep: 'ben', told: at(day, 330), closed: at(day, 400), status: 'accepted' });
  await insertOutcome('dash-hot', 'first-touch', at(day, 3600), 'ben');
  await insertOutcome('dash-hot', 'opportunity', at(day, 86400), 'ben');
  // chat: ana took it at once, under the policy default.
  await insertLead('dash-chat', day, { source: 'chat', tier: 'C', owner: 'ana' });
  await insertDecision('dash-chat', { ruleName: null, strategy: 'weighted-round-robin', excluded: [] });
  await insertOffer('dash-chat', 1, { rep: 'ana', told: at(day, 10), closed: at(day, 50), status: 'accepted' });
  // spam, the next day.
  await insertLead('dash-spam', '2031-03-03T10:00:00Z', { status: 'rejected-spam', team_id: null, tier: null });
  // waiting in the catch-all queue, its deadline passed.
  await insertLead('dash-queued', '2031-03-03T11:00:00Z', {
    status: 'catch-all',
    level: 3,
    deadline: '2031-03-03T11:30:00Z',
  });
});

test('a refresh recomputes exactly the days written to, and leaves nothing marked', async () => {
  expect(await refreshDashboard(db)).toEqual({ days: 2, leads: 4 });
  expect(await refreshDashboard(db)).toEqual({ days: 0, leads: 0 });
  await insertOutcome('dash-chat', 'meeting-booked', at(day, 7200), 'ana');
  expect(await refreshDashboard(db)).toEqual({ days: 1, leads: 2 });
});

test('speed to lead: per day, team, source and tier, with the bucketed times and the share within SLA', async () => {
  await refreshDashboard(db);
  const rows = await readSpeed(db, range, null);
  const dayRow = rows.find((r) => r.by === 'day' && r.key === '2031-03-02')!;
  expect(dayRow).toMatchObject({ leads: 2, spam: 0, told: 2, accepted: 2, withinSla: 1, touched: 2 });
  // Told after 10 s and 20 s: one in the first bucket (<15 s), one in the second (15–30 s).
  expect(dayRow.toldBuckets.slice(0, 3)).toEqual([1, 1, 0]);
  expect(quantileOf(dayRow.toldBuckets, 0.5)).toBe(15);
  expect(rows.find((r) => r.by === 'day' && r.key === '2031-03-03')).toMatchObject({ leads: 2, spam: 1 });
  expect(rows.find((r) => r.by === 'source' && r.key === 'chat')).toMatchObject({ leads: 1, accepted: 1 });
  expect(rows.find((r) => r.by === 'tier' && r.key === 'A')).toMatchObject({ leads: 2, accepted: 1, withinSla: 0 });
  expect(rows.find((r) => r.by === 'team' && r.key === 'cloud')).toMatchObject({ leads: 3, accepted: 2 });
  expect(await readSpeed(db, range, ['dach'])).toEqual([]);
  expect(await readSpeed(db, { from: '2031-04-01', to: '2031-04-30' }, null)).toEqual([]);
});

test('offers per rep and level: who let an offer time out, and who got the first offers', async () => {
  await refreshDashboard(db);
  const totals = await readOfferTotals(db, range, null);
  expect(totals.find((t) => t.by === 'rep' && t.key === 'ana')).toMatchObject({
    offers: 2,
    firstOffers: 2,
    accepted: 1,
    timedOut: 1,
  });
  expect(totals.find((t) => t.by === 'rep' && t.key === 'ben')).toMatchObject({ firstOffers: 0, accepted: 1 });
  expect(totals.find((t) => t.by === 'level' && t.key === '0')).toMatchObject({ offers: 3, timedOut: 1 });
  const shares = await readRepShares(db, range, ['cloud']);
  expect(shares.map((s) => [s.repId, s.firstOffers, s.weight])).toEqual([
    ['ana', 2, 1],
    ['ben', 0, 1],
    ['cleo', 0, 1],
  ]);
  expect(await readSkips(db, range, null)).toEqual([{ teamId: 'cloud', repId: 'cleo', code: 'away', skipped: 1 }]);
});

test('conversion per routing path and the calibration of best-fit predictions', async () => {
  await refreshDashboard(db);
  const conversion = await readConversion(db, range, null);
  const get = (dim: string, value: string) => conversion.find((r) => r.dim === dim && r.value === value);
  expect(get('rule', 'cloud-hot')).toMatchObject({ leads: 1, accepted: 1, meetings: 1, opportunities: 1, won: 0 });
  expect(get('rule', '(policy default)')).toMatchObject({ leads: 1, meetings: 1, opportunities: 0 });
  expect(get('offer', '2')).toMatchObject({ leads: 1, opportunities: 1 });
  expect(get('strategy', 'best-fit')).toMatchObject({ leads: 1 });
  // Ben owned it: his estimate (35%) is the prediction, and it converted.
  expect(await readCalibration(db, range, null)).toEqual([
    { policyVersion: 1, bin: 3, leads: 1, predicted: 0.35, converted: 1 },
  ]);
});

test('the shadow beside live: agreement per live rule and first offers per rep, by the day the lead came in', async () => {
  await db.query(`INSERT INTO routing_policies (version, yaml, sha256, status) VALUES (9, 'x', 'x', 'shadow')`);
  await db.query(
    `INSERT INTO shadow_decisions (lead_id, policy_version, live_version, decided_at, live_team_id, live_rule,
                                   live_first_rep, team_id, rule, first_rep, propensity)
     VALUES ('dash-hot', 9, 1, $1, 'cloud', 'cloud-hot', 'ana', 'cloud', 'cloud-hot', 'ben', 0.5),
            ('dash-chat', 9, 1, $1, 'cloud', NULL, 'ana', 'cloud', NULL, 'ana', 1)`,
    [day],
  );
  await refreshDashboard(db);
  const rows = await readShadowComparison(db, range, ['cloud']);
  expect(rows.find((r) => r.by === 'all')).toMatchObject({
    shadowVersion: 9,
    decisions: 2,
    sameTeam: 2,
    sameFirstRep: 1,
  });
  expect(rows.find((r) => r.by === 'rule' && r.key === 'cloud-hot')).toMatchObject({ decisions: 1, sameFirstRep: 0 });
  expect(rows.find((r) => r.by === 'rule' && r.key === '(policy default)')).toMatchObject({ sameFirstRep: 1 });
  expect(rows.filter((r) => r.by === 'rep').map((r) => [r.key, r.liveFirstOffers, r.shadowFirstOffers])).toEqual([
    ['ana', 2, 1],
    ['ben', 0, 1],
  ]);
  expect(await readShadowComparison(db, range, ['dach'])).toEqual([]);
});

test('open leads and the queues are read live, and a manager sees only the teams on whose chain they are', async () => {
  const now = new Date('2031-03-03T12:00:00Z');
  expect(await readOpenLeads(db, null, now)).toEqual([
    { status: 'catch-all', level: 3, deadline: 'overdue', leads: 1 },
  ]);
  expect((await readQueues(db, null, 10)).map((q) => q.id)).toEqual(['dash-queued']);
  expect(await readQueues(db, ['dach'], 10)).toEqual([]);
  expect(await teamsManagedBy(db, 'mgr')).toEqual(['cloud', 'dach', 'partners']);
  expect(await teamsManagedBy(db, 'head')).toEqual(['cloud']);
  expect(await teamsManagedBy(db, 'ana')).toEqual([]);
  const card = await readLeadCard(db, 'dash-hot', ['cloud']);
  expect(card?.offers.map((o) => [o.number, o.status])).toEqual([
    [1, 'timed-out'],
    [2, 'accepted'],
  ]);
  expect(await readLeadCard(db, 'dash-hot', ['dach'])).toBeNull();
});
