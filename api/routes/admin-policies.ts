// Admin: the routing policy's life. Upload YAML (validated, errors with line numbers) -> a draft version;
// simulate it against the last leads; activate it (the previous active version is retired, and can be reactivated).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { activatePolicy, draftPolicy, InvalidPolicyError, listPolicies, PolicyNotFoundError, readPolicy } from '../../activities/policies';
import type { PolicyError } from '../../src/policy/parse-policy';
import { ErrorBodySchema, HttpError, httpError } from '../errors';
import { apiSchemas, security } from '../openapi';
import type { RouteDeps } from '../route-deps';

export const policyBodyLimit = 256 * 1024;

const VersionParams = z.strictObject({ version: z.string().regex(/^[1-9][0-9]{0,8}$/, 'version is a policy version number') });

const PolicySchema = z
  .object({
    version: z.number().int(),
    sha256: z.string(),
    status: z.enum(['draft', 'active', 'retired']),
    uploadedAt: z.string(),
    uploadedBy: z.string().nullable(),
    activatedAt: z.string().nullable(),
  })
  .register(apiSchemas, { id: 'PolicyVersion' });

const adminErrors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema, 413: ErrorBodySchema, 415: ErrorBodySchema, 429: ErrorBodySchema };
const admin = { access: { keys: ['admin' as const] } };

/** A policy's mistakes as field issues: the field is `yaml`, each issue carries its line and column. */
export function policyIssues(status: number, summary: string, errors: PolicyError[]): HttpError {
  return new HttpError(
    status,
    summary,
    errors.map((e) => ({ field: 'yaml', line: e.line, column: e.column, message: `line ${e.line}, column ${e.column}${e.path ? ` (${e.path})` : ''}: ${e.message}` })),
    'InvalidPolicy',
  );
}

export function adminPolicyRoutes(app: FastifyInstance, { db, now }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // `curl --data-binary @policy.yaml -H 'content-type: application/yaml'` works as well as JSON `{ "yaml": "..." }`.
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string', bodyLimit: policyBodyLimit }, (_request, body, parsed) => parsed(null, { yaml: body }));

  routes.post('/v1/admin/policies', {
    config: admin,
    bodyLimit: policyBodyLimit,
    schema: {
      tags: ['admin'],
      summary: 'Upload a routing policy (draft)',
      description:
        'The YAML is validated against the policy schema and the current teams; mistakes come back as 400 issues with `line` and `column`. A valid policy becomes a new draft version: simulate it, then activate it. Send JSON `{ "yaml": "..." }` or the file itself as `application/yaml`.',
      security: security.apiKey,
      body: z.strictObject({ yaml: z.string({ message: 'yaml is the policy text' }).min(1, 'yaml is empty').max(policyBodyLimit) }),
      response: { 201: PolicySchema, ...adminErrors },
    },
    handler: async (request, reply) => {
      const principal = request.principal;
      const result = await draftPolicy(db, request.body.yaml, { uploadedBy: principal?.kind === 'api-key' ? `${principal.name} (${principal.keyId})` : null });
      if (!result.ok) throw policyIssues(400, `the policy has ${result.errors.length} error${result.errors.length > 1 ? 's' : ''}`, result.errors);
      return reply.code(201).header('location', `/v1/admin/policies/${result.policy.version}`).send(result.policy);
    },
  });

  routes.get('/v1/admin/policies', {
    config: admin,
    schema: { tags: ['admin'], summary: 'List policy versions', security: security.apiKey, response: { 200: z.object({ policies: z.array(PolicySchema) }), ...adminErrors } },
    handler: async () => ({ policies: await listPolicies(db) }),
  });

  routes.get('/v1/admin/policies/:version', {
    config: admin,
    schema: { tags: ['admin'], summary: 'A policy version with its YAML', security: security.apiKey, params: VersionParams, response: { 200: PolicySchema.extend({ yaml: z.string() }), ...adminErrors } },
    handler: async (request) => (await readPolicy(db, Number(request.params.version))) ?? policyNotFound(request.params.version),
  });

  routes.post('/v1/admin/policies/:version/activate', {
    config: admin,
    schema: {
      tags: ['admin'],
      summary: 'Activate a policy version',
      description: 'Routing uses it from the next lead on; the previously active version is retired (and may be activated again to roll back). Revalidated against the teams as they are now: 409 with line numbers when it no longer fits.',
      security: security.apiKey,
      params: VersionParams,
      response: { 200: z.object({ policy: PolicySchema, previous: z.number().int().nullable() }), ...adminErrors },
    },
    handler: async (request) => {
      try {
        return await activatePolicy(db, Number(request.params.version), await now());
      } catch (err) {
        if (err instanceof PolicyNotFoundError) return policyNotFound(request.params.version);
        if (err instanceof InvalidPolicyError) throw policyIssues(409, err.message, err.errors);
        throw err;
      }
    },
  });

  done();
}

function policyNotFound(version: string): never {
  throw httpError(404, 'version', `no policy version ${version}`);
}
