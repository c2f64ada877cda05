// Admin: the sales directory. Reps and teams are created, updated and deactivated here, validated by the same
// RepSchema/TeamSchema as the directory file, plus the checks that need the rest of the directory (team exists,
// backup rep exists). Reps and teams are never deleted: leads, offers and contacts keep referring to them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  insertRep,
  insertTeam,
  listReps,
  listTeams,
  readRep,
  readTeam,
  setTeamActive,
  writeRep,
  writeTeam,
  type StoredRep,
  type StoredTeam,
} from '../../db/directory';
import { loadActivePolicy } from '../../db/policies';
import { withTransaction } from '../../db/pool';
import { OutOfOfficeSchema, RepSchema, TeamSchema, type Rep, type Team } from '../../src/directory-file';
import { badRequest, ErrorBodySchema, httpError, issuesFromZod, type FieldIssue } from '../errors';
import { apiSchemas, security } from '../openapi';
import type { RouteDeps } from '../route-deps';

const IdParams = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'id must be lowercase letters, digits and dashes'),
});

/**
 * A PATCH body: the entry's fields, each optional and without its default, so a field left out keeps its stored
 * value instead of being reset. The merged entry is then validated whole.
 */
function patchOf<T extends z.ZodObject>(schema: T) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape)
      .filter(([key]) => key !== 'id')
      .map(([key, field]) => [
        key,
        (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional(),
      ]),
  );
  return z.strictObject(shape);
}

const RepPatch = patchOf(RepSchema).describe("Any of the rep's fields; those left out keep their value");
const TeamPatch = patchOf(TeamSchema).describe("Any of the team's fields; those left out keep their value");

const StoredRepSchema = z
  .object({
    rep: z.record(z.string(), z.unknown()).describe('The rep as validated by RepSchema, defaults filled in'),
    updatedAt: z.string(),
  })
  .register(apiSchemas, { id: 'StoredRep' });
const StoredTeamSchema = z
  .object({
    team: z.record(z.string(), z.unknown()).describe('The team as validated by TeamSchema, defaults filled in'),
    active: z.boolean(),
    updatedAt: z.string(),
  })
  .register(apiSchemas, { id: 'StoredTeam' });

const adminErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  429: ErrorBodySchema,
};
const admin = { access: { keys: ['admin' as const] } };

function definedFields(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

export function adminDirectoryRoutes(app: FastifyInstance, { db }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const meta = (summary: string, description?: string) => ({
    tags: ['admin'],
    summary,
    ...(description ? { description } : {}),
    security: security.apiKey,
  });

  // ── Teams ─────────────────────────────────────────────────────────────────────────────────
  routes.get('/v1/admin/teams', {
    config: admin,
    schema: {
      ...meta('List teams'),
      response: { 200: z.object({ teams: z.array(StoredTeamSchema) }), ...adminErrors },
    },
    handler: async () => ({ teams: await listTeams(db) }),
  });

  routes.get('/v1/admin/teams/:id', {
    config: admin,
    schema: { ...meta('A team'), params: IdParams, response: { 200: StoredTeamSchema, ...adminErrors } },
    handler: async (request) => (await readTeam(db, request.params.id)) ?? notFound('team', request.params.id),
  });

  routes.post('/v1/admin/teams', {
    config: admin,
    schema: {
      ...meta('Create a team', 'Validated by TeamSchema; every escalation rep must exist. 409 when the id is taken.'),
      body: TeamSchema,
      response: { 201: StoredTeamSchema, ...adminErrors },
    },
    handler: async (request, reply) => {
      const team = request.body;
      const stored = await withTransaction(db, async (tx) => {
        await checkTeamReferences(tx, team);
        if (!(await insertTeam(tx, team)))
          throw httpError(409, 'id', `team ${team.id} exists; PATCH /v1/admin/teams/${team.id} to change it`);
        return readTeam(tx, team.id);
      });
      return reply
        .code(201)
        .header('location', `/v1/admin/teams/${team.id}`)
        .send(stored as StoredTeam);
    },
  });

  routes.patch('/v1/admin/teams/:id', {
    config: admin,
    schema: {
      ...meta('Update a team'),
      params: IdParams,
      body: TeamPatch,
      response: { 200: StoredTeamSchema, ...adminErrors },
    },
    handler: async (request) => {
      const id = request.params.id;
      return withTransaction(db, async (tx) => {
        const current = await readTeam(tx, id, { lock: true });
        if (!current) return notFound('team', id);
        const merged = TeamSchema.safeParse({ ...current.team, ...definedFields(request.body) });
        if (!merged.success) throw badRequest(issuesFromZod(merged.error.issues));
        await checkTeamReferences(tx, merged.data);
        await writeTeam(tx, merged.data);
        // writeTeam reactivates; a PATCH keeps the team's active flag as it was.
        if (!current.active) await setTeamActive(tx, id, false);
        return (await readTeam(tx, id)) as StoredTeam;
      });
    },
  });

  routes.post('/v1/admin/teams/:id/deactivate', {
    config: admin,
    schema: {
      ...meta(
        'Deactivate a team',
        'A deactivated team takes no leads. Refused (409) while the team has active reps or the active routing policy sends leads to it.',
      ),
      params: IdParams,
      response: { 200: StoredTeamSchema, ...adminErrors },
    },
    handler: async (request) => {
      const id = request.params.id;
      return withTransaction(db, async (tx) => {
        const current = await readTeam(tx, id, { lock: true });
        if (!current) return notFound('team', id);
        const reps = await listReps(tx, { teamId: id, active: true });
        if (reps.length)
          throw httpError(
            409,
            'id',
            `team ${id} still has active reps (${reps.map((r) => r.rep.id).join(', ')}): move or deactivate them first`,
          );
        const active = await loadActivePolicy(tx);
        const routed = active
          ? [
              ...active.policy.rules.filter((r) => r.team === id).map((r) => `rule "${r.name}"`),
              ...(active.policy.default?.team === id ? ['the default route'] : []),
            ]
          : [];
        if (routed.length)
          throw httpError(
            409,
            'id',
            `the active routing policy (version ${active?.version}) sends leads to team ${id} (${routed.join(', ')}): activate a policy without it first`,
          );
        await setTeamActive(tx, id, false);
        return (await readTeam(tx, id)) as StoredTeam;
      });
    },
  });

  routes.post('/v1/admin/teams/:id/activate', {
    config: admin,
    schema: { ...meta('Reactivate a team'), params: IdParams, response: { 200: StoredTeamSchema, ...adminErrors } },
    handler: async (request) => {
      const id = request.params.id;
      if (!(await readTeam(db, id))) return notFound('team', id);
      await setTeamActive(db, id, true);
      return (await readTeam(db, id)) as StoredTeam;
    },
  });

  // ── Reps ──────────────────────────────────────────────────────────────────────────────────
  routes.get('/v1/admin/reps', {
    config: admin,
    schema: {
      ...meta('List reps'),
      querystring: z.strictObject({
        teamId: z.string().max(63).optional(),
        active: z.enum(['true', 'false'], { message: 'active is true or false' }).optional(),
      }),
      response: { 200: z.object({ reps: z.array(StoredRepSchema) }), ...adminErrors },
    },
    handler: async (request) => ({
      reps: await listReps(db, {
        teamId: request.query.teamId,
        active: request.query.active === undefined ? undefined : request.query.active === 'true',
      }),
    }),
  });

  routes.get('/v1/admin/reps/:id', {
    config: admin,
    schema: { ...meta('A rep'), params: IdParams, response: { 200: StoredRepSchema, ...adminErrors } },
    handler: async (request) => (await readRep(db, request.params.id)) ?? notFound('rep', request.params.id),
  });

  routes.post('/v1/admin/reps', {
    config: admin,
    schema: {
      ...meta(
        'Create a rep',
        'Validated by RepSchema (time zone, working hours, holidays, out-of-office windows, capacity, weight); the team and any backup rep must exist. 409 when the id is taken.',
      ),
      body: RepSchema,
      response: { 201: StoredRepSchema, ...adminErrors },
    },
    handler: async (request, reply) => {
      const rep = request.body;
      const stored = await withTransaction(db, async (tx) => {
        await checkRepReferences(tx, rep);
        if (!(await insertRep(tx, rep)))
          throw httpError(409, 'id', `rep ${rep.id} exists; PATCH /v1/admin/reps/${rep.id} to change them`);
        return readRep(tx, rep.id);
      });
      return reply
        .code(201)
        .header('location', `/v1/admin/reps/${rep.id}`)
        .send(stored as StoredRep);
    },
  });

  routes.patch('/v1/admin/reps/:id', {
    config: admin,
    schema: {
      ...meta(
        'Update a rep',
        'Any field: team, away toggle, time zone, working hours, holidays, out-of-office windows (the whole list), capacity, weight, active.',
      ),
      params: IdParams,
      body: RepPatch,
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) => updateRep(request.params.id, (rep) => ({ ...rep, ...definedFields(request.body) })),
  });

  routes.post('/v1/admin/reps/:id/deactivate', {
    config: admin,
    schema: {
      ...meta(
        'Deactivate a rep',
        'The rep is offered no more leads and their tokens stop working. Offers already open run to their deadline.',
      ),
      params: IdParams,
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) => updateRep(request.params.id, (rep) => ({ ...rep, active: false })),
  });

  routes.post('/v1/admin/reps/:id/activate', {
    config: admin,
    schema: { ...meta('Reactivate a rep'), params: IdParams, response: { 200: StoredRepSchema, ...adminErrors } },
    handler: async (request) => updateRep(request.params.id, (rep) => ({ ...rep, active: true })),
  });

  routes.put('/v1/admin/reps/:id/away', {
    config: admin,
    schema: {
      ...meta('Set the away toggle'),
      params: IdParams,
      body: z.strictObject({ away: z.boolean({ message: 'away is true or false' }) }),
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) => updateRep(request.params.id, (rep) => ({ ...rep, away: request.body.away })),
  });

  routes.post('/v1/admin/reps/:id/out-of-office', {
    config: admin,
    schema: {
      ...meta(
        'Add an out-of-office window',
        "From/until are dates (whole days in the rep's time zone) or instants; the backup rep takes this rep's place in candidate lists meanwhile.",
      ),
      params: IdParams,
      body: OutOfOfficeSchema,
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) =>
      updateRep(request.params.id, (rep) => ({ ...rep, outOfOffice: [...rep.outOfOffice, request.body] })),
  });

  routes.delete('/v1/admin/reps/:id/out-of-office/:index', {
    config: admin,
    schema: {
      ...meta('Remove an out-of-office window'),
      params: IdParams.extend({
        index: z.string().regex(/^\d{1,3}$/, "index is the window's position in outOfOffice, from 0"),
      }),
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) => {
      const index = Number(request.params.index);
      return updateRep(request.params.id, (rep) => {
        if (index >= rep.outOfOffice.length)
          throw httpError(
            404,
            'index',
            `rep ${rep.id} has ${rep.outOfOffice.length} out-of-office window(s); no window ${index}`,
          );
        return { ...rep, outOfOffice: rep.outOfOffice.filter((_w, i) => i !== index) };
      });
    },
  });

  /** Read, change, validate whole, check references, write: in one transaction with the row locked. */
  async function updateRep(id: string, change: (rep: Rep) => Record<string, unknown>): Promise<StoredRep> {
    return withTransaction(db, async (tx) => {
      const current = await readRep(tx, id, { lock: true });
      if (!current) return notFound('rep', id);
      const merged = RepSchema.safeParse(change(current.rep));
      if (!merged.success) throw badRequest(issuesFromZod(merged.error.issues));
      await checkRepReferences(tx, merged.data);
      await writeRep(tx, merged.data);
      return (await readRep(tx, id)) as StoredRep;
    });
  }

  done();
}

function notFound(kind: 'rep' | 'team', id: string): never {
  throw httpError(404, 'id', `no ${kind} ${id}`);
}

type Queryable = Parameters<typeof readRep>[0];

async function checkTeamReferences(db: Queryable, team: Team): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const [i, level] of team.escalation.entries()) {
    if (!(await readRep(db, level.repId)))
      issues.push({ field: `escalation.${i}.repId`, message: `no rep ${level.repId}` });
  }
  if (issues.length) throw badRequest(issues);
}

async function checkRepReferences(db: Queryable, rep: Rep): Promise<void> {
  const issues: FieldIssue[] = [];
  const team = await readTeam(db, rep.teamId);
  if (!team) issues.push({ field: 'teamId', message: `no team ${rep.teamId}` });
  else if (!team.active && rep.active) issues.push({ field: 'teamId', message: `team ${rep.teamId} is deactivated` });
  for (const [i, window] of rep.outOfOffice.entries()) {
    if (!window.backupRepId) continue;
    if (window.backupRepId === rep.id)
      issues.push({ field: `outOfOffice.${i}.backupRepId`, message: 'a rep cannot be their own backup' });
    else if (!(await readRep(db, window.backupRepId)))
      issues.push({ field: `outOfOffice.${i}.backupRepId`, message: `no rep ${window.backupRepId}` });
  }
  if (issues.length) throw badRequest(issues);
}
