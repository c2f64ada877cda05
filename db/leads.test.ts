// The leads table as the activities write it, against a real Postgres.
import type { Pool } from 'pg';
import { normaliseWebForm } from '../src/intake/normalise';
import { WebFormSchema } from '../src/intake/schemas';
import { insertLead, mergeSubmissionIntoLead } from './leads';
import { createPool } from './pool';
import { copyOfTemplateDatabase } from '../test/support/database';

let db: Pool;
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
});
afterAll(async () => {
  await db?.end();
});

const form = (body: Record<string, unknown>) => normaliseWebForm(WebFormSchema.parse(body));

async function leadRow(leadId: string) {
  const { rows } = await db.query<{ name: string | null; email: string | null; phone: string | null; message: string }>(
    'SELECT name, email, phone, message FROM leads WHERE id = $1',
    [leadId],
  );
  return rows[0];
}

test('a lead is stored once: a retried insert leaves the first as it was', async () => {
  const first = form({ name: 'Priya Shah', email: 'priya@acme.example', message: 'Move us to AWS' });
  await insertLead(db, { leadId: 'once', lead: first, receivedAt: '2030-01-02T09:00:00.000Z' });
  await insertLead(db, {
    leadId: 'once',
    lead: { ...first, name: 'Somebody Else' },
    receivedAt: '2030-01-02T09:01:00.000Z',
  });
  expect(await leadRow('once')).toMatchObject({ name: 'Priya Shah', message: 'Move us to AWS' });
});

test('a merged submission fills what the lead left out, keeps what it had, and adds its text under its source', async () => {
  const lead = form({ email: 'priya@acme.example', message: 'Move us to AWS' });
  await insertLead(db, { leadId: 'merged', lead, receivedAt: '2030-01-02T09:00:00.000Z' });
  const chat = form({ name: 'Priya Shah', email: 'other@acme.example', phone: '+44 20 7946 0958', message: 'Azure?' });
  await mergeSubmissionIntoLead(db, 'merged', {
    submissionId: 'sub-2',
    lead: { ...chat, source: 'chat' },
    receivedAt: '2030-01-02T09:05:00.000Z',
  });
  expect(await leadRow('merged')).toEqual({
    name: 'Priya Shah',
    email: 'priya@acme.example',
    phone: '+442079460958',
    message: 'Move us to AWS\n\n[chat 2030-01-02T09:05:00.000Z]\nAzure?',
  });
});
