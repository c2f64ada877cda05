import { policyOf, rep, team } from '../routing/test-fixtures';
import type { Directory } from '../routing/directory';
import { arrivalsOf, ScenarioSchema, simulateLearning, type SimulatedStrategy } from './simulation';

// Two reps, always available, one team: pia converts cloud leads at 40%, max at 10%.
const directory: Directory = {
  teams: [team('cloud', { escalation: [] })],
  reps: [rep('pia', 'cloud'), rep('max', 'cloud')],
};
const policy = policyOf(`
sla:
  - name: all
    within: 1 hour
default:
  team: cloud
  strategy: weighted-round-robin
learning:
  outcomeWindow: 30 days
  fairnessFloor: 0.5
`);
const scenario = ScenarioSchema.parse({
  policy: 'unused.yaml',
  directory: 'unused.json',
  start: '2026-01-05T00:00:00Z',
  days: 60,
  holdHours: 1,
  outcomeDelay: { medianDays: 3, maxDays: 20 },
  segments: [{ name: 'cloud', share: 1, lead: { serviceLine: 'cloud-migration', tier: 'B', companySize: 200 } }],
  rates: { default: 0.1, reps: { pia: { cloud: 0.4 } } },
});
const run = (strategy: SimulatedStrategy, seed = 7) =>
  simulateLearning({ scenario, policy, directory, leads: 600, seed, strategy, propensityDraws: 100 });

test('every strategy routes the same leads; the seed alone decides the run', () => {
  expect(arrivalsOf(scenario, 50, 3)).toEqual(arrivalsOf(scenario, 50, 3));
  const again = run('best-fit');
  expect(again.conversions).toBe(run('best-fit').conversions);
  for (const strategy of ['round-robin', 'best-fit', 'oracle'] as const) {
    const r = run(strategy);
    expect(r.expectedByLead).toHaveLength(600);
    expect(r.unrouted).toBe(0);
  }
});

test('round robin splits evenly; best-fit learns to favour the rep who converts, within the fairness floor', () => {
  const rr = run('round-robin');
  const bestFit = run('best-fit');
  const oracle = run('oracle');
  expect(Math.abs(rr.leadsByRep.get('pia')! - rr.leadsByRep.get('max')!)).toBeLessThanOrEqual(1);
  expect(bestFit.leadsByRep.get('pia')!).toBeGreaterThan(360);
  // The floor: max keeps at least half his even share (150 of 600), within a lead.
  expect(bestFit.leadsByRep.get('max')!).toBeGreaterThanOrEqual(149);
  expect(oracle.expectedConversions).toBeGreaterThanOrEqual(bestFit.expectedConversions);
  expect(bestFit.expectedConversions).toBeGreaterThan(rr.expectedConversions);
});

test('best-fit logs each decision with its propensity; the others log nothing', () => {
  const bestFit = run('best-fit');
  expect(bestFit.log.length).toBe(600);
  for (const d of bestFit.log) {
    expect(d.propensity).toBeGreaterThan(0);
    expect(d.propensity).toBeLessThanOrEqual(1);
    expect(d.eligible).toContain(d.chosen);
  }
  expect(run('round-robin').log).toHaveLength(0);
  expect(
    bestFit.finalBeliefs!('pia', 'serviceLine=cloud-migration|companySize=mid-market|region=unknown'),
  ).toBeGreaterThan(bestFit.finalBeliefs!('max', 'serviceLine=cloud-migration|companySize=mid-market|region=unknown'));
});

test('a scenario naming a rate above 1 is refused with the field', () => {
  const result = ScenarioSchema.safeParse({ ...scenario, start: '2026-01-05T00:00:00Z', rates: { default: 1.5 } });
  expect(result.success).toBe(false);
  expect(result.error!.issues[0]!.path).toEqual(['rates', 'default']);
});
