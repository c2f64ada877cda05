// Routing plans from a policy: rule choice, every strategy, every exclusion reason, SLAs, the fairness ledger,
// the escalation chain, and properties that hold for any directory, load and arrival order.
import fc from 'fast-check';
import Holidays from 'date-holidays';
import { RepSchema, TeamSchema, type Rep, type RepInput, type TeamInput } from '../directory-file';
import type { LoadByRep } from './availability';
import { slaDeadline } from './business-time';
import { emptyLedger, teamFloor, type FairnessLedger } from './fairness-ledger';
import type { RoutingLead } from '../policy/lead-attributes';
import { parsePolicy } from '../policy/parse-policy';
import { PolicySchema, type RoutingPolicy } from '../policy/policy-schema';
import {
  describeRouting,
  planRouting,
  RoutingError,
  type Directory,
  type PlanRoutingInput,
  type RoutingPlan,
} from './plan';

const allWeek = {
  sun: '00:00-24:00',
  mon: '00:00-24:00',
  tue: '00:00-24:00',
  wed: '00:00-24:00',
  thu: '00:00-24:00',
  fri: '00:00-24:00',
  sat: '00:00-24:00',
};
/** Monday 23 November 2026, 15:00 UTC: 09:00 in Chicago, 15:00 in London, 16:00 in Berlin. */
const monday = Date.parse('2026-11-23T15:00:00Z');

function rep(id: string, teamId: string, overrides: Partial<RepInput> = {}): Rep {
  return RepSchema.parse({
    id,
    name: id.toUpperCase(),
    email: `${id}@leadrelay.test`,
    teamId,
    workingHours: allWeek,
    ...overrides,
  });
}

function team(id: string, overrides: Partial<TeamInput> = {}) {
  return TeamSchema.parse({ id, name: id.toUpperCase(), alertEmail: `${id}-ops@leadrelay.test`, ...overrides });
}

function policyOf(yaml: string): RoutingPolicy {
  const result = parsePolicy(yaml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

const policy = policyOf(`
territories:
  dach: [DE, AT, CH]
sla:
  - name: hot
    when: { tier: A }
    within: 5 minutes
  - name: urgent
    when: { urgency: now }
    within: 15 minutes
  - name: warm
    when: { tier: B }
    within: 1 hour
  - name: cold
    within: 1 business day
rules:
  - name: support
    when: { serviceLine: support }
    team: support
    strategy: least-loaded
    sla: 30 minutes
  - name: enterprise security
    when: { serviceLine: cybersecurity, companySize: { min: 500 } }
    team: secure
    strategy: least-loaded
  - name: security
    when: { serviceLine: cybersecurity }
    team: secure
    strategy: owner-first
    fallback: least-loaded
  - name: cloud
    when: { serviceLine: [cloud-migration, data-analytics] }
    team: cloud
    strategy: owner-first
  - name: dach partners
    when: { territory: dach, source: partner-api }
    team: support
    strategy: weighted-round-robin
  - name: apac
    when: { region: apac }
    team: cloud
    strategy: weighted-round-robin
  - name: french hot leads
    when: { country: FR, urgency: [now, this-week], tier: A }
    team: secure
    strategy: weighted-round-robin
  - name: small companies
    when: { companySize: { max: 49 } }
    team: support
    strategy: least-loaded
  - name: new logos
    when: { existingOwner: false, serviceLine: managed-it }
    team: general
    strategy: weighted-round-robin
  - name: known accounts
    when: { existingOwner: true }
    team: general
    strategy: owner-first
default:
  team: general
  strategy: weighted-round-robin
`);

const directory: Directory = {
  teams: [
    team('cloud', {
      escalation: [
        { repId: 'mgr', slaMinutes: 15 },
        { repId: 'head', slaMinutes: 30 },
      ],
    }),
    team('secure', { escalation: [{ repId: 'head', slaMinutes: 45 }] }),
    team('support', { catchAllRealertMinutes: 30 }),
    team('general', { escalation: [{ repId: 'head', slaMinutes: 20 }], catchAllRealertMinutes: 90 }),
    team('leadership'),
  ],
  reps: [
    // Listed out of id order, so the id tie-break is visible.
    rep('eli', 'cloud'),
    rep('ana', 'cloud'),
    rep('cleo', 'cloud', { away: true }),
    rep('dev', 'cloud', { active: false }),
    rep('ben', 'cloud'),
    rep('sam', 'secure'),
    rep('sue', 'secure'),
    rep('gus', 'support'),
    rep('gil', 'support'),
    rep('gia', 'general'),
    rep('mgr', 'leadership'),
    rep('head', 'leadership'),
  ],
};

function lead(overrides: Partial<RoutingLead> = {}): RoutingLead {
  return {
    region: 'na',
    country: 'US',
    serviceLine: 'cloud-migration',
    urgency: 'this-month',
    tier: 'A',
    source: 'web-form',
    companySize: 200,
    contactOwnerRepId: null,
    accountOwnerRepId: null,
    ...overrides,
  };
}

function route(overrides: Partial<PlanRoutingInput> & { lead?: RoutingLead } = {}) {
  return planRouting({
    policy,
    policyVersion: 7,
    lead: lead(),
    directory,
    load: {},
    ledger: emptyLedger(),
    now: monday,
    ...overrides,
  });
}

const candidateIds = (p: RoutingPlan) => p.stages.filter((s) => s.kind === 'candidate').map((s) => s.repIds[0]!);
const exclusionOf = (p: RoutingPlan, repId: string) => p.explanation.excluded.find((e) => e.repId === repId)?.reason;

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

describe('owner-first', () => {
  test("the contact's owner is offered first, then the team by the fallback (round robin by default)", () => {
    const { plan } = route({ lead: lead({ contactOwnerRepId: 'eli' }) });
    expect(candidateIds(plan)).toEqual(['eli', 'ana', 'ben']);
    expect(plan.explanation.candidateDetails[0]).toEqual({
      repId: 'eli',
      role: 'contact-owner',
      why: 'eli owns the known contact',
    });
    expect(plan.explanation.fallback).toBe('weighted-round-robin');
    expect(plan.explanation.tieBreak).toMatch(/^contact owner, else account owner, first; then weighted round robin/);
  });

  test("an unavailable contact owner gives way to the account's owner, even from another team", () => {
    const { plan } = route({ lead: lead({ contactOwnerRepId: 'cleo', accountOwnerRepId: 'sam' }) });
    expect(candidateIds(plan)).toEqual(['sam', 'ana', 'ben', 'eli']);
    expect(plan.explanation.excluded).toContainEqual({
      repId: 'cleo',
      role: 'contact-owner',
      code: 'away',
      reason: 'away',
    });
    expect(plan.explanation.candidateDetails[0]).toMatchObject({
      repId: 'sam',
      role: 'account-owner',
      why: 'sam owns the account',
    });
  });

  test('with the contact owner available, the account owner gets no special place', () => {
    const { plan } = route({ lead: lead({ contactOwnerRepId: 'sam', accountOwnerRepId: 'eli' }) });
    expect(candidateIds(plan)).toEqual(['sam', 'ana', 'ben', 'eli']);
  });

  test('owners missing from the directory are reported, and the fallback takes over', () => {
    const { plan } = route({ lead: lead({ contactOwnerRepId: 'ghost', accountOwnerRepId: 'dev' }) });
    expect(candidateIds(plan)).toEqual(['ana', 'ben', 'eli']);
    expect(plan.explanation.excluded).toEqual(
      expect.arrayContaining([
        {
          repId: 'ghost',
          role: 'contact-owner',
          code: 'not-in-directory',
          reason: 'contact owner is not in the directory',
        },
        { repId: 'dev', role: 'account-owner', code: 'deactivated', reason: 'deactivated' },
      ]),
    );
    // The round robin dealt this lead, so it is charged.
    expect(route({ lead: lead({ contactOwnerRepId: 'ghost' }) }).plan.explanation.fairness?.chargedRepId).toBe('ana');
  });

  test('an owner out of office is replaced by their backup, explained; the round robin is not charged', () => {
    const withLeave: Directory = {
      ...directory,
      reps: directory.reps.map((r) =>
        r.id === 'eli'
          ? rep('eli', 'cloud', { outOfOffice: [{ from: '2026-11-20', until: '2026-12-02', backupRepId: 'sam' }] })
          : r,
      ),
    };
    const result = route({ directory: withLeave, lead: lead({ contactOwnerRepId: 'eli' }) });
    expect(candidateIds(result.plan)).toEqual(['sam', 'ana', 'ben']);
    expect(result.plan.explanation.candidateDetails[0]).toEqual({
      repId: 'sam',
      role: 'backup',
      standsInFor: 'eli',
      why: 'sam stands in for eli, who owns the known contact (out of office until 2026-12-02)',
    });
    expect(exclusionOf(result.plan, 'eli')).toBe('out of office until 2026-12-02; backup sam takes their place');
    expect(result.ledgerChanges).toEqual([]);
    expect(result.plan.explanation.fairness?.chargedRepId).toBeNull();
  });
});

describe('weighted round robin', () => {
  const pool: Directory = {
    teams: [team('cloud')],
    reps: ['ana', 'ben', 'cy'].map((id) => rep(id, 'cloud')),
  };
  const rr = policyOf(
    'sla:\n  - name: any\n    within: 1 hour\ndefault:\n  team: cloud\n  strategy: weighted-round-robin\n',
  );

  function deal(count: number, dir: Directory, start: FairnessLedger = emptyLedger(), now = monday) {
    let ledger = start;
    const firsts: string[] = [];
    for (let i = 0; i < count; i++) {
      const result = planRouting({ policy: rr, policyVersion: 1, lead: lead(), directory: dir, load: {}, ledger, now });
      ledger = result.ledger;
      firsts.push(candidateIds(result.plan)[0]!);
    }
    return { ledger, firsts, counts: countOf(firsts) };
  }

  test('equal weights take turns, and the ledger records who was dealt each lead', () => {
    const { firsts, ledger } = deal(6, pool);
    expect(firsts).toEqual(['ana', 'ben', 'cy', 'ana', 'ben', 'cy']);
    // Each entry keeps the floor as it was when written; the team's floor is the highest of them.
    expect(ledger.cloud).toEqual({
      ana: { dealt: 2, pass: 2, floor: 1 },
      ben: { dealt: 2, pass: 2, floor: 1 },
      cy: { dealt: 2, pass: 2, floor: 2 },
    });
    expect(teamFloor(ledger, 'cloud')).toBe(2);
  });

  test('a decision returns only the entries it wrote, and does not change the ledger it was given', () => {
    const given = emptyLedger();
    const result = planRouting({
      policy: rr,
      policyVersion: 1,
      lead: lead(),
      directory: pool,
      load: {},
      ledger: given,
      now: monday,
    });
    expect(result.ledgerChanges).toEqual([{ teamId: 'cloud', repId: 'ana', entry: { dealt: 1, pass: 1, floor: 0 } }]);
    expect(given).toEqual({});
    expect(result.plan.explanation.candidateDetails.map((c) => c.why)).toEqual([
      'ana: round robin, 0 lead(s) dealt, weight 1, credit 0 (1 after this lead)',
      'ben: round robin, 0 lead(s) dealt, weight 1, credit 0 (1 after this lead)',
      'cy: round robin, 0 lead(s) dealt, weight 1, credit 0 (1 after this lead)',
    ]);
  });

  test('weights share the leads in proportion: weight 2 gets twice the leads of weight 1', () => {
    const weighted: Directory = {
      ...pool,
      reps: [rep('ana', 'cloud', { weight: 2 }), rep('ben', 'cloud'), rep('cy', 'cloud')],
    };
    expect(deal(40, weighted).counts).toEqual({ ana: 20, ben: 10, cy: 10 });
  });

  test('a rep back from leave joins the rotation at the floor instead of receiving a flood of leads', () => {
    const cyAway: Directory = {
      ...pool,
      reps: [
        rep('ana', 'cloud'),
        rep('ben', 'cloud'),
        rep('cy', 'cloud', { outOfOffice: [{ from: '2026-11-01', until: '2026-11-22' }] }),
      ],
    };
    const early = Date.parse('2026-11-10T12:00:00Z');
    const before = deal(3, pool, emptyLedger(), early);
    const whileAway = deal(30, cyAway, before.ledger, early);
    expect(whileAway.counts).toEqual({ ana: 15, ben: 15 });
    // Back on the 23rd: cy is 15 leads behind, but is lifted to the floor and takes turns like everyone else.
    const back = deal(9, cyAway, whileAway.ledger, monday);
    expect(back.counts).toEqual({ ana: 3, ben: 3, cy: 3 });
    const first = planRouting({
      policy: rr,
      policyVersion: 1,
      lead: lead(),
      directory: cyAway,
      load: {},
      ledger: whileAway.ledger,
      now: monday,
    });
    expect(first.plan.explanation.fairness?.lifted).toEqual([{ repId: 'cy', from: 1, to: 16 }]);
    expect(first.plan.explanation.candidateDetails.find((c) => c.repId === 'cy')?.why).toBe(
      "cy: round robin, 1 lead(s) dealt, weight 1, credit 16 (17 after this lead), credit lifted from 1 to the team's floor 16 after time away",
    );
  });

  test('a rep out of office keeps their turn, taken by their backup; the turn is charged to them', () => {
    const withBackup: Directory = {
      teams: [team('cloud'), team('other')],
      reps: [
        rep('ana', 'cloud'),
        rep('ben', 'cloud', { outOfOffice: [{ from: '2026-11-20', until: '2026-11-30', backupRepId: 'zed' }] }),
        rep('zed', 'other'),
      ],
    };
    const { firsts, ledger } = deal(4, withBackup);
    expect(firsts).toEqual(['ana', 'zed', 'ana', 'zed']);
    expect(ledger.cloud?.ben?.dealt).toBe(2);
    const plan = route({ policy: rr, directory: withBackup }).plan;
    expect(plan.explanation.candidateDetails[1]).toEqual({
      repId: 'zed',
      role: 'backup',
      standsInFor: 'ben',
      why: "zed stands in for ben (out of office until 2026-11-30); ben's turn: round robin, 0 lead(s) dealt, weight 1, credit 0 (1 after this lead)",
    });
  });

  test('a backup who is also in the team is offered once, at the earlier of their two places', () => {
    const sameTeam: Directory = {
      teams: [team('cloud')],
      reps: [
        rep('ana', 'cloud', { outOfOffice: [{ from: '2026-11-20', until: '2026-11-30', backupRepId: 'cy' }] }),
        rep('ben', 'cloud'),
        rep('cy', 'cloud'),
      ],
    };
    const { plan } = route({ policy: rr, directory: sameTeam });
    expect(candidateIds(plan)).toEqual(['cy', 'ben']);
    expect(plan.explanation.candidateDetails[0]).toMatchObject({ repId: 'cy', standsInFor: 'ana' });
  });
});

describe('least-loaded and capacity', () => {
  const load: LoadByRep = { gus: { total: 3, byTier: { A: 1 } }, gil: { total: 1, byTier: { B: 1 } } };

  test('the rep with the fewest open offers goes first, then fewest of this tier, then id', () => {
    const support: Directory = {
      ...directory,
      reps: [...directory.reps, rep('gab', 'support'), rep('gio', 'support')],
    };
    const withLoad: LoadByRep = { ...load, gab: { total: 1, byTier: { A: 1 } }, gio: { total: 1, byTier: { A: 1 } } };
    const { plan } = route({ directory: support, load: withLoad, lead: lead({ serviceLine: 'support' }) });
    expect(candidateIds(plan)).toEqual(['gil', 'gab', 'gio', 'gus']);
    expect(plan.explanation.candidateDetails[0]!.why).toBe('gil: 1 open offer(s), 0 of tier A');
    expect(plan.explanation.tieBreak).toBe(
      'least loaded: fewest open offers, then fewest open offers of this tier, then rep id',
    );
    expect(plan.explanation.fairness).toBeNull();
  });

  test('a rep at total capacity is excluded with the count', () => {
    const capped: Directory = {
      ...directory,
      reps: directory.reps.map((r) => (r.id === 'gus' ? rep('gus', 'support', { capacity: { total: 5 } }) : r)),
    };
    const { plan } = route({
      directory: capped,
      load: { ...load, gus: { total: 5, byTier: {} } },
      lead: lead({ serviceLine: 'support' }),
    });
    expect(candidateIds(plan)).toEqual(['gil']);
    expect(plan.explanation.excluded).toContainEqual({
      repId: 'gus',
      role: 'team',
      code: 'at-capacity',
      reason: 'at capacity 5/5',
    });
  });

  test("a rep at their tier's capacity is excluded for that tier only", () => {
    const capped: Directory = {
      ...directory,
      reps: directory.reps.map((r) =>
        r.id === 'gus' ? rep('gus', 'support', { capacity: { total: 10, perTier: { A: 2 } } }) : r,
      ),
    };
    const full = { ...load, gus: { total: 2, byTier: { A: 2 } } };
    const hot = route({ directory: capped, load: full, lead: lead({ serviceLine: 'support', tier: 'A' }) }).plan;
    expect(exclusionOf(hot, 'gus')).toBe('at A-tier capacity 2/2');
    const warm = route({ directory: capped, load: full, lead: lead({ serviceLine: 'support', tier: 'B' }) }).plan;
    expect(candidateIds(warm)).toContain('gus');
  });
});

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

describe('SLA', () => {
  test.each([
    [{ tier: 'A' as const }, 'hot', 5 * 60_000],
    [{ tier: 'B' as const, urgency: 'now' as const }, 'urgent', 15 * 60_000],
    [{ tier: 'B' as const }, 'warm', 60 * 60_000],
  ])('first offers take the SLA of the first matching entry: %j → %s', (overrides, name, ms) => {
    const { plan } = route({ lead: lead(overrides) });
    expect(plan.explanation.sla.name).toBe(name);
    for (const stage of plan.stages.filter((s) => s.kind === 'candidate'))
      expect(stage).toMatchObject({ slaMs: ms, sla: { ms, businessHours: null } });
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
    expect(stage.slaMs).toBe(8 * 3_600_000);
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
      cloud.stages.filter((s) => s.kind === 'escalation').map((s) => [s.repIds[0], s.slaMs, s.sla.businessHours]),
    ).toEqual([
      ['mgr', 15 * 60_000, null],
      ['head', 30 * 60_000, null],
    ]);
  });
});

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
      slaMs: 60 * 60_000,
      alertEmail: 'cloud-ops@leadrelay.test',
    });
    // cleo is away but still active: anyone active may claim from the queue; dev is deactivated and may not.
    expect([...plan.catchAll.repIds].sort()).toEqual(['ana', 'ben', 'cleo', 'eli', 'head', 'mgr']);
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
    expect(plan.stages.filter((s) => s.kind === 'escalation').map((s) => [s.level, s.repIds[0], s.slaMs])).toEqual([
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

describe('candidate limit', () => {
  const floor: Directory = {
    teams: [team('floor', { escalation: [{ repId: 'mgr', slaMinutes: 15 }] }), team('leadership')],
    reps: [
      ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'].map((id) => rep(id, 'floor')),
      rep('off', 'floor', { away: true }),
      rep('mgr', 'leadership'),
    ],
  };
  const limited = (extra: string) =>
    policyOf(
      `${extra}sla:\n  - name: any\n    within: 5 minutes\ndefault:\n  team: floor\n  strategy: weighted-round-robin\n`,
    );

  test('five candidates by default, then the escalation chain; the rest of the rotation is listed as not reached', () => {
    const { plan } = route({ policy: limited(''), directory: floor });
    expect(plan.explanation.maxCandidates).toBe(5);
    expect(candidateIds(plan)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(plan.stages.map((s) => `${s.kind}:${s.repIds.join(',')}`)).toEqual([
      'candidate:a1',
      'candidate:a2',
      'candidate:a3',
      'candidate:a4',
      'candidate:a5',
      'escalation:mgr',
    ]);
    expect(plan.explanation.notReached).toEqual(['a6', 'a7']);
    expect(plan.explanation.excluded).toEqual([{ repId: 'off', role: 'team', code: 'away', reason: 'away' }]);
    expect(describeRouting(plan)).toContain(
      '\nNot reached (available, ranked after the last candidate; the lead escalates first): a6; a7.\n',
    );
    // Reps who can still act may claim the lead from the catch-all queue, whatever the limit.
    expect(plan.catchAll.repIds).toEqual(['mgr', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'off']);
  });

  test('the policy sets the limit and a rule overrides it; a bad limit is refused naming the field', () => {
    expect(candidateIds(route({ policy: limited('maxCandidates: 2\n'), directory: floor }).plan)).toEqual(['a1', 'a2']);
    const byRule = policyOf(
      'maxCandidates: 2\nsla:\n  - name: any\n    within: 5 minutes\nrules:\n  - name: wide\n    when: { tier: A }\n    team: floor\n    strategy: least-loaded\n    maxCandidates: 7\ndefault:\n  team: floor\n  strategy: least-loaded\n',
    );
    expect(candidateIds(route({ policy: byRule, directory: floor, lead: lead({ tier: 'A' }) }).plan)).toHaveLength(7);
    expect(candidateIds(route({ policy: byRule, directory: floor, lead: lead({ tier: 'B' }) }).plan)).toHaveLength(2);
    const refused = parsePolicy('maxCandidates: 0\nsla:\n  - name: any\n    within: 5 minutes\n');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors.map((e) => `${e.line}:${e.path}`)).toEqual(['1:maxCandidates']);
  });

  test('the owner counts towards the limit; the round robin is not charged when the owner takes the lead', () => {
    const ownerFirst = policyOf(
      'maxCandidates: 1\nsla:\n  - name: any\n    within: 5 minutes\ndefault:\n  team: floor\n  strategy: owner-first\n',
    );
    const result = route({ policy: ownerFirst, directory: floor, lead: lead({ contactOwnerRepId: 'a4' }) });
    expect(candidateIds(result.plan)).toEqual(['a4']);
    expect(result.ledgerChanges).toEqual([]);
    expect(result.plan.explanation.notReached).toEqual(['a1', 'a2', 'a3', 'a5', 'a6', 'a7']);
  });

  test('the next lead starts the rotation after the charged rep, so the limit never starves the end of the team', () => {
    const firsts: string[] = [];
    let ledger = emptyLedger();
    for (let i = 0; i < 7; i++) {
      const result = planRouting({
        policy: limited('maxCandidates: 2\n'),
        policyVersion: 1,
        lead: lead(),
        directory: floor,
        load: {},
        ledger,
        now: monday,
      });
      ledger = result.ledger;
      firsts.push(candidateIds(result.plan)[0]!);
    }
    expect(firsts).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
  });
});

describe('describeRouting', () => {
  test('reads as policy version, rule, strategy and SLA, candidates with reasons, exclusions, tie-break and chain', () => {
    const { plan } = route({ lead: lead({ contactOwnerRepId: 'ben' }) });
    expect(describeRouting(plan)).toBe(
      [
        'Policy v7, rule "cloud" → team CLOUD: service line cloud-migration is in [cloud-migration, data-analytics].',
        'Strategy: owner-first, then weighted-round-robin. SLA: 5 minutes (hot: tier A is in [A]).',
        'Candidates (at most 5): ben owns the known contact; ana: round robin, 0 lead(s) dealt, weight 1, credit 0 (1 after this lead); eli: round robin, 0 lead(s) dealt, weight 1, credit 0 (1 after this lead).',
        'Excluded: cleo: away; dev: deactivated.',
        'Tie-break: contact owner, else account owner, first; then weighted round robin: lowest credit after the lead (leads dealt ÷ weight) first, then lowest credit now, then rep id.',
        'Escalation: mgr → head → catch-all (cloud-ops@leadrelay.test).',
      ].join('\n'),
    );
  });

  test('says none for empty lists and shortens long ones', () => {
    const empty: Directory = { teams: [team('solo')], reps: [] };
    const solo = policyOf(
      'sla:\n  - name: any\n    within: 1 hour\ndefault:\n  team: solo\n  strategy: least-loaded\n',
    );
    const text = describeRouting(route({ directory: empty, policy: solo }).plan);
    expect(text).toContain('Candidates (at most 5): none.');
    expect(text).toContain('Excluded: none.');
    expect(text).toContain('Escalation: catch-all (solo-ops@leadrelay.test).');
    // 70 reps: 5 candidates; 35 not reached and 30 away, 25 of each listed.
    const many: Directory = {
      teams: [team('solo')],
      reps: Array.from({ length: 70 }, (_, i) => rep(`r${String(i).padStart(2, '0')}`, 'solo', { away: i >= 40 })),
    };
    const long = describeRouting(route({ directory: many, policy: solo }).plan);
    expect(long).toContain(': r05; r06;');
    expect(long).toContain('; r29; … and 10 more.\n');
    expect(long).toContain('r64: away; … and 5 more.\n');
  });
});

test('the plan is plain data: it survives JSON unchanged, as it must to cross Temporal', () => {
  const { plan } = route({ lead: lead({ tier: 'C', contactOwnerRepId: 'ana' }) });
  expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
});

function countOf(ids: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

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

  test('equal weights stay within one lead of each other, for any arrival order of up to 100 leads at once', () => {
    const rr = PolicySchema.parse({
      sla: [{ name: 'any', within: '1 hour' }],
      rules: [
        { name: 'owned', when: { existingOwner: true }, team: 'pool', strategy: 'owner-first' },
        { name: 'other team', when: { serviceLine: 'support' }, team: 'other', strategy: 'weighted-round-robin' },
      ],
      default: { team: 'pool', strategy: 'weighted-round-robin' },
    });
    const arrivals = fc.record({
      poolSize: fc.integer({ min: 2, max: 7 }),
      leads: fc.array(
        fc.record({
          kind: fc.constantFrom('pool', 'pool', 'owned', 'other'),
          tier: fc.constantFrom('A', 'B', 'C'),
          owner: fc.integer({ min: 0, max: 6 }),
        }),
        { minLength: 1, maxLength: 100 },
      ),
    });
    fc.assert(
      fc.property(arrivals, ({ poolSize, leads }) => {
        const reps = [
          ...Array.from({ length: poolSize }, (_, i) => rep(`p${i}`, 'pool')),
          rep('o1', 'other'),
          rep('o2', 'other'),
        ];
        const dir: Directory = { teams: [team('pool'), team('other')], reps };
        let ledger = emptyLedger();
        const dealt: string[] = [];
        for (const l of leads) {
          const routed = planRouting({
            policy: rr,
            policyVersion: 1,
            lead: lead({
              tier: l.tier as 'A',
              serviceLine: l.kind === 'other' ? 'support' : 'other',
              contactOwnerRepId: l.kind === 'owned' ? `p${l.owner % poolSize}` : null,
            }),
            directory: dir,
            load: {},
            ledger,
            now: monday,
          });
          ledger = routed.ledger;
          if (l.kind === 'pool') dealt.push(candidateIds(routed.plan)[0]!);
        }
        const counts = Array.from({ length: poolSize }, (_, i) => dealt.filter((id) => id === `p${i}`).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(Object.values(ledger.pool ?? {}).reduce((sum, e) => sum + e.dealt, 0)).toBe(dealt.length);
      }),
      { numRuns: 200 },
    );
  });
});
