// Requests and answers of the intake routes: a web form, a chat transcript, a partner batch.
import { z } from 'zod';
import { reachabilityRule, WebFormSchema } from '../../src/intake/schemas';
import { leadSources } from '../../src/lead-submission';
import { ErrorBodySchema, FieldIssueSchema } from '../errors';
import { apiSchemas } from '../openapi';

export const IntakeHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .trim()
    .min(1, 'Idempotency-Key must not be empty')
    .max(200, 'Idempotency-Key is at most 200 characters')
    .optional()
    .describe('Makes a retried submission safe: the same key (from the same API key) answers with the same lead'),
});

const SubmittedSchema = z
  .object({
    leadId: z.string(),
    duplicate: z
      .boolean()
      .describe(
        'true when this submission was seen before (same Idempotency-Key or external id): nothing new happened',
      ),
    merged: z.boolean().describe('true when it joined the running lead of the same person (a chat after the form)'),
  })
  .register(apiSchemas, { id: 'Submitted' });

export const PartnerItemResultSchema = z
  .object({
    index: z.number().int().describe('Position of the lead in the batch'),
    status: z.number().int().describe('202 accepted, 200 seen before (duplicate), 400 refused'),
    leadId: z.string().optional(),
    location: z.string().optional(),
    duplicate: z.boolean().optional(),
    merged: z.boolean().optional(),
    issues: z
      .array(FieldIssueSchema)
      .optional()
      .describe('For a refused lead: its own field issues, e.g. leads.3.email'),
  })
  .register(apiSchemas, { id: 'PartnerItemResult' });
export type PartnerItemResult = z.infer<typeof PartnerItemResultSchema>;

export const PartnerBatchResultSchema = z
  .object({ accepted: z.number().int(), refused: z.number().int(), results: z.array(PartnerItemResultSchema) })
  .register(apiSchemas, { id: 'PartnerBatchResult' });

export const PartnerRefusedSchema = ErrorBodySchema.extend({
  results: z
    .array(PartnerItemResultSchema)
    .optional()
    .describe('Present when the envelope was fine but every lead was refused'),
});

/**
 * POST /v1/leads: a web form with, optionally, the source it came from (the route's original shape, name + email +
 * source, is one such form). The shape is checked here; the web form's own rules (a way to reach the person) after.
 */
export const SourcedWebFormSchema = z
  .strictObject({
    ...WebFormSchema.shape,
    source: z.enum(leadSources, { message: `source must be one of ${leadSources.join(', ')}` }).default('web-form'),
  })
  .meta(reachabilityRule);

export const intakeErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  413: ErrorBodySchema,
  415: ErrorBodySchema,
  429: ErrorBodySchema,
};
export const submittedResponses = { 200: SubmittedSchema, 202: SubmittedSchema, ...intakeErrors };
