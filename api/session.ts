// Browser sessions: what a manager's browser holds where it cannot send our Authorization header. The Temporal Web
// UI calls /codec/decode with cookies only ("Include cross-origin credentials"), and the dashboard's pages are opened
// by plain links. A manager signs in once with their own token and gets an HttpOnly cookie scoped to that path. The
// cookie names the credential, not its secret: every request re-reads that credential, so revoking it ends the session.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../db/credentials';
import type { CodecKey } from '../codec/aes-gcm-codec';

export const sessionCookie = 'leadrelay_codec';
export const sessionHours = 8;

/** What a session is for: each purpose signs with keys of its own, so a codec cookie never opens the dashboard. */
export type SessionPurpose = 'codec' | 'dashboard';

export interface SessionClaims {
  kind: Principal['kind'];
  /** The credential's id (the part of the token before the secret). */
  id: string;
  expiresAt: number;
}

/**
 * Signs and checks sessions with keys derived (HKDF, per purpose) from secrets the deployment already rotates: the
 * codec keys for the codec, the link secrets for the dashboard. The newest signs, all verify.
 */
export class SessionSigner {
  private readonly keys: Buffer[];

  constructor(
    material: readonly Uint8Array[],
    private readonly purpose: SessionPurpose,
  ) {
    if (material.length === 0) throw new RangeError('a session signer needs at least one secret');
    this.keys = material.map((bytes) =>
      Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), `leadrelay ${purpose} session v1`, 32)),
    );
  }

  static forCodec(codecKeys: readonly CodecKey[]): SessionSigner {
    const bytes = codecKeys.map(({ key }) => (typeof key === 'string' ? Buffer.from(key, 'hex') : Buffer.from(key)));
    return new SessionSigner(bytes, 'codec');
  }

  sign(claims: SessionClaims): string {
    const body = Buffer.from(JSON.stringify({ k: claims.kind, i: claims.id, e: claims.expiresAt })).toString(
      'base64url',
    );
    return `${body}.${mac(this.keys[0] as Buffer, this.purpose, body).toString('base64url')}`;
  }

  /** The claims of a good, unexpired session value, or null. */
  verify(value: string, now: number): SessionClaims | null {
    const [body, signature, ...rest] = value.split('.');
    if (!body || !signature || rest.length) return null;
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== 32) return null;
    if (!this.keys.map((key) => timingSafeEqual(given, mac(key, this.purpose, body))).includes(true)) return null;
    let raw: { k?: unknown; i?: unknown; e?: unknown };
    try {
      raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof raw;
    } catch {
      return null;
    }
    if ((raw.k !== 'api-key' && raw.k !== 'rep') || typeof raw.i !== 'string' || typeof raw.e !== 'number') return null;
    if (now >= raw.e) return null;
    return { kind: raw.k, id: raw.i, expiresAt: raw.e };
  }
}

function mac(key: Buffer, purpose: SessionPurpose, body: string): Buffer {
  return createHmac('sha256', key).update(`leadrelay-${purpose}-session.${body}`).digest();
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}
