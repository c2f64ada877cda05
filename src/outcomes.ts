// Outcomes: what became of a lead after a rep took it, in sales-funnel order, as a CRM or the rep reports it.
import { z } from 'zod';
import { funnelEvents, type ConversionEvent } from './policy/policy-schema';

export const outcomeEvents = [...funnelEvents, 'lost'] as const;
export type OutcomeEvent = (typeof outcomeEvents)[number];

/** How far along the funnel an event is; lost is off it. */
export function funnelRank(event: OutcomeEvent): number {
  return (funnelEvents as readonly string[]).indexOf(event);
}

/** Whether an event reports the conversion `convertsOn` or a later stage (a won deal was an opportunity). */
export function reaches(event: OutcomeEvent, convertsOn: ConversionEvent): boolean {
  return event !== 'lost' && funnelRank(event) >= funnelRank(convertsOn);
}

/**
 * An outcome as reported. Cross-field rules (amount with currency, a reason exactly when lost) are also stated in
 * the JSON Schema, so the OpenAPI document says what the API accepts. An `at` in the future is stored as given and
 * counts for learning only once that instant has passed.
 */
const instantPattern = /^(19|20)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;

export const OutcomeInputSchema = z
  .strictObject({
    event: z.enum(outcomeEvents, { error: `one of ${outcomeEvents.join(', ')}` }),
    at: z.iso
      .datetime({ offset: true, abort: true, error: 'an ISO-8601 instant with its offset, e.g. 2026-12-04T15:00:00Z' })
      // Years a sales outcome can have, and offsets real zones use (±14:59): what Postgres stores as given.
      .regex(instantPattern, 'an instant between 1900 and 2099 with an offset of at most 14:59'),
    amount: z.number().nonnegative().max(1e13).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code in capitals, e.g. EUR')
      .optional(),
    reason: z.string().trim().min(1).max(500).optional(),
    externalId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .optional()
      .describe("The reporter's id for this outcome; a retry with the same id writes nothing twice"),
  })
  .superRefine((o, ctx) => {
    if ((o.amount === undefined) !== (o.currency === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [o.amount === undefined ? 'amount' : 'currency'],
        message: 'give amount and currency together',
      });
    if (o.event === 'lost' && o.reason === undefined)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a lost lead needs the reason it was lost' });
    if (o.event !== 'lost' && o.reason !== undefined)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'only a lost outcome has a reason' });
  })
  .meta({
    dependentRequired: { amount: ['currency'], currency: ['amount'] },
    oneOf: [
      { properties: { event: { const: 'lost' } }, required: ['reason'] },
      {
        properties: { event: { enum: outcomeEvents.filter((e) => e !== 'lost') } },
        not: { required: ['reason'] },
      },
    ],
  });
export type OutcomeInput = z.output<typeof OutcomeInputSchema>;

export interface StoredOutcome {
  id: number;
  leadId: string;
  event: OutcomeEvent;
  at: string;
  amount: number | null;
  currency: string | null;
  reason: string | null;
  externalId: string;
  reportedBy: string;
  repId: string;
  createdAt: string;
}

/** The id a report without one is stored under: the same event at the same instant is the same outcome. */
export function defaultExternalId(input: Pick<OutcomeInput, 'event' | 'at'>): string {
  return `${input.event}@${new Date(input.at).toISOString()}`;
}

/** Whether two reports under one external id say the same thing (then the second is a harmless retry). */
export function sameOutcome(a: StoredOutcome, b: OutcomeInput): boolean {
  return (
    a.event === b.event &&
    Date.parse(a.at) === Date.parse(b.at) &&
    a.amount === (b.amount ?? null) &&
    a.currency === (b.currency ?? null) &&
    a.reason === (b.reason ?? null)
  );
}

/** The outcome in words, for the timeline: "won, 12000 EUR (ana)", "lost: chose a competitor (ana)". */
export function describeOutcome(o: Pick<StoredOutcome, 'event' | 'amount' | 'currency' | 'reason' | 'repId'>): string {
  const amount = o.amount !== null ? `, ${o.amount} ${o.currency}` : '';
  const reason = o.reason !== null ? `: ${o.reason}` : '';
  return `${o.event}${amount}${reason} (${o.repId})`;
}
