// Sends each email at most once per (lead, offer, kind), across activity retries and worker restarts.
import type { Pool } from 'pg';
import nodemailer from 'nodemailer';
import type { EmailContent } from '../src/notifications';

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

export interface OutboxKey {
  leadId: string;
  offerNumber: number;
  /** An escalation is the offer made to a manager, so it shares the offer's kind. */
  kind: 'offer' | 'reminder' | 'catch-all-alert';
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
  await db.query(
    `INSERT INTO outbound_emails (lead_id, offer_number, kind, message_id, recipient, subject)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (lead_id, offer_number, kind) DO NOTHING`,
    [key.leadId, key.offerNumber, key.kind, messageId, to, content.subject],
  );
  const { rows } = await db.query<{ sent_at: Date | null }>(
    'SELECT sent_at FROM outbound_emails WHERE lead_id = $1 AND offer_number = $2 AND kind = $3',
    [key.leadId, key.offerNumber, key.kind],
  );
  if (rows[0]?.sent_at) return;
  await mailer.send({ from, to, subject: content.subject, text: content.text, html: content.html, messageId });
  await db.query('UPDATE outbound_emails SET sent_at = now() WHERE lead_id = $1 AND offer_number = $2 AND kind = $3', [
    key.leadId,
    key.offerNumber,
    key.kind,
  ]);
}
