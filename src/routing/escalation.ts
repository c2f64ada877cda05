// Who hears of a lead no candidate took: the team's escalation chain, level by level, each manager (or their
// backup) with the level's wall-clock SLA, then the catch-all queue anyone on the team may claim from.
import type { Rep, Team } from '../directory-file';
import { checkRepOrBackup, type AvailabilityChecks, type AvailabilityClock, type LoadByRep } from './availability';
import type { RepLookup } from './directory';
import type { Exclusion } from './explanation';
import type { OfferStage, RoutingPlan } from './plan';

export interface ChainLevel {
  rep: Rep;
  slaMinutes: number;
  /** The manager whose place a backup takes. */
  standsInFor: string | undefined;
}

export interface EscalationChain {
  levels: ChainLevel[];
  excluded: Exclusion[];
}

const minute = 60_000;

/** The team's chain without the managers who cannot be asked; a manager already in the chain is asked once. */
export function chooseEscalationChain(
  team: Team,
  reps: RepLookup,
  clock: AvailabilityClock,
  load: LoadByRep,
): EscalationChain {
  // Managers are asked later and at any hour: only deactivation, the away toggle and leave skip them.
  const checks: AvailabilityChecks = { schedule: false, tier: null, load };
  const levels: ChainLevel[] = [];
  const excluded: Exclusion[] = [];
  for (const level of team.escalation) {
    const manager = reps.get(level.repId);
    if (!manager) {
      const reason = 'escalation: not in the directory';
      excluded.push({ repId: level.repId, role: 'escalation', code: 'not-in-directory', reason });
      continue;
    }
    const { offered, exclusion } = checkRepOrBackup(manager, clock, checks, reps);
    if (exclusion) {
      const reason = `escalation: ${exclusion.reason}`;
      excluded.push({ repId: manager.id, role: 'escalation', code: exclusion.code, reason });
    }
    if (offered && !levels.some((l) => l.rep === offered)) {
      const standsInFor = offered === manager ? undefined : manager.id;
      levels.push({ rep: offered, slaMinutes: level.slaMinutes, standsInFor });
    }
  }
  return { levels, excluded };
}

/** Levels 1..n after the candidates (`candidates` of them: none when nobody could be offered the lead). */
export function escalationStages(levels: readonly ChainLevel[], candidates: number): OfferStage[] {
  return levels.map((level, index): OfferStage => {
    const ms = level.slaMinutes * minute;
    const standingIn = level.standsInFor ? ` (standing in for ${level.standsInFor})` : '';
    const before =
      index > 0
        ? 'the levels before let it pass'
        : candidates > 0
          ? `the ${candidates === 1 ? 'candidate' : `${candidates} candidates`} before declined or let the SLA pass`
          : 'no candidate could be offered it (see the routing explanation)';
    return {
      kind: 'escalation',
      level: index + 1,
      repIds: [level.rep.id],
      sla: { ms, businessHours: null },
      slaText: `${level.slaMinutes} minutes`,
      why: `escalation level ${index + 1}${standingIn}: ${before}`,
    };
  });
}

/**
 * Anyone who can still act may claim from the catch-all queue, away or not: by then any owner beats none. The
 * chain first, then the team's active members in directory order.
 */
export function catchAllStage(
  team: Team,
  levels: readonly ChainLevel[],
  members: readonly Rep[],
): RoutingPlan['catchAll'] {
  const chainIds = levels.map((level) => level.rep.id);
  const claimants = [...chainIds];
  for (const member of members)
    if (member.teamId === team.id && member.active && !chainIds.includes(member.id)) claimants.push(member.id);
  const ms = team.catchAllRealertMinutes * minute;
  return {
    kind: 'catch-all',
    level: levels.length + 1,
    repIds: claimants,
    sla: { ms, businessHours: null },
    slaText: `${team.catchAllRealertMinutes} minutes between alerts`,
    why: 'catch-all queue: the whole escalation chain let the lead pass',
    alertEmail: team.alertEmail,
  };
}
