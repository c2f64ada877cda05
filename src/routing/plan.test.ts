// Routing plans from a policy: rule choice, SLAs, the plan as plain data, and properties that hold for any
// directory, load and strategy.
import fc from 'fast-check';
import Holidays from 'date-holidays';
import type { Rep } from '../directory-file';
import type { RoutingLead } from '../policy/lead-attributes';
import { PolicySchema } from '../policy/policy-schema';
import type { LoadByRep } from './availability';
import { slaDeadline } from './business-time';
import type { Directory } from './directory';
import { emptyLedger } from './fairness-ledger';
import { planRouting, RoutingError, type PlanRoutingInput, type RoutingPlan } from './plan';
import { candidateIds, directory, lead, policy, rep, route, team } from './test-fixtures';
import { beliefsFrom, EvidenceTallies } from '../learning/posterior';

describe('rules', () => {
  test.each([
    ['service line', { serviceLine: 'support' }, 'support', 'support', 'service line support is in [support]'],
    [
      'company size (min)',
      { serviceLine: 'cybersecurity', companySize: 1200 },
      'enterprise security',
      'secure',
      'service line cybersecurity is in [cybersecurity]; company size 1200 is ≥ 500',
    ],
    [
      'territory and source',
      { serviceLine: 'other', country: 'AT', region: 'emea', source: 'partner-api' },
      'dach partners',
      'support',
      'country AT is in territory dach; source partner-api is in [partner-api]',
    ],
    ['region', { serviceLine: 'other', region: 'apac', country: 'SG' }, 'apac', 'cloud', 'region apac is in [apac]'],
    [
      'country, urgency and tier',
      { serviceLine: 'other', region: 'emea', country: 'FR', urgency: 'now' },
      'french hot leads',
      'secure',
      'country FR is in [FR]; urgency now is in [now, this-week]; tier A is in [A]',
    ],
    [
      'company size (max)',
      { serviceLine: 'other', companySize: 12 },
      'small companies',
      'support',
      'company size 12 is ≤ 49',
    ],
    [
      'no existing owner',
      { serviceLine: 'managed-it' },
      'new logos',
      'general',
      'service line managed-it is in [managed-it]; nobody owns the contact or account yet',
    ],
    [
      'an existing owner',
      { serviceLine: 'other', accountOwnerRepId: 'gia' },
      'known accounts',
      'general',
      'has an owner (account owner gia)',
    ],
  ])('a rule on %s routes the lead and says why', (_, overrides, ruleName, teamId, why) => {
    const { plan } = route({ lead: lead(overrides as Partial<RoutingLead>) });
    expect(plan.explanation.ruleName).toBe(ruleName);
    expect(plan.teamId).toBe(teamId);
    expect(plan.explanation.rule).toBe(`rule "${ruleName}" → team ${teamId.toUpperCase()}: ${why}`);
  });

  test('rules are tried in order and the trace says why each earlier one passed', () => {
    const { plan } = route({ lead: lead({ serviceLine: 'other', region: 'apac', country: 'SG', companySize: null }) });
    expect(plan.explanation.ruleTrace).toEqual([
      { rule: 'support', matched: false, why: 'service line other is not in [support]' },
      { rule: 'enterprise security', matched: false, why: 'service line other is not in [cybersecurity]' },
      { rule: 'security', matched: false, why: 'service line other is not in [cybersecurity]' },
      { rule: 'cloud', matched: false, why: 'service line other is not in [cloud-migration, data-analytics]' },
      { rule: 'dach partners', matched: false, why: 'country SG is in no territory of [dach]' },
      { rule: 'apac', matched: true, why: 'region apac is in [apac]' },
    ]);
  });

  test('unknown values never match: a lead without company size skips size rules', () => {
    const { plan } = route({ lead: lead({ serviceLine: 'cybersecurity', companySize: null }) });
    expect(plan.explanation.ruleName).toBe('security');
    expect(plan.explanation.ruleTrace[1]).toEqual({
      rule: 'enterprise security',
      matched: false,
      why: 'company size unknown, rule needs ≥ 500',
    });
  });

  test('a lead no rule matches goes to the default, and the explanation says so', () => {
    const { plan } = route({
      lead: lead({
        serviceLine: 'other',
        region: 'latam',
        country: 'BR',
        companySize: 300,
        urgency: 'none',
        tier: 'C',
      }),
    });
    expect(plan.teamId).toBe('general');
    expect(plan.explanation.ruleName).toBeNull();
    expect(plan.explanation.rule).toBe('policy default → team GENERAL: no rule matched, so the policy default applies');
  });

  test('no matching rule and no default is a misconfiguration, named with the lead and the policy version', () => {
    const strict = { ...policy, default: null };
    const call = () =>
      route({
        policy: strict,
        lead: lead({ serviceLine: 'other', region: 'latam', country: 'BR', tier: 'C', urgency: 'none' }),
      });
    expect(call).toThrow(RoutingError);
    expect(call).toThrow(
      'no rule of policy v7 matches the lead (service line other, tier C, urgency none, region latam, country BR, source web-form, company size 200) and the policy has no default',
    );
  });

  test('a rule that names a team missing from the directory is a misconfiguration', () => {
    const noCloud = { ...directory, teams: directory.teams.filter((t) => t.id !== 'cloud') };
    try {
      route({ directory: noCloud });
      throw new Error('expected a RoutingError');
    } catch (error) {
      expect(error).toBeInstanceOf(RoutingError);
      expect(error).toMatchObject({
        code: 'unknown-team',
        message: 'rule "cloud" of policy v7 routes to team cloud, which is not in the directory',
      });
    }
  });

  test('a malformed lead is refused naming the field', () => {
    expect(() => route({ lead: lead({ tier: 'D' as never }) })).toThrow('lead.tier must be one of A, B, C (got "D")');
    expect(() => route({ lead: lead({ companySize: -3 }) })).toThrow('lead.companySize');
  });
});

describe('SLA', () => {
  test.each([
    [{ tier: 'A' as const }, 'hot', 5 * 60_000],
    [{ tier: 'B' as const, urgency: 'now' as const }, 'urgent', 15 * 60_000],
    [{ tier: 'B' as const }, 'warm', 60 * 60_000],
  ])('first offers take the SLA of the first matching entry: %j → %s', (overrides, name, ms) => {
    const { plan } = route({ lead: lead(overrides) });
    expect(plan.explanation.sla.name).toBe(name);
    for (const stage of plan.stages.filter((s) => s.kind === 'candidate'))
      expect(stage).toMatchObject({ sla: { ms, businessHours: null } });
  });

  test("a cold lead gets one business day of the offered rep's own working time: Friday 16:00 to Monday 16:00", () => {
    const chicago: Directory = {
      teams: [team('cloud')],
      reps: [
        rep('ana', 'cloud', {
          timeZone: 'America/Chicago',
          holidays: { country: 'US', state: 'IL' },
          workingHours: {
            mon: '09:00-17:00',
            tue: '09:00-17:00',
            wed: '09:00-17:00',
            thu: '09:00-17:00',
            fri: '09:00-17:00',
          },
        }),
      ],
    };
    const friday = Date.parse('2026-11-20T22:00:00Z');
    const { plan } = route({ directory: chicago, now: friday, lead: lead({ tier: 'C' }) });
    const stage = plan.stages[0]!;
    expect(stage.slaText).toBe('1 business day (8 working hours, America/Chicago)');
    expect(stage.sla.ms).toBe(8 * 3_600_000);
    expect(stage.sla.businessHours?.timeZone).toBe('America/Chicago');
    // The plan crosses Temporal as JSON; the deadline is computed from that copy.
    const sla = (JSON.parse(JSON.stringify(plan)) as RoutingPlan).stages[0]!.sla;
    expect(new Date(slaDeadline(friday, sla)).toISOString()).toBe('2026-11-23T22:00:00.000Z');
    // Wednesday 16:00 before Thanksgiving: the holiday does not count.
    const wednesday = Date.parse('2026-11-25T22:00:00Z');
    const beforeHoliday = route({ directory: chicago, now: wednesday, lead: lead({ tier: 'C' }) }).plan.stages[0]!.sla;
    expect(new Date(slaDeadline(wednesday, beforeHoliday)).toISOString()).toBe('2026-11-27T22:00:00.000Z');
  });

  test('a rule may set its own SLA; escalation levels keep the directory SLA, wall-clock', () => {
    const support = route({ lead: lead({ serviceLine: 'support' }) }).plan;
    expect(support.explanation.sla).toEqual({
      name: 'rule override',
      text: '30 minutes',
      why: 'set by rule "support"',
    });
    const cloud = route().plan;
    expect(
      cloud.stages.filter((s) => s.kind === 'escalation').map((s) => [s.repIds[0], s.sla.ms, s.sla.businessHours]),
    ).toEqual([
      ['mgr', 15 * 60_000, null],
      ['head', 30 * 60_000, null],
    ]);
  });
});

test('the plan is plain data: it survives JSON unchanged, as it must to cross Temporal', () => {
  const { plan } = route({ lead: lead({ tier: 'C', contactOwnerRepId: 'ana' }) });
  expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
});

describe('properties', () => {
  const zones = ['UTC', 'America/Chicago', 'Asia/Kolkata', 'Europe/Berlin'];
  const usHolidays = new Holidays('US', { types: ['public'] });

  // Reps with any availability: toggles, leave around `now`, hours in several zones, holidays, capacity and load.
  const repArb = (teamIds: string[]) =>
    fc.record({
      teamId: fc.constantFrom(...teamIds, 'leadership'),
      active: fc.constantFrom(true, true, true, false),
      away: fc.constantFrom(false, false, false, true),
      timeZone: fc.constantFrom(...zones),
      hours: fc.option(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 })), {
        nil: undefined,
        freq: 2,
      }),
      usHolidays: fc.boolean(),
      leave: fc.option(fc.tuple(fc.integer({ min: -5, max: 2 }), fc.integer({ min: 0, max: 6 }), fc.boolean()), {
        nil: undefined,
        freq: 2,
      }),
      capacityTotal: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 2 }),
      capacityA: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined, freq: 2 }),
      weight: fc.integer({ min: 1, max: 3 }),
    });

  const scenarioArb = fc
    .record({ teamCount: fc.integer({ min: 1, max: 2 }), repCount: fc.integer({ min: 0, max: 10 }) })
    .chain(({ teamCount, repCount }) => {
      const teamIds = Array.from({ length: teamCount }, (_, i) => `team${i}`);
      return fc.record({
        teamIds: fc.constant(teamIds),
        reps: fc.array(repArb(teamIds), { minLength: repCount, maxLength: repCount }),
        chains: fc.array(
          fc.array(
            fc.record({
              repId: fc.constantFrom('r00', 'r01', 'r02', 'nobody'),
              slaMinutes: fc.integer({ min: 1, max: 90 }),
            }),
            { maxLength: 3 },
          ),
          { minLength: teamCount, maxLength: teamCount },
        ),
        strategy: fc.constantFrom('owner-first', 'weighted-round-robin', 'least-loaded'),
        fallback: fc.constantFrom('weighted-round-robin', 'least-loaded'),
        tier: fc.constantFrom('A', 'B', 'C'),
        maxCandidates: fc.integer({ min: 1, max: 6 }),
        contactOwner: fc.option(fc.constantFrom('r00', 'r03', 'r05', 'ghost'), { nil: null }),
        accountOwner: fc.option(fc.constantFrom('r01', 'r04', 'ghost'), { nil: null }),
        loads: fc.array(fc.record({ total: fc.integer({ min: 0, max: 5 }), a: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 10,
          maxLength: 10,
        }),
        now: fc.integer({ min: Date.parse('2026-11-20T00:00:00Z'), max: Date.parse('2026-11-30T00:00:00Z') }),
      });
    })
    .map((s) => {
      const now = s.now;
      const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
      const reps = s.reps.map((r, i) => {
        const id = `r${String(i).padStart(2, '0')}`;
        const hours =
          r.hours && r.hours[1] > r.hours[0]
            ? `${String(r.hours[0]).padStart(2, '0')}:00-${String(r.hours[1]).padStart(2, '0')}:00`
            : '00:00-24:00';
        return rep(id, r.teamId, {
          active: r.active,
          away: r.away,
          timeZone: r.timeZone,
          workingHours: { sun: hours, mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours },
          holidays: r.usHolidays ? { country: 'US' } : null,
          outOfOffice: r.leave
            ? [
                {
                  from: day(r.leave[0]),
                  until: day(r.leave[0] + r.leave[1]),
                  backupRepId: r.leave[2] && i > 0 ? 'r00' : null,
                },
              ]
            : [],
          capacity: { total: r.capacityTotal, perTier: r.capacityA === undefined ? {} : { A: r.capacityA } },
          weight: r.weight,
        });
      });
      const load: LoadByRep = Object.fromEntries(
        reps.map((r, i) => [r.id, { total: s.loads[i]!.total, byTier: { A: s.loads[i]!.a } }]),
      );
      const dir: Directory = {
        teams: [...s.teamIds.map((id, i) => team(id, { escalation: s.chains[i] })), team('leadership')],
        reps,
      };
      const pol = PolicySchema.parse({
        maxCandidates: s.maxCandidates,
        sla: [
          { name: 'hot', when: { tier: 'A' }, within: '5 minutes' },
          { name: 'rest', within: '1 business day' },
        ],
        rules:
          s.teamIds.length > 1
            ? [{ name: 'second', when: { tier: 'C' }, team: 'team1', strategy: 'least-loaded' }]
            : [],
        default: {
          team: 'team0',
          strategy: s.strategy,
          ...(s.strategy === 'owner-first' ? { fallback: s.fallback } : {}),
        },
      });
      const input: PlanRoutingInput = {
        policy: pol,
        policyVersion: 3,
        lead: lead({ tier: s.tier as 'A', contactOwnerRepId: s.contactOwner, accountOwnerRepId: s.accountOwner }),
        directory: dir,
        load,
        ledger: emptyLedger(),
        now,
      };
      return input;
    });

  const run = (check: (input: PlanRoutingInput, plan: RoutingPlan) => void) =>
    fc.assert(
      fc.property(scenarioArb, (input) => check(input, planRouting(input).plan)),
      { numRuns: 300 },
    );

  // An oracle written apart from the planner: Intl for local time, date-holidays' own isHoliday.
  function independentlyAvailable(r: Rep, now: number, tier: string, load: LoadByRep): boolean {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: r.timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        weekday: 'short',
      })
        .formatToParts(now)
        .map((p) => [p.type, p.value]),
    );
    const date = `${parts.year}-${parts.month}-${parts.day}`;
    const minutes = Number(parts.hour) * 60 + Number(parts.minute);
    const [start, end] = (
      r.workingHours[(parts.weekday ?? '').toLowerCase().slice(0, 3) as 'mon']?.[0] ?? '00:00-00:00'
    )
      .split('-')
      .map((t) => (t === '24:00' ? 1440 : Number(t.slice(0, 2)) * 60 + Number(t.slice(3))));
    const onLeave = r.outOfOffice.some((w) => date >= w.from && date <= w.until);
    const holiday = r.holidays !== null && (usHolidays.isHoliday(new Date(`${date}T12:00:00`)) || []).length > 0;
    const l = load[r.id] ?? { total: 0, byTier: {} };
    const underCap =
      (r.capacity.total === null || l.total < r.capacity.total) &&
      (r.capacity.perTier[tier as 'A'] === undefined ||
        (l.byTier[tier as 'A'] ?? 0) < r.capacity.perTier[tier as 'A']!);
    return r.active && !r.away && !onLeave && !holiday && minutes >= start! && minutes < end! && underCap;
  }

  test('an unavailable rep is never offered, and no offer takes a rep over capacity', () => {
    run((input, plan) => {
      for (const id of candidateIds(plan)) {
        const r = input.directory.reps.find((x) => x.id === id)!;
        expect(independentlyAvailable(r, input.now as number, input.lead.tier, input.load)).toBe(true);
        const l = input.load[id];
        if (r.capacity.total !== null) expect((l?.total ?? 0) + 1).toBeLessThanOrEqual(r.capacity.total);
        const tierCap = r.capacity.perTier[input.lead.tier];
        if (tierCap !== undefined) expect((l?.byTier[input.lead.tier] ?? 0) + 1).toBeLessThanOrEqual(tierCap);
      }
    });
  });

  test('each explanation agrees with its decision', () => {
    run((input, plan) => {
      const offered = candidateIds(plan);
      // Every candidate offered appears in the explanation, in the same order, once.
      expect(plan.explanation.candidates).toEqual(offered);
      expect(plan.explanation.candidateDetails.map((c) => c.repId)).toEqual(offered);
      expect(new Set(offered).size).toBe(offered.length);
      expect(offered.length).toBeLessThanOrEqual(input.policy.maxCandidates);
      // Reps left out only by the limit are available: the plan did not stop short while the limit allowed more.
      const notReached = plan.explanation.notReached ?? [];
      if (notReached.length > 0) expect(offered).toHaveLength(input.policy.maxCandidates);
      for (const id of notReached)
        expect(
          independentlyAvailable(
            input.directory.reps.find((x) => x.id === id)!,
            input.now as number,
            input.lead.tier,
            input.load,
          ),
        ).toBe(true);
      // Every rep of the team is a candidate, excluded with a reason, or not reached: exactly one of them.
      for (const r of input.directory.reps.filter((x) => x.teamId === plan.teamId)) {
        const reasons = plan.explanation.excluded.filter((e) => e.repId === r.id && e.role !== 'escalation');
        expect(reasons.length + (offered.includes(r.id) ? 1 : 0) + (notReached.includes(r.id) ? 1 : 0)).toBe(1);
        for (const e of reasons) expect(e.reason.length).toBeGreaterThan(0);
      }
      expect(plan.explanation.policyVersion).toBe(3);
      expect(plan.policyVersion).toBe(3);
    });
  });

  test('stage levels never go down and the catch-all is above them all', () => {
    run((_, plan) => {
      const levels = plan.stages.map((s) => s.level);
      expect(levels).toEqual([...levels].sort((a, b) => a - b));
      for (const level of levels) expect(plan.catchAll.level).toBeGreaterThan(level);
    });
  });
});

describe('best-fit', () => {
  const bestFitPolicy = { ...policy, rules: [], default: { team: 'cloud', strategy: 'best-fit' as const } };
  const noOutcomes = beliefsFrom(new EvidenceTallies(0, 180).summaryAt(0), 10);

  test('orders the team by seeded draws, explains each place, and records the draws and the propensity', () => {
    const even = new Map(directory.reps.filter((r) => r.teamId === 'cloud').map((r) => [r.id, 10]));
    const fit = { beliefOf: noOutcomes, recentLeads: even, seed: 11 };
    const plan = route({ policy: bestFitPolicy, fit }).plan;
    expect(route({ policy: bestFitPolicy, fit }).plan).toEqual(plan);
    const record = plan.explanation.fit!;
    expect(record.seed).toBe(11);
    expect(record.owedRepId).toBeNull();
    expect(record.propensity).toBeGreaterThan(0);
    expect(record.propensity).toBeLessThanOrEqual(1);
    const first = candidateIds(plan)[0]!;
    expect(Math.max(...Object.values(record.draws))).toBeCloseTo(record.draws[first]!, 4);
    expect(plan.explanation.candidateDetails[0]!.why).toMatch(
      /no resolved .* yet \(estimate \d+%; team \d+%\); drew [\d.]+, highest of \d+/,
    );
    expect(plan.explanation.tieBreak).toContain('Thompson sampling');
  });

  test('a rep below the fairness floor is offered first, and the explanation says why', () => {
    const ids = candidateIds(
      route({ policy: bestFitPolicy, fit: { beliefOf: noOutcomes, recentLeads: new Map(), seed: 1 } }).plan,
    );
    const recentLeads = new Map(ids.map((id, i) => [id, i === ids.length - 1 ? 0 : 20]));
    const plan = route({ policy: bestFitPolicy, fit: { beliefOf: noOutcomes, recentLeads, seed: 1 } }).plan;
    expect(candidateIds(plan)[0]).toBe(ids[ids.length - 1]);
    expect(plan.explanation.fit!.owedRepId).toBe(ids[ids.length - 1]);
    expect(plan.explanation.fit!.propensity).toBe(1);
    expect(plan.explanation.candidateDetails[0]!.why).toContain('owed the lead by the fairness floor');
  });

  test('without outcome evidence the plan cannot be made', () => {
    expect(() => route({ policy: bestFitPolicy })).toThrow('best-fit routing needs the outcomes evidence');
  });
});
