// Reads what forms leave out from the free text of a lead (a message, a chat line): email, phone, the person's name
// and company, and a budget. English, Spanish, German and French. Heuristic by nature: each reader prefers to find
// nothing over finding something wrong, because a wrong company or budget misroutes a lead.
import { resolveCountry } from './country';
import { isEmailAddress } from './email';
import { findPhone, type FoundPhone } from './phone';

// --- email ---------------------------------------------------------------------------------------------------

// "jane (at) acme (dot) com", "jane[at]acme.com", "juan (arroba) acme.es": people hide addresses from bots.
const hiddenAt = /\s*[[(]\s*(?:at|arroba|ät|chez)\s*[\])]\s*/gi;
const hiddenDot = /\s*[[(]\s*(?:dot|punto|punkt|point)\s*[\])]\s*/gi;
const emailCandidate = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** The first email address in the text, as written (obfuscated forms unfolded). */
export function extractEmail(text: string): string | null {
  const unfolded = text.replace(hiddenAt, '@').replace(hiddenDot, '.');
  for (const match of unfolded.matchAll(emailCandidate)) {
    const address = match[0].replace(/^['.-]+/, '').replace(/[.'-]+$/, '');
    if (isEmailAddress(address)) return address;
  }
  return null;
}

// --- phone ---------------------------------------------------------------------------------------------------

/**
 * The first phone number in the text, as E.164. International numbers are always found; national ones
 * ("(312) 555-0147", "030 1234567") in the first hint country where they are valid.
 */
export function extractPhone(text: string, countryHints: ReadonlyArray<string | null | undefined>): FoundPhone | null {
  return findPhone(text, countryHints);
}

// --- names and companies -------------------------------------------------------------------------------------

// A person's name: one to four capitalised words ("Jane", "María García López", "Sarah O'Connor", "Jean-Luc",
// "McDonald").
const nameToken = String.raw`\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}?\p{Ll}+)*`;
const personName = new RegExp(String.raw`${nameToken}(?:[ \t]+${nameToken}){0,3}`, 'uy');

// Legal forms that end a company name, across the four languages and their neighbours.
const legalForm = String.raw`(?:GmbH(?:\s?&\s?Co\.?\s?KG)?|gGmbH|AG|KGaA|KG|UG(?:\s?\(haftungsbeschränkt\))?|OHG|GbR|SE|e\.\s?V\.|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|PLC|plc|LLP|S\.A\.(?:\s?de\s?C\.V\.)?|S\.A\.U\.|SAU|SA|S\.L\.U?\.?|SLU|SL|S\.A\.S\.?|SAS|SASU|SARL|S\.à\s?r\.l\.|Sàrl|EURL|B\.V\.|BV|N\.V\.|NV|Oyj?|AB|A/S|AS|ApS|S\.p\.A\.|SpA|S\.r\.l\.|Srl|SRL|Pty\.?\s?Ltd\.?|Pte\.?\s?Ltd\.?|Ltda\.?|Cía\.?)`;
// A word of a company name: capitalised or a number ("Acme", "IBM", "3M", "AT&T", "Booking.com", "Müller-Lüdenscheidt"),
// but not a legal form, which ends the name.
const nameWord = String.raw`(?!(?:${legalForm}|I|We|Wir|Ich|Je|Yo|Nous)(?![\p{L}\p{N}]))(?:(?:St|Ste|Mt)\.(?=[ \t]\p{Lu})|[\p{Lu}\p{N}][\p{L}\p{N}'’&+-]*(?:\.[\p{L}\p{N}]{2,})*)`;
// Small words allowed inside a name when a capitalised word follows ("Bank of America", "Müller und Söhne").
const joiner = String.raw`(?:&|\+|and|und|y|et|of|de|del|des|du|für|for)`;
const companyName = new RegExp(
  String.raw`${nameWord}(?:[ \t]+(?:${joiner}[ \t]+)?${nameWord}){0,4}(?:,?[ \t]+${legalForm}(?![\p{L}\p{N}]))?`,
  'uy',
);
const legalFormAtEnd = new RegExp(String.raw`(?:^|[ \t,])${legalForm}$`, 'u');

// Capitalised words that start sentences or name things generically, never a company's first word.
const notCompanyStart = new Set(
  (
    'The A An Our My We Us I It This That Die Der Das Den Dem Des Ein Eine Unsere Unser Meine Mein Wir Ich Sie ' +
    'La El Los Las Le Les L Un Una Nuestra Nuestro Mi Yo Nosotros Nous Je Notre Ma Mon Une Firma Empresa Company ' +
    'Société Societe Entreprise Unternehmen Hello Hi Hey Dear Hallo Hola Bonjour Buenos Buenas Guten Thanks Thank ' +
    'Gracias Danke Merci Please Bitte Por Pour Best Kind Regards Saludos Cordialement Grüße IT'
  ).split(' '),
);

// Leading generic words are dropped ("Die Müller GmbH" -> "Müller GmbH"); trailing joiners and dots too.
function tidyCompany(raw: string): string | null {
  const words = raw.trim().split(/[ \t]+/);
  while (words.length > 1 && notCompanyStart.has(words[0] ?? '')) words.shift();
  if (words.length === 1 && notCompanyStart.has(words[0] ?? '')) return null;
  while (words.length > 1 && new RegExp(`^${joiner}$`, 'u').test(words[words.length - 1] ?? '')) words.pop();
  let company = words.join(' ').replace(/,$/, '');
  // "Acme Corp." and "Acme Corp" are one company, and a sentence's full stop often follows the name; dotted forms
  // (S.A., e.V.) keep their last dot.
  if (!/\.\p{L}+\.$/u.test(company)) company = company.replace(/\.+$/, '');
  if (company.length < 2) return null;
  // "I'm Jane from Germany" names a place, not an employer.
  if (!/\s/.test(company) && resolveCountry(company) !== null) return null;
  return company;
}

function readCompanyAt(text: string, index: number): string | null {
  companyName.lastIndex = index;
  const match = companyName.exec(text);
  return match ? tidyCompany(match[0]) : null;
}

// Capitalised words that follow "I'm" or "Ich bin" without being a name ("I'm Interested", "Ich bin Leiter").
const notAName = new Set(
  (
    'Interested Looking Writing Reaching Contacting Calling Happy Glad Sorry Not Here New Just Currently Also ' +
    'Responsible Head Leiter Leiterin Geschäftsführer Geschäftsführerin Inhaber Inhaberin Interessiert ' +
    'Interesado Interesada Responsable Gerente Director Directora Intéressé Intéressée Directeur Directrice'
  ).split(' '),
);

function readNameAt(text: string, index: number): { name: string; end: number } | null {
  personName.lastIndex = index;
  const match = personName.exec(text);
  if (!match) return null;
  const words = match[0].split(/[ \t]+/);
  if (words.some((word) => notCompanyStart.has(word) || notAName.has(word))) return null;
  return { name: match[0], end: match.index + match[0].length };
}

export interface PersonAndCompany {
  name: string | null;
  company: string | null;
}

type Step = RegExp | 'name' | 'company';

// Each pattern is a sequence: a trigger phrase (case-insensitive), then the name and/or company read
// case-sensitively, since capitals are what tell a name from the words around it.
const introductions: Step[][] = [
  // English
  [
    /\b(?:I am|I'm|I’m|this is|my name is|name's)[ \t]+/giu,
    'name',
    /[ \t]*,?[ \t]+(?:from|at|with|of)[ \t]+(?:the[ \t]+)?/iuy,
    'company',
  ],
  [/\b(?:I|we)[ \t]+(?:work|am working|are working)[ \t]+(?:at|for|with)[ \t]+(?:the[ \t]+)?/giu, 'company'],
  [
    /\b(?:here at|on behalf of|reaching out from|calling from|I'm with|I’m with|I am with)[ \t]+(?:the[ \t]+)?/giu,
    'company',
  ],
  [
    /\b(?:CEO|CTO|CIO|CFO|COO|CISO|founder|co-founder|owner|director|manager|head of [\p{L} ]{2,30}?|VP of [\p{L} ]{2,30}?|IT lead|sysadmin|admin|administrator|consultant)[ \t]+(?:at|of|@)[ \t]+/giu,
    'company',
  ],
  [/\b(?:my name is|I am|I'm|I’m|this is)[ \t]+/giu, 'name', /[ \t]*(?:,|\.|\n|$| and | here| from | at | with )/iuy],
  // "Jane Doe here, ..." at the start of a sentence
  [/(?:^|[\n.!?,;:][ \t]*)(?=\p{Lu}[\p{L}'’ \t-]{1,40}?[ \t]here\b)/gu, 'name', /[ \t]+here\b/uy],
  // Spanish
  [
    /\b(?:soy|me llamo|mi nombre es)[ \t]+/giu,
    'name',
    /[ \t]*,?[ \t]+(?:de|desde|y trabajo en|trabajo en)[ \t]+(?:la[ \t]+empresa[ \t]+)?/iuy,
    'company',
  ],
  [/\btrabajo[ \t]+(?:en|para|con)[ \t]+(?:la[ \t]+empresa[ \t]+)?/giu, 'company'],
  [/\b(?:de|en|para|desde)[ \t]+la[ \t]+(?:empresa|compañía|compania|firma)[ \t]+/giu, 'company'],
  [/\ben nombre de[ \t]+/giu, 'company'],
  [
    /\b(?:gerente|director|directora|jefe|jefa|responsable|coordinador|coordinadora)\b[^.\n]{0,30}?[ \t]en[ \t]+(?:la[ \t]+empresa[ \t]+)?/giu,
    'company',
  ],
  [/\b(?:me llamo|mi nombre es|soy)[ \t]+/giu, 'name', /[ \t]*(?:,|\.|\n|$| y | de )/iuy],
  // German
  [
    /\b(?:ich bin|ich heiße|ich heisse|mein name ist|hier ist|hier spricht)[ \t]+/giu,
    'name',
    /[ \t]*,?[ \t]+(?:von|bei)[ \t]+(?:der[ \t]+|dem[ \t]+|den[ \t]+)?(?:Firma[ \t]+|Unternehmen[ \t]+)?/iuy,
    'company',
  ],
  [/\bich[ \t]+arbeite[ \t]+(?:bei|für)[ \t]+(?:der[ \t]+|dem[ \t]+|den[ \t]+)?(?:Firma[ \t]+)?/giu, 'company'],
  [/\b(?:von|bei|für)[ \t]+(?:der|dem|die)[ \t]+(?:Firma|Unternehmen|Gesellschaft)[ \t]+/giu, 'company'],
  [/\bim Auftrag[ \t]+(?:der|des|von)[ \t]+/giu, 'company'],
  [
    /\b(?:Leiter|Leiterin|Geschäftsführer|Geschäftsführerin|Inhaber|Inhaberin|Berater|Beraterin|IT-Leiter|IT-Leiterin)\b[^.\n]{0,30}?[ \t]bei[ \t]+(?:der[ \t]+|dem[ \t]+)?(?:Firma[ \t]+)?/giu,
    'company',
  ],
  [/\b(?:ich heiße|ich heisse|mein name ist|ich bin)[ \t]+/giu, 'name', /[ \t]*(?:,|\.|\n|$| und | von | bei )/iuy],
  // French
  [
    /\b(?:je suis|je m'appelle|je m’appelle|mon nom est)[ \t]+/giu,
    'name',
    /[ \t]*,?[ \t]+(?:de chez|de la société|de|chez|d['’])[ \t]*/iuy,
    'company',
  ],
  [/\bde la part de[ \t]+/giu, 'name', /[ \t]*,?[ \t]+(?:de chez|chez|de la société|de)[ \t]+/iuy, 'company'],
  [/\bje[ \t]+travaille[ \t]+(?:chez|pour)[ \t]+/giu, 'company'],
  [/\b(?:de|pour)[ \t]+(?:la[ \t]+société|l['’]entreprise|la[ \t]+compagnie)[ \t]+/giu, 'company'],
  [/\bpour le compte de[ \t]+/giu, 'company'],
  [/\b(?:directeur|directrice|responsable|chef|gérant|gérante)\b[^.\n]{0,30}?[ \t]chez[ \t]+/giu, 'company'],
  [/\b(?:je m'appelle|je m’appelle|mon nom est|je suis)[ \t]+/giu, 'name', /[ \t]*(?:,|\.|\n|$| et | de | chez )/iuy],
];

function matchIntroduction(text: string, steps: Step[]): PersonAndCompany | null {
  const [trigger, ...rest] = steps;
  if (!(trigger instanceof RegExp)) return null;
  trigger.lastIndex = 0;
  for (const start of text.matchAll(trigger)) {
    let index = start.index + start[0].length;
    const found: PersonAndCompany = { name: null, company: null };
    let complete = true;
    for (const step of rest) {
      if (step === 'name') {
        const read = readNameAt(text, index);
        if (!read) {
          complete = false;
          break;
        }
        found.name = read.name;
        index = read.end;
      } else if (step === 'company') {
        found.company = readCompanyAt(text, index);
        if (!found.company) {
          complete = false;
          break;
        }
      } else {
        step.lastIndex = index;
        const separator = step.exec(text);
        if (!separator) {
          complete = false;
          break;
        }
        index += separator[0].length;
      }
    }
    if (complete) return found;
  }
  return null;
}

const signOff =
  /^\s*(?:--\s*|—\s*|_{2,}\s*|(?:(?:best|kind|warm|many)\s+)?(?:regards|wishes)|cheers|thanks|thank you|best|sincerely|yours|(?:un\s+)?saludo(?:s)?(?:\s+cordiales)?|atentamente|cordialmente|mit freundlichen grüßen|mit freundlichen grüssen|mfg|(?:viele|beste|liebe|freundliche)\s+grüße|(?:viele|beste|liebe|freundliche)\s+grüsse|gruß|grüße|(?:bien\s+)?cordialement|bien à vous|salutations(?:\s+distinguées)?|merci(?:\s+d'avance)?)[,.!]?\s*$/iu;
// Job titles on a signature line ("Head of IT, Acme Ltd", "Gerente de TI | Acme S.A.", "Leiter IT bei Acme").
const jobTitle =
  /\b(?:CEO|CTO|CIO|CFO|COO|CISO|VP|head|director|directora|manager|lead|engineer|founder|owner|partner|consultant|administrator|officer|gerente|jefe|jefa|responsable|coordinador|coordinadora|ingeniero|ingeniera|fundador|fundadora|geschäftsführer|geschäftsführerin|leiter|leiterin|inhaber|inhaberin|berater|beraterin|directeur|directrice|chef|gérant|gérante|ingénieur|fondateur|fondatrice|président|présidente|IT)\b/iu;
const titleCompanySeparator =
  /[ \t]*(?:,|\||·|–|—|[ \t]-[ \t]|[ \t]at[ \t]|[ \t]@[ \t]|[ \t]bei[ \t]|[ \t]chez[ \t]|[ \t]en[ \t])[ \t]*/iu;

// Titles before a name on a signature line ("Dr. Emily Watson", "Sra. Ana García", "Dipl.-Ing. Jan Becker").
const honorific = /^(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sr|Sra|Srta|Dña|Hr|Fr|Mme|Mlle|M|Dipl\.-Ing|Ing|Lic)\.?[ \t]+)+/u;

/** Name and company from an email-style signature after a sign-off ("--", "Best regards", "Saludos" ...). */
function readSignature(text: string): PersonAndCompany | null {
  const lines = text.split(/\r?\n/);
  const signOffAt = lines.findIndex((line) => signOff.test(line));
  if (signOffAt < 0) return null;
  const block = lines
    .slice(signOffAt + 1)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, 5);
  const found: PersonAndCompany = { name: null, company: null };
  let previousWasTitleOrName = false;
  for (const line of block) {
    // Contact lines (mail, phone, web) say nothing about the company's name.
    if (/@|https?:|www\.|\d{4,}/.test(line.replace(/\s/g, '')) && !legalFormAtEnd.test(line)) continue;
    const person = line.replace(honorific, '');
    const wholeName = readNameAt(person, 0);
    if (!found.name && !found.company && wholeName && wholeName.name === person && !jobTitle.test(person)) {
      found.name = person;
      previousWasTitleOrName = true;
      continue;
    }
    const parts = line.split(titleCompanySeparator);
    if (parts.length > 1 && jobTitle.test(parts[0] ?? '')) {
      const company = readCompanyAt(parts[parts.length - 1] ?? '', 0);
      if (company) return { ...found, company };
    }
    const whole = readCompanyAt(line, 0);
    if (
      whole &&
      whole === line.replace(/[.,]$/, '') &&
      (previousWasTitleOrName || legalFormAtEnd.test(whole)) &&
      !jobTitle.test(whole)
    ) {
      return { ...found, company: whole };
    }
    previousWasTitleOrName = jobTitle.test(line);
  }
  return found.name || found.company ? found : null;
}

const companyWithLegalForm = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${nameWord}[ \t]+(?:${joiner}[ \t]+)?){0,3}${nameWord},?[ \t]+${legalForm}(?![\p{L}\p{N}])`,
  'gu',
);

/**
 * The writer's name and company. Tried in order of how surely they are the writer's own: an introduction ("I'm
 * Jane Doe from Acme Corp", "soy Ana de Acme", "ich bin Jan von der Müller GmbH", "je suis Marie, de chez Acme"),
 * then a signature, then any name with a legal form ("Acme GmbH"); a company merely mentioned ("we use
 * Microsoft") is never taken.
 */
export function extractPersonAndCompany(text: string): PersonAndCompany {
  const found: PersonAndCompany = { name: null, company: null };
  for (const steps of introductions) {
    const match = matchIntroduction(text, steps);
    if (!match) continue;
    found.name ??= match.name;
    found.company ??= match.company;
    if (found.name && found.company) return found;
  }
  const signature = readSignature(text);
  found.name ??= signature?.name ?? null;
  found.company ??= signature?.company ?? null;
  if (!found.company) {
    for (const match of text.matchAll(companyWithLegalForm)) {
      const company = tidyCompany(match[0]);
      if (company) {
        found.company = company;
        break;
      }
    }
  }
  if (found.company && found.name && found.company === found.name) found.company = null;
  return found;
}

// --- budget --------------------------------------------------------------------------------------------------

export interface Budget {
  /** In the currency's units; a range counts as its lower bound. */
  amount: number;
  /** ISO 4217. */
  currency: string;
  /** The words it was read from, e.g. "budget around $50k". */
  text: string;
}

const currencyBefore = String.raw`US\$|U\$S|USD|C\$|CA\$|CAD|A\$|AU\$|AUD|NZ\$|NZD|MX\$|MXN|R\$|BRL|\$|€|EUR|£|GBP|CHF|SFr\.?|¥|JPY`;
const amountNumber = String.raw`\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?`;
const multiplierWord = String.raw`k€|K€|T€|TEUR|Tsd\.?|TSD|tausend|k|K|mil(?![lh])|Mio\.?|millions?|millones|millón|mill\.|Millionen|Million|mn|MM|M|m`;
const currencyAfter = String.raw`US\$|USD|\$|€|EUR|euros?|Euro|£|GBP|pounds?(?:\s+sterling)?|libras?(?:\s+esterlinas?)?|livres?(?:\s+sterling)?|CHF|Franken|francs?\s+suisses?|CAD|AUD|NZD|MXN|pesos(?:\s+mexicanos)?|dólares|dolares|dollars?|Dollar|BRL|reais|JPY|yen`;
const amountPattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}+])(?:(?<pre>${currencyBefore})\s?)?(?<n1>${amountNumber})(?!\d)(?:,-|\.-)?(?:\s?(?<m1>${multiplierWord})(?![\p{L}\p{N}]))?` +
    String.raw`(?:\s?(?:-|–|to|a|bis|à)\s?(?:(?<pre2>${currencyBefore})\s?)?(?<n2>${amountNumber})(?!\d)(?:\s?(?<m2>${multiplierWord})(?![\p{L}\p{N}]))?)?` +
    String.raw`(?:\s?(?:de\s|d['’]\s?)?(?<post>${currencyAfter})(?![\p{L}]))?(?!\s?%)`,
  'gu',
);

const budgetWords =
  /\b(?:budget(?:ed|s|iert|rahmen)?|presupuest(?:o|ado|amos)|etat|enveloppe|spend(?:ing)?|invest(?:ir|ieren|ment)?|inversión|inversion|invertir|ausgeben|dépenser|depenser|willing to pay|pagar|zahlen|payer)\b/giu;

const dollarCurrencies = new Set(['USD', 'CAD', 'AUD', 'NZD', 'MXN', 'SGD', 'HKD', 'ARS', 'CLP', 'COP', 'UYU']);
const pesoCurrencies = new Set(['MXN', 'ARS', 'CLP', 'COP', 'UYU']);

function currencyOf(token: string | undefined, defaultCurrency: string | null): string | null {
  if (!token) return null;
  const t = token.toLowerCase().replace(/\s+/g, ' ');
  if (t === '$' || /^(dollars?|dólares|dolares)$/.test(t))
    return defaultCurrency && dollarCurrencies.has(defaultCurrency) ? defaultCurrency : 'USD';
  if (t === 'us$' || t === 'u$s' || t === 'usd') return 'USD';
  if (['€', 'eur', 'euro', 'euros', 'k€', 't€', 'teur'].includes(t)) return 'EUR';
  if (t === '£' || t === 'gbp' || /^(pounds?|libras?|livres?)/.test(t)) return 'GBP';
  if (t === 'chf' || t.startsWith('sfr') || t === 'franken' || t.startsWith('franc')) return 'CHF';
  if (t === 'c$' || t === 'ca$' || t === 'cad') return 'CAD';
  if (t === 'a$' || t === 'au$' || t === 'aud') return 'AUD';
  if (t === 'nz$' || t === 'nzd') return 'NZD';
  if (t === 'mx$' || t === 'mxn' || t === 'pesos mexicanos') return 'MXN';
  if (t === 'pesos') return defaultCurrency && pesoCurrencies.has(defaultCurrency) ? defaultCurrency : null;
  if (t === 'r$' || t === 'brl' || t === 'reais') return 'BRL';
  if (t === '¥' || t === 'jpy' || t === 'yen') return 'JPY';
  return null;
}

function multiplierOf(token: string | undefined): number {
  if (!token) return 1;
  if (/^(k€|K€|T€|TEUR|Tsd\.?|TSD|tausend|k|K|mil)$/.test(token)) return 1_000;
  return 1_000_000;
}

// "20.000" and "20,000" are thousands; "1.5" and "2,5" (or anything with a k/M after it) are decimals; with both
// marks the last one is the decimal mark ("25.000,00", "25,000.00").
function readAmountNumber(raw: string, hasMultiplier: boolean): number {
  const compact = raw.replace(/[\s'\u00a0\u202f]/g, '');
  const dots = compact.split('.').length - 1;
  const commas = compact.split(',').length - 1;
  let normal = compact;
  if (dots > 0 && commas > 0) {
    const decimal = compact.lastIndexOf('.') > compact.lastIndexOf(',') ? '.' : ',';
    normal = compact.replace(decimal === '.' ? /,/g : /\./g, '').replace(',', '.');
  } else if (dots + commas > 1) {
    normal = compact.replace(/[.,]/g, '');
  } else if (dots + commas === 1) {
    const digitsAfter = compact.length - compact.search(/[.,]/) - 1;
    normal = digitsAfter === 3 && !hasMultiplier ? compact.replace(/[.,]/, '') : compact.replace(',', '.');
  }
  return Number(normal);
}

interface AmountFound {
  amount: number;
  currency: string | null;
  start: number;
  end: number;
  /** Written without spaces and not next to other digit groups: not a piece of a phone number or a date. */
  standalone: boolean;
  hasMultiplier: boolean;
}

function findAmounts(text: string, defaultCurrency: string | null): AmountFound[] {
  const found: AmountFound[] = [];
  for (const match of text.matchAll(amountPattern)) {
    const groups = match.groups ?? {};
    const { n1 } = groups;
    if (!n1) continue;
    let end = match.index + match[0].length;
    // A bare lower-case "m" is metres more often than millions; only a currency makes it money.
    const m1 = groups.m1 ?? groups.m2;
    const currencyToken = groups.pre ?? groups.pre2 ?? groups.post ?? (m1 && /€|TEUR/.test(m1) ? m1 : undefined);
    const currency = currencyOf(currencyToken, defaultCurrency);
    if (m1 === 'm' && !currency) continue;
    const amount = Math.round(readAmountNumber(n1, m1 !== undefined) * multiplierOf(m1) * 100) / 100;
    if (!Number.isFinite(amount) || amount <= 0) continue;
    // Trailing spaces the pattern may have eaten before a word it then did not take.
    while (end > match.index && /\s/.test(text[end - 1] ?? '')) end -= 1;
    const standalone =
      !/\s/.test(n1) &&
      !/\d[\s./-]?$/.test(text.slice(Math.max(0, match.index - 2), match.index)) &&
      !/^[\s./-]?\d/.test(text.slice(end, end + 2));
    found.push({ amount, currency, start: match.index, end, standalone, hasMultiplier: m1 !== undefined });
  }
  return found;
}

// A keyword anchors an amount when it is close and in the same sentence: "budget around $50k", "$50k budget".
function anchorOf(
  text: string,
  keywords: ReadonlyArray<{ start: number; end: number }>,
  amount: AmountFound,
): number | null {
  for (const keyword of keywords) {
    if (keyword.end <= amount.start) {
      if (amount.start - keyword.end > 50) continue;
      if (!/[\n!?]|\.\s+\p{Lu}/u.test(text.slice(keyword.end, amount.start))) return keyword.start;
    } else if (keyword.start >= amount.end) {
      if (keyword.start - amount.end > 25) break;
      if (!/[\n!?.]/.test(text.slice(amount.end, keyword.start))) return amount.start;
    }
  }
  return null;
}

/**
 * The budget in the text: "budget around $50k", "€20.000", "£15,000", "50k EUR", "presupuesto de 30.000 euros",
 * "Budget 40 000 €", "1,5 Mio. €", "$50-80k" (the lower bound). An amount with a currency near a budget word wins,
 * then any amount with a currency; an amount without one counts only next to a budget word, in the
 * defaultCurrency (the lead's country's), and only when it is clearly money (a k/M, or 1,000 or more; not a year, not part of a phone number).
 */
export function extractBudget(text: string, options: { defaultCurrency?: string | null } = {}): Budget | null {
  const defaultCurrency = options.defaultCurrency ?? null;
  const keywords = [...text.matchAll(budgetWords)].map((keyword) => ({
    start: keyword.index,
    end: keyword.index + keyword[0].length,
  }));
  const amounts = findAmounts(text, defaultCurrency).map((amount) => ({
    ...amount,
    anchor: anchorOf(text, keywords, amount),
  }));
  const pick =
    amounts.find((a) => a.currency && a.anchor !== null) ??
    amounts.find((a) => a.currency) ??
    amounts.find(
      (a) =>
        a.anchor !== null &&
        defaultCurrency !== null &&
        a.standalone &&
        (a.hasMultiplier || a.amount >= 1000) &&
        !(/^(19|20)\d\d$/.test(text.slice(a.start, a.end)) && !a.hasMultiplier),
    );
  if (!pick) return null;
  const currency = pick.currency ?? defaultCurrency;
  if (!currency) return null;
  const from = pick.anchor !== null && pick.anchor < pick.start ? pick.anchor : pick.start;
  return { amount: pick.amount, currency, text: text.slice(from, pick.end).replace(/\s+/g, ' ').trim() };
}
