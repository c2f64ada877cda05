// Simulating a batch: bursts share leads fairly, capacity fills and frees with the SLA, misroutes are reported.
import { RepSchema, TeamSchema, type RepInput } from '../directory-file';
import type { Directory } from './directory';
import { emptyLedger } from './fairness-ledger';
import type { RoutingLead } from '../policy/lead-attributes';
import { PolicySchema } from '../policy/policy-schema';
import { simulateRouting, type SimulatedLead } from './simulation';

const allWeek = {
  sun: '00:00-24:00',
  mon: '00:00-24:00',
  tue: '00:00-24:00',
  wed: '00:00-24:00',
  thu: '00:00-24:00',
  fri: '00:00-24:00',
  sat: '00:00-24:00',
};
const rep = (id: string, teamId: string, overrides: Partial<RepInput> = {}) =>
  RepSchema.parse({ id, name: id, email: `${id}@leadrelay.test`, teamId, workingHours: allWeek, ...overrides });
const at = Date.parse('2026-11-23T15:00:00Z');

const directory: Directory = {
  teams: [
    TeamSchema.parse({ id: 'cloud', name: 'Cloud', alertEmail: 'ops@leadrelay.test' }),
    TeamSchema.parse({ id: 'desk', name: 'Desk', alertEmail: 'ops@leadrelay.test' }),
  ],
  reps: [
    rep('ana', 'cloud'),
    rep('ben', 'cloud'),
    rep('cy', 'cloud'),
    rep('dee', 'desk', { capacity: { total: 2 } }),
    rep('eve', 'desk', { capacity: { total: 2 } }),
  ],
};

const policy = PolicySchema.parse({
  sla: [{ name: 'any', within: '10 minutes' }],
  rules: [
    { name: 'desk', when: { serviceLine: 'support' }, team: 'desk', strategy: 'least-loaded' },
    { name: 'cloud', when: { serviceLine: 'cloud-migration' }, team: 'cloud', strategy: 'weighted-round-robin' },
  ],
});

function leads(
  count: number,
  overrides: Partial<RoutingLead> = {},
  receivedAt: (i: number) => number | null = () => null,
): SimulatedLead[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `lead-${i + 1}`,
    receivedAt: receivedAt(i),
    lead: {
      region: null,
      country: null,
      serviceLine: 'cloud-migration',
      urgency: 'none',
      tier: 'B',
      source: null,
      companySize: null,
      contactOwnerRepId: null,
      accountOwnerRepId: null,
      ...overrides,
    },
  }));
}

test('a burst of 30 leads at one instant is shared evenly, and the given ledger is left as it was', () => {
  const start = emptyLedger();
  const result = simulateRouting({ policy, policyVersion: 2, directory, leads: leads(30), at, ledger: start });
  expect(result.decisions.every((d) => d.ok)).toBe(true);
  expect(result.firstOffers).toEqual({ ana: 10, ben: 10, cy: 10 });
  expect(result.teams).toEqual([
    { teamId: 'cloud', teamName: 'Cloud', leads: 30, reps: expect.any(Array) as unknown, spread: 0, weightedSpread: 0 },
  ]);
  expect(start).toEqual({});
  expect(result.ledger.cloud?.ana?.dealt).toBe(10);
});

test('first offers hold capacity until their SLA passes: a burst fills the desk, later leads find room again', () => {
  const burst = simulateRouting({
    policy,
    policyVersion: 2,
    directory,
    leads: leads(5, { serviceLine: 'support' }),
    at,
  });
  expect(burst.decisions.map((d) => (d.ok ? d.firstRepId : d.error))).toEqual(['dee', 'eve', 'dee', 'eve', null]);
  const last = burst.decisions[4]!;
  expect(last.ok && last.plan.explanation.excluded.map((e) => e.reason)).toEqual([
    'at capacity 2/2',
    'at capacity 2/2',
  ]);

  // Arriving 6 minutes apart with a 10-minute SLA, at most two offers are open at once: nobody is ever full.
  const spaced = simulateRouting({
    policy,
    policyVersion: 2,
    directory,
    leads: leads(5, { serviceLine: 'support' }, (i) => at + i * 6 * 60_000),
  });
  expect(spaced.decisions.every((d) => d.ok && d.firstRepId !== null)).toBe(true);
});

test('first offers are counted for any rep id, even one every object already has (constructor)', () => {
  const desk: Directory = {
    teams: [TeamSchema.parse({ id: 'desk', name: 'Desk', alertEmail: 'ops@leadrelay.test' })],
    reps: [rep('constructor', 'desk'), rep('dee', 'desk')],
  };
  const result = simulateRouting({
    policy,
    policyVersion: 2,
    directory: desk,
    leads: leads(4, { serviceLine: 'support' }),
    at,
  });
  expect(result.firstOffers).toEqual({ constructor: 2, dee: 2 });
});

test('leads run in arrival order, whatever the order of the file', () => {
  const batch = leads(3, {}, (i) => at - i * 60_000);
  const result = simulateRouting({ policy, policyVersion: 2, directory, leads: batch });
  expect(result.decisions.map((d) => d.id)).toEqual(['lead-3', 'lead-2', 'lead-1']);
});

test('a lead no rule routes is reported with the reason, and the rest still run', () => {
  const batch = [...leads(1, { serviceLine: 'other' }), ...leads(1)];
  const result = simulateRouting({ policy, policyVersion: 2, directory, leads: batch, at });
  expect(result.decisions[0]).toMatchObject({
    ok: false,
    error: expect.stringContaining('no rule of policy v2 matches the lead') as unknown,
  });
  expect(result.decisions[1]).toMatchObject({ ok: true, firstRepId: 'ana' });
});

test('without one instant for the batch, every lead needs its own arrival time', () => {
  expect(() => simulateRouting({ policy, policyVersion: 2, directory, leads: leads(2) })).toThrow(
    'lead lead-1 has no receivedAt',
  );
});
