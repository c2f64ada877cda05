// Multinomial logistic regression over weighted features, trained by AdaGrad with L2, seeded and deterministic.
import type { Evidence, LabelModel, Prediction, TrainingExample } from './label-model';
import type { FeatureVector } from './tokens';

export interface LogisticRegressionOptions {
  /** L2 penalty per example and epoch: larger keeps weights small and probabilities modest. */
  l2: number;
  epochs: number;
  learningRate: number;
  /** Seeds the example order of each epoch; the same seed and corpus give the same model. */
  seed: number;
}

// Mulberry32: a tiny seeded generator, so training is reproducible without Math.random.
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainLogisticRegression<L extends string>(examples: ReadonlyArray<TrainingExample<L>>, options: LogisticRegressionOptions): LabelModel<L> {
  if (examples.length === 0) throw new Error('logistic regression needs at least one training example');
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const k = labels.length;
  const index = new Map<string, number>();
  for (const { features } of examples) for (const feature of features.keys()) if (!index.has(feature)) index.set(feature, index.size);
  const dimension = index.size + 1; // the last weight is the bias
  const weights = new Float64Array(dimension * k);
  const squared = new Float64Array(dimension * k).fill(1e-8);
  const encoded = examples.map(({ features, label }) => ({
    ids: Int32Array.from([...features.keys()].map((f) => index.get(f)!).concat(dimension - 1)),
    values: Float64Array.from([...features.values()].concat(1)),
    label: labels.indexOf(label),
  }));

  const scores = new Float64Array(k);
  const softmax = (ids: Int32Array, values: Float64Array): Float64Array => {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < ids.length; i++) s += weights[ids[i]! * k + c]! * values[i]!;
      scores[c] = s;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, scores[c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += scores[c] = Math.exp(scores[c]! - max);
    for (let c = 0; c < k; c++) scores[c]! /= sum;
    return scores;
  };

  const random = seededRandom(options.seed);
  const order = encoded.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const n of order) {
      const { ids, values, label } = encoded[n]!;
      const p = softmax(ids, values);
      for (let i = 0; i < ids.length; i++) {
        const base = ids[i]! * k;
        const bias = ids[i] === dimension - 1;
        for (let c = 0; c < k; c++) {
          const w = base + c;
          const gradient = (p[c]! - (c === label ? 1 : 0)) * values[i]! + (bias ? 0 : options.l2 * weights[w]!);
          squared[w]! += gradient * gradient;
          weights[w]! -= (options.learningRate * gradient) / Math.sqrt(squared[w]!);
        }
      }
    }
  }

  const weightOf = (feature: string, label: L): number => {
    const id = index.get(feature);
    return id === undefined ? 0 : weights[id * k + labels.indexOf(label)]!;
  };

  function predict(features: FeatureVector): Prediction<L> {
    const known = [...features.keys()].filter((f) => index.has(f));
    const p = softmax(Int32Array.from(known.map((f) => index.get(f)!).concat(dimension - 1)), Float64Array.from(known.map((f) => features.get(f)!).concat(1)));
    const probabilities = {} as Record<L, number>;
    labels.forEach((label, c) => (probabilities[label] = p[c]!));
    const ranked = [...labels].sort((a, b) => probabilities[b] - probabilities[a] || (a < b ? -1 : 1));
    return { label: ranked[0]!, probabilities, runnerUp: ranked[1] ?? null, knownFeatures: known.length };
  }

  function evidence(features: FeatureVector, label: L, against: L): Evidence[] {
    const found: Evidence[] = [];
    for (const [feature, value] of features) {
      if (!index.has(feature)) continue;
      const delta = value * (weightOf(feature, label) - weightOf(feature, against));
      if (delta > 0) found.push({ feature, weight: delta });
    }
    return found.sort((a, b) => b.weight - a.weight || (a.feature < b.feature ? -1 : 1));
  }

  return { labels, predict, evidence, knows: (feature) => index.has(feature) };
}
