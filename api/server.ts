// The HTTP API intake systems and reps call. A client of Temporal and Postgres; it holds no lead state itself.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { intakeDeadlineMs, type LeadWorkflowInput } from '../src/lead';
import { LeadSubmissionSchema } from '../src/lead-submission';
import type { leadWorkflow } from '../workflows/lead';
import { acceptOffer, declineOffer, leadStateQuery, refusalTypes, searchAttributes as sa, type OfferAnswer } from '../workflows/messages';
import { deriveLeadId, workflowIdFor } from './lead-id';
import { readLeadRecord } from './lead-records';

export interface ApiDeps {
  client: Client;
  db: Pool;
  taskQueue: string;
  /** Defaults to a real clock; tests against the time-skipping server pass the server's. */
  now?: () => Promise<Date>;
  logger?: boolean;
}

const IdempotencyKey = z.string().trim().min(1, 'Idempotency-Key must not be empty').max(200, 'Idempotency-Key is at most 200 characters').optional();
const LeadIdParams = z.strictObject({ id: z.string().regex(/^[a-f0-9]{24}$/, 'id must be a lead id (24 hex characters)') });
const AnswerBody = z.strictObject({
  offerNumber: z.number({ message: 'offerNumber must be a number' }).int().positive(),
  repId: z.string().trim().min(1, 'repId is required').max(100),
  reason: z.string().trim().max(2000).optional(),
});
const DeclineBody = AnswerBody.extend({ reason: z.string().trim().min(1, 'reason is required to decline').max(2000) });

const refusalStatus: Record<string, number> = {
  [refusalTypes.malformed]: 400,
  [refusalTypes.unknownOffer]: 404,
  [refusalTypes.notOffered]: 403,
  [refusalTypes.staleOffer]: 409,
  [refusalTypes.notDeclinable]: 409,
};

export function buildApi({ client, db, taskQueue, now = () => Promise.resolve(new Date()), logger = false }: ApiDeps): FastifyInstance {
  const app = Fastify({ logger, bodyLimit: 64 * 1024 });

  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, request, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: 'body is larger than 64 KiB', issues: [{ field: 'body', message: 'too large' }] });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send({ error: 'send application/json', issues: [{ field: 'content-type', message: err.message }] });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message, issues: [{ field: 'body', message: err.message }] });
    request.log.error(err);
    return reply.code(500).send({ error: 'internal error' });
  });

  app.get('/health', () => ({ ok: true }));

  app.post('/v1/leads', async (request, reply) => {
    const key = IdempotencyKey.safeParse(request.headers['idempotency-key']);
    if (!key.success) return invalid(reply, key.error, 'Idempotency-Key');
    const body = LeadSubmissionSchema.safeParse(request.body ?? {});
    if (!body.success) return invalid(reply, body.error);

    const leadId = deriveLeadId(body.data, key.data);
    const receivedAt = await now();
    const input: LeadWorkflowInput = { leadId, submission: body.data, receivedAt: receivedAt.toISOString() };
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
          { key: sa.Source, value: body.data.source },
          { key: sa.EscalationLevel, value: 0 },
          { key: sa.SlaDeadline, value: new Date(receivedAt.getTime() + intakeDeadlineMs) },
        ],
        memo: { summary: `${body.data.name}${body.data.company ? ` (${body.data.company})` : ''} via ${body.data.source} — received` },
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return reply.code(200).header('location', location).send({ leadId, duplicate: true });
      }
      throw err;
    }
    return reply.code(202).header('location', location).send({ leadId, duplicate: false });
  });

  app.get('/v1/leads/:id', async (request, reply) => {
    const params = LeadIdParams.safeParse(request.params);
    if (!params.success) return invalid(reply, params.error);
    const handle = client.workflow.getHandle(workflowIdFor(params.data.id));
    try {
      const description = await handle.describe();
      if (description.status.name === 'RUNNING') return await handle.query(leadStateQuery);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    const record = await readLeadRecord(db, params.data.id);
    if (!record) return reply.code(404).send({ error: `no lead ${params.data.id}` });
    return record;
  });

  for (const [action, schema] of [
    ['accept', AnswerBody],
    ['decline', DeclineBody],
  ] as const) {
    app.post(`/v1/leads/:id/${action}`, async (request, reply) => {
      const params = LeadIdParams.safeParse(request.params);
      if (!params.success) return invalid(reply, params.error);
      const body = schema.safeParse(request.body ?? {});
      if (!body.success) return invalid(reply, body.error);
      return await answer(reply, params.data.id, action, body.data);
    });
  }

  async function answer(reply: FastifyReply, leadId: string, action: 'accept' | 'decline', body: OfferAnswer) {
    const handle = client.workflow.getHandle(workflowIdFor(leadId));
    try {
      // The update id names the offer, the rep and the action, so a retried request gets the same answer.
      const result = await handle.executeUpdate(action === 'accept' ? acceptOffer : declineOffer, {
        args: [body],
        updateId: `${action}:${body.offerNumber}:${body.repId}`,
      });
      return reply.code(200).send(result);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        return reply.code(refusalStatus[err.cause.type ?? ''] ?? 409).send({ error: err.cause.message, reason: err.cause.type });
      }
      // The server answers an update to a finished run as if the workflow did not exist; Postgres knows better.
      if (err instanceof WorkflowNotFoundError) {
        const record = await readLeadRecord(db, leadId);
        if (!record) return reply.code(404).send({ error: `no lead ${leadId}` });
        return reply.code(409).send({ error: `lead ${leadId} is closed (${record.status}${record.owner ? `, owned by ${record.owner}` : ''})`, reason: 'LeadClosed' });
      }
      throw err;
    }
  }

  return app;
}

function invalid(reply: FastifyReply, error: z.ZodError, fieldOverride?: string) {
  const issues = error.issues.map((issue) => ({
    field: fieldOverride ?? (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || 'body'),
    message: issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` : issue.message,
  }));
  return reply.code(400).send({ error: `invalid ${issues.map((i) => i.field).join(', ')}`, issues });
}
