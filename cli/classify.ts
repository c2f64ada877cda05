// `npx leadrelay classify`: classifies and scores inquiries given as JSON lines on stdin, one JSON line out per line in.
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { loadClassifier as loadTrainedClassifier } from '../workers/classifier';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { LeadClassifier } from '../src/classification/classifier';
import { corpusModes, type CorpusMode } from '../src/classification/corpus';
import { arrivalDay } from '../src/classification/timeline';
import { companyDomainOf, domainOfEmail, isDisposableDomain, isFreeMailDomain } from '../src/intake/email';
import { extractBudget } from '../src/intake/extract';
import { qualify, type QualificationInput } from '../src/qualification';

export { defaultCorpusPath } from '../workers/classifier';

const usage = `usage: leadrelay classify [--corpus extra.jsonl] [--corpus-mode append|replace] [--received-at <ISO time>]
Reads JSON lines on stdin: {"text": "...", "receivedAt"?: ISO time, "timeZone"?: IANA zone, and optionally the
sender: "name", "email", "phone", "company", "companySize" (employees), "knownCustomer" (boolean)}.
Writes one JSON line per input line: serviceLine, urgency, spam, score, tier, timeline, confidence, reasons; or
{"line": n, "error": "<field>: <problem>"} for a bad line (the rest are still processed; the exit code is then 1).
--corpus adds a deployment's labelled examples (same format as data/classifier/training.jsonl) to the default
corpus, or replaces it with --corpus-mode replace. Lines without receivedAt arrived now (or at --received-at).`;

const InquiryLineSchema = z.strictObject({
  text: z.string(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  timeZone: z
    .string()
    .min(1)
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'not an IANA time zone')
    .optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  company: z.string().optional(),
  companySize: z.number().int().nonnegative().optional(),
  knownCustomer: z.boolean().optional(),
});
export type InquiryLine = z.infer<typeof InquiryLineSchema>;

export interface ClassifyIo {
  stdin: Readable;
  out: (line: string) => void;
  err: (line: string) => void;
  /** When a line without receivedAt arrived (the CLI's clock; tests pass a fixed one). */
  now: () => Date;
}

/** Trains on the default corpus, plus (or instead of) a deployment's own examples. */
export function loadClassifier(options: { corpus?: string; mode?: CorpusMode } = {}): LeadClassifier {
  return loadTrainedClassifier({ ownCorpusPath: options.corpus, mode: options.mode });
}

/** What qualification needs, read from a line: the sender's domain decides business/free/disposable mail. */
export function qualificationInputOf(line: InquiryLine, receivedAt: string): QualificationInput {
  const domain = line.email ? domainOfEmail(line.email) : null;
  return {
    text: line.text,
    receivedAt,
    timeZone: line.timeZone ?? null,
    name: line.name?.trim() || null,
    email: line.email?.trim() || null,
    company: line.company?.trim() || null,
    companyDomain: domain ? companyDomainOf(domain) : null,
    freeMail: domain ? isFreeMailDomain(domain) : false,
    disposableEmail: domain ? isDisposableDomain(domain) : false,
    phone: line.phone?.trim() || null,
    companySize: line.companySize ?? null,
    budget: extractBudget(line.text),
    knownCustomer: line.knownCustomer ?? false,
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`).join('; ');
}

/** Classifies one input line; the answer or the error, as the JSON object to print. */
export function classifyLine(
  classifier: LeadClassifier,
  raw: string,
  lineNumber: number,
  receivedAt: string,
): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { line: lineNumber, error: `(line): not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = InquiryLineSchema.safeParse(json);
  if (!parsed.success) return { line: lineNumber, error: describeIssues(parsed.error) };
  const q = qualify(qualificationInputOf(parsed.data, parsed.data.receivedAt ?? receivedAt), classifier);
  return {
    line: lineNumber,
    serviceLine: q.serviceLine,
    urgency: q.urgency,
    spam: q.spam,
    ...(q.spamKind ? { spamKind: q.spamKind } : {}),
    score: q.score,
    tier: q.tier,
    timeline: q.timeline,
    confidence: q.confidence,
    reasons: q.reasons,
  };
}

const defaultIo: ClassifyIo = {
  stdin: process.stdin,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  now: () => new Date(),
};

export async function main(args: string[], io: ClassifyIo = defaultIo): Promise<number> {
  let values: { corpus?: string; 'corpus-mode'?: string; 'received-at'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        corpus: { type: 'string' },
        'corpus-mode': { type: 'string' },
        'received-at': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const mode = values['corpus-mode'] ?? 'append';
  if (!(corpusModes as readonly string[]).includes(mode)) {
    io.err(`--corpus-mode: expected append or replace, got ${JSON.stringify(mode)}`);
    return 2;
  }
  if (mode === 'replace' && !values.corpus) {
    io.err('--corpus-mode replace needs --corpus <file>');
    return 2;
  }
  const fixedReceivedAt = values['received-at'];
  if (fixedReceivedAt !== undefined) {
    try {
      arrivalDay(fixedReceivedAt);
    } catch {
      io.err(`--received-at: not an ISO-8601 timestamp: ${JSON.stringify(fixedReceivedAt)}`);
      return 2;
    }
  }

  let classifier: LeadClassifier;
  try {
    classifier = loadClassifier({ corpus: values.corpus, mode: mode as CorpusMode });
  } catch (error) {
    // A corpus error names its file and line; a missing file names its path.
    io.err(`classify: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }

  let lineNumber = 0;
  let failures = 0;
  for await (const raw of readline.createInterface({ input: io.stdin, crlfDelay: Infinity })) {
    lineNumber++;
    if (raw.trim() === '') continue;
    const answer = classifyLine(classifier, raw, lineNumber, fixedReceivedAt ?? io.now().toISOString());
    if ('error' in answer) failures++;
    io.out(JSON.stringify(answer));
  }
  return failures > 0 ? 1 : 0;
}
