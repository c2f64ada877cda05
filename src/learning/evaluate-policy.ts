// Offline evaluation of a candidate policy on logged best-fit decisions: for each decision, the chance the
// candidate would have made the same first offer, from the same lead, the same eligible reps and the evidence as
// it stood then. Weighed against the logged propensity (src/learning/off-policy.ts).
import type { RoutingLead } from '../policy/lead-attributes';
import type { RoutingPolicy } from '../policy/policy-schema';
import type { Directory } from '../routing/directory';
import { routeOutlineOf, RoutingError } from '../routing/plan';
import { owedMembers, winsOf } from './best-fit';
import type { RepBelief } from './posterior';
import { seededUniform, seedFrom } from './random';
import { segmentOf } from './segments';

export interface LoggedDecision {
  leadId: string;
  lead: RoutingLead;
  teamId: string;
  /** The reps who could take the lead when it was decided, and the one offered first. */
  eligible: string[];
  chosen: string;
  propensity: number;
}

/** A candidate's rule that cannot be evaluated from what is logged. */
export class NotEvaluable extends Error {}

export interface CandidateContext {
  policy: RoutingPolicy;
  directory: Directory;
  /** The team's evidence when the decision was made (best-fit candidates only). */
  beliefOf?: (repId: string, segmentKey: string) => RepBelief;
  /** The team's first offers per rep in the fairness window then (best-fit candidates only). */
  recentLeads?: ReadonlyMap<string, number>;
  draws: number;
}

/**
 * The chance the candidate offers the logged lead first to the rep the live policy chose. A candidate that
 * routes the lead to another team, or not at all, never does. Round robin is taken at its long-run share (each
 * rep's weight over the eligible reps' weights); least-loaded depends on open offers, which are not logged.
 */
export function candidateProbability(d: LoggedDecision, c: CandidateContext): number {
  let outline;
  try {
    outline = routeOutlineOf({ policy: c.policy, policyVersion: 0, lead: d.lead, directory: c.directory });
  } catch (error) {
    if (error instanceof RoutingError) return 0;
    throw error;
  }
  if (outline.teamId !== d.teamId) return 0;
  if (outline.strategy === 'owner-first') {
    const owner = [d.lead.contactOwnerRepId, d.lead.accountOwnerRepId].find((id) => id && d.eligible.includes(id));
    if (owner) return owner === d.chosen ? 1 : 0;
  }
  const weights = new Map(c.directory.reps.map((r) => [r.id, r.weight]));
  switch (outline.ordering) {
    case 'weighted-round-robin': {
      const total = d.eligible.reduce((sum, id) => sum + (weights.get(id) ?? 1), 0);
      return (weights.get(d.chosen) ?? 1) / total;
    }
    case 'least-loaded':
      throw new NotEvaluable(
        `${outline.label} orders by least-loaded, which depends on open offers at the time: not logged, so it cannot be evaluated offline`,
      );
    case 'best-fit': {
      if (!c.beliefOf || !c.recentLeads) throw new RangeError('a best-fit candidate needs the evidence of its time');
      const members = d.eligible.map((id) => ({ id, weight: weights.get(id) ?? 1 }));
      const owed = owedMembers(
        members,
        d.eligible.map((id) => c.recentLeads!.get(id) ?? 0),
        c.policy.learning.fairnessFloor,
      );
      const pool = owed ? owed.positions : members.map((_, i) => i);
      const chosen = d.eligible.indexOf(d.chosen);
      if (!pool.includes(chosen)) return 0;
      if (pool.length === 1) return 1;
      const segmentKey = segmentOf(d.lead, c.policy.learning).key;
      const beliefs = d.eligible.map((id) => c.beliefOf!(id, segmentKey));
      const uniform = seededUniform(seedFrom(`evaluate:${d.leadId}`));
      return winsOf(beliefs, pool, chosen, c.draws, c.policy.learning.exploration, uniform) / c.draws;
    }
  }
}
