// The outbox (outbound_emails): one row per email leadrelay means to send, keyed by (lead, offer, kind, round),
// marked sent once the SMTP server took it. mail/mailer.ts's sendOnce is its one user.
import type { Pool, PoolClient } from 'pg';
import { prepared } from './pool';

export interface OutboxKey {
  leadId: string;
  offerNumber: number;
  /** An escalation is the offer made to a manager, so it shares the offer's kind. */
  kind: 'offer' | 'reminder' | 'catch-all-alert' | 'first-touch-nudge' | 'first-touch-manager';
  /** The catch-all queue's re-alert round; 0 for the one email of an offer or reminder. */
  round?: number;
}

const keyParams = (key: OutboxKey) => [key.leadId, key.offerNumber, key.kind, key.round ?? 0];

const claimStatement = prepared(
  'outbound-emails.claim',
  // A conflicting row is updated to itself: that locks it, as FOR UPDATE would, and returns it as it is.
  // The row stays locked while the SMTP server answers, which may outlast the pool's idle-in-transaction limit:
  // this transaction may idle for as long as a send can take (the mailer's own timeouts end it well before).
  `INSERT INTO outbound_emails (lead_id, offer_number, kind, round, message_id, recipient, subject)
   VALUES ($1, $2, $3, $4, $5, $6, $7)
   ON CONFLICT (lead_id, offer_number, kind, round) DO UPDATE SET message_id = outbound_emails.message_id
   RETURNING sent_at, set_config('idle_in_transaction_session_timeout', '5min', true)`,
);
const markSentStatement = prepared(
  'outbound-emails.mark-sent',
  'UPDATE outbound_emails SET sent_at = $5 WHERE lead_id = $1 AND offer_number = $2 AND kind = $3 AND round = $4',
);

/**
 * Writes the email's row unless it is there, and locks it until the transaction ends, in one statement: an attempt
 * that overran its timeout and the retry that followed cannot both send. Returns when it was sent, or null if not yet.
 */
export async function claimEmail(
  tx: PoolClient,
  key: OutboxKey,
  email: { messageId: string; recipient: string; subject: string },
): Promise<Date | null> {
  const { rows } = await tx.query<{ sent_at: Date | null }>(
    claimStatement([...keyParams(key), email.messageId, email.recipient, email.subject]),
  );
  return rows[0]?.sent_at ?? null;
}

export async function markEmailSent(tx: PoolClient, key: OutboxKey, sentAt: Date): Promise<void> {
  await tx.query(markSentStatement([...keyParams(key), sentAt]));
}

const recordSentStatement = prepared(
  'outbound-emails.record-sent',
  `INSERT INTO outbound_emails (lead_id, offer_number, kind, round, message_id, recipient, subject, sent_at)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
   ON CONFLICT (lead_id, offer_number, kind, round) DO UPDATE SET sent_at = coalesce(outbound_emails.sent_at, $8)`,
);

/**
 * Records a sent email outside the transaction that claimed it, for when that transaction was lost after the SMTP
 * server took the email (PostgreSQL went away mid-send). The first moment recorded stays.
 */
export async function recordEmailSent(
  db: Pool,
  key: OutboxKey,
  email: { messageId: string; recipient: string; subject: string },
  sentAt: Date,
): Promise<void> {
  await db.query(recordSentStatement([...keyParams(key), email.messageId, email.recipient, email.subject, sentAt]));
}
