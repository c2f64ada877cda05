// Who is offered the lead and in which order: owner-first with backups, least loaded and capacity, and the
// candidate limit with the reps it leaves unreached.
import type { Directory } from './directory';
import type { LoadByRep } from './availability';
import { describeRouting } from './explanation';
import { emptyLedger } from './fairness-ledger';
import { planRouting } from './plan';
import { parsePolicy } from '../policy/parse-policy';
import { candidateIds, directory, exclusionOf, lead, monday, policyOf, rep, route, team } from './test-fixtures';

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

  test('a rep whose id every object already has as a property (constructor) is judged on their own load', () => {
    const support: Directory = {
      teams: [team('support')],
      reps: [rep('gil', 'support'), rep('constructor', 'support')],
    };
    const idle = route({ directory: support, load, lead: lead({ serviceLine: 'support' }) }).plan;
    expect(candidateIds(idle)).toEqual(['constructor', 'gil']);
    expect(idle.explanation.candidateDetails[0]!.why).toBe('constructor: 0 open offer(s), 0 of tier A');
    const capped: Directory = {
      ...support,
      reps: [rep('gil', 'support'), rep('constructor', 'support', { capacity: { total: 2 } })],
    };
    const busy = route({
      directory: capped,
      load: { ...load, constructor: { total: 2, byTier: {} } },
      lead: lead({ serviceLine: 'support' }),
    }).plan;
    expect(candidateIds(busy)).toEqual(['gil']);
    expect(exclusionOf(busy, 'constructor')).toBe('at capacity 2/2');
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
