// Multinomial naive Bayes over weighted features, with Laplace smoothing and per-feature evidence for explanations.
import type { Evidence, LabelModel, Prediction, TrainingExample } from './label-model';
import type { FeatureVector } from './tokens';

export interface NaiveBayesOptions {
  /** Laplace smoothing: pretend every feature was seen this often in every class. */
  alpha: number;
  /**
   * Divides the summed log-likelihoods before normalising. Naive Bayes counts correlated features (a word, its
   * bigrams, its character n-grams) as independent evidence, so its raw probabilities are near 0 or 1; a
   * temperature above 1 turns them into confidences that mean something. It divides the whole score, prior
   * included, so it never changes the winning label.
   */
  temperature: number;
  /**
   * Scales every training text to the same total weight (the mean), so each example counts once whatever its
   * length: a long mail with a signature no longer outweighs three short notes, and a class of short texts no
   * longer concentrates its probability on the few everyday words they use.
   */
  normaliseLength?: boolean;
}

export function trainNaiveBayes<L extends string>(
  examples: ReadonlyArray<TrainingExample<L>>,
  options: NaiveBayesOptions,
): LabelModel<L> {
  if (examples.length === 0) throw new Error('naive Bayes needs at least one training example');
  if (!(options.alpha > 0)) throw new Error(`alpha must be positive, got ${options.alpha}`);
  if (!(options.temperature > 0)) throw new Error(`temperature must be positive, got ${options.temperature}`);

  const massOf = (features: FeatureVector) => {
    let mass = 0;
    for (const weight of features.values()) mass += weight;
    return mass;
  };
  const meanMass = examples.reduce((sum, e) => sum + massOf(e.features), 0) / examples.length;

  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const k = labels.length;
  const labelIndex = new Map<L, number>(labels.map((l, i) => [l, i]));
  const documents = new Float64Array(k);
  const totals = new Float64Array(k);
  // feature → its summed weight in each class
  const weights = new Map<string, Float64Array>();
  for (const { features, label } of examples) {
    const c = labelIndex.get(label)!;
    documents[c]!++;
    const mass = massOf(features);
    const scale = options.normaliseLength && mass > 0 ? meanMass / mass : 1;
    for (const [feature, raw] of features) {
      const weight = raw * scale;
      let row = weights.get(feature);
      if (!row) weights.set(feature, (row = new Float64Array(k)));
      row[c]! += weight;
      totals[c]! += weight;
    }
  }

  const logPrior = Array.from(documents, (n) => Math.log(n / examples.length));
  const denominators = Array.from(totals, (total) => Math.log(total + options.alpha * weights.size));
  // Smoothed log-likelihoods, computed once: prediction is then a sum of table lookups. One flat table with a row
  // per feature, not an array per feature: a worker keeps three models of 100,000s of features for its lifetime,
  // and a small typed array costs several times its few numbers.
  const rowOf = new Map<string, number>();
  const table = new Float64Array(weights.size * k);
  for (const [feature, row] of weights) {
    const at = rowOf.size * k;
    rowOf.set(feature, at);
    for (let c = 0; c < k; c++) table[at + c] = Math.log(row[c]! + options.alpha) - denominators[c]!;
  }
  weights.clear();

  function predict(features: FeatureVector): Prediction<L> {
    const scores = [...logPrior];
    let knownFeatures = 0;
    for (const [feature, weight] of features) {
      // A feature no class has seen carries the same smoothed likelihood ratio everywhere but skews by class size.
      const at = rowOf.get(feature);
      if (at === undefined) continue;
      knownFeatures++;
      for (let c = 0; c < k; c++) scores[c]! += weight * table[at + c]!;
    }
    const tempered = scores.map((s) => s / options.temperature);
    const max = Math.max(...tempered);
    const exps = tempered.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    const probabilities = {} as Record<L, number>;
    labels.forEach((label, c) => (probabilities[label] = exps[c]! / sum));
    const ranked = labels.map((_, c) => c).sort((a, b) => scores[b]! - scores[a]! || a - b);
    return {
      label: labels[ranked[0]!]!,
      probabilities,
      runnerUp: ranked.length > 1 ? labels[ranked[1]!]! : null,
      knownFeatures,
    };
  }

  function evidence(features: FeatureVector, label: L, against: L): Evidence[] {
    const a = labelIndex.get(label);
    const b = labelIndex.get(against);
    if (a === undefined || b === undefined) return [];
    const found: Evidence[] = [];
    for (const [feature, weight] of features) {
      const at = rowOf.get(feature);
      if (at === undefined) continue;
      const delta = weight * (table[at + a]! - table[at + b]!);
      if (delta > 0) found.push({ feature, weight: delta });
    }
    return found.sort((x, y) => y.weight - x.weight || (x.feature < y.feature ? -1 : 1));
  }

  return { labels, predict, evidence, knows: (feature) => rowOf.has(feature) };
}
