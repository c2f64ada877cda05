// Guesses which of the supported languages an inquiry is written in, from its function words and letters.
import { stopWordsByLanguage } from './stop-words';

export const languages = ['en', 'es', 'de', 'fr'] as const;
export type Language = (typeof languages)[number];

// Letters that only (or mostly) one of the languages uses; weighed like a function word each time they appear.
const letterCues: Array<[RegExp, Language, number]> = [
  [/[ñ¿¡]/g, 'es', 2],
  [/[áíóú]/g, 'es', 0.5],
  [/[ßäöü]/g, 'de', 2],
  [/[çèêàùœîôûëâ]/g, 'fr', 1.5],
];

/**
 * The language with the most function words in `words` (folded, lowercase), plus letter cues from `text`.
 * A word shared by several languages ("de", "la", "en") counts for each, divided between them. Ties and texts
 * with no cue at all ("asdf", "AWS ERP") fall to English, the most common language of inquiries.
 */
export function detectLanguage(words: readonly string[], text: string): Language {
  const score: Record<Language, number> = { en: 0, es: 0, de: 0, fr: 0 };
  for (const word of words) {
    const owners = languages.filter((language) => stopWordsByLanguage[language].has(word));
    for (const owner of owners) score[owner] += 1 / owners.length;
  }
  const lower = text.toLowerCase();
  for (const [cue, language, weight] of letterCues) score[language] += (lower.match(cue)?.length ?? 0) * weight;
  let best: Language = 'en';
  for (const language of languages) if (score[language] > score[best]) best = language;
  return best;
}
