// What the outcomes so far say about each rep's conversion rate in a segment: a Beta posterior per rep and segment,
// shrunk towards what a typical rep of the team converts in that segment, adjusted by the rep's record elsewhere in
// whichever direction and as far as such records have proved to predict (empirical Bayes), so a rep with three leads
// in a segment is judged mostly by the team and by their other work, and one with three hundred by their own. Leads
// still inside the outcome window are open, not failures; old evidence decays.
import type { LearningConfig } from '../policy/policy-schema';

const dayMs = 86_400_000;

/** One lead a rep took, and what has come of it so far. */
export interface OutcomeEvidence {
  repId: string;
  segmentKey: string;
  /** Epoch ms the rep took the lead. */
  assignedAt: number;
  /** Epoch ms the conversion event (or a later one) was reported; null while none is. */
  convertedAt: number | null;
  /** Epoch ms the lead was reported lost without converting; null while it is not. */
  lostAt: number | null;
}

/** Counts of resolved leads: weighted by age for the model, whole for the explanation. */
export interface Tally {
  /** Decayed conversions and resolved leads, the model's evidence. */
  conversions: number;
  resolved: number;
  /** The same, whole and undecayed, as a person counts them. */
  leadsConverted: number;
  leadsResolved: number;
}

export type LearningWindow = Pick<LearningConfig, 'outcomeWindow' | 'halfLife'>;

const emptyTally = (): Tally => ({ conversions: 0, resolved: 0, leadsConverted: 0, leadsResolved: 0 });

/** Whether the lead converted, did not, or is still open, as of `asOf`; null while open. */
export function resolution(
  e: Pick<OutcomeEvidence, 'assignedAt' | 'convertedAt' | 'lostAt'>,
  asOf: number,
  outcomeWindowDays: number,
): boolean | null {
  if (e.convertedAt !== null && e.convertedAt <= asOf) return true;
  if (e.lostAt !== null && e.lostAt <= asOf) return false;
  return asOf - e.assignedAt >= outcomeWindowDays * dayMs ? false : null;
}

/**
 * Resolved leads tallied by team, segment, rep, and rep and segment. Weights are stored relative to `epoch`
 * (2^((assignedAt − epoch) / half-life)) so evidence can be added as it resolves and read at any later instant by
 * one common factor, instead of re-weighting every lead at every read.
 */
export class EvidenceTallies {
  readonly team = emptyTally();
  readonly bySegment = new Map<string, Tally>();
  readonly byRep = new Map<string, Tally>();
  readonly byRepSegment = new Map<string, Map<string, Tally>>();
  readonly #halfLifeMs: number;

  constructor(
    readonly epoch: number,
    halfLifeDays: number,
  ) {
    this.#halfLifeMs = halfLifeDays * dayMs;
  }

  add(repId: string, segmentKey: string, assignedAt: number, converted: boolean): void {
    const weight = Math.pow(2, (assignedAt - this.epoch) / this.#halfLifeMs);
    this.addTally(repId, segmentKey, {
      conversions: converted ? weight : 0,
      resolved: weight,
      leadsConverted: converted ? 1 : 0,
      leadsResolved: 1,
    });
  }

  /**
   * Resolved leads already weighted relative to `epoch` (one lead from add, or an SQL aggregate read at `epoch`),
   * added to the team, the segment, the rep, and the rep in the segment.
   */
  addTally(repId: string, segmentKey: string, tally: Tally): void {
    for (const target of [
      this.team,
      getOr(this.bySegment, segmentKey, emptyTally),
      getOr(this.byRep, repId, emptyTally),
      getOr(
        getOr(this.byRepSegment, repId, () => new Map<string, Tally>()),
        segmentKey,
        emptyTally,
      ),
    ]) {
      target.conversions += tally.conversions;
      target.resolved += tally.resolved;
      target.leadsConverted += tally.leadsConverted;
      target.leadsResolved += tally.leadsResolved;
    }
  }

  /** The evidence as of `asOf`, decayed to that instant. */
  summaryAt(asOf: number): EvidenceSummary {
    return new EvidenceSummary(this, Math.pow(0.5, (asOf - this.epoch) / this.#halfLifeMs));
  }
}

/**
 * What skillWeight believes before any evidence: a slope of 0 (a rep's record elsewhere says nothing until the team's
 * records show which way it points), worth 1 of the slope's precision (one rep's ten leads in a segment converting at
 * 20%, with a skill elsewhere 30% off the team's, add about 0.3): the first few noisy records do not swing it to ±1,
 * which would make early decisions near-certain and leave the offline estimate resting on a few of them.
 */
const skillWeightPrior = 1;

/** How many reps' worth of the team's overall rate typicalRepRate starts from, so a segment nobody has is not 0/0. */
const typicalRepPrior = 1;

/** The tallies read at one instant: every stored weight times `scale`. */
export class EvidenceSummary {
  #expectedByRep: Map<string, number> | undefined;
  #typicalRepRate: { strength: number; bySegment: Map<string, number> } | undefined;
  #strength: { max: number; value: number } | undefined;
  #skillWeight: { strength: number; value: number } | undefined;

  constructor(
    readonly tallies: EvidenceTallies,
    readonly scale: number,
  ) {}

  /** The team's rate over everything, with one success and one failure of prior (Laplace) so it is never 0 or 1. */
  get overallRate(): number {
    const team = this.tallies.team;
    return (team.conversions * this.scale + 1) / (team.resolved * this.scale + 2);
  }

  /** The team's rate in a segment, shrunk towards its overall rate by `strength` leads. */
  segmentRate(segmentKey: string, strength: number): number {
    const tally = this.tallies.bySegment.get(segmentKey);
    return (
      ((tally?.conversions ?? 0) * this.scale + strength * this.overallRate) /
      ((tally?.resolved ?? 0) * this.scale + strength)
    );
  }

  /**
   * What a typical rep of the team converts in a segment: each rep's own rate there, weighed by how much their record
   * says (n ÷ (n + strength)). Best-fit gives the segment's leads mostly to the reps who convert them best, so the
   * segment's rate per lead (segmentRate) runs above what a rep picked at random converts; judged against it, a rep
   * with few leads there would be believed better than the evidence says, and tried more than the fairness floor
   * already makes them be.
   */
  typicalRepRate(segmentKey: string, strength: number): number {
    if (this.#typicalRepRate?.strength !== strength) this.#typicalRepRate = { strength, bySegment: new Map() };
    const cached = this.#typicalRepRate.bySegment.get(segmentKey);
    if (cached !== undefined) return cached;
    let sum = typicalRepPrior * this.overallRate;
    let weight = typicalRepPrior;
    for (const segments of this.tallies.byRepSegment.values()) {
      const tally = segments.get(segmentKey);
      if (!tally || tally.resolved <= 0) continue;
      const n = tally.resolved * this.scale;
      const w = n / (n + strength);
      sum += (w * tally.conversions) / tally.resolved;
      weight += w;
    }
    const value = sum / weight;
    this.#typicalRepRate.bySegment.set(segmentKey, value);
    return value;
  }

  /** Decayed conversions of the rep over every segment. */
  repConversions(repId: string): number {
    return (this.tallies.byRep.get(repId)?.conversions ?? 0) * this.scale;
  }

  /** What the rep would have converted at each segment's team rate: the yardstick of their skill. */
  expectedConversions(repId: string): number {
    if (!this.#expectedByRep) {
      this.#expectedByRep = new Map();
      for (const [rep, segments] of this.tallies.byRepSegment) {
        let expected = 0;
        for (const [segmentKey, tally] of segments)
          expected += tally.resolved * this.scale * this.segmentRate(segmentKey, 1);
        this.#expectedByRep.set(rep, expected);
      }
    }
    return this.#expectedByRep.get(repId) ?? 0;
  }

  /**
   * How many leads of evidence the prior is worth, estimated from how much reps differ beyond chance (empirical
   * Bayes, method of moments on the beta-binomial): Var(S) = Nμ(1−μ)(1 + (N−1)ρ) with ρ = 1/(m+1). Reps who
   * differ a lot give a weak prior, so each rep's own record counts sooner; `maxStrength` caps it while evidence
   * is thin or shows no difference at all.
   */
  priorStrength(maxStrength: number): number {
    if (this.#strength?.max === maxStrength) return this.#strength.value;
    let excess = 0;
    let scale = 0;
    for (const [repId, segments] of this.tallies.byRepSegment) {
      for (const [segmentKey, tally] of segments) {
        const n = tally.resolved * this.scale;
        if (n <= 1) continue;
        const mean = this.priorMean(repId, segmentKey, maxStrength);
        const deviation = tally.conversions * this.scale - n * mean;
        excess += deviation * deviation - n * mean * (1 - mean);
        scale += n * (n - 1) * mean * (1 - mean);
      }
    }
    const rho = scale > 0 ? excess / scale : 0;
    const value = rho > 0 ? Math.min(maxStrength, Math.max(1, 1 / rho - 1)) : maxStrength;
    this.#strength = { max: maxStrength, value };
    return value;
  }

  /**
   * The prior mean of a rep in a segment: a typical rep's rate there times the rep's skill in their other segments
   * (observed ÷ expected conversions there, shrunk towards 1 by the prior's strength) raised to skillWeight, the
   * power records elsewhere have proved to predict records here with. The segment's own leads are left out: they
   * count once, in the likelihood.
   */
  priorMean(repId: string, segmentKey: string, strength: number): number {
    const skill = Math.pow(this.#skillElsewhere(repId, segmentKey, strength), this.skillWeight(strength));
    return Math.min(maxPriorMean, Math.max(minPriorMean, this.typicalRepRate(segmentKey, strength) * skill));
  }

  /**
   * How a rep's skill elsewhere carries into a segment, from 1 (wholly) through 0 (not at all) to −1 (a rep better
   * elsewhere is worse here in the same proportion), estimated from every rep and segment with evidence (empirical
   * Bayes): the weighted least-squares slope of the conversions they made beyond a typical rep's on those the log of
   * their skill elsewhere predicted. Where every rep is good or bad at everything it nears 1; where reps specialise
   * (strong in one kind of lead, weak in another) it turns negative, and a rep's record in the other kinds says which
   * side of the team they are likely on here. With little evidence it stays near 0 (skillWeightPrior).
   */
  skillWeight(strength: number): number {
    if (this.#skillWeight?.strength === strength) return this.#skillWeight.value;
    let covariance = 0;
    let variance = skillWeightPrior;
    for (const [repId, segments] of this.tallies.byRepSegment) {
      for (const [segmentKey, tally] of segments) {
        const n = tally.resolved * this.scale;
        if (n <= 0) continue;
        const rate = this.typicalRepRate(segmentKey, strength);
        const predicted = n * rate * Math.log(this.#skillElsewhere(repId, segmentKey, strength));
        const observed = tally.conversions * this.scale - n * rate;
        const noise = n * rate * (1 - rate);
        covariance += (predicted * observed) / noise;
        variance += (predicted * predicted) / noise;
      }
    }
    const value = Math.min(1, Math.max(-1, covariance / variance));
    this.#skillWeight = { strength, value };
    return value;
  }

  /** The rep's observed ÷ expected conversions outside the segment, shrunk towards 1 by `strength` leads. */
  #skillElsewhere(repId: string, segmentKey: string, strength: number): number {
    const overall = this.overallRate;
    const own = this.tallies.byRepSegment.get(repId)?.get(segmentKey);
    const ownConversions = (own?.conversions ?? 0) * this.scale;
    const ownExpected = (own?.resolved ?? 0) * this.scale * this.segmentRate(segmentKey, 1);
    return (
      (this.repConversions(repId) - ownConversions + strength * overall) /
      (Math.max(0, this.expectedConversions(repId) - ownExpected) + strength * overall)
    );
  }

  /** The rep's own tally in a segment, decayed. */
  own(repId: string, segmentKey: string): Tally {
    const tally = this.tallies.byRepSegment.get(repId)?.get(segmentKey);
    if (!tally) return emptyTally();
    return { ...tally, conversions: tally.conversions * this.scale, resolved: tally.resolved * this.scale };
  }
}

/** Tallies every lead resolved by `asOf` (open ones are left out) and reads them at that instant. */
export function summarizeEvidence(
  evidence: Iterable<OutcomeEvidence>,
  asOf: number,
  window: LearningWindow,
): EvidenceSummary {
  const tallies = new EvidenceTallies(asOf, window.halfLife);
  for (const e of evidence) {
    if (e.assignedAt > asOf) continue;
    const converted = resolution(e, asOf, window.outcomeWindow);
    if (converted !== null) tallies.add(e.repId, e.segmentKey, e.assignedAt, converted);
  }
  return tallies.summaryAt(asOf);
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/** A rep's belief in one segment: the Beta posterior and what it rests on. */
export interface RepBelief {
  alpha: number;
  beta: number;
  /** The prior mean: a typical rep's rate in the segment times their skill elsewhere, as it carries (skillWeight). */
  priorMean: number;
  /** The team's rate in this segment, for the explanation. */
  teamRate: number;
  /** The rep's own resolved leads in the segment. */
  own: Tally;
}

export const maxPriorMean = 0.999;
export const minPriorMean = 0.001;

export function beliefOf(
  repId: string,
  segmentKey: string,
  summary: EvidenceSummary,
  maxPriorStrength: number,
): RepBelief {
  const priorMean = summary.priorMean(repId, segmentKey, maxPriorStrength);
  const strength = summary.priorStrength(maxPriorStrength);
  const own = summary.own(repId, segmentKey);
  return {
    alpha: strength * priorMean + own.conversions,
    beta: strength * (1 - priorMean) + (own.resolved - own.conversions),
    priorMean,
    teamRate: summary.segmentRate(segmentKey, maxPriorStrength),
    own,
  };
}

/** Beliefs for best-fit from summarized outcomes: what PlanRoutingInput.fit.beliefOf expects. */
export function beliefsFrom(
  summary: EvidenceSummary,
  priorStrength: number,
): (repId: string, segmentKey: string) => RepBelief {
  return (repId, segmentKey) => beliefOf(repId, segmentKey, summary, priorStrength);
}

/** A belief that is certain of a rate: the simulator's oracle ranks reps by what it knows, not by what it saw. */
export function knownRate(rate: number): RepBelief {
  const mean = Math.min(maxPriorMean, Math.max(minPriorMean, rate));
  const strength = 1e9;
  return { alpha: strength * mean, beta: strength * (1 - mean), priorMean: mean, teamRate: mean, own: emptyTally() };
}

export function beliefMean(belief: RepBelief): number {
  return belief.alpha / (belief.alpha + belief.beta);
}
