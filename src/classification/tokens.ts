// Turns an inquiry into what the model reads: folded words, language-aware stems, word bigrams and character n-grams.
import { newStemmer, type Stemmer } from 'snowball-stemmers';
import { detectLanguage, type Language } from './language';
import { stopWords } from './stop-words';

/** Lowercase without diacritics: "Migración" → "migracion", "Größe" → "grosse". */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o');
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
}

export interface TokenisedText {
  language: Language;
  /** Content words in order: no stop words, no bare numbers, no single letters. */
  tokens: Token[];
  /** Every word, folded, stop words included (for test-submission and language cues). */
  words: string[];
}

// "can't" → "can not": the negation survives tokenisation ("cannot log in", "doesn't work").
function expandNegations(text: string): string {
  return text
    .replace(/\bcan['’]t\b/gi, 'can not')
    .replace(/\bwon['’]t\b/gi, 'will not')
    .replace(/n['’]t\b/gi, ' not')
    .replace(/\bcannot\b/gi, 'can not');
}

export function tokenise(text: string): TokenisedText {
  const body = expandNegations(stripMailHeaders(text)).toLowerCase().normalize('NFC');
  const raw = body.match(/[\p{L}\p{N}]+/gu) ?? [];
  const words = raw.map(foldText);
  const language = detectLanguage(words, body);
  const tokens: Token[] = [];
  raw.forEach((word, i) => {
    const folded = words[i] ?? '';
    if (folded.length < 2 || /^\d+$/.test(folded) || stopWords.has(folded)) return;
    tokens.push({ stem: stemOf(word, language), word });
  });
  return { language, tokens, words };
}

/** How much each kind of feature counts (0 leaves it out), and which words a model does not read. */
export interface FeatureWeights {
  words: number;
  bigrams: number;
  /** Character n-grams share this much weight per word, however long the word. */
  charNgrams: number;
  /** Folded words left out (e.g. time words for the topic models). */
  skip?: ReadonlyArray<ReadonlySet<string>>;
}

/** Feature → weight (presence, not counts: repeating a word does not make an inquiry more about it). */
export type FeatureVector = Map<string, number>;

export interface Features {
  vector: FeatureVector;
  /** For explanations: feature → the words as written. */
  surface: Map<string, string>;
}

const charNgramSizes = [3, 4, 5];

export function featuresOf(tokenised: TokenisedText, weights: FeatureWeights): Features {
  const vector: FeatureVector = new Map();
  const surface = new Map<string, string>();
  const add = (feature: string, weight: number, written?: string) => {
    if (weight <= 0 || vector.has(feature)) return;
    vector.set(feature, weight);
    if (written !== undefined) surface.set(feature, written);
  };
  const skip = weights.skip ?? [];
  const tokens = tokenised.tokens.filter((token) => {
    const folded = foldText(token.word);
    return !skip.some((set) => set.has(folded) || set.has(token.stem));
  });
  tokens.forEach((token, i) => {
    add(`w:${token.stem}`, weights.words, token.word);
    const next = tokens[i + 1];
    if (next) add(`b:${token.stem} ${next.stem}`, weights.bigrams, `${token.word} ${next.word}`);
    if (weights.charNgrams > 0) {
      const padded = `_${foldText(token.word)}_`;
      const grams: string[] = [];
      for (const n of charNgramSizes) for (let start = 0; start + n <= padded.length; start++) grams.push(`c:${padded.slice(start, start + n)}`);
      for (const gram of grams) add(gram, weights.charNgrams / grams.length);
    }
  });
  return { vector, surface };
}
