// The first-touch SLA of an owned lead: by when its owner must report a first contact, and what happens, when,
// if they do not (nudge the owner, tell the manager, offer the lead again). Counted in the owner's working time
// when the SLA is in business hours or days.
import type { Directory } from './routing/directory';
import type { Rep } from './directory-file';
import type { RoutingLead } from './policy/lead-attributes';
import type { RoutingPolicy } from './policy/policy-schema';
import { checkConditions } from './policy/rule-matching';
import { AvailabilityClock } from './routing/availability';
import { slaDeadline } from './routing/business-time';
import { repSla } from './routing/candidates';

export type FirstTouchStepKind = 'nudge-owner' | 'tell-manager' | 'reoffer';

export interface FirstTouchPlan {
  /** The entry that matched, as written, and why. */
  name: string;
  slaText: string;
  why: string;
  /** Epoch ms the first touch is due by: the nudge goes out then. */
  dueAt: number;
  /** What happens if nobody reports a first touch, in order, each one SLA after the one before. */
  steps: Array<{ kind: FirstTouchStepKind; at: number }>;
}

export function planFirstTouch(
  policy: RoutingPolicy,
  lead: RoutingLead,
  owner: Rep,
  assignedAt: number,
): FirstTouchPlan | null {
  const firstTouch = policy.firstTouch;
  if (!firstTouch) return null;
  for (const entry of firstTouch.sla) {
    const met = checkConditions(entry.when, lead, policy);
    if (!met.met) continue;
    const clock = new AvailabilityClock(assignedAt);
    const { sla, text } = repSla(owner, entry.within, policy.businessDayHours, clock);
    const kinds: FirstTouchStepKind[] = firstTouch.reoffer
      ? ['nudge-owner', 'tell-manager', 'reoffer']
      : ['nudge-owner', 'tell-manager'];
    const steps: FirstTouchPlan['steps'] = [];
    let at = assignedAt;
    for (const kind of kinds) {
      at = slaDeadline(at, sla);
      steps.push({ kind, at });
    }
    return { name: entry.name, slaText: text, why: met.why, dueAt: steps[0]!.at, steps };
  }
  // The schema requires a last entry without conditions, which always matches.
  throw new Error('the policy has no first-touch entry for every lead');
}

/** Who hears that an owner has not touched a lead: a manager by name, or only the team's alert address. */
export interface FirstTouchManager {
  /** Null when nobody in the chain can be told: `name` is then the team's, `email` its alert address. */
  repId: string | null;
  name: string;
  email: string;
}

/**
 * Whom to tell: the first active rep of the lead's team's escalation chain above the owner (from its first level
 * when the owner is not in the chain). Without one, whoever the team's alerts go to. A lead with no team uses the
 * owner's.
 */
export function firstTouchManager(directory: Directory, owner: Rep, teamId: string | null): FirstTouchManager {
  const team = directory.teams.find((t) => t.id === (teamId ?? owner.teamId));
  if (!team) throw new Error(`team ${teamId ?? owner.teamId} of the lead is not in the directory`);
  const chain = team.escalation.map((level) => level.repId);
  for (const repId of chain.slice(chain.indexOf(owner.id) + 1)) {
    const manager = directory.reps.find((r) => r.id === repId);
    if (manager && manager.active && manager.id !== owner.id)
      return { repId: manager.id, name: manager.name, email: manager.email };
  }
  return { repId: null, name: team.name, email: team.alertEmail };
}
