// Reads deadlines ("ASAP", "by Friday", "in 2-3 weeks", "bis Mitte des Monats", "jeudi", "el martes que viene")
// relative to the lead's arrival. Dates are read by chrono-node in the text's language; our own rules cover only
// what it does not read: ASAP wording, business days, ranges, parts of a month or week, quarters, and the
// labelling rules' conventions ("next month" is its first day). Pure: the arrival time is an argument.
import * as chrono from 'chrono-node';
import { isMailHeaderLine, isNegation } from './tokens';
import type { Urgency } from './urgency';

export interface Timeline {
  /** The words as the person wrote them, e.g. "by Friday". */
  text: string;
  /** ISO date (YYYY-MM-DD) in the lead's time zone by which they want something. */
  dueBy: string;
}

// ---- calendar arithmetic on day numbers (days since 1970-01-01), so no clock and no time zone leaks in ----

const msPerDay = 86_400_000;

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / msPerDay;
}

function calendarOf(day: number): { year: number; month: number; day: number; weekday: number } {
  const date = new Date(day * msPerDay);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: date.getUTCDay(),
  };
}

function isoDate(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day of the month `months` later, clamped to the month's end (31 January + 1 month = 28/29 February). */
function addMonths(day: number, months: number): number {
  const { year, month, day: dom } = calendarOf(day);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return dayNumber(y, m, Math.min(dom, daysInMonth(y, m)));
}

/** `count` working days after `day`: Saturdays and Sundays are skipped (public holidays are not known here). */
export function addBusinessDays(day: number, count: number): number {
  let result = day;
  for (let left = count; left > 0;) {
    result++;
    const weekday = calendarOf(result).weekday;
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return result;
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (day number) on which `receivedAt` fell in `timeZone` (UTC when none). */
export function arrivalDay(receivedAt: string, timeZone?: string | null): number {
  const ms = isoTimestamp.test(receivedAt) ? Date.parse(receivedAt) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`receivedAt: not an ISO-8601 timestamp: ${JSON.stringify(receivedAt)}`);
  if (!timeZone) return Math.floor(ms / msPerDay);
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new Error(`timeZone: unknown IANA time zone ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return dayNumber(Number(parts.year), Number(parts.month), Number(parts.day));
}

/** Urgency from how many days after arrival something is due: 0-1 now, up to 7 this week, up to 31 this month. */
export function urgencyForDays(days: number): Urgency {
  if (days <= 1) return 'now';
  if (days <= 7) return 'this-week';
  if (days <= 31) return 'this-month';
  return 'none';
}

/** Days from the arrival day to the due date, and the urgency that distance means. */
export function urgencyOfTimeline(
  timeline: Timeline,
  receivedAt: string,
  timeZone?: string | null,
): { days: number; urgency: Urgency } {
  const [y, m, d] = timeline.dueBy.split('-').map(Number);
  const days = dayNumber(y!, m!, d!) - arrivalDay(receivedAt, timeZone);
  return { days, urgency: urgencyForDays(days) };
}

// ---- vocabulary for our own rules (folded: lowercase, no diacritics) ----

const months: Record<string, number> = {};
for (const [names, index] of [
  ['january jan januar janner enero janvier', 1],
  ['february feb februar febrero fevrier', 2],
  ['march marz marzo mars', 3],
  ['april apr abril avril', 4],
  ['may mai mayo', 5],
  ['june juni junio juin', 6],
  ['july juli julio juillet', 7],
  ['august aug agosto aout', 8],
  ['september sept septiembre setiembre septembre', 9],
  ['october oct oktober octubre octobre', 10],
  ['november nov noviembre novembre', 11],
  ['december dec dezember diciembre decembre', 12],
] as const) {
  for (const name of names.split(' ')) months[name] = index;
}

const weekdays: Record<string, number> = {};
for (const [names, index] of [
  ['sunday sonntag domingo dimanche', 0],
  ['monday montag lunes lundi', 1],
  ['tuesday dienstag martes mardi', 2],
  ['wednesday mittwoch miercoles mercredi', 3],
  ['thursday donnerstag jueves jeudi', 4],
  ['friday freitag viernes vendredi', 5],
  ['saturday samstag sonnabend sabado samedi', 6],
] as const) {
  for (const name of names.split(' ')) weekdays[name] = index;
}

// Number words up to what deadlines use, in the four languages ("in vierzehn Tagen", "d'ici trois semaines").
const numberWords: Record<string, number> = {};
for (const [words, value] of [
  ['a an one un una uno une ein eine einem einer einen', 1],
  ['two couple dos deux zwei', 2],
  ['three tres trois drei', 3],
  ['four cuatro quatre vier', 4],
  ['five cinco cinq funf', 5],
  ['six seis sechs', 6],
  ['seven siete sept sieben', 7],
  ['eight ocho huit acht', 8],
  ['nine nueve neuf neun', 9],
  ['ten diez dix zehn', 10],
  ['eleven once onze elf', 11],
  ['twelve doce douze zwolf', 12],
  ['fourteen catorce quatorze vierzehn', 14],
  ['fifteen quince quinze funfzehn', 15],
  ['twenty veinte vingt zwanzig', 20],
  ['thirty treinta trente dreissig', 30],
  ['few unos unas algunos algunas quelques paar', 3],
] as const) {
  for (const word of words.split(' ')) numberWords[word] = value;
}

const alternation = (words: Iterable<string>) => [...words].sort((a, b) => b.length - a.length).join('|');
const monthPattern = alternation(Object.keys(months));
const weekdayPattern = alternation(Object.keys(weekdays));
const nextWeekWords =
  '(?:next week|the (?:coming|following) week|(?:der )?(?:nachste[nr]?|kommende[nr]?) woche|(?:la )?semaine prochaine|(?:la )?(?:semana que viene|proxima semana|semana proxima))';
const dayJoiner = '\\s*(?:,|/|or|and|oder|und|ou|et|o|y)\\s*';
const numberPattern = `\\d{1,3}|${alternation(Object.keys(numberWords))}`;

// Words that put a date in the past ("since Monday", "lundi dernier", "hace dos semanas", "last Tuesday").
const pastWords =
  '(?:since|last|ago|past|seit|letzte[nmrs]?|vergangene[nmrs]?|desde|hace|pasado|ultimo|depuis|dernier|derniere)';
const pastInside = new RegExp(`^${pastWords}(?![\\p{L}])|(?<![\\p{L}])${pastWords}$`, 'u');
const pastBefore =
  /(?:^|[^\p{L}])(?:since|last|ago|past|seit|letzte[nmrs]?|vergangene[nmrs]?|desde|hace|pasado|ultimo|depuis|dernier|derniere)\s+(?:\p{L}+\s+){0,2}$/u;
const pastAfter = /^\s*(?:ago|dernier|derniere|pasado|passe|passee|vergangen)(?![\p{L}])/u;
// "For urgent matters call …" in a signature, "bei dringenden Fällen", "pour les urgences", "en caso de urgencia".
const conditionalLead = /\b(?:for|if|in case of|fur|bei|pour|en cas|para|en caso de|si)\s*$/;

// ---- our own rules: each finds phrases in the folded text and says on which day they fall due ----

interface Rule {
  pattern: RegExp;
  due(match: RegExpExecArray, today: number, context: Context): number | null;
  /** Urgency words can be negated ("not urgent") or conditional ("for urgent issues call…"). */
  negatable?: boolean;
  /** Dates can be the past ("since Monday"); ASAP words cannot. */
  datesThePast?: boolean;
}

interface Context {
  /** Month/day order for numeric dates: US time zones write 11/1 for 1 November. */
  monthFirst: boolean;
  /** The text before folding, position for position: what case tells apart. */
  original: string;
}

const b = '(?<![\\p{L}\\p{N}])';
const e = '(?![\\p{L}\\p{N}])';
const rx = (source: string) => new RegExp(source, 'gu');

function friday(today: number): number {
  const { weekday } = calendarOf(today);
  // On a weekend "this week" has run out: it means now.
  if (weekday === 0 || weekday === 6) return today;
  return today + (5 - weekday);
}

function nextWeekday(today: number, weekday: number): number {
  const ahead = (weekday - calendarOf(today).weekday + 7) % 7;
  return today + (ahead === 0 ? 7 : ahead);
}

/** `weekday` (0 Sunday … 6 Saturday) in the week after this one, weeks running Monday to Sunday. */
function dayOfNextWeek(today: number, weekday: number): number {
  return nextWeekday(today, 1) + ((weekday + 6) % 7);
}

function endOfMonth(day: number): number {
  const { year, month } = calendarOf(day);
  return dayNumber(year, month, daysInMonth(year, month));
}

function firstOfNextMonth(day: number): number {
  const { year, month } = calendarOf(day);
  return month === 12 ? dayNumber(year + 1, 1, 1) : dayNumber(year, month + 1, 1);
}

function quarterOf(day: number): { year: number; quarter: number } {
  const { year, month } = calendarOf(day);
  return { year, quarter: Math.floor((month - 1) / 3) + 1 };
}

function firstOfQuarter(year: number, quarter: number): number {
  return dayNumber(year + Math.floor((quarter - 1) / 4), ((quarter - 1) % 4) * 3 + 1, 1);
}

/** The given day of `month` in its next occurrence from today (this year, or next year once it has passed). */
function upcoming(today: number, month: number, day: (year: number) => number, year?: number): number | null {
  const { year: thisYear, month: thisMonth } = calendarOf(today);
  const y = year ?? (month < thisMonth ? thisYear + 1 : thisYear);
  if (month < 1 || month > 12) return null;
  const dom = day(y);
  if (dom < 1 || dom > daysInMonth(y, month)) return null;
  const date = dayNumber(y, month, dom);
  if (date >= today || year !== undefined) return date;
  return dayNumber(y + 1, month, Math.min(dom, daysInMonth(y + 1, month)));
}

/** The next day of the month numbered `dom` (this month if still ahead, else next month). */
function upcomingDayOfMonth(today: number, dom: number): number | null {
  const { year, month, day } = calendarOf(today);
  if (dom >= day && dom <= daysInMonth(year, month)) return dayNumber(year, month, dom);
  const next = calendarOf(firstOfNextMonth(today));
  return dom >= 1 && dom <= daysInMonth(next.year, next.month) ? dayNumber(next.year, next.month, dom) : null;
}

function quantity(word: string): number | null {
  return /^\d+$/.test(word) ? Number(word) : (numberWords[word] ?? null);
}

const businessUnit = /(?:business|working|habiles|laborables|werk|arbeits|ouvr)/;

function afterDuration(today: number, amount: number, unit: string): number | null {
  if (amount > 400) return null;
  if (/^(?:hour|hr|hora|stunde|heure)/.test(unit)) return today + Math.floor(amount / 24);
  if (businessUnit.test(unit)) return addBusinessDays(today, amount);
  if (/^(?:fortnight)/.test(unit)) return today + 14 * amount;
  if (/^(?:week|semana|woche|semaine)/.test(unit)) return today + 7 * amount;
  if (/^(?:month|mes|monat|mois)/.test(unit)) return addMonths(today, amount);
  return today + amount;
}

const unitPattern =
  '(hours?|hrs?|horas?|stunden?|heures?|business days?|working days?|days?|dias habiles|dias laborables|dias|werktagen?|arbeitstagen?|tagen?|jours ouvr(?:e|able)s|jours?|fortnights?|weeks?|semanas?|wochen?|woche|semaines?|months?|mes(?:es)?|monaten?|monat|mois)';
const withinPattern =
  '(?:within(?: the next)?|in(?: the next| under| less than)?|over the next|the next|next|under|less than|' +
  'dentro de(?: los| las)?(?: proximos| proximas)?|en un plazo de|en menos de|en(?: los| las)?(?: proximos| proximas)?|' +
  'innerhalb(?: von)?(?: der nachsten)?|binnen|in den (?:nachsten|kommenden)|spatestens in|' +
  "dans(?: les)?(?: prochains| prochaines)?|sous|d'ici(?: a)?|en moins de|au cours des prochain(?:e)?s)";

const rules: Rule[] = [
  // ASAP wording and today.
  {
    pattern: rx(
      `${b}(?:asap|a\\.s\\.a\\.p|as soon as (?:possible|you can)|urgent(?:ly)?|immediately|right away|straight away|right now|today|tonight|this (?:afternoon|evening)|same[- ]day|end of (?:the )?day|eod|` +
        `lo (?:antes|mas pronto) posible|cuanto antes|urgente(?:mente)?|urgencia|(?:nos|me) urge|de inmediato|inmediatamente|ahora mismo|hoy(?! en dia)(?: mismo)?|esta (?:tarde|noche)|` +
        `so (?:schnell|bald) wie moglich|schnellstmoglich|dringend|umgehend|sofort|unverzuglich|heute|` +
        `des que possible|au plus (?:vite|tot)|le plus (?:tot|rapidement) possible|en urgence|d'urgence|urgent(?:e|ement)?|immediatement|tout de suite|sans delai|aujourd'hui|ce soir|cet apres-midi)${e}`,
    ),
    due: (_m, today) => today,
    negatable: true,
  },
  // Tomorrow ("morgen" only as an adverb: not "guten Morgen", "heute Morgen"; "mañana" not "por la mañana").
  {
    pattern: rx(`${b}(?:tomorrow|manana|demain|(?<!(?:guten|heute|am|jeden|diesen|den|einen|schonen) )morgen)${e}`),
    due: (m, today) => {
      const before = m.input.slice(Math.max(0, m.index - 10), m.index);
      if (m[0] === 'manana' && /\b(?:la|esta|cada|por|de)\s+$/.test(before)) return null;
      if (/(?:pasado|apres-|after)\s*$/.test(before)) return null;
      return today + 1;
    },
    negatable: true,
  },
  {
    pattern: rx(`${b}(?:(?:the )?day after tomorrow|pasado manana|ubermorgen|apres-demain)${e}`),
    due: (_m, today) => today + 2,
  },
  // This week, its end.
  {
    pattern: rx(
      `${b}(?:this week|(?:by |before )?(?:the )?end of (?:the |this )?week|esta semana|(?:a |para )?(?:final(?:es)? de|fin de) (?:la|esta) semana(?! (?:que viene|proxima|siguiente))|diese[rn]? woche|(?:bis )?ende (?:der|dieser) woche|cette semaine|(?:d'ici |avant )?(?:la )?fin de (?:la |cette )?semaine(?! prochaine))${e}`,
    ),
    due: (_m, today) => friday(today),
  },
  // The end of next week: its Friday.
  {
    pattern: rx(
      `${b}(?:(?:by |before )?(?:the )?end of next week|(?:bis )?ende (?:der )?(?:nachste[nr]?|kommende[nr]?) woche|(?:d'ici |avant )?(?:la )?fin de (?:la )?semaine prochaine|(?:a |para )?(?:final(?:es)?|fin) de la (?:semana que viene|proxima semana))${e}`,
    ),
    due: (_m, today) => nextWeekday(today, 1) + 4,
  },
  // A day of next week, alone or among others: "Tuesday or Wednesday next week", "nächste Woche Dienstag", "mardi
  // ou mercredi de la semaine prochaine", "el martes de la semana que viene": the first day named, in next week
  // (not the coming Tuesday, which may be tomorrow).
  {
    pattern: rx(
      `${b}(?:(?:on|am|le|el)\\s+)?(${weekdayPattern})(?:${dayJoiner}(?:(?:le|el|am)\\s+)?(?:${weekdayPattern}))*\\s+(?:(?:of|in|in der|de)\\s+)?${nextWeekWords}${e}`,
    ),
    due: (m, today) => dayOfNextWeek(today, weekdays[m[1]!]!),
  },
  {
    pattern: rx(`${b}${nextWeekWords}\\s*,?\\s*(?:(?:on|am|le|el)\\s+)?(${weekdayPattern})${e}`),
    due: (m, today) => dayOfNextWeek(today, weekdays[m[1]!]!),
  },
  // Next week: its Monday, when whatever they want can start.
  {
    pattern: rx(
      `${b}(?:(?:early |the beginning of )?next week|the coming week|(?:la )?(?:proxima|siguiente) semana|(?:para )?la semana (?:que viene|proxima|siguiente)|(?:anfang )?(?:der )?(?:nachste[nr]?|kommende[nr]?) woche|(?:la |des la |debut de )?semaine (?:prochaine|suivante))${e}`,
    ),
    due: (_m, today) => nextWeekday(today, 1),
  },
  // This month and its end; the middle of it.
  {
    pattern: rx(
      `${b}(?:this month|(?:by |before )?(?:the )?end of (?:the |this )?month|month[- ]end|este mes|(?:a |para |antes de )?(?:final(?:es)?|fin) de(?:l)? mes|diese[nm] monat|(?:bis |zum )?ende (?:des |dieses )?monats|(?:zum |bis zum )?monatsende|ce mois(?:-ci)?|(?:d'ici |avant )?(?:la )?fin (?:du|de ce) mois)${e}(?!\\s+(?:prochain|que viene|proximo))`,
    ),
    due: (_m, today) => endOfMonth(today),
  },
  {
    pattern: rx(
      `${b}(?:(?:by )?(?:the )?mid(?:dle of)?[- ](?:the )?month|mitte (?:des|dieses) monats|(?:la )?mi-mois|(?:a )?mediados de(?:l)? mes)${e}`,
    ),
    due: (_m, today) => {
      const { day } = calendarOf(today);
      return day <= 15 ? today - day + 15 : firstOfNextMonth(today) + 14;
    },
  },
  // Next month: its first day; the end of next month: its last.
  {
    pattern: rx(
      `${b}(?:(?:early |the beginning of |the start of )?next month|the coming month|(?:el )?(?:proximo|siguiente) mes|(?:a principios del? )?(?:el )?mes (?:que viene|proximo|siguiente)|(?:ab |anfang )?(?:nachste[nmr]?|kommende[nmr]?) monat(?:s)?|(?:le |debut du )?mois (?:prochain|suivant))${e}`,
    ),
    due: (_m, today) => firstOfNextMonth(today),
  },
  {
    pattern: rx(
      `${b}(?:end of next month|ende (?:des )?(?:nachste[nm]|kommende[nm]) monats|fin du mois prochain|(?:a )?(?:final(?:es)?|fin) del (?:mes que viene|proximo mes))${e}`,
    ),
    due: (_m, today) => endOfMonth(firstOfNextMonth(today)),
  },
  // A part of a named month: "mid-April", "Anfang Dezember", "fin juillet", "a finales de junio", "end of March".
  {
    pattern: rx(
      `${b}(?:(mid-?|middle of|mitte|mi-|(?:a )?mediados de)|(early|beginning of|the beginning of|start of|anfang|debut|(?:a )?principios de)|(end of|the end of|late|ende|fin|(?:a )?fin(?:ales)? de))\\s*(${monthPattern})(?:\\s+(\\d{4}))?${e}`,
    ),
    due: (m, today) => {
      const month = months[m[4]!]!;
      const year = m[5] === undefined ? undefined : Number(m[5]);
      const day = (y: number) => (m[1] !== undefined ? 15 : m[2] !== undefined ? 1 : daysInMonth(y, month));
      const { year: thisYear, month: thisMonth } = calendarOf(today);
      // Early this month is already here: it means now-ish, i.e. today.
      if (m[2] !== undefined && month === thisMonth && (year ?? thisYear) === thisYear) return today;
      return upcoming(today, month, day, year);
    },
    datesThePast: true,
  },
  // This quarter: its last day. Next quarter: its first. Q1..Q4: the quarter's start, or its end while current.
  {
    pattern: rx(
      `${b}(?:this quarter|(?:the )?end of (?:the |this )?quarter|quarter[- ]end|este trimestre|(?:final|fin) del trimestre|dieses quartal|ende des quartals|quartalsende|ce trimestre|fin du trimestre)${e}`,
    ),
    due: (_m, today) => {
      const { year, quarter } = quarterOf(today);
      return firstOfQuarter(year, quarter + 1) - 1;
    },
  },
  {
    pattern: rx(
      `${b}(?:next quarter|the coming quarter|(?:el )?(?:proximo|siguiente) trimestre|el trimestre que viene|(?:nachste[snm]?|kommende[snm]?) quartal|(?:le |au )?(?:trimestre prochain|prochain trimestre))${e}`,
    ),
    due: (_m, today) => {
      const { year, quarter } = quarterOf(today);
      return firstOfQuarter(year, quarter + 1);
    },
  },
  {
    pattern: rx(`${b}q([1-4])(?:[ /'-]?(\\d{2}|\\d{4}))?${e}`),
    due: (m, today) => {
      const quarter = Number(m[1]);
      const current = quarterOf(today);
      const year = m[2] === undefined ? current.year : m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
      if (year === current.year && quarter === current.quarter) return firstOfQuarter(year, quarter + 1) - 1;
      const start = firstOfQuarter(year, quarter);
      if (start >= today) return start;
      return m[2] === undefined ? firstOfQuarter(year + 1, quarter) : null;
    },
  },
  // The end of the year, this year, next year.
  {
    pattern: rx(
      `${b}(?:(?:by |before )?(?:the )?end of (?:the |this )?year|this year|year[- ]end|(?:a |antes de )?(?:final|fin) de(?:l)? ano|este ano|(?:bis )?ende (?:des |dieses )?jahres|jahresende|dieses jahr|(?:d'ici |avant )?(?:la )?fin de (?:l'|cette )annee|cette annee)${e}`,
    ),
    due: (_m, today) => dayNumber(calendarOf(today).year, 12, 31),
  },
  {
    pattern: rx(
      `${b}(?:next year|(?:el )?(?:proximo|siguiente) ano|el ano que viene|(?:nachste[snm]?|kommende[snm]?) jahr|l'an(?:nee)? prochain(?:e)?)${e}`,
    ),
    due: (_m, today) => dayNumber(calendarOf(today).year + 1, 1, 1),
  },
  // Christmas (a deadline many write as "before Christmas"): Christmas Eve. "Noël" before a capitalised word is a
  // person ("Noël Dupont").
  {
    pattern: rx(`${b}(?:christmas|xmas|weihnachten|noel|navidad)${e}`),
    due: (m, today, { original }) =>
      /^No[eë]l\s+\p{Lu}/u.test(original.slice(m.index, m.index + 24)) ? null : upcoming(today, 12, () => 24),
  },
  // A range of durations counts from its nearer end: "in 2-3 weeks", "en dos o tres semanas", "2 à 3 semaines".
  {
    pattern: rx(
      `${b}(?:${withinPattern}\\s+)?(${numberPattern})\\s*(?:-|–|to|or|o|y|a|à|bis|oder|ou)\\s*(?:${numberPattern})\\s+${unitPattern}${e}`,
    ),
    due: (m, today) => {
      const amount = quantity(m[1]!);
      return amount === null ? null : afterDuration(today, amount, m[2]!);
    },
  },
  // In / within N days, weeks, months, hours; N business days.
  {
    pattern: rx(`${b}${withinPattern}\\s+(${numberPattern})(?:\\s+of)?\\s+${unitPattern}${e}`),
    due: (m, today) => {
      const amount = quantity(m[1]!);
      return amount === null ? null : afterDuration(today, amount, m[2]!);
    },
  },
  {
    pattern: rx(
      `${b}(\\d{1,2})\\s+(business days?|working days?|dias habiles|dias laborables|werktagen?|arbeitstagen?|jours ouvr(?:e|able)s)${e}`,
    ),
    due: (m, today) => addBusinessDays(today, Number(m[1])),
  },
  // The next few days / weeks, without a number.
  {
    pattern: rx(
      `${b}(?:(?:the )?(?:next|coming|following) (?:few |couple of )?(days|weeks)|(?:los )?(?:proximos|siguientes) (dias)|(?:las )?(?:proximas|siguientes) (semanas)|(?:nachsten|kommenden) (tagen|wochen)|(?:les )?(?:prochains) (jours)|(?:les )?prochaines (semaines))${e}`,
    ),
    due: (m, today) => {
      const unit = m.slice(1).find((g) => g !== undefined) ?? '';
      const couple = /couple/.test(m[0]);
      return /^(?:day|dia|tag|jour)/.test(unit) ? today + (couple ? 2 : 3) : today + (couple ? 14 : 21);
    },
  },
  // "Next Friday", "vendredi prochain", "el viernes que viene", "nächsten Freitag": the next one to come.
  {
    pattern: rx(
      `${b}(?:(?:next|this coming|nachste[nr]?|kommende[nrm]?|diese[nrm]?|(?:el )?(?:proximo|siguiente)|prochain)\\s+(${weekdayPattern})|(?:el |le )?(${weekdayPattern})\\s+(?:prochain|que viene|proximo))${e}`,
    ),
    due: (m, today) => nextWeekday(today, weekdays[(m[1] ?? m[2])!]!),
  },
  // French "sous huitaine / quinzaine"; "lundi en huit" is the Monday after next.
  {
    pattern: rx(`${b}(?:sous )?(huitaine|quinzaine)${e}`),
    due: (m, today) => today + (m[1] === 'huitaine' ? 8 : 15),
  },
  {
    pattern: rx(`${b}(${weekdayPattern}) en (huit|quinze)${e}`),
    due: (m, today) => nextWeekday(today, weekdays[m[1]!]!) + (m[2] === 'huit' ? 7 : 14),
  },
  // A weekday with its day of the month: "vendredi 17", "Tuesday the 2nd", "el lunes 25". The number decides.
  {
    pattern: rx(
      `${b}(${weekdayPattern}),?\\s+(?:the |der |den |le |el )?(\\d{1,2})(?:st|nd|rd|th|er|\\.)?(?![\\p{L}\\p{N}])(?!\\.?\\s*(?:de\\s+)?(?:${monthPattern}|[./]?\\d|:|h\\b|uhr))`,
    ),
    due: (m, today) => upcomingDayOfMonth(today, Number(m[2])),
    datesThePast: true,
  },
  // Numeric dates: "bis 19.12.", "zum 30.09.2025", "by 12/03", "antes del 15/07". Never "24/7", never "10/11"
  // without a deadline word before it.
  {
    pattern: rx(
      `${b}(?:by|before|until|till|due|deadline|on|for|bis|bis zum|zum|am|vor|ab|ab dem|spatestens|para el|antes del|hasta el|el|pour le|avant le|d'ici le|le|jusqu'au|du)\\s*:?\\s+(\\d{1,2})([./])(\\d{1,2})(?:[./](\\d{2}|\\d{4}))?\\.?(?![\\p{N}/.]\\p{N})`,
    ),
    due: (m, today, context) => {
      const [first, second] = [Number(m[1]), Number(m[3])];
      if (first === 24 && second === 7) return null;
      // A dot is always day first (19.12.); a slash is month first in US zones.
      const monthFirst = m[2] === '/' && (second > 12 || (first <= 12 && context.monthFirst));
      const [month, day] = monthFirst ? [first, second] : [second, first];
      const year = m[4] === undefined ? undefined : m[4].length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
      return upcoming(today, month, () => day, year);
    },
    datesThePast: true,
  },
  // A day of the month: "by the 19th", "bis zum 15.", "avant le 15", "para el día 20".
  {
    pattern: rx(
      `${b}(?:(?:by|before|until|till|on|for|due|no later than) the (\\d{1,2})(?:st|nd|rd|th)|(?:para el|antes del|hasta el) (?:dia )?(\\d{1,2})(?!\\s*(?:de\\s+)?(?:${monthPattern}|[./]\\d))|(?:bis zum|bis|zum|am) (\\d{1,2})\\.(?!\\s*(?:${monthPattern}|\\d))|(?:pour le|avant le|d'ici le|jusqu'au) (\\d{1,2})(?:er)?(?!\\s*(?:${monthPattern}|[./]\\d)))${e}`,
    ),
    due: (m, today) => upcomingDayOfMonth(today, Number(m[1] ?? m[2] ?? m[3] ?? m[4])),
    datesThePast: true,
  },
];

// ---- chrono-node, in the text's language ----

/** A candidate deadline: where it is in the text and the day it falls due. */
interface Candidate {
  start: number;
  end: number;
  due: number;
  /** Our own rules are more specific than the parser where both read the same words ("mid-April" vs "April"). */
  own: boolean;
  /** A date can be the past ("since Monday"); ASAP words and "next week" cannot. */
  canBePast: boolean;
  /** A weekday and nothing more: it yields to a date right after it ("Montag, der 7. April"). */
  weekdayOnly?: boolean;
}

const deadlineLead =
  /(?<![\p{L}])(?:by|before|until|till|no later than|bis(?: zum| spatestens)?|spatestens|para el|para|antes del|antes de|hasta el|hasta|d'ici|avant|jusqu'a|jusqu'au)\s+$/u;

const fullWeekday = new RegExp(`(?<![\\p{L}])(?:${weekdayPattern})(?![\\p{L}])`, 'u');

// A weekday alone, perhaps with its article: "Friday", "el viernes", "am Montag".
const weekdayAlone = new RegExp(`^(?:(?:el|le|am|on)\\s+)?(?:${weekdayPattern})[,.]?$`, 'u');

const monthLead =
  /(?<![\p{L}])(?:in|by|before|until|till|from|starting|bis|im|ab|vor|en|para|antes de|hasta|a partir de|d'ici|avant|pour|des|a partir de|au mois de)\s+$/u;

// What the parser reads that our rules read better or that is no deadline: bare numbers with a slash or dot
// (versions, "10/11", handled above with a deadline word), "mañana"/"morgen" (the morning, handled above).
const parserSkips =
  /^(?:\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\.?|manana|morgen|tarde|noche|matin|soir|morning|evening|night)$/;
// A length of time is no deadline: the parser reads "for a week", "für eine Woche", "pendant une semaine" and
// "durante una semana" as "in a week".
const durationLead = /^(?:for|fur|wahrend|pendant|pour|durante|por)\s/;

function parserCandidates(folded: string, original: string, today: number, monthFirst: boolean): Candidate[] {
  const { year, month, day, weekday: todayWeekday } = calendarOf(today);
  const reference = { instant: new Date(Date.UTC(year, month - 1, day, 12)), timezone: 0 };
  // Every language's parser: short texts ("jeudi ?") give language detection nothing to go on, and mixed mail
  // (a German reply above an English thread) has dates in both. English reads numeric dates the zone's way.
  const parsers = [monthFirst ? chrono.en.casual : chrono.en.GB, chrono.de.casual, chrono.fr.casual, chrono.es.casual];
  const found: Candidate[] = [];
  for (const parser of parsers) {
    // Without forwardDate: chrono moves dates forward by comparing them in the machine's own time zone, which
    // would make the result depend on where the worker runs. Which occurrence is meant is decided here instead.
    for (const result of parser.parse(original, reference)) {
      const text = folded.slice(result.index, result.index + result.text.length).trim();
      if (parserSkips.test(text) || durationLead.test(text)) continue;
      const start = result.start;
      const certainDay = start.isCertain('day');
      const certainWeekday = start.isCertain('weekday');
      const certainMonth = start.isCertain('month');
      if (!certainDay && !certainWeekday && !certainMonth) continue;
      // The deadline word before the date belongs to the phrase ("by Friday", "bis Freitag", "d'ici vendredi").
      const lead = deadlineLead.exec(folded.slice(Math.max(0, result.index - 30), result.index));
      const weekdayOnly = !certainDay && certainWeekday;
      // Abbreviations are words too often: "Do you", "para mi", "ma", "je". A weekday is written out.
      if (certainWeekday && !fullWeekday.test(text)) continue;
      let due: number | null;
      if (weekdayOnly && weekdayAlone.test(text)) {
        // A weekday on its own is the next one to come; named on that very weekday, "by Friday" is today and
        // "on Monday" a week on.
        const ahead = (start.get('weekday')! - todayWeekday + 7) % 7;
        due = today + (ahead === 0 && lead === null ? 7 : ahead);
      } else if (certainDay || certainWeekday) {
        due = dayNumber(start.get('year')!, start.get('month')!, start.get('day')!);
        if (certainDay && certainMonth && !start.isCertain('year')) {
          // A year-less date: this year's, or next year's once it has passed; one a few months back is a mention
          // ("we spoke on 3 March"), not next year's deadline.
          due = dayNumber(year, start.get('month')!, start.get('day')!);
          if (due < today) {
            if (today - due <= 180) continue;
            due = upcoming(today, start.get('month')!, () => start.get('day')!);
          }
        }
      } else {
        // A month on its own is a deadline only after a word that makes it one ("in June", "bis März", "para
        // junio"): "invoiced twice for May" is a mention. It means the month's first day.
        if (!monthLead.test(folded.slice(Math.max(0, result.index - 20), result.index))) continue;
        due = start.isCertain('year')
          ? dayNumber(start.get('year')!, start.get('month')!, 1)
          : upcoming(today, start.get('month')!, () => 1);
        if (due !== null && due < today && start.get('month') === month) due = today;
      }
      // The day it arrived is a deadline only in words our rules read ("today", "ASAP"), not "this morning".
      if (due === null || due < today || (due === today && !(weekdayOnly && lead !== null))) continue;
      found.push({
        start: result.index - (lead?.[0].length ?? 0),
        end: result.index + result.text.length,
        due,
        own: false,
        canBePast: true,
        weekdayOnly,
      });
    }
  }
  return found;
}

function ruleCandidates(folded: string, today: number, context: Context): Candidate[] {
  const found: Candidate[] = [];
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(folded); m !== null; m = rule.pattern.exec(folded)) {
      const before = folded.slice(Math.max(0, m.index - 30), m.index);
      if (rule.negatable) {
        const lastWords = before
          .split(/[^\p{L}']+/u)
          .filter(Boolean)
          .slice(-2);
        // A negation just before an urgency word: "not urgent", "no es urgente", "nicht dringend", "rien d'urgent".
        const negated = lastWords.some((word) => word.split("'").some(isNegation));
        if (negated || conditionalLead.test(before)) continue;
      }
      const due = rule.due(m, today, context);
      if (due === null || due < today) continue;
      found.push({ start: m.index, end: m.index + m[0].length, due, own: true, canBePast: rule.datesThePast === true });
    }
  }
  return found;
}

/** Text in lowercase without diacritics, character for character, so match positions point into the original. */
function foldInPlace(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const base = lower.normalize('NFD').replace(/\p{M}/gu, '');
    out += base.length === ch.length ? base : lower.length === ch.length ? lower : ch;
  }
  return out.replace(/[’`]/g, "'");
}

/** Mail header lines ("Date: Mon, 3 Mar", "Gesendet: Dienstag, 4. März") blanked out, keeping positions. */
function blankMailHeaders(text: string): string {
  return text
    .split('\n')
    .map((line) => (isMailHeaderLine(line) ? ' '.repeat(line.length) : line))
    .join('\n');
}

function isPast(folded: string, candidate: Candidate): boolean {
  const before = folded.slice(Math.max(0, candidate.start - 40), candidate.start);
  const after = folded.slice(candidate.end, candidate.end + 12);
  const inside = folded.slice(candidate.start, candidate.end);
  return pastBefore.test(before) || pastAfter.test(after) || pastInside.test(inside);
}

/**
 * The most pressing deadline in `text`, read relative to the day the lead arrived (in its time zone): the
 * phrase as written and its due date. Several phrases → the earliest due date (the first in the text on a tie).
 * Throws, naming the field, on a malformed `receivedAt` or an unknown `timeZone`.
 */
export function readTimeline(text: string, receivedAt: string, timeZone?: string | null): Timeline | null {
  const today = arrivalDay(receivedAt, timeZone);
  const original = blankMailHeaders(text.replace(/[’`]/g, "'"));
  const folded = foldInPlace(original);
  // Folding keeps length only character for character; when it cannot, the parser reads the unfolded text and
  // positions may drift, so only our rules are used.
  const aligned = folded.length === original.length;
  const monthFirst = /^America\/(?!Mexico|Bogota|Argentina|Lima|Santiago|Caracas|Sao_Paulo|Montevideo)/.test(
    timeZone ?? '',
  );

  const own = ruleCandidates(folded, today, { monthFirst, original: aligned ? original : folded });
  const parsed = aligned ? parserCandidates(folded, original, today, monthFirst) : [];
  // Where readings overlap, our rules win (they exist for what the parser reads less well: "mid-April" over
  // "April", "nächsten Tagen" over a stray number); between the parser's own readings, the longer.
  const ranked = [...own, ...parsed].sort(
    (x, y) => Number(y.own) - Number(x.own) || y.end - y.start - (x.end - x.start),
  );
  const kept: Candidate[] = [];
  for (const candidate of ranked) {
    if (kept.some((k) => candidate.start < k.end && k.start < candidate.end)) continue;
    kept.push(candidate);
  }
  const dateRightAfter = (weekday: Candidate) =>
    kept.some(
      (other) =>
        other !== weekday &&
        !other.weekdayOnly &&
        other.start >= weekday.end &&
        /^[\s,]*(?:the|der|den|le|el|am)?\s*$/.test(folded.slice(weekday.end, other.start)),
    );
  let best: Candidate | null = null;
  for (const candidate of kept) {
    if (candidate.weekdayOnly && dateRightAfter(candidate)) continue;
    if (candidate.canBePast && isPast(folded, candidate)) continue;
    if (!best || candidate.due < best.due || (candidate.due === best.due && candidate.start < best.start))
      best = candidate;
  }
  if (!best) return null;
  return { text: text.slice(best.start, best.end).trim(), dueBy: isoDate(best.due) };
}
