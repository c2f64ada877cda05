// Sends each email at most once per (lead, offer, kind), across activity retries and worker restarts.
import type { Pool } from 'pg';
import nodemailer from 'nodemailer';
import type { EmailContent } from '../src/notifications';
import { markEmailSent, reserveEmail, wasEmailSent, type OutboxKey } from '../db/outbox';

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

export function createSmtpMailer(smtpUrl: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}

/**
 * The row is written before the send and marked after it. A crash between the two resends with the same
 * Message-ID, which mail systems collapse; a finished send is never repeated.
 */
export async function sendOnce(
  db: Pool,
  mailer: Mailer,
  from: string,
  key: OutboxKey,
  to: string,
  content: EmailContent,
): Promise<void> {
  const messageId = `<${key.leadId}.${key.offerNumber}.${key.kind}@leadrelay>`;
  await reserveEmail(db, key, { messageId, recipient: to, subject: content.subject });
  if (await wasEmailSent(db, key)) return;
  await mailer.send({ from, to, subject: content.subject, text: content.text, html: content.html, messageId });
  await markEmailSent(db, key);
}
