// Admin: the routing policy's life. Upload YAML (validated, errors with line numbers) -> a draft version;
// simulate it against the last leads; activate it (the previous active version is retired, and can be reactivated).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listPolicies } from '../../../db/policies';
import { bodyLimits } from '../../body-limits';
import { security } from '../../openapi';
import type { RouteDeps } from '../../route-deps';
import { adminAccess } from '../schemas';
import {
  activatePolicyVersion,
  endShadowPolicy,
  promoteShadowPolicy,
  readPolicyVersion,
  shadowPolicyVersion,
  simulatePolicy,
  uploadPolicy,
} from './policy-versions';
import {
  ActivationSchema,
  PoliciesSchema,
  policyErrors,
  PolicySchema,
  PolicyUpload,
  PolicyWithYamlSchema,
  ShadowEndedSchema,
  SimulationRequest,
  SimulationSchema,
  VersionParams,
} from './schemas';

export function adminPolicyRoutes(app: FastifyInstance, { db, now }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // `curl --data-binary @policy.yaml -H 'content-type: application/yaml'` works as well as JSON `{ "yaml": "..." }`.
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string', bodyLimit: bodyLimits.policy },
    (_request, body, parsed) => parsed(null, { yaml: body }),
  );

  routes.post('/v1/admin/policies', {
    config: adminAccess,
    bodyLimit: bodyLimits.policy,
    schema: {
      tags: ['admin'],
      summary: 'Upload a routing policy (draft)',
      description:
        'The YAML is validated against the policy schema and the current teams; mistakes come back as 400 issues with `line` and `column`. A valid policy becomes a new draft version: simulate it, then activate it. Send JSON `{ "yaml": "..." }` or the file itself as `application/yaml`.',
      security: security.apiKey,
      body: PolicyUpload,
      response: { 201: PolicySchema, ...policyErrors },
    },
    handler: async (request, reply) => {
      const policy = await uploadPolicy(db, request.body.yaml, request.principal);
      return reply.code(201).header('location', `/v1/admin/policies/${policy.version}`).send(policy);
    },
  });

  routes.get('/v1/admin/policies', {
    config: adminAccess,
    schema: {
      tags: ['admin'],
      summary: 'List policy versions',
      security: security.apiKey,
      response: { 200: PoliciesSchema, ...policyErrors },
    },
    handler: async () => ({ policies: await listPolicies(db) }),
  });

  routes.get('/v1/admin/policies/:version', {
    config: adminAccess,
    schema: {
      tags: ['admin'],
      summary: 'A policy version with its YAML',
      security: security.apiKey,
      params: VersionParams,
      response: { 200: PolicyWithYamlSchema, ...policyErrors },
    },
    handler: async (request) => readPolicyVersion(db, Number(request.params.version)),
  });

  routes.post('/v1/admin/policies/:version/simulate', {
    // `leads` defaults to 200: a bare POST simulates that many.
    config: { ...adminAccess, bodyOptional: true },
    schema: {
      tags: ['admin'],
      summary: 'Simulate a policy version against the last leads',
      description:
        'Replays the last `leads` leads (spam excluded) through this version, each at the instant it arrived, against the directory as it is now, from a fresh fairness ledger and with no offers open beforehand. Nothing is stored. Shows where each lead would go, whether that differs from what happened, and the first offers per rep.',
      security: security.apiKey,
      params: VersionParams,
      body: SimulationRequest,
      response: { 200: SimulationSchema, ...policyErrors },
    },
    handler: async (request) => simulatePolicy(db, Number(request.params.version), request.body?.leads ?? 200),
  });

  routes.post('/v1/admin/policies/:version/activate', {
    config: adminAccess,
    schema: {
      tags: ['admin'],
      summary: 'Activate a policy version',
      description:
        'Routing uses it from the next lead on; the previously active version is retired (and may be activated again to roll back). Revalidated against the teams as they are now: 409 with line numbers when it no longer fits.',
      security: security.apiKey,
      params: VersionParams,
      response: { 200: ActivationSchema, ...policyErrors },
    },
    handler: async (request) => activatePolicyVersion(db, Number(request.params.version), await now()),
  });

  routes.post('/v1/admin/policies/:version/shadow', {
    config: adminAccess,
    schema: {
      tags: ['admin'],
      summary: 'Run a policy version as the shadow',
      description:
        'From the next lead on, each lead is also decided by this version, from the same inputs at the same moment, and the decision stored with its explanation and propensity; no offer is made and nothing else is written. The shadow before it goes back to draft. 409 for the active version, or one that no longer fits the teams. `npx leadrelay shadow report` compares the two.',
      security: security.apiKey,
      params: VersionParams,
      response: { 200: ActivationSchema, ...policyErrors },
    },
    handler: async (request) => shadowPolicyVersion(db, Number(request.params.version), await now()),
  });

  routes.delete('/v1/admin/policies/shadow', {
    config: adminAccess,
    schema: {
      tags: ['admin'],
      summary: 'Stop the shadow policy',
      description: 'It goes back to draft; its stored decisions stay for the report.',
      security: security.apiKey,
      response: { 200: ShadowEndedSchema, ...policyErrors },
    },
    handler: async () => endShadowPolicy(db),
  });

  routes.post('/v1/admin/policies/shadow/promote', {
    config: adminAccess,
    schema: {
      tags: ['admin'],
      summary: 'Promote the shadow policy to live',
      description:
        'One step: the shadow version becomes the active one (the version before it retired, and may be activated again to roll back); the version history shows when it was shadowed and when activated. 409 when no version is the shadow.',
      security: security.apiKey,
      response: { 200: ActivationSchema, ...policyErrors },
    },
    handler: async () => promoteShadowPolicy(db, await now()),
  });

  done();
}
