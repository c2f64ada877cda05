// Business-hours SLA deadlines: weekends, holidays, DST, lunch breaks, and the calendar the planner builds.
import fc from 'fast-check';
import { businessCalendarFor } from './business-calendar';
import { slaDeadline, type BusinessCalendar } from './business-time';
import type { WorkingHours } from './working-hours';

const hour = 3_600_000;
const nineToFive: WorkingHours = {
  mon: ['09:00-17:00'],
  tue: ['09:00-17:00'],
  wed: ['09:00-17:00'],
  thu: ['09:00-17:00'],
  fri: ['09:00-17:00'],
};
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function chicago(nowIso: string, hours: WorkingHours = nineToFive): BusinessCalendar {
  return businessCalendarFor(
    { timeZone: 'America/Chicago', workingHours: hours, holidays: { country: 'US', state: null } },
    at(nowIso),
  );
}

const oneBusinessDay = 8 * hour;

test('without a calendar the SLA is wall-clock time', () => {
  expect(slaDeadline(at('2026-11-20T22:00:00Z'), { ms: 5 * 60_000, businessHours: null })).toBe(
    at('2026-11-20T22:05:00Z'),
  );
});

test('one business day from Friday 16:00 ends Monday 16:00', () => {
  // Chicago is UTC-6 in November: Friday 16:00 local is 22:00Z.
  const start = at('2026-11-20T22:00:00Z');
  expect(iso(slaDeadline(start, { ms: oneBusinessDay, businessHours: chicago('2026-11-20T22:00:00Z') }))).toBe(
    '2026-11-23T22:00:00.000Z',
  );
});

test('a holiday is skipped: Wednesday 16:00 before Thanksgiving ends Friday 16:00', () => {
  const calendar = chicago('2026-11-25T22:00:00Z');
  expect(calendar.holidays).toContainEqual({ date: '2026-11-26', name: 'Thanksgiving Day' });
  expect(iso(slaDeadline(at('2026-11-25T22:00:00Z'), { ms: oneBusinessDay, businessHours: calendar }))).toBe(
    '2026-11-27T22:00:00.000Z',
  );
});

test('a weekend and a holiday Monday: Friday 16:00 before Memorial Day ends Tuesday 16:00', () => {
  // Memorial Day 2026 is Monday 25 May; Chicago is UTC-5 in summer.
  const start = at('2026-05-22T21:00:00Z');
  expect(iso(slaDeadline(start, { ms: oneBusinessDay, businessHours: chicago('2026-05-22T21:00:00Z') }))).toBe(
    '2026-05-26T21:00:00.000Z',
  );
});

test('across the end of DST the deadline keeps local wall-clock time: Friday 16:00 CDT to Monday 16:00 CST', () => {
  // US DST ends Sunday 1 November 2026: Friday 16:00 CDT is 21:00Z, Monday 16:00 CST is 22:00Z.
  const calendar = chicago('2026-10-30T21:00:00Z');
  expect(calendar.offsets.map((o) => o.offsetMinutes)).toEqual([-300, -360]);
  expect(iso(slaDeadline(at('2026-10-30T21:00:00Z'), { ms: oneBusinessDay, businessHours: calendar }))).toBe(
    '2026-11-02T22:00:00.000Z',
  );
});

test('across the start of DST in Europe: Friday 16:00 CET to Monday 16:00 CEST', () => {
  // EU DST starts Sunday 29 March 2026: Friday 16:00 in Berlin is 15:00Z, Monday 16:00 is 14:00Z.
  const calendar = businessCalendarFor(
    { timeZone: 'Europe/Berlin', workingHours: nineToFive, holidays: null },
    at('2026-03-27T15:00:00Z'),
  );
  expect(iso(slaDeadline(at('2026-03-27T15:00:00Z'), { ms: oneBusinessDay, businessHours: calendar }))).toBe(
    '2026-03-30T14:00:00.000Z',
  );
});

test('a start outside working hours waits for the next opening', () => {
  const calendar = chicago('2026-11-21T16:00:00Z');
  // Saturday 10:00 local + 1 working hour = Monday 10:00 local.
  expect(iso(slaDeadline(at('2026-11-21T16:00:00Z'), { ms: hour, businessHours: calendar }))).toBe(
    '2026-11-23T16:00:00.000Z',
  );
  // Monday 07:00 local + 30 working minutes = Monday 09:30 local.
  expect(iso(slaDeadline(at('2026-11-23T13:00:00Z'), { ms: hour / 2, businessHours: calendar }))).toBe(
    '2026-11-23T15:30:00.000Z',
  );
});

test('a lunch break does not count, and time running out at closing time ends at the close', () => {
  const split: WorkingHours = { mon: ['09:00-12:30', '13:30-18:00'], fri: ['09:00-17:00'] };
  const calendar = businessCalendarFor(
    { timeZone: 'Europe/London', workingHours: split, holidays: null },
    at('2026-11-23T12:00:00Z'),
  );
  expect(iso(slaDeadline(at('2026-11-23T12:00:00Z'), { ms: hour, businessHours: calendar }))).toBe(
    '2026-11-23T14:00:00.000Z',
  );
  expect(iso(slaDeadline(at('2026-11-27T16:00:00Z'), { ms: hour, businessHours: calendar }))).toBe(
    '2026-11-27T17:00:00.000Z',
  );
});

test('past the horizon, weekday hours still hold and the last offset applies', () => {
  const calendar = chicago('2026-11-20T22:00:00Z');
  const start = calendar.horizonEndMs + 10 * 24 * hour;
  const deadline = slaDeadline(start, { ms: 40 * hour, businessHours: calendar });
  // 40 working hours is five working days: one calendar week later at the latest, never less than 40 hours.
  expect(deadline - start).toBeGreaterThanOrEqual(40 * hour);
  expect(deadline - start).toBeLessThanOrEqual(8 * 24 * hour);
});

test('a calendar without any working hours is refused with its zone named', () => {
  const calendar: BusinessCalendar = {
    timeZone: 'Asia/Tokyo',
    week: [[], [], [], [], [], [], []],
    holidays: [],
    offsets: [{ fromMs: 0, offsetMinutes: 540 }],
    horizonEndMs: 0,
  };
  expect(() => slaDeadline(0, { ms: hour, businessHours: calendar })).toThrow(/Asia\/Tokyo has no working hours/);
});

test('the planner builds one calendar per zone, hours, region and local day, and it is plain data', () => {
  const a = chicago('2026-11-20T15:00:00Z');
  const b = chicago('2026-11-20T22:00:00Z');
  expect(a).toBe(b);
  expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  expect(a.week[1]).toEqual([[540, 1020]]);
  expect(a.week[0]).toEqual([]);
});

describe('properties', () => {
  const calendar = businessCalendarFor(
    {
      timeZone: 'America/New_York',
      workingHours: {
        mon: ['08:00-12:00', '13:00-17:00'],
        tue: ['09:00-17:00'],
        thu: ['10:00-24:00'],
        sat: ['00:00-03:00'],
      },
      holidays: { country: 'US', state: 'NY' },
    },
    at('2026-10-20T12:00:00Z'),
  );
  const start = fc.integer({ min: at('2026-10-20T12:00:00Z'), max: at('2026-12-10T00:00:00Z') });
  const duration = fc.integer({ min: 0, max: 50 * hour });

  // Counts working ms between two instants by walking minute by minute through local time, independently
  // of slaDeadline's day-by-day arithmetic.
  function workingMsBetween(from: number, to: number): number {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    const days: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
    let total = 0;
    for (let t = from; t < to; t += 60_000) {
      const p = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
      const date = `${p.year}-${p.month}-${p.day}`;
      if (calendar.holidays.some((h) => h.date === date)) continue;
      const minute = Number(p.hour) * 60 + Number(p.minute);
      if ((calendar.week[days[p.weekday!]!] ?? []).some(([s, e]) => minute >= s && minute < e))
        total += Math.min(60_000, to - t);
    }
    return total;
  }

  test('exactly the SLA of working time lies between start and deadline', () => {
    fc.assert(
      fc.property(
        start.map((s) => Math.floor(s / 60_000) * 60_000),
        fc.integer({ min: 0, max: 12 * 60 }).map((m) => m * 60_000),
        (s, ms) => {
          expect(workingMsBetween(s, slaDeadline(s, { ms, businessHours: calendar }))).toBe(ms);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('a later start or a longer SLA never gives an earlier deadline', () => {
    fc.assert(
      fc.property(start, start, duration, duration, (s1, s2, d1, d2) => {
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [short, long] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(slaDeadline(late, { ms: short, businessHours: calendar })).toBeGreaterThanOrEqual(
          slaDeadline(early, { ms: short, businessHours: calendar }),
        );
        expect(slaDeadline(early, { ms: long, businessHours: calendar })).toBeGreaterThanOrEqual(
          slaDeadline(early, { ms: short, businessHours: calendar }),
        );
        expect(slaDeadline(early, { ms: short, businessHours: calendar })).toBeGreaterThanOrEqual(early + short);
      }),
      { numRuns: 300 },
    );
  });
});
