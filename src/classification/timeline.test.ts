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
    ['live by 3 December', 'by 3 December', '2025-12-03'],
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
    ['für in zwei Wochen', '2025-03-24'],
    ['Il nous faut une offre avant Noël.', '2025-12-24'],
    ['Noël approche, merci de répondre vite', '2025-12-24'],
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

// Five phrases or more per language, of the kinds the old hand parser missed, each read against its own arrival.
describe('chrono-node reads the dates, our rules the rest, in four languages', () => {
  const wednesday = '2025-03-12T10:00:00Z'; // Wednesday 12 March 2025
  const saturday = '2025-06-21T10:00:00Z'; // Saturday 21 June 2025
  const lateInMonth = '2025-10-24T09:00:00Z'; // Friday 24 October 2025
  test.each([
    // "Next week" is read as its Monday even beside a weekday: the same urgency as the Tuesday meant.
    ['en', 'can we talk Tuesday or Wednesday next week?', wednesday, '2025-03-18'],
    ['en', 'we want to start in 3-4 weeks', wednesday, '2025-04-02'],
    ['en', 'needs to be live by mid-April', wednesday, '2025-04-15'],
    ['en', 'quote within 5 business days please', lateInMonth, '2025-10-31'],
    ['en', 'call me back Monday', saturday, '2025-06-23'],
    ['en', 'kickoff on Tuesday the 1st', '2025-06-26T09:00:00Z', '2025-07-01'],
    ['en', 'due before 20/3', wednesday, '2025-03-20'],
    ['de', 'Entscheidung bis Mitte des Monats', '2025-10-06T08:00:00Z', '2025-10-15'],
    ['de', 'Workshop in vierzehn Tagen?', wednesday, '2025-03-26'],
    ['de', 'Angebot bis Ende nächster Woche', wednesday, '2025-03-21'],
    ['de', 'Start in den nächsten 3-4 Wochen', wednesday, '2025-04-02'],
    ['de', 'Termin am Donnerstag, den 20.', wednesday, '2025-03-20'],
    ['de', 'Rückmeldung innerhalb von 3 Werktagen', lateInMonth, '2025-10-29'],
    ['de', 'Das Audit ist am 2. April', wednesday, '2025-04-02'],
    ['fr', 'un point jeudi ?', wednesday, '2025-03-13'],
    ['fr', 'une proposition avant mercredi prochain', '2025-11-07T10:00:00Z', '2025-11-12'],
    ['fr', "le projet démarre d'ici trois semaines", wednesday, '2025-04-02'],
    ['fr', 'migration terminée fin avril', wednesday, '2025-04-30'],
    ['fr', 'réponse sous 10 jours ouvrés', wednesday, '2025-03-26'],
    ['fr', 'nouveau bureau lundi en huit', lateInMonth, '2025-11-03'],
    ['es', 'una llamada el jueves o el viernes', wednesday, '2025-03-13'],
    ['es', 'empezar en dos o tres semanas', wednesday, '2025-03-26'],
    ['es', 'arrancar a mediados de mes', '2025-08-04T09:00:00Z', '2025-08-15'],
    ['es', 'antes del 15/07, por favor', '2025-06-09T15:00:00Z', '2025-07-15'],
    ['es', 'en los próximos 5 días hábiles', '2026-01-21T09:00:00Z', '2026-01-28'],
    ['es', 'el martes que viene', wednesday, '2025-03-18'],
  ])('%s: %j arriving %s → due %s', (_lang, text, at, dueBy) => {
    expect(due(text, at)).toBe(dueBy);
  });

  test('a date right after its weekday is the date, not the weekday', () => {
    expect(read('Passt Ihnen Montag, der 7. April?', wednesday)).toEqual({ text: '7. April', dueBy: '2025-04-07' });
  });

  test('a complaint about a bill names no deadline', () => {
    const june = '2025-06-05T10:00:00Z';
    expect(read('We were invoiced twice for May, invoice 2025-0412 and 2025-0419. Please credit one.', june)).toBe(
      null,
    );
    expect(due('We want to start in July', june)).toBe('2025-07-01');
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
    ['el lunes pasado'],
    ['letzten Freitag'],
    ['we spoke this morning'],
    ['Termin um 10 Uhr'],
    ['we may need help'],
    ['We need a consultant for a week to review our firewall rules'],
    ['wir brauchen jemanden für eine Woche vor Ort'],
    ['un consultant pendant une semaine'],
    ['un consultor durante una semana'],
    ['Hi, Noël Dupont here from Lyon, we want to move our mail to Microsoft 365'],
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

describe('a day of next week is that day, not the coming one (arriving on Monday 10 March 2025)', () => {
  test.each([
    ['Could we meet Tuesday or Wednesday next week?', 'Tuesday or Wednesday next week', '2025-03-18'],
    ['a call next week on Thursday', 'next week on Thursday', '2025-03-20'],
    ['Können wir nächste Woche Dienstag telefonieren?', 'nächste Woche Dienstag', '2025-03-18'],
    [
      'am Dienstag oder Mittwoch in der nächsten Woche',
      'am Dienstag oder Mittwoch in der nächsten Woche',
      '2025-03-18',
    ],
    ['mardi ou mercredi de la semaine prochaine', 'mardi ou mercredi de la semaine prochaine', '2025-03-18'],
    ['¿el martes de la semana que viene?', 'el martes de la semana que viene', '2025-03-18'],
  ])('%j → %j due %s', (text, phrase, dueBy) => {
    expect(read(text)).toEqual({ text: phrase, dueBy });
  });

  test('a weekday and next week apart are two deadlines, the earlier counts', () => {
    expect(read('Call me Tuesday, and next week we sign.')).toEqual({ text: 'Tuesday,', dueBy: '2025-03-11' });
  });
});
