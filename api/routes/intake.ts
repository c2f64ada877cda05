// Intake: submitting leads. Each accepted submission becomes (or joins) a lead workflow `lead:<id>`.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { intakeDeadlineMs, type LeadWorkflowInput } from '../../src/lead';
import { LeadSubmissionSchema } from '../../src/lead-submission';
import type { leadWorkflow } from '../../workflows/lead';
import { searchAttributes as sa } from '../../workflows/messages';
import { ErrorBodySchema } from '../errors';
import { deriveLeadId, workflowIdFor } from '../lead-id';
import { apiSchemas, security } from '../openapi';
import type { RouteDeps } from '../route-deps';

const IntakeHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .trim()
    .min(1, 'Idempotency-Key must not be empty')
    .max(200, 'Idempotency-Key is at most 200 characters')
    .optional()
    .describe('Makes a retried submission safe: the same key answers with the same lead'),
});

const SubmittedSchema = z
  .object({
    leadId: z.string(),
    duplicate: z.boolean().describe('true when this submission was seen before (same Idempotency-Key or external id)'),
    merged: z.boolean().describe('true when it joined a running lead of the same person'),
  })
  .register(apiSchemas, { id: 'Submitted' });

const intakeErrors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 413: ErrorBodySchema, 415: ErrorBodySchema, 429: ErrorBodySchema };

export function intakeRoutes(app: FastifyInstance, { client, taskQueue, now }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post('/v1/leads', {
    config: { access: { keys: ['leads:write'] } },
    schema: {
      tags: ['intake'],
      summary: 'Submit a lead (web form)',
      description: 'Starts the lead\'s workflow. 202 with `Location` for a new lead; 200 with the same lead id for a resubmission.',
      security: security.apiKey,
      headers: IntakeHeaders,
      body: LeadSubmissionSchema,
      response: { 200: SubmittedSchema, 202: SubmittedSchema, ...intakeErrors },
    },
    handler: async (request, reply) => {
      const submission = request.body;
      const leadId = deriveLeadId(submission, request.headers['idempotency-key']);
      const receivedAt = await now();
      const input: LeadWorkflowInput = { leadId, submission, receivedAt: receivedAt.toISOString() };
      const location = `/v1/leads/${leadId}`;
      try {
        await client.workflow.start<typeof leadWorkflow>('leadWorkflow', {
          workflowId: workflowIdFor(leadId),
          taskQueue,
          args: [input],
          // A lead that already ran to its end under this id is the same lead, not a new one.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: sa.LeadStatus, value: 'received' },
            { key: sa.Source, value: submission.source },
            { key: sa.EscalationLevel, value: 0 },
            { key: sa.SlaDeadline, value: new Date(receivedAt.getTime() + intakeDeadlineMs) },
          ],
          memo: { summary: `${submission.name}${submission.company ? ` (${submission.company})` : ''} via ${submission.source} — received` },
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return reply.code(200).header('location', location).send({ leadId, duplicate: true, merged: false });
        throw err;
      }
      return reply.code(202).header('location', location).send({ leadId, duplicate: false, merged: false });
    },
  });

  done();
}
