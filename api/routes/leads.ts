// Reading one lead: its state (from the running workflow, or Postgres once closed) and its timeline of events.
// The person's details (name, email, phone, company, message) go only to those who may see them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/client';
import { leadStateQuery, type LeadView, type OfferView } from '../../workflows/messages';
import { hasScope } from '../../db/credentials';
import { ErrorBodySchema, httpError } from '../errors';
import { workflowIdFor } from '../lead-id';
import { readLeadPerson, readLeadRecord } from '../lead-records';
import { apiSchemas, security } from '../openapi';
import type { RouteDeps } from '../route-deps';
import { offerIdOf } from './offers';

export const LeadIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'id must be a lead id (24 hex characters)');
const LeadParams = z.strictObject({ id: LeadIdSchema });

const OfferSchema = z
  .object({
    offerId: z.string(),
    offerNumber: z.number().int(),
    kind: z.string().describe('candidate, escalation or catch-all'),
    level: z
      .number()
      .int()
      .describe('0 for team reps, 1.. up the escalation chain, chain length + 1 in the catch-all queue'),
    repIds: z.array(z.string()),
    offeredAt: z.string(),
    deadline: z.string(),
    outcome: z.string().describe('open, accepted, declined or timed-out'),
    answeredBy: z.string().optional(),
    reason: z.string().optional(),
  })
  .register(apiSchemas, { id: 'Offer' });

const PersonSchema = z
  .object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    message: z.string().nullable(),
    source: z.string().nullable(),
  })
  .register(apiSchemas, { id: 'Person' });

const LeadSchema = z
  .object({
    leadId: z.string(),
    status: z.string().describe('received, offered, escalated, catch-all, assigned or rejected-spam'),
    closed: z.boolean().describe('true once the lead is assigned or rejected; the answer then comes from Postgres'),
    owner: z.string().nullable(),
    teamId: z.string().nullable(),
    slaDeadline: z.string().nullable().describe('When the current state must have moved on; null once closed'),
    escalationLevel: z.number().int(),
    currentOffer: OfferSchema.nullable(),
    offers: z.array(OfferSchema),
    explanation: z.object({
      routing: z
        .string()
        .nullable()
        .describe('Why the lead went where it went: the rule, the candidates in order, who was excluded and why'),
      qualification: z
        .record(z.string(), z.unknown())
        .nullable()
        .describe('Score, tier, urgency and service line, each point with its reason'),
      decision: z
        .record(z.string(), z.unknown())
        .nullable()
        .describe(
          'The routing decision in structure: policy version, rule and why, strategy, candidates in order with why, excluded reps with reasons, tie-break, SLA',
        ),
    }),
    person: PersonSchema.optional().describe(
      'Only for admin keys, keys with leads:read, and reps who were offered or own the lead',
    ),
  })
  .register(apiSchemas, { id: 'Lead' });

const TimelineEventSchema = z
  .object({
    seq: z.number().int(),
    key: z.string(),
    kind: z
      .string()
      .describe(
        'received, merged, matched, scored, routed, offered, reminded, declined, timed-out, escalated, catch-all, accepted, rejected-spam',
      ),
    at: z.string(),
    offerNumber: z.number().int().nullable(),
    repId: z.string().nullable(),
    summary: z.string(),
    detail: z.unknown(),
  })
  .register(apiSchemas, { id: 'TimelineEvent' });

type Lead = z.infer<typeof LeadSchema>;
const readErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  429: ErrorBodySchema,
};

export function leadRoutes(app: FastifyInstance, { client, db }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/v1/leads/:id', {
    config: { access: { keys: ['leads:write', 'leads:read', 'partner'], reps: true } },
    schema: {
      tags: ['leads'],
      summary: 'A lead: status, owner, current offer, SLA deadline, escalation level, explanation, offers so far',
      description:
        "Any intake or partner key may follow a lead it was given (the `Location` of its submission); the person's details are included for admin keys, keys with `leads:read`, and reps who were offered or own the lead. Other reps get 403.",
      security: security.either,
      params: LeadParams,
      response: { 200: LeadSchema, ...readErrors },
    },
    handler: async (request) => {
      const leadId = request.params.id;
      const state = await readLeadState(leadId);
      if (!state) throw httpError(404, 'id', `no lead ${leadId}`);
      const seesPerson = await authorise(request, leadId, state);
      const lead: Lead = {
        leadId,
        status: state.view.status,
        closed: state.closed,
        owner: state.view.owner,
        teamId: state.view.teamId,
        slaDeadline: state.view.deadline,
        escalationLevel: state.view.escalationLevel,
        currentOffer: state.view.currentOffer ? presentOffer(leadId, state.view.currentOffer) : null,
        offers: state.view.offers.map((o) => presentOffer(leadId, o)),
        explanation: {
          routing: state.view.routing,
          qualification: (state.view.qualification as unknown as Record<string, unknown> | null) ?? null,
          decision: await readRoutingExplanation(leadId),
        },
      };
      if (seesPerson) lead.person = (await readLeadPerson(db, leadId)) ?? undefined;
      return lead;
    },
  });

  routes.get('/v1/leads/:id/timeline', {
    config: { access: { keys: ['leads:read'], reps: true } },
    schema: {
      tags: ['leads'],
      summary: 'What happened to a lead, in order',
      description:
        "The lead's events (received, matched, scored, routed, offered, reminded, declined, timed-out, escalated, accepted, …) ordered by time. For admin keys, keys with `leads:read`, and reps who were offered or own the lead.",
      security: security.either,
      params: LeadParams,
      response: { 200: z.object({ leadId: z.string(), events: z.array(TimelineEventSchema) }), ...readErrors },
    },
    handler: async (request) => {
      const leadId = request.params.id;
      const state = await readLeadState(leadId);
      if (!state) throw httpError(404, 'id', `no lead ${leadId}`);
      await authorise(request, leadId, state);
      const { rows } = await db.query<{
        seq: string;
        key: string;
        kind: string;
        at: Date;
        offer_number: number | null;
        rep_id: string | null;
        summary: string;
        detail: unknown;
      }>(
        'SELECT seq, key, kind, at, offer_number, rep_id, summary, detail FROM lead_events WHERE lead_id = $1 ORDER BY at, seq',
        [leadId],
      );
      return {
        leadId,
        events: rows.map((r) => ({
          seq: Number(r.seq),
          key: r.key,
          kind: r.kind,
          at: r.at.toISOString(),
          offerNumber: r.offer_number,
          repId: r.rep_id,
          summary: r.summary,
          detail: r.detail,
        })),
      };
    },
  });

  /**
   * The running workflow answers for itself; a closed (or never-started) one is read from Postgres. A query that
   * cannot be answered in time (no worker polling) falls back to Postgres too, which the workflow keeps current.
   */
  async function readLeadState(leadId: string): Promise<{ view: LeadView; closed: boolean } | null> {
    const handle = client.workflow.getHandle(workflowIdFor(leadId));
    try {
      const description = await handle.describe();
      if (description.status.name === 'RUNNING') {
        const view = await client.connection
          .withDeadline(Date.now() + 5_000, () => handle.query(leadStateQuery))
          .catch(() => null);
        if (view) return { view, closed: false };
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    const record = await readLeadRecord(db, leadId);
    if (!record) return null;
    return { view: record, closed: record.status === 'assigned' || record.status === 'rejected-spam' };
  }

  async function readRoutingExplanation(leadId: string): Promise<Record<string, unknown> | null> {
    const { rows } = await db.query<{ explanation: Record<string, unknown> | null }>(
      `SELECT plan -> 'explanation' AS explanation FROM routing_decisions WHERE lead_id = $1`,
      [leadId],
    );
    return rows[0]?.explanation ?? null;
  }

  /** Refuses reps who were never offered the lead; says whether the caller may see the person's details. */
  async function authorise(request: FastifyRequest, leadId: string, state: { view: LeadView }): Promise<boolean> {
    const principal = request.principal;
    if (!principal) throw httpError(401, 'Authorization', 'send Authorization: Bearer <token>');
    if (principal.kind === 'api-key') return hasScope(principal, 'leads:read');
    const repId = principal.repId;
    if (state.view.owner === repId || state.view.offers.some((o) => o.repIds.includes(repId))) return true;
    // The query may lag the offer row by a moment; Postgres has the offer as soon as the email is sent.
    const { rows } = await db.query(
      'SELECT 1 FROM lead_offers WHERE lead_id = $1 AND $2 = ANY (rep_ids) UNION ALL SELECT 1 FROM leads WHERE id = $1 AND owner_rep_id = $2',
      [leadId, repId],
    );
    if (rows.length > 0) return true;
    throw httpError(403, 'id', `lead ${leadId} was not offered to ${repId}`);
  }

  done();
}

function presentOffer(leadId: string, o: OfferView): z.infer<typeof OfferSchema> {
  return {
    offerId: offerIdOf(leadId, o.offerNumber),
    offerNumber: o.offerNumber,
    kind: o.kind,
    level: o.level,
    repIds: o.repIds,
    offeredAt: o.offeredAt,
    deadline: o.deadline,
    outcome: o.outcome,
    ...(o.answeredBy ? { answeredBy: o.answeredBy } : {}),
    ...(o.reason ? { reason: o.reason } : {}),
  };
}
