// Every reason a rep is not offered a lead, in words: deactivated, away, out of office (dates and instants, in the
// rep's zone), holidays, working hours; and a backup who cannot stand in either.
import type { RepInput } from '../directory-file';
import type { Directory } from './directory';
import { candidateIds, exclusionOf, monday, rep, route, team } from './test-fixtures';

describe('availability', () => {
  function alone(overrides: Partial<RepInput>, now = monday) {
    const dir: Directory = {
      teams: [team('cloud'), team('leadership')],
      reps: [rep('ana', 'cloud', overrides), rep('ben', 'cloud')],
    };
    return route({ directory: dir, now }).plan;
  }

  test.each([
    ['deactivated', { active: false }, monday, 'deactivated'],
    ['away', { away: true }, monday, 'away'],
    [
      'out of office (dates)',
      { outOfOffice: [{ from: '2026-11-20', until: '2026-12-02' }] },
      monday,
      'out of office until 2026-12-02',
    ],
    [
      'out of office (instants)',
      { timeZone: 'Europe/Berlin', outOfOffice: [{ from: '2026-11-20T08:00:00Z', until: '2026-12-02T13:00:00Z' }] },
      monday,
      'out of office until 2026-12-02 14:00 Europe/Berlin',
    ],
    [
      'on a national holiday',
      { timeZone: 'America/Chicago', holidays: { country: 'US', state: 'IL' } },
      Date.parse('2026-11-26T16:00:00Z'),
      'holiday: Thanksgiving Day (US)',
    ],
    [
      'on a state holiday',
      { timeZone: 'America/Chicago', holidays: { country: 'US', state: 'IL' } },
      Date.parse('2026-02-12T16:00:00Z'),
      "holiday: Lincoln's Birthday (US-IL)",
    ],
    [
      'outside working hours',
      { timeZone: 'America/Chicago', workingHours: { mon: '08:00-17:00' } },
      Date.parse('2026-11-24T01:40:00Z'),
      'outside working hours: 19:40 America/Chicago',
    ],
    [
      'on a day off',
      { timeZone: 'Europe/London', workingHours: { tue: '09:00-17:00' } },
      monday,
      'outside working hours: 15:00 Europe/London',
    ],
  ])('a rep who is %s is excluded with the reason in words', (_, overrides, now, reason) => {
    const plan = alone(overrides, now);
    expect(candidateIds(plan)).toEqual(['ben']);
    expect(exclusionOf(plan, 'ana')).toBe(reason);
  });

  test('the out-of-office window includes its last day in the rep’s zone and ends after it', () => {
    const window = { timeZone: 'America/Chicago', outOfOffice: [{ from: '2026-11-20', until: '2026-11-23' }] };
    // 23:30 on the 23rd in Chicago is 05:30Z on the 24th: still away.
    expect(exclusionOf(alone(window, Date.parse('2026-11-24T05:30:00Z')), 'ana')).toBe(
      'out of office until 2026-11-23',
    );
    expect(exclusionOf(alone(window, Date.parse('2026-11-24T06:30:00Z')), 'ana')).toBeUndefined();
  });

  test('a working-hours split and a rep inside them', () => {
    const split = { timeZone: 'Europe/London', workingHours: { mon: ['09:00-12:30', '13:30-18:00'] } };
    expect(candidateIds(alone(split, Date.parse('2026-11-23T13:00:00Z')))).toEqual(['ben']);
    expect(candidateIds(alone(split, Date.parse('2026-11-23T14:00:00Z')))).toEqual(['ana', 'ben']);
  });

  test('a backup who is unavailable too leaves the place empty, and says why', () => {
    const dir: Directory = {
      teams: [team('cloud')],
      reps: [
        rep('ana', 'cloud', { outOfOffice: [{ from: '2026-11-20', until: '2026-12-02', backupRepId: 'ben' }] }),
        rep('ben', 'cloud', { away: true }),
      ],
    };
    const { plan } = route({ directory: dir });
    expect(candidateIds(plan)).toEqual([]);
    expect(exclusionOf(plan, 'ana')).toBe('out of office until 2026-12-02; backup ben is unavailable too: away');
  });
});
