// `leadrelay simulate` end to end on real files: the shipped example, the qualify hook, and errors naming file, row and column.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, type SimulateOptions } from './simulate';

const root = path.join(__dirname, '..');
const policy = path.join(root, 'config', 'policy.yaml');
const directory = path.join(root, 'config', 'directory.json');
const example = path.join(root, 'examples', 'leads.csv');
const header =
  'id,receivedAt,region,country,serviceLine,urgency,tier,source,companySize,contactOwnerRepId,accountOwnerRepId,text';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadrelay-simulate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

async function run(args: string[], options: SimulateOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { ...options, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('the shipped example routes every lead, says why, and ends with per-rep counts and the spread', async () => {
  const { code, out, err } = await run([
    '--policy',
    policy,
    '--leads',
    example,
    '--directory',
    directory,
    '--at',
    '2026-11-23T15:00:00Z',
  ]);
  expect(err).toBe('');
  expect(code).toBe(0);
  expect(out).toContain('Simulating 22 lead(s)');
  expect(out).toContain('all at 2026-11-23T15:00:00.000Z (one burst)');
  expect(out).toMatch(/acme-aws-migration at 2026-11-23T15:00:00.000Z → team cloud, first offer to ana \(5 minutes\)/);
  expect(out).toContain('lena: out of office until 2026-12-02; backup chloe takes their place');
  expect(out).toContain('kai: outside working hours: 02:00 Australia/Sydney');
  expect(out).toContain('fatima: out of office until 2026-11-27; backup omar is unavailable too: away');
  expect(out).toMatch(
    /^ {2}cloud \(Cloud & Data\), 12 lead\(s\): ana \[2\] \d+, ben \d+, ines \d+, kai never available; spread \d+/m,
  );
});

test('each lead at its own receivedAt: the Thanksgiving lead skips the rep on holiday', async () => {
  const { code, out } = await run(['--policy', policy, '--leads', example, '--directory', directory]);
  expect(code).toBe(0);
  expect(out).toContain('each at its receivedAt');
  expect(out).toContain('ana: holiday: Thanksgiving Day (US)');
});

test('rows with only text are qualified by the hook, which sees the row', async () => {
  const leads = file(
    'text.csv',
    `${header}\nt1,,emea,DE,,,,web-form,,,,"Please call about our firewall"\nt2,,emea,DE,cloud-migration,,,web-form,,,,"no urgency given"\n`,
  );
  const seen: string[] = [];
  const qualify: SimulateOptions['qualify'] = (row) => {
    seen.push(row.id!);
    return { serviceLine: 'cybersecurity', urgency: 'now', tier: 'A' };
  };
  const { code, out } = await run(
    ['--policy', policy, '--leads', leads, '--directory', directory, '--at', '2026-11-23T15:00:00Z'],
    { qualify },
  );
  expect(code).toBe(0);
  expect(seen).toEqual(['t1', 't2']);
  expect(out).toMatch(/t1 at .* → team security/);
  // A value the row gives is kept; only the missing ones come from the hook.
  expect(out).toMatch(/t2 at .* → team cloud/);
});

test('without a hook, text is qualified by the keyword rules', async () => {
  const leads = file(
    'keywords.csv',
    `${header}\nk1,2026-11-23T15:00:00Z,emea,DE,,,,web-form,,,,"We need a penetration test for ISO 27001 ASAP"\n`,
  );
  const { code, out } = await run(['--policy', policy, '--leads', leads, '--directory', directory]);
  expect(code).toBe(0);
  expect(out).toMatch(/k1 at .* → team security/);
});

test.each([
  ['unknown.csv', 'id,teir\nx,A\n', 'unknown.csv: unknown column "teir" (known: id, region'],
  [
    'badtier.csv',
    `${header}\nok,2026-11-23T15:00:00Z,na,US,cloud-migration,now,A,web-form,10,,,\nbad,2026-11-23T15:00:00Z,na,US,cloud-migration,now,D,web-form,10,,,\n`,
    'badtier.csv row 2 (line 3), column tier: one of A, B, C (got "D")',
  ],
  [
    'badsize.csv',
    `${header}\nbad,2026-11-23T15:00:00Z,na,US,cloud-migration,now,A,web-form,lots,,,\n`,
    'badsize.csv row 1 (line 2), column companySize: a whole number of employees (got "lots")',
  ],
  [
    'notext.csv',
    `${header}\nbad,2026-11-23T15:00:00Z,na,US,,now,,web-form,10,,,\n`,
    'notext.csv row 1 (line 2), column serviceLine, tier: empty, and there is no text to qualify the lead from',
  ],
  [
    'nowhen.csv',
    `${header}\nbad,,na,US,cloud-migration,now,A,web-form,10,,,\n`,
    'nowhen.csv row 1 (line 2), column receivedAt: empty; give each lead its arrival time, or --at for the whole batch',
  ],
  ['ragged.csv', `${header}\nbad,2026-11-23T15:00:00Z,na\n`, 'ragged.csv: Invalid Record Length'],
  ['empty.csv', `${header}\n`, 'empty.csv: no leads'],
])('a bad leads file (%s) is refused naming the file, row and column', async (name, text, message) => {
  const { code, err } = await run(['--policy', policy, '--leads', file(name, text), '--directory', directory]);
  expect(code).toBe(1);
  expect(err).toContain(message);
});

test('a bad policy is refused with file:line:column for each mistake', async () => {
  const bad = file(
    'bad-policy.yaml',
    'sla:\n  - name: any\n    within: 1 hour\ndefault:\n  team: nowhere\n  strategy: round-robin\n',
  );
  const { code, err } = await run(['--policy', bad, '--leads', example, '--directory', directory]);
  expect(code).toBe(1);
  expect(err).toContain(`${bad}:6:3: default.strategy: a strategy: owner-first, weighted-round-robin, least-loaded`);
});

test('a policy routing to a team the directory lacks is refused before any lead runs', async () => {
  const bad = file(
    'ghost-team.yaml',
    'sla:\n  - name: any\n    within: 1 hour\ndefault:\n  team: nowhere\n  strategy: least-loaded\n',
  );
  const { code, err } = await run(['--policy', bad, '--leads', example, '--directory', directory]);
  expect(code).toBe(1);
  expect(err).toContain(`${bad}:5:3: default.team: no team nowhere in the directory`);
});

test('a bad directory file is named with the place of the mistake', async () => {
  const broken = JSON.parse(fs.readFileSync(directory, 'utf8')) as { reps: Array<{ timeZone?: string }> };
  broken.reps[0]!.timeZone = 'Mars/Olympus';
  const { code, err } = await run([
    '--policy',
    policy,
    '--leads',
    example,
    '--directory',
    file('dir.json', JSON.stringify(broken)),
  ]);
  expect(code).toBe(1);
  expect(err).toContain('dir.json: reps.0.timeZone: not an IANA time zone');
});

test('leads no rule routes are listed and make the exit code 1', async () => {
  const strict = file(
    'strict.yaml',
    'sla:\n  - name: any\n    within: 1 hour\nrules:\n  - name: cloud only\n    when: { serviceLine: cloud-migration }\n    team: cloud\n    strategy: least-loaded\n',
  );
  const leads = file(
    'mixed.csv',
    `${header}\na,2026-11-23T15:00:00Z,na,US,cloud-migration,now,A,web-form,10,,,\nb,2026-11-23T15:00:00Z,na,US,support,now,A,web-form,10,,,\n`,
  );
  const { code, out } = await run([
    '--policy',
    strict,
    '--leads',
    leads,
    '--directory',
    directory,
    '--policy-version',
    '4',
  ]);
  expect(code).toBe(1);
  expect(out).toContain('b at 2026-11-23T15:00:00.000Z: NOT ROUTED: no rule of policy v4 matches the lead');
  expect(out).toContain('1 lead(s) could not be routed');
});

test('--json prints the whole simulation as JSON', async () => {
  const { code, out } = await run([
    '--policy',
    policy,
    '--leads',
    example,
    '--directory',
    directory,
    '--at',
    '2026-11-23T15:00:00Z',
    '--json',
  ]);
  expect(code).toBe(0);
  const parsed = JSON.parse(out) as { decisions: unknown[]; teams: unknown[]; firstOffers: Record<string, number> };
  expect(parsed.decisions).toHaveLength(22);
  expect(Object.values(parsed.firstOffers).reduce((a, b) => a + b, 0)).toBeGreaterThan(15);
});

test.each([
  [[], '--policy is required'],
  [['--policy', 'p.yaml'], '--leads is required'],
  [['--policy', 'p.yaml', '--leads', 'l.csv', '--at', 'tomorrow'], '--at must be an ISO-8601 instant'],
  [['--policy', 'p.yaml', '--leads', 'l.csv', '--policy-version', 'two'], '--policy-version must be a whole number'],
  [['--polcy', 'p.yaml'], "Unknown option '--polcy'"],
])('usage mistakes exit 2 and say what is wrong: %j', async (args, message) => {
  const { code, err } = await run(args);
  expect(code).toBe(2);
  expect(err).toContain(message);
});

test('a file that cannot be read is named', async () => {
  const { code, err } = await run([
    '--policy',
    path.join(dir, 'missing.yaml'),
    '--leads',
    example,
    '--directory',
    directory,
  ]);
  expect(code).toBe(1);
  expect(err).toContain('missing.yaml: cannot read it (ENOENT)');
});
