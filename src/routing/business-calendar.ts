// Builds a rep's BusinessCalendar at planning time: their working hours, the public holidays of their region and
// their zone's UTC offsets for the next ~60 days, so the workflow can compute deadlines without Intl or holiday data.
import type { BusinessCalendar, MinuteSpan } from './business-time';
import { holidaysBetween, type HolidayRegion } from './holidays';
import { localTimeAt, offsetChanges } from './time-zones';
import { weekMinuteRanges, weekdays, type WorkingHours } from './working-hours';

export const calendarHorizonDays = 60;
const dayMs = 86_400_000;

export interface CalendarOwner {
  timeZone: string;
  workingHours: WorkingHours;
  holidays: HolidayRegion | null;
}

// Plans for many leads on the same day share calendars. The cache is searched by zone, holiday country and state,
// then by comparing working hours, so a directory read afresh for every decision finds its calendars without
// building a key per rep. Bounded so a long-running worker with a changing directory does not grow forever.
interface CachedCalendar {
  hours: WorkingHours;
  localDate: string;
  calendar: BusinessCalendar;
}
const calendars = new Map<string, Map<string, Map<string, CachedCalendar[]>>>();
let cachedCount = 0;
const maxCachedCalendars = 2_000;

// Called for every candidate with a business-hours SLA: compares without allocating.
function sameHours(a: WorkingHours, b: WorkingHours): boolean {
  if (a === b) return true;
  for (const day of weekdays) {
    const x = a[day];
    const y = b[day];
    if (x === y) continue;
    if (!x || !y || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

function bucketFor(owner: CalendarOwner): CachedCalendar[] {
  let byCountry = calendars.get(owner.timeZone);
  if (!byCountry) calendars.set(owner.timeZone, (byCountry = new Map<string, Map<string, CachedCalendar[]>>()));
  const country = owner.holidays?.country ?? '';
  let byState = byCountry.get(country);
  if (!byState) byCountry.set(country, (byState = new Map<string, CachedCalendar[]>()));
  const state = owner.holidays?.state ?? '';
  let bucket = byState.get(state);
  if (!bucket) byState.set(state, (bucket = []));
  return bucket;
}

/** The calendar valid from the local day of nowMs for calendarHorizonDays; the same inputs give an equal calendar. */
export function businessCalendarFor(
  owner: CalendarOwner,
  nowMs: number,
  localDate = localTimeAt(nowMs, owner.timeZone).date,
): BusinessCalendar {
  let cached: CachedCalendar | undefined;
  for (const c of bucketFor(owner)) {
    if (sameHours(c.hours, owner.workingHours)) {
      cached = c;
      break;
    }
  }
  if (cached && cached.localDate === localDate) return cached.calendar;

  // Anchored to the local day, not the instant, so every plan made that day carries the same calendar.
  const dayStart = Date.parse(`${localDate}T00:00:00Z`) - 2 * dayMs;
  const horizonEndMs = dayStart + (calendarHorizonDays + 2) * dayMs;
  const lastDate = new Date(horizonEndMs).toISOString().slice(0, 10);
  const calendar: BusinessCalendar = {
    timeZone: owner.timeZone,
    week: weekMinuteRanges(owner.workingHours).map((spans) => spans.map((s): MinuteSpan => [s[0], s[1]])),
    holidays: owner.holidays ? holidaysBetween(localDate, lastDate, owner.holidays) : [],
    offsets: offsetChanges(owner.timeZone, dayStart, horizonEndMs),
    horizonEndMs,
  };
  if (cached) {
    cached.localDate = localDate;
    cached.calendar = calendar;
  } else {
    if (cachedCount >= maxCachedCalendars) {
      calendars.clear();
      cachedCount = 0;
    }
    bucketFor(owner).push({ hours: owner.workingHours, localDate, calendar });
    cachedCount += 1;
  }
  return calendar;
}
