// After the candidates: the escalation chain's levels and SLAs, managers skipped or replaced, the catch-all queue.
import type { Directory } from './directory';
import { directory, lead, policyOf, rep, route, team } from './test-fixtures';

describe('escalation and catch-all', () => {
  test('escalation stages follow the candidates, levels 1..n; the catch-all sits above with the team alert address', () => {
    const { plan } = route();
    expect(plan.stages.map((s) => [s.kind, s.level, s.repIds[0]])).toEqual([
      ['candidate', 0, 'ana'],
      ['candidate', 0, 'ben'],
      ['candidate', 0, 'eli'],
      ['escalation', 1, 'mgr'],
      ['escalation', 2, 'head'],
    ]);
    expect(plan.catchAll).toMatchObject({
      kind: 'catch-all',
      level: 3,
      sla: { ms: 60 * 60_000 },
      alertEmail: 'cloud-ops@leadrelay.test',
    });
    // cleo is away but still active: anyone active may claim from the queue; dev is deactivated and may not.
    expect([...plan.catchAll.repIds].sort()).toEqual(['ana', 'ben', 'cleo', 'eli', 'head', 'mgr']);
  });

  test('each level says why it was reached: the candidates before it, the levels before it, or nobody to offer', () => {
    const { plan } = route();
    expect(plan.stages.filter((s) => s.kind === 'escalation').map((s) => s.why)).toEqual([
      'escalation level 1: the 3 candidates before declined or let the SLA pass',
      'escalation level 2: the levels before let it pass',
    ]);
    // Every rep of the team away: the manager is the first anyone hears of the lead, and is told so.
    const deserted: Directory = {
      teams: [team('cloud', { escalation: [{ repId: 'mgr', slaMinutes: 15 }] }), team('leadership')],
      reps: [rep('ana', 'cloud', { away: true }), rep('mgr', 'leadership')],
    };
    const alone = route({ directory: deserted }).plan;
    expect(alone.stages.map((s) => [s.kind, s.why])).toEqual([
      ['escalation', 'escalation level 1: no candidate could be offered it (see the routing explanation)'],
    ]);
  });

  test('unavailable managers are skipped with reasons; managers outside their hours are still asked', () => {
    const chain: Directory = {
      teams: [
        team('cloud', {
          escalation: [
            { repId: 'mgr', slaMinutes: 15 },
            { repId: 'ghost', slaMinutes: 20 },
            { repId: 'vp', slaMinutes: 25 },
            { repId: 'head', slaMinutes: 30 },
          ],
        }),
      ],
      reps: [
        rep('ana', 'cloud'),
        rep('mgr', 'cloud', { away: true }),
        rep('vp', 'cloud', { outOfOffice: [{ from: '2026-11-01', until: '2026-11-30', backupRepId: 'head' }] }),
        rep('head', 'cloud', { timeZone: 'Asia/Tokyo', workingHours: { mon: '09:00-10:00' } }),
      ],
    };
    const { plan } = route({
      directory: chain,
      policy: policyOf('sla:\n  - name: any\n    within: 1 hour\ndefault:\n  team: cloud\n  strategy: least-loaded\n'),
    });
    expect(plan.stages.filter((s) => s.kind === 'escalation').map((s) => [s.level, s.repIds[0], s.sla.ms])).toEqual([
      [1, 'head', 25 * 60_000],
    ]);
    expect(plan.explanation.excluded).toEqual(
      expect.arrayContaining([
        { repId: 'mgr', role: 'escalation', code: 'away', reason: 'escalation: away' },
        { repId: 'ghost', role: 'escalation', code: 'not-in-directory', reason: 'escalation: not in the directory' },
        {
          repId: 'vp',
          role: 'escalation',
          code: 'out-of-office',
          reason: 'escalation: out of office until 2026-11-30; backup head takes their place',
        },
      ]),
    );
    expect(plan.catchAll.level).toBe(2);
  });

  test('a team with nobody available still escalates', () => {
    const { plan } = route({
      lead: lead({ serviceLine: 'managed-it' }),
      directory: {
        ...directory,
        reps: directory.reps.map((r) => (r.id === 'gia' ? rep('gia', 'general', { away: true }) : r)),
      },
    });
    expect(plan.stages.map((s) => [s.kind, s.repIds[0]])).toEqual([['escalation', 'head']]);
    expect(plan.explanation.candidates).toEqual([]);
  });
});
