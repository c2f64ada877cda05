// The learning simulator: one arrival sequence routed by the real planRouting under three strategies — weighted
// round robin, best-fit (learning only from outcomes that have arrived by then), and an oracle that knows each
// rep's hidden conversion rate and obeys the same hours, capacity and fairness floor. Pure: no clock, no I/O;
// every random number comes from the seed, and the three runs share them (the same leads at the same instants,
// the same luck per lead), so their difference is the strategy's alone.
import { z } from 'zod';
import type { RoutingLead } from '../policy/lead-attributes';
import { regions, sources, tiers, urgencies } from '../policy/lead-attributes';
import type { RoutingPolicy, Strategy } from '../policy/policy-schema';
import type { RepLoad } from '../routing/availability';
import type { Directory } from '../routing/directory';
import { emptyLedger, type FairnessLedger } from '../routing/fairness-ledger';
import { planRouting, RoutingError, type FitEvidence } from '../routing/plan';
import { beliefMean, beliefsFrom, EvidenceTallies, knownRate } from './posterior';
import { seededUniform } from './random';
import { segmentOf } from './segments';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

const rate = z.number().min(0).max(1);

const SegmentSchema = z.strictObject({
  name: z.string().min(1),
  /** Relative share of arrivals (normalised over the segments). */
  share: z.number().positive(),
  lead: z.strictObject({
    serviceLine: z.string().min(1),
    tier: z.enum(tiers),
    urgency: z.enum(urgencies).default('this-week'),
    region: z.enum(regions).nullable().default(null),
    country: z.string().length(2).nullable().default(null),
    source: z.enum(sources).nullable().default('web-form'),
    companySize: z.number().int().min(0).nullable().default(null),
  }),
});

/** A scenario as its file gives it, after the policy and directory it names are read (see cli/simulate-learning.ts). */
export const ScenarioSchema = z.strictObject({
  description: z.string().default(''),
  /** A policy file, relative to the scenario file. Every route's strategy is replaced by the one simulated. */
  policy: z.string().min(1),
  /** A directory file, relative to the scenario file. */
  directory: z.string().min(1),
  /** First instant of arrivals, ISO-8601. */
  start: z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  /** Arrivals are spread evenly at random over this many days. */
  days: z.number().positive().max(3650),
  /** An offer counts against its rep's capacity (open offers) for this long: until the rep answers it. */
  holdHours: z.number().positive().default(2),
  /** When the conversion (or a loss) is reported after the rep took the lead: log-normal, median and cap. */
  outcomeDelay: z
    .strictObject({ medianDays: z.number().positive(), maxDays: z.number().positive() })
    .refine((d) => d.maxDays >= d.medianDays, 'maxDays is below medianDays')
    .default({ medianDays: 14, maxDays: 60 }),
  /** Share of non-converting leads whose loss is reported; the rest only resolve when the outcome window ends. */
  lostReportShare: rate.default(0.5),
  segments: z.array(SegmentSchema).min(1),
  /** The hidden truth: each rep's conversion rate, per segment name, with defaults. */
  rates: z.strictObject({
    default: rate,
    reps: z.record(z.string(), z.record(z.string(), rate)).default({}),
  }),
});
export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioSegment = Scenario['segments'][number];

export const simulatedStrategies = ['round-robin', 'best-fit', 'oracle'] as const;
export type SimulatedStrategy = (typeof simulatedStrategies)[number];

/** A best-fit decision as production logs it: enough to evaluate another policy offline. */
export interface LoggedDecision {
  segment: number;
  segmentKey: string;
  /** The reps that could take the lead, and the one that did. */
  eligible: string[];
  chosen: string;
  propensity: number;
  converted: boolean;
}

export interface SimulationRun {
  strategy: SimulatedStrategy;
  leads: number;
  /** Leads that converted (drawn with each lead's own luck against the true rate of the rep who took it). */
  conversions: number;
  /** Sum of the true rates of the reps who took the leads: the expected conversions, free of luck. */
  expectedConversions: number;
  /** Leads nobody could take within the wait limit (nobody in hours or under capacity). */
  unrouted: number;
  /** Rep id → leads taken. */
  leadsByRep: Map<string, number>;
  /** After each lead: expected conversions so far (for regret curves). */
  expectedByLead: number[];
  /** Best-fit only: every decision with its propensity. */
  log: LoggedDecision[];
  /** Best-fit only: the beliefs at the end of the run, for a candidate policy to be built from. */
  finalBeliefs: ((repId: string, segmentKey: string) => number) | null;
}

export interface SimulationInput {
  scenario: Scenario;
  policy: RoutingPolicy;
  directory: Directory;
  leads: number;
  seed: number;
  strategy: SimulatedStrategy;
  /** Extra draws per best-fit decision that estimate its propensity (0 skips them: faster). */
  propensityDraws: number;
}

/** One arrival, drawn once from the seed and shared by every strategy. */
interface Arrival {
  at: number;
  segment: number;
  /** This lead's luck: it converts when luck < the true rate of the rep who takes it. */
  luck: number;
  delayMs: number;
  lostReported: boolean;
}

/** How long a lead may wait for someone in hours and under capacity before it counts as unrouted. */
const maxWaitMs = 4 * dayMs;
const retryMs = 30 * 60_000;

export function arrivalsOf(scenario: Scenario, leads: number, seed: number): Arrival[] {
  const uniform = seededUniform(seed);
  const total = scenario.segments.reduce((sum, s) => sum + s.share, 0);
  const span = scenario.days * dayMs;
  const { medianDays, maxDays } = scenario.outcomeDelay;
  const arrivals: Arrival[] = [];
  for (let i = 0; i < leads; i++) {
    let pick = uniform() * total;
    let segment = 0;
    while (segment < scenario.segments.length - 1 && pick >= scenario.segments[segment]!.share)
      pick -= scenario.segments[segment++]!.share;
    // Log-normal delay: a typical sales cycle has a long tail; σ 0.75 puts the 90th percentile near 2.6× the median.
    const normal = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const delayDays = Math.min(maxDays, medianDays * Math.exp(0.75 * normal));
    arrivals.push({
      at: scenario.start + Math.floor(uniform() * span),
      segment,
      luck: uniform(),
      delayMs: delayDays * dayMs,
      lostReported: uniform() < scenario.lostReportShare,
    });
  }
  return arrivals.sort((a, b) => a.at - b.at);
}

export function trueRate(scenario: Scenario, repId: string, segment: ScenarioSegment): number {
  const rep = Object.hasOwn(scenario.rates.reps, repId) ? scenario.rates.reps[repId]! : undefined;
  if (rep && Object.hasOwn(rep, segment.name)) return rep[segment.name]!;
  if (rep && Object.hasOwn(rep, 'default')) return rep.default!;
  return scenario.rates.default;
}

/** The policy with every route's strategy set to the one simulated (owner-first and its fallback included). */
function policyFor(policy: RoutingPolicy, strategy: SimulatedStrategy): RoutingPolicy {
  const routed: Strategy = strategy === 'round-robin' ? 'weighted-round-robin' : 'best-fit';
  const route = <R extends { strategy: Strategy; fallback?: unknown }>(r: R): R => {
    const copy = { ...r, strategy: routed };
    delete copy.fallback;
    return copy;
  };
  return { ...policy, rules: policy.rules.map(route), default: policy.default && route(policy.default) };
}

type Pending =
  | { kind: 'route'; at: number; lead: number; arrivedAt: number }
  | { kind: 'resolve'; at: number; repId: string; segmentKey: string; assignedAt: number; converted: boolean }
  | { kind: 'release'; at: number; repId: string; tier: string }
  | { kind: 'forget'; at: number; repId: string };

export function simulateLearning(input: SimulationInput): SimulationRun {
  const { scenario, directory, strategy } = input;
  const policy = policyFor(input.policy, strategy);
  const learning = policy.learning;
  const arrivals = arrivalsOf(scenario, input.leads, input.seed);
  const leads: RoutingLead[] = scenario.segments.map((s) => ({
    ...s.lead,
    contactOwnerRepId: null,
    accountOwnerRepId: null,
  }));
  const segmentKeys = leads.map((lead) => segmentOf(lead, learning).key);

  const tallies = new EvidenceTallies(scenario.start, learning.halfLife);
  const recentLeads = new Map<string, number>();
  const load = new Map<string, RepLoad>();
  const queue = new EventQueue<Pending>();
  arrivals.forEach((a, lead) => queue.push({ kind: 'route', at: a.at, lead, arrivedAt: a.at }));

  let ledger: FairnessLedger = emptyLedger();
  const run: SimulationRun = {
    strategy,
    leads: input.leads,
    conversions: 0,
    expectedConversions: 0,
    unrouted: 0,
    leadsByRep: new Map(),
    expectedByLead: [],
    log: [],
    finalBeliefs: null,
  };
  let current: ScenarioSegment = scenario.segments[0]!;
  const oracleBelief = (repId: string) => knownRate(trueRate(scenario, repId, current));

  for (let event = queue.pop(); event; event = queue.pop()) {
    if (event.kind === 'resolve') {
      tallies.add(event.repId, event.segmentKey, event.assignedAt, event.converted);
      continue;
    }
    if (event.kind === 'release') {
      const l = load.get(event.repId)!;
      l.total -= 1;
      l.byTier[event.tier as keyof RepLoad['byTier']]! -= 1;
      continue;
    }
    if (event.kind === 'forget') {
      recentLeads.set(event.repId, recentLeads.get(event.repId)! - 1);
      continue;
    }
    const arrival = arrivals[event.lead]!;
    const segment = scenario.segments[arrival.segment]!;
    const lead = leads[arrival.segment]!;
    current = segment;
    const now = event.at;
    const fit: FitEvidence = {
      beliefOf: strategy === 'oracle' ? oracleBelief : beliefsFrom(tallies.summaryAt(now), learning.priorStrength),
      recentLeads,
      seed: (input.seed * 1_000_003 + event.lead) >>> 0,
      propensityDraws: strategy === 'best-fit' ? input.propensityDraws : 0,
    };
    let result;
    try {
      result = planRouting({
        policy,
        policyVersion: 0,
        lead,
        directory,
        load: Object.fromEntries(load),
        ledger,
        now,
        fit,
      });
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
      run.unrouted += 1;
      run.expectedByLead.push(run.expectedConversions);
      continue;
    }
    const first = result.plan.stages[0];
    if (!first || first.kind !== 'candidate') {
      if (now + retryMs - event.arrivedAt <= maxWaitMs) queue.push({ ...event, at: now + retryMs });
      else {
        run.unrouted += 1;
        run.expectedByLead.push(run.expectedConversions);
      }
      continue;
    }
    ledger = result.ledger;
    const repId = first.repIds[0]!;
    const truth = trueRate(scenario, repId, segment);
    const converted = arrival.luck < truth;
    run.conversions += converted ? 1 : 0;
    run.expectedConversions += truth;
    run.expectedByLead.push(run.expectedConversions);
    run.leadsByRep.set(repId, (run.leadsByRep.get(repId) ?? 0) + 1);

    const l = load.get(repId) ?? { total: 0, byTier: {} };
    l.total += 1;
    l.byTier[lead.tier] = (l.byTier[lead.tier] ?? 0) + 1;
    load.set(repId, l);
    queue.push({ kind: 'release', at: now + scenario.holdHours * hourMs, repId, tier: lead.tier });
    recentLeads.set(repId, (recentLeads.get(repId) ?? 0) + 1);
    queue.push({ kind: 'forget', at: now + learning.fairnessWindow * dayMs, repId });

    const segmentKey = segmentKeys[arrival.segment]!;
    const reportedAt = converted
      ? now + arrival.delayMs
      : arrival.lostReported
        ? now + arrival.delayMs
        : now + learning.outcomeWindow * dayMs;
    queue.push({ kind: 'resolve', at: reportedAt, repId, segmentKey, assignedAt: now, converted });

    const record = result.plan.explanation.fit;
    if (strategy === 'best-fit' && record && record.propensity !== null)
      run.log.push({
        segment: arrival.segment,
        segmentKey,
        eligible: Object.keys(record.draws),
        chosen: repId,
        propensity: record.propensity,
        converted,
      });
  }
  if (strategy === 'best-fit') {
    const end = scenario.start + scenario.days * dayMs;
    const beliefs = beliefsFrom(tallies.summaryAt(end), learning.priorStrength);
    run.finalBeliefs = (repId, segmentKey) => beliefMean(beliefs(repId, segmentKey));
  }
  return run;
}

/** A binary min-heap by time; equal times leave in the order they came (so resolutions precede a later route). */
class EventQueue<T extends { at: number }> {
  #items: Array<{ item: T; order: number }> = [];
  #count = 0;

  push(item: T): void {
    const heap = this.#items;
    heap.push({ item, order: this.#count++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const heap = this.#items;
    const top = heap[0];
    const last = heap.pop();
    if (!top || !last || heap.length === 0) return top?.item;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.#before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
    return top.item;
  }

  #before(a: { item: T; order: number }, b: { item: T; order: number }): boolean {
    return a.item.at < b.item.at || (a.item.at === b.item.at && a.order < b.order);
  }
}
