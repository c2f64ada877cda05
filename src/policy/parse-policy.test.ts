// Policy files: the shipped one parses, and every kind of mistake comes back with its line, column and place.
import fs from 'node:fs';
import path from 'node:path';
import { parsePolicy, type PolicyError } from './parse-policy';
import { parseDuration } from './policy-schema';

const shipped = fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'policy.yaml'), 'utf8');
const demoTeams = ['cloud', 'security', 'general', 'support', 'leadership'];

function errorsOf(yaml: string, teamIds?: string[]): PolicyError[] {
  const result = parsePolicy(yaml, { teamIds });
  if (result.ok) throw new Error('expected the policy to be refused');
  return result.errors;
}

const minimal = `sla:
  - name: any
    within: 1 hour
rules:
  - name: cloud
    when:
      serviceLine: cloud-migration
    team: cloud
    strategy: weighted-round-robin
`;

test('the shipped policy is valid against the shipped directory', () => {
  const result = parsePolicy(shipped, { teamIds: demoTeams });
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.policy.rules.map((r) => r.strategy)).toEqual(
    expect.arrayContaining(['owner-first', 'weighted-round-robin', 'least-loaded']),
  );
  expect(result.policy.sla.at(-1)).toEqual({
    name: 'cold',
    when: {},
    within: { text: '1 business day', amount: 1, unit: 'business-days' },
  });
  expect(result.policy.default).toEqual({ team: 'general', strategy: 'weighted-round-robin' });
});

test('single values become lists, country codes are upper-cased, defaults are filled in', () => {
  const result = parsePolicy(
    `${minimal}    sla: 90\ndefault:\n  team: general\n  strategy: least-loaded\nterritories:\n  dach: [de, at]\n`,
  );
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.policy.rules[0]!.when).toEqual({ serviceLine: ['cloud-migration'] });
  expect(result.policy.rules[0]!.sla).toEqual({ text: '90 minutes', amount: 90, unit: 'minutes' });
  expect(result.policy.territories).toEqual({ dach: ['DE', 'AT'] });
  expect(result.policy.businessDayHours).toBe(8);
});

test.each([
  ['5 minutes', 5, 'minutes'],
  ['1 min', 1, 'minutes'],
  ['2h', 2, 'hours'],
  ['1 hour', 1, 'hours'],
  ['4 business hours', 4, 'business-hours'],
  ['1 business day', 1, 'business-days'],
  ['1.5 Business  Days', 1.5, 'business-days'],
])('duration "%s" reads as %d %s', (text, amount, unit) => {
  expect(parseDuration(text)).toMatchObject({ amount, unit });
});

test('a YAML syntax error names its line and column', () => {
  const errors = errorsOf('sla:\n  - name: any\n    within: [1 hour\nrules: []\n');
  expect(errors.length).toBeGreaterThan(0);
  expect(errors[0]).toMatchObject({ path: '' });
  expect(errors[0]!.line).toBeGreaterThanOrEqual(3);
});

test('a duplicated key is a syntax error on its line', () => {
  const errors = errorsOf(`${minimal}    team: security\n`);
  expect(errors[0]).toMatchObject({ line: 10, path: '' });
  expect(errors[0]!.message).toMatch(/unique/i);
});

test('a bad value points at its own line', () => {
  const errors = errorsOf(
    minimal.replace('      serviceLine: cloud-migration\n', '      serviceLine: cloud-migration\n      tier: D\n'),
  );
  expect(errors).toEqual([{ line: 8, column: 13, path: 'rules.0.when.tier.0', message: 'a tier: A, B, C' }]);
});

test('an unknown field is named at its key', () => {
  const errors = errorsOf(minimal.replace('    team: cloud\n', '    team: cloud\n    teem: cloud\n'));
  expect(errors).toEqual([{ line: 9, column: 5, path: 'rules.0.teem', message: 'unknown field teem' }]);
});

test('a missing field points at the rule that lacks it', () => {
  const errors = errorsOf(minimal.replace('    team: cloud\n', ''));
  expect(errors).toEqual([{ line: 5, column: 5, path: 'rules.0.team', message: 'team is required' }]);
});

test('every mistake in a file is reported, in line order', () => {
  const yaml = `sla:
  - name: hot
    when: { tier: A }
    within: soon
rules:
  - name: a
    team: cloud
    strategy: round-robin
  - name: a
    when:
      companySize: { min: 500, max: 10 }
      territory: nordics
    team: cloud
    strategy: least-loaded
    fallback: least-loaded
`;
  const errors = errorsOf(yaml);
  expect(errors.map((e) => [e.line, e.path])).toEqual([
    [4, 'sla.0.within'],
    [8, 'rules.0.strategy'],
    [11, 'rules.1.when.companySize'],
    [15, 'rules.1.fallback'],
  ]);
  expect(errors[0]!.message).toContain('"soon" is not a duration');
  expect(errors[1]!.message).toContain('a strategy: owner-first, weighted-round-robin, least-loaded');
  expect(errors[2]!.message).toBe('min is above max');
});

test('cross-field rules are checked once the fields themselves are right', () => {
  const yaml = `sla:
  - name: hot
    when: { tier: A }
    within: 5 minutes
rules:
  - name: a
    team: cloud
    strategy: weighted-round-robin
  - name: a
    when:
      territory: nordics
    team: cloud
    strategy: least-loaded
    fallback: least-loaded
`;
  expect(errorsOf(yaml).map((e) => [e.line, e.path, e.message])).toEqual([
    [
      3,
      'sla.0.when',
      'the last SLA entry must have no conditions: it is the SLA of every lead the others do not match',
    ],
    [9, 'rules.1.name', 'rule "a" is already the name of rule 0'],
    [11, 'rules.1.when.territory.0', 'no territory nordics (define it under territories)'],
    [14, 'rules.1.fallback', 'only owner-first has a fallback strategy'],
  ]);
});

test('teams the directory does not have are refused when the directory is given', () => {
  const errors = errorsOf(`${minimal}default:\n  team: nowhere\n  strategy: least-loaded\n`, ['cloud', 'general']);
  expect(errors).toEqual([
    { line: 11, column: 3, path: 'default.team', message: 'no team nowhere in the directory (teams: cloud, general)' },
  ]);
});

test('an empty file, or one that is not a mapping, says so', () => {
  expect(errorsOf('')).toEqual([
    { line: 1, column: 1, path: '', message: 'the policy is empty: it needs at least an sla list' },
  ]);
  expect(errorsOf('# nothing but a comment\n')).toEqual([
    { line: 1, column: 1, path: '', message: 'the policy is empty: it needs at least an sla list' },
  ]);
  expect(errorsOf('- just\n- a list\n')[0]).toMatchObject({ line: 1, column: 1, path: '' });
});

describe('learning', () => {
  const base = `sla:\n  - name: all\n    within: 1 hour\ndefault:\n  team: general\n  strategy: best-fit\n`;

  test('best-fit and its learning settings parse, with defaults for what is not given', () => {
    const result = parsePolicy(`${base}learning:\n  convertsOn: won\n  halfLife: 90 days\n`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.learning).toMatchObject({
      convertsOn: 'won',
      halfLife: 90,
      outcomeWindow: 60,
      fairnessFloor: 0.5,
      segmentBy: ['serviceLine', 'companySize', 'region'],
    });
  });

  test.each([
    ['convertsOn: signed', 'learning.convertsOn', 'a conversion event'],
    ['halfLife: soon', 'learning.halfLife', 'number of days'],
    ['fairnessFloor: 1.5', 'learning.fairnessFloor', ''],
    ['exploration: 0', 'learning.exploration', ''],
    [
      'companySizeBands: [{ name: small, below: 50 }, { name: big, below: 40 }, { name: rest }]',
      'learning.companySizeBands.1.below',
      'bounds must rise',
    ],
  ])('%s is refused at %s', (line, path, message) => {
    const result = parsePolicy(`${base}learning:\n  ${line}\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path, line: 8 });
    expect(result.errors[0]!.message).toContain(message);
  });
});
