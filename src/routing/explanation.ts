// Why a plan is what it is, in words: the explanation a plan carries (rule, candidates and their reasons, who was
// excluded and why, the tie-break, fairness), and describeRouting, the text made of it for emails, logs and the CLI.
import type { ConversionEvent, FallbackStrategy, Strategy } from '../policy/policy-schema';
import { beliefMean } from '../learning/posterior';
import type { RuleTraceEntry } from '../policy/rule-matching';
import type { Tier } from '../qualification';
import type { ExclusionCode, RepLoad } from './availability';
import type { Candidate, FitRanking } from './candidates';
import type { RotationStanding } from './fairness-ledger';
import type { Route, RoutingPlan } from './plan';

export type RepRole = 'contact-owner' | 'account-owner' | 'team' | 'backup' | 'escalation';

export interface Exclusion {
  repId: string;
  reason: string;
  code: ExclusionCode;
  /** In what capacity the rep was considered. */
  role: RepRole;
}

export interface CandidateDetail {
  repId: string;
  role: Exclude<RepRole, 'escalation'>;
  why: string;
  /** Set when this rep takes the place of one who is out of office. */
  standsInFor?: string;
}

export type Fairness = {
  chargedRepId: string | null;
  lifted: Array<{ repId: string; from: number; to: number }>;
} | null;

export interface RoutingExplanation {
  /** The matched rule (or the default) and why, in one line. */
  rule: string;
  /** null when the policy's default routed the lead. */
  ruleName: string | null;
  /** Every rule tried before and including the one that matched, with the reason it did or did not. */
  ruleTrace: RuleTraceEntry[];
  teamName: string;
  strategy: Strategy;
  /** For owner-first: how the rest of the team was ordered. */
  fallback: FallbackStrategy | null;
  /** Rep ids in offer order: the same order as the candidate stages. */
  candidates: string[];
  /** The most reps offered before escalating (the rule's maxCandidates, else the policy's). */
  maxCandidates: number;
  /**
   * Team reps who were available but ranked after the last candidate, in offer order: the lead escalates before
   * their turn. With the candidates and the excluded, every rep of the team.
   */
  notReached: string[];
  candidateDetails: CandidateDetail[];
  excluded: Exclusion[];
  tieBreak: string;
  sla: { name: string; text: string; why: string };
  policyVersion: number;
  /** The instant availability was judged at, ISO-8601. */
  decidedAt: string;
  /** Round robin only: who was charged a turn, and who was lifted to the team's floor after time away. */
  fairness: Fairness;
  /** Present only when the classifier was unsure of its reading: what of, in words. */
  lowConfidence?: string;
  /** Best fit only: the segment, the seeded draws, and the chance the first offer went where it did. */
  fit?: FitRecord;
}

export interface FitRecord {
  segmentKey: string;
  segment: string;
  /** The draws replay from this seed and the same evidence. */
  seed: number;
  /** Rep id → draw from their posterior. */
  draws: Record<string, number>;
  /** Rep id → their posterior's mean: the predicted chance they convert this lead, which calibration checks. */
  estimates: Record<string, number>;
  /** The outcome that counts as converted, under the policy that decided. */
  convertsOn: ConversionEvent;
  /** The rep the fairness floor put first, if it did. */
  owedRepId: string | null;
  /**
   * Chance the policy gives the first offer to the rep it gave it to: estimated by repeated draws, 1 when the
   * floor or an owner decided; null when nobody was offered. What offline evaluation weighs outcomes by.
   */
  propensity: number | null;
}

export interface ExplanationInput {
  route: Route;
  candidates: readonly Candidate[];
  notReached: string[];
  /** Owners first, then the team in directory order, then the escalation chain. */
  excluded: Exclusion[];
  fairness: Fairness;
  fit: FitRanking | null;
  /** The place whose turn dealt the first offer (-1: an owner took it, or nobody was offered). */
  firstTurn: number;
  policyVersion: number;
  nowMs: number;
  /** What the classifier was unsure of (Qualification.unsure), when it was. */
  unsure?: string | null;
}

const tieBreaks: Record<FallbackStrategy, string> = {
  'weighted-round-robin':
    'weighted round robin: lowest credit after the lead (leads dealt ÷ weight) first, then lowest credit now, then rep id',
  'least-loaded': 'least loaded: fewest open offers, then fewest open offers of this tier, then rep id',
  'best-fit':
    "best fit: a rep below the fairness floor first, then the highest draw from each rep's conversion estimate (Thompson sampling)",
};

function fitRecord(fit: FitRanking, firstTurn: number, candidates: readonly Candidate[]): FitRecord {
  const draws: Record<string, number> = {};
  const estimates: Record<string, number> = {};
  fit.repIds.forEach((repId, position) => {
    draws[repId] = Math.round(fit.draws[position]! * 1e4) / 1e4;
    estimates[repId] = Math.round(beliefMean(fit.beliefs[position]!) * 1e4) / 1e4;
  });
  return {
    segmentKey: fit.segment.key,
    segment: fit.segment.label,
    seed: fit.seed,
    draws,
    estimates,
    convertsOn: fit.convertsOn,
    owedRepId: fit.owed >= 0 ? fit.repIds[fit.owed]! : null,
    propensity: candidates.length === 0 ? null : firstTurn === fit.order[0] ? fit.propensity : 1,
  };
}

export function explainRouting(input: ExplanationInput): RoutingExplanation {
  const { route, candidates } = input;
  return {
    rule: `${route.label} → team ${route.team.name}: ${route.matched.why}`,
    ruleName: route.matched.ruleName,
    ruleTrace: route.matched.trace,
    teamName: route.team.name,
    strategy: route.strategy,
    fallback: route.strategy === 'owner-first' ? route.ordering : null,
    candidates: candidates.map((c) => c.rep.id),
    maxCandidates: route.maxCandidates,
    notReached: input.notReached,
    candidateDetails: candidates.map((c) => c.detail),
    excluded: input.excluded,
    tieBreak:
      route.strategy === 'owner-first'
        ? `contact owner, else account owner, first; then ${tieBreaks[route.ordering]}`
        : tieBreaks[route.ordering],
    sla: { name: route.sla.name, text: route.sla.duration.text, why: route.sla.why },
    policyVersion: input.policyVersion,
    decidedAt: new Date(input.nowMs).toISOString(),
    fairness: input.fairness,
    ...(input.unsure ? { lowConfidence: input.unsure } : {}),
    ...(input.fit ? { fit: fitRecord(input.fit, input.firstTurn, candidates) } : {}),
  };
}

/** A member's place in the round robin: "round robin, 2 lead(s) dealt, weight 1, credit 2 (3 after this lead)". */
export function describeStanding(s: RotationStanding): string {
  const lifted =
    s.liftedFrom !== undefined
      ? `, credit lifted from ${round(s.liftedFrom)} to the team's floor ${round(s.pass)} after time away`
      : '';
  return `round robin, ${s.dealt} lead(s) dealt, weight ${s.weight}, credit ${round(s.pass)} (${round(s.next)} after this lead)${lifted}`;
}

/** A rep's open offers, for least-loaded: "1 open offer(s), 0 of tier A". */
export function describeLoad(load: RepLoad | undefined, tier: Tier): string {
  return `${load?.total ?? 0} open offer(s), ${load?.byTier[tier] ?? 0} of tier ${tier}`;
}

const round = (n: number) => (Number.isInteger(n) ? n : Math.round(n * 100) / 100);

/** The plan in words: rule, SLA, candidates with their reasons, exclusions, tie-break, escalation. */
export function describeRouting(plan: RoutingPlan, options: { maxListed?: number } = {}): string {
  const e = plan.explanation;
  const maxListed = options.maxListed ?? 25;
  const list = <T>(items: T[], render: (item: T) => string) =>
    items.length === 0
      ? 'none'
      : items.slice(0, maxListed).map(render).join('; ') +
        (items.length > maxListed ? `; … and ${items.length - maxListed} more` : '');
  const chain = plan.stages.filter((s) => s.kind === 'escalation').map((s) => s.repIds[0]);
  const strategy = e.fallback ? `${e.strategy}, then ${e.fallback}` : e.strategy;
  return [
    `Policy v${e.policyVersion}, ${e.rule}.`,
    ...(e.lowConfidence ? [`Low confidence: ${e.lowConfidence}; check the reading before relying on it.`] : []),
    `Strategy: ${strategy}. SLA: ${e.sla.text} (${e.sla.name}: ${e.sla.why}).`,
    `Candidates (at most ${e.maxCandidates}): ${list(e.candidateDetails, (c) => c.why)}.`,
    ...(e.notReached.length
      ? [
          `Not reached (available, ranked after the last candidate; the lead escalates first): ${list(e.notReached, (id) => id)}.`,
        ]
      : []),
    `Excluded: ${list(e.excluded, (x) => `${x.repId}${x.role === 'team' || x.role === 'escalation' ? '' : ` (${x.role})`}: ${x.reason}`)}.`,
    `Tie-break: ${e.tieBreak}.`,
    `Escalation: ${[...chain, `catch-all (${plan.catchAll.alertEmail})`].join(' → ')}.`,
  ].join('\n');
}
