// The best-fit ordering: among the reps who may take the lead (available, under capacity), the one the outcomes
// say converts this kind of lead best, by Thompson sampling (one draw from each rep's posterior, highest first),
// so reps with little evidence still get leads in proportion to how likely they are to be best. A fairness floor
// comes first: a rep who received less than their floor share of the team's leads in the window is owed the lead.
// Every draw comes from a seeded stream, so a decision can be replayed; its propensity (the chance the live policy
// picks the rep it picked) is recorded for evaluating other policies offline.
import { beliefMean, type RepBelief } from './posterior';
import { betaDraw, seededUniform } from './random';

export interface FitMember {
  id: string;
  weight: number;
}

export interface BestFitInput {
  /** The reps who may take the lead, in directory order. */
  members: readonly FitMember[];
  /** One belief per member, in the same order. */
  beliefs: readonly RepBelief[];
  /** Leads of this team each member received in the fairness window, in the same order. */
  recentLeads: readonly number[];
  /** Each member is owed at least this share of their weighted share of the window's leads. */
  fairnessFloor: number;
  seed: number;
  /** How many extra draws estimate the propensity; 0 skips the estimate (the simulator's oracle). */
  propensityDraws: number;
  /**
   * The share of each posterior's variance the draws keep (the policy's learning.exploration): 1 is plain
   * Thompson sampling; less draws nearer each rep's estimate, exploiting more. The fairness floor keeps every
   * rep receiving leads, so evidence on each keeps coming whatever this is. Default 1.
   */
  exploration?: number;
}

/** A draw with about `exploration` of the belief's variance: Beta(α/e, β/e) has the same mean, about e × the variance. */
export function drawFrom(belief: RepBelief, exploration: number, uniform: () => number): number {
  return betaDraw(belief.alpha / exploration, belief.beta / exploration, uniform);
}

export interface BestFitRanking {
  /** Positions into members, first offer first. */
  order: number[];
  /** The draw of each member, in members' order. */
  draws: number[];
  /** The position the fairness floor put first (the highest draw among those it owes); -1 when it owes nobody. */
  owed: number;
  /** What the owed member was short of: their leads in the window and their floor. */
  owedBy: { received: number; floor: number } | null;
  /** Chance the policy puts order[0] first, in (0, 1]; 1 when the floor alone decided. */
  propensity: number;
}

const epsilon = 1e-9;

/**
 * Whom the floor owes the lead: the members furthest below floor × weight share × (window leads + this one). Several
 * when they are equally short (a new team: everyone at 0), and the draws choose among them. `floors` is each
 * member's floor, for the explanation.
 */
export function owedMembers(
  members: readonly FitMember[],
  recentLeads: readonly number[],
  fairnessFloor: number,
): { positions: number[]; floors: number[] } | null {
  if (fairnessFloor <= 0 || members.length < 2) return null;
  let totalWeight = 0;
  let totalLeads = 0;
  members.forEach((m, i) => {
    totalWeight += m.weight;
    totalLeads += recentLeads[i] ?? 0;
  });
  const floors = members.map((m) => fairnessFloor * (m.weight / totalWeight) * (totalLeads + 1));
  const shorts = floors.map((floor, i) => floor - (recentLeads[i] ?? 0));
  const most = Math.max(...shorts);
  if (most <= epsilon) return null;
  return { positions: shorts.flatMap((short, i) => (short >= most - epsilon ? [i] : [])), floors };
}

export function rankBestFit(input: BestFitInput): BestFitRanking {
  const { members, beliefs, seed } = input;
  if (beliefs.length !== members.length || input.recentLeads.length !== members.length)
    throw new RangeError('best-fit needs one belief and one window count per member');
  const uniform = seededUniform(seed);
  const exploration = input.exploration ?? 1;
  if (!(exploration > 0 && exploration <= 1))
    throw new RangeError(`exploration must be in (0, 1] (got ${exploration})`);
  const draws = beliefs.map((b) => drawFrom(b, exploration, uniform));
  const byDraw = draws.map((_, i) => i).sort((a, b) => draws[b]! - draws[a]! || a - b);
  const owed = owedMembers(members, input.recentLeads, input.fairnessFloor);
  const pool = owed?.positions ?? byDraw;
  const chosen = byDraw.find((i) => pool.includes(i));
  if (chosen === undefined) return { order: [], draws, owed: -1, owedBy: null, propensity: 1 };
  const order = [chosen, ...byDraw.filter((i) => i !== chosen)];
  return {
    order,
    draws,
    owed: owed ? chosen : -1,
    owedBy: owed ? { received: input.recentLeads[chosen] ?? 0, floor: owed.floors[chosen]! } : null,
    propensity: estimatePropensity(beliefs, pool, chosen, input),
  };
}

/**
 * Chance that `position` draws highest, by repeated draws from a stream of its own. The decision's own draw is one
 * more sample of the same distribution and is counted, so an unlikely choice that happened is never given 0.
 */
function estimatePropensity(
  beliefs: readonly RepBelief[],
  pool: readonly number[],
  position: number,
  input: BestFitInput,
): number {
  if (pool.length === 1) return 1;
  const draws = input.propensityDraws;
  if (draws === 0) return 1;
  const uniform = seededUniform(input.seed ^ 0x5bd1e995);
  return (1 + winsOf(beliefs, pool, position, draws, input.exploration ?? 1, uniform)) / (draws + 1);
}

/** In how many of `rounds` rounds of one draw per belief in `pool` the one at `position` draws highest. */
export function winsOf(
  beliefs: readonly RepBelief[],
  pool: readonly number[],
  position: number,
  rounds: number,
  exploration: number,
  uniform: () => number,
): number {
  let wins = 0;
  for (let k = 0; k < rounds; k++) {
    let best = -1;
    let bestValue = -Infinity;
    for (const i of pool) {
      const value = drawFrom(beliefs[i]!, exploration, uniform);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    if (best === position) wins++;
  }
  return wins;
}

/** The belief in words: "12 of 38 mid-market cloud leads became opportunities (31%; team 18%)". */
export function describeBelief(belief: RepBelief, segmentLabel: string, converted: string): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const own = belief.own;
  const record =
    own.leadsResolved === 0
      ? `no resolved ${segmentLabel} yet`
      : `${own.leadsConverted} of ${own.leadsResolved} ${segmentLabel} ${converted}`;
  return `${record} (estimate ${pct(beliefMean(belief))}; team ${pct(belief.teamRate)})`;
}
