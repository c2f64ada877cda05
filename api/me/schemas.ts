// The answer of a rep's own offers list.
import { z } from 'zod';
import { ErrorBodySchema } from '../errors';
import { apiSchemas } from '../openapi';

export const MyOfferSchema = z
  .object({
    offerId: z.string(),
    leadId: z.string(),
    offerNumber: z.number().int(),
    kind: z.string().describe('candidate, escalation or catch-all'),
    level: z.number().int(),
    offeredAt: z.string(),
    deadline: z
      .string()
      .nullable()
      .describe(
        'Accept or decline before this; the offer then moves on. Null for the catch-all queue (open until claimed) and while the offer email is on its way',
      ),
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
export type MyOffer = z.infer<typeof MyOfferSchema>;

export const MyOffersSchema = z.object({ repId: z.string(), offers: z.array(MyOfferSchema) });

export const myOffersErrors = { 401: ErrorBodySchema, 403: ErrorBodySchema, 429: ErrorBodySchema };
