// Intake: submitting leads as a web form, a chat transcript or a partner batch. Each accepted submission is
// normalised (src/intake) and becomes a lead workflow `lead:<id>`, or joins the running lead of the same person.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { normaliseChat, normaliseWebForm } from '../../src/intake/normalise';
import {
  ChatTranscriptSchema,
  maxPartnerBatch,
  PartnerBatchSchema,
  parsePartnerBatch,
  WebFormSchema,
} from '../../src/intake/schemas';
import { bodyLimits } from '../body-limits';
import { badRequest, issuesFromZod } from '../errors';
import { security } from '../openapi';
import type { RouteDeps } from '../route-deps';
import { locationOf, submitAsClient, submitPartnerBatch } from './intake';
import {
  IntakeHeaders,
  intakeErrors,
  PartnerBatchResultSchema,
  PartnerRefusedSchema,
  SourcedWebFormSchema,
  submittedResponses,
} from './intake-schemas';
import type { SubmitLeadResult } from './submit-lead';

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
      const key = request.headers['idempotency-key'];
      return answer(reply, await submitAsClient(deps, request.principal, lead, key, await now()));
    },
  });

  routes.post('/v1/leads/chat', {
    config: intakeAccess,
    // A transcript of up to 1000 lines does not fit the 64 KiB of a single lead.
    bodyLimit: bodyLimits.batch,
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
      const key = request.headers['idempotency-key'];
      return answer(reply, await submitAsClient(deps, request.principal, normalised.lead, key, await now()));
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
      const { status, body } = await submitPartnerBatch(
        { ...deps, taskQueue: deps.bulkTaskQueue },
        request.principal,
        batch.items,
        await now(),
      );
      return reply.code(status).send(body);
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
      const lead = { ...normaliseWebForm(form.data), source };
      const key = request.headers['idempotency-key'];
      return answer(reply, await submitAsClient(deps, request.principal, lead, key, await now()));
    },
  });

  done();
}

function answer(reply: FastifyReply, result: SubmitLeadResult) {
  return reply
    .code(result.duplicate ? 200 : 202)
    .header('location', locationOf(result.leadId))
    .send({ leadId: result.leadId, duplicate: result.duplicate, merged: result.merged });
}
