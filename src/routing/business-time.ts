// SLA deadlines that count only a rep's working time. The Temporal workflow calls slaDeadline, so this module is
// plain arithmetic over a calendar precomputed at planning time: no Intl, no holiday library, no clock. The same
// input gives the same deadline on every worker and on replay, whatever tz data the worker's Node carries.

/** [start, end) in minutes after local midnight. */
export type MinuteSpan = [number, number];

export interface BusinessCalendar {
  /** IANA zone the working hours are in; informational here, the offsets below carry its rules. */
  timeZone: string;
  /** Working hours per weekday, index 0 = Sunday, as minute spans of the local day, sorted. */
  week: MinuteSpan[][];
  /** Public holidays (local dates, YYYY-MM-DD) within the horizon: no working time on these days. */
  holidays: Array<{ date: string; name: string }>;
  /** The zone's UTC offset from each instant on, sorted; the first entry also holds before its instant. */
  offsets: Array<{ fromMs: number; offsetMinutes: number }>;
  /** Holidays are known up to here; past it the last offset holds and every day keeps its weekday hours. */
  horizonEndMs: number;
}

export interface Sla {
  /** Duration: wall-clock ms, or working-time ms when businessHours is set. */
  ms: number;
  /** When set, the clock runs only inside these working hours. */
  businessHours: BusinessCalendar | null;
}

const minuteMs = 60_000;
const dayMs = 86_400_000;
/** A calendar with working hours finds them within a week; two years is a generous bound for any SLA. */
const maxDaysSearched = 730;

function offsetAt(calendar: BusinessCalendar, ms: number): number {
  const offsets = calendar.offsets;
  let offset = offsets[0]?.offsetMinutes ?? 0;
  for (const change of offsets) {
    if (change.fromMs > ms) break;
    offset = change.offsetMinutes;
  }
  return offset;
}

/** The instant a local wall-clock time (written as if it were UTC) happens in the calendar's zone. */
function wallToInstant(calendar: BusinessCalendar, wallMs: number): number {
  const guess = wallMs - offsetAt(calendar, wallMs) * minuteMs;
  return wallMs - offsetAt(calendar, guess) * minuteMs;
}

function isHoliday(calendar: BusinessCalendar, date: string): boolean {
  for (const holiday of calendar.holidays) if (holiday.date === date) return true;
  return false;
}

/**
 * When an SLA that starts at startMs runs out. Without a calendar: startMs + ms. With one, only working time
 * counts: a start outside hours waits for the next opening, and the deadline falls inside working hours
 * (at the very end of one when the time runs out there). 8 working hours from Friday 16:00 on a 09:00-17:00
 * week is Monday 16:00; a holiday Monday makes it Tuesday 16:00. DST is handled by the precomputed offsets:
 * working hours are local wall-clock times, so a shift over the weekend moves the UTC deadline, not the local one.
 */
export function slaDeadline(startMs: number, sla: Sla): number {
  const calendar = sla.businessHours;
  if (!calendar || sla.ms <= 0) return startMs + Math.max(0, sla.ms);
  if (!calendar.week.some((spans) => spans.length > 0))
    throw new RangeError(`business calendar for ${calendar.timeZone} has no working hours`);

  let remaining = sla.ms;
  let dayWallMs = Math.floor((startMs + offsetAt(calendar, startMs) * minuteMs) / dayMs) * dayMs;
  for (let day = 0; day < maxDaysSearched; day++, dayWallMs += dayMs) {
    const dayStart = new Date(dayWallMs);
    if (isHoliday(calendar, dayStart.toISOString().slice(0, 10))) continue;
    for (const [startMinute, endMinute] of calendar.week[dayStart.getUTCDay()] ?? []) {
      const opens = wallToInstant(calendar, dayWallMs + startMinute * minuteMs);
      const closes = wallToInstant(calendar, dayWallMs + endMinute * minuteMs);
      if (closes <= startMs) continue;
      const from = Math.max(opens, startMs);
      if (remaining <= closes - from) return from + remaining;
      remaining -= closes - from;
    }
  }
  throw new RangeError(
    `SLA of ${sla.ms} working ms from ${new Date(startMs).toISOString()} does not end within ${maxDaysSearched} days`,
  );
}
