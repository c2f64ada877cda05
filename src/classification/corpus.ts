// The labelled-inquiry corpus format (JSON lines) and how a deployment's own examples combine with the default ones.
import { z } from 'zod';
import { languages } from './language';
import { urgencies } from './urgency';

export const spamKinds = ['sales-spam', 'test', 'gibberish'] as const;
export type SpamKind = (typeof spamKinds)[number];

/** Service lines are a deployment's own ids: the labels its corpus uses, spelled like directory ids. */
export const serviceLineId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'service lines are lowercase letters, digits and dashes');

export const LabelledInquirySchema = z.strictObject({
  text: z.string(),
  serviceLine: serviceLineId,
  urgency: z.enum(urgencies),
  spam: z.boolean(),
  lang: z.enum(languages).optional(),
  /** Which kind of spam (evaluation only; the classifier tells kinds apart by their shape). */
  spamKind: z.enum(spamKinds).optional(),
  /** When the example arrived; relative deadlines in it ("by Friday") were labelled against this. */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  timeZone: z.string().min(1).optional(),
});
export type LabelledInquiry = z.infer<typeof LabelledInquirySchema>;

/** Examples without `receivedAt` were labelled as if they arrived then (a Monday morning). */
export const defaultReceivedAt = '2025-03-10T09:00:00Z';

export class CorpusError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(
      `${source}: ${issues.length} bad line${issues.length === 1 ? '' : 's'}:\n  ${issues.slice(0, 20).join('\n  ')}${issues.length > 20 ? `\n  … and ${issues.length - 20} more` : ''}`,
    );
    this.name = 'CorpusError';
  }
}

/**
 * Parses a JSON-lines corpus. Blank lines and lines starting with `//` are skipped. Every bad line is reported
 * at once, as `<source>:<line>: <field>: <problem>`.
 */
export function parseCorpus(content: string, source = 'corpus'): LabelledInquiry[] {
  const examples: LabelledInquiry[] = [];
  const issues: string[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('//')) return;
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      issues.push(`${source}:${index + 1}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    const parsed = LabelledInquirySchema.safeParse(json);
    if (parsed.success) examples.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        issues.push(`${source}:${index + 1}: ${issue.path.join('.') || '(line)'}: ${issue.message}`);
  });
  if (issues.length > 0) throw new CorpusError(source, issues);
  return examples;
}

export type CorpusMode = 'append' | 'replace';
export const corpusModes: readonly CorpusMode[] = ['append', 'replace'];

/**
 * A deployment's examples together with the default corpus. `append` (the default) adds them: a deployment can
 * add service lines or teach its own wording with a few dozen examples, and keeps the default spam and
 * four-language urgency examples it would otherwise have to write itself. `replace` uses only its own, for a
 * deployment whose service lines have nothing in common with the defaults (its corpus then needs spam examples too).
 */
export function combineCorpora(
  defaults: readonly LabelledInquiry[],
  own: readonly LabelledInquiry[],
  mode: CorpusMode,
): LabelledInquiry[] {
  return mode === 'replace' ? [...own] : [...defaults, ...own];
}
