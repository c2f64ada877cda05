// A rep's answers to an offer: accept it (no body needed) or decline it with a reason. The acting rep is the token's.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actingRep } from '../auth';
import { security } from '../openapi';
import type { RouteDeps } from '../route-deps';
import { acceptAsRep, declineAsRep } from './answer-offer';
import { parseOfferId } from './offer-id';
import {
  AcceptBody,
  AcceptResultSchema,
  answerRefusals,
  DeclineBody,
  DeclineResultSchema,
  OfferParams,
} from './schemas';

export function offerRoutes(app: FastifyInstance, { client, db }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post('/v1/offers/:offerId/accept', {
    config: { access: { reps: true }, bodyOptional: true },
    schema: {
      tags: ['reps'],
      summary: 'Accept an offer',
      description:
        'The calling rep takes the lead. Answers 200 once the ownership is recorded. 403 when the offer was not made to this rep, 409 when it is closed (expired, answered, or the lead moved on), 404 for an unknown offer, 503 when the lead’s workflow does not take the answer within 25 s (no worker running): send it again. Retrying the same request gets the same answer.',
      security: security.repToken,
      params: OfferParams,
      body: AcceptBody,
      response: { 200: AcceptResultSchema, ...answerRefusals },
    },
    handler: async (request) => {
      const { leadId, offerNumber } = parseOfferId(request.params.offerId);
      const { owner } = await acceptAsRep({ client, db }, { leadId, offerNumber, repId: actingRep(request) });
      return { leadId, offerId: request.params.offerId, offerNumber, owner };
    },
  });

  routes.post('/v1/offers/:offerId/decline', {
    config: { access: { reps: true } },
    schema: {
      tags: ['reps'],
      summary: 'Decline an offer',
      description:
        'The calling rep passes; the next candidate is offered the lead. A reason is required. Same refusals as accept; a catch-all offer cannot be declined (claim it or leave it).',
      security: security.repToken,
      params: OfferParams,
      body: DeclineBody,
      response: { 200: DeclineResultSchema, ...answerRefusals },
    },
    handler: async (request) => {
      const { leadId, offerNumber } = parseOfferId(request.params.offerId);
      const answer = { leadId, offerNumber, repId: actingRep(request), reason: request.body.reason };
      await declineAsRep({ client, db }, answer);
      return { leadId, offerId: request.params.offerId, offerNumber };
    },
  });

  done();
}
