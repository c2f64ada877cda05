// Routing plans: which team, who is offered the lead in which order, the escalation chain, and the reasons.
import fc from 'fast-check';
import type { Qualification, ServiceLine, Tier } from './qualification';
import { describeRouting, planRouting, RoutingError, type Directory, type Rep, type RoutingPlan, type Team } from './routing';

function qualification(overrides: Partial<Qualification> = {}): Qualification {
  return { score: 80, tier: 'A', urgency: 'now', serviceLine: 'cloud-migration', spam: false, parts: [], ...overrides };
}

function rep(id: string, teamId: string, overrides: Partial<Rep> = {}): Rep {
  return { id, name: id.toUpperCase(), email: `${id}@leadrelay.test`, teamId, active: true, away: false, openOffers: 0, ...overrides };
}

function team(id: string, overrides: Partial<Team> = {}): Team {
  return { id, name: id.toUpperCase(), serviceLines: [], isDefault: false, escalation: [], alertEmail: `${id}-ops@leadrelay.test`, catchAllRealertMinutes: 60, ...overrides };
}

const directory: Directory = {
  teams: [
    team('cloud', { name: 'Cloud', serviceLines: ['cloud-migration', 'data-analytics'], escalation: [{ repId: 'mgr', slaMinutes: 15 }, { repId: 'head', slaMinutes: 30 }] }),
    team('secure', { name: 'Security', serviceLines: ['cybersecurity'], escalation: [{ repId: 'head', slaMinutes: 45 }] }),
    team('general', { name: 'General', isDefault: true, escalation: [{ repId: 'head', slaMinutes: 20 }], catchAllRealertMinutes: 90 }),
  ],
  reps: [
    // Listed out of id order, so the id tie-break between eli and ben is visible.
    rep('eli', 'cloud', { openOffers: 0 }),
    rep('ana', 'cloud', { openOffers: 2 }),
    rep('cleo', 'cloud', { away: true }),
    rep('dev', 'cloud', { active: false }),
    rep('ben', 'cloud', { openOffers: 0 }),
    rep('sam', 'secure'),
    rep('gus', 'general'),
    rep('mgr', 'leadership'),
    rep('head', 'leadership'),
  ],
};

function plan(overrides: { qualification?: Partial<Qualification>; knownOwnerRepId?: string | null; directory?: Directory } = {}) {
  return planRouting({ qualification: qualification(overrides.qualification), knownOwnerRepId: overrides.knownOwnerRepId ?? null, directory: overrides.directory ?? directory });
}

const candidateIds = (p: ReturnType<typeof plan>) => p.stages.filter((s) => s.kind === 'candidate').map((s) => s.repIds[0]);

describe('team choice', () => {
  test.each([
    ['cloud-migration', 'cloud'],
    ['data-analytics', 'cloud'],
    ['cybersecurity', 'secure'],
  ] as const)('%s goes to the team that serves it (%s)', (serviceLine, teamId) => {
    const p = plan({ qualification: { serviceLine } });
    expect(p.teamId).toBe(teamId);
    expect(p.explanation.rule).toContain(`service line ${serviceLine} → team`);
  });

  test('a service line no team serves goes to the default team', () => {
    const p = plan({ qualification: { serviceLine: 'managed-it' } });
    expect(p.teamId).toBe('general');
    expect(p.explanation.rule).toBe('no team serves managed-it → default team General');
    expect(candidateIds(p)).toEqual(['gus']);
  });

  test('with no serving team and no default team, routing fails naming the service line', () => {
    const noDefault = { ...directory, teams: directory.teams.filter((t) => !t.isDefault) };
    expect(() => plan({ qualification: { serviceLine: 'support' }, directory: noDefault })).toThrow(RoutingError);
    expect(() => plan({ qualification: { serviceLine: 'support' }, directory: noDefault })).toThrow(/support/);
  });
});

describe('candidates', () => {
  test('available team reps are offered by fewest open offers, then rep id', () => {
    expect(candidateIds(plan())).toEqual(['ben', 'eli', 'ana']);
  });

  test('away and deactivated reps are excluded with the reason', () => {
    const p = plan();
    expect(p.explanation.excluded).toEqual([
      { repId: 'cleo', reason: 'away' },
      { repId: 'dev', reason: 'deactivated' },
    ]);
  });

  test('the known owner is offered first when active and not away', () => {
    const p = plan({ knownOwnerRepId: 'ana' });
    expect(candidateIds(p)).toEqual(['ana', 'ben', 'eli']);
    expect(p.explanation.candidates).toEqual(["ana (known contact's owner)", 'ben', 'eli']);
  });

  test('a known owner from another team is still offered first', () => {
    expect(candidateIds(plan({ knownOwnerRepId: 'sam' }))).toEqual(['sam', 'ben', 'eli', 'ana']);
  });

  test.each([
    ['cleo', 'known owner away'],
    ['dev', 'known owner deactivated'],
  ])('a known owner who is unavailable (%s) is skipped with "%s"', (owner, reason) => {
    const p = plan({ knownOwnerRepId: owner });
    expect(candidateIds(p)).toEqual(['ben', 'eli', 'ana']);
    expect(p.explanation.excluded).toContainEqual({ repId: owner, reason });
    expect(p.explanation.excluded.filter((e) => e.repId === owner)).toHaveLength(1);
  });

  test('a known owner missing from the directory is reported, not offered', () => {
    const p = plan({ knownOwnerRepId: 'ghost' });
    expect(candidateIds(p)).toEqual(['ben', 'eli', 'ana']);
    expect(p.explanation.excluded).toContainEqual({ repId: 'ghost', reason: 'known owner is not in the directory' });
  });

  test('candidate SLA follows the tier', () => {
    const tiers: Array<[Tier, number]> = [
      ['A', 5],
      ['B', 60],
      ['C', 240],
    ];
    for (const [tier, minutes] of tiers) {
      const stages = plan({ qualification: { tier } }).stages.filter((s) => s.kind === 'candidate');
      expect(stages.length).toBeGreaterThan(0);
      for (const stage of stages) expect(stage).toMatchObject({ level: 0, slaMs: minutes * 60_000 });
    }
  });
});

describe('escalation and catch-all', () => {
  test('escalation stages follow the candidates, levels 1..n, each with its own SLA', () => {
    const p = plan();
    expect(p.stages.map((s) => s.kind)).toEqual(['candidate', 'candidate', 'candidate', 'escalation', 'escalation']);
    expect(p.stages.slice(3)).toEqual([
      { kind: 'escalation', level: 1, repIds: ['mgr'], slaMs: 15 * 60_000, why: 'escalation level 1: every earlier candidate declined or let the SLA pass' },
      { kind: 'escalation', level: 2, repIds: ['head'], slaMs: 30 * 60_000, why: 'escalation level 2: every earlier candidate declined or let the SLA pass' },
    ]);
  });

  test('the catch-all sits one level above the chain; the chain and the team\'s active reps may claim', () => {
    const p = plan();
    expect(p.catchAll).toEqual({
      kind: 'catch-all',
      level: 3,
      repIds: expect.any(Array) as unknown,
      slaMs: 60 * 60_000,
      why: 'catch-all queue: the whole escalation chain let the lead pass',
      alertEmail: 'cloud-ops@leadrelay.test',
    });
    // cleo is away but still active: anyone active may claim from the queue; dev is deactivated and may not.
    expect([...p.catchAll.repIds].sort()).toEqual(['ana', 'ben', 'cleo', 'eli', 'head', 'mgr']);
  });

  test('a team with no chain goes straight to the catch-all at level 1', () => {
    const flat = { ...directory, teams: directory.teams.map((t) => (t.id === 'cloud' ? { ...t, escalation: [] } : t)) };
    const p = plan({ directory: flat });
    expect(p.stages.every((s) => s.kind === 'candidate')).toBe(true);
    expect(p.catchAll.level).toBe(1);
  });

  test('a team with nobody available still escalates', () => {
    const p = plan({ qualification: { serviceLine: 'managed-it' }, directory: { ...directory, reps: directory.reps.map((r) => (r.id === 'gus' ? { ...r, away: true } : r)) } });
    expect(p.stages).toEqual([{ kind: 'escalation', level: 1, repIds: ['head'], slaMs: 20 * 60_000, why: 'escalation level 1: every earlier candidate declined or let the SLA pass' }]);
    expect(p.explanation.candidates).toEqual([]);
  });
});

describe('describeRouting', () => {
  test('reads as the rule, candidates, exclusions with reasons, and the chain', () => {
    expect(describeRouting(plan({ knownOwnerRepId: 'ana' }))).toBe(
      'Rule: service line cloud-migration → team Cloud. ' +
        "Candidates: ana (known contact's owner), ben, eli (known owner first, then fewest open offers, then rep id). " +
        'Excluded: cleo: away; dev: deactivated. ' +
        'Escalation: mgr → head → catch-all (cloud-ops@leadrelay.test).',
    );
  });

  test('says none when nobody is excluded, offered or escalated to', () => {
    const empty: Directory = { teams: [team('solo', { isDefault: true, alertEmail: 'ops@leadrelay.test' })], reps: [] };
    const text = describeRouting(plan({ directory: empty }));
    expect(text).toContain('Candidates: none (');
    expect(text).toContain('Excluded: none.');
    expect(text).toContain('Escalation: none → catch-all (ops@leadrelay.test).');
  });

  test('every excluded rep appears with its reason', () => {
    const text = describeRouting(plan({ knownOwnerRepId: 'cleo' }));
    expect(text).toContain('cleo: known owner away');
    expect(text).toContain('dev: deactivated');
  });
});

describe('properties over generated directories', () => {
  const lines: ServiceLine[] = ['cloud-migration', 'data-analytics', 'cybersecurity', 'managed-it', 'support', 'other'];

  // 1–3 teams, the first the default, each serving a few service lines; reps spread over them and an
  // outside "leadership" team, with random availability and load.
  const directoryArb = fc
    .integer({ min: 1, max: 3 })
    .chain((teamCount) => {
      const teamIds = Array.from({ length: teamCount }, (_, i) => `team${i}`);
      const teamArb = (id: string, index: number) =>
        fc.record({
          serviceLines: fc.subarray(lines),
          escalation: fc.array(fc.record({ repId: fc.constantFrom('mgr', 'head', 'cto'), slaMinutes: fc.integer({ min: 1, max: 600 }) }), { maxLength: 3 }),
          catchAllRealertMinutes: fc.integer({ min: 1, max: 600 }),
        }).map((t): Team => ({ ...t, id, name: id, isDefault: index === 0, alertEmail: `${id}@leadrelay.test` }));
      const repArb = fc.record({
        teamId: fc.constantFrom(...teamIds, 'leadership'),
        active: fc.boolean(),
        away: fc.boolean(),
        openOffers: fc.integer({ min: 0, max: 5 }),
      });
      return fc.record({
        teams: fc.tuple(...teamIds.map(teamArb)),
        reps: fc.array(repArb, { maxLength: 12 }).map((reps) => reps.map((r, i) => rep(`r${String(i).padStart(2, '0')}`, r.teamId, r))),
      });
    })
    .map((d): Directory => ({ teams: [...d.teams], reps: d.reps }));

  const inputArb = directoryArb.chain((dir) =>
    fc.record({
      directory: fc.constant(dir),
      qualification: fc.record({ serviceLine: fc.constantFrom(...lines), tier: fc.constantFrom<Tier>('A', 'B', 'C') }).map((q) => qualification(q)),
      knownOwnerRepId: fc.oneof(fc.constant(null), fc.constant('nobody'), ...(dir.reps.length ? [fc.constantFrom(...dir.reps.map((r) => r.id))] : [])),
    }),
  );

  const run = (check: (input: Parameters<typeof planRouting>[0], p: RoutingPlan) => void) =>
    fc.assert(fc.property(inputArb, (input) => check(input, planRouting(input))), { numRuns: 500 });

  test('no away or deactivated rep is ever a candidate', () => {
    run(({ directory: dir }, p) => {
      for (const stage of p.stages.filter((s) => s.kind === 'candidate')) {
        const r = dir.reps.find((x) => x.id === stage.repIds[0]);
        expect(r).toMatchObject({ active: true, away: false });
      }
    });
  });

  test('every rep of the chosen team is a candidate or excluded with a reason, never both', () => {
    run(({ directory: dir }, p) => {
      const candidates = new Set(p.stages.filter((s) => s.kind === 'candidate').map((s) => s.repIds[0]));
      for (const r of dir.reps.filter((x) => x.teamId === p.teamId)) {
        const exclusions = p.explanation.excluded.filter((e) => e.repId === r.id);
        expect(exclusions.length + (candidates.has(r.id) ? 1 : 0)).toBe(1);
        for (const e of exclusions) expect(e.reason).not.toBe('');
      }
    });
  });

  test('candidates are ordered by open offers, ignoring a leading known owner', () => {
    run(({ directory: dir, knownOwnerRepId }, p) => {
      let ids = p.stages.filter((s) => s.kind === 'candidate').map((s) => s.repIds[0]);
      if (knownOwnerRepId !== null && ids[0] === knownOwnerRepId) ids = ids.slice(1);
      const loads = ids.map((id) => dir.reps.find((r) => r.id === id)?.openOffers ?? -1);
      expect(loads).toEqual([...loads].sort((a, b) => a - b));
    });
  });

  test("the explanation's candidates are the candidate stages, in order", () => {
    run((_, p) => {
      const stageIds = p.stages.filter((s) => s.kind === 'candidate').map((s) => s.repIds[0]);
      expect(p.explanation.candidates.map((c) => c.replace(" (known contact's owner)", ''))).toEqual(stageIds);
    });
  });

  test('stage levels never go down and the catch-all is above them all', () => {
    run((_, p) => {
      const levels = p.stages.map((s) => s.level);
      expect(levels).toEqual([...levels].sort((a, b) => a - b));
      for (const level of levels) expect(p.catchAll.level).toBeGreaterThan(level);
    });
  });
});

describe('an escalation chain with unavailable managers', () => {
  const withGaps: Directory = {
    teams: [team('cloud', { isDefault: true, serviceLines: ['cloud-migration'], escalation: [{ repId: 'mgr', slaMinutes: 15 }, { repId: 'ghost', slaMinutes: 20 }, { repId: 'head', slaMinutes: 30 }] })],
    reps: [rep('ana', 'cloud'), rep('mgr', 'leadership', { away: true }), rep('head', 'leadership')],
  };

  test('skips an away manager and one missing from the directory, with reasons, and numbers the levels it keeps', () => {
    const p = plan({ directory: withGaps });
    expect(p.stages.filter((s) => s.kind === 'escalation').map((s) => [s.level, s.repIds[0], s.slaMs])).toEqual([[1, 'head', 30 * 60_000]]);
    expect(p.explanation.excluded).toEqual(
      expect.arrayContaining([
        { repId: 'mgr', reason: 'escalation: away' },
        { repId: 'ghost', reason: 'escalation: not in the directory' },
      ]),
    );
    expect(p.catchAll.level).toBe(2);
    expect(p.catchAll.repIds).not.toContain('ghost');
    expect(p.catchAll.repIds).not.toContain('mgr');
  });
});

test("each candidate stage says why that rep: the owner as owner, others by load, even when ids share a prefix", () => {
  const prefixes: Directory = {
    teams: [team('cloud', { isDefault: true, serviceLines: ['cloud-migration'] })],
    reps: [rep('ana', 'cloud', { openOffers: 1 }), rep('anabel', 'cloud')],
  };
  const p = plan({ directory: prefixes, knownOwnerRepId: 'anabel' });
  expect(p.stages.map((s) => [s.repIds[0], s.why])).toEqual([
    ['anabel', "anabel is the known contact's owner — service line cloud-migration → team CLOUD"],
    ['ana', 'ana, 1 open offer(s) — service line cloud-migration → team CLOUD'],
  ]);
});
