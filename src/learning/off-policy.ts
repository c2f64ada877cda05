// Offline evaluation from logged propensities: what conversion rate a candidate policy would have had on the
// leads the live policy routed, without running it. Self-normalised inverse propensity scoring (SNIPS): each
// logged lead whose rep the candidate would also have chosen counts with weight π_candidate / propensity.

export interface LoggedChoice {
  /** The chance the live policy had of choosing the rep it chose. */
  propensity: number;
  /** The chance the candidate policy chooses that same rep for that lead (1 or 0 for a deterministic one). */
  candidateProbability: number;
  converted: boolean;
}

export interface OffPolicyEstimate {
  /** Estimated conversion rate of the candidate; null when it agrees with the log on no lead. */
  rate: number | null;
  /** 95% interval (delta method), clipped to [0, 1]. */
  low: number | null;
  high: number | null;
  /** Leads where the candidate could have made the logged choice: what the estimate rests on. */
  matched: number;
  /** Effective sample size of the weights, (Σw)² / Σw²: far below `matched` means a few leads dominate. */
  effectiveSize: number;
}

export function estimateOffPolicy(log: Iterable<LoggedChoice>): OffPolicyEstimate {
  let sumW = 0;
  let sumWR = 0;
  let sumW2 = 0;
  let matched = 0;
  const terms: Array<{ w: number; r: number }> = [];
  for (const choice of log) {
    if (!(choice.propensity > 0 && choice.propensity <= 1))
      throw new RangeError(`a propensity must be in (0, 1] (got ${choice.propensity})`);
    if (choice.candidateProbability <= 0) continue;
    const w = choice.candidateProbability / choice.propensity;
    const r = choice.converted ? 1 : 0;
    sumW += w;
    sumWR += w * r;
    sumW2 += w * w;
    matched += 1;
    terms.push({ w, r });
  }
  if (sumW === 0) return { rate: null, low: null, high: null, matched: 0, effectiveSize: 0 };
  const rate = sumWR / sumW;
  // Delta-method variance of a ratio estimator: Σ w²(r − rate)² / (Σw)².
  let spread = 0;
  for (const { w, r } of terms) spread += w * w * (r - rate) * (r - rate);
  const se = Math.sqrt(spread) / sumW;
  return {
    rate,
    low: Math.max(0, rate - 1.96 * se),
    high: Math.min(1, rate + 1.96 * se),
    matched,
    effectiveSize: (sumW * sumW) / sumW2,
  };
}
