// Requests and answers of the lead routes: a lead's state and its timeline.
import { z } from 'zod';
import { CorrectionSchema as CorrectionInputSchema } from '../../src/corrections';
import { outcomeEvents, OutcomeInputSchema } from '../../src/outcomes';
import { ErrorBodySchema } from '../errors';
import { apiSchemas } from '../openapi';

export const LeadIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'id must be a lead id (24 hex characters)');
export const LeadParams = z.strictObject({ id: LeadIdSchema });

export const OfferSchema = z
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
    toldAt: z.string().optional().describe('When the mail server took the offer email: the SLA counts from here'),
    deadline: z
      .string()
      .nullable()
      .describe('Null while the offer email is on its way, and for the catch-all queue, which is open until claimed'),
    outcome: z.string().describe('open, accepted, declined, timed-out or withdrawn'),
    answeredBy: z.string().optional(),
    reason: z.string().optional(),
  })
  .register(apiSchemas, { id: 'Offer' });
export type Offer = z.infer<typeof OfferSchema>;

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

export const LeadSchema = z
  .object({
    leadId: z.string(),
    status: z
      .string()
      .describe(
        'received, notifying, offered, escalated, catch-all, needs-attention, assigned, first-touch-overdue or rejected-spam',
      ),
    closed: z.boolean().describe('true once the lead is assigned or rejected; the answer then comes from Postgres'),
    owner: z.string().nullable(),
    teamId: z.string().nullable(),
    slaDeadline: z.string().nullable().describe('When the current state must have moved on; null once closed'),
    escalationLevel: z.number().int(),
    firstTouch: z
      .object({
        dueAt: z.string().describe('When the owner must have reported a first contact'),
        slaText: z.string(),
        touchedAt: z.string().nullable().describe('When the owner reported it; null until then'),
      })
      .nullable()
      .describe("The owner's first-touch SLA, when the policy sets one; null before a rep owns the lead"),
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
export type Lead = z.infer<typeof LeadSchema>;

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

export const TimelineSchema = z.object({ leadId: z.string(), events: z.array(TimelineEventSchema) });

export const readErrors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  429: ErrorBodySchema,
};

export const CorrectionBody = CorrectionInputSchema;

const ReadingSchema = z.object({ serviceLine: z.string(), urgency: z.string(), spam: z.boolean() });

export const CorrectionSchema = z
  .object({
    id: z.number().int(),
    leadId: z.string(),
    correctedBy: z.string().describe('The rep id, or api-key:<name>'),
    serviceLine: z.string().nullable(),
    urgency: z.string().nullable(),
    spam: z.boolean().nullable(),
    note: z.string().nullable(),
    was: ReadingSchema.describe("The classifier's reading when the correction was made"),
    createdAt: z.string(),
    summary: z.string().describe('e.g. "service line support → cybersecurity; urgency none → now"'),
  })
  .register(apiSchemas, { id: 'Correction' });

export const CorrectionListSchema = z.object({ leadId: z.string(), corrections: z.array(CorrectionSchema) });

export const OutcomeBody = OutcomeInputSchema;

export const OutcomeSchema = z
  .object({
    id: z.number().int(),
    leadId: z.string(),
    event: z.enum(outcomeEvents),
    at: z.string(),
    amount: z.number().nullable(),
    currency: z.string().nullable(),
    reason: z.string().nullable(),
    externalId: z.string(),
    reportedBy: z.string().describe('The rep id, or api-key:<name>'),
    repId: z.string().describe('The owner the outcome is credited to'),
    createdAt: z.string(),
    summary: z.string().describe('e.g. "won, 12000 EUR (ana)"'),
  })
  .meta({ id: 'Outcome' });

export const OutcomeListSchema = z.object({ leadId: z.string(), outcomes: z.array(OutcomeSchema) });
