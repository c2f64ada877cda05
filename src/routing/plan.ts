// Turns a lead, the routing policy and a snapshot of the sales directory into an offer plan: which rule and team,
// who is offered the lead in which order and for how long, who it escalates to, and why, in words.
import type { DirectoryFile, Rep } from '../directory-file';
import type { Tier } from '../qualification';
import {
  checkAvailability,
  AvailabilityClock,
  type AvailabilityChecks,
  type ExclusionCode,
  type LoadByRep,
  type Unavailability,
} from './availability';
import { businessCalendarFor } from './business-calendar';
import type { BusinessCalendar, Sla } from './business-time';
import {
  applyLedgerChanges,
  chargeRotation,
  liftedMembers,
  rankRotation,
  standingOf,
  type FairnessLedger,
  type LedgerChange,
  type RotationRanking,
  type RotationStanding,
} from './fairness-ledger';
import { tiers, urgencies, type RoutingLead } from '../policy/lead-attributes';
import type { RoutingPolicy, SlaDuration, Strategy } from '../policy/policy-schema';
import { chooseSla, matchRule, type RuleTraceEntry } from '../policy/rule-matching';

export type Directory = Pick<DirectoryFile, 'teams' | 'reps'>;

export type StageKind = 'candidate' | 'escalation' | 'catch-all';

export interface OfferStage {
  kind: StageKind;
  /** 0 for candidates, 1.. for the escalation chain, chain length + 1 for the catch-all queue. */
  level: number;
  /** The reps who may accept. One for candidates and escalations; everyone who may claim for the catch-all. */
  repIds: string[];
  /** The SLA's duration (working ms when sla.businessHours is set); kept for callers that predate `sla`. */
  slaMs: number;
  /** What the workflow passes to slaDeadline(offeredAt, sla). */
  sla: Sla;
  /** The SLA as a person reads it: "5 minutes", "1 business day (8 working hours, America/Chicago)". */
  slaText: string;
  /** Why this stage's reps are asked, in words for the offer email and the decision log. */
  why: string;
}

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
  fallback: Exclude<Strategy, 'owner-first'> | null;
  /** Rep ids in offer order: the same order as the candidate stages. */
  candidates: string[];
  /** The most reps offered before escalating (the rule's maxCandidates, else the policy's); absent from plans made before the limit. */
  maxCandidates?: number;
  /**
   * Team reps who were available but ranked after the last candidate, in offer order: the lead escalates before
   * their turn. With the candidates and the excluded, every rep of the team. Absent from plans made before the limit.
   */
  notReached?: string[];
  candidateDetails: CandidateDetail[];
  excluded: Exclusion[];
  tieBreak: string;
  sla: { name: string; text: string; why: string };
  policyVersion: number;
  /** The instant availability was judged at, ISO-8601. */
  decidedAt: string;
  /** Round robin only: who was charged a turn, and who was lifted to the team's floor after time away. */
  fairness: { chargedRepId: string | null; lifted: Array<{ repId: string; from: number; to: number }> } | null;
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

const minute = 60_000;

const tieBreaks: Record<Exclude<Strategy, 'owner-first'>, string> = {
  'weighted-round-robin':
    'weighted round robin: lowest credit after the lead (leads dealt ÷ weight) first, then lowest credit now, then rep id',
  'least-loaded': 'least loaded: fewest open offers, then fewest open offers of this tier, then rep id',
};

/** A member out of office whose place in the order their backup takes. */
interface StandIn {
  backup: Rep;
  /** Why the member is not asked: "out of office until 2026-12-02". */
  reason: string;
}

export function planRouting(input: PlanRoutingInput): PlanRoutingResult {
  const { policy, policyVersion, lead, directory, load, ledger } = input;
  const nowMs = typeof input.now === 'number' ? input.now : input.now.getTime();
  checkLead(lead);
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid instant');

  const matched = matchRule(policy, lead);
  if (!matched) {
    throw new RoutingError(
      'no-route',
      `no rule of policy v${policyVersion} matches the lead (${describeLead(lead)}) and the policy has no default`,
    );
  }
  const route = matched.route;
  const ruleLabel = matched.ruleName === null ? 'policy default' : `rule "${matched.ruleName}"`;
  const team = directory.teams.find((t) => t.id === route.team);
  if (!team)
    throw new RoutingError(
      'unknown-team',
      `${ruleLabel} of policy v${policyVersion} routes to team ${route.team}, which is not in the directory`,
    );

  const strategy = route.strategy;
  const maxCandidates = route.maxCandidates ?? policy.maxCandidates;
  const ordering = strategy === 'owner-first' ? (route.fallback ?? 'weighted-round-robin') : strategy;
  const chosenSla = chooseSla(policy, lead, matched);
  const repsById = lookupReps(directory.reps);
  const clock = new AvailabilityClock(nowMs);
  const offerChecks: AvailabilityChecks = { schedule: true, tier: lead.tier, load };

  const excluded: Exclusion[] = [];
  const details: CandidateDetail[] = [];
  const offeredReps: Rep[] = [];
  // Only owners and backups can be offered twice (once in their own right, once standing in): the rest of a big
  // team is checked against these small sets rather than a set of everyone.
  const ownersConsidered: string[] = [];
  const offeredSpecially = new Set<string>();
  let offeredNormally: Set<string> | null = null;

  /** The rep, or their backup while they are out of office; the exclusion says why the rep is not asked. */
  function standIn(
    rep: Rep,
    checks: AvailabilityChecks,
    known?: Unavailability,
  ): { offered: Rep | null; exclusion?: Unavailability } {
    const unavailable = known ?? checkAvailability(rep, clock, checks);
    if (!unavailable) return { offered: rep, exclusion: undefined };
    if (unavailable.code !== 'out-of-office' || !unavailable.backupRepId)
      return { offered: null, exclusion: unavailable };
    const backup = repsById.get(unavailable.backupRepId);
    if (!backup)
      return {
        offered: null,
        exclusion: {
          ...unavailable,
          reason: `${unavailable.reason}; backup ${unavailable.backupRepId} is not in the directory`,
        },
      };
    const backupUnavailable = checkAvailability(backup, clock, checks);
    if (backupUnavailable)
      return {
        offered: null,
        exclusion: {
          ...unavailable,
          reason: `${unavailable.reason}; backup ${backup.id} is unavailable too: ${backupUnavailable.reason}`,
        },
      };
    return {
      offered: backup,
      exclusion: { ...unavailable, reason: `${unavailable.reason}; backup ${backup.id} takes their place` },
    };
  }

  function addCandidate(rep: Rep, detail: CandidateDetail): boolean {
    if (detail.role === 'team') {
      if (offeredSpecially.has(rep.id)) return false;
      // Only a stand-in can be asked again later, so only stand-ins need remembering.
      if (offeredNormally && standInIds?.has(rep.id)) offeredNormally.add(rep.id);
    } else {
      if (offeredSpecially.has(rep.id) || offeredNormally?.has(rep.id)) return false;
      offeredSpecially.add(rep.id);
    }
    offeredReps.push(rep);
    details.push(detail);
    return true;
  }

  // The relationship owner first: the contact's, else the account's, whoever is available (or their backup).
  if (strategy === 'owner-first') {
    const owners: Array<[string | null, 'contact-owner' | 'account-owner', string]> = [
      [lead.contactOwnerRepId, 'contact-owner', 'owns the known contact'],
      [lead.accountOwnerRepId, 'account-owner', 'owns the account'],
    ];
    for (const [ownerId, role, owns] of owners) {
      if (!ownerId || ownersConsidered.includes(ownerId) || offeredReps.length > 0) continue;
      ownersConsidered.push(ownerId);
      const owner = repsById.get(ownerId);
      if (!owner) {
        excluded.push({
          repId: ownerId,
          role,
          code: 'not-in-directory',
          reason: `${role === 'contact-owner' ? 'contact' : 'account'} owner is not in the directory`,
        });
        continue;
      }
      const result = standIn(owner, offerChecks);
      if (result.exclusion)
        excluded.push({ repId: owner.id, role, code: result.exclusion.code, reason: result.exclusion.reason });
      if (!result.offered) continue;
      if (result.offered === owner) addCandidate(owner, { repId: owner.id, role, why: `${owner.id} ${owns}` });
      else
        addCandidate(result.offered, {
          repId: result.offered.id,
          role: 'backup',
          why: `${result.offered.id} stands in for ${owner.id}, who ${owns} (${firstClause(result.exclusion!.reason)})`,
          standsInFor: owner.id,
        });
    }
  }
  const ownerOffered = offeredReps.length > 0;

  // The team members who have a place in the order: available, or out of office with an available backup, who
  // then takes the place. Plain Rep objects, ranked as they are; stand-ins are the rare case, kept aside.
  const places: Rep[] = [];
  let standIns: Map<Rep, StandIn> | null = null;
  // Backups standing in for a member: the only team places that can also be offered in their own right.
  let standInIds: Set<string> | null = null;
  for (const member of directory.reps) {
    if (member.teamId !== team.id) continue;
    if (ownersConsidered.length > 0 && ownersConsidered.includes(member.id)) continue;
    const unavailable = checkAvailability(member, clock, offerChecks);
    if (!unavailable) {
      places.push(member);
      continue;
    }
    if (unavailable.code !== 'out-of-office' || !unavailable.backupRepId) {
      excluded.push({ repId: member.id, role: 'team', code: unavailable.code, reason: unavailable.reason });
      continue;
    }
    const result = standIn(member, offerChecks, unavailable);
    excluded.push({ repId: member.id, role: 'team', code: result.exclusion!.code, reason: result.exclusion!.reason });
    if (result.offered) {
      (standIns ??= new Map()).set(member, { backup: result.offered, reason: firstClause(result.exclusion!.reason) });
      (standInIds ??= new Set()).add(result.offered.id);
      places.push(member);
    }
  }

  // Positions into `places`, first offer first.
  let ranking: RotationRanking | null = null;
  let order: number[];
  if (ordering === 'weighted-round-robin') {
    ranking = rankRotation(ledger, team.id, places);
    order = ranking.order;
  } else {
    const tier = lead.tier;
    const offeredAt = (i: number) => standIns?.get(places[i]!)?.backup ?? places[i]!;
    order = places.map((_, i) => i);
    order.sort((a, b) => {
      const x = offeredAt(a);
      const y = offeredAt(b);
      const la = load[x.id];
      const lb = load[y.id];
      return (
        (la?.total ?? 0) - (lb?.total ?? 0) ||
        (la?.byTier[tier] ?? 0) - (lb?.byTier[tier] ?? 0) ||
        (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)
      );
    });
  }
  if (standInIds) offeredNormally = new Set();
  const standingTexts: StandingTexts = new Map();
  let firstFromRotation = -1;
  const notReached: string[] = [];
  for (const position of order) {
    const member = places[position]!;
    const stand = standIns?.get(member);
    const offered = stand?.backup ?? member;
    if (offeredReps.length >= maxCandidates) {
      // A member standing aside for a backup is already explained (out of office); so is a rep offered earlier.
      if (stand || offeredSpecially.has(member.id) || offeredNormally?.has(member.id)) continue;
      notReached.push(member.id);
      continue;
    }
    const reason = ranking
      ? describeStandingOnce(standingTexts, ranking, position)
      : describeLoad(load[offered.id], lead.tier);
    const why = stand
      ? `${offered.id} stands in for ${member.id} (${stand.reason}); ${member.id}'s turn: ${reason}`
      : `${offered.id}: ${reason}`;
    const detail: CandidateDetail = { repId: offered.id, role: stand ? 'backup' : 'team', why };
    if (stand) detail.standsInFor = member.id;
    if (addCandidate(offered, detail) && offeredReps.length === 1) firstFromRotation = position;
  }

  // The round robin is charged only when it dealt the first offer; the member's turn is used even when their backup took it.
  let ledgerChanges: LedgerChange[] = [];
  let fairness: RoutingExplanation['fairness'] = null;
  if (ranking) {
    const charged = !ownerOffered && firstFromRotation >= 0 ? firstFromRotation : -1;
    fairness = { chargedRepId: charged >= 0 ? places[charged]!.id : null, lifted: liftedMembers(ranking) };
    if (charged >= 0) ledgerChanges = chargeRotation(ranking, charged);
  }

  // Managers are asked later and at any hour: only deactivation, the away toggle and leave skip them.
  const chainChecks: AvailabilityChecks = { schedule: false, tier: null, load };
  const chain: Array<{ rep: Rep; slaMinutes: number; standsInFor?: string }> = [];
  for (const level of team.escalation) {
    const manager = repsById.get(level.repId);
    if (!manager) {
      excluded.push({
        repId: level.repId,
        role: 'escalation',
        code: 'not-in-directory',
        reason: 'escalation: not in the directory',
      });
      continue;
    }
    const result = standIn(manager, chainChecks);
    if (result.exclusion)
      excluded.push({
        repId: manager.id,
        role: 'escalation',
        code: result.exclusion.code,
        reason: `escalation: ${result.exclusion.reason}`,
      });
    if (result.offered && !chain.some((c) => c.rep === result.offered)) {
      chain.push({
        rep: result.offered,
        slaMinutes: level.slaMinutes,
        standsInFor: result.offered === manager ? undefined : manager.id,
      });
    }
  }

  const candidateSla = createCandidateSla(chosenSla.duration, policy.businessDayHours, clock);
  const stages: OfferStage[] = [];
  const candidateIds: string[] = [];
  for (let i = 0; i < offeredReps.length; i++) {
    const rep = offeredReps[i]!;
    const { sla, text } = candidateSla(rep);
    stages.push({
      kind: 'candidate',
      level: 0,
      repIds: [rep.id],
      slaMs: sla.ms,
      sla,
      slaText: text,
      why: `${details[i]!.why} — ${ruleLabel}`,
    });
    candidateIds.push(rep.id);
  }
  chain.forEach((level, index) => {
    stages.push({
      kind: 'escalation',
      level: index + 1,
      repIds: [level.rep.id],
      slaMs: level.slaMinutes * minute,
      sla: { ms: level.slaMinutes * minute, businessHours: null },
      slaText: `${level.slaMinutes} minutes`,
      why: `escalation level ${index + 1}${level.standsInFor ? ` (standing in for ${level.standsInFor})` : ''}: every earlier candidate declined or let the SLA pass`,
    });
  });
  // Anyone who can still act may claim from the catch-all queue, away or not: by then any owner beats none.
  // The chain first, then the team's active members in directory order.
  const chainIds = chain.map((level) => level.rep.id);
  const claims = (member: Rep) =>
    member.teamId === team.id && member.active && !(chainIds.length > 0 && chainIds.includes(member.id));
  let claimantCount = chainIds.length;
  for (const member of directory.reps) if (claims(member)) claimantCount += 1;
  // Sized once: a big team's list would otherwise be regrown and copied a dozen times, garbage for every lead.
  const claimants = new Array<string>(claimantCount);
  let claimant = 0;
  for (const id of chainIds) claimants[claimant++] = id;
  for (const member of directory.reps) if (claims(member)) claimants[claimant++] = member.id;
  const catchAllMs = team.catchAllRealertMinutes * minute;

  const plan: RoutingPlan = {
    teamId: team.id,
    policyVersion,
    stages,
    catchAll: {
      kind: 'catch-all',
      level: chain.length + 1,
      repIds: claimants,
      slaMs: catchAllMs,
      sla: { ms: catchAllMs, businessHours: null },
      slaText: `${team.catchAllRealertMinutes} minutes between alerts`,
      why: 'catch-all queue: the whole escalation chain let the lead pass',
      alertEmail: team.alertEmail,
    },
    explanation: {
      rule: `${ruleLabel} → team ${team.name}: ${matched.why}`,
      ruleName: matched.ruleName,
      ruleTrace: matched.trace,
      teamName: team.name,
      strategy,
      fallback: strategy === 'owner-first' ? ordering : null,
      candidates: candidateIds,
      maxCandidates,
      notReached,
      candidateDetails: details,
      excluded,
      tieBreak:
        strategy === 'owner-first'
          ? `contact owner, else account owner, first; then ${tieBreaks[ordering]}`
          : tieBreaks[ordering],
      sla: { name: chosenSla.name, text: chosenSla.duration.text, why: chosenSla.why },
      policyVersion,
      decidedAt: new Date(nowMs).toISOString(),
      fairness,
    },
  };
  return new RoutingDecision(plan, ledgerChanges, ledger);
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

// Only owners, backups and managers are looked up by id: a few per decision. A directory read afresh for each
// decision is scanned for them; one routed over a second time (or asked for many ids) is indexed once.
const repIndexes = new WeakMap<readonly Rep[], Map<string, Rep> | 'seen'>();
function lookupReps(reps: readonly Rep[]): { get(id: string): Rep | undefined } {
  const known = repIndexes.get(reps);
  let index = known instanceof Map ? known : undefined;
  const buildIndex = () => {
    index = new Map(reps.map((rep) => [rep.id, rep]));
    repIndexes.set(reps, index);
    return index;
  };
  if (known === 'seen') buildIndex();
  else if (!known) repIndexes.set(reps, 'seen');
  let lookups = 0;
  return {
    get(id) {
      if (!index && ++lookups > 8) buildIndex();
      return index ? index.get(id) : reps.find((rep) => rep.id === id);
    },
  };
}

/**
 * The SLA each candidate stage carries. Candidates who share a calendar (zone, hours, holidays) share one SLA
 * object: a plan over a big team then holds a handful of them rather than one per rep.
 */
function createCandidateSla(
  duration: SlaDuration,
  businessDayHours: number,
  clock: AvailabilityClock,
): (rep: Rep) => { sla: Sla; text: string } {
  switch (duration.unit) {
    case 'minutes':
    case 'hours': {
      const shared = {
        sla: { ms: Math.round(duration.amount * (duration.unit === 'hours' ? 60 : 1) * minute), businessHours: null },
        text: duration.text,
      };
      return () => shared;
    }
    case 'business-hours':
    case 'business-days': {
      const hours = duration.unit === 'business-hours' ? duration.amount : duration.amount * businessDayHours;
      const byCalendar = new Map<BusinessCalendar, { sla: Sla; text: string }>();
      return (rep) => {
        const calendar = businessCalendarFor(rep, clock.nowMs, clock.localTime(rep.timeZone).date);
        let shared = byCalendar.get(calendar);
        if (!shared) {
          const text =
            duration.unit === 'business-hours'
              ? `${duration.text} (${rep.timeZone})`
              : `${duration.text} (${hours} working hours, ${rep.timeZone})`;
          shared = { sla: { ms: Math.round(hours * 60 * minute), businessHours: calendar }, text };
          byCalendar.set(calendar, shared);
        }
        return shared;
      };
    }
  }
}

/** A decision's standing reasons by weight, dealt and credit: reps level in the rotation share one string. */
type StandingTexts = Map<number, Map<number, Map<number, string>>>;

function describeStandingOnce(texts: StandingTexts, ranking: RotationRanking, position: number): string {
  // A lifted credit names where it came from: rare, and the key would need a fourth level.
  if (!Number.isNaN(ranking.liftedFrom[position])) return describeStanding(standingOf(ranking, position));
  const weight = ranking.members[position]!.weight;
  const dealt = ranking.dealt[position]!;
  const pass = ranking.pass[position]!;
  let byDealt = texts.get(weight);
  if (!byDealt) texts.set(weight, (byDealt = new Map<number, Map<number, string>>()));
  let byPass = byDealt.get(dealt);
  if (!byPass) byDealt.set(dealt, (byPass = new Map<number, string>()));
  let text = byPass.get(pass);
  if (text === undefined) byPass.set(pass, (text = describeStanding(standingOf(ranking, position))));
  return text;
}

function describeStanding(s: RotationStanding): string {
  const lifted =
    s.liftedFrom !== undefined
      ? `, credit lifted from ${round(s.liftedFrom)} to the team's floor ${round(s.pass)} after time away`
      : '';
  return `round robin, ${s.dealt} lead(s) dealt, weight ${s.weight}, credit ${round(s.pass)} (${round(s.next)} after this lead)${lifted}`;
}

function describeLoad(load: { total: number; byTier: Partial<Record<Tier, number>> } | undefined, tier: Tier): string {
  return `${load?.total ?? 0} open offer(s), ${load?.byTier[tier] ?? 0} of tier ${tier}`;
}

/** What split(';')[0] gives, without the array. */
function firstClause(text: string): string {
  const end = text.indexOf(';');
  return end === -1 ? text : text.slice(0, end);
}

const round = (n: number) => (Number.isInteger(n) ? n : Math.round(n * 100) / 100);

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
    `Strategy: ${strategy}. SLA: ${e.sla.text} (${e.sla.name}: ${e.sla.why}).`,
    `Candidates${e.maxCandidates === undefined ? '' : ` (at most ${e.maxCandidates})`}: ${list(e.candidateDetails, (c) => c.why)}.`,
    ...(e.notReached?.length
      ? [
          `Not reached (available, ranked after the last candidate; the lead escalates first): ${list(e.notReached, (id) => id)}.`,
        ]
      : []),
    `Excluded: ${list(e.excluded, (x) => `${x.repId}${x.role === 'team' || x.role === 'escalation' ? '' : ` (${x.role})`}: ${x.reason}`)}.`,
    `Tie-break: ${e.tieBreak}.`,
    `Escalation: ${[...chain, `catch-all (${plan.catchAll.alertEmail})`].join(' → ')}.`,
  ].join('\n');
}
