// The weighted round robin through planRouting: turns, the ledger each decision writes, weights, the floor that
// keeps a rep back from leave from being flooded, backups taking a member's turn; fairness for any arrival order.
import fc from 'fast-check';
import type { Directory } from './directory';
import { PolicySchema } from '../policy/policy-schema';
import { emptyLedger, teamFloor, type FairnessLedger } from './fairness-ledger';
import { planRouting } from './plan';
import { candidateIds, lead, monday, policyOf, rep, route, team } from './test-fixtures';

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

function countOf(ids: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

describe('properties', () => {
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
