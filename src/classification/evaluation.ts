// Measuring a trained classifier on labelled inquiries: the figures `npm run eval` prints and retraining compares.
import { trainClassifier, type Classification, type ClassifierOptions, type LeadClassifier } from './classifier';
import { defaultReceivedAt, type LabelledInquiry } from './corpus';

export interface Outcome {
  example: LabelledInquiry;
  result: Classification;
}

export interface Scores {
  serviceLineAccuracy: number;
  urgencyAccuracy: number;
  spamRecall: number;
  spamFalsePositiveRate: number;
  spamKindAccuracy: number;
}

export function classifyAll(
  training: readonly LabelledInquiry[],
  evaluation: readonly LabelledInquiry[],
  options: ClassifierOptions = {},
): Outcome[] {
  return classifyWith(trainClassifier(training, options), evaluation);
}

/** Every example as `classifier` reads it, at its own arrival time and zone. */
export function classifyWith(classifier: LeadClassifier, evaluation: readonly LabelledInquiry[]): Outcome[] {
  return evaluation.map((example) => ({
    example,
    result: classifier.classify({
      text: example.text,
      receivedAt: example.receivedAt ?? defaultReceivedAt,
      timeZone: example.timeZone ?? null,
    }),
  }));
}

const ratio = (hits: number, total: number) => (total === 0 ? Number.NaN : hits / total);

export function scoreOutcomes(outcomes: readonly Outcome[]): Scores {
  // Service line and urgency are judged on genuine inquiries: a spam message has no service line to get right.
  const genuine = outcomes.filter((o) => !o.example.spam);
  const spam = outcomes.filter((o) => o.example.spam);
  return {
    serviceLineAccuracy: ratio(
      genuine.filter((o) => o.result.serviceLine === o.example.serviceLine).length,
      genuine.length,
    ),
    urgencyAccuracy: ratio(genuine.filter((o) => o.result.urgency === o.example.urgency).length, genuine.length),
    spamRecall: ratio(spam.filter((o) => o.result.spam).length, spam.length),
    spamFalsePositiveRate: ratio(genuine.filter((o) => o.result.spam).length, genuine.length),
    spamKindAccuracy: ratio(
      spam.filter((o) => o.example.spamKind !== undefined && o.result.spamKind === o.example.spamKind).length,
      spam.filter((o) => o.example.spamKind !== undefined).length,
    ),
  };
}
