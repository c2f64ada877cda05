// Reads deadlines ("ASAP", "by Friday", "within 10 days", "bis 20.03.", "le mois prochain") relative to the lead's arrival.
import { isMailHeaderLine } from './tokens';
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

// ---- vocabulary (folded: lowercase, no diacritics) ----

const weekdays: Record<string, number> = {};
for (const [names, index] of [
  ['sunday sun sonntag domingo dimanche', 0],
  ['monday mon montag lunes lundi', 1],
  ['tuesday tue tues dienstag martes mardi', 2],
  ['wednesday wed mittwoch miercoles mercredi', 3],
  ['thursday thu thur thurs donnerstag jueves jeudi', 4],
  ['friday fri freitag viernes vendredi', 5],
  ['saturday sat samstag sonnabend sabado samedi', 6],
] as const) {
  for (const name of names.split(' ')) weekdays[name] = index;
}

const months: Record<string, number> = {};
for (const [names, index] of [
  ['january jan januar janner enero janvier', 1],
  ['february feb februar febrero fevrier', 2],
  ['march mar marz marzo mars', 3],
  ['april apr abril avril', 4],
  ['may mai mayo', 5],
  ['june jun juni junio juin', 6],
  ['july jul juli julio juillet', 7],
  ['august aug agosto aout', 8],
  ['september sept sep septiembre setiembre septembre', 9],
  ['october oct oktober octubre octobre', 10],
  ['november nov noviembre novembre', 11],
  ['december dec dezember diciembre decembre', 12],
] as const) {
  for (const name of names.split(' ')) months[name] = index;
}

const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  couple: 2,
  'a couple of': 2,
  'couple of': 2,
  'a few': 3,
  few: 3,
  un: 1,
  una: 1,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  catorce: 14,
  quince: 15,
  veinte: 20,
  treinta: 30,
  unos: 3,
  unas: 3,
  algunos: 3,
  algunas: 3,
  ein: 1,
  eine: 1,
  einem: 1,
  einer: 1,
  einen: 1,
  zwei: 2,
  drei: 3,
  vier: 4,
  funf: 5,
  sechs: 6,
  sieben: 7,
  acht: 8,
  neun: 9,
  zehn: 10,
  elf: 11,
  zwolf: 12,
  vierzehn: 14,
  funfzehn: 15,
  zwanzig: 20,
  dreissig: 30,
  'ein paar': 3,
  paar: 3,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  onze: 11,
  douze: 12,
  quatorze: 14,
  quinze: 15,
  vingt: 20,
  trente: 30,
  quelques: 3,
};

const alternation = (words: Iterable<string>) => [...words].sort((a, b) => b.length - a.length).join('|');
const weekdayPattern = alternation(Object.keys(weekdays));
const monthPattern = alternation(Object.keys(months));
const numberPattern = `\\d{1,3}|${alternation(Object.keys(numberWords))}`;

// Words that turn a date into the past ("since Monday", "lundi dernier", "hace dos semanas").
const pastMarker =
  /\b(?:since|last|ago|past|seit|letzte[nmrs]?|vergangene[nmrs]?|desde|hace|pasado|ultimo|depuis|dernier|derniere)\b/;
// A negation just before an urgency word: "not urgent", "no es urgente", "nicht dringend", "rien d'urgent".
const negation = /\b(?:not|no|non|nothing|never|nicht|kein\w*|nichts|pas|rien|sin|ni|nada|nunca|jamais)\b/;
// "For urgent matters call …" in a signature, "bei dringenden Fällen", "pour les urgences", "en caso de urgencia".
const conditionalLead = /\b(?:for|if|in case of|fur|bei|pour|en cas|para|en caso de|si)\s*$/;

// ---- the rules: each finds phrases in the folded text and says on which day they fall due ----

interface Context {
  today: number;
  /** Month/day order for numeric dates: North American time zones write 12/03 for 3 December. */
  monthFirst: boolean;
}

interface Rule {
  pattern: RegExp;
  due(match: RegExpExecArray, context: Context): number | null;
  /** Dates and weekdays can be the past ("since Monday"); deadline words cannot. */
  datesThePast?: boolean;
  /** Urgency words can be negated ("not urgent") or conditional ("for urgent issues call…"). */
  negatable?: boolean;
}

function endOfWorkWeek(today: number): number {
  const { weekday } = calendarOf(today);
  // On a weekend "this week" has run out: it means now.
  if (weekday === 0 || weekday === 6) return today;
  return today + (5 - weekday);
}

function nextWeekday(today: number, weekday: number, allowToday: boolean): number {
  const current = calendarOf(today).weekday;
  let ahead = (weekday - current + 7) % 7;
  if (ahead === 0 && !allowToday) ahead = 7;
  return today + ahead;
}

function endOfMonth(today: number): number {
  const { year, month } = calendarOf(today);
  return dayNumber(year, month, daysInMonth(year, month));
}

function firstOfNextMonth(today: number): number {
  const { year, month } = calendarOf(today);
  return month === 12 ? dayNumber(year + 1, 1, 1) : dayNumber(year, month + 1, 1);
}

function quarterOf(day: number): { year: number; quarter: number } {
  const { year, month } = calendarOf(day);
  return { year, quarter: Math.floor((month - 1) / 3) + 1 };
}

function firstOfQuarter(year: number, quarter: number): number {
  return dayNumber(year + Math.floor((quarter - 1) / 4), ((quarter - 1) % 4) * 3 + 1, 1);
}

/** The next time day/month comes round, or the given year; a date a few months back is a mention, not a deadline. */
function upcomingDate(context: Context, month: number, day: number, year?: number): number | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const { year: thisYear } = calendarOf(context.today);
  const y = year === undefined ? thisYear : year < 100 ? 2000 + year : year;
  if (day > daysInMonth(y, month)) return null;
  const date = dayNumber(y, month, day);
  if (date >= context.today) return date;
  if (year !== undefined || context.today - date <= 180) return null;
  return day > daysInMonth(y + 1, month) ? null : dayNumber(y + 1, month, day);
}

function quantity(word: string): number | null {
  if (/^\d+$/.test(word)) return Number(word);
  return numberWords[word.replace(/\s+/g, ' ')] ?? null;
}

function afterDuration(today: number, amount: number, unit: string): number {
  if (/^(?:hour|hr|hora|stunde|heure|h\b)/.test(unit)) return today + Math.floor(amount / 24);
  if (/(?:business|working|habiles|werk|arbeits|ouvr)/.test(unit)) return today + Math.ceil((amount * 7) / 5);
  if (/^(?:fortnight)/.test(unit)) return today + 14 * amount;
  if (/^(?:week|semana|woche|semaine)/.test(unit)) return today + 7 * amount;
  if (/^(?:month|mes|monat|mois)/.test(unit)) return addMonths(today, amount);
  return today + amount;
}

const b = '(?<![\\p{L}\\p{N}])';
const e = '(?![\\p{L}\\p{N}])';
const rx = (source: string) => new RegExp(source, 'gu');

const rules: Rule[] = [
  // Today.
  {
    pattern: rx(
      `${b}(?:asap|a\\.s\\.a\\.p|as soon as (?:possible|you can)|urgent(?:ly|e|ement)?|immediately|right away|straight away|today|tonight|this (?:afternoon|evening)|same[- ]day|end of (?:the )?day|eod|` +
        `lo (?:antes|mas pronto) posible|cuanto antes|urgencia|de inmediato|inmediatamente|hoy(?! en dia)(?: mismo)?|esta (?:tarde|noche)|` +
        `so schnell wie moglich|schnellstmoglich|dringend|umgehend|sofort|unverzuglich|heute|` +
        `des que possible|au plus (?:vite|tot)|le plus (?:tot|rapidement) possible|en urgence|d'urgence|immediatement|tout de suite|sans delai|aujourd'hui|ce soir|cet apres-midi)${e}`,
    ),
    due: (_m, { today }) => today,
    negatable: true,
  },
  // Tomorrow ("morgen" only as an adverb: not "guten Morgen", "heute Morgen", "jeden Morgen").
  {
    pattern: rx(
      `${b}(?:tomorrow|manana|demain|(?<!(?:guten|heute|am|jeden|diesen|den|einen|schonen|por la|esta|de la|cada) )morgen)${e}`,
    ),
    due: (m, { today }) => {
      const before = m.input.slice(Math.max(0, m.index - 10), m.index);
      // "por la mañana" is the morning; "pasado mañana", "après-demain", "day after tomorrow" are the next rule's.
      if (m[0] === 'manana' && /\b(?:la|esta|cada|por)\s+$/.test(before)) return null;
      if (/(?:pasado|apres-|after)\s*$/.test(before)) return null;
      return today + 1;
    },
    negatable: true,
  },
  {
    pattern: rx(`${b}(?:day after tomorrow|pasado manana|ubermorgen|apres-demain)${e}`),
    due: (_m, { today }) => today + 2,
  },
  // This week, end of the week, the weekend.
  {
    pattern: rx(
      `${b}(?:this week|(?:by |before )?(?:the )?end of (?:the |this )?week|esta semana|(?:a |para )?(?:final(?:es)? de|fin de) (?:la |esta )?semana|diese[rn]? woche|ende der woche|cette semaine|(?:d'ici |avant )?(?:la )?fin de (?:la |cette )?semaine)${e}`,
    ),
    due: (_m, { today }) => endOfWorkWeek(today),
  },
  {
    pattern: rx(
      `${b}(?:(?:this|the|by the|before the) weekend|wochenende|(?:ce |avant le )week-?end|este fin de semana)${e}`,
    ),
    due: (_m, { today }) => nextWeekday(today, 6, true),
  },
  // Next week: its Monday, when whatever they want can start.
  {
    pattern: rx(
      `${b}(?:(?:early )?next week|the coming week|(?:la )?(?:proxima|siguiente) semana|la semana (?:que viene|proxima|siguiente)|(?:nachste[nr]?|kommende[nr]?) woche|(?:la |des la )?semaine (?:prochaine|suivante))${e}`,
    ),
    due: (_m, { today }) => nextWeekday(today, 1, false),
  },
  // This month, the end of it.
  {
    pattern: rx(
      `${b}(?:this month|(?:by |before )?(?:the )?end of (?:the |this )?month|month[- ]end|este mes|(?:a |para |antes de )?(?:final(?:es)?|fin) de(?:l)? mes|diese[nm] monat|(?:bis )?ende (?:des |dieses )?monats|monatsende|ce mois(?:-ci)?|(?:d'ici |avant )?(?:la )?fin (?:du|de ce) mois)${e}`,
    ),
    due: (_m, { today }) => endOfMonth(today),
  },
  // Next month: its first day.
  {
    pattern: rx(
      `${b}(?:(?:early )?next month|the coming month|(?:el )?(?:proximo|siguiente) mes|el mes (?:que viene|proximo|siguiente)|(?:ab )?(?:nachste[nmr]?|kommende[nmr]?) monat|(?:le )?mois (?:prochain|suivant))${e}`,
    ),
    due: (_m, { today }) => firstOfNextMonth(today),
  },
  // This quarter: its last day. Next quarter: its first.
  {
    pattern: rx(
      `${b}(?:this quarter|(?:the )?end of (?:the |this )?quarter|quarter[- ]end|este trimestre|(?:final|fin) del trimestre|dieses quartal|ende des quartals|quartalsende|ce trimestre|fin du trimestre)${e}`,
    ),
    due: (_m, { today }) => {
      const { year, quarter } = quarterOf(today);
      return firstOfQuarter(year, quarter + 1) - 1;
    },
  },
  {
    pattern: rx(
      `${b}(?:next quarter|the coming quarter|(?:el )?(?:proximo|siguiente) trimestre|el trimestre que viene|(?:nachste[snm]?|kommende[snm]?) quartal|(?:le |au )?(?:trimestre prochain|prochain trimestre))${e}`,
    ),
    due: (_m, { today }) => {
      const { year, quarter } = quarterOf(today);
      return firstOfQuarter(year, quarter + 1);
    },
  },
  // Q1..Q4 (optionally with a year): the quarter's start, or its end while it is the current one.
  {
    pattern: rx(`${b}q([1-4])(?:[ /'-]?(\\d{2}|\\d{4}))?${e}`),
    due: (m, { today }) => {
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
    due: (_m, { today }) => dayNumber(calendarOf(today).year, 12, 31),
  },
  {
    pattern: rx(
      `${b}(?:next year|(?:el )?(?:proximo|siguiente) ano|el ano que viene|(?:nachste[snm]?|kommende[snm]?) jahr|l'an(?:nee)? prochain(?:e)?)${e}`,
    ),
    due: (_m, { today }) => dayNumber(calendarOf(today).year + 1, 1, 1),
  },
  // The next few days / weeks, without a number.
  {
    pattern: rx(
      `${b}(?:(?:the )?(?:next|coming|following) (?:few |couple of )?(days|weeks)|(?:los )?(?:proximos|siguientes) (dias)|(?:las )?(?:proximas|siguientes) (semanas)|(?:nachsten|kommenden) (tagen|wochen)|(?:les )?(?:prochains) (jours)|(?:les )?prochaines (semaines))${e}`,
    ),
    due: (m, { today }) => {
      const unit = m.slice(1).find((g) => g !== undefined) ?? '';
      const couple = /couple/.test(m[0]);
      return /^(?:day|dia|tag|jour)/.test(unit) ? today + (couple ? 2 : 3) : today + (couple ? 14 : 21);
    },
  },
  // In / within N days, weeks, months, hours.
  {
    pattern: rx(
      `${b}(?:within(?: the next)?|in(?: the next| under| less than)?|inside(?: of)?|over the next|during the next|the next|next|under|less than|no more than|` +
        `dentro de(?: los| las)?|en un plazo de|en menos de|en(?: los| las)?(?: proximos| proximas)?|antes de|` +
        `innerhalb(?: von)?|binnen|in den (?:nachsten|kommenden)|in|spatestens in|` +
        `dans(?: les)?|sous|d'ici(?: a)?|en moins de|au cours des prochain(?:e)?s)\\s+(${numberPattern})(?:\\s+of)?\\s+` +
        `(hours?|hrs?|horas?|stunden?|heures?|business days?|working days?|days?|dias habiles|dias|werktagen?|arbeitstagen?|tagen?|jours ouvr(?:e|able)s|jours?|fortnights?|weeks?|semanas?|wochen?|woche|semaines?|months?|mes(?:es)?|monaten?|monat|mois)${e}`,
    ),
    due: (m, { today }) => {
      const amount = quantity(m[1]!);
      return amount === null || amount > 400 ? null : afterDuration(today, amount, m[2]!);
    },
  },
  // French "sous huitaine / quinzaine", "d'ici quinze jours" is covered above.
  {
    pattern: rx(`${b}(?:sous )?(huitaine|quinzaine)${e}`),
    due: (m, { today }) => today + (m[1] === 'huitaine' ? 8 : 15),
  },
  // Weekdays after a deadline word: "by Friday", "para el viernes", "bis Freitag", "d'ici vendredi", "next Tuesday".
  {
    pattern: rx(
      `${b}(?:(by|before|until|till|til|no later than|due|deadline|on|this|this coming|coming|for|next)|` +
        `(para el|antes del|hasta el|a mas tardar el|el proximo|este|el)|` +
        `(bis|bis zum|bis spatestens|spatestens|vor|diesen|diesem|nachsten|nachster|kommenden|am|zum)|` +
        `(d'ici|avant|pour|jusqu'a|jusqu'au|ce|d'ici a|au plus tard|des|au plus tard le|pour le|avant le))\\s+(${weekdayPattern})(?:\\s+(prochain|que viene|proximo))?${e}`,
    ),
    due: (m, { today }) => {
      const weekday = weekdays[m[5]!];
      if (weekday === undefined) return null;
      // Abbreviations ("fri", "mon") are days only after a real deadline word: "on mon" is too weak.
      if (m[5]!.length <= 4 && !/^(?:by|before|until|till|til|due|no later than)$/.test(m[1] ?? '')) return null;
      // "By Friday" said on a Friday means today; "on Monday", "am Montag", "next Tuesday" said that day mean a week on.
      const prefix = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
      const deadline =
        /^(?:by|before|until|till|til|no later than|due|deadline|para el|antes del|hasta el|a mas tardar el|bis|bis zum|bis spatestens|spatestens|vor|d'ici|d'ici a|avant|jusqu'a|jusqu'au|au plus tard|au plus tard le|avant le)$/.test(
          prefix,
        );
      return nextWeekday(today, weekday, deadline && m[6] === undefined);
    },
    datesThePast: true,
  },
  // A weekday followed by "next": "vendredi prochain", "el viernes que viene", "lunes próximo".
  {
    pattern: rx(`${b}(${weekdayPattern})\\s+(?:prochain|que viene|proximo)${e}`),
    due: (m, { today }) => {
      const weekday = weekdays[m[1]!];
      return weekday === undefined || m[1]!.length <= 4 ? null : nextWeekday(today, weekday, false);
    },
  },
  // Day and month name: "3 December", "3rd of December", "3. Dezember", "3 de diciembre de 2025", "1er juin".
  {
    pattern: rx(
      `${b}(\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s*(?:of\\s+|de\\s+)?(${monthPattern})\\.?(?:,?\\s*(?:de\\s+)?(\\d{4}))?${e}`,
    ),
    due: (m, context) =>
      upcomingDate(context, months[m[2]!]!, Number(m[1]), m[3] === undefined ? undefined : Number(m[3])),
    datesThePast: true,
  },
  // Month name and day: "December 3", "June 1st, 2025".
  {
    pattern: rx(`${b}(${monthPattern})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s*(\\d{4}))?${e}`),
    due: (m, context) =>
      upcomingDate(context, months[m[1]!]!, Number(m[2]), m[3] === undefined ? undefined : Number(m[3])),
    datesThePast: true,
  },
  // Numeric dates after a deadline word: "by 12/12", "bis 20.03.", "para el 15/04", "avant le 03/12/2025". Never "24/7".
  {
    pattern: rx(
      `${b}(?:by|before|until|till|due|deadline|on|for|bis|bis zum|zum|am|vor|spatestens|para el|antes del|hasta el|el|pour le|avant le|d'ici le|le|jusqu'au)\\s*:?\\s+(\\d{1,2})[./](\\d{1,2})(?:[./](\\d{2}|\\d{4}))?\\.?(?![\\p{N}/.]\\p{N})`,
    ),
    due: (m, context) => {
      const [first, second] = [Number(m[1]), Number(m[2])];
      if (first === 24 && second === 7) return null;
      const monthFirst = second > 12 || (first <= 12 && context.monthFirst);
      const [month, day] = monthFirst ? [first, second] : [second, first];
      return upcomingDate(context, month, day, m[3] === undefined ? undefined : Number(m[3]));
    },
    datesThePast: true,
  },
  // A day of the month: "by the 15th", "before the 1st", "para el día 20", "bis zum 15.", "avant le 15".
  {
    pattern: rx(
      `${b}(?:(?:by|before|until|till|on|for|due|no later than) the (\\d{1,2})(?:st|nd|rd|th)|(?:para el|antes del|hasta el) (?:dia )?(\\d{1,2})(?!\\s*(?:de\\s+)?(?:${monthPattern}|[./]\\d))|(?:bis zum|bis|zum|am) (\\d{1,2})\\.(?!\\s*(?:${monthPattern}|\\d))|(?:pour le|avant le|d'ici le|jusqu'au) (\\d{1,2})(?:er)?(?!\\s*(?:${monthPattern}|[./]\\d)))${e}`,
    ),
    due: (m, context) => {
      const day = Number(m[1] ?? m[2] ?? m[3] ?? m[4]);
      const { year, month, day: todayOfMonth } = calendarOf(context.today);
      if (day >= todayOfMonth && day <= daysInMonth(year, month)) return dayNumber(year, month, day);
      const next = firstOfNextMonth(context.today);
      const after = calendarOf(next);
      return day <= daysInMonth(after.year, after.month) ? dayNumber(after.year, after.month, day) : null;
    },
    datesThePast: true,
  },
  // A month on its own after a deadline word: "by December", "in April", "bis Ende Mai", "a finales de junio".
  {
    pattern: rx(
      `${b}(?:(end of|by the end of|ende|bis ende|a finales de|finales de|fin de|fin|a fin de|d'ici fin|d'ici la fin de|fin)|by|before|until|in|for|early|mid|bis|im|vor|para|en|antes de|hasta|d'ici|avant|pour|debut|mi-)\\s+(${monthPattern})(?:\\s+(\\d{4}))?${e}(?!\\s*\\d)`,
    ),
    due: (m, context) => {
      const month = months[m[2]!]!;
      // "may" alone is far likelier the verb than the month.
      if (m[2] === 'may' || m[2] === 'mar' || m[2] === 'jun' || m[2] === 'jul' || m[2] === 'sep') return null;
      const { year, month: thisMonth } = calendarOf(context.today);
      const y = m[3] !== undefined ? Number(m[3]) : month < thisMonth ? year + 1 : year;
      if (m[1] !== undefined || (month === thisMonth && y === year)) return dayNumber(y, month, daysInMonth(y, month));
      const first = dayNumber(y, month, 1);
      return first >= context.today ? first : null;
    },
    datesThePast: true,
  },
];

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

/**
 * The most pressing deadline in `text`, read relative to the day the lead arrived (in its time zone): the
 * phrase as written and its due date. Several phrases → the earliest due date (the first in the text on a tie).
 * Throws, naming the field, on a malformed `receivedAt` or an unknown `timeZone`.
 */
export function readTimeline(text: string, receivedAt: string, timeZone?: string | null): Timeline | null {
  const today = arrivalDay(receivedAt, timeZone);
  const folded = foldInPlace(blankMailHeaders(text));
  const context: Context = { today, monthFirst: /^America\//.test(timeZone ?? '') };
  let best: { due: number; start: number; end: number } | null = null;
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(folded); m !== null; m = rule.pattern.exec(folded)) {
      const before = folded.slice(Math.max(0, m.index - 30), m.index);
      const after = folded.slice(m.index + m[0].length, m.index + m[0].length + 12);
      if (rule.negatable) {
        const lastWords = before
          .split(/[^\p{L}']+/u)
          .filter(Boolean)
          .slice(-2)
          .join(' ');
        if (negation.test(lastWords) || conditionalLead.test(before)) continue;
      }
      if (rule.datesThePast) {
        const nearBefore = before.split(/\s+/).slice(-4).join(' ');
        if (pastMarker.test(nearBefore) || pastMarker.test(after.split(/\s+/).slice(0, 2).join(' '))) continue;
      }
      const due = rule.due(m, context);
      if (due === null || due < today) continue;
      if (!best || due < best.due || (due === best.due && m.index < best.start))
        best = { due, start: m.index, end: m.index + m[0].length };
    }
  }
  if (!best) return null;
  return { text: text.slice(best.start, best.end).trim(), dueBy: isoDate(best.due) };
}
