// Test submissions and gibberish: spam told apart by its shape rather than its words, so no corpus can teach it away.
import { stopWords } from './stop-words';

// Words that say "this is a test" (folded). Lorem ipsum counts: nobody writes it to buy something.
const testCues = new Set(
  `test tests testing tester testen teste testnachricht testlead testmail prueba pruebas probando essai essais
   asdfasdf asdfgh asdfghjkl qwertz azerty qwe asd xxx xxxx aaa aaaa foo foobar dummy lorem ipsum dolor amet
   eiusmod tempor incididunt labore dolore magna aliqua`.split(/\s+/),
);

// What surrounds the cue in a test ("just testing the contact form, please ignore"). A real inquiry that
// mentions a test ("pen test", "load test of our backup") has other words and is left alone.
const testFiller = new Set(
  `ignore ignorar please por favor bitte merci thanks this is just only nur solo juste seulement
   form formulario formular kontaktformulars formulaire contact contacto kontakt message mensaje nachricht
   mail email lead do not don no nicht ne pas process reply respond responder antworten tenir
   compte from hello hi hola hallo bonjour again one two three est un une es una ist ein eine dies das des of
   the a sit sed ut et enim ad minim veniam page website site web sample another new de del la le les el y and or bar
   baz check checking working arrive update relaunch refonte staging disregard submission
   loschen supprimer bearbeiten beantworten ignorieren ignorer tramitar repondre`.split(/\s+/),
);

// What a test says about itself beyond the cue: that nobody should act on it, or that a form is being tried.
// Only beside one of these are more than one word of request forgiven ("test of the new contact form after the
// relaunch, please ignore"); "a test of our intrusion defences on the web site" has none.
const testContext = new Set(
  `ignore ignorar ignorieren ignorer disregard process reply respond responder repondre beantworten bearbeiten
   tramitar loschen supprimer form formulario formular kontaktformulars formulaire`.split(/\s+/),
);

/** The hand-written word lists of this file, for the test that keeps evaluation-only words out of them. */
export const testSubmissionWords: ReadonlySet<string> = new Set([...testCues, ...testFiller, ...testContext]);

/** A cue word, or a compound of "test" ("Testanfrage", "testmail"): the shape of the word says it. */
function isTestCue(word: string): boolean {
  return testCues.has(word) || (/^test\p{L}{3,}$/u.test(word) && !word.startsWith('testimon'));
}

export interface TestSubmissionOptions {
  /**
   * Folded words that say what someone wants (the words the service-line model knows). When given, only these count
   * as stray: a name, a signature or an agency's name beside "test, please ignore" is not a request.
   */
  topicWords?: ReadonlySet<string>;
  /**
   * Stray words forgiven beside a word that says "ignore this" or names a form (one is always forgiven in a text
   * of at most 8 words).
   */
  strayAllowance?: number;
  /** Longest text, in words, that can still be a test submission. */
  maxWords?: number;
}

/**
 * The cue word when `words` (folded) are nothing but a test submission, else null. One stray word is forgiven in a
 * short text ("essai depuis le site"): a test is typed in a hurry, and a real inquiry that mentions a test ("a
 * penetration test of our web app") has several words of its own.
 */
export function detectTestSubmission(words: readonly string[], options: TestSubmissionOptions = {}): string | null {
  const { topicWords, strayAllowance = 0, maxWords = 25 } = options;
  if (words.length === 0 || words.length > maxWords) return null;
  let cue: string | null = null;
  let stray = 0;
  let context = false;
  for (const word of words) {
    if (testContext.has(word)) context = true;
    if (isTestCue(word)) cue ??= word;
    else if (
      !testFiller.has(word) &&
      !stopWords.has(word) &&
      !/^\d+$/.test(word) &&
      (topicWords === undefined || topicWords.has(word))
    )
      stray++;
  }
  const allowed = Math.max(words.length <= 8 ? 1 : 0, context ? strayAllowance : 0);
  if (cue === null || stray > allowed) return null;
  return cue;
}

/**
 * A character-bigram model of how inquiry words are spelled, trained on genuine inquiries. Keyboard mashing
 * ("sdkjfh", "qweqwe") uses letter pairs that real words in these four languages rarely do.
 */
export interface SpellingModel {
  /** Mean log2-probability per letter pair of the text's words; lower is stranger. NaN with no letters. */
  score(words: readonly string[]): number;
  /** Scores below this are gibberish: set at training below nearly all genuine inquiries. */
  readonly threshold: number;
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz';
const symbols = alphabet.length + 2; // letters, any other letter, and the word boundary
const boundary = alphabet.length + 1;

function symbolOf(ch: string): number {
  const i = alphabet.indexOf(ch);
  return i >= 0 ? i : alphabet.length;
}

function pairsOf(words: readonly string[], visit: (from: number, to: number) => void): void {
  for (const word of words) {
    const letters = word.replace(/[^\p{L}]/gu, '');
    if (letters.length === 0) continue;
    let previous = boundary;
    for (const ch of letters) {
      const current = symbolOf(ch);
      visit(previous, current);
      previous = current;
    }
    visit(previous, boundary);
  }
}

/**
 * Trains the spelling model on genuine inquiries (folded words per text). The threshold sits `margin` bits below
 * the 2nd-percentile genuine text, so short oddities ("AWS ERP?") stay on the right side.
 */
export function trainSpellingModel(texts: ReadonlyArray<readonly string[]>, margin = 0.75): SpellingModel {
  const counts = Array.from({ length: symbols }, () => new Float64Array(symbols));
  for (const words of texts) pairsOf(words, (from, to) => counts[from]![to]!++);
  const logProbability = counts.map((row) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    return Array.from(row, (n) => Math.log2((n + 0.5) / (total + 0.5 * symbols)));
  });
  const score = (words: readonly string[]): number => {
    let sum = 0;
    let pairs = 0;
    pairsOf(words, (from, to) => {
      sum += logProbability[from]![to]!;
      pairs++;
    });
    return pairs === 0 ? Number.NaN : sum / pairs;
  };
  const genuine = texts
    .map(score)
    .filter((s) => !Number.isNaN(s))
    .sort((a, b) => a - b);
  const low = genuine[Math.floor(genuine.length * 0.02)] ?? -Infinity;
  return { score, threshold: low - margin };
}

/** A run of one letter ("jjjjjjj", "aaaaa") longer than any word in these languages has. */
export function hasLetterRun(words: readonly string[]): boolean {
  return words.some((word) => /(\p{L})\1{3,}/u.test(word));
}
