// Admin: the routing policy's life. Upload YAML (validated, errors with line numbers) -> a draft version;
// simulate it against the last leads; activate it (the previous active version is retired, and can be reactivated).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Pool } from 'pg';
import { loadDirectory } from '../../db/directory';
import {
  activatePolicy,
  draftPolicy,
  InvalidPolicyError,
  listPolicies,
  PolicyNotFoundError,
  readParsedPolicy,
  readPolicy,
} from '../../db/policies';
import type { PolicyError } from '../../src/policy/parse-policy';
import { simulateRouting, type SimulatedLead } from '../../src/routing/simulation';
import type { Tier, Urgency } from '../../src/qualification';
import { ErrorBodySchema, HttpError, httpError } from '../errors';
import { apiSchemas, security } from '../openapi';
import type { RouteDeps } from '../route-deps';

export const policyBodyLimit = 256 * 1024;

const VersionParams = z.strictObject({
  version: z.string().regex(/^[1-9][0-9]{0,8}$/, 'version is a policy version number'),
});

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

const SimulationSchema = z
  .object({
    version: z.number().int(),
    leads: z.number().int().describe('How many past leads were replayed'),
    routed: z.number().int(),
    unrouted: z.number().int().describe('Leads the policy has no route for (no rule matched and no default)'),
    changed: z
      .number()
      .int()
      .describe('Leads whose team or first offered rep would differ from what actually happened'),
    firstOffers: z.record(z.string(), z.number().int()).describe('Rep id -> first offers under this policy'),
    teams: z.array(
      z.object({
        teamId: z.string(),
        leads: z.number().int(),
        spread: z.number().describe("Most minus fewest first offers among the team's active reps"),
        weightedSpread: z.number(),
        reps: z.array(z.object({ repId: z.string(), weight: z.number(), firstOffers: z.number().int() })),
      }),
    ),
    decisions: z.array(
      z.object({
        leadId: z.string(),
        at: z.string(),
        actual: z.object({ teamId: z.string().nullable(), firstRepId: z.string().nullable() }),
        simulated: z.object({
          teamId: z.string().nullable(),
          rule: z.string().nullable(),
          firstRepId: z.string().nullable(),
          candidates: z.array(z.string()),
          sla: z.string().nullable(),
          error: z.string().optional(),
        }),
        changed: z.boolean(),
      }),
    ),
  })
  .register(apiSchemas, { id: 'PolicySimulation' });

const adminErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  413: ErrorBodySchema,
  415: ErrorBodySchema,
  429: ErrorBodySchema,
};
const admin = { access: { keys: ['admin' as const] } };

/** A policy's mistakes as field issues: the field is `yaml`, each issue carries its line and column. */
export function policyIssues(status: number, summary: string, errors: PolicyError[]): HttpError {
  return new HttpError(
    status,
    summary,
    errors.map((e) => ({
      field: 'yaml',
      line: e.line,
      column: e.column,
      message: `line ${e.line}, column ${e.column}${e.path ? ` (${e.path})` : ''}: ${e.message}`,
    })),
    'InvalidPolicy',
  );
}

export function adminPolicyRoutes(app: FastifyInstance, { db, now }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  // `curl --data-binary @policy.yaml -H 'content-type: application/yaml'` works as well as JSON `{ "yaml": "..." }`.
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string', bodyLimit: policyBodyLimit },
    (_request, body, parsed) => parsed(null, { yaml: body }),
  );

  routes.post('/v1/admin/policies', {
    config: admin,
    bodyLimit: policyBodyLimit,
    schema: {
      tags: ['admin'],
      summary: 'Upload a routing policy (draft)',
      description:
        'The YAML is validated against the policy schema and the current teams; mistakes come back as 400 issues with `line` and `column`. A valid policy becomes a new draft version: simulate it, then activate it. Send JSON `{ "yaml": "..." }` or the file itself as `application/yaml`.',
      security: security.apiKey,
      body: z.strictObject({
        yaml: z.string({ message: 'yaml is the policy text' }).min(1, 'yaml is empty').max(policyBodyLimit),
      }),
      response: { 201: PolicySchema, ...adminErrors },
    },
    handler: async (request, reply) => {
      const principal = request.principal;
      const result = await draftPolicy(db, request.body.yaml, {
        uploadedBy: principal?.kind === 'api-key' ? `${principal.name} (${principal.keyId})` : null,
      });
      if (!result.ok)
        throw policyIssues(
          400,
          `the policy has ${result.errors.length} error${result.errors.length > 1 ? 's' : ''}`,
          result.errors,
        );
      return reply.code(201).header('location', `/v1/admin/policies/${result.policy.version}`).send(result.policy);
    },
  });

  routes.get('/v1/admin/policies', {
    config: admin,
    schema: {
      tags: ['admin'],
      summary: 'List policy versions',
      security: security.apiKey,
      response: { 200: z.object({ policies: z.array(PolicySchema) }), ...adminErrors },
    },
    handler: async () => ({ policies: await listPolicies(db) }),
  });

  routes.get('/v1/admin/policies/:version', {
    config: admin,
    schema: {
      tags: ['admin'],
      summary: 'A policy version with its YAML',
      security: security.apiKey,
      params: VersionParams,
      response: { 200: PolicySchema.extend({ yaml: z.string() }), ...adminErrors },
    },
    handler: async (request) =>
      (await readPolicy(db, Number(request.params.version))) ?? policyNotFound(request.params.version),
  });

  routes.post('/v1/admin/policies/:version/simulate', {
    config: admin,
    schema: {
      tags: ['admin'],
      summary: 'Simulate a policy version against the last leads',
      description:
        'Replays the last `leads` leads (spam excluded) through this version, each at the instant it arrived, against the directory as it is now, from a fresh fairness ledger and with no offers open beforehand. Nothing is stored. Shows where each lead would go, whether that differs from what happened, and the first offers per rep.',
      security: security.apiKey,
      params: VersionParams,
      body: z
        .strictObject({
          leads: z.number().int().min(1, 'leads is at least 1').max(1000, 'leads is at most 1000').default(200),
        })
        .optional(),
      response: { 200: SimulationSchema, ...adminErrors },
    },
    handler: async (request) => {
      const version = Number(request.params.version);
      const limit = request.body?.leads ?? 200;
      let policy;
      try {
        policy = (await readParsedPolicy(db, version)).policy;
      } catch (err) {
        if (err instanceof PolicyNotFoundError) return policyNotFound(request.params.version);
        if (err instanceof InvalidPolicyError) throw policyIssues(409, err.message, err.errors);
        throw err;
      }
      const past = await readPastLeads(db, limit);
      const result = simulateRouting({
        policy,
        policyVersion: version,
        directory: await loadDirectory(db),
        leads: past.map((p) => p.simulated),
      });
      const actualById = new Map(past.map((p) => [p.simulated.id, p.actual]));
      const decisions = result.decisions.map((d) => {
        const actual = actualById.get(d.id) ?? { teamId: null, firstRepId: null };
        const simulated = d.ok
          ? {
              teamId: d.plan.teamId,
              rule: d.plan.explanation.rule,
              firstRepId: d.firstRepId,
              candidates: d.plan.explanation.candidates,
              sla: d.plan.explanation.sla.text,
            }
          : { teamId: null, rule: null, firstRepId: null, candidates: [], sla: null, error: d.error };
        return {
          leadId: d.id,
          at: new Date(d.at).toISOString(),
          actual,
          simulated,
          changed: actual.teamId !== simulated.teamId || actual.firstRepId !== simulated.firstRepId,
        };
      });
      return {
        version,
        leads: decisions.length,
        routed: decisions.filter((d) => d.simulated.teamId !== null).length,
        unrouted: decisions.filter((d) => d.simulated.teamId === null).length,
        changed: decisions.filter((d) => d.changed).length,
        firstOffers: result.firstOffers,
        teams: result.teams.map((t) => ({
          teamId: t.teamId,
          leads: t.leads,
          spread: t.spread,
          weightedSpread: t.weightedSpread,
          reps: t.reps,
        })),
        decisions,
      };
    },
  });

  routes.post('/v1/admin/policies/:version/activate', {
    config: admin,
    schema: {
      tags: ['admin'],
      summary: 'Activate a policy version',
      description:
        'Routing uses it from the next lead on; the previously active version is retired (and may be activated again to roll back). Revalidated against the teams as they are now: 409 with line numbers when it no longer fits.',
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

/** The last leads that were qualified (spam left out), as routing saw them, and what actually happened to them. */
async function readPastLeads(
  db: Pool,
  limit: number,
): Promise<Array<{ simulated: SimulatedLead; actual: { teamId: string | null; firstRepId: string | null } }>> {
  const { rows } = await db.query<{
    id: string;
    received_at: Date;
    region: string | null;
    country: string | null;
    service_line: string;
    urgency: Urgency;
    tier: Tier;
    source: string;
    company_size: string | null;
    contact_owner: string | null;
    account_owner: string | null;
    team_id: string | null;
    first_rep: string | null;
  }>(
    `SELECT l.id, l.received_at, l.region, l.country, l.service_line, l.urgency, l.tier, l.source,
            l.normalised ->> 'companySize' AS company_size,
            c.owner_rep_id AS contact_owner, a.owner_rep_id AS account_owner, l.team_id,
            (SELECT o.rep_ids[1] FROM lead_offers o WHERE o.lead_id = l.id AND o.kind = 'candidate' ORDER BY o.offer_number LIMIT 1) AS first_rep
       FROM leads l
       LEFT JOIN contacts c ON c.id = l.contact_id
       LEFT JOIN accounts a ON a.id = l.account_id
      WHERE l.tier IS NOT NULL AND l.service_line IS NOT NULL AND l.urgency IS NOT NULL AND l.status <> 'rejected-spam'
      ORDER BY l.received_at DESC, l.id
      LIMIT $1`,
    [limit],
  );
  return rows.reverse().map((r) => ({
    simulated: {
      id: r.id,
      receivedAt: r.received_at.getTime(),
      lead: {
        region: r.region,
        country: r.country,
        serviceLine: r.service_line,
        urgency: r.urgency,
        tier: r.tier,
        source: r.source,
        companySize: r.company_size === null ? null : Number(r.company_size),
        contactOwnerRepId: r.contact_owner,
        accountOwnerRepId: r.account_owner,
      },
    },
    actual: { teamId: r.team_id, firstRepId: r.first_rep },
  }));
}

function policyNotFound(version: string): never {
  throw httpError(404, 'version', `no policy version ${version}`);
}
