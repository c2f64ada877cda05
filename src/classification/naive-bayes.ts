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
}

export function trainNaiveBayes<L extends string>(examples: ReadonlyArray<TrainingExample<L>>, options: NaiveBayesOptions): LabelModel<L> {
  if (examples.length === 0) throw new Error('naive Bayes needs at least one training example');
  if (!(options.alpha > 0)) throw new Error(`alpha must be positive, got ${options.alpha}`);
  if (!(options.temperature > 0)) throw new Error(`temperature must be positive, got ${options.temperature}`);

  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const documents = new Map<L, number>(labels.map((l) => [l, 0]));
  const featureWeights = new Map<L, Map<string, number>>(labels.map((l) => [l, new Map()]));
  const totalWeight = new Map<L, number>(labels.map((l) => [l, 0]));
  const vocabulary = new Set<string>();

  for (const { features, label } of examples) {
    documents.set(label, (documents.get(label) ?? 0) + 1);
    const counts = featureWeights.get(label)!;
    for (const [feature, weight] of features) {
      counts.set(feature, (counts.get(feature) ?? 0) + weight);
      totalWeight.set(label, (totalWeight.get(label) ?? 0) + weight);
      vocabulary.add(feature);
    }
  }

  const logPrior = new Map<L, number>(labels.map((l) => [l, Math.log((documents.get(l) ?? 0) / examples.length)]));
  const denominators = new Map<L, number>(labels.map((l) => [l, Math.log((totalWeight.get(l) ?? 0) + options.alpha * vocabulary.size)]));
  const logLikelihood = (feature: string, label: L): number =>
    Math.log((featureWeights.get(label)!.get(feature) ?? 0) + options.alpha) - denominators.get(label)!;

  function predict(features: FeatureVector): Prediction<L> {
    const scores = new Map<L, number>(labels.map((l) => [l, logPrior.get(l)!]));
    let knownFeatures = 0;
    for (const [feature, weight] of features) {
      // A feature no class has seen carries the same smoothed likelihood ratio everywhere but skews by class size.
      if (!vocabulary.has(feature)) continue;
      knownFeatures++;
      for (const label of labels) scores.set(label, scores.get(label)! + weight * logLikelihood(feature, label));
    }
    for (const label of labels) scores.set(label, scores.get(label)! / options.temperature);
    const max = Math.max(...scores.values());
    let sum = 0;
    for (const label of labels) sum += Math.exp(scores.get(label)! - max);
    const probabilities = {} as Record<L, number>;
    for (const label of labels) probabilities[label] = Math.exp(scores.get(label)! - max) / sum;
    const ranked = [...labels].sort((a, b) => scores.get(b)! - scores.get(a)! || (a < b ? -1 : 1));
    return { label: ranked[0]!, probabilities, runnerUp: ranked[1] ?? null, knownFeatures };
  }

  function evidence(features: FeatureVector, label: L, against: L): Evidence[] {
    const found: Evidence[] = [];
    for (const [feature, weight] of features) {
      if (!vocabulary.has(feature)) continue;
      const delta = weight * (logLikelihood(feature, label) - logLikelihood(feature, against));
      if (delta > 0) found.push({ feature, weight: delta });
    }
    return found.sort((a, b) => b.weight - a.weight || (a.feature < b.feature ? -1 : 1));
  }

  return { labels, predict, evidence, knows: (feature) => vocabulary.has(feature) };
}
