// Turns a qualified lead and a snapshot of the sales directory into an offer plan: who is offered the lead,
// in which order, for how long, and who it escalates to, with the reasons in words a sales manager reads.
import type { Qualification, ServiceLine, Tier } from './qualification';

export interface Rep {
  id: string;
  name: string;
  email: string;
  teamId: string;
  active: boolean;
  /** The rep's manual away toggle. */
  away: boolean;
  openOffers: number;
}

export interface EscalationLevel {
  repId: string;
  slaMinutes: number;
}

export interface Team {
  id: string;
  name: string;
  serviceLines: ServiceLine[];
  /** The team that takes leads no other team's service lines claim. */
  isDefault: boolean;
  /** Manager first, then up the chain. Level 1 is the first entry. */
  escalation: EscalationLevel[];
  /** Who is told when the chain is exhausted and the lead waits in the catch-all queue. */
  alertEmail: string;
  /** How often the catch-all alert repeats until someone claims the lead. */
  catchAllRealertMinutes: number;
}

export interface Directory {
  teams: Team[];
  reps: Rep[];
}

export type StageKind = 'candidate' | 'escalation' | 'catch-all';

export interface OfferStage {
  kind: StageKind;
  /** 0 for candidates, 1.. for the escalation chain, chain length + 1 for the catch-all queue. */
  level: number;
  /** The reps who may accept. One for candidates and escalations; everyone who may claim for the catch-all. */
  repIds: string[];
  slaMs: number;
  /** Why this stage's reps are asked, in words for the offer email and the decision log. */
  why: string;
}

export interface Exclusion {
  repId: string;
  reason: string;
}

export interface RoutingPlan {
  teamId: string;
  stages: OfferStage[];
  catchAll: OfferStage & { alertEmail: string };
  explanation: {
    rule: string;
    candidates: string[];
    excluded: Exclusion[];
    tieBreak: string;
  };
}

const minute = 60_000;
/** First-offer SLA by tier: hot leads go cold in minutes. */
export const candidateSlaMinutes: Record<Tier, number> = { A: 5, B: 60, C: 240 };

export class RoutingError extends Error {}

export function planRouting(input: { qualification: Qualification; knownOwnerRepId: string | null; directory: Directory }): RoutingPlan {
  const { qualification, knownOwnerRepId, directory } = input;
  const byId = new Map(directory.reps.map((rep) => [rep.id, rep]));
  const lineTeam = directory.teams.find((team) => team.serviceLines.includes(qualification.serviceLine));
  const team = lineTeam ?? directory.teams.find((t) => t.isDefault);
  if (!team) throw new RoutingError(`no team serves ${qualification.serviceLine} and no default team is configured`);
  const rule = lineTeam
    ? `service line ${qualification.serviceLine} → team ${team.name}`
    : `no team serves ${qualification.serviceLine} → default team ${team.name}`;

  const excluded: Exclusion[] = [];
  const candidates: Rep[] = [];
  const owner = knownOwnerRepId ? byId.get(knownOwnerRepId) : undefined;
  if (knownOwnerRepId && !owner) excluded.push({ repId: knownOwnerRepId, reason: 'known owner is not in the directory' });
  if (owner) {
    const unavailable = unavailability(owner);
    if (unavailable) excluded.push({ repId: owner.id, reason: `known owner ${unavailable}` });
    else candidates.push(owner);
  }

  const teamReps = directory.reps
    .filter((rep) => rep.teamId === team.id && rep.id !== owner?.id)
    .sort((a, b) => a.openOffers - b.openOffers || a.id.localeCompare(b.id));
  for (const rep of teamReps) {
    const unavailable = unavailability(rep);
    if (unavailable) excluded.push({ repId: rep.id, reason: unavailable });
    else candidates.push(rep);
  }

  // An unavailable manager is skipped like an unavailable rep; levels count the managers actually asked.
  const chain: Array<{ rep: Rep; slaMinutes: number }> = [];
  for (const level of team.escalation) {
    const manager = byId.get(level.repId);
    const unavailable = manager ? unavailability(manager) : 'not in the directory';
    if (manager && !unavailable) chain.push({ rep: manager, slaMinutes: level.slaMinutes });
    else excluded.push({ repId: level.repId, reason: `escalation: ${unavailable}` });
  }

  const candidateSla = candidateSlaMinutes[qualification.tier] * minute;
  const stages: OfferStage[] = [
    ...candidates.map((rep) => ({
      kind: 'candidate' as const,
      level: 0,
      repIds: [rep.id],
      slaMs: candidateSla,
      why: rep === owner ? `${rep.id} is the known contact's owner — ${rule}` : `${rep.id}, ${rep.openOffers} open offer(s) — ${rule}`,
    })),
    ...chain.map((level, index) => ({
      kind: 'escalation' as const,
      level: index + 1,
      repIds: [level.rep.id],
      slaMs: level.slaMinutes * minute,
      why: `escalation level ${index + 1}: every earlier candidate declined or let the SLA pass`,
    })),
  ];
  // Anyone who can still act may claim from the catch-all queue, away or not: by then any owner beats none.
  const claimants = [...new Set([...chain.map((level) => level.rep.id), ...directory.reps.filter((rep) => rep.teamId === team.id && rep.active).map((rep) => rep.id)])];
  return {
    teamId: team.id,
    stages,
    catchAll: {
      kind: 'catch-all',
      level: chain.length + 1,
      repIds: claimants,
      slaMs: team.catchAllRealertMinutes * minute,
      why: 'catch-all queue: the whole escalation chain let the lead pass',
      alertEmail: team.alertEmail,
    },
    explanation: {
      rule,
      candidates: candidates.map((rep) => (rep === owner ? `${rep.id} (known contact's owner)` : rep.id)),
      excluded,
      tieBreak: "known owner first, then fewest open offers, then rep id",
    },
  };
}

function unavailability(rep: Rep): string | undefined {
  if (!rep.active) return 'deactivated';
  if (rep.away) return 'away';
  return undefined;
}

export function describeRouting(plan: RoutingPlan): string {
  const { rule, candidates, excluded, tieBreak } = plan.explanation;
  const skipped = excluded.map((e) => `${e.repId}: ${e.reason}`).join('; ');
  const chain = plan.stages.filter((s) => s.kind === 'escalation').map((s) => s.repIds[0]).join(' → ');
  return [
    `Rule: ${rule}.`,
    `Candidates: ${candidates.join(', ') || 'none'} (${tieBreak}).`,
    skipped ? `Excluded: ${skipped}.` : 'Excluded: none.',
    `Escalation: ${chain || 'none'} → catch-all (${plan.catchAll.alertEmail}).`,
  ].join(' ');
}
