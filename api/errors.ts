// One error shape for every 4xx the API gives: `{ error, issues: [{ field, message }], reason? }`, naming the field.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiSchemas } from './openapi';
import { methodNotAllowed, type RouteTable } from './method-not-allowed';

export const FieldIssueSchema = z
  .object({
    field: z
      .string()
      .describe('The offending field: a dotted body path (`leads.3.email`), a header, a path parameter, or `body`'),
    message: z.string(),
    line: z.number().int().optional().describe('For YAML uploads: the line of the offending node'),
    column: z.number().int().optional(),
  })
  .register(apiSchemas, { id: 'FieldIssue' });
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

export const ErrorBodySchema = z
  .object({
    error: z.string().describe('What went wrong, in one line'),
    issues: z.array(FieldIssueSchema).describe('One entry per offending field'),
    reason: z
      .string()
      .optional()
      .describe('A machine-readable refusal type, e.g. `StaleOffer`, `NotOfferedToRep`, `LeadClosed`'),
  })
  .register(apiSchemas, { id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Thrown by handlers and hooks; the error handler turns it into the error shape with its status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues: FieldIssue[],
    readonly reason?: string,
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: this.message, issues: this.issues, ...(this.reason ? { reason: this.reason } : {}) };
  }
}

/** A refusal about one field: the common case. */
export function httpError(statusCode: number, field: string, message: string, reason?: string): HttpError {
  return new HttpError(statusCode, message, [{ field, message }], reason);
}

/** A dotted field path; an empty key (JSON allows one) is written `""` so the field is still named. */
function dotted(path: ReadonlyArray<string | number>): string {
  return path.map((p) => (p === '' ? '""' : String(p))).join('.');
}

/** zod issues as field issues; `prefix` places them inside a larger body (e.g. `leads.3`). */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[], prefix: Array<string | number> = []): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p.description) : p))];
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: dotted([...path, key]), message: `unknown field ${key || '""'}` }));
    return [{ field: dotted(path) || 'body', message: issue.message }];
  });
}

export function badRequest(issues: FieldIssue[]): HttpError {
  return new HttpError(400, `invalid ${[...new Set(issues.map((i) => i.field))].join(', ')}`, issues);
}

/** Header names as people write them, so `idempotency-key` is reported as `Idempotency-Key`. */
function headerName(lowercase: string): string {
  return lowercase.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}

interface ValidationEntry {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Fastify's schema validation failures (from the zod validator compiler) as field issues. */
function validationIssues(context: string | undefined, entries: ValidationEntry[]): FieldIssue[] {
  const root = context === 'body' ? 'body' : context === 'querystring' ? 'query' : (context ?? 'request');
  return entries.flatMap((entry): FieldIssue[] => {
    // instancePath is "/" + the zod path joined by "/": "/" alone is the root, "//x" has an empty key first.
    const path = entry.instancePath === '/' ? [] : entry.instancePath.slice(1).split('/');
    const name = (segments: string[]) => {
      if (segments.length === 0) return root;
      return context === 'headers' ? headerName(segments.join('.')) : dotted(segments);
    };
    if (entry.keyword === 'unrecognized_keys' && Array.isArray(entry.params.keys)) {
      return (entry.params.keys as string[]).map((key) => ({
        field: name([...path, key]),
        message: `unknown field ${key || '""'}`,
      }));
    }
    return [{ field: name(path), message: entry.message ?? 'invalid' }];
  });
}

const parserErrors: Record<string, { status: number; field: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, field: 'body', message: 'body is larger than this route accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, field: 'content-type', message: 'send application/json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    field: 'body',
    message: 'content-type is application/json but the body is empty',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, field: 'body', message: 'body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    field: 'content-length',
    message: 'content-length does not match the body',
  },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, field: 'content-type', message: 'content-type must be a string' },
};

export function registerErrorHandling(app: FastifyInstance, routes?: RouteTable): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    // A method no route declares is 405 even when its request is refused before the not-found handler runs (a QUERY
    // without a content type fails in the body parser).
    const allowed = request.is404 ? (routes?.allowedMethods(request.url) ?? []) : [];
    if (allowed.length) return methodNotAllowed(request, reply, allowed);
    if (err instanceof HttpError) return reply.code(err.statusCode).send(err.body());
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = validationIssues(err.validationContext, err.validation);
      return reply.code(400).send(badRequest(issues).body());
    }
    const parser = err.code ? parserErrors[err.code] : undefined;
    if (parser) {
      const message =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? `body is larger than ${Math.round((request.routeOptions.bodyLimit ?? 0) / 1024)} KiB`
          : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
            ? err.message
            : parser.message;
      return reply.code(parser.status).send({ error: message, issues: [{ field: parser.field, message }] });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // JSON.parse's SyntaxError and other client errors fastify raises before our code runs.
      const field = err instanceof SyntaxError ? 'body' : 'request';
      return reply.code(err.statusCode).send({ error: err.message, issues: [{ field, message: err.message }] });
    }
    const down = unavailableDependency(err);
    if (down) {
      request.log.warn({ err }, `${down} unavailable`);
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({
          error: `${down} is unavailable for a moment; nothing was half-done: send the same request again`,
          issues: [],
        });
    }
    request.log.error(err);
    return reply.code(500).send({ error: 'internal error', issues: [] });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = routes?.allowedMethods(path) ?? [];
    if (allowed.length) return methodNotAllowed(request, reply, allowed);
    const message = `no route ${request.method} ${path}`;
    return reply.code(404).send({ error: message, issues: [{ field: 'url', message }] });
  });
}

// gRPC UNAVAILABLE and DEADLINE_EXCEEDED; PostgreSQL shutting down, starting up, or not answering.
const grpcOutages = new Set([14, 4]);
const postgresOutages = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const socketOutages = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOENT']);

/**
 * Which service a request failed on because it is down or restarting (the Temporal frontend, PostgreSQL), so the
 * answer is 503 and the caller retries, instead of a 500 that reads as a bug.
 */
export function unavailableDependency(err: unknown): 'Temporal' | 'PostgreSQL' | null {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'number' && grpcOutages.has(code)) return 'Temporal';
    if (name === 'ServiceError' && typeof message === 'string' && /unavailable|deadline/i.test(message))
      return 'Temporal';
    if (typeof code === 'string' && (postgresOutages.has(code) || socketOutages.has(code))) return 'PostgreSQL';
    if (
      typeof message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|terminating connection|not queryable|the database system is (starting up|shutting down)/.test(
        message,
      )
    )
      return 'PostgreSQL';
  }
  return null;
}
