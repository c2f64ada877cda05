// A rep's own side of the API: the offers waiting on the calling rep.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actingRep } from '../auth';
import { security } from '../openapi';
import type { RouteDeps } from '../route-deps';
import { listMyOffers } from './my-offers';
import { myOffersErrors, MyOffersSchema } from './schemas';

export function meRoutes(app: FastifyInstance, { db, now }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/v1/me/offers', {
    config: { access: { reps: true } },
    schema: {
      tags: ['reps'],
      summary: 'My open offers',
      description: 'The offers waiting on the calling rep, soonest deadline first.',
      security: security.repToken,
      response: { 200: MyOffersSchema, ...myOffersErrors },
    },
    handler: async (request) => listMyOffers(db, actingRep(request), await now()),
  });

  done();
}
