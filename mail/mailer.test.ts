// sendOnce against a real outbox: each email leaves at most once per (lead, offer, kind, round), whatever retries or
// overlapping attempts, and every attempt learns the one moment the mail server took it.
import type { Pool } from 'pg';
import { insertLead } from '../db/leads';
import { claimEmail } from '../db/outbox';
import { createPool, withTransaction } from '../db/pool';
import { normaliseWebForm } from '../src/intake/normalise';
import { WebFormSchema } from '../src/intake/schemas';
import type { EmailContent } from '../src/notifications';
import { copyOfTemplateDatabase } from '../test/support/database';
import { sendOnce, type Mailer, type OutboxKey } from './mailer';

// The outbox holds emails about stored leads.
const storeLead = (pool: Pool, leadId: string) =>
  insertLead(pool, {
    leadId,
    lead: normaliseWebForm(WebFormSchema.parse({ name: 'Priya Shah', email: 'priya@acme.example' })),
    receivedAt: '2030-01-02T09:00:00.000Z',
  });

let db: Pool;
beforeAll(async () => {
  db = createPool(await copyOfTemplateDatabase());
  for (const leadId of ['lead1', 'lead2', 'lead3', 'lead4', 'lead5', 'lead6']) await storeLead(db, leadId);
});
afterAll(async () => {
  await db?.end();
});

type Sent = Parameters<Mailer['send']>[0];

/** A mailer that keeps what it sent; it can fail, or take its time as a slow SMTP server does. */
function recordingMailer({ fail = false, delayMs = 0 } = {}): Mailer & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async send(message) {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (fail) throw new Error('SMTP server unreachable');
      sent.push(message);
    },
  };
}

const content: EmailContent = { subject: 'New lead: Priya', text: 'Priya wants AWS', html: '<p>Priya wants AWS</p>' };
const from = 'leadrelay <leads@leadrelay.test>';
const clock = (iso: string) => () => new Date(iso);

/** Two attempts at one email at once (an attempt that overran its timeout and its retry), each with its clock. */
const sendTwiceAtOnce = (pool: Pool, mailer: Mailer, key: OutboxKey, to: string, at: [string, string]) =>
  Promise.all(at.map((iso) => sendOnce(pool, mailer, from, key, to, content, clock(iso))));

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

test('a repeated send returns the moment the server took the email the first time', async () => {
  const mailer = recordingMailer();
  const key = { leadId: 'lead4', offerNumber: 1, kind: 'offer' as const };
  const sentAt = await sendOnce(db, mailer, from, key, 'ana@leadrelay.test', content, clock('2030-01-02T09:00:05Z'));
  expect(sentAt).toEqual(new Date('2030-01-02T09:00:05Z'));
  // The retry runs a minute later: the rep was still told at the first moment, and is not told again.
  const again = await sendOnce(db, mailer, from, key, 'ana@leadrelay.test', content, clock('2030-01-02T09:01:05Z'));
  expect(again).toEqual(sentAt);
  expect(mailer.sent).toHaveLength(1);
});

test('two overlapping attempts while the mail server is slow send one email, and both learn when it left', async () => {
  const mailer = recordingMailer({ delayMs: 200 });
  const key = { leadId: 'lead5', offerNumber: 2, kind: 'offer' as const };
  const [first, second] = await sendTwiceAtOnce(db, mailer, key, 'mgr@leadrelay.test', [
    '2030-01-02T09:00:05Z',
    '2030-01-02T09:00:35Z',
  ]);
  expect(mailer.sent.map((m) => m.messageId)).toEqual(['<lead5.2.offer@leadrelay>']);
  expect(second).toEqual(first);
});

test('a mail server slower than the pool lets a transaction idle still gets its email sent once, row held', async () => {
  // The pool ends transactions idle for 200 ms; the SMTP exchange takes 800 ms with the outbox row locked.
  const strict = createPool(await copyOfTemplateDatabase(), () => {}, { idleInTransactionMs: 200 });
  try {
    await storeLead(strict, 'slow1');
    const mailer = recordingMailer({ delayMs: 800 });
    const key = { leadId: 'slow1', offerNumber: 1, kind: 'offer' as const };
    const [first, second] = await sendTwiceAtOnce(strict, mailer, key, 'ana@leadrelay.test', [
      '2030-01-02T09:00:05Z',
      '2030-01-02T09:00:06Z',
    ]);
    expect(mailer.sent.map((m) => m.messageId)).toEqual(['<slow1.1.offer@leadrelay>']);
    expect(second).toEqual(first);
  } finally {
    await strict.end();
  }
});

test('each round of a catch-all alert is an email of its own, each sent once', async () => {
  const mailer = recordingMailer();
  const round = (n: number) =>
    sendOnce(
      db,
      mailer,
      from,
      { leadId: 'lead6', offerNumber: 3, kind: 'catch-all-alert', round: n },
      'ops@leadrelay.test',
      content,
    );
  await round(1);
  await round(2);
  await round(1);
  expect(mailer.sent.map((m) => m.messageId)).toEqual([
    '<lead6.3.catch-all-alert.1@leadrelay>',
    '<lead6.3.catch-all-alert.2@leadrelay>',
  ]);
});

test('a send that failed, or left its row unsent, goes out on the retry with the same Message-ID', async () => {
  const key = { leadId: 'lead2', offerNumber: 3, kind: 'catch-all-alert' as const };
  await expect(sendOnce(db, recordingMailer({ fail: true }), from, key, 'ops@leadrelay.test', content)).rejects.toThrow(
    'SMTP server unreachable',
  );
  const mailer = recordingMailer();
  await sendOnce(db, mailer, from, key, 'ops@leadrelay.test', content);
  expect(mailer.sent.map((m) => m.messageId)).toEqual(['<lead2.3.catch-all-alert@leadrelay>']);

  // A row written but never marked sent (reserved by a worker that died before sending, before this version sent
  // under the row's lock): the email still leaves once.
  const unsent = { leadId: 'lead3', offerNumber: 1, kind: 'offer' as const };
  await withTransaction(db, (tx) =>
    claimEmail(tx, unsent, { messageId: '<lead3.1.offer@leadrelay>', recipient: 'ana@leadrelay.test', subject: 's' }),
  );
  await sendOnce(db, mailer, from, unsent, 'ana@leadrelay.test', content);
  await sendOnce(db, mailer, from, unsent, 'ana@leadrelay.test', content);
  expect(mailer.sent.map((m) => m.messageId)).toEqual([
    '<lead2.3.catch-all-alert@leadrelay>',
    '<lead3.1.offer@leadrelay>',
  ]);
});

test('an email the server took while PostgreSQL dropped the claiming transaction is recorded, not sent again', async () => {
  const key = { leadId: 'lead6', offerNumber: 1, kind: 'offer' as const };
  const sent: Sent[] = [];
  // The server takes the email while PostgreSQL ends every open transaction of this database (as a restart does).
  const droppingMailer: Mailer = {
    async send(message) {
      await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`,
      );
      sent.push(message);
    },
  };
  const at = await sendOnce(
    db,
    droppingMailer,
    from,
    key,
    'ana@leadrelay.test',
    content,
    clock('2030-01-02T09:00:05.000Z'),
  );
  expect(at.toISOString()).toBe('2030-01-02T09:00:05.000Z');
  // The retry a lost transaction would once have caused finds the email sent.
  expect(await sendOnce(db, droppingMailer, from, key, 'ana@leadrelay.test', content)).toEqual(at);
  expect(sent.map((m) => m.messageId)).toEqual(['<lead6.1.offer@leadrelay>']);
});
