// Company names as matching sees them: one key per company however it is written, and a scored, explained match.

/**
 * A fuzzy match needs both: the keys at this trigram similarity or more, and their distinctive words (see
 * distinctiveWords) at `distinctiveSimilarityThreshold` or more. A typo in a two-word name stays above the
 * first ("Kestrl Robotics" ~ "Kestrel Robotics" 0.74), two companies sharing one of two words fall below it
 * ("Northwind Logistics" vs "Northwind Traders" 0.36).
 */
export const nameSimilarityThreshold = 0.6;
/**
 * Generic words can carry the keys past 0.6 alone ("Snoo Technologies" ~ "Bloo Technologies" 0.64): the
 * distinctive words must agree too. 0.5 forgives one dropped or added letter in a six-letter brand ("kestrl" ~
 * "kestrel" 0.5), not another name ("smyth" vs "smith" 0.33).
 */
export const distinctiveSimilarityThreshold = 0.5;
/** Same key, different spelling: near certain, short of the certainty of a shared domain or contact. */
export const exactKeyConfidence = 0.98;
/** Keys that differ can share every trigram (word order); such a match is never as sure as an exact key. */
const fuzzyConfidenceCap = 0.95;
/** A runner-up closer than this to the best candidate makes the pick a coin toss by that much. */
const ambiguityWindow = 0.1;

// Letters whose ASCII spelling is not their base letter. (ä, ö, ü lose their dots like any accent, and their
// spellings ae, oe, ue are folded to the base letter too: see umlautSpellings.)
const transliterations: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  å: 'aa',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

// Abbreviations and singular/plural variants, each mapped to one spelling. Only words that are used
// interchangeably in company names: "Acme Tech" and "Acme Technologies" are one company.
const wordVariants: Record<string, string> = {
  intl: 'international',
  mfg: 'manufacturing',
  mfrs: 'manufacturers',
  svc: 'services',
  svcs: 'services',
  srvcs: 'services',
  service: 'services',
  tech: 'technologies',
  techs: 'technologies',
  technology: 'technologies',
  sys: 'systems',
  system: 'systems',
  grp: 'group',
  assoc: 'associates',
  assocs: 'associates',
  bros: 'brothers',
  natl: 'national',
  mgmt: 'management',
  mktg: 'marketing',
  hldgs: 'holdings',
  hldg: 'holdings',
  holding: 'holdings',
  inds: 'industries',
  industry: 'industries',
  lab: 'laboratories',
  labs: 'laboratories',
  laboratory: 'laboratories',
  ctr: 'center',
  centre: 'center',
  soln: 'solutions',
  solns: 'solutions',
  solution: 'solutions',
  hnos: 'hermanos',
  gebr: 'gebruder',
};

// Words that say what a company does or how it is organised, not which company it is: thousands of accounts
// share each. A name's distinctive words are the others ("Zentrix" in "Zentrix Technologies"). Spelled as
// keys spell them (after wordVariants and accent folding).
const genericWords = new Set([
  // English
  'technologies',
  'systems',
  'services',
  'solutions',
  'consulting',
  'consultants',
  'software',
  'group',
  'holdings',
  'international',
  'global',
  'partners',
  'associates',
  'industries',
  'enterprises',
  'management',
  'marketing',
  'media',
  'digital',
  'data',
  'analytics',
  'logistics',
  'engineering',
  'manufacturing',
  'capital',
  'ventures',
  'laboratories',
  'networks',
  'security',
  'energy',
  'health',
  'healthcare',
  'financial',
  'finance',
  'insurance',
  'investments',
  'properties',
  'design',
  'development',
  'construction',
  'trading',
  'retail',
  'foods',
  'pharma',
  'biotech',
  'motors',
  'materials',
  'devices',
  'instruments',
  'dynamics',
  'interactive',
  'telecom',
  'communications',
  'electronics',
  'automation',
  'robotics',
  'cloud',
  'center',
  'products',
  'supply',
  'transport',
  'trust',
  'bank',
  'agency',
  'studio',
  'studios',
  // German
  'technik',
  'maschinenbau',
  'logistik',
  'beratung',
  'systeme',
  'elektronik',
  'bau',
  'handel',
  'versicherung',
  'medizintechnik',
  'anlagenbau',
  'verwaltung',
  'energie',
  'gruppe',
  'dienstleistungen',
  'holding',
  'informatik',
  // Spanish
  'soluciones',
  'tecnologia',
  'servicios',
  'ingenieria',
  'consultores',
  'logistica',
  'construcciones',
  'comercial',
  'sistemas',
  'alimentos',
  'energia',
  'inversiones',
  'transportes',
  'grupo',
  // French
  'conseil',
  'ingenierie',
  'logistique',
  'distribution',
  'informatique',
  'systemes',
  'transports',
  'batiment',
  'groupe',
]);

// A misspelt generic word ("technolgies") is still generic: kept as distinctive, it would make every
// account with the right spelling a candidate.
const genericSimilarity = 0.5;

/** The key without its generic words, misspelt or not ("zentrix technolgies" -> "zentrix"); '' when nothing is left. */
export function distinctiveWords(key: string): string {
  return key
    .split(' ')
    .filter((w) => w && !isGenericWord(w))
    .join(' ');
}

// Which generic words hold each trigram: a word is compared only with the generic words it shares one with.
const genericTrigramCounts = [...genericWords].map((word) => trigramsOf(word).size);
const genericWordsByTrigram = new Map<string, number[]>();
[...genericWords].forEach((word, i) => {
  for (const trigram of trigramsOf(word))
    genericWordsByTrigram.set(trigram, [...(genericWordsByTrigram.get(trigram) ?? []), i]);
});

function isGenericWord(word: string): boolean {
  if (genericWords.has(word)) return true;
  if (word.length < 5) return false;
  const trigrams = trigramsOf(word);
  const shared = new Map<number, number>();
  for (const trigram of trigrams)
    for (const i of genericWordsByTrigram.get(trigram) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
  for (const [i, count] of shared)
    if (count / (trigrams.size + (genericTrigramCounts[i] ?? 0) - count) >= genericSimilarity) return true;
  return false;
}

// "&", "and" and their Spanish, German and French forms: "Smith & Sons" is "Smith and Sons" is "Smith Sons".
const connectives = new Set(['and', 'und', 'y', 'et']);

// Legal forms, EN/ES/DE/FR plus the Dutch and Australian ones common in B2B, as token sequences after dotted
// initials are joined ("S.A." -> "sa", "S. de R.L." -> "s de rl"). Stripped from the end only: in the middle
// of a name these words are part of it ("Limited Brands Outlet").
const legalForms: string[][] = [
  // English-speaking
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lllp',
  'lp',
  'ltd',
  'limited',
  'plc',
  'corp',
  'corporation',
  'co',
  'company',
  'pllc',
  'pty',
  'pte',
  // German-speaking
  'gmbh',
  'ag',
  'kg',
  'kgaa',
  'mbh',
  'ohg',
  'ug',
  'haftungsbeschrankt',
  'gbr',
  'ev',
  'eg',
  'se',
  'gesmbh',
  // Spanish-speaking
  'sa',
  'sl',
  'slu',
  'sau',
  'sll',
  'srl',
  'ltda',
  'cia',
  'sa de cv',
  's de rl',
  's de rl de cv',
  'sapi de cv',
  'sociedad anonima',
  'sociedad limitada',
  // French-speaking
  'sarl',
  'sas',
  'sasu',
  'eurl',
  'sci',
  'snc',
  'scop',
  'cie',
  'societe anonyme',
  // Dutch and Belgian
  'bv',
  'nv',
  'bvba',
  'vof',
]
  .map((form) => form.split(' '))
  // Longest first: "S. de R.L. de C.V." goes as one form, not as "de C.V." left behind.
  .sort((a, b) => b.length - a.length);

/**
 * The key two spellings of one company share: case, accents, punctuation, a leading "The", trailing legal
 * forms, connectives and common abbreviations do not count. Idempotent: a key is its own key.
 * A name that is nothing but such words ("The Company Ltd") keeps them rather than becoming empty.
 */
export function companyNameKey(name: string): string {
  const words = wordsOf(name);
  let stripped = words;
  for (let changed = true; changed && stripped.length > 0;) {
    changed = false;
    if (stripped[0] === 'the') {
      stripped = stripped.slice(1);
      changed = true;
    }
    const form = legalForms.find(
      (f) => f.length <= stripped.length && f.every((w, i) => stripped[stripped.length - f.length + i] === w),
    );
    if (form) {
      stripped = stripped.slice(0, stripped.length - form.length);
      changed = true;
    }
  }
  return (stripped.length > 0 ? stripped : words).join(' ');
}

function wordsOf(name: string): string[] {
  const plain = transliterate(
    transliterate(name.normalize('NFC').toLowerCase())
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      // Compatibility forms can decompose to capitals ("ℌ" -> "H"), accented ones to letters of the table ("ǽ" -> "æ").
      .toLowerCase(),
  )
    .replace(/&/g, ' and ')
    // Dotted initials are one word: "S.A." is "sa", "e.V." is "ev", "J.P." is "jp".
    .replace(/(?<![\p{L}\p{N}])\p{L}(?:\.\s?\p{L}(?![\p{L}\p{N}]))+\.?/gu, (initials) => initials.replace(/[.\s]/g, ''))
    // An apostrophe joins: "McDonald's" is "mcdonalds", "Int'l" is "intl".
    .replace(/['’`´]/g, '')
    .replace(umlautSpellings, '$1');
  return plain
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => wordVariants[w] ?? w)
    .filter((w) => !connectives.has(w));
}

// Müller is also written Mueller and Muller: all three become "muller". Only between consonants, where "ue"
// is almost always an umlaut (Mueller, Goethe, Baer), not a vowel pair of its own (Blue, Queen, Aerospace).
// Both sides of a comparison go through it, so the odd casualty ("Michael" -> "michal") costs nothing.
const umlautSpellings = /(?<=[b-df-hj-np-tv-z])([aou])e(?=[b-df-hj-np-tv-z])/g;

function transliterate(text: string): string {
  return Array.from(text, (ch) => transliterations[ch] ?? ch).join('');
}

/**
 * pg_trgm's similarity(), computed the same way: each word padded with two spaces before and one after, the
 * set of its three-character windows, shared windows over all windows. The database finds candidates with
 * the real one; the domain decides and explains with this one (activities/matching.test.ts holds them equal).
 */
export function trigramSimilarity(a: string, b: string): number {
  return setSimilarity(trigramsOf(a), trigramsOf(b));
}

function setSimilarity(ta: ReadonlySet<string>, tb: ReadonlySet<string>): number {
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

function trigramsOf(text: string): Set<string> {
  const trigrams = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue;
    const chars = Array.from(`  ${word} `);
    for (let i = 0; i + 3 <= chars.length; i++) trigrams.add(`${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
  }
  return trigrams;
}

/** How two keys compare under the matching rule; both name matching paths decide with it. */
interface KeyComparison {
  exactKey: boolean;
  similarity: number;
  distinctive: string;
  otherDistinctive: string;
  /** Trigram similarity of the distinctive words; 1 when neither key has any. */
  distinctiveSimilarity: number;
  matched: boolean;
  /** Confidence before any ambiguity penalty. */
  base: number;
}

/** `distinctive` is distinctiveWords(key), passed in when one key is compared with many. */
function compareKeys(key: string, otherKey: string, distinctive = distinctiveWords(key)): KeyComparison {
  const exactKey = key !== '' && key === otherKey;
  const similarity = trigramSimilarity(key, otherKey);
  const otherDistinctive = distinctiveWords(otherKey);
  // A name of generic words only ("Global Services") is compared whole, and only with names like it.
  const distinctiveSimilarity =
    distinctive === '' && otherDistinctive === '' ? 1 : trigramSimilarity(distinctive, otherDistinctive);
  const matched =
    exactKey || (similarity >= nameSimilarityThreshold && distinctiveSimilarity >= distinctiveSimilarityThreshold);
  return {
    exactKey,
    similarity,
    distinctive,
    otherDistinctive,
    distinctiveSimilarity,
    matched,
    base: matched ? baseConfidence(exactKey, similarity) : 0,
  };
}

function describeComparison(name: string, accountName: string, key: string, c: KeyComparison): string {
  const pair = (relation: string) => `name ${quote(name)} ${relation} account ${quote(accountName)}`;
  if (c.exactKey) return `${pair('=')} (same key ${quote(key)})`;
  const words =
    c.distinctive || c.otherDistinctive
      ? `${quote(c.distinctive)} vs ${quote(c.otherDistinctive)} ${c.distinctiveSimilarity.toFixed(2)}`
      : '';
  if (c.matched)
    return `${pair('~')} (similarity ${c.similarity.toFixed(2)}${words ? `; distinctive words ${words}` : ''})`;
  if (c.similarity < nameSimilarityThreshold)
    return `${pair('is not')} (similarity ${c.similarity.toFixed(2)} < ${nameSimilarityThreshold})`;
  return `${pair('is not')} (similarity ${c.similarity.toFixed(2)}, but distinctive words ${words} < ${distinctiveSimilarityThreshold})`;
}

export interface NameScore {
  key: string;
  otherKey: string;
  /** Trigram similarity of the two keys, 0..1. */
  similarity: number;
  /** Trigram similarity of their distinctive words, 0..1. */
  distinctiveSimilarity: number;
  exactKey: boolean;
  matched: boolean;
  /** 0 when not matched; else as `chooseNameMatch` sets it for a single candidate. */
  confidence: number;
  reason: string;
}

/** How sure is it that the lead's company `name` is the account named `accountName`? */
export function scoreNameMatch(name: string, accountName: string): NameScore {
  const key = companyNameKey(name);
  const otherKey = companyNameKey(accountName);
  const c = compareKeys(key, otherKey);
  return {
    key,
    otherKey,
    similarity: c.similarity,
    distinctiveSimilarity: c.distinctiveSimilarity,
    exactKey: c.exactKey,
    matched: c.matched,
    confidence: round2(c.base),
    reason: describeComparison(name, accountName, key, c),
  };
}

/** An account the database found for a name. */
export interface NameCandidate {
  accountId: string;
  name: string;
  nameKey: string;
}

export interface NameMatch {
  accountId: string;
  name: string;
  /** 0..1: 0.98 for the same key, else the similarity capped at 0.95; less when a runner-up is nearly as close. */
  confidence: number;
  similarity: number;
  exactKey: boolean;
  reason: string;
}

/**
 * Picks the account a company name means among the database's candidates, or null when none matches (see
 * nameSimilarityThreshold). The same key beats any similarity, then higher similarity, then the older account
 * (lower id). A runner-up within 0.1 of the pick lowers the confidence by the difference: two accounts both
 * called "Acme" leave 0.88, and the reason names the other one.
 */
export function chooseNameMatch(company: string, candidates: readonly NameCandidate[]): NameMatch | null {
  const key = companyNameKey(company);
  if (key === '') return null;
  const distinctive = distinctiveWords(key);
  const ranked = candidates
    .map((candidate) => ({ ...candidate, ...compareKeys(key, candidate.nameKey, distinctive) }))
    .filter((c) => c.matched)
    .sort((x, y) => y.base - x.base || y.similarity - x.similarity || compareIds(x.accountId, y.accountId));
  const [best, runnerUp] = ranked;
  if (!best) return null;
  const penalty = runnerUp ? Math.max(0, ambiguityWindow - (best.base - runnerUp.base)) : 0;
  const confidence = round2(best.base - penalty);
  let reason = describeComparison(company, best.name, key, best);
  if (runnerUp && penalty > 0) {
    const how = runnerUp.exactKey ? 'has the same key' : `is at ${runnerUp.similarity.toFixed(2)}`;
    reason += `; account ${quote(runnerUp.name)} (id ${runnerUp.accountId}) ${how}, so confidence ${confidence.toFixed(2)}`;
  }
  return {
    accountId: best.accountId,
    name: best.name,
    confidence,
    similarity: best.similarity,
    exactKey: best.exactKey,
    reason,
  };
}

function baseConfidence(exactKey: boolean, similarity: number): number {
  return exactKey ? exactKeyConfidence : Math.min(similarity, fuzzyConfidenceCap);
}

// bigserial ids arrive as decimal strings; shorter is smaller.
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function quote(text: string): string {
  return `'${text}'`;
}
