// The hand-written word lists must not know what only the evaluation sets could have taught them: a word there
// that no training example uses would make the evaluation measure our reading of it, not the model's.
import fs from 'node:fs';
import path from 'node:path';
import { conceptPhrases, conceptWords } from './concepts';
import { parseCorpus } from './corpus';
import { testSubmissionWords } from './spam-signals';
import { genericWords, stopWords, timeWords } from './stop-words';
import { foldText, tokenise } from './tokens';

const dataDir = path.join(__dirname, '..', '..', 'data', 'classifier');

interface Vocabulary {
  words: Set<string>;
  /** Every text folded and joined, for entries that are not one word ("zwei-faktor"). */
  folded: string;
}

function vocabularyOf(file: string): Vocabulary {
  const words = new Set<string>();
  const texts: string[] = [];
  for (const example of parseCorpus(fs.readFileSync(path.join(dataDir, file), 'utf8'), file)) {
    for (const word of tokenise(example.text).words) words.add(word);
    texts.push(foldText(example.text));
  }
  return { words, folded: texts.join('\n') };
}

function occursIn(vocabulary: Vocabulary, entry: string): boolean {
  return /^[\p{L}\p{N}]+$/u.test(entry) ? vocabulary.words.has(entry) : vocabulary.folded.includes(entry);
}

/** The entries of `list` that occur in an evaluation set and nowhere in training. */
function evaluationOnlyEntries(
  list: Iterable<string>,
  training: Vocabulary,
  evaluations: readonly Vocabulary[],
): string[] {
  return [...list].filter(
    (entry) => !occursIn(training, entry) && evaluations.some((evaluation) => occursIn(evaluation, entry)),
  );
}

const evaluationFiles = fs.readdirSync(dataDir).filter((f) => /^evaluation.*\.jsonl$/.test(f));

describe('no hand-written list knows a word only an evaluation set uses', () => {
  let training: Vocabulary;
  let evaluations: Vocabulary[];
  beforeAll(() => {
    training = vocabularyOf('training.jsonl');
    evaluations = evaluationFiles.map(vocabularyOf);
  });

  test('both evaluation sets are read', () => {
    expect(evaluationFiles.sort()).toEqual(['evaluation-v1.jsonl', 'evaluation.jsonl']);
  });

  test.each([
    ['concepts.ts', conceptWords],
    ['concepts.ts (phrases)', conceptPhrases],
    ['spam-signals.ts (test submissions)', testSubmissionWords],
    ['stop-words.ts (stop words)', stopWords],
    ['stop-words.ts (time words)', timeWords],
    ['stop-words.ts (request words)', genericWords],
  ])('%s', (_name, list) => {
    expect(evaluationOnlyEntries(list, training, evaluations)).toEqual([]);
  });

  test('the check finds a word that only an evaluation set uses', () => {
    // A word the first evaluation set uses and training does not (it was in the concept table once).
    expect(evaluationOnlyEntries(['masterarbeit', 'migrate'], training, evaluations)).toEqual(['masterarbeit']);
  });
});
