// Correcting the classifier's reading through the API, on a real Postgres: who may, what is refused with the field
// named, what is stored, and how corrected leads become the deployment's training examples.
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildApi } from '../../api/server';
import { readCorrectedLeads } from '../../db/corrections';
import { createApiKey, createRepToken } from '../../db/credentials';
import { upsertDirectory } from '../../db/directory';
import { createPool } from '../../db/pool';
import { correctedExample } from '../../src/corrections';
import { copyOfTemplateDatabase } from '../support/database';
import { testDirectory } from '../support/directory';

let db: Pool;
let api: FastifyInstance;
const tokens: Record<string, string> = {};
const leadId = 'c0ffee00c0ffee00c0ffee01';
const unqualified = 'c0ffee00c0ffee00c0ffee02';

beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  await upsertDirectory(db, testDirectory);
  // The correction routes read Postgres only; no workflow is asked.
  api = buildApi({
    client: { options: { namespace: 'default' } } as unknown as Client,
    db,
    taskQueue: 'unused',
    linkSecret: 'x'.repeat(32),
  });
  for (const rep of ['ana', 'ben', 'mgr']) tokens[rep] = (await createRepToken(db, rep)).token;
  tokens.admin = (await createApiKey(db, { name: 'ops console', scopes: ['admin'] })).token;
  tokens.intake = (await createApiKey(db, { name: 'web form', scopes: ['leads:write'] })).token;
  const qualification = { serviceLine: 'support', urgency: 'none', spam: false, score: 40, tier: 'B' };
  for (const [id, q] of [
    [leadId, qualification],
    [unqualified, null],
  ] as const) {
    await db.query(
      `INSERT INTO leads (id, workflow_id, source, name, email, email_normalised, message, received_at, status,
                          team_id, owner_rep_id, time_zone, qualification)
       VALUES ($1, $2, 'web-form', 'Kim', 'kim@acme.example', 'kim@acme.example', $3, $4, 'assigned', 'cloud', 'ana',
               'Europe/Berlin', $5)`,
      [
        id,
        `lead:${id}`,
        'Someone is logged into our CFO mailbox and forwarding invoices, help today',
        '2025-06-02T07:30:00Z',
        q === null ? null : JSON.stringify(q),
      ],
    );
  }
});
afterAll(async () => {
  await api?.close();
  await db?.end();
});

const post = (who: string, body: unknown, id = leadId) =>
  api.inject({
    method: 'POST',
    url: `/v1/leads/${id}/corrections`,
    headers: { authorization: `Bearer ${tokens[who]}` },
    payload: body as Record<string, unknown>,
  });

const fields = (res: { json: () => unknown }) =>
  (res.json() as { issues?: Array<{ field: string }> }).issues?.map((i) => i.field) ?? [];

test('the owner corrects the service line and urgency; the answer says what changed from what', async () => {
  const res = await post('ana', { serviceLine: 'cybersecurity', urgency: 'now', note: 'mailbox compromise' });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({
    leadId,
    correctedBy: 'ana',
    serviceLine: 'cybersecurity',
    urgency: 'now',
    spam: null,
    note: 'mailbox compromise',
    was: { serviceLine: 'support', urgency: 'none', spam: false },
    summary: 'service line support → cybersecurity; urgency none → now',
  });
});

test('a manager on the team escalation chain and an admin key may correct; the admin is recorded by key name', async () => {
  expect((await post('mgr', { urgency: 'this-week' })).statusCode).toBe(201);
  const admin = await post('admin', { urgency: 'now' });
  expect(admin.statusCode).toBe(201);
  expect(admin.json()).toMatchObject({ correctedBy: 'api-key:ops console' });
});

test('a rep never offered the lead, who manages none of its team, is refused; so is an intake key', async () => {
  const ben = await post('ben', { urgency: 'now' });
  expect(ben.statusCode).toBe(403);
  expect(fields(ben)).toEqual(['id']);
  expect((await post('intake', { urgency: 'now' })).statusCode).toBe(403);
});

test('a bad body is refused with the field named', async () => {
  const cases: Array<[unknown, string]> = [
    [{ urgency: 'soon' }, 'urgency'],
    [{ serviceLine: 'Cyber Security' }, 'serviceLine'],
    [{ spam: 'yes' }, 'spam'],
    [{}, 'serviceLine'],
    [{ urgency: 'now', colour: 'red' }, ''],
  ];
  for (const [body, field] of cases) {
    const res = await post('ana', body);
    expect(res.statusCode).toBe(400);
    if (field) expect(fields(res)).toContain(field);
  }
});

test('a lead not qualified yet has nothing to correct (409), an unknown lead is 404', async () => {
  await db.query("UPDATE leads SET owner_rep_id = 'ana' WHERE id = $1", [unqualified]);
  expect((await post('ana', { urgency: 'now' }, unqualified)).statusCode).toBe(409);
  expect((await post('ana', { urgency: 'now' }, 'ffffffffffffffffffffffff')).statusCode).toBe(404);
});

test('corrections are listed oldest first, and the corrected lead becomes a training example with the latest of each', async () => {
  const res = await api.inject({
    method: 'GET',
    url: `/v1/leads/${leadId}/corrections`,
    headers: { authorization: `Bearer ${tokens.ana}` },
  });
  expect(res.statusCode).toBe(200);
  const listed = res.json<{ corrections: Array<{ correctedBy: string }> }>();
  expect(listed.corrections.map((c) => c.correctedBy)).toEqual(['ana', 'mgr', 'api-key:ops console']);
  const corrected = await readCorrectedLeads(db);
  expect(corrected.map((c) => c.leadId)).toEqual([leadId]);
  expect(correctedExample(corrected[0]!)).toEqual({
    text: 'Someone is logged into our CFO mailbox and forwarding invoices, help today',
    serviceLine: 'cybersecurity',
    urgency: 'now',
    spam: false,
    receivedAt: '2025-06-02T07:30:00.000Z',
    timeZone: 'Europe/Berlin',
  });
});
