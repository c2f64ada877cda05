// Local wall-clock time in a rep's IANA time zone, from Intl (no I/O: the zone data ships with the runtime).
// Formatters are costly to build, so one per zone is kept; routing asks for a handful of zones per decision.

export interface LocalTime {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** 0 = Sunday. */
  weekday: number;
  /** Minutes after local midnight. */
  minutes: number;
  /** Local time minus UTC, in minutes (e.g. -360 for America/Chicago in winter). */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

/**
 * Local time from the zone's UTC offset, which is looked up in a cached week of the zone's offset changes:
 * formatting through Intl costs microseconds, and routing asks for every candidate's local time per decision.
 */
export function localTimeAt(ms: number, timeZone: string): LocalTime {
  const offsetMinutes = offsetAt(ms, timeZone);
  const wall = new Date(Math.floor(ms / 60_000) * 60_000 + offsetMinutes * 60_000);
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth() + 1;
  const day = wall.getUTCDate();
  return {
    date: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    weekday: wall.getUTCDay(),
    minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    offsetMinutes,
  };
}

const weekMs = 7 * 86_400_000;
/** Zone → week number → that week's offset changes. Bounded: cleared when it holds more weeks than this. */
const offsetWeeks = new Map<string, Map<number, OffsetChange[]>>();
const maxCachedWeeks = 20_000;
let cachedWeeks = 0;

/** The zone's offset at the start of the week and every change in it, measured once through Intl. */
function offsetsOfWeek(timeZone: string, week: number): OffsetChange[] {
  let weeks = offsetWeeks.get(timeZone);
  if (!weeks) offsetWeeks.set(timeZone, (weeks = new Map<number, OffsetChange[]>()));
  let changes = weeks.get(week);
  if (!changes) {
    if (cachedWeeks >= maxCachedWeeks) {
      offsetWeeks.clear();
      offsetWeeks.set(timeZone, weeks);
      weeks.clear();
      cachedWeeks = 0;
    }
    changes = measureOffsetChanges(timeZone, week * weekMs, (week + 1) * weekMs);
    weeks.set(week, changes);
    cachedWeeks += 1;
  }
  return changes;
}

function offsetAt(ms: number, timeZone: string): number {
  const changes = offsetsOfWeek(timeZone, Math.floor(ms / weekMs));
  let offset = changes[0]!.offsetMinutes;
  for (const change of changes) if (change.fromMs <= ms) offset = change.offsetMinutes;
  return offset;
}

/** Local time as Intl formats it: the reference the cached offsets are computed from. */
export function formattedLocalTimeAt(ms: number, timeZone: string): LocalTime {
  const formatter = formatterFor(timeZone);
  if (!formatter) throw new RangeError(`unknown time zone ${timeZone}`);
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const year = parts.year ?? 1970;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  const hour = parts.hour ?? 0;
  const minute = parts.minute ?? 0;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, parts.second ?? 0);
  const wholeSecondMs = Math.floor(ms / 1000) * 1000;
  return {
    date: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    minutes: hour * 60 + minute,
    offsetMinutes: Math.round((wallMs - wholeSecondMs) / 60_000),
  };
}

export interface OffsetChange {
  /** From this instant on (epoch ms)… */
  fromMs: number;
  /** …local time is UTC plus this many minutes. */
  offsetMinutes: number;
}

/** The zone's UTC offset at fromMs and every change up to toMs, to the minute, from the cached weeks. */
export function offsetChanges(timeZone: string, fromMs: number, toMs: number): OffsetChange[] {
  const changes: OffsetChange[] = [{ fromMs, offsetMinutes: offsetAt(fromMs, timeZone) }];
  for (let week = Math.floor(fromMs / weekMs); week * weekMs <= toMs; week++)
    for (const change of offsetsOfWeek(timeZone, week).slice(1))
      if (change.fromMs > fromMs && change.fromMs <= toMs) changes.push(change);
  return changes;
}

/**
 * Measured through Intl: sampled every 6 hours, then bisected to the minute. Zones change offset at most a few
 * times a year, never twice within 6 hours.
 */
function measureOffsetChanges(timeZone: string, fromMs: number, toMs: number): OffsetChange[] {
  const step = 6 * 3_600_000;
  const changes: OffsetChange[] = [{ fromMs, offsetMinutes: formattedLocalTimeAt(fromMs, timeZone).offsetMinutes }];
  let previous = changes[0]!.offsetMinutes;
  for (let t = fromMs; t < toMs; t += step) {
    const next = Math.min(t + step, toMs);
    const offset = formattedLocalTimeAt(next, timeZone).offsetMinutes;
    if (offset === previous) continue;
    let low = t;
    let high = next;
    while (high - low > 60_000) {
      const middle = Math.floor((low + high) / 2 / 60_000) * 60_000;
      if (middle <= low) break;
      if (formattedLocalTimeAt(middle, timeZone).offsetMinutes === previous) low = middle;
      else high = middle;
    }
    changes.push({ fromMs: high, offsetMinutes: offset });
    previous = offset;
  }
  return changes;
}
