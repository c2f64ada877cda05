// The routing policy's shape: ordered rules that send a lead to a team with a strategy, SLAs by tier and urgency.
// Written in YAML by sales ops (config/policy.yaml); parsePolicy validates it against this schema.
import { z } from 'zod';
import { confidenceLevels, regions, sources, tiers, urgencies } from './lead-attributes';

export const strategies = ['owner-first', 'weighted-round-robin', 'least-loaded', 'best-fit'] as const;
export type Strategy = (typeof strategies)[number];
export const fallbackStrategies = ['weighted-round-robin', 'least-loaded', 'best-fit'] as const;
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

/** Sales-funnel events a lead's outcome can report, in funnel order (lost ends it without converting). */
export const funnelEvents = ['first-touch', 'meeting-booked', 'qualified', 'opportunity', 'won'] as const;
export type FunnelEvent = (typeof funnelEvents)[number];
/** The events best-fit may learn from: the policy says which one counts as a conversion. */
export const conversionEvents = ['meeting-booked', 'opportunity', 'won'] as const;
export type ConversionEvent = (typeof conversionEvents)[number];
/** Lead attributes a learning segment may be cut by. */
export const segmentDimensions = ['serviceLine', 'companySize', 'region', 'tier', 'source'] as const;
export type SegmentDimension = (typeof segmentDimensions)[number];

const dayPattern = /^(\d+(?:\.\d+)?)\s*days?$/i;
const DaysSchema = z.union([z.string(), z.number()]).transform((value, ctx): number => {
  const m = typeof value === 'number' ? [String(value), String(value)] : dayPattern.exec(value.trim());
  const days = m ? Number(m[1]) : NaN;
  if (!(days > 0)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a number of days like "60 days"` });
    return z.NEVER;
  }
  return days;
});

const SizeBandSchema = z.strictObject({
  name,
  /** Employees below this belong to the band; the last band has no bound and takes the rest. */
  below: z.number().int().positive().optional(),
});

/** How best-fit learns which rep converts which kind of lead, and the fairness it keeps while doing so. */
export const LearningSchema = z
  .strictObject({
    /** The outcome that counts as a conversion; a later funnel event (e.g. won) implies it. */
    convertsOn: z
      .enum(conversionEvents, { error: `a conversion event: ${conversionEvents.join(', ')}` })
      .default('opportunity'),
    /** The lead attributes that make a segment; conversion is learned per rep and segment. */
    segmentBy: z
      .array(z.enum(segmentDimensions, { error: `a segment dimension: ${segmentDimensions.join(', ')}` }))
      .min(1, 'name at least one dimension')
      .default(['serviceLine', 'companySize', 'region']),
    companySizeBands: z
      .array(SizeBandSchema)
      .min(1)
      .default([{ name: 'small', below: 50 }, { name: 'mid-market', below: 1000 }, { name: 'enterprise' }]),
    /** A lead older than this with no conversion counts as not converted; younger, it is still open and not counted. */
    outcomeWindow: DaysSchema.default(60),
    /** Evidence loses half its weight over this many days, so the model follows reps as they change. */
    halfLife: DaysSchema.default(180),
    /** How many leads of evidence the shrinkage prior is worth: higher trusts a rep's own record later. */
    priorStrength: z.number().positive().max(1000).default(10),
    /**
     * The share of each rep's posterior variance best-fit draws with: 1 is plain Thompson sampling; lower exploits
     * sooner. The fairness floor keeps every rep receiving leads (and so evidence) whatever this is.
     */
    exploration: z.number().gt(0).max(1).default(0.1),
    /** Each available rep receives at least this share of their weighted round-robin share of the team's leads. */
    fairnessFloor: z.number().min(0).max(1).default(0.5),
    /** The period the fairness floor is counted over. */
    fairnessWindow: DaysSchema.default(30),
  })
  .superRefine((learning, ctx) => {
    const bands = learning.companySizeBands;
    bands.forEach((band, i) => {
      const last = i === bands.length - 1;
      if (last && band.below !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['companySizeBands', i, 'below'],
          message: 'the last band takes every size above the others: give it no bound',
        });
      if (!last && band.below === undefined)
        ctx.addIssue({ code: 'custom', path: ['companySizeBands', i, 'below'], message: 'give the band its bound' });
      const previous = i > 0 ? bands[i - 1]!.below : undefined;
      if (band.below !== undefined && previous !== undefined && band.below <= previous)
        ctx.addIssue({
          code: 'custom',
          path: ['companySizeBands', i, 'below'],
          message: `bounds must rise: ${band.below} is not above ${previous}`,
        });
    });
  });
export type LearningConfig = z.output<typeof LearningSchema>;

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
    /**
     * Owned but never contacted is caught: the first entry that matches the lead gives the time its owner has to
     * report a first touch; then the owner is nudged, after as long again the manager is told, and after as long
     * again (with `reoffer`) the lead is offered to the team again. Null: no first-touch SLA.
     */
    firstTouch: z
      .strictObject({
        sla: z.array(SlaEntrySchema).min(1, 'give at least one first-touch SLA entry'),
        reoffer: z.boolean().default(true),
      })
      .nullable()
      .default(null),
    /** Settings of the best-fit strategy; the defaults apply when the policy does not give them. */
    learning: LearningSchema.default(LearningSchema.parse({})),
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
    policy.firstTouch?.sla.forEach((entry, i) => checkTerritories(entry.when, ['firstTouch', 'sla', i]));
    const lastTouch = policy.firstTouch ? policy.firstTouch.sla.length - 1 : -1;
    if (lastTouch >= 0 && Object.keys(policy.firstTouch!.sla[lastTouch]!.when).length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['firstTouch', 'sla', lastTouch, 'when'],
        message:
          'the last first-touch entry must have no conditions: it is the SLA of every lead the others do not match',
      });
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
