// The routing policy's shape: ordered rules that send a lead to a team with a strategy, SLAs by tier and urgency.
// Written in YAML by sales ops (config/policy.yaml); parsePolicy validates it against this schema.
import { z } from 'zod';
import { confidenceLevels, regions, sources, tiers, urgencies } from './lead-attributes';

export const strategies = ['owner-first', 'weighted-round-robin', 'least-loaded'] as const;
export type Strategy = (typeof strategies)[number];
export const fallbackStrategies = ['weighted-round-robin', 'least-loaded'] as const;
export type FallbackStrategy = (typeof fallbackStrategies)[number];

export type DurationUnit = 'minutes' | 'hours' | 'business-hours' | 'business-days';

export interface SlaDuration {
  /** As written, for explanations: "1 business day". */
  text: string;
  amount: number;
  unit: DurationUnit;
}

const durationPattern = /^(\d+(?:\.\d+)?)\s*(minutes?|mins?|m|hours?|hrs?|h|business\s+hours?|business\s+days?)$/i;

export function parseDuration(text: string): SlaDuration | undefined {
  const m = durationPattern.exec(text.trim());
  if (!m) return undefined;
  const word = m[2]!.toLowerCase().replace(/\s+/, ' ');
  const unit: DurationUnit = word.startsWith('business d')
    ? 'business-days'
    : word.startsWith('business')
      ? 'business-hours'
      : word.startsWith('h')
        ? 'hours'
        : 'minutes';
  return { text: text.trim(), amount: Number(m[1]), unit };
}

const DurationSchema = z.union([z.string(), z.number()]).transform((value, ctx): SlaDuration => {
  const text = typeof value === 'number' ? `${value} minutes` : value;
  const duration = parseDuration(text);
  if (!duration || duration.amount <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a duration like "5 minutes", "1 hour", "4 business hours" or "1 business day"`,
    });
    return z.NEVER;
  }
  return duration;
});

/** A value or a list of values; one value is the common case in hand-written YAML ("tier: A"). */
function oneOrMany<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (value === undefined || Array.isArray(value) ? value : [value]),
    z.array(item).min(1, 'list at least one value'),
  );
}

const countryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. DE')
  .transform((c) => c.toUpperCase());
const name = z.string().trim().min(1);

export const ConditionsSchema = z
  .strictObject({
    region: oneOrMany(z.enum(regions, { error: `a region: ${regions.join(', ')}` })).optional(),
    /** Names of territories defined under `territories`: lists of countries. */
    territory: oneOrMany(name).optional(),
    country: oneOrMany(countryCode).optional(),
    serviceLine: oneOrMany(name).optional(),
    urgency: oneOrMany(z.enum(urgencies, { error: `an urgency: ${urgencies.join(', ')}` })).optional(),
    tier: oneOrMany(z.enum(tiers, { error: `a tier: ${tiers.join(', ')}` })).optional(),
    source: oneOrMany(z.enum(sources, { error: `a source: ${sources.join(', ')}` })).optional(),
    /** The classifier's confidence: `low` sends the leads it was unsure of (e.g. to a triage team). */
    confidence: oneOrMany(
      z.enum(confidenceLevels, { error: `a classifier confidence: ${confidenceLevels.join(', ')}` }),
    ).optional(),
    /** Employees, inclusive bounds; a lead whose size is unknown does not match. */
    companySize: z
      .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
      .refine((s) => s.min !== undefined || s.max !== undefined, 'give min, max or both')
      .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, 'min is above max')
      .optional(),
    /** true: the lead's contact or account already has an owner; false: nobody owns it yet. */
    existingOwner: z.boolean().optional(),
  })
  .default({});
export type Conditions = z.output<typeof ConditionsSchema>;

const fallback = z.enum(fallbackStrategies, { error: `a fallback strategy: ${fallbackStrategies.join(', ')}` });
const strategy = z.enum(strategies, { error: `a strategy: ${strategies.join(', ')}` });

// A plan asks its candidates one after another, each with the full SLA: more than a few and a lead nobody takes
// waits hours before a manager hears of it (and the plan crossing Temporal grows with the team).
export const defaultMaxCandidates = 5;
const maxCandidatesLimit = 50;

const routeFields = {
  team: name,
  strategy,
  /** Only with owner-first: how the rest of the team is ordered after the owner. */
  fallback: fallback.optional(),
  /** Overrides the SLA table for leads this rule routes. */
  sla: DurationSchema.optional(),
  /** Overrides the policy's maxCandidates for leads this rule routes. */
  maxCandidates: z.number().int().min(1).max(maxCandidatesLimit).optional(),
};

function checkFallback(route: { strategy: Strategy; fallback?: FallbackStrategy | undefined }, ctx: z.RefinementCtx) {
  if (route.fallback && route.strategy !== 'owner-first')
    ctx.addIssue({ code: 'custom', path: ['fallback'], message: 'only owner-first has a fallback strategy' });
}

export const RuleSchema = z.strictObject({ name, when: ConditionsSchema, ...routeFields }).superRefine(checkFallback);
export type PolicyRule = z.output<typeof RuleSchema>;

export const DefaultRouteSchema = z.strictObject(routeFields).superRefine(checkFallback);
export type DefaultRoute = z.output<typeof DefaultRouteSchema>;

export const SlaEntrySchema = z.strictObject({ name, when: ConditionsSchema, within: DurationSchema });
export type SlaEntry = z.output<typeof SlaEntrySchema>;

export const PolicySchema = z
  .strictObject({
    /** How many working hours "1 business day" means. */
    businessDayHours: z.number().positive().max(24).default(8),
    /** How many reps a lead is offered to, one after another, before it escalates to the team's managers. */
    maxCandidates: z.number().int().min(1).max(maxCandidatesLimit).default(defaultMaxCandidates),
    territories: z.record(name, oneOrMany(countryCode)).default({}),
    /** First entry whose conditions match gives the first-offer SLA; the last entry must match every lead. */
    sla: z.array(SlaEntrySchema).min(1, 'give at least one SLA entry'),
    rules: z.array(RuleSchema).default([]),
    /** Where a lead no rule matches goes; without it such a lead is a misconfiguration. */
    default: DefaultRouteSchema.nullable().default(null),
  })
  .superRefine((policy, ctx) => {
    const seen = new Map<string, number>();
    policy.rules.forEach((rule, i) => {
      if (seen.has(rule.name))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'name'],
          message: `rule "${rule.name}" is already the name of rule ${seen.get(rule.name)}`,
        });
      seen.set(rule.name, i);
    });
    const checkTerritories = (when: Conditions, path: Array<string | number>) =>
      when.territory?.forEach((t, i) => {
        if (!(t in policy.territories))
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'when', 'territory', i],
            message: `no territory ${t} (define it under territories)`,
          });
      });
    policy.rules.forEach((rule, i) => checkTerritories(rule.when, ['rules', i]));
    policy.sla.forEach((entry, i) => checkTerritories(entry.when, ['sla', i]));
    const last = policy.sla.length - 1;
    if (last >= 0 && Object.keys(policy.sla[last]!.when).length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['sla', last, 'when'],
        message: 'the last SLA entry must have no conditions: it is the SLA of every lead the others do not match',
      });
    }
  });
export type RoutingPolicy = z.output<typeof PolicySchema>;
