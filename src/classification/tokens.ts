// Turns an inquiry into what the model reads: folded words, language-aware stems, word bigrams and character n-grams.
import { newStemmer, type Stemmer } from 'snowball-stemmers';
import { conceptOf, phraseConceptsOf } from './concepts';
import { detectLanguage, type Language } from './language';
import { stopWords } from './stop-words';

const foldCache = new Map<string, string>();

/** Lowercase without diacritics: "Migración" → "migracion", "Größe" → "grosse". */
export function foldText(text: string): string {
  const cached = foldCache.get(text);
  if (cached !== undefined) return cached;
  const folded = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o');
  // Words repeat across a corpus; whole texts do not, so only short strings are kept.
  if (text.length <= 40) {
    if (foldCache.size > 200_000) foldCache.clear();
    foldCache.set(text, folded);
  }
  return folded;
}

// Header lines of forwarded and quoted mail say who wrote when, not what they want (and their dates are not
// deadlines). Matched at the start of a line, in the four languages' mail clients. Subject lines stay: they
// often name the topic.
const mailHeaderLine =
  /^\s*>*\s*(?:from|to|cc|date|sent|von|an|gesendet|datum|de|para|enviado(?: el)?|fecha|envoye|a|le .* a ecrit|on .* wrote|am .* schrieb|el .* escribio)\s*:.*$|^\s*>*\s*(?:-{2,}\s*(?:forwarded message|original message|ursprungliche nachricht|message transfere|mensaje reenviado|mensaje original|weitergeleitete nachricht)\s*-*|-{3,}.*(?:forwarded|original|ursprungliche|reenviado|transfere).*)$|^\s*(?:sent from my \w+|von meinem \w+ gesendet|enviado desde mi \w+|envoye de mon \w+)\s*$/i;

/**
 * The text without mail header lines ("From: …", "Gesendet: …", "---------- Forwarded message ---------").
 * Line structure is kept so positions in what remains still read naturally.
 */
export function stripMailHeaders(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (isMailHeaderLine(line) ? '' : line))
    .join('\n');
}

export function isMailHeaderLine(line: string): boolean {
  return mailHeaderLine.test(foldText(line));
}

const stemmerNames: Record<Language, string> = { en: 'english', es: 'spanish', de: 'german', fr: 'french' };
const stemmers = new Map<Language, Stemmer>();
const stemCache = new Map<string, string>();

function stemOf(word: string, language: Language): string {
  const key = `${language}:${word}`;
  const cached = stemCache.get(key);
  if (cached !== undefined) return cached;
  let stemmer = stemmers.get(language);
  if (!stemmer) {
    stemmer = newStemmer(stemmerNames[language]);
    stemmers.set(language, stemmer);
  }
  // Stemmers know their language's accents (German "ä", French "é"), so they run before folding.
  const stem = foldText(stemmer.stem(word));
  if (stemCache.size > 200_000) stemCache.clear();
  stemCache.set(key, stem);
  return stem;
}

/** A word as the model keeps it: its stem, and the word as written (lowercase) for explanations. */
export interface Token {
  stem: string;
  word: string;
  /** Right after a negation ("not urgent", "rien d'urgent", "keine Eile", "no es urgente"). */
  negated?: true;
}

export interface TokenisedText {
  language: Language;
  /** Content words in order: no stop words, no bare numbers, no single letters. */
  tokens: Token[];
  /**
   * Every word in order, stop words included ("we offer", "can you"), plus the shapes of what pitches are made of:
   * prices, percentages, links.
   */
  allTokens: Token[];
  /** Every word, folded, stop words included (for test-submission and language cues). */
  words: string[];
}

// Shapes that sales pitches are made of, as pseudo-words: "$499", "49€", "20 %", "www.example.com".
const shapes: Array<[RegExp, string]> = [
  [/(?:[$€£]\s?\d[\d.,]*\s?[km]?|\d[\d.,]*\s?(?:[$€£]|eur(?:os?)?\b|usd\b|dollars?\b))/giu, '<price>'],
  [/\d+(?:[.,]\d+)?\s?%/gu, '<percent>'],
  [/\b(?:https?:\/\/|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|co|biz|info|example)\b/giu, '<link>'],
];

// "can't" → "can not": the negation survives tokenisation ("cannot log in", "doesn't work").
function expandNegations(text: string): string {
  return text
    .replace(/\bcan['’]t\b/gi, 'can not')
    .replace(/\bwon['’]t\b/gi, 'will not')
    .replace(/n['’]t\b/gi, ' not')
    .replace(/\bcannot\b/gi, 'can not');
}

/**
 * The known words a German compound is made of, when the model has not seen the compound itself:
 * "Netzwerkausfall" → netzwerk + ausfall, "Sicherheitsvorfall" → sicherheit(s) + vorfall. The longest known head
 * wins; both parts have at least four letters. Empty when no split has two known parts.
 */
export function splitCompound(word: string, knows: (stem: string) => boolean): Token[] {
  const lower = word.toLowerCase();
  if (lower.length < 8) return [];
  for (let cut = lower.length - 4; cut >= 4; cut--) {
    const tail = lower.slice(cut);
    const tailStem = stemOf(tail, 'de');
    if (!knows(tailStem)) continue;
    const head = lower.slice(0, cut);
    // German joins words with a linking "s" ("Sicherheit-s-vorfall").
    for (const candidate of head.endsWith('s') && head.length > 4 ? [head, head.slice(0, -1)] : [head]) {
      const headStem = stemOf(candidate, 'de');
      if (knows(headStem))
        return [
          { stem: headStem, word: candidate },
          { stem: tailStem, word: tail },
        ];
    }
  }
  return [];
}

// Negations in the four languages, folded. The urgency model reads the word after one as negated, and the
// timeline's ASAP rules skip an urgency word one governs.
const negation = /^(?:not|no|non|nothing|never|nicht|kein\w*|nichts|pas|rien|sin|ni|nada|nunca|jamais)$/;

export function isNegation(foldedWord: string): boolean {
  return negation.test(foldedWord);
}

/**
 * A word the one before negates, or the one before that across a function word: "nothing urgent", "not that
 * urgent", "rien d'urgent", "pas d'urgence", "no es urgente", "keine Eile".
 */
function isNegated(words: readonly string[], i: number): boolean {
  const previous = words[i - 1];
  if (previous === undefined) return false;
  if (isNegation(previous)) return true;
  const before = words[i - 2];
  return before !== undefined && isNegation(before) && (previous.length < 2 || stopWords.has(previous));
}

export function tokenise(text: string): TokenisedText {
  const body = expandNegations(stripMailHeaders(text)).toLowerCase().normalize('NFC');
  const raw = body.match(/[\p{L}\p{N}]+/gu) ?? [];
  const words = raw.map(foldText);
  const language = detectLanguage(words, body);
  const tokens: Token[] = [];
  const allTokens: Token[] = [];
  raw.forEach((word, i) => {
    const folded = words[i] ?? '';
    if (/^\d+$/.test(folded)) return;
    const content = folded.length >= 2 && !stopWords.has(folded);
    const token: Token = { stem: content ? stemOf(word, language) : folded, word };
    if (content && isNegated(words, i)) token.negated = true;
    allTokens.push(token);
    if (content) tokens.push(token);
  });
  for (const [shape, name] of shapes)
    for (const match of body.match(shape) ?? []) allTokens.push({ stem: name, word: match.trim() });
  return { language, tokens, allTokens, words };
}

/** How much each kind of feature counts (0 leaves it out), and which words a model does not read. */
export interface FeatureWeights {
  words: number;
  bigrams: number;
  /** Character n-grams share this much weight per word, however long the word. */
  charNgrams: number;
  /** Weight of cross-language concept features (see concepts.ts). */
  concepts?: number;
  /** Weight of phrase concepts (see concepts.ts), read on every word of the text, stop words included. */
  phraseConcepts?: number;
  /** Read stop words and shapes too (allTokens), not only content words. */
  everyWord?: boolean;
  /** Folded words left out (e.g. time words for the topic models). */
  skip?: ReadonlyArray<ReadonlySet<string>>;
  /** A negated word is a feature of its own ("not urgent" is no evidence of urgency). */
  negation?: boolean;
}

/** Feature → weight. */
export type FeatureVector = Map<string, number>;

export interface Features {
  vector: FeatureVector;
  /** For explanations: feature → the words as written. */
  surface: Map<string, string>;
}

const charNgramSizes = [3, 4, 5];
const charNgramCache = new Map<string, string[]>();

/** The character 3-5-grams of a word with its boundaries marked: "aws" → "_aw", "aws", "ws_", "_aws", … */
function charNgramsOf(word: string): string[] {
  const cached = charNgramCache.get(word);
  if (cached) return cached;
  const padded = `_${foldText(word)}_`;
  const grams: string[] = [];
  for (const n of charNgramSizes)
    for (let start = 0; start + n <= padded.length; start++) grams.push(`c:${padded.slice(start, start + n)}`);
  if (charNgramCache.size > 100_000) charNgramCache.clear();
  charNgramCache.set(word, grams);
  return grams;
}

/** The features of a text; `explain` also keeps the words behind them (training does without, to save memory). */
export function featuresOf(tokenised: TokenisedText, weights: FeatureWeights, explain = true): Features {
  const vector: FeatureVector = new Map();
  const surface = new Map<string, string>();
  const add = (feature: string, weight: number, written?: string) => {
    if (weight <= 0 || vector.has(feature)) return;
    vector.set(feature, weight);
    if (explain && written !== undefined) surface.set(feature, written);
  };
  const skip = weights.skip ?? [];
  const tokens = (weights.everyWord ? tokenised.allTokens : tokenised.tokens).filter((token) => {
    const folded = foldText(token.word);
    return !skip.some((set) => set.has(folded) || set.has(token.stem));
  });
  // A word said three times weighs more than once, but not three times more: 1 + ln(count).
  const repeats = new Map<string, number>();
  for (const token of tokens) repeats.set(token.stem, (repeats.get(token.stem) ?? 0) + 1);
  tokens.forEach((token, i) => {
    const not = weights.negation && token.negated ? 'not:' : '';
    add(`w:${not}${token.stem}`, weights.words * (1 + Math.log(repeats.get(token.stem)!)), token.word);
    const concept = (weights.concepts ?? 0) > 0 ? conceptOf(foldText(token.word)) : undefined;
    if (concept !== undefined) add(`k:${not}${concept}`, weights.concepts!, token.word);
    const next = tokens[i + 1];
    if (next) add(`b:${token.stem} ${next.stem}`, weights.bigrams, `${token.word} ${next.word}`);
    if (weights.charNgrams > 0 && !token.stem.startsWith('<')) {
      const grams = charNgramsOf(token.word);
      for (const gram of grams) add(gram, weights.charNgrams / grams.length);
    }
  });
  if ((weights.phraseConcepts ?? 0) > 0)
    for (const { concept, phrase } of phraseConceptsOf(tokenised.words))
      add(`k:${concept}`, weights.phraseConcepts!, phrase);
  return { vector, surface };
}
