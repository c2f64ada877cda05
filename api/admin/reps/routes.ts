// Admin: the directory's reps. Created and changed here (team, away toggle, hours, holidays, out-of-office windows,
// capacity, weight, active), validated by the same RepSchema as the directory file; never deleted.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listReps, readRep } from '../../../db/directory';
import { OutOfOfficeSchema, RepSchema } from '../../../src/directory-file';
import type { RouteDeps } from '../../route-deps';
import { notFound } from '../directory-references';
import { adminAccess, adminDocs, adminErrors, definedFields, IdParams } from '../schemas';
import { createRep, removeOutOfOffice, updateRep } from './rep-changes';
import { AwayBody, OutOfOfficeParams, RepPatch, RepsQuery, RepsSchema, StoredRepSchema } from './schemas';

export function adminRepRoutes(app: FastifyInstance, { db }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/v1/admin/reps', {
    config: adminAccess,
    schema: { ...adminDocs('List reps'), querystring: RepsQuery, response: { 200: RepsSchema, ...adminErrors } },
    handler: async (request) => ({
      reps: await listReps(db, {
        teamId: request.query.teamId,
        active: request.query.active === undefined ? undefined : request.query.active === 'true',
      }),
    }),
  });

  routes.get('/v1/admin/reps/:id', {
    config: adminAccess,
    schema: { ...adminDocs('A rep'), params: IdParams, response: { 200: StoredRepSchema, ...adminErrors } },
    handler: async (request) => (await readRep(db, request.params.id)) ?? notFound('rep', request.params.id),
  });

  routes.post('/v1/admin/reps', {
    config: adminAccess,
    schema: {
      ...adminDocs(
        'Create a rep',
        'Validated by RepSchema (time zone, working hours, holidays, out-of-office windows, capacity, weight); the team and any backup rep must exist. 409 when the id is taken.',
      ),
      body: RepSchema,
      response: { 201: StoredRepSchema, ...adminErrors },
    },
    handler: async (request, reply) => {
      const stored = await createRep(db, request.body);
      return reply.code(201).header('location', `/v1/admin/reps/${request.body.id}`).send(stored);
    },
  });

  routes.patch('/v1/admin/reps/:id', {
    config: adminAccess,
    schema: {
      ...adminDocs(
        'Update a rep',
        'Any field: team, away toggle, time zone, working hours, holidays, out-of-office windows (the whole list), capacity, weight, active.',
      ),
      params: IdParams,
      body: RepPatch,
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) => updateRep(db, request.params.id, (rep) => ({ ...rep, ...definedFields(request.body) })),
  });

  routes.post('/v1/admin/reps/:id/deactivate', {
    config: adminAccess,
    schema: {
      ...adminDocs(
        'Deactivate a rep',
        'The rep is offered no more leads and their tokens stop working. Offers already open run to their deadline.',
      ),
      params: IdParams,
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) => updateRep(db, request.params.id, (rep) => ({ ...rep, active: false })),
  });

  routes.post('/v1/admin/reps/:id/activate', {
    config: adminAccess,
    schema: { ...adminDocs('Reactivate a rep'), params: IdParams, response: { 200: StoredRepSchema, ...adminErrors } },
    handler: async (request) => updateRep(db, request.params.id, (rep) => ({ ...rep, active: true })),
  });

  routes.put('/v1/admin/reps/:id/away', {
    config: adminAccess,
    schema: {
      ...adminDocs('Set the away toggle'),
      params: IdParams,
      body: AwayBody,
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) => updateRep(db, request.params.id, (rep) => ({ ...rep, away: request.body.away })),
  });

  routes.post('/v1/admin/reps/:id/out-of-office', {
    config: adminAccess,
    schema: {
      ...adminDocs(
        'Add an out-of-office window',
        "From/until are dates (whole days in the rep's time zone) or instants; the backup rep takes this rep's place in candidate lists meanwhile.",
      ),
      params: IdParams,
      body: OutOfOfficeSchema,
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) =>
      updateRep(db, request.params.id, (rep) => ({ ...rep, outOfOffice: [...rep.outOfOffice, request.body] })),
  });

  routes.delete('/v1/admin/reps/:id/out-of-office/:index', {
    config: adminAccess,
    schema: {
      ...adminDocs('Remove an out-of-office window'),
      params: OutOfOfficeParams,
      response: { 200: StoredRepSchema, ...adminErrors },
    },
    handler: async (request) => removeOutOfOffice(db, request.params.id, Number(request.params.index)),
  });

  done();
}
