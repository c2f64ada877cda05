// A path the API serves, asked with a method it does not serve there: 405 with `Allow`, not 404. Fastify's router
// only says "no route"; this table of every registered route (method and path pattern) says which methods the path
// does have.
import type { FastifyInstance } from 'fastify';

export interface RouteTable {
  /** The methods some route serves at this path (query left out), sorted; empty for a path no route serves. */
  allowedMethods(url: string): string[];
}

/** Call before any route is registered: it records each one as it is added. */
export function recordRoutes(app: FastifyInstance): RouteTable {
  const routes: Array<{ method: string; pattern: RegExp }> = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const pattern = patternOf(route.url ?? route.path);
    for (const method of methods) routes.push({ method: method.toUpperCase(), pattern });
  });
  return {
    allowedMethods(url) {
      const path = url.split('?')[0] ?? '';
      return [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
    },
  };
}

/** `/v1/leads/:id` → `^/v1/leads/[^/]+$`; `/links/*` → `^/links/.*$`. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
