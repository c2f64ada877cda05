// Who is calling: resolves the bearer token before anything else runs, and refuses callers the route does not admit.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { hasScope, verifyToken, type ApiScope, type Principal } from '../db/credentials';
import { HttpError, httpError } from './errors';
import type { FailedAuthLimiter } from './failed-auth-limiter';
import { readCookie, type SessionSigner } from './session';
import { readCredential } from '../db/credentials';
import type { RouteTable } from './method-not-allowed';

/**
 * Who may call a route: `public`, or API keys holding any of `keys` (admin always may) and/or rep tokens.
 * A /v1 route that forgets to say is admin-only, so a forgotten declaration fails closed.
 */
export type Access = 'public' | { keys?: ApiScope[]; reps?: boolean };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const adminOnly: Access = { keys: ['admin'] };

function accessOf(request: FastifyRequest, routes?: RouteTable): Access {
  const declared = request.routeOptions.config?.access;
  if (declared) return declared;
  // No route: a path that exists under another method is answered 405 with Allow to anyone (the methods are in the
  // public OpenAPI document anyway); an unknown /v1 path stays admin-only, so it reveals nothing to others.
  if (request.routeOptions.url === undefined && routes?.allowedMethods(request.url).length) return 'public';
  return (request.routeOptions.url ?? request.url).startsWith('/v1') ? adminOnly : 'public';
}

export function describeAccess(access: Access): string {
  if (access === 'public') return 'anyone';
  const parts = [
    ...(access.keys?.length
      ? [`an API key with scope ${[...access.keys, ...(access.keys.includes('admin') ? [] : ['admin'])].join(' or ')}`]
      : []),
    ...(access.reps ? ['a rep token'] : []),
  ];
  return parts.join(', or ');
}

export function registerAuthentication(
  app: FastifyInstance,
  db: Pool,
  limiter: FailedAuthLimiter,
  routes?: RouteTable,
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const access = accessOf(request, routes);
    if (access === 'public') return;
    request.principal = await authenticate(request, reply, db, limiter);
    // Admin keys pass every key-guarded route (hasScope), but not rep-only ones: those act as a rep, and a key is not one.
    const principal = request.principal;
    const admitted =
      principal.kind === 'rep' ? access.reps === true : (access.keys ?? []).some((scope) => hasScope(principal, scope));
    if (!admitted) {
      request.principal = null;
      throw httpError(403, 'Authorization', `this route needs ${describeAccess(access)}`);
    }
  });
}

/**
 * The bearer token's principal, or a 401; an address with too many failures is answered 429 before its token is
 * looked up. Pages that take a token in a form (the claim page, the codec session) verify it through `checkToken`.
 */
async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Pool,
  limiter: FailedAuthLimiter,
): Promise<Principal> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const outcome = await checkToken(db, limiter, request.ip, match?.[1] ?? null);
  if (outcome.ok) return outcome.principal;
  if (outcome.retryAfter) throw tooManyFailures(reply, outcome.retryAfter);
  const access = accessOf(request);
  if (!header) throw httpError(401, 'Authorization', `send Authorization: Bearer <token> (${describeAccess(access)})`);
  if (!match) throw httpError(401, 'Authorization', 'Authorization must be "Bearer <token>"');
  throw httpError(401, 'Authorization', 'unknown, revoked or malformed token');
}

/** The 429 for an address that used up its failed authentications, with Retry-After set on the reply. */
export function tooManyFailures(reply: FastifyReply, retryAfter: number): HttpError {
  void reply.header('retry-after', String(retryAfter));
  return new HttpError(
    429,
    `too many failed authentications from this address; retry in ${retryAfter} s`,
    [{ field: 'Authorization', message: 'too many unknown or malformed tokens from this address' }],
    'TooManyFailedAuthentications',
  );
}

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; retryAfter: number };

/**
 * Verifies a presented token under the failed-authentication limit of the caller's address: refused with the
 * seconds to wait before any lookup once the address has used up its failures; each failure (no token, or a
 * malformed, unknown or revoked one) is counted.
 */
export async function checkToken(
  db: Pool,
  limiter: FailedAuthLimiter,
  address: string,
  token: string | null,
): Promise<TokenCheck> {
  const wait = limiter.retryAfter(address);
  if (wait > 0) return { ok: false, retryAfter: wait };
  const principal = token ? await verifyToken(db, token) : null;
  if (principal) return { ok: true, principal };
  limiter.failed(address);
  return { ok: false, retryAfter: 0 };
}

/**
 * What a sign-in form (the claim page, the codec and dashboard sessions) answers a token that did not verify: 429,
 * with Retry-After set, once the address used up its failures; else 401.
 */
export function signInRefusal(
  reply: FastifyReply,
  check: { retryAfter: number },
): { status: 401 | 429; message: string } {
  if (!check.retryAfter) return { status: 401, message: 'That token is unknown, revoked or mistyped.' };
  void reply.header('retry-after', String(check.retryAfter));
  return { status: 429, message: `Too many failed sign-ins from this address; try again in ${check.retryAfter} s.` };
}

/**
 * The caller of a route browsers open: the bearer token when the request has an Authorization header (401, or 429
 * past the failure limit, when it does not verify), else the credential its session cookie names (re-read, so a
 * revoked one no longer counts); null when there is neither.
 */
export async function bearerOrSessionPrincipal(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { db: Pool; limiter: FailedAuthLimiter; signer: SessionSigner; cookie: string },
): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null;
    const check = await checkToken(opts.db, opts.limiter, request.ip, token);
    if (check.ok) return check.principal;
    if (check.retryAfter) throw tooManyFailures(reply, check.retryAfter);
    throw httpError(401, 'Authorization', 'unknown, revoked or malformed token');
  }
  const session = readCookie(request.headers.cookie, opts.cookie);
  const claims = session ? opts.signer.verify(session, Date.now()) : null;
  return claims ? readCredential(opts.db, claims.kind, claims.id) : null;
}

/** The acting rep: always the token's, never anything the client wrote in the body. */
export function actingRep(request: FastifyRequest): string {
  if (request.principal?.kind !== 'rep') throw httpError(403, 'Authorization', 'this route needs a rep token');
  return request.principal.repId;
}
