// Corrections to the classifier's reading of a lead (service line, urgency, spam verdict) by the people who work
// it, how corrected leads become training examples, and when a model retrained on them may replace the active one.
import { z } from 'zod';
import { trainClassifier } from './classification/classifier';
import { serviceLineId, type LabelledInquiry } from './classification/corpus';
import { classifyWith, scoreOutcomes, type Scores } from './classification/evaluation';
import { urgencies, type Urgency } from './classification/urgency';

export const CorrectionSchema = z
  .strictObject({
    serviceLine: serviceLineId.optional(),
    urgency: z.enum(urgencies, { error: `an urgency: ${urgencies.join(', ')}` }).optional(),
    spam: z.boolean({ error: 'true (it is spam) or false (it is a genuine inquiry)' }).optional(),
    note: z.string().trim().max(500, 'at most 500 characters').optional(),
  })
  .refine((c) => c.serviceLine !== undefined || c.urgency !== undefined || c.spam !== undefined, {
    message: 'give at least one of serviceLine, urgency or spam',
    path: ['serviceLine'],
  })
  .meta({
    description: 'At least one of `serviceLine`, `urgency` or `spam`',
    anyOf: [{ required: ['serviceLine'] }, { required: ['urgency'] }, { required: ['spam'] }],
  });
export type CorrectionInput = z.output<typeof CorrectionSchema>;

/** What the classifier said; what a correction changes. */
export interface Reading {
  serviceLine: string;
  urgency: Urgency;
  spam: boolean;
}

export interface StoredCorrection {
  id: number;
  leadId: string;
  /** A rep id, or `api-key:<name>`. */
  correctedBy: string;
  serviceLine: string | null;
  urgency: Urgency | null;
  spam: boolean | null;
  note: string | null;
  /** The reading when the correction was made. */
  was: Reading;
  createdAt: string;
}

/** "service line support → cybersecurity; urgency none → now", from what the reading was. */
export function describeCorrection(c: Pick<StoredCorrection, 'serviceLine' | 'urgency' | 'spam' | 'was'>): string {
  const changes: string[] = [];
  if (c.serviceLine !== null) changes.push(`service line ${c.was.serviceLine} → ${c.serviceLine}`);
  if (c.urgency !== null) changes.push(`urgency ${c.was.urgency} → ${c.urgency}`);
  if (c.spam !== null) changes.push(c.spam ? 'is spam' : 'is not spam');
  return changes.join('; ');
}

/** The reading after every correction, in order: each field takes its latest correction. */
export function correctedReading(reading: Reading, corrections: readonly StoredCorrection[]): Reading {
  const result = { ...reading };
  for (const c of [...corrections].sort((a, b) => a.id - b.id)) {
    if (c.serviceLine !== null) result.serviceLine = c.serviceLine;
    if (c.urgency !== null) result.urgency = c.urgency;
    if (c.spam !== null) result.spam = c.spam;
  }
  return result;
}

export interface CorrectedLead {
  leadId: string;
  text: string;
  receivedAt: string;
  timeZone: string | null;
  /** What the classifier read when it qualified the lead. */
  reading: Reading;
  corrections: StoredCorrection[];
}

/**
 * A corrected lead as a labelled example for training: the text with its arrival time (relative deadlines in it
 * were judged against that), and the reading as corrected. Null for a lead with no text, which teaches nothing.
 */
export function correctedExample(lead: CorrectedLead): LabelledInquiry | null {
  if (lead.text.trim() === '' || lead.corrections.length === 0) return null;
  const reading = correctedReading(lead.reading, lead.corrections);
  return {
    text: lead.text,
    serviceLine: reading.serviceLine,
    urgency: reading.spam ? 'none' : reading.urgency,
    spam: reading.spam,
    receivedAt: lead.receivedAt,
    ...(lead.timeZone ? { timeZone: lead.timeZone } : {}),
  };
}

/** What a model is judged on: its figures on the frozen evaluation set. */
export interface ModelFigures {
  serviceLine: number;
  urgency: number;
  spamRecall: number;
  spamFalsePositiveRate: number;
  /** How many evaluation examples the figures come from. */
  evaluated: number;
}

export function figuresOf(scores: Scores, evaluated: number): ModelFigures {
  return {
    serviceLine: scores.serviceLineAccuracy,
    urgency: scores.urgencyAccuracy,
    spamRecall: scores.spamRecall,
    spamFalsePositiveRate: scores.spamFalsePositiveRate,
    evaluated,
  };
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

export function describeFigures(f: ModelFigures): string {
  return `service line ${percent(f.serviceLine)}, urgency ${percent(f.urgency)}, spam recall ${percent(f.spamRecall)}, false positives ${percent(f.spamFalsePositiveRate)} (on ${f.evaluated})`;
}

/**
 * A candidate replaces the active model only if it is no worse on any figure: a retraining that buys urgency with
 * spam recall is kept aside, with its figures, for a person to look at.
 */
export function judgeCandidate(
  candidate: ModelFigures,
  active: ModelFigures | null,
): { activate: boolean; reason: string } {
  if (active === null) return { activate: true, reason: `no active model: ${describeFigures(candidate)}` };
  const worse: string[] = [];
  if (candidate.serviceLine < active.serviceLine)
    worse.push(`service line ${percent(candidate.serviceLine)} < ${percent(active.serviceLine)}`);
  if (candidate.urgency < active.urgency)
    worse.push(`urgency ${percent(candidate.urgency)} < ${percent(active.urgency)}`);
  if (candidate.spamRecall < active.spamRecall)
    worse.push(`spam recall ${percent(candidate.spamRecall)} < ${percent(active.spamRecall)}`);
  if (candidate.spamFalsePositiveRate > active.spamFalsePositiveRate)
    worse.push(
      `false positives ${percent(candidate.spamFalsePositiveRate)} > ${percent(active.spamFalsePositiveRate)}`,
    );
  return worse.length === 0
    ? { activate: true, reason: `not worse than the active model: ${describeFigures(candidate)}` }
    : { activate: false, reason: `worse than the active model: ${worse.join('; ')}` };
}

export interface RetrainInput {
  /** The default corpus plus the deployment's own file (as the worker trains at start). */
  base: readonly LabelledInquiry[];
  corrected: readonly CorrectedLead[];
  /** The frozen evaluation set: never trained on. */
  evaluation: readonly LabelledInquiry[];
  /** Figures of the active model, or null when none was measured yet. */
  active: ModelFigures | null;
}

export interface RetrainResult {
  /** The corrected leads as examples, to train on beside `base`. */
  examples: LabelledInquiry[];
  figures: ModelFigures;
  activate: boolean;
  reason: string;
}

/** Trains a candidate on the base corpus plus the corrected leads and judges it on the frozen evaluation set. */
export function retrainCandidate(input: RetrainInput): RetrainResult {
  // An evaluation text that a rep corrected must not be trained on: the figures would measure memory.
  const evaluated = new Set(input.evaluation.map((e) => e.text.trim()));
  const examples = input.corrected
    .map(correctedExample)
    .filter((e): e is LabelledInquiry => e !== null && !evaluated.has(e.text.trim()));
  const classifier = trainClassifier([...input.base, ...examples]);
  const figures = figuresOf(scoreOutcomes(classifyWith(classifier, input.evaluation)), input.evaluation.length);
  return { examples, figures, ...judgeCandidate(figures, input.active) };
}
