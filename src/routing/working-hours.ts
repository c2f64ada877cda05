// Working hours as written in the directory ("09:00-17:00" per weekday) and as minutes of the local day.
export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

/** Per weekday, the intervals a rep works, in the rep's time zone. A day left out is a day off. */
export type WorkingHours = Partial<Record<Weekday, string[]>>;

/** [start, end) in minutes after local midnight. */
export type MinuteRange = readonly [number, number];

export const rangePattern = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
// The same few strings ("09:00-17:00") recur across hundreds of reps; parse each once.
const parsed = new Map<string, MinuteRange | string>();

/** Parses "HH:MM-HH:MM" (end may be 24:00); returns a message in words when it is not one. */
export function parseMinuteRange(text: string): MinuteRange | string {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const m = rangePattern.exec(text);
  let result: MinuteRange | string;
  if (!m) result = `"${text}" is not a time range like 09:00-17:00`;
  else {
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = m[3] === '24:00' ? 1440 : Number(m[4]) * 60 + Number(m[5]);
    result = end > start ? [start, end] : `"${text}" ends before it starts`;
  }
  parsed.set(text, result);
  return result;
}

/** The week as minute ranges, index 0 = Sunday; invalid entries are dropped (the schema refuses them earlier). */
export function weekMinuteRanges(hours: WorkingHours): MinuteRange[][] {
  return weekdays.map((day) =>
    (hours[day] ?? [])
      .map(parseMinuteRange)
      .filter((r): r is MinuteRange => typeof r !== 'string')
      .sort((a, b) => a[0] - b[0]),
  );
}

export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
