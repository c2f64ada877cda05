// What every trained text model offers the classifier: a labelled prediction and the evidence behind it.
import type { FeatureVector } from './tokens';

export interface TrainingExample<L extends string> {
  features: FeatureVector;
  label: L;
}

export interface Evidence {
  feature: string;
  /** How much this feature adds for the label over the alternative (log-odds). */
  weight: number;
}

export interface Prediction<L extends string> {
  label: L;
  probabilities: Record<L, number>;
  /** The runner-up, against which evidence is weighed. */
  runnerUp: L | null;
  /** How many of the text's features the model has seen in training. */
  knownFeatures: number;
}

export interface LabelModel<L extends string> {
  readonly labels: readonly L[];
  predict(features: FeatureVector): Prediction<L>;
  /** The features that argue most for `label` over `against`, strongest first. */
  evidence(features: FeatureVector, label: L, against: L): Evidence[];
  /** Whether the feature appeared in any training example. */
  knows(feature: string): boolean;
}
