// The lead's timeline against a real Postgres: written once per key, read in order, and the migration that made it
// the one log carries the old decision log's rows over.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from 'pg';
import { normaliseWebForm } from '../src/intake/normalise';
import { WebFormSchema } from '../src/intake/schemas';
import { listEvents, recordEvent } from './events';
import { insertLead } from './leads';
import { createPool } from './pool';
import { copyOfTemplateDatabase } from '../test/support/database';

let db: Pool;
let leads = 0;

beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
});
afterAll(async () => {
  await db?.end();
});

async function newLead(): Promise<string> {
  const leadId = `lead${String(++leads).padStart(4, '0')}`;
  const lead = normaliseWebForm(
    WebFormSchema.parse({ name: 'Priya Shah', email: 'priya@acme.example', message: 'Move us to AWS' }),
  );
  await insertLead(db, { leadId, lead, receivedAt: '2030-01-02T09:00:00.000Z' });
  return leadId;
}

test('an event is written once per key: a retried write changes nothing and says so', async () => {
  const leadId = await newLead();
  const event = { leadId, key: 'routed', kind: 'routed', at: '2030-01-02T09:00:01Z', summary: 'to ana' };
  expect(await recordEvent(db, { ...event, detail: { teamId: 'cloud' }, decision: 'routed' })).toBe(true);
  expect(await recordEvent(db, { ...event, summary: 'to ben' })).toBe(false);
  expect(await listEvents(db, leadId)).toEqual([
    {
      seq: expect.any(Number) as number,
      key: 'routed',
      kind: 'routed',
      at: '2030-01-02T09:00:01.000Z',
      offerNumber: null,
      repId: null,
      summary: 'to ana',
      detail: { teamId: 'cloud' },
      decision: 'routed',
    },
  ]);
});

test('events are listed by time, and those of one instant in the order they were written', async () => {
  const leadId = await newLead();
  const at = (s: number) => `2030-01-02T09:00:0${s}.000Z`;
  for (const [key, second] of [
    ['b', 2],
    ['a', 1],
    ['c', 2],
    ['d', 0],
  ] as const)
    await recordEvent(db, { leadId, key, kind: 'k', at: at(second), summary: key, offerNumber: 1, repId: 'ana' });
  const events = await listEvents(db, leadId);
  expect(events.map((e) => e.key)).toEqual(['d', 'a', 'b', 'c']);
  expect(events[0]).toMatchObject({ offerNumber: 1, repId: 'ana', detail: {}, decision: null });
  expect(await listEvents(db, 'no-such-lead')).toEqual([]);
});

describe('migration 1732530000000_one_lead_log', () => {
  const file = path.join(__dirname, '..', 'migrations', '1732530000000_one_lead_log.sql');

  test('moves the old decision log into the timeline: a decision with an event names it, one without becomes one, and down gives the log back', async () => {
    const [up, down] = (await fs.readFile(file, 'utf8')).split('-- Down Migration') as [string, string];
    const other = createPool(await copyOfTemplateDatabase());
    try {
      await other.query(down);
      const lead = normaliseWebForm(WebFormSchema.parse({ name: 'Old Lead', email: 'old@acme.example' }));
      await insertLead(other, { leadId: 'old', lead, receivedAt: '2024-11-20T09:00:00.000Z' });
      // Both logs were written for this decision; the offer and the assignment come from before lead_events.
      await other.query(
        `INSERT INTO lead_events (lead_id, key, kind, at, summary, detail)
         VALUES ('old', 'qualified', 'scored', '2024-11-20T09:00:01Z', 'tier A', '{"spam": false}')`,
      );
      await other.query(
        `INSERT INTO lead_decisions (lead_id, key, kind, summary, detail, decided_at) VALUES
           ('old', 'qualified', 'qualified', 'tier A', '{"spam": false}', '2024-11-20T09:00:01Z'),
           ('old', 'offer:1:opened', 'offered', 'to the manager', '{"offerNumber": 1, "kind": "escalation", "repIds": ["mia"]}', '2024-11-20T09:00:02Z'),
           ('old', 'assigned', 'assigned', 'mia owns it', '{"offerNumber": 1, "repId": "mia"}', '2024-11-20T09:00:03Z')`,
      );
      await other.query(up);

      expect(await listEvents(other, 'old')).toEqual([
        expect.objectContaining({ key: 'qualified', kind: 'scored', decision: 'qualified', summary: 'tier A' }),
        expect.objectContaining({
          key: 'offer:1:opened',
          kind: 'escalated',
          at: '2024-11-20T09:00:02.000Z',
          offerNumber: 1,
          repId: 'mia',
          decision: 'offered',
        }),
        expect.objectContaining({ key: 'assigned', kind: 'assigned', repId: 'mia', decision: 'assigned' }),
      ]);
      await expect(other.query('SELECT 1 FROM lead_decisions')).rejects.toThrow(/does not exist/);

      await other.query(down);
      const { rows } = await other.query<{ key: string; kind: string }>(
        'SELECT key, kind FROM lead_decisions ORDER BY seq',
      );
      expect(rows).toEqual([
        { key: 'qualified', kind: 'qualified' },
        { key: 'offer:1:opened', kind: 'offered' },
        { key: 'assigned', kind: 'assigned' },
      ]);
    } finally {
      await other.end();
    }
  });
});
