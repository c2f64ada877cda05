// Builds a rep's BusinessCalendar at planning time: their working hours, the public holidays of their region and
// their zone's UTC offsets for the next ~60 days, so the workflow can compute deadlines without Intl or holiday data.
import type { BusinessCalendar, MinuteSpan } from './business-time';
import { holidayRegionLabel, holidaysBetween, type HolidayRegion } from './holidays';
import { localTimeAt, offsetChanges } from './time-zones';
import { weekMinuteRanges, weekdays, type WorkingHours } from './working-hours';

export const calendarHorizonDays = 60;
const dayMs = 86_400_000;

export interface CalendarOwner {
  timeZone: string;
  workingHours: WorkingHours;
  holidays: HolidayRegion | null;
}

// Plans for many leads on the same day share calendars: one per owner key, rebuilt when the local day changes.
// Bounded so a long-running worker with a changing directory does not grow forever.
const calendars = new Map<string, { localDate: string; calendar: BusinessCalendar }>();
const maxCachedCalendars = 2_000;
const ownerKeys = new WeakMap<CalendarOwner, string>();

/** Zone, holiday region and hours as one key; owners (directory entries) are immutable snapshots. */
function ownerKey(owner: CalendarOwner): string {
  let key = ownerKeys.get(owner);
  if (key === undefined) {
    key = `${owner.timeZone}|${owner.holidays ? holidayRegionLabel(owner.holidays) : ''}|${weekdays.map((day) => (owner.workingHours[day] ?? []).join(',')).join(';')}`;
    ownerKeys.set(owner, key);
  }
  return key;
}

/** The calendar valid from the local day of nowMs for calendarHorizonDays; the same inputs give an equal calendar. */
export function businessCalendarFor(owner: CalendarOwner, nowMs: number, localDate = localTimeAt(nowMs, owner.timeZone).date): BusinessCalendar {
  const key = ownerKey(owner);
  const cached = calendars.get(key);
  let calendar = cached?.localDate === localDate ? cached.calendar : undefined;
  if (!calendar) {
    // Anchored to the local day, not the instant, so every plan made that day carries the same calendar.
    const dayStart = Date.parse(`${localDate}T00:00:00Z`) - 2 * dayMs;
    const horizonEndMs = dayStart + (calendarHorizonDays + 2) * dayMs;
    const lastDate = new Date(horizonEndMs).toISOString().slice(0, 10);
    calendar = {
      timeZone: owner.timeZone,
      week: weekMinuteRanges(owner.workingHours).map((spans) => spans.map((s): MinuteSpan => [s[0], s[1]])),
      holidays: owner.holidays ? holidaysBetween(localDate, lastDate, owner.holidays) : [],
      offsets: offsetChanges(owner.timeZone, dayStart, horizonEndMs),
      horizonEndMs,
    };
    if (calendars.size >= maxCachedCalendars) calendars.clear();
    calendars.set(key, { localDate, calendar });
  }
  return calendar;
}
