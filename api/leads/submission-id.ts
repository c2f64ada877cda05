// Submission ids: derived from the sender's own identity for a lead when it has one, so a retried or repeated
// submission finds the same lead. A new lead's id is its first submission's id.
import { createHash, randomUUID } from 'node:crypto';

export interface SubmissionIdentity {
  source: string;
  /** The sender's own id for the lead (partners always have one; forms may). */
  externalId?: string | null | undefined;
  /** The Idempotency-Key header: makes one HTTP submission safe to retry. */
  idempotencyKey?: string | undefined;
  /**
   * The API key that submitted it. Identities are scoped to the client, as idempotency keys usually are: two
   * partners who both number their leads from 1, or two forms that both send `form-123`, are not the same lead.
   */
  clientId: string;
}

/** 24 hex characters. externalId wins over the Idempotency-Key; with neither, every submission is new. */
export function deriveSubmissionId({ source, externalId, idempotencyKey, clientId }: SubmissionIdentity): string {
  const identity = externalId
    ? `external:${clientId}:${source}:${externalId}`
    : idempotencyKey
      ? `idempotency-key:${clientId}:${idempotencyKey}`
      : undefined;
  if (!identity) return randomUUID().replaceAll('-', '').slice(0, 24);
  return createHash('sha256').update(identity).digest('hex').slice(0, 24);
}
