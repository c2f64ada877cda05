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
 * Claims the link's one use with the outcome `in-progress`; false when it was claimed before. Inside a
 * transaction a concurrent claim of the same token waits for it to end, then finds the row.
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
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO offer_link_uses (token_hash, lead_id, offer_number, rep_id, action, used_at, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, 'in-progress') ON CONFLICT (token_hash) DO NOTHING`,
    [use.tokenHash, use.leadId, use.offerNumber, use.repId, use.action, use.at],
  );
  return rowCount === 1;
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
