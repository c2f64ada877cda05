// Trains the lead classifier the worker qualifies with: the built-in corpus plus a deployment's own examples.
import fs from 'node:fs';
import path from 'node:path';
import { trainClassifier, type LeadClassifier } from '../src/classification/classifier';
import { combineCorpora, parseCorpus, type CorpusMode } from '../src/classification/corpus';
import { llmClassifierFromEnv, type AsyncLeadClassifier } from './llm-classifier';

export const defaultCorpusPath = path.join(__dirname, '..', 'data', 'classifier', 'training.jsonl');

/** A bad line in either file stops the worker with `<file>:<line>: <field>: <problem>`: better than a silently worse model. */
export function loadClassifier({
  ownCorpusPath,
  mode = 'append',
}: { ownCorpusPath?: string; mode?: CorpusMode } = {}): LeadClassifier {
  const defaults =
    mode === 'replace' ? [] : parseCorpus(fs.readFileSync(defaultCorpusPath, 'utf8'), 'data/classifier/training.jsonl');
  const own = ownCorpusPath ? parseCorpus(fs.readFileSync(ownCorpusPath, 'utf8'), ownCorpusPath) : [];
  return trainClassifier(combineCorpora(defaults, own, mode));
}

/** The LLM classifier when LEADRELAY_LLM_API_KEY is set (it falls back to `trained`), else `trained` itself. */
export function withOptionalLlm(
  trained: LeadClassifier,
  env: Record<string, string | undefined> = process.env,
): LeadClassifier | AsyncLeadClassifier {
  return llmClassifierFromEnv(env, trained) ?? trained;
}
