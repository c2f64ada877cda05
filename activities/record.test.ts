// Recording against a real Postgres: each decision is one timeline event under the timeline's name for it,
// keeping the workflow's; a merged submission joins the timeline once however often the activity runs.
import type { Pool } from 'pg';
import { listEvents } from '../db/events';
import { createPool } from '../db/pool';
import { normaliseWebForm } from '../src/intake/normalise';
import { WebFormSchema } from '../src/intake/schemas';
import type { LeadWorkflowInput } from '../src/lead';
import { copyOfTemplateDatabase } from '../test/support/database';
import { createRecordActivities } from './record';

let db: Pool;
let record: ReturnType<typeof createRecordActivities>;
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  record = createRecordActivities({ db });
});
afterAll(async () => {
  await db?.end();
});

let leads = 0;
async function recordedLead(): Promise<LeadWorkflowInput> {
  const lead = normaliseWebForm(
    WebFormSchema.parse({ name: 'Priya Shah', email: 'priya@acme.example', message: 'Move us to AWS' }),
  );
  const input = { leadId: `lead${++leads}`, lead, receivedAt: '2030-01-02T09:00:00.000Z' };
  await record.recordLead(input);
  await record.recordLead(input);
  return input;
}

test('decisions become timeline events named for what happened, with the offer and rep they concern', async () => {
  const { leadId } = await recordedLead();
  const decide = (key: string, kind: string, detail: unknown, second: number) =>
    record.recordDecision({ leadId, key, kind, summary: key, detail, at: `2030-01-02T09:00:0${second}.000Z` });
  await decide('qualified', 'qualified', { spam: false, tier: 'A' }, 1);
  await decide('offer:1:opened', 'offered', { offerNumber: 1, kind: 'candidate', repIds: ['ana'] }, 2);
  await decide('offer:1:declined', 'declined', { offerNumber: 1, repIds: ['ana'], answeredBy: 'ana' }, 3);
  await decide('offer:2:opened', 'offered', { offerNumber: 2, kind: 'escalation', repIds: ['mgr'] }, 4);
  await decide('offer:3:opened', 'offered', { offerNumber: 3, kind: 'catch-all', repIds: ['ana', 'ben'] }, 5);
  await decide('assigned', 'assigned', { offerNumber: 3, repId: 'ben' }, 6);
  await decide('assigned', 'assigned', { offerNumber: 3, repId: 'ana' }, 7);

  expect(
    (await listEvents(db, leadId)).map(({ key, kind, offerNumber, repId, decision }) => ({
      key,
      kind,
      offerNumber,
      repId,
      decision,
    })),
  ).toEqual([
    { key: 'received', kind: 'received', offerNumber: null, repId: null, decision: null },
    { key: 'qualified', kind: 'scored', offerNumber: null, repId: null, decision: 'qualified' },
    { key: 'offer:1:opened', kind: 'offered', offerNumber: 1, repId: 'ana', decision: 'offered' },
    { key: 'offer:1:declined', kind: 'declined', offerNumber: 1, repId: 'ana', decision: 'declined' },
    { key: 'offer:2:opened', kind: 'escalated', offerNumber: 2, repId: 'mgr', decision: 'offered' },
    { key: 'offer:3:opened', kind: 'catch-all', offerNumber: 3, repId: null, decision: 'offered' },
    { key: 'assigned', kind: 'assigned', offerNumber: 3, repId: 'ben', decision: 'assigned' },
  ]);
});

test('spam is a rejected-spam event of the qualified decision', async () => {
  const { leadId } = await recordedLead();
  await record.recordDecision({
    leadId,
    key: 'qualified',
    kind: 'qualified',
    summary: 'rejected as spam: SEO pitch',
    detail: { spam: true },
    at: '2030-01-02T09:00:01.000Z',
  });
  expect((await listEvents(db, leadId)).at(-1)).toMatchObject({ kind: 'rejected-spam', decision: 'qualified' });
});

test('a merged submission recorded twice (a retried activity) is one event', async () => {
  const { leadId } = await recordedLead();
  const chat = normaliseWebForm(WebFormSchema.parse({ phone: '+44 20 7946 0958', message: 'also: Azure?' }));
  const submission = {
    submissionId: 'sub-2',
    lead: { ...chat, source: 'chat' as const },
    receivedAt: '2030-01-02T09:05:00.000Z',
  };
  await record.recordMergedSubmission({ leadId, submission });
  await record.recordMergedSubmission({ leadId, submission });
  expect((await listEvents(db, leadId)).map((e) => e.key)).toEqual(['received', 'merged:sub-2']);
  expect((await listEvents(db, leadId))[1]).toMatchObject({
    kind: 'merged',
    summary: 'chat submission from the same person merged into this lead',
  });
});
