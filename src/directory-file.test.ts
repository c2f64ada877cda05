// The directory file: the shipped one loads, single reps and teams validate, and mistakes are named by their place.
import fs from 'node:fs';
import path from 'node:path';
import {
  DirectoryFileError,
  parseDirectoryFile,
  RepSchema,
  TeamSchema,
  type DirectoryFileInput,
} from './directory-file';

// Read as the input shape so the breakages below can write wrong values on purpose.
const shipped = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'config', 'directory.json'), 'utf8'),
) as DirectoryFileInput;

test('the shipped demo directory is valid: reps in several time zones, every chain rep and backup known', () => {
  const file = parseDirectoryFile(shipped);
  expect(file.reps.length).toBeGreaterThan(10);
  expect(new Set(file.reps.map((r) => r.timeZone)).size).toBeGreaterThanOrEqual(5);
  expect(file.reps.some((r) => r.outOfOffice.some((w) => w.backupRepId))).toBe(true);
});

test('a rep written with only the basics gets the documented defaults', () => {
  const rep = RepSchema.parse({ id: 'zoe', name: 'Zoe', email: 'zoe@example.com', teamId: 'cloud' });
  expect(rep).toEqual({
    id: 'zoe',
    name: 'Zoe',
    email: 'zoe@example.com',
    teamId: 'cloud',
    active: true,
    away: false,
    timeZone: 'UTC',
    workingHours: {
      mon: ['09:00-17:00'],
      tue: ['09:00-17:00'],
      wed: ['09:00-17:00'],
      thu: ['09:00-17:00'],
      fri: ['09:00-17:00'],
    },
    holidays: null,
    outOfOffice: [],
    capacity: { total: null, perTier: {} },
    weight: 1,
  });
});

test('a day written as one range is stored as a list; split days and a 24:00 end are accepted', () => {
  const rep = RepSchema.parse({
    id: 'zoe',
    name: 'Zoe',
    email: 'zoe@example.com',
    teamId: 'cloud',
    workingHours: { mon: '08:00-16:00', tue: ['09:00-12:00', '13:00-24:00'] },
    outOfOffice: [{ from: '2026-12-01', until: '2026-12-03T12:00:00+01:00' }],
  });
  expect(rep.workingHours).toEqual({ mon: ['08:00-16:00'], tue: ['09:00-12:00', '13:00-24:00'] });
  expect(rep.outOfOffice).toEqual([{ from: '2026-12-01', until: '2026-12-03T12:00:00+01:00', backupRepId: null }]);
});

test.each([
  [{ timeZone: 'Mars/Olympus' }, 'timeZone', 'not an IANA time zone'],
  [{ workingHours: { mon: '9-5' } }, 'workingHours.mon', 'is not a time range like 09:00-17:00'],
  [{ workingHours: { mon: '17:00-09:00' } }, 'workingHours.mon', 'ends before it starts'],
  [
    { workingHours: { mon: ['09:00-13:00', '12:00-17:00'] } },
    'workingHours.mon',
    '09:00-13:00 and 12:00-17:00 overlap',
  ],
  [{ workingHours: {} }, 'workingHours', 'a rep works on at least one day'],
  [{ workingHours: { monday: '09:00-17:00' } }, 'workingHours', 'monday'],
  [{ holidays: { country: 'XX' } }, 'holidays.country', 'no holiday calendar for country XX'],
  [{ holidays: { country: 'US', state: 'ZZ' } }, 'holidays.state', 'no holiday calendar for state ZZ of US'],
  [{ holidays: { country: 'us' } }, 'holidays.country', 'alpha-2 code in capitals'],
  [{ outOfOffice: [{ from: '2026-12-05', until: '2026-12-01' }] }, 'outOfOffice.0.until', 'ends before it starts'],
  [{ outOfOffice: [{ from: 'next monday', until: '2026-12-01' }] }, 'outOfOffice.0.from', 'a date (2026-12-02)'],
  [{ capacity: { total: -1 } }, 'capacity.total', ''],
  [{ capacity: { perTier: { D: 1 } } }, 'capacity.perTier', 'D'],
  [{ weight: 0 }, 'weight', ''],
  [{ serviceLines: ['cloud-migration'] }, '', 'serviceLines'],
])('a bad rep field is refused naming it: %j', (overrides, field, message) => {
  const result = RepSchema.safeParse({
    id: 'zoe',
    name: 'Zoe',
    email: 'zoe@example.com',
    teamId: 'cloud',
    ...overrides,
  });
  expect(result.success).toBe(false);
  const issue = result.error?.issues.find((i) => i.path.join('.') === field);
  expect(issue).toBeDefined();
  expect(`${issue?.message} ${JSON.stringify(issue)}`).toContain(message);
});

test('a team no longer carries service lines or a default flag: both moved into the routing policy', () => {
  const team = { id: 'cloud', name: 'Cloud', alertEmail: 'ops@example.com' };
  expect(TeamSchema.parse(team)).toEqual({ ...team, escalation: [], catchAllRealertMinutes: 60 });
  expect(TeamSchema.safeParse({ ...team, serviceLines: [] }).success).toBe(false);
  expect(TeamSchema.safeParse({ ...team, isDefault: true }).success).toBe(false);
});

test.each([
  [(f: DirectoryFileInput) => (f.reps[0]!.teamId = 'nowhere'), 'reps.0.teamId: no team nowhere'],
  [
    (f: DirectoryFileInput) => (f.teams[0]!.escalation![0]!.repId = 'nobody'),
    'teams.0.escalation.0.repId: no rep nobody',
  ],
  [(f: DirectoryFileInput) => (f.reps[1]!.email = 'not-mail'), 'reps.1.email'],
  [(f: DirectoryFileInput) => (f.reps[2]!.id = f.reps[0]!.id), 'reps.2.id: rep ana is listed twice'],
  [(f: DirectoryFileInput) => (f.teams[1]!.id = f.teams[0]!.id), 'teams.1.id: team cloud is listed twice'],
  [
    (f: DirectoryFileInput) =>
      (f.reps[0]!.outOfOffice = [{ from: '2026-12-01', until: '2026-12-02', backupRepId: 'ghost' }]),
    'reps.0.outOfOffice.0.backupRepId: no rep ghost',
  ],
  [
    (f: DirectoryFileInput) =>
      (f.reps[0]!.outOfOffice = [{ from: '2026-12-01', until: '2026-12-02', backupRepId: 'ana' }]),
    'reps.0.outOfOffice.0.backupRepId: a rep cannot be their own backup',
  ],
  [(f: DirectoryFileInput) => (f.reps[3]!.timeZone = 'Chicago'), 'reps.3.timeZone: not an IANA time zone'],
  [(f: DirectoryFileInput) => (f.teams = []), 'teams:'],
])('a broken file is refused naming the place: %#', (breakIt, message) => {
  const copy = structuredClone(shipped);
  breakIt(copy);
  expect(() => parseDirectoryFile(copy)).toThrow(DirectoryFileError);
  expect(() => parseDirectoryFile(copy)).toThrow(message);
});
