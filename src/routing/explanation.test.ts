// describeRouting: the plan in words, as the offer email, the decision log and the CLI print it.
import type { Directory } from './directory';
import { describeRouting } from './explanation';
import { lead, policyOf, rep, route, team } from './test-fixtures';

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
