// Routes that need no body (accepting an offer) declare `config: { bodyOptional: true }`: a request with no body at
// all (`curl -X POST`), or an empty one sent as application/json, is then validated as `{}`. Fastify otherwise
// hands a missing body to the validator as null, and refuses an empty JSON body before any route runs.
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The body may be left out or sent empty; it is then `{}`. The OpenAPI document marks it not required. */
    bodyOptional?: boolean;
  }
}

function bodyOptional(request: FastifyRequest): boolean {
  return request.routeOptions.config?.bodyOptional === true;
}

/** Call before registering routes: the JSON parser and the hook apply to the routes registered after them. */
export function registerOptionalBodies(app: FastifyInstance): void {
  // Fastify's own JSON parser (and its defaults against prototype poisoning), but for an empty body on such a route.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) => {
    if (body === '' && bodyOptional(request)) {
      done(null, {});
      return;
    }
    void parseJson(request, body, done);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && bodyOptional(request)) request.body = {};
    done();
  });
}
