// The outbox (outbound_emails): one row per email leadrelay means to send, keyed by (lead, offer, kind), marked
// sent once the SMTP server took it. mail/mailer.ts's sendOnce is its one user.
import type { Pool, PoolClient } from 'pg';

export interface OutboxKey {
  leadId: string;
  offerNumber: number;
  /** An escalation is the offer made to a manager, so it shares the offer's kind. */
  kind: 'offer' | 'reminder' | 'catch-all-alert';
}

/** Writes the email's row unless it is there already; the first row's Message-ID and recipient stay. */
export async function reserveEmail(
  db: Pool | PoolClient,
  key: OutboxKey,
  email: { messageId: string; recipient: string; subject: string },
): Promise<void> {
  await db.query(
    `INSERT INTO outbound_emails (lead_id, offer_number, kind, message_id, recipient, subject)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (lead_id, offer_number, kind) DO NOTHING`,
    [key.leadId, key.offerNumber, key.kind, email.messageId, email.recipient, email.subject],
  );
}

/** Whether the email was sent; false too when it was never reserved. */
export async function wasEmailSent(db: Pool | PoolClient, key: OutboxKey): Promise<boolean> {
  const { rows } = await db.query<{ sent_at: Date | null }>(
    'SELECT sent_at FROM outbound_emails WHERE lead_id = $1 AND offer_number = $2 AND kind = $3',
    [key.leadId, key.offerNumber, key.kind],
  );
  return Boolean(rows[0]?.sent_at);
}

export async function markEmailSent(db: Pool | PoolClient, key: OutboxKey): Promise<void> {
  await db.query('UPDATE outbound_emails SET sent_at = now() WHERE lead_id = $1 AND offer_number = $2 AND kind = $3', [
    key.leadId,
    key.offerNumber,
    key.kind,
  ]);
}
