// The codec session: what a manager's browser holds so the Temporal Web UI can call /codec/decode for them. The Web
// UI sends no Authorization header of ours, only cookies ("Include cross-origin credentials"), so a manager signs in
// once at /codec/session with their own token and gets an HttpOnly cookie scoped to /codec. The cookie names the
// credential, not its secret: every request re-reads that credential, so revoking it ends the session.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../../db/credentials';
import type { CodecKey } from '../../codec/aes-gcm-codec';

export const sessionCookie = 'leadrelay_codec';
export const sessionHours = 8;

export interface SessionClaims {
  kind: Principal['kind'];
  /** The credential's id (the part of the token before the secret). */
  id: string;
  expiresAt: number;
}

/**
 * Signs and checks sessions with keys derived from the codec keys (HKDF, a purpose of their own): the newest signs,
 * all verify, so rotating the codec keys rotates these too.
 */
export class SessionSigner {
  private readonly keys: Buffer[];

  constructor(codecKeys: readonly CodecKey[]) {
    this.keys = codecKeys.map(({ key }) => {
      const bytes = typeof key === 'string' ? Buffer.from(key, 'hex') : Buffer.from(key);
      return Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), 'leadrelay codec session v1', 32));
    });
  }

  sign(claims: SessionClaims): string {
    const body = Buffer.from(JSON.stringify({ k: claims.kind, i: claims.id, e: claims.expiresAt })).toString(
      'base64url',
    );
    return `${body}.${mac(this.keys[0] as Buffer, body).toString('base64url')}`;
  }

  /** The claims of a good, unexpired session value, or null. */
  verify(value: string, now: number): SessionClaims | null {
    const [body, signature, ...rest] = value.split('.');
    if (!body || !signature || rest.length) return null;
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== 32) return null;
    if (!this.keys.map((key) => timingSafeEqual(given, mac(key, body))).includes(true)) return null;
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

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(`leadrelay-codec-session.${body}`).digest();
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}
