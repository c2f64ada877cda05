// Who is calling: resolves the bearer token before anything else runs, and refuses callers the route does not admit.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { hasScope, verifyToken, type ApiScope, type Principal } from '../db/credentials';
import { httpError } from './errors';

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

function accessOf(request: FastifyRequest): Access {
  const declared = request.routeOptions.config?.access;
  if (declared) return declared;
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

export function registerAuthentication(app: FastifyInstance, db: Pool): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const access = accessOf(request);
    if (access === 'public') return;
    const header = request.headers.authorization;
    if (!header)
      throw httpError(401, 'Authorization', `send Authorization: Bearer <token> (${describeAccess(access)})`);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw httpError(401, 'Authorization', 'Authorization must be "Bearer <token>"');
    const principal = await verifyToken(db, match[1]);
    if (!principal) throw httpError(401, 'Authorization', 'unknown, revoked or malformed token');
    // Admin keys pass every key-guarded route (hasScope), but not rep-only ones: those act as a rep, and a key is not one.
    const admitted =
      principal.kind === 'rep' ? access.reps === true : (access.keys ?? []).some((scope) => hasScope(principal, scope));
    if (!admitted) throw httpError(403, 'Authorization', `this route needs ${describeAccess(access)}`);
    request.principal = principal;
  });
}

/** The acting rep: always the token's, never anything the client wrote in the body. */
export function actingRep(request: FastifyRequest): string {
  if (request.principal?.kind !== 'rep') throw httpError(403, 'Authorization', 'this route needs a rep token');
  return request.principal.repId;
}
