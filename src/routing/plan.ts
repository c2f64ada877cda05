// Turns a lead, the routing policy and a snapshot of the sales directory into an offer plan: which rule and team,
// who is offered the lead in which order and for how long, who it escalates to, and why, in words.
import type { Team } from '../directory-file';
import { tiers, urgencies, type RoutingLead } from '../policy/lead-attributes';
import type { FallbackStrategy, RoutingPolicy, Strategy } from '../policy/policy-schema';
import { chooseSla, matchRule, type ChosenSla, type MatchedRoute } from '../policy/rule-matching';
import { AvailabilityClock, type AvailabilityChecks, type LoadByRep } from './availability';
import type { Sla } from './business-time';
import {
  candidateStages,
  chooseCandidates,
  noOwnerOffer,
  offerOwner,
  placeTeam,
  rankPlaces,
  type CandidateChoice,
} from './candidates';
import { lookupReps, type Directory } from './directory';
import type { RepBelief } from '../learning/posterior';
import { segmentOf } from '../learning/segments';
import { catchAllStage, chooseEscalationChain, escalationStages } from './escalation';
import { explainRouting, type Fairness, type RoutingExplanation } from './explanation';
import {
  applyLedgerChanges,
  chargeRotation,
  liftedMembers,
  type FairnessLedger,
  type LedgerChange,
  type RotationRanking,
} from './fairness-ledger';

export type StageKind = 'candidate' | 'escalation' | 'catch-all';

export interface OfferStage {
  kind: StageKind;
  /** 0 for candidates, 1.. for the escalation chain, chain length + 1 for the catch-all queue. */
  level: number;
  /** The reps who may accept. One for candidates and escalations; everyone who may claim for the catch-all. */
  repIds: string[];
  /** What the workflow passes to slaDeadline(offeredAt, sla). */
  sla: Sla;
  /** The SLA as a person reads it: "5 minutes", "1 business day (8 working hours, America/Chicago)". */
  slaText: string;
  /** Why this stage's reps are asked, in words for the offer email and the decision log. */
  why: string;
}

export interface RoutingPlan {
  teamId: string;
  policyVersion: number;
  stages: OfferStage[];
  catchAll: OfferStage & { alertEmail: string };
  explanation: RoutingExplanation;
}

export interface PlanRoutingInput {
  policy: RoutingPolicy;
  /** The version of the stored policy, recorded in the plan and its explanation. */
  policyVersion: number;
  lead: RoutingLead;
  directory: Directory;
  /** Open offers per rep right now. */
  load: LoadByRep;
  ledger: FairnessLedger;
  now: Date | number;
  /** What outcomes say of each rep, for best-fit; needed only when the lead's route uses it. */
  fit?: FitEvidence;
}

/** The evidence best-fit ranks by, read for the team the lead routes to (routeTeamOf). */
export interface FitEvidence {
  /** Each rep's belief in a segment: from summarized outcomes (beliefsFrom), or known rates in the simulator. */
  beliefOf: (repId: string, segmentKey: string) => RepBelief;
  /** Rep id → leads of the team they received in the fairness window. */
  recentLeads: ReadonlyMap<string, number>;
  /** Seeds the draws: the same seed and evidence give the same decision. */
  seed: number;
  /** Extra draws that estimate the propensity; default 1000, 0 skips it. */
  propensityDraws?: number;
}

export interface PlanRoutingResult {
  plan: RoutingPlan;
  /**
   * The ledger after this decision (the input is left as it was); unchanged unless the round robin dealt the
   * first offer. Built on first read: a caller that stores ledgerChanges never pays for a copy of a big team.
   */
  readonly ledger: FairnessLedger;
  /** Only the entries this decision wrote, for an upsert in the routing transaction. */
  ledgerChanges: LedgerChange[];
}

/** A misconfiguration an operator must fix (no route for the lead, a team missing); retrying later may succeed. */
export class RoutingError extends Error {
  constructor(
    readonly code: 'no-route' | 'unknown-team',
    message: string,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}

/** The matched rule and what it decides: the team, how its members are ordered, how many are asked, the SLA. */
export interface Route {
  matched: MatchedRoute;
  /** 'rule "cloud"' or 'policy default', as reasons name it. */
  label: string;
  team: Team;
  strategy: Strategy;
  /** How the team is ordered: the strategy, or owner-first's fallback. */
  ordering: FallbackStrategy;
  maxCandidates: number;
  sla: ChosenSla;
}

export function planRouting(input: PlanRoutingInput): PlanRoutingResult {
  const { policy, policyVersion, lead, directory, load, ledger } = input;
  const nowMs = typeof input.now === 'number' ? input.now : input.now.getTime();
  checkLead(lead);
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid instant');

  const route = chooseRoute(policy, policyVersion, lead, directory.teams);
  const clock = new AvailabilityClock(nowMs);
  const reps = lookupReps(directory.reps);
  const offerChecks: AvailabilityChecks = { schedule: true, tier: lead.tier, load };

  const owner = route.strategy === 'owner-first' ? offerOwner(lead, reps, clock, offerChecks) : noOwnerOffer;
  const team = placeTeam(directory.reps, route.team.id, owner.considered, reps, clock, offerChecks);
  const fit =
    route.ordering === 'best-fit' && input.fit
      ? {
          ...input.fit,
          segment: segmentOf(lead, policy.learning),
          converted: convertedWords[policy.learning.convertsOn],
          convertsOn: policy.learning.convertsOn,
          fairnessFloor: policy.learning.fairnessFloor,
          fairnessWindowDays: policy.learning.fairnessWindow,
          exploration: policy.learning.exploration,
        }
      : null;
  const ranked = rankPlaces(route.ordering, team, route.team.id, { ledger, load, tier: lead.tier, fit });
  const chosen = chooseCandidates(owner.candidate, team, ranked, route.maxCandidates, load, lead.tier);
  const { fairness, ledgerChanges } = chargeRoundRobin(ranked.rotation, chosen);
  const chain = chooseEscalationChain(route.team, reps, clock, load);

  const plan: RoutingPlan = {
    teamId: route.team.id,
    policyVersion,
    stages: [
      ...candidateStages(chosen.candidates, route.sla.duration, policy.businessDayHours, clock, route.label),
      ...escalationStages(chain.levels, chosen.candidates.length),
    ],
    catchAll: catchAllStage(route.team, chain.levels, directory.reps),
    explanation: explainRouting({
      route,
      candidates: chosen.candidates,
      notReached: chosen.notReached,
      excluded: [...owner.excluded, ...team.excluded, ...chain.excluded],
      fairness,
      fit: ranked.fit,
      firstTurn: chosen.firstTurn,
      policyVersion,
      nowMs,
      unsure: lead.unsure ?? null,
    }),
  };
  return new RoutingDecision(plan, ledgerChanges, ledger);
}

/**
 * The team a lead routes to under the policy and how its members are ordered, before anything else is decided:
 * routing locks that team's ledger and reads only its evidence. planRouting makes the same choice from the same
 * inputs.
 */
export function routeOutlineOf(input: Pick<PlanRoutingInput, 'policy' | 'policyVersion' | 'lead' | 'directory'>): {
  teamId: string;
  strategy: Strategy;
  ordering: FallbackStrategy;
  /** 'rule "cloud"' or 'policy default'. */
  label: string;
} {
  checkLead(input.lead);
  const route = chooseRoute(input.policy, input.policyVersion, input.lead, input.directory.teams);
  return { teamId: route.team.id, strategy: route.strategy, ordering: route.ordering, label: route.label };
}

/** The first rule that matches the lead (else the policy's default), and the team it names. */
function chooseRoute(policy: RoutingPolicy, policyVersion: number, lead: RoutingLead, teams: readonly Team[]): Route {
  const matched = matchRule(policy, lead);
  if (!matched) {
    throw new RoutingError(
      'no-route',
      `no rule of policy v${policyVersion} matches the lead (${describeLead(lead)}) and the policy has no default`,
    );
  }
  const { route } = matched;
  const label = matched.ruleName === null ? 'policy default' : `rule "${matched.ruleName}"`;
  const team = teams.find((t) => t.id === route.team);
  if (!team)
    throw new RoutingError(
      'unknown-team',
      `${label} of policy v${policyVersion} routes to team ${route.team}, which is not in the directory`,
    );
  return {
    matched,
    label,
    team,
    strategy: route.strategy,
    ordering: route.strategy === 'owner-first' ? (route.fallback ?? 'weighted-round-robin') : route.strategy,
    maxCandidates: route.maxCandidates ?? policy.maxCandidates,
    sla: chooseSla(policy, lead, matched),
  };
}

const convertedWords = {
  'meeting-booked': 'booked a meeting',
  opportunity: 'became opportunities',
  won: 'were won',
} as const;

/**
 * The round robin is charged only when it dealt the first offer (not when an owner took it); the member's turn is
 * used even when their backup took it.
 */
function chargeRoundRobin(
  rotation: RotationRanking | null,
  chosen: CandidateChoice,
): { fairness: Fairness; ledgerChanges: LedgerChange[] } {
  if (!rotation) return { fairness: null, ledgerChanges: [] };
  const charged = chosen.firstTurn;
  return {
    fairness: {
      chargedRepId: charged >= 0 ? rotation.standings[charged]!.repId : null,
      lifted: liftedMembers(rotation),
    },
    ledgerChanges: charged >= 0 ? chargeRotation(rotation, charged) : [],
  };
}

/**
 * A class rather than an object literal with a getter: a literal's getter gets its own hidden class per call,
 * which V8 keeps in old space, and that held every decision's plan alive until a full collection.
 */
class RoutingDecision implements PlanRoutingResult {
  #previous: FairnessLedger;
  #next: FairnessLedger | undefined;

  constructor(
    readonly plan: RoutingPlan,
    readonly ledgerChanges: LedgerChange[],
    previous: FairnessLedger,
  ) {
    this.#previous = previous;
  }

  get ledger(): FairnessLedger {
    return (this.#next ??= applyLedgerChanges(this.#previous, this.ledgerChanges));
  }
}

function checkLead(lead: RoutingLead): void {
  if (!(tiers as readonly string[]).includes(lead.tier))
    throw new RangeError(`lead.tier must be one of ${tiers.join(', ')} (got ${JSON.stringify(lead.tier)})`);
  if (!(urgencies as readonly string[]).includes(lead.urgency))
    throw new RangeError(`lead.urgency must be one of ${urgencies.join(', ')} (got ${JSON.stringify(lead.urgency)})`);
  if (typeof lead.serviceLine !== 'string' || lead.serviceLine === '')
    throw new RangeError('lead.serviceLine must be a non-empty string');
  if (lead.companySize !== null && !(Number.isFinite(lead.companySize) && lead.companySize >= 0))
    throw new RangeError(`lead.companySize must be a number of employees or null (got ${String(lead.companySize)})`);
}

function describeLead(lead: RoutingLead): string {
  return [
    `service line ${lead.serviceLine}`,
    `tier ${lead.tier}`,
    `urgency ${lead.urgency}`,
    lead.region && `region ${lead.region}`,
    lead.country && `country ${lead.country}`,
    lead.source && `source ${lead.source}`,
    lead.companySize !== null && `company size ${lead.companySize}`,
  ]
    .filter(Boolean)
    .join(', ');
}
