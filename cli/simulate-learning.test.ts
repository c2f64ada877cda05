import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = path.join(__dirname, '..', 'bin', 'leadrelay.js');

test('simulate-learning runs the demo scenario, writes the regret curve and ends with the summary line', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-learning-'));
  const svg = path.join(dir, 'regret.svg');
  const scenario = path.join(__dirname, '..', 'examples', 'scenarios', 'demo.yaml');
  const { stdout } = await run('node', [
    bin,
    'simulate-learning',
    '--scenario',
    scenario,
    '--leads',
    '300',
    '--seeds',
    '2',
    '--svg',
    svg,
  ]);
  const last = stdout.trim().split('\n').at(-1)!;
  expect(last).toMatch(
    /^simulate-learning leads=300 round_robin=[\d.]+ best_fit=[\d.]+ oracle=[\d.]+ lift_pct=-?[\d.]+ oracle_share_pct=-?[\d.]+ min_fair_share=[\d.]+ ips_estimate=[\d.]+ ips_truth=[\d.]+$/,
  );
  expect(stdout).toContain('weighted round robin');
  const chart = fs.readFileSync(svg, 'utf8');
  expect(chart.startsWith('<svg')).toBe(true);
  expect(chart).toContain('best-fit');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a bad argument or a missing scenario is a usage error naming it', async () => {
  const fail = (args: string[]) =>
    run('node', [bin, 'simulate-learning', ...args]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
  const badLeads = await fail(['--scenario', 'x.yaml', '--leads', '0']);
  expect(badLeads?.code).toBe(2);
  expect(badLeads?.stderr).toContain('--leads');
  const missing = await fail(['--scenario', '/nonexistent/scenario.yaml']);
  expect(missing?.code).toBe(2);
  expect(missing?.stderr).toContain('scenario /nonexistent/scenario.yaml: no such file');
});
