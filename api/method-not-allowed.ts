// A path the API serves, asked with a method it does not serve there: 405 with `Allow`, not 404. Fastify's router
// only says "no route"; this table of every registered route (method and path pattern) says which methods the path
// does have.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface RouteTable {
  /** The methods some route serves at this path (query left out), sorted; empty for a path no route serves. */
  allowedMethods(url: string): string[];
  /**
   * The methods of the routes written exactly as this path, without parameters (`/v1/leads/partner`), sorted. Such a
   * path names its own resource: a parametric route (`GET /v1/leads/:id`) must not answer for it.
   */
  literalMethods(url: string): string[];
}

/**
 * Call before any route is registered: it records each one as it is added, and answers 405 for a literal path
 * that a parametric route of another method would otherwise take (`GET /v1/leads/partner` is not a lead id).
 */
export function recordRoutes(app: FastifyInstance): RouteTable {
  const routes: Array<{ method: string; pattern: RegExp; literal: boolean }> = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const url = route.url ?? route.path;
    const pattern = patternOf(url);
    const literal = !url.includes(':') && !url.includes('*');
    for (const method of methods) routes.push({ method: method.toUpperCase(), pattern, literal });
  });
  const methodsOf = (url: string, literalOnly: boolean) => {
    const path = url.split('?')[0] ?? '';
    const matching = routes.filter((r) => (!literalOnly || r.literal) && r.pattern.test(path));
    return [...new Set(matching.map((r) => r.method))].sort();
  };
  const table: RouteTable = {
    allowedMethods: (url) => methodsOf(url, false),
    literalMethods: (url) => methodsOf(url, true),
  };
  app.addHook('onRequest', async (request, reply) => {
    const matched = request.routeOptions.url;
    if (!matched?.includes(':')) return;
    const literal = table.literalMethods(request.url);
    if (literal.length && !literal.includes(request.method)) methodNotAllowed(request, reply, literal);
  });
  return table;
}

/** Answers 405 naming the methods the path has, in `Allow` and in the error shape. */
export function methodNotAllowed(request: FastifyRequest, reply: FastifyReply, allowed: string[]): FastifyReply {
  const path = request.url.split('?')[0] ?? '';
  const message = `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`;
  return reply
    .code(405)
    .header('allow', allowed.join(', '))
    .send({ error: message, issues: [{ field: 'method', message }] });
}

/** `/v1/leads/:id` → `^/v1/leads/[^/]+$`; `/links/*` → `^/links/.*$`. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
