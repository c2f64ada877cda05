// Qualification: a 0-100 score from fit (who is asking) and intent (what they asked and how soon), every point
// with its reason, on top of the classifier's reading of the text (service line, urgency, spam).
import type { Classification, LeadClassifier } from './classification/classifier';
import type { SpamKind } from './classification/corpus';
import { foldText } from './classification/tokens';
import type { Timeline } from './classification/timeline';
import type { Urgency } from './classification/urgency';

export type { Urgency } from './classification/urgency';
export type { Timeline } from './classification/timeline';

/**
 * The demo deployment's service lines (the labels of the default corpus). A deployment's own corpus defines its
 * own; the classifier's `serviceLines` is the authority at run time.
 */
export const serviceLines = [
  'cloud-migration',
  'data-analytics',
  'cybersecurity',
  'managed-it',
  'support',
  'other',
] as const;
/** A service line id: whatever labels the classifier's corpus uses. */
export type ServiceLine = string;
export type Tier = 'A' | 'B' | 'C';

/** How sure the classifier is of its reading: `low` when a posterior falls under `lowConfidenceBelow`. */
export type ConfidenceLevel = 'low' | 'normal';

/**
 * Posteriors under which a reading is flagged as unsure. Chosen by 5-fold cross-validation on the training corpus:
 * service lines read with p < 0.6 were right 72% of the time (93% above, 7% of leads); urgencies read with p < 0.6
 * 58% of the time (96% above, 4% of leads). A spam verdict under 0.7 sits near the throw-out threshold.
 */
export const lowConfidenceBelow = { serviceLine: 0.6, urgency: 0.6, spam: 0.7 };

/** Whether the classifier is unsure of its reading, and of what, in words (null when it is sure). */
export function assessConfidence(
  c: Pick<Classification, 'serviceLine' | 'urgency' | 'spam' | 'confidence'>,
  below: typeof lowConfidenceBelow = lowConfidenceBelow,
): { confidenceLevel: ConfidenceLevel; unsure: string | null } {
  const doubts: string[] = [];
  if (c.confidence.serviceLine < below.serviceLine)
    doubts.push(`the service line ${c.serviceLine} (p=${c.confidence.serviceLine.toFixed(2)})`);
  if (c.confidence.urgency < below.urgency)
    doubts.push(`the urgency ${c.urgency} (p=${c.confidence.urgency.toFixed(2)})`);
  if (c.confidence.spam < below.spam)
    doubts.push(`${c.spam ? 'calling it spam' : 'calling it genuine'} (p=${c.confidence.spam.toFixed(2)})`);
  if (doubts.length === 0) return { confidenceLevel: 'normal', unsure: null };
  const listed = doubts.length === 1 ? doubts[0]! : `${doubts.slice(0, -1).join(', ')} and ${doubts.at(-1)!}`;
  return { confidenceLevel: 'low', unsure: `the classifier is unsure of ${listed}` };
}

export interface ScorePart {
  points: number;
  reason: string;
  /** Fit: who is asking (domain, company, size, budget, phone, detail). Intent: what and how soon. */
  kind: 'fit' | 'intent';
}

/** Why a lead was thrown out: the classifier's kinds, or a throwaway address found at intake. */
export type QualificationSpamKind = SpamKind | 'disposable-email';

export interface Qualification {
  score: number;
  tier: Tier;
  urgency: Urgency;
  serviceLine: ServiceLine;
  spam: boolean;
  parts: ScorePart[];
  /** Why the lead was thrown out; present only when spam is true. */
  spamReason?: string;
  spamKind?: QualificationSpamKind;
  /** Sum of the fit parts. */
  fit: number;
  /** Sum of the intent parts. */
  intent: number;
  timeline: Timeline | null;
  confidence: { serviceLine: number; urgency: number; spam: number };
  /**
   * `low` when a posterior is under `lowConfidenceBelow`: a person should check the reading (policy: confidence).
   * Always set by qualification; absent only on qualifications stored before it existed.
   */
  confidenceLevel?: ConfidenceLevel;
  /** What the classifier is unsure of, in words, when confidenceLevel is low; else null. */
  unsure?: string | null;
  /** The classifier's evidence, then qualification's own decisions. */
  reasons: string[];
}

export interface QualificationInput {
  /** What to classify: the message, or a chat's visitor lines. */
  text: string;
  /** ISO-8601; when the lead arrived (relative deadlines are read from it). */
  receivedAt: string;
  /** IANA zone of the lead; UTC when unknown. */
  timeZone?: string | null;
  name: string | null;
  email: string | null;
  company: string | null;
  /** Registrable domain of a business address or website; never a free-mail or disposable one. */
  companyDomain: string | null;
  freeMail: boolean;
  disposableEmail: boolean;
  phone: string | null;
  /** Employees. */
  companySize: number | null;
  budget: { amount: number; currency: string } | null;
  /** A contact we already serve: never thrown out as a sales pitch. */
  knownCustomer: boolean;
}

export function tierFor(score: number): Tier {
  if (score >= 70) return 'A';
  if (score >= 40) return 'B';
  return 'C';
}

// Points. Fit tops out near 50 and so does intent, so neither alone makes an A lead.
const fitPoints = { businessDomain: 12, company: 8, phone: 4, detailed: 4, briefDetail: 2, knownCustomer: 6 };
const sizeBands: Array<[number, number, string]> = [
  [1000, 12, 'enterprise'],
  [250, 11, 'large company'],
  [50, 9, 'mid-sized company'],
  [10, 6, 'small company'],
  [1, 3, 'micro business'],
];
const budgetBands: Array<[number, number]> = [
  [100_000, 10],
  [25_000, 8],
  [5_000, 5],
  [0, 2],
];
const urgencyPoints: Record<Urgency, number> = { now: 25, 'this-week': 16, 'this-month': 8, none: 0 };
const timelinePoints = 6;
const buyingWordPoints = 3;
const buyingWordCap = 9;
const serviceLineConfidencePoints = 10;

// Rough euro value of one unit, only to put a budget in a size band; a budget in another currency counts as stated.
const euroPerUnit: Record<string, number> = {
  EUR: 1,
  USD: 0.92,
  GBP: 1.17,
  CHF: 1.04,
  CAD: 0.68,
  AUD: 0.61,
  NZD: 0.56,
  SEK: 0.088,
  NOK: 0.087,
  DKK: 0.134,
  PLN: 0.23,
  MXN: 0.05,
  BRL: 0.17,
  ARS: 0.001,
  CLP: 0.001,
  COP: 0.00023,
};

// Words of someone ready to buy, folded (quote, proposal, RFP …) in the four languages.
const buyingWords = new Set(
  `quote quotes quotation proposal proposals pricing price prices cost costs estimate budget rfp rfq tender purchase buy hire engage
   demo offer
   presupuesto presupuestos cotizacion propuesta propuestas precio precios tarifas coste costo licitacion contratar comprar oferta
   angebot angebote preis preise kosten kostenvoranschlag budget ausschreibung beauftragen kaufen
   devis proposition tarif tarifs prix cout couts budget appel offres acheter`.split(/\s+/),
);

/** Service lines whose confidence says nothing about buying: complaints and unrelated requests. */
const nonSalesLines = new Set(['support', 'other']);

function describeSize(employees: number): [number, string] | null {
  for (const [floor, points, label] of sizeBands)
    if (employees >= floor) return [points, `${label} (${employees} employees)`];
  return null;
}

function budgetPart(budget: { amount: number; currency: string }): ScorePart | null {
  if (!(budget.amount > 0)) return null;
  const rate = euroPerUnit[budget.currency.toUpperCase()];
  const stated = `budget ${budget.amount.toLocaleString('en-US')} ${budget.currency.toUpperCase()}`;
  if (rate === undefined)
    return { points: budgetBands[budgetBands.length - 1]![1], reason: `${stated} (currency not banded)`, kind: 'fit' };
  const euros = budget.amount * rate;
  const points = budgetBands.find(([floor]) => euros >= floor)![1];
  return { points, reason: euros >= 5_000 ? `${stated} (≈ €${Math.round(euros / 1000)}k)` : stated, kind: 'fit' };
}

function fitParts(input: QualificationInput): ScorePart[] {
  const parts: ScorePart[] = [];
  if (input.companyDomain && !input.freeMail)
    parts.push({
      points: fitPoints.businessDomain,
      reason: `business email domain ${input.companyDomain}`,
      kind: 'fit',
    });
  if (input.company?.trim())
    parts.push({ points: fitPoints.company, reason: `names a company (${input.company.trim()})`, kind: 'fit' });
  if (input.companySize !== null && input.companySize > 0) {
    const size = describeSize(input.companySize);
    if (size) parts.push({ points: size[0], reason: size[1], kind: 'fit' });
  }
  if (input.budget) {
    const part = budgetPart(input.budget);
    if (part) parts.push(part);
  }
  if (input.phone?.trim()) parts.push({ points: fitPoints.phone, reason: 'left a phone number', kind: 'fit' });
  const length = input.text.trim().length;
  if (length >= 200) parts.push({ points: fitPoints.detailed, reason: 'detailed message', kind: 'fit' });
  else if (length >= 80)
    parts.push({ points: fitPoints.briefDetail, reason: 'some detail in the message', kind: 'fit' });
  if (input.knownCustomer) parts.push({ points: fitPoints.knownCustomer, reason: 'existing customer', kind: 'fit' });
  return parts;
}

function intentParts(input: QualificationInput, c: Classification): ScorePart[] {
  const parts: ScorePart[] = [];
  if (urgencyPoints[c.urgency] > 0) {
    parts.push({
      points: urgencyPoints[c.urgency],
      reason: `urgency ${c.urgency}${c.timeline ? ` ('${c.timeline.text}')` : ''}`,
      kind: 'intent',
    });
  }
  if (c.timeline)
    parts.push({
      points: timelinePoints,
      reason: `names a deadline: '${c.timeline.text}' (due ${c.timeline.dueBy})`,
      kind: 'intent',
    });
  const found = [
    ...new Set((input.text.match(/[\p{L}]+/gu) ?? []).map((w) => foldText(w)).filter((w) => buyingWords.has(w))),
  ];
  if (found.length > 0) {
    parts.push({
      points: Math.min(buyingWordCap, found.length * buyingWordPoints),
      reason: `buying words: ${found
        .slice(0, 4)
        .map((w) => `'${w}'`)
        .join(', ')}`,
      kind: 'intent',
    });
  }
  if (!nonSalesLines.has(c.serviceLine)) {
    const points = Math.round(serviceLineConfidencePoints * c.confidence.serviceLine);
    if (points > 0)
      parts.push({
        points,
        reason: `asks about ${c.serviceLine} (confidence ${c.confidence.serviceLine.toFixed(2)})`,
        kind: 'intent',
      });
  }
  return parts;
}

/** The qualification of a lead the classifier has already read (e.g. asynchronously, by an LLM). */
export function qualifyClassified(input: QualificationInput, c: Classification): Qualification {
  const base = {
    urgency: c.urgency,
    serviceLine: c.serviceLine,
    timeline: c.timeline,
    confidence: c.confidence,
    ...assessConfidence(c),
  };
  const reasons = [...c.reasons, ...(base.unsure ? [`low confidence: ${base.unsure}`] : [])];
  const thrownOut = (spamKind: QualificationSpamKind, spamReason: string): Qualification => ({
    ...base,
    score: 0,
    tier: 'C',
    spam: true,
    parts: [],
    spamReason,
    spamKind,
    fit: 0,
    intent: 0,
    reasons: [...reasons, `thrown out: ${spamReason}`],
  });

  if (input.disposableEmail)
    return thrownOut('disposable-email', `disposable email address${input.email ? ` (${input.email})` : ''}`);
  if (c.spam) {
    const reason = c.reasons.find((r) => /^(?:sales spam|test submission|gibberish)/.test(r)) ?? c.spamKind ?? 'spam';
    if (c.spamKind === 'sales-spam' && input.knownCustomer) {
      // A contact we already serve is not cold-pitching us; losing their message costs more than reading a pitch.
      reasons.push(`reads like a sales pitch but comes from a known customer, so it is kept`);
    } else {
      return thrownOut(c.spamKind ?? 'sales-spam', reason);
    }
  }

  const parts = [...fitParts(input), ...intentParts(input, c)];
  const fit = parts.filter((p) => p.kind === 'fit').reduce((sum, p) => sum + p.points, 0);
  const intent = parts.filter((p) => p.kind === 'intent').reduce((sum, p) => sum + p.points, 0);
  const score = Math.min(100, fit + intent);
  return { ...base, score, tier: tierFor(score), spam: false, parts, fit, intent, reasons };
}

/** Classifies the lead's text, then scores it: fit + intent, 0-100, tier A ≥ 70, B ≥ 40, else C. */
export function qualify(input: QualificationInput, classifier: LeadClassifier): Qualification {
  return qualifyClassified(
    input,
    classifier.classify({ text: input.text, receivedAt: input.receivedAt, timeZone: input.timeZone ?? null }),
  );
}
