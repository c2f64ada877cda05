import fc from 'fast-check';
import { formattedLocalTimeAt, localTimeAt } from './time-zones';

// Zones with DST on either hemisphere, half- and quarter-hour offsets, and a 30-minute DST shift (Lord Howe).
const zones = [
  'UTC',
  'Europe/Berlin',
  'America/Chicago',
  'America/St_Johns',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/Sao_Paulo',
] as const;

test('local time from cached offsets is what Intl formats, at any instant, in any order of asking', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          ms: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
          zone: fc.constantFrom(...zones),
        }),
        { minLength: 1, maxLength: 20 },
      ),
      (asks) => {
        for (const { ms, zone } of asks) expect(localTimeAt(ms, zone)).toEqual(formattedLocalTimeAt(ms, zone));
      },
    ),
    { numRuns: 300 },
  );
});

test('the minutes either side of a DST change read the old and the new offset', () => {
  // Europe/Berlin sprang forward at 2026-03-29T01:00Z: 01:59 CET, then 03:00 CEST.
  const change = Date.UTC(2026, 2, 29, 1, 0);
  expect(localTimeAt(change - 60_000, 'Europe/Berlin')).toMatchObject({ minutes: 1 * 60 + 59, offsetMinutes: 60 });
  expect(localTimeAt(change, 'Europe/Berlin')).toMatchObject({ minutes: 3 * 60, offsetMinutes: 120 });
  // Lord Howe falls back half an hour at 2026-04-04T15:00Z (02:00 local → 01:30).
  const lordHowe = Date.UTC(2026, 3, 4, 15, 0);
  expect(localTimeAt(lordHowe - 60_000, 'Australia/Lord_Howe').offsetMinutes).toBe(660);
  expect(localTimeAt(lordHowe, 'Australia/Lord_Howe').offsetMinutes).toBe(630);
});
