// `npm run eval`: trains the lead classifier on the training corpus and measures it on both held-out evaluation sets
// (the current one, whose figures are the targets', and the first one, kept for comparison).
// `npm run eval -- --cross-validate [k]` measures k-fold cross-validation on the training corpus instead (for
// choosing options without looking at the evaluation set); `--set name=value` (repeatable) overrides a classifier
// option there, e.g. `--set alpha=0.5`, and only there. `--misses` lists every wrong answer.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCorpus, type LabelledInquiry } from '../src/classification/corpus';
import { defaultClassifierOptions, type ClassifierOptions } from '../src/classification/classifier';
import { classifyAll, scoreOutcomes, type Outcome, type Scores } from '../src/classification/evaluation';
import { urgencies } from '../src/classification/urgency';
import { repoRoot } from '../stack/paths';

export { classifyAll, scoreOutcomes, type Scores };

export const targets = {
  serviceLine: 0.93,
  urgency: 0.92,
  /** Service line and urgency in each language. */
  perLanguage: 0.88,
  spamRecall: 0.95,
  spamFalsePositiveRate: 0.02,
};

const ratio = (hits: number, total: number) => (total === 0 ? Number.NaN : hits / total);

const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(1)}%`.padStart(6));

function confusion(
  title: string,
  labels: readonly string[],
  pairs: ReadonlyArray<[string, string]>,
  out: (line: string) => void,
): void {
  const width = Math.max(8, ...labels.map((l) => l.length)) + 1;
  const short = labels.map((l) => l.slice(0, 10).padStart(11));
  out(`\n${title} (rows: truth, columns: predicted)`);
  out(`${''.padEnd(width)}${short.join('')}   recall`);
  for (const truth of labels) {
    const row = labels.map((predicted) => pairs.filter(([t, p]) => t === truth && p === predicted).length);
    const total = row.reduce((a, b) => a + b, 0);
    out(
      `${truth.padEnd(width)}${row.map((n) => String(n).padStart(11)).join('')}   ${pct(ratio(row[labels.indexOf(truth)] ?? 0, total))} of ${total}`,
    );
  }
  const precision = labels.map((predicted) => {
    const column = pairs.filter(([, p]) => p === predicted);
    return `${pct(ratio(column.filter(([t]) => t === predicted).length, column.length))}`.padStart(11);
  });
  out(`${'precision'.padEnd(width)}${precision.join('')}`);
}

export function report(outcomes: readonly Outcome[], out: (line: string) => void, listMisses: boolean): Scores {
  const scores = scoreOutcomes(outcomes);
  const genuine = outcomes.filter((o) => !o.example.spam);
  const spam = outcomes.filter((o) => o.example.spam);
  const lines = [
    ...new Set([...genuine.map((o) => o.example.serviceLine), ...genuine.map((o) => o.result.serviceLine)]),
  ].sort();

  out(
    `\nservice line accuracy  ${pct(scores.serviceLineAccuracy)}  (${genuine.filter((o) => o.result.serviceLine === o.example.serviceLine).length}/${genuine.length} genuine inquiries; target ≥ ${pct(targets.serviceLine).trim()})`,
  );
  out(
    `urgency accuracy       ${pct(scores.urgencyAccuracy)}  (${genuine.filter((o) => o.result.urgency === o.example.urgency).length}/${genuine.length}; target ≥ ${pct(targets.urgency).trim()})`,
  );
  const withTimeline = genuine.filter((o) => o.result.timeline !== null);
  const withoutTimeline = genuine.filter((o) => o.result.timeline === null);
  out(
    `  with a deadline read ${pct(ratio(withTimeline.filter((o) => o.result.urgency === o.example.urgency).length, withTimeline.length))} of ${withTimeline.length}; from wording alone ${pct(ratio(withoutTimeline.filter((o) => o.result.urgency === o.example.urgency).length, withoutTimeline.length))} of ${withoutTimeline.length}`,
  );
  out(
    `spam recall            ${pct(scores.spamRecall)}  (${spam.filter((o) => o.result.spam).length}/${spam.length} caught; target ≥ ${pct(targets.spamRecall).trim()})`,
  );
  out(
    `spam false positives   ${pct(scores.spamFalsePositiveRate)}  (${genuine.filter((o) => o.result.spam).length}/${genuine.length} genuine inquiries thrown out; target ≤ ${pct(targets.spamFalsePositiveRate).trim()})`,
  );
  out(
    `spam kind accuracy     ${pct(scores.spamKindAccuracy)}  (sales-spam / test / gibberish, of spam with a labelled kind)`,
  );

  const byLanguage = [...new Set(outcomes.map((o) => o.example.lang ?? '?'))].sort();
  out(`\nby language (target ≥ ${pct(targets.perLanguage).trim()} for line and urgency):`);
  for (const lang of byLanguage) {
    const of = genuine.filter((o) => (o.example.lang ?? '?') === lang);
    const spamOf = spam.filter((o) => (o.example.lang ?? '?') === lang);
    out(
      `  ${lang} genuine n=${String(of.length).padEnd(3)} line ${pct(ratio(of.filter((o) => o.result.serviceLine === o.example.serviceLine).length, of.length))}  urgency ${pct(ratio(of.filter((o) => o.result.urgency === o.example.urgency).length, of.length))}  spam caught ${spamOf.filter((o) => o.result.spam).length}/${spamOf.length}  genuine thrown out ${of.filter((o) => o.result.spam).length}/${of.length}`,
    );
  }

  confusion(
    'service line',
    lines,
    genuine.map((o) => [o.example.serviceLine, o.result.serviceLine]),
    out,
  );
  confusion(
    'urgency',
    urgencies,
    genuine.map((o) => [o.example.urgency, o.result.urgency]),
    out,
  );
  confusion(
    'spam',
    ['genuine', 'sales-spam', 'test', 'gibberish'],
    outcomes.map((o) => [
      o.example.spam ? (o.example.spamKind ?? 'sales-spam') : 'genuine',
      o.result.spam ? (o.result.spamKind ?? 'sales-spam') : 'genuine',
    ]),
    out,
  );

  if (listMisses) {
    out('\nmisses:');
    for (const { example, result } of outcomes) {
      const wrong: string[] = [];
      if (example.spam !== result.spam) wrong.push(`spam ${example.spam} → ${result.spam}`);
      if (!example.spam && example.serviceLine !== result.serviceLine)
        wrong.push(`line ${example.serviceLine} → ${result.serviceLine}`);
      if (!example.spam && example.urgency !== result.urgency)
        wrong.push(`urgency ${example.urgency} → ${result.urgency}`);
      if (wrong.length > 0)
        out(
          `  [${wrong.join('; ')}] ${JSON.stringify(example.text.slice(0, 140))}\n      ${result.reasons.join(' | ')}`,
        );
    }
  }
  return scores;
}

/** Deterministic k folds: examples are dealt round-robin within each label, so every fold sees every label. */
export function folds(examples: readonly LabelledInquiry[], k: number): LabelledInquiry[][] {
  const out: LabelledInquiry[][] = Array.from({ length: k }, () => []);
  const byLabel = new Map<string, LabelledInquiry[]>();
  for (const e of examples) {
    const key = e.spam ? 'spam' : e.serviceLine;
    byLabel.set(key, [...(byLabel.get(key) ?? []), e]);
  }
  let next = 0;
  for (const group of byLabel.values()) for (const e of group) out[next++ % k]!.push(e);
  return out;
}

/** `--set name=value` pairs as classifier options of `defaultClassifierOptions`: numbers, or true/false. */
export function optionOverrides(args: readonly string[]): ClassifierOptions {
  const overrides: Record<string, number | boolean> = {};
  args.forEach((arg, i) => {
    if (arg !== '--set') return;
    const [name, value] = (args[i + 1] ?? '').split('=');
    if (name === undefined || !(name in defaultClassifierOptions))
      throw new Error(
        `--set: unknown option ${name ?? ''} (known: ${Object.keys(defaultClassifierOptions).join(', ')})`,
      );
    if (typeof defaultClassifierOptions[name as keyof typeof defaultClassifierOptions] === 'boolean') {
      if (value !== 'true' && value !== 'false')
        throw new Error(`--set ${name}: expected true or false, got ${value ?? 'nothing'}`);
      overrides[name] = value === 'true';
      return;
    }
    const number = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(number))
      throw new Error(`--set ${name}: expected a number, got ${value ?? 'nothing'}`);
    overrides[name] = number;
  });
  return overrides;
}

function readCorpusFile(file: string): LabelledInquiry[] {
  return parseCorpus(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file));
}

function main(args: string[]): number {
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const trainingFile = path.resolve(option('--training') ?? path.join(repoRoot, 'data/classifier/training.jsonl'));
  const evaluationFile = path.resolve(
    option('--evaluation') ?? path.join(repoRoot, 'data/classifier/evaluation.jsonl'),
  );
  const listMisses = args.includes('--misses');
  if (args.includes('--set') && !args.includes('--cross-validate'))
    throw new Error('--set only goes with --cross-validate: options are chosen on training, never on evaluation');
  const training = readCorpusFile(trainingFile);
  const out = (line: string) => process.stdout.write(`${line}\n`);

  if (args.includes('--cross-validate')) {
    const k = Number(option('--cross-validate') ?? 5) || 5;
    const overrides = optionOverrides(args);
    const parts = folds(training, k);
    const outcomes = parts.flatMap((held, i) => classifyAll(parts.filter((_, j) => j !== i).flat(), held, overrides));
    out(
      `${k}-fold cross-validation on ${path.relative(process.cwd(), trainingFile)} (${training.length} examples)${Object.keys(overrides).length > 0 ? ` with ${JSON.stringify(overrides)}` : ''}`,
    );
    report(outcomes, out, listMisses);
    return 0;
  }

  // The current set decides whether the targets are met; the first one is reported beside it.
  const evaluationFiles = option('--evaluation')
    ? [evaluationFile]
    : [evaluationFile, path.join(repoRoot, 'data/classifier/evaluation-v1.jsonl')];
  let current: Scores | null = null;
  let perLanguageMet = true;
  for (const file of evaluationFiles) {
    const evaluation = readCorpusFile(file);
    const started = performance.now();
    const outcomes = classifyAll(training, evaluation);
    const elapsed = performance.now() - started;
    out(
      `\n======== ${path.relative(process.cwd(), file)} ========\ntrained on ${path.relative(process.cwd(), trainingFile)} (${training.length} examples), evaluated on ${evaluation.length} (${evaluation.filter((e) => !e.spam).length} genuine, ${evaluation.filter((e) => e.spam).length} spam) in ${elapsed.toFixed(0)} ms`,
    );
    const scores = report(outcomes, out, listMisses);
    if (current === null) {
      current = scores;
      const genuine = outcomes.filter((o) => !o.example.spam);
      for (const lang of new Set(genuine.map((o) => o.example.lang ?? '?'))) {
        const of = genuine.filter((o) => (o.example.lang ?? '?') === lang);
        const line = ratio(of.filter((o) => o.result.serviceLine === o.example.serviceLine).length, of.length);
        const urgency = ratio(of.filter((o) => o.result.urgency === o.example.urgency).length, of.length);
        if (line < targets.perLanguage || urgency < targets.perLanguage) perLanguageMet = false;
      }
    }
  }
  const scores = current!;
  const met =
    scores.serviceLineAccuracy >= targets.serviceLine &&
    scores.urgencyAccuracy >= targets.urgency &&
    perLanguageMet &&
    scores.spamRecall >= targets.spamRecall &&
    scores.spamFalsePositiveRate <= targets.spamFalsePositiveRate;
  out(`\ntargets (on ${path.relative(process.cwd(), evaluationFile)}) ${met ? 'met' : 'NOT met'}`);
  return met ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`eval: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
