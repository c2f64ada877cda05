// API keys (intake, partner and admin clients) and rep tokens: minted once, stored only as a hash, looked up by id.
//
// A token is `<kind>_<id>.<secret>`: `lrk_` for API keys, `lrr_` for rep tokens; the id is public and lets us find
// the row without scanning, the secret is 32 random bytes (base64url). At rest we keep sha256(secret). Why not
// bcrypt/scrypt: those slow hashes protect low-entropy human passwords from offline guessing; a 256-bit random
// secret cannot be guessed however fast the hash is, so a slow hash would only burn CPU on every request (and hand
// an attacker a cheap way to load the API). The comparison is constant-time all the same.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { prepared } from './pool';

export const apiScopes = ['leads:write', 'leads:read', 'outcomes:write', 'partner', 'admin'] as const;
export type ApiScope = (typeof apiScopes)[number];

export type Principal =
  | { kind: 'api-key'; keyId: string; name: string; scopes: ApiScope[] }
  | { kind: 'rep'; tokenId: string; repId: string };

export class CredentialError extends Error {}

const tokenPattern = /^(lrk|lrr)_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
const prefixes = { 'api-key': 'lrk', rep: 'lrr' } as const;

function mintToken(kind: keyof typeof prefixes): { id: string; token: string; secretHash: Buffer } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${prefixes[kind]}_${id}.${secret}`, secretHash: hashSecret(secret) };
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Scopes as written by an operator; an unknown one is an error naming it. */
export function parseScopes(scopes: readonly string[]): ApiScope[] {
  if (scopes.length === 0) throw new CredentialError(`an API key needs at least one scope (${apiScopes.join(', ')})`);
  const unknown = scopes.filter((s) => !(apiScopes as readonly string[]).includes(s));
  if (unknown.length)
    throw new CredentialError(
      `unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: use ${apiScopes.join(', ')}`,
    );
  return [...new Set(scopes as ApiScope[])];
}

/** Creates an API key; the returned token is the only copy of the secret. */
export async function createApiKey(
  db: Pool,
  { name, scopes }: { name: string; scopes: readonly string[] },
): Promise<{ keyId: string; token: string; scopes: ApiScope[] }> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100)
    throw new CredentialError('name: give the key a name of 1 to 100 characters (who uses it)');
  const valid = parseScopes(scopes);
  const { id, token, secretHash } = mintToken('api-key');
  await db.query('INSERT INTO api_keys (id, name, scopes, secret_sha256) VALUES ($1, $2, $3, $4)', [
    id,
    trimmed,
    valid,
    secretHash,
  ]);
  return { keyId: id, token, scopes: valid };
}

/** Creates a token for a rep of the directory; the returned token is the only copy of the secret. */
export async function createRepToken(
  db: Pool,
  repId: string,
): Promise<{ tokenId: string; token: string; repId: string }> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM reps WHERE id = $1', [repId]);
  if (!rows[0]) throw new CredentialError(`rep: no rep ${repId} in the directory`);
  const { id, token, secretHash } = mintToken('rep');
  await db.query('INSERT INTO rep_tokens (id, rep_id, secret_sha256) VALUES ($1, $2, $3)', [id, repId, secretHash]);
  return { tokenId: id, token, repId };
}

/** Revokes an API key or rep token by its id (the part after the prefix). Returns whether one was revoked. */
export async function revokeCredential(db: Pool, id: string): Promise<boolean> {
  const keys = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  const reps = await db.query('UPDATE rep_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  return (keys.rowCount ?? 0) + (reps.rowCount ?? 0) > 0;
}

export interface CredentialListing {
  id: string;
  kind: 'api-key' | 'rep';
  name: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

export async function listCredentials(db: Pool): Promise<CredentialListing[]> {
  const { rows } = await db.query<{
    id: string;
    kind: 'api-key' | 'rep';
    name: string;
    scopes: string[];
    created_at: Date;
    revoked_at: Date | null;
  }>(
    `SELECT id, 'api-key' AS kind, name, scopes, created_at, revoked_at FROM api_keys
     UNION ALL SELECT id, 'rep' AS kind, rep_id AS name, '{}'::text[] AS scopes, created_at, revoked_at FROM rep_tokens
     ORDER BY created_at, id`,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    scopes: r.scopes,
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

// Compared against when the id is unknown, so a miss costs the same hashing and comparison as a hit.
const absentHash = Buffer.alloc(32);

/**
 * The principal a bearer token stands for, or null for a malformed, unknown, revoked or wrong token. A rep
 * token stops working when the rep is deactivated.
 */
// Every request runs one of these.
const apiKeyStatement = prepared(
  'credentials.api-key',
  'SELECT name, scopes, secret_sha256 FROM api_keys WHERE id = $1 AND revoked_at IS NULL',
);
const repTokenStatement = prepared(
  'credentials.rep-token',
  `SELECT t.rep_id, t.secret_sha256 FROM rep_tokens t JOIN reps r ON r.id = t.rep_id WHERE t.id = $1 AND t.revoked_at IS NULL AND r.active`,
);

export async function verifyToken(db: Pool, token: string): Promise<Principal | null> {
  const match = tokenPattern.exec(token);
  if (!match) return null;
  const [, prefix, id, secret] = match as unknown as [string, 'lrk' | 'lrr', string, string];
  const presented = hashSecret(secret);
  if (prefix === 'lrk') {
    const { rows } = await db.query<{ name: string; scopes: ApiScope[]; secret_sha256: Buffer }>(apiKeyStatement([id]));
    const row = rows[0];
    const equal = timingSafeEqual(presented, row?.secret_sha256 ?? absentHash);
    return row && equal ? { kind: 'api-key', keyId: id, name: row.name, scopes: row.scopes } : null;
  }
  const { rows } = await db.query<{ rep_id: string; secret_sha256: Buffer }>(repTokenStatement([id]));
  const row = rows[0];
  const equal = timingSafeEqual(presented, row?.secret_sha256 ?? absentHash);
  return row && equal ? { kind: 'rep', tokenId: id, repId: row.rep_id } : null;
}

/**
 * The principal a credential id stands for while it is still valid (not revoked; a rep token's rep still active), or
 * null. For sessions that carry the id of the credential they were opened with, so revoking it ends them too.
 */
export async function readCredential(db: Pool, kind: Principal['kind'], id: string): Promise<Principal | null> {
  if (kind === 'api-key') {
    const { rows } = await db.query<{ name: string; scopes: ApiScope[] }>(
      'SELECT name, scopes FROM api_keys WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    const row = rows[0];
    return row ? { kind: 'api-key', keyId: id, name: row.name, scopes: row.scopes } : null;
  }
  const { rows } = await db.query<{ rep_id: string }>(
    'SELECT t.rep_id FROM rep_tokens t JOIN reps r ON r.id = t.rep_id WHERE t.id = $1 AND t.revoked_at IS NULL AND r.active',
    [id],
  );
  const row = rows[0];
  return row ? { kind: 'rep', tokenId: id, repId: row.rep_id } : null;
}

/** What a principal is called in logs and rate-limit buckets: per key, and per rep across their tokens. */
export function principalKey(principal: Principal): string {
  return principal.kind === 'api-key' ? `key:${principal.keyId}` : `rep:${principal.repId}`;
}

export function hasScope(principal: Principal, scope: ApiScope): boolean {
  // admin may do anything an API key may do; reps have no scopes, their rights come from their offers.
  return principal.kind === 'api-key' && (principal.scopes.includes(scope) || principal.scopes.includes('admin'));
}
