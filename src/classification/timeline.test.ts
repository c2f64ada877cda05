// Deadlines read relative to arrival, in four languages, and the urgency their distance means.
import fc from 'fast-check';
import { arrivalDay, readTimeline, urgencyForDays, urgencyOfTimeline } from './timeline';

const monday = '2025-03-10T09:00:00Z'; // Monday 10 March 2025
const read = (text: string, at = monday, zone?: string) => readTimeline(text, at, zone);
const due = (text: string, at = monday, zone?: string) => read(text, at, zone)?.dueBy ?? null;

describe('phrases from the brief, arriving on Monday 10 March 2025', () => {
  test.each([
    ['We need this ASAP', 'ASAP', '2025-03-10'],
    ['can you call me today', 'today', '2025-03-10'],
    ['same-day answer please', 'same-day', '2025-03-10'],
    ['proposal by Friday', 'by Friday', '2025-03-14'],
    ['sometime this week', 'this week', '2025-03-14'],
    ['before the end of the week', 'before the end of the week', '2025-03-14'],
    ['call next week', 'next week', '2025-03-17'],
    ['within 10 days', 'within 10 days', '2025-03-20'],
    ['by the 15th', 'by the 15th', '2025-03-15'],
    ['live by 3 December', '3 December', '2025-12-03'],
    ['deadline 12/12', 'deadline 12/12', '2025-12-12'],
    ['start next quarter', 'next quarter', '2025-04-01'],
    ['in two months', 'in two months', '2025-05-10'],
    ['Bitte heute noch', 'heute', '2025-03-10'],
    ['Angebot bis Freitag', 'bis Freitag', '2025-03-14'],
    ['Termin diese Woche', 'diese Woche', '2025-03-14'],
    ['Start nächsten Monat', 'nächsten Monat', '2025-04-01'],
    ['lo antes posible', 'lo antes posible', '2025-03-10'],
    ['propuesta para el viernes', 'para el viernes', '2025-03-14'],
    ['una reunión esta semana', 'esta semana', '2025-03-14'],
    ['empezar el próximo mes', 'el próximo mes', '2025-04-01'],
    ['dès que possible', 'dès que possible', '2025-03-10'],
    ["un devis d'ici vendredi", "d'ici vendredi", '2025-03-14'],
    ['un rendez-vous cette semaine', 'cette semaine', '2025-03-14'],
    ['démarrage le mois prochain', 'le mois prochain', '2025-04-01'],
    ['Es urgente', 'urgente', '2025-03-10'],
  ])('%j → %j due %s', (text, phrase, dueBy) => {
    expect(read(text)).toEqual({ text: phrase, dueBy });
  });
});

describe('more ways to say when', () => {
  test.each([
    ['tomorrow night', '2025-03-11'],
    ['mañana por la tarde', '2025-03-11'],
    ['pasado mañana', '2025-03-12'],
    ['übermorgen', '2025-03-12'],
    ['within 72 hours', '2025-03-13'],
    ['in 3 weeks', '2025-03-31'],
    ['in zwei Wochen', '2025-03-24'],
    ['dans 2 semaines', '2025-03-24'],
    ['en quince días', '2025-03-25'],
    ['sous quinzaine', '2025-03-25'],
    ['in the next couple of weeks', '2025-03-24'],
    ['in the coming weeks', '2025-03-31'],
    ['by end of quarter', '2025-03-31'],
    ['end of month', '2025-03-31'],
    ['bis Monatsende', '2025-03-31'],
    ['kick-off in April', '2025-04-01'],
    ['bis Ende April', '2025-04-30'],
    ['31st of March', '2025-03-31'],
    ['on April 1', '2025-04-01'],
    ['le 3 décembre', '2025-12-03'],
    ['el 3 de diciembre de 2025', '2025-12-03'],
    ['zum 3. Dezember', '2025-12-03'],
    ['bis 20.03.', '2025-03-20'],
    ['vendredi prochain', '2025-03-14'],
    ['el viernes que viene', '2025-03-14'],
    ['timeline Q3', '2025-07-01'],
    ['next year', '2026-01-01'],
  ])('%j → due %s', (text, dueBy) => {
    expect(due(text)).toBe(dueBy);
  });

  test('several phrases: the earliest due date wins', () => {
    expect(read('We plan to start next month, but the audit is by Friday')).toEqual({
      text: 'by Friday',
      dueBy: '2025-03-14',
    });
  });

  test('"by Friday" said on a Friday is today; "on Monday" said on a Monday is a week on', () => {
    expect(due('by Friday', '2025-03-14T09:00:00Z')).toBe('2025-03-14');
    expect(due('am Montag', monday)).toBe('2025-03-17');
    expect(due('next Monday', monday)).toBe('2025-03-17');
  });

  test('a year-less date a few months back is a mention, not a deadline; one long past means next year', () => {
    expect(read('we spoke on 3 March')).toBeNull();
    expect(due('by 3 February', '2025-11-10T09:00:00Z')).toBe('2026-02-03');
  });
});

describe('what is not a deadline', () => {
  test.each([
    ['not urgent, just gathering info'],
    ['no es urgente'],
    ['nicht dringend'],
    ["rien d'urgent"],
    ['For urgent issues call our hotline'],
    ['Guten Morgen, wir haben eine Frage'],
    ['por la mañana estamos en la oficina'],
    ['hoy en día usamos Excel'],
    ['24/7 monitoring'],
    ['Windows 10/11 laptops'],
    ['the server crashed since Monday'],
    ['lundi dernier'],
    ['desde el lunes'],
    ['we may need help'],
    ['---------- Forwarded message ---------\nDate: Mon, 3 Mar 2025 at 14:02\nGesendet: Dienstag, 4. März 2025\nhello'],
  ])('%j', (text) => {
    expect(read(text)).toBeNull();
  });
});

describe('time zones', () => {
  test("today is the lead's today: 23:30 UTC on Thursday is already Friday in Berlin", () => {
    expect(due('bis Freitag', '2025-03-13T23:30:00Z', 'Europe/Berlin')).toBe('2025-03-14');
    expect(
      urgencyOfTimeline({ text: 'bis Freitag', dueBy: '2025-03-14' }, '2025-03-13T23:30:00Z', 'Europe/Berlin'),
    ).toEqual({ days: 0, urgency: 'now' });
    expect(urgencyOfTimeline({ text: 'bis Freitag', dueBy: '2025-03-14' }, '2025-03-13T23:30:00Z')).toEqual({
      days: 1,
      urgency: 'now',
    });
  });

  test('numeric dates are month first in North American time zones, day first elsewhere', () => {
    expect(due('by 3/12', monday, 'America/New_York')).toBe('2025-03-12');
    expect(due('by 3/12', monday, 'Europe/London')).toBe('2025-12-03');
    expect(due('by 25/3', monday, 'America/Chicago')).toBe('2025-03-25');
  });

  test('bad input names the field', () => {
    expect(() => read('today', 'yesterday')).toThrow('receivedAt: not an ISO-8601 timestamp: "yesterday"');
    expect(() => read('today', monday, 'Mars/Olympus')).toThrow('timeZone: unknown IANA time zone "Mars/Olympus"');
  });
});

test('urgency from days after arrival: 0-1 now, up to 7 this week, up to 31 this month, else none', () => {
  expect([0, 1, 2, 7, 8, 31, 32, 400].map(urgencyForDays)).toEqual([
    'now',
    'now',
    'this-week',
    'this-week',
    'this-month',
    'this-month',
    'none',
    'none',
  ]);
});

describe('properties', () => {
  const phrases = [
    'asap',
    'today',
    'by Friday',
    'next week',
    'within 10 days',
    'by the 31st',
    'by 29 February',
    'Q1',
    'next quarter',
    'bis 31.12.',
    'le mois prochain',
    'el viernes',
    'end of month',
    'in 3 months',
    'this year',
  ];
  const instant = fc
    .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString());
  const zone = fc.constantFrom(
    undefined,
    'UTC',
    'Europe/Berlin',
    'America/Los_Angeles',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
  );
  const text = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc
      .array(fc.oneof(fc.constantFrom(...phrases), fc.string({ maxLength: 10 })), { maxLength: 5 })
      .map((w) => w.join(' ')),
  );

  test('the due date is never before the day the lead arrived, in its time zone', () => {
    fc.assert(
      fc.property(text, instant, zone, (t, at, z) => {
        const timeline = readTimeline(t, at, z);
        if (timeline) {
          expect(timeline.dueBy >= new Date(arrivalDay(at, z) * 86_400_000).toISOString().slice(0, 10)).toBe(true);
          expect(t).toContain(timeline.text);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
