// Uses of single-use offer links (offer_link_uses), keyed by the SHA-256 of the token: the token is a bearer
// credential until it expires, so it is never stored. links/offer-links.ts signs, verifies and consumes them.
import type { Pool, PoolClient } from 'pg';

export interface LinkUse {
  usedAt: Date;
  outcome: string;
}

export interface StoredLinkUse extends LinkUse {
  leadId: string;
  offerNumber: number;
  repId: string;
  action: 'accept' | 'decline';
}

/**
 * Claims the link's one use with the outcome `in-progress`, in one statement of its own (no transaction is held
 * while the answer is given); false when it is taken. A claim still `in-progress` from before `abandonedBefore` was
 * left by a process that died mid-answer: it is taken over (the answer's update id makes giving it again harmless).
 */
export async function claimLinkUse(
  db: Pool | PoolClient,
  use: {
    tokenHash: string;
    leadId: string;
    offerNumber: number;
    repId: string;
    action: 'accept' | 'decline';
    at: Date;
  },
  abandonedBefore: Date | null = null,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO offer_link_uses (token_hash, lead_id, offer_number, rep_id, action, used_at, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, 'in-progress')
     ON CONFLICT (token_hash) DO UPDATE SET used_at = EXCLUDED.used_at
      WHERE offer_link_uses.outcome = 'in-progress' AND offer_link_uses.used_at < $7::timestamptz`,
    [use.tokenHash, use.leadId, use.offerNumber, use.repId, use.action, use.at, abandonedBefore],
  );
  return rowCount === 1;
}

/** Gives a claimed use back when its answer could not be given (Temporal unreachable): the link works again. */
export async function releaseLinkUse(db: Pool | PoolClient, tokenHash: string): Promise<void> {
  await db.query(`DELETE FROM offer_link_uses WHERE token_hash = $1 AND outcome = 'in-progress'`, [tokenHash]);
}

/** accepted, declined, or the refusal (StaleOffer, LeadClosed, ...) the workflow answered with. */
export async function setLinkUseOutcome(db: Pool | PoolClient, tokenHash: string, outcome: string): Promise<void> {
  await db.query('UPDATE offer_link_uses SET outcome = $2 WHERE token_hash = $1', [tokenHash, outcome]);
}

export async function readLinkUse(db: Pool | PoolClient, tokenHash: string): Promise<StoredLinkUse | null> {
  const { rows } = await db.query<{
    lead_id: string;
    offer_number: number;
    rep_id: string;
    action: 'accept' | 'decline';
    used_at: Date;
    outcome: string;
  }>('SELECT lead_id, offer_number, rep_id, action, used_at, outcome FROM offer_link_uses WHERE token_hash = $1', [
    tokenHash,
  ]);
  const row = rows[0];
  return row
    ? {
        leadId: row.lead_id,
        offerNumber: row.offer_number,
        repId: row.rep_id,
        action: row.action,
        usedAt: row.used_at,
        outcome: row.outcome,
      }
    : null;
}
