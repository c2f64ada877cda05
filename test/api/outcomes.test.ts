// Reporting outcomes through the API, on a real Postgres: who may, what is refused with the field named, and a
// retry under the same external id that writes nothing twice.
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildApi } from '../../api/server';
import { createApiKey, createRepToken } from '../../db/credentials';
import { upsertDirectory } from '../../db/directory';
import { listEvents } from '../../db/events';
import { createPool } from '../../db/pool';
import { copyOfTemplateDatabase } from '../support/database';
import { testDirectory } from '../support/directory';

let db: Pool;
let api: FastifyInstance;
const tokens: Record<string, string> = {};
const signals: Array<{ workflowId: string; notice: unknown }> = [];
const owned = 'c0ffee00c0ffee00c0ffee11';
const unowned = 'c0ffee00c0ffee00c0ffee12';

beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
  // A client that records the first-touch signals the API sends; the workflows themselves are not started here.
  const client = {
    options: { namespace: 'default' },
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: (_: unknown, notice: unknown) => Promise.resolve(void signals.push({ workflowId, notice })),
      }),
    },
  } as unknown as Client;
  api = buildApi({ client, db, taskQueue: 'unused', linkSecret: 'x'.repeat(32) });
  for (const rep of ['ana', 'ben']) tokens[rep] = (await createRepToken(db, rep)).token;
  tokens.crm = (await createApiKey(db, { name: 'crm sync', scopes: ['outcomes:write'] })).token;
  tokens.intake = (await createApiKey(db, { name: 'web form', scopes: ['leads:write'] })).token;
  for (const [id, owner] of [
    [owned, 'ana'],
    [unowned, null],
  ] as const) {
    await db.query(
      `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, message, received_at, status,
                          team_id, owner_rep_id)
       VALUES ($1, $2, 'web-form', 'Kim', 'kim@acme.example', 'kim@acme.example', 'Move us to the cloud',
               '2026-11-02T07:30:00Z', $3, 'cloud', $4)`,
      [id, `lead:${id}`, owner ? 'assigned' : 'offered', owner],
    );
  }
});
afterAll(async () => {
  await api?.close();
  await db?.end();
});

const post = (who: string, body: Record<string, unknown>, id = owned) =>
  api.inject({
    method: 'POST',
    url: `/v1/leads/${id}/outcomes`,
    headers: { authorization: `Bearer ${tokens[who]}` },
    payload: body,
  });
const fields = (res: { json: () => unknown }) =>
  (res.json() as { issues?: Array<{ field: string }> }).issues?.map((i) => i.field) ?? [];

test('a CRM key reports a won deal, credited to the owner and written to the timeline', async () => {
  const res = await post('crm', {
    event: 'won',
    at: '2026-11-20T10:00:00Z',
    amount: 12000,
    currency: 'EUR',
    externalId: 'opp-77:won',
  });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({
    leadId: owned,
    event: 'won',
    amount: 12000,
    currency: 'EUR',
    repId: 'ana',
    reportedBy: 'api-key:crm sync',
    summary: 'won, 12000 EUR (ana)',
  });
  const events = await listEvents(db, owned);
  expect(events.filter((e) => e.kind === 'outcome').map((e) => e.summary)).toEqual(['won, 12000 EUR (ana)']);
});

test('the same report again is answered with the stored outcome and writes nothing; another under its id is 409', async () => {
  const body = { event: 'meeting-booked', at: '2026-11-05T09:00:00Z', externalId: 'mtg-1' };
  const first = await post('ana', body);
  const again = await post('ana', body);
  expect(first.statusCode).toBe(201);
  expect(again.statusCode).toBe(200);
  expect(again.json()).toMatchObject({ id: first.json<{ id: number }>().id, reportedBy: 'ana' });
  const clash = await post('crm', { ...body, event: 'opportunity' });
  expect(clash.statusCode).toBe(409);
  expect(fields(clash)).toEqual(['externalId']);
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM lead_outcomes WHERE external_id = 'mtg-1'",
  );
  expect(rows[0]!.n).toBe(1);
});

test('without an external id, the event and instant identify the report', async () => {
  const body = { event: 'first-touch', at: '2026-11-02T08:00:00Z' };
  expect((await post('ana', body)).statusCode).toBe(201);
  expect((await post('ana', body)).statusCode).toBe(200);
});

test('another rep is 403, an intake key 403, an unowned lead 409, an unknown lead 404', async () => {
  const body = { event: 'first-touch', at: '2026-11-03T08:00:00Z' };
  expect((await post('ben', body)).statusCode).toBe(403);
  expect((await post('intake', body)).statusCode).toBe(403);
  const unownedRes = await post('crm', body, unowned);
  expect(unownedRes.statusCode).toBe(409);
  expect((await post('crm', body, 'c0ffee00c0ffee00c0ffee99')).statusCode).toBe(404);
});

test.each([
  [{ event: 'signed', at: '2026-11-03T08:00:00Z' }, ['event']],
  [{ event: 'won', at: 'yesterday' }, ['at']],
  [{ event: 'won', at: '1850-01-01T00:00:00Z' }, ['at']],
  [{ event: 'won', at: '2026-11-03T08:00:00-22:15' }, ['at']],
  [{ event: 'won', at: '2026-11-03T08:00:00Z', amount: 500 }, ['currency']],
  [{ event: 'lost', at: '2026-11-03T08:00:00Z' }, ['reason']],
  [{ event: 'won', at: '2026-11-03T08:00:00Z', reason: 'price' }, ['reason']],
  [{ event: 'won', at: '2026-11-03T08:00:00Z', currency: 'eur', amount: 1 }, ['currency']],
])('%j is a 400 naming %j', async (body, named) => {
  const res = await post('crm', body);
  expect(res.statusCode).toBe(400);
  expect(fields(res)).toEqual(named);
});

test('the owner and readers list the outcomes in the order they happened', async () => {
  const res = await api.inject({
    method: 'GET',
    url: `/v1/leads/${owned}/outcomes`,
    headers: { authorization: `Bearer ${tokens.ana}` },
  });
  expect(res.statusCode).toBe(200);
  const events = res.json<{ outcomes: Array<{ event: string }> }>().outcomes.map((o) => o.event);
  expect(events).toEqual(['first-touch', 'meeting-booked', 'won']);
});

test('a recorded funnel event tells the lead workflow its first touch happened, a repeat again; a loss does not', async () => {
  signals.length = 0;
  const touched = await post('ana', { event: 'first-touch', at: '2026-11-04T08:00:00Z', externalId: 'touch-1' });
  expect(touched.statusCode).toBe(201);
  // A retry may follow a first attempt that stored the outcome and then failed to reach Temporal.
  expect(
    (await post('ana', { event: 'first-touch', at: '2026-11-04T08:00:00Z', externalId: 'touch-1' })).statusCode,
  ).toBe(200);
  await post('ana', { event: 'lost', at: '2026-11-25T08:00:00Z', reason: 'went quiet', externalId: 'lost-1' });
  const notice = { at: '2026-11-04T08:00:00.000Z', outcomeId: touched.json<{ id: number }>().id };
  expect(signals).toEqual([
    { workflowId: `lead:${owned}`, notice },
    { workflowId: `lead:${owned}`, notice },
  ]);
});
