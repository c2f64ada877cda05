// Trains the lead classifier the worker qualifies with: the built-in corpus plus a deployment's own examples.
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { readActiveModel } from '../db/corrections';
import {
  trainClassifier,
  type Classification,
  type ClassifyInput,
  type LeadClassifier,
} from '../src/classification/classifier';
import { combineCorpora, parseCorpus, type CorpusMode, type LabelledInquiry } from '../src/classification/corpus';
import { llmClassifierFromEnv, type AsyncLeadClassifier } from './llm-classifier';

export const defaultCorpusPath = path.join(__dirname, '..', 'data', 'classifier', 'training.jsonl');

/** The default corpus plus (or, with `replace`, instead of) a deployment's own examples. */
export function loadBaseCorpus({
  ownCorpusPath,
  mode = 'append',
}: { ownCorpusPath?: string; mode?: CorpusMode } = {}): LabelledInquiry[] {
  const defaults =
    mode === 'replace' ? [] : parseCorpus(fs.readFileSync(defaultCorpusPath, 'utf8'), 'data/classifier/training.jsonl');
  const own = ownCorpusPath ? parseCorpus(fs.readFileSync(ownCorpusPath, 'utf8'), ownCorpusPath) : [];
  return combineCorpora(defaults, own, mode);
}

/**
 * The classifier the worker qualifies with, whose model the retraining activity replaces when a candidate is
 * activated: qualification keeps calling the same object.
 */
export class ReplaceableClassifier implements LeadClassifier {
  constructor(private current: LeadClassifier) {}
  get serviceLines(): readonly string[] {
    return this.current.serviceLines;
  }
  classify(input: ClassifyInput): Classification {
    return this.current.classify(input);
  }
  replace(next: LeadClassifier): void {
    this.current = next;
  }
}

/**
 * The worker's classifier at start: the base corpus plus the examples of the active retrained model, if Postgres
 * has one (the corrections reps made), in a ReplaceableClassifier.
 */
export async function loadActiveClassifier(
  db: Pool,
  options: { ownCorpusPath?: string; mode?: CorpusMode } = {},
): Promise<ReplaceableClassifier> {
  const active = await readActiveModel(db);
  return new ReplaceableClassifier(trainClassifier([...loadBaseCorpus(options), ...(active?.examples ?? [])]));
}

/** A bad line in either file stops the worker with `<file>:<line>: <field>: <problem>`: better than a silently worse model. */
export function loadClassifier(options: { ownCorpusPath?: string; mode?: CorpusMode } = {}): LeadClassifier {
  return trainClassifier(loadBaseCorpus(options));
}

/** The LLM classifier when LEADRELAY_LLM_API_KEY is set (it falls back to `trained`), else `trained` itself. */
export function withOptionalLlm(
  trained: LeadClassifier,
  env: Record<string, string | undefined> = process.env,
): LeadClassifier | AsyncLeadClassifier {
  return llmClassifierFromEnv(env, trained) ?? trained;
}
