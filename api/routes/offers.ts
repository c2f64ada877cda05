// A rep's side of the API: their open offers, and accepting or declining one. The acting rep is the token's rep.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { refusalTypes } from '../../workflows/messages';
import { actingRep } from '../auth';
import { ErrorBodySchema, httpError } from '../errors';
import { readLeadRecord } from '../lead-records';
import { refusalStatus, runOfferAnswer, type OfferAction } from '../offer-answers';
import { apiSchemas, security } from '../openapi';
import type { RouteDeps } from '../route-deps';

/** `<leadId>.<offerNumber>`: the offer id every link, email and listing uses. */
export const OfferIdSchema = z
  .string()
  .regex(/^[a-f0-9]{24}\.[1-9][0-9]{0,5}$/, 'offerId must be <lead id>.<offer number>, e.g. 5f1c0a9e3b7d2c4a8e6f1b0d.1')
  .describe('`<leadId>.<offerNumber>`');

export function parseOfferId(offerId: string): { leadId: string; offerNumber: number } {
  const [leadId = '', number = ''] = offerId.split('.');
  return { leadId, offerNumber: Number(number) };
}

export function offerIdOf(leadId: string, offerNumber: number): string {
  return `${leadId}.${offerNumber}`;
}

const OfferParams = z.strictObject({ offerId: OfferIdSchema });
const AcceptBody = z.strictObject({}).optional().describe('Nothing to send: the acting rep comes from the token');
const DeclineBody = z.strictObject({
  reason: z
    .string({ message: 'reason is required to decline' })
    .trim()
    .min(1, 'reason is required to decline')
    .max(2000, 'reason is at most 2000 characters'),
});

const AcceptResultSchema = z
  .object({ leadId: z.string(), offerId: z.string(), owner: z.string(), offerNumber: z.number().int() })
  .register(apiSchemas, { id: 'AcceptResult' });
const DeclineResultSchema = z
  .object({ leadId: z.string(), offerId: z.string(), offerNumber: z.number().int() })
  .register(apiSchemas, { id: 'DeclineResult' });

const MyOfferSchema = z
  .object({
    offerId: z.string(),
    leadId: z.string(),
    offerNumber: z.number().int(),
    kind: z.string().describe('candidate, escalation or catch-all'),
    level: z.number().int(),
    offeredAt: z.string(),
    deadline: z.string().describe('Accept or decline before this; the offer then moves on'),
    lead: z.object({
      name: z.string().nullable(),
      company: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      excerpt: z.string(),
      tier: z.string().nullable(),
      score: z.number().nullable(),
      serviceLine: z.string().nullable(),
    }),
    accept: z.string().describe('POST here to accept'),
    decline: z.string().describe('POST here with { reason } to decline'),
  })
  .register(apiSchemas, { id: 'MyOffer' });

const excerptLength = 280;

export function repRoutes(app: FastifyInstance, { client, db, now }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/v1/me/offers', {
    config: { access: { reps: true } },
    schema: {
      tags: ['reps'],
      summary: 'My open offers',
      description: 'The offers waiting on the calling rep, soonest deadline first.',
      security: security.repToken,
      response: {
        200: z.object({ repId: z.string(), offers: z.array(MyOfferSchema) }),
        401: ErrorBodySchema,
        403: ErrorBodySchema,
        429: ErrorBodySchema,
      },
    },
    handler: async (request) => {
      const repId = actingRep(request);
      const { rows } = await db.query<{
        lead_id: string;
        offer_number: number;
        kind: string;
        level: number;
        offered_at: Date;
        deadline: Date;
        name: string | null;
        company: string | null;
        email: string | null;
        phone: string | null;
        message: string | null;
        tier: string | null;
        score: number | null;
        service_line: string | null;
      }>(
        `SELECT o.lead_id, o.offer_number, o.kind, o.level, o.offered_at, o.deadline,
                l.name, l.company, l.email, l.phone, l.message, l.tier, l.score, l.service_line
           FROM lead_offers o JOIN leads l ON l.id = o.lead_id
          WHERE o.status = 'open' AND $1 = ANY (o.rep_ids) AND o.deadline > $2
          ORDER BY o.deadline, o.lead_id`,
        [repId, await now()],
      );
      return {
        repId,
        offers: rows.map((r) => {
          const offerId = offerIdOf(r.lead_id, r.offer_number);
          const message = r.message ?? '';
          return {
            offerId,
            leadId: r.lead_id,
            offerNumber: r.offer_number,
            kind: r.kind,
            level: r.level,
            offeredAt: r.offered_at.toISOString(),
            deadline: r.deadline.toISOString(),
            lead: {
              name: r.name,
              company: r.company,
              email: r.email,
              phone: r.phone,
              excerpt:
                [...message].length > excerptLength ? `${[...message].slice(0, excerptLength).join('')}…` : message,
              tier: r.tier,
              score: r.score,
              serviceLine: r.service_line,
            },
            accept: `/v1/offers/${offerId}/accept`,
            decline: `/v1/offers/${offerId}/decline`,
          };
        }),
      };
    },
  });

  const refusals = {
    400: ErrorBodySchema,
    401: ErrorBodySchema,
    403: ErrorBodySchema,
    404: ErrorBodySchema,
    409: ErrorBodySchema,
    429: ErrorBodySchema,
  };

  routes.post('/v1/offers/:offerId/accept', {
    config: { access: { reps: true } },
    schema: {
      tags: ['reps'],
      summary: 'Accept an offer',
      description:
        'The calling rep takes the lead. Answers 200 once the ownership is recorded. 403 when the offer was not made to this rep, 409 when it is closed (expired, answered, or the lead moved on), 404 for an unknown offer. Retrying the same request gets the same answer.',
      security: security.repToken,
      params: OfferParams,
      body: AcceptBody,
      response: { 200: AcceptResultSchema, ...refusals },
    },
    handler: async (request) => {
      const repId = actingRep(request);
      const { leadId, offerNumber } = parseOfferId(request.params.offerId);
      const result = await answerOffer('accept', leadId, offerNumber, repId);
      return { leadId, offerId: request.params.offerId, offerNumber, owner: (result as { owner: string }).owner };
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
      response: { 200: DeclineResultSchema, ...refusals },
    },
    handler: async (request) => {
      const repId = actingRep(request);
      const { leadId, offerNumber } = parseOfferId(request.params.offerId);
      await answerOffer('decline', leadId, offerNumber, repId, request.body.reason);
      return { leadId, offerId: request.params.offerId, offerNumber };
    },
  });

  async function answerOffer(
    action: OfferAction,
    leadId: string,
    offerNumber: number,
    repId: string,
    reason?: string,
  ): Promise<unknown> {
    const outcome = await runOfferAnswer(client, { action, leadId, offerNumber, repId, reason });
    if (outcome.kind === 'answered') return outcome.result;
    if (outcome.kind === 'refused')
      throw httpError(refusalStatus[outcome.type] ?? 409, 'offerId', outcome.message, outcome.type);
    // The run has finished; Postgres knows how.
    const record = await readLeadRecord(db, leadId);
    if (!record) throw httpError(404, 'offerId', `no lead ${leadId}`, refusalTypes.unknownOffer);
    const offer = record.offers.find((o) => o.offerNumber === offerNumber);
    const offered = offer?.repIds.includes(repId) === true || record.owner === repId;
    if (!offered)
      throw httpError(
        403,
        'offerId',
        `offer ${offerNumber} of lead ${leadId} was not made to ${repId}`,
        refusalTypes.notOffered,
      );
    // A retry of an answer that was given before the lead closed gets that answer again, not a refusal.
    if (offer?.answeredBy === repId && offer.outcome === (action === 'accept' ? 'accepted' : 'declined')) {
      return action === 'accept' ? { leadId, owner: repId, offerNumber } : { leadId, offerNumber };
    }
    throw httpError(
      409,
      'offerId',
      `lead ${leadId} is closed (${record.status}${record.owner ? `, owned by ${record.owner}` : ''})`,
      'LeadClosed',
    );
  }

  done();
}
