// Admin: the directory's teams. Created, updated, deactivated and reactivated here, validated by the same TeamSchema
// as the directory file; never deleted, since leads and offers keep referring to them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listTeams, readTeam } from '../../../db/directory';
import { TeamSchema } from '../../../src/directory-file';
import type { RouteDeps } from '../../route-deps';
import { notFound } from '../directory-references';
import { adminAccess, adminDocs, adminErrors, IdParams } from '../schemas';
import { StoredTeamSchema, TeamPatch, TeamsSchema } from './schemas';
import { activateTeam, createTeam, deactivateTeam, updateTeam } from './team-changes';

export function adminTeamRoutes(app: FastifyInstance, { db }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/v1/admin/teams', {
    config: adminAccess,
    schema: { ...adminDocs('List teams'), response: { 200: TeamsSchema, ...adminErrors } },
    handler: async () => ({ teams: await listTeams(db) }),
  });

  routes.get('/v1/admin/teams/:id', {
    config: adminAccess,
    schema: { ...adminDocs('A team'), params: IdParams, response: { 200: StoredTeamSchema, ...adminErrors } },
    handler: async (request) => (await readTeam(db, request.params.id)) ?? notFound('team', request.params.id),
  });

  routes.post('/v1/admin/teams', {
    config: adminAccess,
    schema: {
      ...adminDocs(
        'Create a team',
        'Validated by TeamSchema; every escalation rep must exist. 409 when the id is taken.',
      ),
      body: TeamSchema,
      response: { 201: StoredTeamSchema, ...adminErrors },
    },
    handler: async (request, reply) => {
      const stored = await createTeam(db, request.body);
      return reply.code(201).header('location', `/v1/admin/teams/${request.body.id}`).send(stored);
    },
  });

  routes.patch('/v1/admin/teams/:id', {
    config: adminAccess,
    schema: {
      ...adminDocs('Update a team'),
      params: IdParams,
      body: TeamPatch,
      response: { 200: StoredTeamSchema, ...adminErrors },
    },
    handler: async (request) => updateTeam(db, request.params.id, request.body),
  });

  routes.post('/v1/admin/teams/:id/deactivate', {
    config: adminAccess,
    schema: {
      ...adminDocs(
        'Deactivate a team',
        'A deactivated team takes no leads. Refused (409) while the team has active reps or the active routing policy sends leads to it.',
      ),
      params: IdParams,
      response: { 200: StoredTeamSchema, ...adminErrors },
    },
    handler: async (request) => deactivateTeam(db, request.params.id),
  });

  routes.post('/v1/admin/teams/:id/activate', {
    config: adminAccess,
    schema: {
      ...adminDocs('Reactivate a team'),
      params: IdParams,
      response: { 200: StoredTeamSchema, ...adminErrors },
    },
    handler: async (request) => activateTeam(db, request.params.id),
  });

  done();
}
