// sendOnce against a real outbox: each email leaves at most once per (lead, offer, kind), whatever retries.
import type { Pool } from 'pg';
import { insertLead } from '../db/leads';
import { reserveEmail } from '../db/outbox';
import { createPool } from '../db/pool';
import { normaliseWebForm } from '../src/intake/normalise';
import { WebFormSchema } from '../src/intake/schemas';
import type { EmailContent } from '../src/notifications';
import { copyOfTemplateDatabase } from '../test/support/database';
import { sendOnce, type Mailer } from './mailer';

let db: Pool;
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  // The outbox holds emails about stored leads.
  const lead = normaliseWebForm(WebFormSchema.parse({ name: 'Priya Shah', email: 'priya@acme.example' }));
  for (const leadId of ['lead1', 'lead2', 'lead3'])
    await insertLead(db, { leadId, lead, receivedAt: '2030-01-02T09:00:00.000Z' });
});
afterAll(async () => {
  await db?.end();
});

type Sent = Parameters<Mailer['send']>[0];

function recordingMailer(fail = false): Mailer & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    send(message) {
      if (fail) return Promise.reject(new Error('SMTP server unreachable'));
      sent.push(message);
      return Promise.resolve();
    },
  };
}

const content: EmailContent = { subject: 'New lead: Priya', text: 'Priya wants AWS', html: '<p>Priya wants AWS</p>' };
const from = 'leadrelay <leads@leadrelay.test>';

test('a retried send does not send again', async () => {
  const mailer = recordingMailer();
  const key = { leadId: 'lead1', offerNumber: 1, kind: 'offer' as const };
  await sendOnce(db, mailer, from, key, 'ana@leadrelay.test', content);
  await sendOnce(db, mailer, from, key, 'ana@leadrelay.test', content);
  expect(mailer.sent).toEqual([{ from, to: 'ana@leadrelay.test', ...content, messageId: '<lead1.1.offer@leadrelay>' }]);
  // Another kind for the same offer is another email.
  await sendOnce(db, mailer, from, { ...key, kind: 'reminder' }, 'ana@leadrelay.test', content);
  expect(mailer.sent.map((m) => m.messageId)).toEqual(['<lead1.1.offer@leadrelay>', '<lead1.1.reminder@leadrelay>']);
});

test('a send that failed, or crashed before it was marked, goes out on the retry with the same Message-ID', async () => {
  const key = { leadId: 'lead2', offerNumber: 3, kind: 'catch-all-alert' as const };
  await expect(sendOnce(db, recordingMailer(true), from, key, 'ops@leadrelay.test', content)).rejects.toThrow(
    'SMTP server unreachable',
  );
  const mailer = recordingMailer();
  await sendOnce(db, mailer, from, key, 'ops@leadrelay.test', content);
  expect(mailer.sent.map((m) => m.messageId)).toEqual(['<lead2.3.catch-all-alert@leadrelay>']);

  // Reserved by a worker that died before sending: the row's recipient stays, the email still leaves once.
  const crashed = { leadId: 'lead3', offerNumber: 1, kind: 'offer' as const };
  await reserveEmail(db, crashed, {
    messageId: '<lead3.1.offer@leadrelay>',
    recipient: 'ana@leadrelay.test',
    subject: 's',
  });
  await sendOnce(db, mailer, from, crashed, 'ana@leadrelay.test', content);
  await sendOnce(db, mailer, from, crashed, 'ana@leadrelay.test', content);
  expect(mailer.sent.map((m) => m.messageId)).toEqual([
    '<lead2.3.catch-all-alert@leadrelay>',
    '<lead3.1.offer@leadrelay>',
  ]);
});
