// Offline evaluation over the decisions Postgres logged: how a candidate policy would have converted on the leads
// best-fit routed (self-normalised inverse propensity scoring), beside what the live decisions converted. Used by
// `npx leadrelay evaluate`, `shadow report` and the dashboard's shadow estimate.
import type { Pool } from 'pg';
import { readLoggedDecisions, readRecentFirstOffers, readTeamEvidence } from './learning';
import { candidateProbability, type LoggedDecision } from '../src/learning/evaluate-policy';
import type { RoutingPolicy } from '../src/policy/policy-schema';
import type { Directory } from '../src/routing/directory';
import { estimateOffPolicy, type LoggedChoice } from '../src/learning/off-policy';
import { beliefsFrom } from '../src/learning/posterior';
import { routeOutlineOf, RoutingError } from '../src/routing/plan';

export interface CandidateEvaluation {
  decisions: LoggedDecision[];
  resolved: LoggedDecision[];
  /** What the live decisions converted, with the half-width of its 95% interval. */
  liveRate: number | null;
  liveHalf: number;
  estimate: ReturnType<typeof estimateOffPolicy>;
}

/**
 * The candidate's conversion estimated from the best-fit decisions logged in [from, to) (self-normalised inverse
 * propensity), beside the live rate. Also what `shadow report` gives for the shadow policy. Throws NotEvaluable.
 */
export async function evaluateCandidate(
  db: Pool,
  o: { policy: RoutingPolicy; directory: Directory; from: Date; to: Date; draws: number },
): Promise<CandidateEvaluation> {
  const { policy, directory, draws } = o;
  const decisions = await readLoggedDecisions(db, o.from, o.to, policy.learning);
  const resolved = decisions.filter((d) => d.converted !== null);
  const choices: LoggedChoice[] = [];
  for (const d of resolved) {
    let bestFit = false;
    try {
      bestFit = routeOutlineOf({ policy, policyVersion: 0, lead: d.lead, directory }).ordering === 'best-fit';
    } catch (error) {
      if (!(error instanceof RoutingError)) throw error;
    }
    const evidence = bestFit
      ? {
          beliefOf: beliefsFrom(
            await readTeamEvidence(db, d.teamId, d.decidedAt, policy.learning),
            policy.learning.priorStrength,
          ),
          recentLeads: await readRecentFirstOffers(db, d.teamId, d.decidedAt, policy.learning.fairnessWindow),
        }
      : {};
    choices.push({
      propensity: d.propensity,
      candidateProbability: candidateProbability(d, { policy, directory, draws, ...evidence }),
      converted: d.converted!,
    });
  }
  const liveRate = resolved.length ? resolved.filter((d) => d.converted).length / resolved.length : null;
  const liveHalf = liveRate === null ? 0 : 1.96 * Math.sqrt((liveRate * (1 - liveRate)) / resolved.length);
  return { decisions, resolved, liveRate, liveHalf, estimate: estimateOffPolicy(choices) };
}
