// Receiving against a real Postgres: the lead is read from the submission the API stored, matched and qualified,
// and recorded once however often the activity runs; a later submission from the same person joins the lead once,
// even when two attempts overlap; a lead whose submission cannot be found waits (retryably) and then needs a person.
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Pool } from 'pg';
import { listEvents } from '../db/events';
import { readLeadPerson, readLeadSummary } from '../db/lead-records';
import { createPool } from '../db/pool';
import { insertSubmission } from '../db/submissions';
import { normaliseWebForm } from '../src/intake/normalise';
import { WebFormSchema } from '../src/intake/schemas';
import { copyOfTemplateDatabase } from '../test/support/database';
import { storeWebForm } from '../test/support/submissions';
import type { LeadClassifier } from '../src/classification/classifier';
import { loadClassifier } from '../workers/classifier';
import { createRecordActivities } from './record';

let db: Pool;
let classifier: LeadClassifier;
let record: ReturnType<typeof createRecordActivities>;
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  classifier = loadClassifier();
  record = createRecordActivities({ db, classifier });
});
afterAll(async () => {
  await db?.end();
});

const receivedAt = new Date('2030-01-02T09:00:00.000Z');

let leads = 0;
/** A web form as the API stores it before it starts the lead's workflow: the submission that starts the lead. */
async function submittedLead(): Promise<string> {
  const leadId = `lead${++leads}`;
  await storeWebForm(
    db,
    leadId,
    { name: 'Priya Shah', email: 'priya@acme.example', message: 'Move us to AWS' },
    receivedAt,
  );
  return leadId;
}

/** A chat from the same person, stored by the API as merged into the running lead. */
async function mergedChat(leadId: string, submissionId: string, text: string): Promise<void> {
  const chat = normaliseWebForm(WebFormSchema.parse({ phone: '+44 20 7946 0958', message: text }));
  await insertSubmission(db, {
    submissionId,
    leadId,
    personKey: 'priya@acme.example',
    lead: { ...chat, source: 'chat' },
    receivedAt: new Date('2030-01-02T09:05:00.000Z'),
    merged: true,
    submittedBy: null,
  });
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

const at = '2030-01-02T09:00:01.000Z';

test('a received lead is stored, matched and qualified with its events once, though the activity ran twice', async () => {
  const leadId = await submittedLead();
  const first = await record.receiveLead({ leadId, at });
  expect(await record.receiveLead({ leadId, at })).toEqual(first);
  expect(first).toMatchObject({
    source: 'web-form',
    match: expect.stringContaining('new contact') as unknown,
    qualification: { serviceLine: 'cloud-migration', spam: false },
  });

  expect(await readLeadSummary(db, leadId)).toMatchObject({
    name: 'Priya Shah',
    email: 'priya@acme.example',
    message: 'Move us to AWS',
    status: 'received',
    owner: null,
  });
  expect((await listEvents(db, leadId)).map(({ key, kind, at, decision }) => ({ key, kind, at, decision }))).toEqual([
    { key: 'received', kind: 'received', at: receivedAt.toISOString(), decision: null },
    { key: 'matched', kind: 'matched', at: receivedAt.toISOString(), decision: 'matched' },
    { key: 'qualified', kind: 'scored', at, decision: 'qualified' },
  ]);
  expect(await readLeadSummary(db, leadId)).toMatchObject({
    serviceLine: first.qualification.serviceLine,
    tier: first.qualification.tier,
    score: first.qualification.score,
  });
});

test('a retry after the lead was stored returns the stored qualification, whatever the classifier says now', async () => {
  const leadId = await submittedLead();
  const first = await record.receiveLead({ leadId, at });
  // A model retrained between the attempts reads the same words as spam.
  const retrained: LeadClassifier = {
    serviceLines: classifier.serviceLines,
    classify: (input) => ({ ...classifier.classify(input), spam: true }),
  };
  const again = await createRecordActivities({ db, classifier: retrained }).receiveLead({ leadId, at });
  expect(again).toEqual(first);
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'received' });
});

test('a chat merged before the lead was received is qualified together with the form it follows', async () => {
  const leadId = `lead${++leads}`;
  await storeWebForm(db, leadId, { name: 'Priya Shah', email: 'priya@acme.example', message: 'Hello' }, receivedAt);
  await mergedChat(leadId, 'sub-early', 'Our firewall was breached last night, we need incident response now');
  const received = await record.receiveLead({ leadId, at });
  expect(received.qualification).toMatchObject({ serviceLine: 'cybersecurity', urgency: 'now' });
});

test('a lead qualified as spam is stored closed, with the verdict on its timeline', async () => {
  const leadId = `lead${++leads}`;
  await storeWebForm(
    db,
    leadId,
    {
      name: 'SEO Team',
      email: 'offers@rank-boost.example',
      message: 'We can get your website to page one of Google. Reply for our special SEO backlink package price list!',
    },
    receivedAt,
  );
  const received = await record.receiveLead({ leadId, at });
  expect(received.qualification.spam).toBe(true);
  expect(await readLeadSummary(db, leadId)).toMatchObject({ status: 'rejected-spam' });
  expect((await listEvents(db, leadId)).find((e) => e.key === 'qualified')).toMatchObject({
    kind: 'rejected-spam',
    decision: 'qualified',
  });
});

test('a merged submission recorded twice (a retried activity) joins the lead once and fills what it left out', async () => {
  const leadId = await submittedLead();
  await record.receiveLead({ leadId, at });
  await mergedChat(leadId, 'sub-2', 'also: Azure?');
  await record.recordMergedSubmission({ leadId, submissionId: 'sub-2' });
  await record.recordMergedSubmission({ leadId, submissionId: 'sub-2' });

  const events = await listEvents(db, leadId);
  expect(events.map((e) => e.key)).toEqual(['received', 'matched', 'qualified', 'merged:sub-2']);
  expect(events[3]).toMatchObject({
    kind: 'merged',
    at: '2030-01-02T09:05:00.000Z',
    summary: 'chat submission from the same person merged into this lead',
  });
  const person = await readLeadPerson(db, leadId);
  expect(occurrences(person!.message!, 'also: Azure?')).toBe(1);
  expect(person!.message).toMatch(/^Move us to AWS\n\n/);
  // The form left the phone out; the chat gave it.
  expect(person!.phone).toBe('+442079460958');
});

test('two overlapping attempts to merge the same submission add its text once', async () => {
  const leadId = await submittedLead();
  await record.receiveLead({ leadId, at });
  await mergedChat(leadId, 'sub-3', 'and GCP, maybe');
  await Promise.all([
    record.recordMergedSubmission({ leadId, submissionId: 'sub-3' }),
    record.recordMergedSubmission({ leadId, submissionId: 'sub-3' }),
  ]);
  expect(occurrences((await readLeadPerson(db, leadId))!.message!, 'and GCP, maybe')).toBe(1);
  expect((await listEvents(db, leadId)).filter((e) => e.kind === 'merged')).toHaveLength(1);
});

test('a submission that was not merged into this lead is refused, not merged', async () => {
  const leadId = await submittedLead();
  const other = await submittedLead();
  await record.receiveLead({ leadId, at });
  await mergedChat(other, 'sub-4', 'not for you');
  await expect(record.recordMergedSubmission({ leadId, submissionId: 'sub-4' })).rejects.toMatchObject({
    nonRetryable: true,
  });
  expect((await readLeadPerson(db, leadId))!.message).toBe('Move us to AWS');
});

test('a lead without a stored submission fails retryably, and after five attempts needs a person', async () => {
  const attempt = record.receiveLead({ leadId: 'never-submitted', at });
  await expect(attempt).rejects.toBeInstanceOf(ApplicationFailure);
  await expect(attempt).rejects.toMatchObject({
    type: 'NoSubmission',
    nonRetryable: false,
    message: 'lead never-submitted has no stored submission',
  });
  // The fifth attempt (the SDK would log its failure as a warning; the test reads it instead).
  const fifth = new MockActivityEnvironment({ attempt: 5 }, { logger: new DefaultLogger('ERROR') });
  await expect(
    fifth.run((input: { leadId: string; at: string }) => record.receiveLead(input), { leadId: 'never-submitted', at }),
  ).rejects.toMatchObject({
    type: 'NoSubmission',
    nonRetryable: true,
  });
  expect(await readLeadSummary(db, 'never-submitted')).toBeNull();
  expect(await listEvents(db, 'never-submitted')).toEqual([]);
});

test('an ignored signal is on the timeline once per number, with the reason', async () => {
  const leadId = await submittedLead();
  await record.receiveLead({ leadId, at });
  const ignored = (summary: string) =>
    record.recordIgnoredSignal({ leadId, number: 1, summary, at: '2030-01-02T09:10:00.000Z' });
  await ignored('accept from ben ignored: offer 1 was made to ana');
  await ignored('accept from ben ignored: offer 1 was made to ana (retried)');
  expect((await listEvents(db, leadId)).filter((e) => e.kind === 'ignored-signal')).toEqual([
    expect.objectContaining({
      key: 'ignored-signal:1',
      summary: 'accept from ben ignored: offer 1 was made to ana',
      decision: 'ignored-signal',
    }),
  ]);
});
