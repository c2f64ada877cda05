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

// Plans for many leads on the same day share calendars; bounded so a long-running worker does not grow forever.
const calendars = new Map<string, BusinessCalendar>();
const maxCachedCalendars = 2_000;
const weekKeys = new WeakMap<WorkingHours, string>();

function weekKey(hours: WorkingHours): string {
  let key = weekKeys.get(hours);
  if (key === undefined) {
    key = weekdays.map((day) => (hours[day] ?? []).join(',')).join(';');
    weekKeys.set(hours, key);
  }
  return key;
}

/** The calendar valid from the local day of nowMs for calendarHorizonDays; the same inputs give an equal calendar. */
export function businessCalendarFor(owner: CalendarOwner, nowMs: number, localDate = localTimeAt(nowMs, owner.timeZone).date): BusinessCalendar {
  const key = `${owner.timeZone}|${owner.holidays ? holidayRegionLabel(owner.holidays) : ''}|${localDate}|${weekKey(owner.workingHours)}`;
  let calendar = calendars.get(key);
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
    calendars.set(key, calendar);
  }
  return calendar;
}
