// Intake: submitting leads as a web form, a chat transcript or a partner batch. Each accepted submission is
// normalised (src/intake) and becomes a lead workflow `lead:<id>`, or joins the running lead of the same person.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChatTranscriptSchema,
  PartnerBatchSchema,
  parsePartnerBatch,
  WebFormSchema,
  maxPartnerBatch,
} from '../../src/intake/schemas';
import { normaliseChat, normalisePartnerLead, normaliseWebForm } from '../../src/intake/normalise';
import type { NormalisedLead } from '../../src/intake/normalised-lead';
import { leadSources } from '../../src/lead-submission';
import { submitLead, type SubmitLeadResult } from '../submit-lead';
import { badRequest, ErrorBodySchema, FieldIssueSchema, HttpError, issuesFromZod, type FieldIssue } from '../errors';
import { deriveSubmissionId } from '../lead-id';
import { apiSchemas, security } from '../openapi';
import type { RouteDeps } from '../route-deps';
import { bodyLimits } from '../body-limits';

const IntakeHeaders = z.looseObject({
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

const PartnerItemResultSchema = z
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

const PartnerBatchResultSchema = z
  .object({ accepted: z.number().int(), refused: z.number().int(), results: z.array(PartnerItemResultSchema) })
  .register(apiSchemas, { id: 'PartnerBatchResult' });

const PartnerRefusedSchema = ErrorBodySchema.extend({
  results: z
    .array(PartnerItemResultSchema)
    .optional()
    .describe('Present when the envelope was fine but every lead was refused'),
});

/**
 * POST /v1/leads: a web form with, optionally, the source it came from (the route's original shape, name + email +
 * source, is one such form). The shape is checked here; the web form's own rules (a way to reach the person) after.
 */
const SourcedWebFormSchema = z.strictObject({
  ...WebFormSchema.shape,
  source: z.enum(leadSources, { message: `source must be one of ${leadSources.join(', ')}` }).default('web-form'),
});

const intakeErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  413: ErrorBodySchema,
  415: ErrorBodySchema,
  429: ErrorBodySchema,
};
const submittedResponses = { 200: SubmittedSchema, 202: SubmittedSchema, ...intakeErrors };
const intakeAccess = { access: { keys: ['leads:write' as const] } };

export function intakeRoutes(app: FastifyInstance, deps: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { now } = deps;

  routes.post('/v1/leads/web-form', {
    config: intakeAccess,
    schema: {
      tags: ['intake'],
      summary: 'Submit a web form',
      description:
        'Often half-filled: everything is optional except a way to reach the person (email or phone). 202 with `Location` and the lead id for a new lead (or a submission merged into the running lead of the same person); 200 with the same lead id when this Idempotency-Key or externalId was seen before.',
      security: security.apiKey,
      headers: IntakeHeaders,
      body: WebFormSchema,
      response: submittedResponses,
    },
    handler: async (request, reply) => {
      const lead = normaliseWebForm(request.body);
      return answer(reply, await submit(request, lead, request.headers['idempotency-key'], await now()));
    },
  });

  routes.post('/v1/leads/chat', {
    config: intakeAccess,
    schema: {
      tags: ['intake'],
      summary: 'Submit a chat transcript',
      description:
        "The visitor's contact details are read from the visitor block or, failing that, from what they wrote; a chat with no email or phone anywhere is refused with an issue on `transcript`. Answers as the web form.",
      security: security.apiKey,
      headers: IntakeHeaders,
      body: ChatTranscriptSchema,
      response: submittedResponses,
    },
    handler: async (request, reply) => {
      const normalised = normaliseChat(request.body);
      if (!normalised.ok) throw badRequest(normalised.issues);
      return answer(reply, await submit(request, normalised.lead, request.headers['idempotency-key'], await now()));
    },
  });

  routes.post('/v1/leads/partner', {
    config: { access: { keys: ['partner' as const] } },
    bodyLimit: bodyLimits.batch,
    schema: {
      tags: ['intake'],
      summary: `Submit a partner batch (1 to ${maxPartnerBatch} leads)`,
      description: [
        "Each lead needs the partner's `externalId` (its identity: resubmitting it answers with the same lead, so a whole batch is safe to retry) and an email or phone.",
        "Each lead is validated on its own, so one bad lead does not sink the batch: `results[i]` carries that lead's status (202 accepted, 200 seen before, 400 refused) with its lead id and location, or its own field issues (`leads.3.email`).",
        'The answer is 202 when at least one lead was accepted or seen before, and 400 (with the same `results`) when none was. A malformed envelope (no `leads` list) is a plain 400.',
      ].join('\n\n'),
      security: security.apiKey,
      body: PartnerBatchSchema,
      response: { 202: PartnerBatchResultSchema, ...intakeErrors, 400: PartnerRefusedSchema },
    },
    handler: async (request, reply) => {
      const batch = parsePartnerBatch(request.body);
      if (!batch.ok) throw badRequest(batch.issues);
      const receivedAt = await now();
      const results: Array<z.infer<typeof PartnerItemResultSchema>> = [];
      // One at a time: submissions of the same person in one batch must see each other to merge.
      for (const item of batch.items) {
        if (!item.ok) {
          results.push({ index: item.index, status: 400, issues: item.issues });
          continue;
        }
        const result = await submit(request, normalisePartnerLead(item.lead), undefined, receivedAt);
        results.push({
          index: item.index,
          status: result.duplicate ? 200 : 202,
          leadId: result.leadId,
          location: locationOf(result.leadId),
          duplicate: result.duplicate,
          merged: result.merged,
        });
      }
      const refused = results.filter((r) => r.status === 400);
      const accepted = results.length - refused.length;
      if (accepted === 0) {
        const issues = refused.flatMap((r) => r.issues ?? []);
        return reply.code(400).send({
          error: `no lead in the batch was accepted: ${issues.map((i) => i.field).join(', ')}`,
          issues,
          results,
        });
      }
      return reply.code(202).send({ accepted, refused: refused.length, results });
    },
  });

  routes.post('/v1/leads', {
    config: intakeAccess,
    schema: {
      tags: ['intake'],
      summary: 'Submit a lead (alias of the web form, with a source)',
      description:
        'The first intake route, kept for existing integrations: a web form (POST /v1/leads/web-form) plus an optional `source` (`web-form`, `chat`, `partner-api`; default `web-form`). Answers the same way.',
      security: security.apiKey,
      headers: IntakeHeaders,
      body: SourcedWebFormSchema,
      response: submittedResponses,
    },
    handler: async (request, reply) => {
      const { source, ...fields } = request.body;
      const form = WebFormSchema.safeParse(fields);
      if (!form.success) throw badRequest(issuesFromZod(form.error.issues));
      const lead: NormalisedLead = { ...normaliseWebForm(form.data), source };
      return answer(reply, await submit(request, lead, request.headers['idempotency-key'], await now()));
    },
  });

  async function submit(
    request: FastifyRequest,
    lead: NormalisedLead,
    idempotencyKey: string | undefined,
    receivedAt: Date,
  ): Promise<SubmitLeadResult> {
    const principal = request.principal;
    if (principal?.kind !== 'api-key')
      throw new HttpError(403, 'intake needs an API key', [
        { field: 'Authorization', message: 'intake needs an API key' } satisfies FieldIssue,
      ]);
    const submissionId = deriveSubmissionId({
      source: lead.source,
      externalId: lead.externalId,
      idempotencyKey,
      clientId: principal.keyId,
    });
    return submitLead(deps, { submissionId, lead, receivedAt });
  }

  done();
}

function locationOf(leadId: string): string {
  return `/v1/leads/${leadId}`;
}

function answer(reply: FastifyReply, result: SubmitLeadResult) {
  return reply
    .code(result.duplicate ? 200 : 202)
    .header('location', locationOf(result.leadId))
    .send({ leadId: result.leadId, duplicate: result.duplicate, merged: result.merged });
}
