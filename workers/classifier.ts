// Trains the lead classifier the worker qualifies with: the built-in corpus plus a deployment's own examples.
import fs from 'node:fs';
import path from 'node:path';
import { trainClassifier, type LeadClassifier } from '../src/classification/classifier';
import { combineCorpora, parseCorpus } from '../src/classification/corpus';

export const defaultCorpusPath = path.join(__dirname, '..', 'data', 'classifier', 'training.jsonl');

/** A bad line in either file stops the worker with `<file>:<line>: <field>: <problem>`: better than a silently worse model. */
export function loadClassifier({ ownCorpusPath }: { ownCorpusPath?: string } = {}): LeadClassifier {
  const defaults = parseCorpus(fs.readFileSync(defaultCorpusPath, 'utf8'), 'data/classifier/training.jsonl');
  const own = ownCorpusPath ? parseCorpus(fs.readFileSync(ownCorpusPath, 'utf8'), ownCorpusPath) : [];
  return trainClassifier(combineCorpora(defaults, own, 'append'));
}
