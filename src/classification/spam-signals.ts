// Test submissions and gibberish: spam told apart by its shape rather than its words, so no corpus can teach it away.
import { stopWords } from './stop-words';

// Words that say "this is a test" (folded). Lorem ipsum counts: nobody writes it to buy something.
const testCues = new Set(
  `test tests testing tester testen teste testnachricht testanfrage testlead testmail prueba pruebas probando essai essais
   asdf asdfasdf asdfgh asdfghjkl qwerty qwertz azerty qwe asd xxx xxxx aaa aaaa foo foobar dummy lorem ipsum dolor amet
   consectetur adipiscing eiusmod tempor incididunt labore dolore magna aliqua`.split(/\s+/),
);

// What surrounds the cue in a test ("just testing the contact form, please ignore"). A real inquiry that
// mentions a test ("pen test", "load test of our backup") has other words and is left alone.
const testFiller = new Set(
  `ignore ignorar ignorieren ignorer please por favor bitte merci gracias danke thanks this is just only nur solo juste seulement
   form formulario formular kontaktformular kontaktformulars formulaire contact contacto kontakt message mensaje nachricht
   mail email submission lead do not don no nicht ne pas process reply respond contestar responder antworten repondre tenir
   compte from qa hello hi hola hallo bonjour again one two three ceci est un une es una esto ist ein eine dies das des of
   the a sit sed ut et enim ad minim veniam elit page website site web sample another new de del la le les el y and or bar
   baz`.split(/\s+/),
);

/** The cue word when `words` (folded) are nothing but a test submission, else null. */
export function detectTestSubmission(words: readonly string[]): string | null {
  if (words.length === 0 || words.length > 25) return null;
  let cue: string | null = null;
  for (const word of words) {
    if (testCues.has(word)) cue ??= word;
    else if (!testFiller.has(word) && !stopWords.has(word) && !/^\d+$/.test(word)) return null;
  }
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
