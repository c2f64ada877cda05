// Who is offered the lead, one after another, and for how long: the relationship owner first (owner-first), then
// the team's members with a place in the order (or their backups), ranked by the round robin or by load, up to
// the plan's candidate limit. Each step is a function of its inputs; planRouting runs them in order.
import type { Rep } from '../directory-file';
import type { RoutingLead } from '../policy/lead-attributes';
import type { ConversionEvent, FallbackStrategy, SlaDuration } from '../policy/policy-schema';
import type { Tier } from '../qualification';
import {
  checkAvailability,
  checkRepOrBackup,
  type AvailabilityChecks,
  loadOf,
  type AvailabilityClock,
  type LoadByRep,
} from './availability';
import { businessCalendarFor } from './business-calendar';
import type { Sla } from './business-time';
import type { RepLookup } from './directory';
import { describeLoad, describeStanding, type CandidateDetail, type Exclusion } from './explanation';
import { rankRotation, type FairnessLedger, type RotationRanking } from './fairness-ledger';
import type { FitEvidence, OfferStage } from './plan';
import { describeBelief, rankBestFit, type BestFitRanking } from '../learning/best-fit';
import type { RepBelief } from '../learning/posterior';
import type { Segment } from '../learning/segments';

export interface Candidate {
  /** Who is asked: a team member, an owner, or the backup of either. */
  rep: Rep;
  detail: CandidateDetail;
}

export interface OwnerOffer {
  /** The owner, or their backup, offered first; null when neither owner can be asked. */
  candidate: Candidate | null;
  /** Owners considered (offered or not): they keep no place of their own in the team's order. */
  considered: readonly string[];
  excluded: readonly Exclusion[];
}

/** Every strategy but owner-first. */
export const noOwnerOffer: OwnerOffer = { candidate: null, considered: [], excluded: [] };

/** Owner-first: the contact's owner, else the account's, whoever is available (or their backup), from any team. */
export function offerOwner(
  lead: RoutingLead,
  reps: RepLookup,
  clock: AvailabilityClock,
  checks: AvailabilityChecks,
): OwnerOffer {
  const considered: string[] = [];
  const excluded: Exclusion[] = [];
  const owners = [
    [lead.contactOwnerRepId, 'contact-owner', 'owns the known contact'],
    [lead.accountOwnerRepId, 'account-owner', 'owns the account'],
  ] as const;
  for (const [ownerId, role, owns] of owners) {
    if (!ownerId || considered.includes(ownerId)) continue;
    considered.push(ownerId);
    const owner = reps.get(ownerId);
    if (!owner) {
      const reason = `${role === 'contact-owner' ? 'contact' : 'account'} owner is not in the directory`;
      excluded.push({ repId: ownerId, role, code: 'not-in-directory', reason });
      continue;
    }
    const { offered, exclusion } = checkRepOrBackup(owner, clock, checks, reps);
    if (exclusion) excluded.push({ repId: owner.id, role, code: exclusion.code, reason: exclusion.reason });
    if (!offered) continue;
    const detail: CandidateDetail =
      offered === owner
        ? { repId: owner.id, role, why: `${owner.id} ${owns}` }
        : {
            repId: offered.id,
            role: 'backup',
            why: `${offered.id} stands in for ${owner.id}, who ${owns} (${firstClause(exclusion!.reason)})`,
            standsInFor: owner.id,
          };
    return { candidate: { rep: offered, detail }, considered, excluded };
  }
  return { candidate: null, considered, excluded };
}

/** A member out of office whose place in the order their backup takes. */
export interface StandIn {
  backup: Rep;
  /** Why the member is not asked: "out of office until 2026-12-02". */
  reason: string;
}

export interface TeamPlaces {
  /**
   * The members who have a place in the order, in directory order: available, or out of office with an available
   * backup, who then takes the place. Plain Rep objects, ranked as they are.
   */
  places: Rep[];
  /** Members whose backup takes their place: the rare case, kept aside (null when there are none). */
  standIns: Map<Rep, StandIn> | null;
  excluded: Exclusion[];
}

/** The team's members with a place in the order, and why each of the others has none. */
export function placeTeam(
  members: readonly Rep[],
  teamId: string,
  ownersConsidered: readonly string[],
  reps: RepLookup,
  clock: AvailabilityClock,
  checks: AvailabilityChecks,
): TeamPlaces {
  const places: Rep[] = [];
  const excluded: Exclusion[] = [];
  let standIns: Map<Rep, StandIn> | null = null;
  for (const member of members) {
    if (member.teamId !== teamId) continue;
    if (ownersConsidered.includes(member.id)) continue;
    const unavailable = checkAvailability(member, clock, checks);
    if (!unavailable) {
      places.push(member);
      continue;
    }
    if (unavailable.code !== 'out-of-office' || !unavailable.backupRepId) {
      excluded.push({ repId: member.id, role: 'team', code: unavailable.code, reason: unavailable.reason });
      continue;
    }
    const { offered, exclusion } = checkRepOrBackup(member, clock, checks, reps, unavailable);
    excluded.push({ repId: member.id, role: 'team', code: exclusion!.code, reason: exclusion!.reason });
    if (offered) {
      (standIns ??= new Map()).set(member, { backup: offered, reason: firstClause(exclusion!.reason) });
      places.push(member);
    }
  }
  return { places, standIns, excluded };
}

export interface RankedPlaces {
  /** Positions into the team's places, first offer first. */
  order: number[];
  /** The round robin's ranking, which the first offer is charged to; null unless ranked by the round robin. */
  rotation: RotationRanking | null;
  /** The best-fit ranking and the beliefs behind it, per place; null unless ranked by best fit. */
  fit: FitRanking | null;
}

export interface FitRanking extends BestFitRanking {
  /** The rep asked at each place (a backup where one stands in). */
  repIds: string[];
  beliefs: RepBelief[];
  segment: Segment;
  /** "became opportunities": what a conversion is, in words. */
  converted: string;
  convertsOn: ConversionEvent;
  fairnessWindowDays: number;
  seed: number;
}

/** What the ordering needs beyond the team: the ledger (round robin), open offers (least loaded), outcomes (best fit). */
export interface RankingInputs {
  ledger: FairnessLedger;
  load: LoadByRep;
  tier: Tier;
  fit:
    | (FitEvidence & {
        segment: Segment;
        converted: string;
        convertsOn: ConversionEvent;
        fairnessFloor: number;
        fairnessWindowDays: number;
        exploration: number;
      })
    | null;
}

/** The team's places in offer order: by the round robin, least loaded first, or best fit. */
export function rankPlaces(
  ordering: FallbackStrategy,
  team: TeamPlaces,
  teamId: string,
  inputs: RankingInputs,
): RankedPlaces {
  if (ordering === 'weighted-round-robin') {
    const rotation = rankRotation(inputs.ledger, teamId, team.places);
    return { order: rotation.order, rotation, fit: null };
  }
  if (ordering === 'best-fit') {
    const fit = inputs.fit;
    if (!fit) throw new RangeError('best-fit routing needs the outcomes evidence (PlanRoutingInput.fit)');
    const offered = team.places.map((member) => team.standIns?.get(member)?.backup ?? member);
    const beliefs = offered.map((rep) => fit.beliefOf(rep.id, fit.segment.key));
    const ranking = rankBestFit({
      members: team.places,
      beliefs,
      recentLeads: offered.map((rep) => fit.recentLeads.get(rep.id) ?? 0),
      fairnessFloor: fit.fairnessFloor,
      seed: fit.seed,
      propensityDraws: fit.propensityDraws ?? defaultPropensityDraws,
      exploration: fit.exploration,
    });
    return {
      order: ranking.order,
      rotation: null,
      fit: {
        ...ranking,
        repIds: offered.map((rep) => rep.id),
        beliefs,
        segment: fit.segment,
        converted: fit.converted,
        convertsOn: fit.convertsOn,
        fairnessWindowDays: fit.fairnessWindowDays,
        seed: fit.seed,
      },
    };
  }
  return { order: rankByLoad(team, inputs.load, inputs.tier), rotation: null, fit: null };
}

/** Enough draws to tell a 1% propensity from 2% (about ±0.6 points), at well under a millisecond for a team of 10. */
const defaultPropensityDraws = 1000;

/** A best-fit place in words: its record, its draw and rank, or the fairness floor that put it first. */
function describeFit(fit: FitRanking, position: number): string {
  const belief = describeBelief(fit.beliefs[position]!, fit.segment.label, fit.converted);
  const draw = Math.round(fit.draws[position]! * 100) / 100;
  if (fit.owed === position) {
    const owed = fit.owedBy!;
    return `owed the lead by the fairness floor (${owed.received} of the team's leads in ${fit.fairnessWindowDays} days, floor ${Math.round(owed.floor * 10) / 10}); ${belief}; drew ${draw}`;
  }
  const rank = fit.draws.filter(
    (d, i) => d > fit.draws[position]! || (d === fit.draws[position]! && i < position),
  ).length;
  const place = rank === 0 ? 'highest' : ordinal(rank + 1);
  return `${belief}; drew ${draw}, ${place} of ${fit.draws.length}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Fewest open offers first, then fewest of this tier, then rep id: of whoever is asked at the place. */
function rankByLoad({ places, standIns }: TeamPlaces, load: LoadByRep, tier: Tier): number[] {
  const offeredAt = (i: number) => standIns?.get(places[i]!)?.backup ?? places[i]!;
  const order = places.map((_, i) => i);
  return order.sort((a, b) => {
    const x = offeredAt(a);
    const y = offeredAt(b);
    const la = loadOf(load, x.id);
    const lb = loadOf(load, y.id);
    return (
      (la?.total ?? 0) - (lb?.total ?? 0) ||
      (la?.byTier[tier] ?? 0) - (lb?.byTier[tier] ?? 0) ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)
    );
  });
}

export interface CandidateChoice {
  /** In offer order, the owner's offer first. */
  candidates: Candidate[];
  /** Members available but ranked after the last candidate, in offer order. */
  notReached: string[];
  /** The place whose turn dealt the first offer: -1 when an owner took it, or nobody was offered. */
  firstTurn: number;
}

/** The owner's offer, then the ranked places until maxCandidates reps are asked; each rep is asked once. */
export function chooseCandidates(
  owner: Candidate | null,
  team: TeamPlaces,
  ranked: RankedPlaces,
  maxCandidates: number,
  load: LoadByRep,
  tier: Tier,
): CandidateChoice {
  const candidates: Candidate[] = [];
  // A rep may have two places (their own and a stand-in's) or be the owner's backup: asked at the first.
  const offered = new Set<string>();
  if (owner) {
    candidates.push(owner);
    offered.add(owner.rep.id);
  }
  const notReached: string[] = [];
  let firstTurn = -1;
  for (const position of ranked.order) {
    const member = team.places[position]!;
    const standIn = team.standIns?.get(member);
    if (candidates.length >= maxCandidates) {
      // A member standing aside for a backup is already explained (out of office); so is a rep offered earlier.
      if (!standIn && !offered.has(member.id)) notReached.push(member.id);
      continue;
    }
    const rep = standIn?.backup ?? member;
    if (offered.has(rep.id)) continue;
    offered.add(rep.id);
    const reason = ranked.rotation
      ? describeStanding(ranked.rotation.standings[position]!)
      : ranked.fit
        ? describeFit(ranked.fit, position)
        : describeLoad(loadOf(load, rep.id), tier);
    const why = standIn
      ? `${rep.id} stands in for ${member.id} (${standIn.reason}); ${member.id}'s turn: ${reason}`
      : `${rep.id}: ${reason}`;
    const detail: CandidateDetail = { repId: rep.id, role: standIn ? 'backup' : 'team', why };
    if (standIn) detail.standsInFor = member.id;
    if (candidates.length === 0) firstTurn = position;
    candidates.push({ rep, detail });
  }
  return { candidates, notReached, firstTurn };
}

const minute = 60_000;

/** One stage per candidate, each with the full first-offer SLA, counted in the candidate's own working hours. */
export function candidateStages(
  candidates: readonly Candidate[],
  duration: SlaDuration,
  businessDayHours: number,
  clock: AvailabilityClock,
  ruleLabel: string,
): OfferStage[] {
  return candidates.map(({ rep, detail }): OfferStage => {
    const { sla, text } = repSla(rep, duration, businessDayHours, clock);
    return {
      kind: 'candidate',
      level: 0,
      repIds: [rep.id],
      sla,
      slaText: text,
      why: `${detail.why} — ${ruleLabel}`,
    };
  });
}

/** Wall-clock minutes and hours as they are; business hours and days in the rep's calendar (zone, hours, holidays). */
export function repSla(
  rep: Rep,
  duration: SlaDuration,
  businessDayHours: number,
  clock: AvailabilityClock,
): { sla: Sla; text: string } {
  switch (duration.unit) {
    case 'minutes':
    case 'hours': {
      const ms = Math.round(duration.amount * (duration.unit === 'hours' ? 60 : 1) * minute);
      return { sla: { ms, businessHours: null }, text: duration.text };
    }
    case 'business-hours':
    case 'business-days': {
      const hours = duration.unit === 'business-hours' ? duration.amount : duration.amount * businessDayHours;
      const calendar = businessCalendarFor(rep, clock.nowMs, clock.localTime(rep.timeZone).date);
      const text =
        duration.unit === 'business-hours'
          ? `${duration.text} (${rep.timeZone})`
          : `${duration.text} (${hours} working hours, ${rep.timeZone})`;
      return { sla: { ms: Math.round(hours * 60 * minute), businessHours: calendar }, text };
    }
  }
}

/** What split(';')[0] gives, without the array. */
function firstClause(text: string): string {
  const end = text.indexOf(';');
  return end === -1 ? text : text.slice(0, end);
}
