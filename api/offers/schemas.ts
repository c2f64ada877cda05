// Requests and answers of the offer routes (accept, decline).
import { z } from 'zod';
import { ErrorBodySchema } from '../errors';
import { apiSchemas } from '../openapi';
import { OfferIdSchema } from './offer-id';

export const OfferParams = z.strictObject({ offerId: OfferIdSchema });

/** The route declares `bodyOptional`: a missing or empty body arrives here as `{}`. */
export const AcceptBody = z
  .strictObject({})
  .optional()
  .describe('Nothing to send: the acting rep comes from the token');

export const DeclineBody = z.strictObject({
  reason: z
    .string({ message: 'reason is required to decline' })
    .trim()
    .min(1, 'reason is required to decline')
    .max(2000, 'reason is at most 2000 characters')
    .meta({ pattern: '\\S', description: 'Why, in words: not blank' }),
});

export const AcceptResultSchema = z
  .object({ leadId: z.string(), offerId: z.string(), owner: z.string(), offerNumber: z.number().int() })
  .register(apiSchemas, { id: 'AcceptResult' });

export const DeclineResultSchema = z
  .object({ leadId: z.string(), offerId: z.string(), offerNumber: z.number().int() })
  .register(apiSchemas, { id: 'DeclineResult' });

export const answerRefusals = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  429: ErrorBodySchema,
  503: ErrorBodySchema,
};
