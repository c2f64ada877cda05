// Phone numbers to E.164: a number someone typed, or the first number found in free text, read with country hints.
import {
  findPhoneNumbersInText,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import { countryOfDomain, resolveCountry } from './country';
import { domainOfEmail, registrableDomain } from './email';

export interface ParsedPhone {
  /** E.164, e.g. +442079460958 */
  e164: string;
  /** ISO alpha-2 country the number belongs to, when the numbering plan tells (+1 800 does not). */
  country: string | null;
}

export interface FoundPhone extends ParsedPhone {
  /** Offsets of the number in the text. */
  start: number;
  end: number;
}

/**
 * Where to read a national number, best first: the stated country, then the ccTLD of the person's mail domain (a
 * gmx.de address still says Germany), then that of their website.
 */
export function phoneCountryHints(stated: {
  country?: string | undefined;
  email?: string | undefined;
  website?: string | undefined;
}): Array<string | null> {
  const emailDomain = stated.email ? domainOfEmail(stated.email) : null;
  const siteDomain = stated.website ? registrableDomain(stated.website.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')) : null;
  return [
    stated.country ? resolveCountry(stated.country) : null,
    emailDomain ? countryOfDomain(emailDomain) : null,
    siteDomain ? countryOfDomain(siteDomain) : null,
  ];
}

// Hints come from the lead's country field and domains, best first; unknown codes and repeats are dropped.
function usableHints(hints: ReadonlyArray<string | null | undefined>): CountryCode[] {
  const seen = new Set<string>();
  const usable: CountryCode[] = [];
  for (const hint of hints) {
    if (!hint || seen.has(hint) || !isSupportedCountry(hint)) continue;
    seen.add(hint);
    usable.push(hint);
  }
  return usable;
}

function toParsed(number: PhoneNumber): ParsedPhone {
  return { e164: number.number, country: number.country ?? null };
}

/**
 * A typed phone number in E.164, or null when it is not a valid number. International numbers ("+44 20 7946 0958",
 * "0044 20 ...") need no hint; a national one ("030 1234567") is read as the first hint country it is valid in.
 * Words around the number are ignored, and of several numbers the first valid one is taken.
 * Validation uses the full metadata, so a number must fit its country's real numbering plan, not only its length.
 */
export function parsePhone(raw: string, hints: ReadonlyArray<string | null | undefined> = []): ParsedPhone | null {
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  if (!/\d/.test(text)) return null;
  for (const hint of [...usableHints(hints), undefined]) {
    const number = parsePhoneNumberFromString(text, hint);
    if (number?.isValid()) return toParsed(number);
  }
  // A field holding more than one number or words around it ("+49 30 1234567 / 0151 23456789", "mobile: ...").
  const found = findPhone(text, hints);
  return found ? { e164: found.e164, country: found.country } : null;
}

/**
 * The first valid phone number in free text. International numbers are found whatever the hints; national ones
 * ("(312) 555-0147", "030 1234567") only in a hinted country, tried in order, so a German number in a lead from
 * Germany is not misread as American.
 */
export function findPhone(text: string, hints: ReadonlyArray<string | null | undefined> = []): FoundPhone | null {
  const countries = usableHints(hints);
  // Every hinted pass finds international numbers too, so the unhinted pass is needed only when there is no hint.
  for (const hint of countries.length > 0 ? countries : [undefined]) {
    const found = findPhoneNumbersInText(text, hint === undefined ? undefined : { defaultCountry: hint });
    const first = found.find(
      (match) => match.number.isValid() && !looksLikeReference(text, match.startsAt, match.endsAt),
    );
    if (first) return { ...toParsed(first.number), start: first.startsAt, end: first.endsAt };
  }
  return null;
}

// Ten digits make a valid North American number, and so do many order numbers and year-prefixed ids: a number
// introduced as a reference, or starting with a year and a separator, is not taken for a phone.
const referenceWord =
  /(?:order|invoice|ticket|ref|reference|case|id|nr|no|number|pedido|factura|referencia|bestellung|rechnung|auftrag|vorgang|kundennummer|commande|facture|dossier)\.?\s*(?:#|:|nº|n°)?\s*$/i;

function looksLikeReference(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 20), start);
  const raw = text.slice(start, end);
  return referenceWord.test(before) || /^(?:19|20)\d\d[-/.]/.test(raw);
}
