// Sends each email at most once per (lead, offer, kind), across activity retries and worker restarts.
import type { Pool } from 'pg';
import nodemailer from 'nodemailer';
import type { EmailContent } from '../src/notifications';
import { claimEmail, markEmailSent, recordEmailSent, type OutboxKey } from '../db/outbox';
import { withTransaction } from '../db/pool';

export type { OutboxKey } from '../db/outbox';

export interface Mailer {
  send(message: {
    to: string;
    subject: string;
    text: string;
    html?: string;
    messageId: string;
    from: string;
  }): Promise<void>;
}

export const smtpTimeouts = { connectMs: 10_000, greetingMs: 10_000, silenceMs: 20_000 };

export function createSmtpMailer(smtpUrl: string): Mailer & { close(): void } {
  // Pooled: a new SMTP session per email costs a handshake (and many servers hold their greeting), which the rep's
  // SLA clock would wait on. `?pool=false` in the URL turns it off.
  // Bounded waits (nodemailer's defaults are 2 minutes to connect and 10 minutes of silence): an SMTP server that
  // stops answering fails the attempt, which is retried, instead of holding the email's outbox row.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    connectionTimeout: smtpTimeouts.connectMs,
    greetingTimeout: smtpTimeouts.greetingMs,
    socketTimeout: smtpTimeouts.silenceMs,
  });
  return {
    async send(message) {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}

/**
 * The outbox row is locked while the email is handed to the SMTP server and marked sent in the same transaction, so
 * a finished send is never repeated, and an attempt that overran its timeout holds off its retry until it ends (the
 * transaction may idle that long: claimEmail allows 5 minutes, and the SMTP timeouts end a stuck send sooner). When
 * PostgreSQL goes away while the server takes the email, the send is recorded once it is back, not repeated. Only a
 * worker killed between the server's answer and the commit resends, with the same Message-ID, which mail systems
 * collapse. Returns when the server took it: the moment its reader was told (`now` on the caller's clock).
 */
export async function sendOnce(
  db: Pool,
  mailer: Mailer,
  from: string,
  key: OutboxKey,
  to: string,
  content: EmailContent,
  now: () => Date | Promise<Date> = () => new Date(),
): Promise<Date> {
  const round = key.round ? `.${key.round}` : '';
  const messageId = `<${key.leadId}.${key.offerNumber}.${key.kind}${round}@leadrelay>`;
  const email = { messageId, recipient: to, subject: content.subject };
  const sent: { at?: Date } = {};
  try {
    return await withTransaction(db, async (tx) => {
      const sentBefore = await claimEmail(tx, key, email);
      if (sentBefore) return sentBefore;
      await mailer.send({ from, to, subject: content.subject, text: content.text, html: content.html, messageId });
      sent.at = await now();
      await markEmailSent(tx, key, sent.at);
      return sent.at;
    });
  } catch (err) {
    if (!sent.at) throw err;
    // The mail server took the email, then the transaction recording it was lost (PostgreSQL stopped mid-send).
    // A retry would send it again: the send is recorded afresh instead, as soon as PostgreSQL answers.
    await recordAfterwards(db, key, email, sent.at, err);
    return sent.at;
  }
}

/** Well inside the activity's timeout, so no retry of the step starts while this one still tries to record. */
const recordForMs = 45_000;

async function recordAfterwards(
  db: Pool,
  key: OutboxKey,
  email: { messageId: string; recipient: string; subject: string },
  sentAt: Date,
  lostWith: unknown,
): Promise<void> {
  const until = Date.now() + recordForMs;
  for (;;) {
    try {
      return await recordEmailSent(db, key, email, sentAt);
    } catch {
      // Still down: an email sent twice is worse than a step that waits.
      if (Date.now() > until) throw lostWith;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
