// The lead classifier: naive Bayes models for service line, urgency and spam, trained from a labelled corpus,
// with deadlines read from the text and spam told apart by kind.
import type { SpamKind, LabelledInquiry } from './corpus';
import type { Language } from './language';
import type { LabelModel, Prediction, TrainingExample } from './label-model';
import { trainNaiveBayes } from './naive-bayes';
import { detectTestSubmission, hasLetterRun, trainSpellingModel, type SpellingModel } from './spam-signals';
import { readTimeline, urgencyOfTimeline, type Timeline } from './timeline';
import {
  featuresOf,
  foldText,
  splitCompound,
  tokenise,
  type FeatureWeights,
  type Features,
  type TokenisedText,
} from './tokens';
import type { Urgency } from './urgency';
import { genericWords, stopWords, timeWords } from './stop-words';

export interface ClassifyInput {
  text: string;
  /** ISO-8601; relative deadlines ("by Friday") are read from this day. */
  receivedAt: string;
  /** IANA zone of the lead, so "today" is their today. UTC when absent. */
  timeZone?: string | null;
}

export interface Classification {
  serviceLine: string;
  urgency: Urgency;
  spam: boolean;
  spamKind?: SpamKind;
  /** The most pressing deadline in the text, if it names one. */
  timeline: Timeline | null;
  /** Probability of each decision as made (for spam: that the spam verdict, either way, is right). */
  confidence: { serviceLine: number; urgency: number; spam: number };
  /** The strongest evidence for each decision, in words. */
  reasons: string[];
  /** The language the text was read in (stemming, reasons). */
  language: Language;
}

export interface LeadClassifier {
  /** The service lines this classifier can answer: the labels of its corpus. */
  readonly serviceLines: readonly string[];
  classify(input: ClassifyInput): Classification;
}

export interface ClassifierOptions {
  /** Weight of character n-grams in the spam model. */
  pitchCharNgramWeight?: number;
  /** Laplace smoothing of the service-line model. */
  alpha?: number;
  /** 1: the service-line model scales every training text to the same total weight (see NaiveBayesOptions). */
  serviceLineLengthNorm?: number;
  /** Weight of the known parts of a German compound the service-line model has not seen (0 leaves them out). */
  compoundWeight?: number;
  /** Laplace smoothing of the urgency model (its wording cues are few; more smoothing keeps one word from deciding). */
  urgencyAlpha?: number;
  /** Laplace smoothing of the spam model. */
  spamAlpha?: number;
  /** Weight of word-bigram features relative to single words. */
  bigramWeight?: number;
  /** Weight of character 3-5-gram features (they catch typos and words shared across languages). */
  charNgramWeight?: number;
  /** Weight of cross-language concept features for the service line (0 leaves them out). */
  conceptWeight?: number;
  /** Weight of phrase concepts (who writes to whom: "for us", "our contract", "not a client") for the service line. */
  phraseConceptWeight?: number;
  /** The same for the urgency and spam models. */
  urgencyConceptWeight?: number;
  pitchConceptWeight?: number;
  /** The urgency model reads a negated word as a word of its own: "nothing urgent" is not evidence of `now`. */
  urgencyNegation?: boolean;
  /** Temperature of the service-line and spam posteriors (see NaiveBayesOptions); calibrated by cross-validation. */
  temperature?: number;
  /** Temperature of the urgency posteriors (few features per text: less to temper). */
  urgencyTemperature?: number;
  /**
   * Words that name a request forgiven beside a test cue in a text of more than 8 words (names and signatures
   * always are); see detectTestSubmission.
   */
  testStrayAllowance?: number;
  /** Probability of sales spam from which a lead is thrown out. */
  spamThreshold?: number;
  /** Where a text with no word the model knows goes; defaults to `other` when the corpus has it. */
  fallbackServiceLine?: string;
}

// Chosen by 5-fold cross-validation on the default training corpus (scripts/eval.ts --cross-validate), never on
// the evaluation set.
export const defaultClassifierOptions: Required<Omit<ClassifierOptions, 'fallbackServiceLine'>> = {
  alpha: 0.2,
  serviceLineLengthNorm: 1,
  compoundWeight: 2,
  urgencyAlpha: 1,
  spamAlpha: 0.05,
  bigramWeight: 0.5,
  charNgramWeight: 4,
  pitchCharNgramWeight: 1,
  temperature: 4,
  urgencyTemperature: 1.5,
  conceptWeight: 5,
  phraseConceptWeight: 10,
  urgencyConceptWeight: 1,
  pitchConceptWeight: 2,
  urgencyNegation: true,
  spamThreshold: 0.5,
  testStrayAllowance: 2,
};

interface ModelInput {
  tokenised: TokenisedText;
  topic: Features;
  wording: Features;
  pitch: Features;
}

function describeWords(words: string[]): string {
  return words.map((w) => `'${w}'`).join(', ');
}

function percent(p: number): string {
  return p.toFixed(2);
}

/**
 * Trains the three models on `examples`. Service lines and urgency learn from genuine inquiries only; spam from all.
 * Throws when the corpus cannot teach a model: fewer than two service lines, or no spam or no genuine example.
 */
export function trainClassifier(examples: readonly LabelledInquiry[], options: ClassifierOptions = {}): LeadClassifier {
  const o = { ...defaultClassifierOptions, ...options };
  const genuine = examples.filter((e) => !e.spam);
  const serviceLines = [...new Set(genuine.map((e) => e.serviceLine))].sort();
  if (serviceLines.length < 2)
    throw new Error(`corpus: needs genuine examples of at least two service lines, found ${serviceLines.length}`);
  if (genuine.length === examples.length)
    throw new Error('corpus: needs at least one spam example (spam: true) to learn what spam looks like');
  const fallbackServiceLine = options.fallbackServiceLine ?? (serviceLines.includes('other') ? 'other' : null);
  if (fallbackServiceLine !== null && !serviceLines.includes(fallbackServiceLine)) {
    throw new Error(
      `fallbackServiceLine: ${fallbackServiceLine} is not a service line of the corpus (${serviceLines.join(', ')})`,
    );
  }

  // Topic (service line, spam) reads words, bigrams and character n-grams; wording (urgency) reads words and
  // bigrams only: "down", "no rush", "asap" matter there, the spelling of "kubernetes" does not.
  const topicWeights: FeatureWeights = {
    words: 1,
    bigrams: o.bigramWeight,
    charNgrams: o.charNgramWeight,
    concepts: o.conceptWeight,
    phraseConcepts: o.phraseConceptWeight,
    skip: [timeWords, genericWords],
  };
  const wordingWeights: FeatureWeights = {
    words: 1,
    bigrams: o.bigramWeight,
    charNgrams: 0,
    concepts: o.urgencyConceptWeight,
    negation: o.urgencyNegation,
  };
  // Spam reads everything: "we need" and "we offer", "today only" are what tell a pitch from an inquiry.
  const pitchWeights: FeatureWeights = {
    words: 1,
    bigrams: o.bigramWeight,
    charNgrams: o.pitchCharNgramWeight,
    concepts: o.pitchConceptWeight,
    everyWord: true,
  };
  const prepare = (text: string, explain = true): ModelInput => {
    const tokenised = tokenise(text);
    return {
      tokenised,
      topic: featuresOf(tokenised, topicWeights, explain),
      wording: featuresOf(tokenised, wordingWeights, explain),
      pitch: featuresOf(tokenised, pitchWeights, explain),
    };
  };

  const prepared = examples.map((example) => ({ example, input: prepare(example.text, false) }));
  const train = <L extends string>(
    set: ReadonlyArray<TrainingExample<L>>,
    alpha: number,
    temperature = o.temperature,
    normaliseLength = false,
  ): LabelModel<L> => trainNaiveBayes(set, { alpha, temperature, normaliseLength });
  const serviceLineModel = train(
    prepared
      .filter((p) => !p.example.spam)
      .map((p) => ({ features: p.input.topic.vector, label: p.example.serviceLine })),
    o.alpha,
    o.temperature,
    o.serviceLineLengthNorm > 0,
  );
  const urgencyModel = train<Urgency>(
    prepared
      .filter((p) => !p.example.spam)
      .map((p) => ({ features: p.input.wording.vector, label: p.example.urgency })),
    o.urgencyAlpha,
    o.urgencyTemperature,
  );
  // Test submissions and gibberish are caught by their shape; teaching them to the word model would only make it
  // suspicious of short genuine messages.
  const spamModel = train(
    prepared
      .filter((p) => !p.example.spam || p.example.spamKind === undefined || p.example.spamKind === 'sales-spam')
      .map((p) => ({ features: p.input.pitch.vector, label: p.example.spam ? 'spam' : 'genuine' })),
    o.spamAlpha,
  );
  const spelling = trainSpellingModel(prepared.filter((p) => !p.example.spam).map((p) => p.input.tokenised.words));

  return {
    serviceLines,
    classify: (input) =>
      classifyWith(input, prepare, {
        serviceLineModel,
        urgencyModel,
        spamModel,
        spelling,
        fallbackServiceLine,
        spamThreshold: o.spamThreshold,
        testStrayAllowance: o.testStrayAllowance,
        compoundWeight: o.compoundWeight,
      }),
  };
}

interface Models {
  serviceLineModel: LabelModel<string>;
  urgencyModel: LabelModel<Urgency>;
  spamModel: LabelModel<string>;
  spelling: SpellingModel;
  fallbackServiceLine: string | null;
  spamThreshold: number;
  testStrayAllowance: number;
  compoundWeight: number;
}

/** The words (as written) behind the strongest word and bigram evidence for `label`. */
function telltaleWords<L extends string>(
  model: LabelModel<L>,
  features: Features,
  label: L,
  against: L | null,
  limit = 3,
): string[] {
  if (against === null) return [];
  const words: string[] = [];
  for (const { feature } of model.evidence(features.vector, label, against)) {
    if (feature.startsWith('c:')) continue;
    const written = features.surface.get(feature);
    if (written === undefined || words.some((w) => w === written || w.includes(written) || written.includes(w)))
      continue;
    words.push(written);
    if (words.length === limit) break;
  }
  return words;
}

function classifyWith(input: ClassifyInput, prepare: (text: string) => ModelInput, m: Models): Classification {
  const text = typeof input.text === 'string' ? input.text : '';
  const { tokenised, topic, wording, pitch } = prepare(text);
  const reasons: string[] = [];

  // Service line. A German compound it has not seen is read as the known words it is made of.
  if (m.compoundWeight > 0 && tokenised.language === 'de') {
    const knows = (stem: string) => m.serviceLineModel.knows(`w:${stem}`);
    for (const token of tokenised.tokens) {
      if (knows(token.stem)) continue;
      for (const part of splitCompound(token.word, knows)) {
        const feature = `w:${part.stem}`;
        if (topic.vector.has(feature)) continue;
        topic.vector.set(feature, m.compoundWeight);
        topic.surface.set(feature, token.word);
      }
    }
  }
  const line: Prediction<string> = m.serviceLineModel.predict(topic.vector);
  let serviceLine = line.label;
  let serviceLineConfidence = line.probabilities[line.label] ?? 0;
  const knownWords = tokenised.tokens.filter((t) => m.serviceLineModel.knows(`w:${t.stem}`));
  if (knownWords.length === 0 && m.fallbackServiceLine !== null) {
    serviceLine = m.fallbackServiceLine;
    serviceLineConfidence = line.probabilities[serviceLine] ?? 0;
    reasons.push(
      tokenised.tokens.length === 0
        ? `no message to read → ${serviceLine}`
        : `no word the model knows → ${serviceLine}`,
    );
  } else {
    const words = telltaleWords(m.serviceLineModel, topic, serviceLine, line.runnerUp);
    reasons.push(
      words.length > 0
        ? `word${words.length > 1 ? 's' : ''} ${describeWords(words)} point${words.length > 1 ? '' : 's'} to ${serviceLine} (p=${percent(serviceLineConfidence)})`
        : `closest to ${serviceLine}, on word shapes only (p=${percent(serviceLineConfidence)})`,
    );
  }

  // Urgency: an explicit deadline wins over the wording model, since it is what the person asked for.
  const byWording = m.urgencyModel.predict(wording.vector);
  const timeline = readTimeline(text, input.receivedAt, input.timeZone);
  let urgency: Urgency;
  let urgencyConfidence: number;
  if (timeline) {
    const { days, urgency: fromDate } = urgencyOfTimeline(timeline, input.receivedAt, input.timeZone);
    urgency = fromDate;
    urgencyConfidence = 1;
    const when = days === 0 ? 'the day it arrived' : `${days} day${days === 1 ? '' : 's'} after arrival`;
    const wordingSays =
      byWording.label === urgency
        ? 'the wording agrees'
        : `explicit dates win over the wording, which suggested ${byWording.label} (p=${percent(byWording.probabilities[byWording.label])})`;
    reasons.push(`'${timeline.text}' is due ${timeline.dueBy}, ${when} → ${urgency} (${wordingSays})`);
  } else {
    urgency = byWording.label;
    urgencyConfidence = byWording.probabilities[urgency];
    const words = urgency === 'none' ? [] : telltaleWords(m.urgencyModel, wording, urgency, byWording.runnerUp);
    reasons.push(
      words.length > 0
        ? `no deadline named; word${words.length > 1 ? 's' : ''} ${describeWords(words)} point${words.length > 1 ? '' : 's'} to ${urgency} (p=${percent(urgencyConfidence)})`
        : `no deadline named and nothing pressing in the wording → ${urgency} (p=${percent(urgencyConfidence)})`,
    );
  }

  // Spam: a test or gibberish by its shape, otherwise the sales-spam model.
  let spam = false;
  let spamKind: SpamKind | undefined;
  let spamConfidence: number;
  const spamPrediction = m.spamModel.predict(pitch.vector);
  const pSpam = spamPrediction.probabilities['spam'] ?? 0;
  const testCue = detectTestSubmission(tokenised.words, {
    topicWords: new Set(knownWords.map((t) => foldText(t.word))),
    strayAllowance: m.testStrayAllowance,
  });
  const knownCount = knownWords.length + tokenised.words.filter((w) => stopWords.has(w)).length;
  const letters = tokenised.words.join('').replace(/[^\p{L}]/gu, '').length;
  const spellingScore = m.spelling.score(tokenised.words);
  if (testCue !== null) {
    spam = true;
    spamKind = 'test';
    spamConfidence = 1;
    reasons.push(`test submission: '${testCue}' and nothing else to act on`);
  } else if (
    letters >= 3 &&
    knownCount === 0 &&
    (hasLetterRun(tokenised.words) || spellingScore < m.spelling.threshold)
  ) {
    spam = true;
    spamKind = 'gibberish';
    spamConfidence = 1;
    reasons.push(
      `gibberish: no known word, and letter patterns unlike any inquiry (${spellingScore.toFixed(1)} bits per letter pair, threshold ${m.spelling.threshold.toFixed(1)})`,
    );
  } else if (pSpam >= m.spamThreshold) {
    spam = true;
    spamKind = 'sales-spam';
    spamConfidence = pSpam;
    const words = telltaleWords(m.spamModel, pitch, 'spam', 'genuine');
    reasons.push(
      `sales spam: ${words.length > 0 ? `words ${describeWords(words)}` : 'its wording'} (p=${percent(pSpam)})`,
    );
  } else {
    spamConfidence = 1 - pSpam;
    if (pSpam >= 0.2) {
      const words = telltaleWords(m.spamModel, pitch, 'spam', 'genuine');
      reasons.push(
        `some sales-pitch wording${words.length > 0 ? ` (${describeWords(words)})` : ''}, but p(spam)=${percent(pSpam)} is below ${m.spamThreshold}`,
      );
    }
  }

  return {
    serviceLine,
    urgency,
    spam,
    ...(spamKind ? { spamKind } : {}),
    timeline,
    confidence: { serviceLine: serviceLineConfidence, urgency: urgencyConfidence, spam: spamConfidence },
    reasons,
    language: tokenised.language,
  };
}
