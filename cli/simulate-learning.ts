// `npx leadrelay simulate-learning`: does best-fit routing convert more than weighted round robin, and how close
// does it come to an oracle that knows every rep's true rates? Runs a scenario (src/learning/simulation.ts) over
// several seeds, prints conversions with 95% intervals, the lift, the fairness kept, an offline estimate of a
// second policy from the logged propensities beside its simulated truth, and writes a regret curve as SVG.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { parseDirectoryFile } from '../src/directory-file';
import { estimateOffPolicy } from '../src/learning/off-policy';
import {
  ScenarioSchema,
  simulateLearning,
  trueRate,
  type Scenario,
  type SimulatedStrategy,
  type SimulationRun,
} from '../src/learning/simulation';
import { parsePolicy } from '../src/policy/parse-policy';
import { readTextFile } from './read-text-file';
import type { RoutingPolicy } from '../src/policy/policy-schema';
import type { Directory } from '../src/routing/directory';

const usage = `usage: leadrelay simulate-learning --scenario <file.yaml> [--leads N] [--seed S] [--seeds K] [--svg <file>]
  --leads   leads per run (default 10000)
  --seed    the first seed (default 1); runs use seeds S .. S+K-1
  --seeds   how many seeds (default 5)
  --svg     where the regret curve goes (default <scenario name>-regret.svg in the current directory)`;

export interface SimulateLearningOptions {
  out?: (text: string) => void;
  err?: (text: string) => void;
}

export interface LoadedScenario {
  scenario: Scenario;
  policy: RoutingPolicy;
  directory: Directory;
}

/** Reads a scenario file and the policy and directory it names, with errors that say which file and field. */
export function loadScenario(file: string): LoadedScenario {
  const raw = parseYaml(readTextFile(file, 'scenario')) as unknown;
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  }
  const scenario = parsed.data;
  const base = path.dirname(file);
  const policyFile = path.resolve(base, scenario.policy);
  const policyResult = parsePolicy(readTextFile(policyFile, 'policy'));
  if (!policyResult.ok) {
    const e = policyResult.errors[0]!;
    throw new Error(`${policyFile}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
  }
  const directoryFile = path.resolve(base, scenario.directory);
  const directory = parseDirectoryFile(JSON.parse(readTextFile(directoryFile, 'directory')));
  for (const repId of Object.keys(scenario.rates.reps))
    if (!directory.reps.some((r) => r.id === repId))
      throw new Error(`${file}: rates.reps.${repId}: no such rep in ${directoryFile}`);
  const names = new Set(scenario.segments.map((s) => s.name));
  for (const [repId, rates] of Object.entries(scenario.rates.reps))
    for (const name of Object.keys(rates))
      if (name !== 'default' && !names.has(name))
        throw new Error(`${file}: rates.reps.${repId}.${name}: no segment of that name`);
  return { scenario, policy: policyResult.policy, directory };
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
}

// Two-sided 95% Student t quantiles by degrees of freedom; seeds are few, so the normal 1.96 would be too narrow.
const t95 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export function interval(values: readonly number[]): Interval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: mean, high: mean };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (t95[n - 1] ?? 1.96) * (sd / Math.sqrt(n));
  return { mean, low: mean - half, high: mean + half };
}

export interface LearningReport {
  leads: number;
  seeds: number[];
  conversions: Record<SimulatedStrategy, Interval>;
  liftPct: number;
  oracleSharePct: number;
  /** Lowest, over seeds and reps, of leads a rep got under best-fit ÷ leads they got under round robin. */
  minFairShare: number;
  ips: { estimate: number | null; low: number | null; high: number | null; truth: number; matched: number };
  /** Mean over seeds of cumulative expected-conversion regret against the oracle, sampled along the leads. */
  regret: Array<{ lead: number; strategy: string; regret: number }>;
}

/** Reps with fewer round-robin leads than this are left out of the fairness share: a ratio of 2 to 3 says little. */
const minLeadsForShare = 20;

export function runScenario(loaded: LoadedScenario, leads: number, seeds: number[]): LearningReport {
  const runs: Record<SimulatedStrategy, SimulationRun[]> = { 'round-robin': [], 'best-fit': [], oracle: [] };
  seeds.forEach((seed, i) => {
    for (const strategy of ['round-robin', 'best-fit', 'oracle'] as const)
      runs[strategy].push(
        simulateLearning({
          ...loaded,
          leads,
          seed,
          strategy,
          // The offline estimate uses the first seed's log: only its propensities need estimating.
          propensityDraws: strategy === 'best-fit' && i === 0 ? 1000 : 0,
        }),
      );
  });
  const conversions = {
    'round-robin': interval(runs['round-robin'].map((r) => r.conversions)),
    'best-fit': interval(runs['best-fit'].map((r) => r.conversions)),
    oracle: interval(runs.oracle.map((r) => r.conversions)),
  };
  const rr = conversions['round-robin'].mean;
  const bf = conversions['best-fit'].mean;
  const oracle = conversions.oracle.mean;

  let minFairShare = Infinity;
  seeds.forEach((_, i) => {
    for (const [repId, rrLeads] of runs['round-robin'][i]!.leadsByRep) {
      if (rrLeads < minLeadsForShare) continue;
      const share = (runs['best-fit'][i]!.leadsByRep.get(repId) ?? 0) / rrLeads;
      if (share < minFairShare) minFairShare = share;
    }
  });

  return {
    leads,
    seeds,
    conversions,
    liftPct: ((bf - rr) / rr) * 100,
    oracleSharePct: oracle === rr ? 100 : ((bf - rr) / (oracle - rr)) * 100,
    minFairShare: minFairShare === Infinity ? 1 : minFairShare,
    // The candidate learns from another seed's run when there is one: judged on the outcomes it was learned from,
    // it would look better than it is.
    ips: evaluateGreedy(loaded.scenario, runs['best-fit'][0]!, runs['best-fit'][1] ?? runs['best-fit'][0]!),
    regret: regretCurve(runs, leads),
  };
}

/**
 * The second candidate policy: always the rep best-fit believes in most at the end of a run (greedy, no
 * exploration, no floor), learned from `learnedFrom` (the second seed's run). Its estimate comes from the first
 * run's logged propensities; its truth is the mean true rate of the reps it would have chosen for those same leads.
 */
function evaluateGreedy(scenario: Scenario, run: SimulationRun, learnedFrom: SimulationRun): LearningReport['ips'] {
  const belief = learnedFrom.finalBeliefs!;
  let truth = 0;
  const choices = run.log.map((d) => {
    let pick = d.eligible[0]!;
    for (const repId of d.eligible) if (belief(repId, d.segmentKey) > belief(pick, d.segmentKey)) pick = repId;
    truth += trueRate(scenario, pick, scenario.segments[d.segment]!);
    return { propensity: d.propensity, candidateProbability: pick === d.chosen ? 1 : 0, converted: d.converted };
  });
  const estimate = estimateOffPolicy(choices);
  return {
    estimate: estimate.rate,
    low: estimate.low,
    high: estimate.high,
    truth: run.log.length ? truth / run.log.length : 0,
    matched: estimate.matched,
  };
}

function regretCurve(runs: Record<SimulatedStrategy, SimulationRun[]>, leads: number): LearningReport['regret'] {
  const points: LearningReport['regret'] = [];
  const step = Math.max(1, Math.floor(leads / 200));
  for (let lead = step; lead <= leads; lead += step) {
    for (const strategy of ['round-robin', 'best-fit'] as const) {
      const values = runs[strategy].map((run, i) => {
        const oracle = runs.oracle[i]!.expectedByLead;
        const at = Math.min(lead, run.expectedByLead.length, oracle.length) - 1;
        return at < 0 ? 0 : oracle[at]! - run.expectedByLead[at]!;
      });
      points.push({ lead, strategy, regret: values.reduce((a, b) => a + b, 0) / values.length });
    }
  }
  return points;
}

/** The regret curve as a Vega-Lite line chart, rendered to SVG on the server (no browser). */
export async function renderRegretSvg(report: LearningReport, title: string): Promise<string> {
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const spec = vegaLite.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: `cumulative expected conversions behind the oracle, mean of ${report.seeds.length} seeds`,
    },
    width: 560,
    height: 300,
    data: { values: report.regret },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'lead', type: 'quantitative', title: 'leads routed' },
      y: { field: 'regret', type: 'quantitative', title: 'regret (conversions)' },
      color: { field: 'strategy', type: 'nominal', title: 'strategy' },
    },
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);

export function describeReport(report: LearningReport, loaded: LoadedScenario): string {
  const line = (name: string, i: Interval) =>
    `${name.padEnd(22)}${fmt(i.mean).padStart(10)}   [${fmt(i.low)}, ${fmt(i.high)}]   ${fmt((i.mean / report.leads) * 100)}%`;
  const ips = report.ips;
  return [
    loaded.scenario.description,
    `${report.leads} leads per run, seeds ${report.seeds[0]}..${report.seeds[report.seeds.length - 1]}; converting on ${loaded.policy.learning.convertsOn}`,
    '',
    `${'strategy'.padEnd(22)}${'conversions'.padStart(10)}   95% interval       rate`,
    line('weighted round robin', report.conversions['round-robin']),
    line('best-fit', report.conversions['best-fit']),
    line('oracle', report.conversions.oracle),
    '',
    `lift over round robin: ${fmt(report.liftPct)}%; share of the oracle's gain captured: ${fmt(report.oracleSharePct)}%`,
    `fairness: every rep got at least ${fmt(report.minFairShare, 2)}× the leads round robin gave them (floor ${loaded.policy.learning.fairnessFloor} of their share)`,
    `offline estimate of "always the best-believed rep" from ${ips.matched} matching logged decisions: ` +
      (ips.estimate === null
        ? 'no logged decision matches it'
        : `${fmt(ips.estimate * 100)}% [${fmt(ips.low! * 100)}, ${fmt(ips.high! * 100)}]; simulated truth ${fmt(ips.truth * 100)}%`),
  ].join('\n');
}

export function finalLine(report: LearningReport): string {
  const c = report.conversions;
  return (
    `simulate-learning leads=${report.leads} round_robin=${fmt(c['round-robin'].mean)} best_fit=${fmt(c['best-fit'].mean)} ` +
    `oracle=${fmt(c.oracle.mean)} lift_pct=${fmt(report.liftPct)} oracle_share_pct=${fmt(report.oracleSharePct)} ` +
    `min_fair_share=${fmt(report.minFairShare, 2)} ips_estimate=${report.ips.estimate === null ? 'NaN' : fmt(report.ips.estimate, 4)} ` +
    `ips_truth=${fmt(report.ips.truth, 4)}`
  );
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: a whole number of at least 1, not ${value}`);
  return n;
}

export async function main(argv: string[], options: SimulateLearningOptions = {}): Promise<number> {
  const out = options.out ?? ((text: string) => process.stdout.write(text + '\n'));
  const err = options.err ?? ((text: string) => process.stderr.write(text + '\n'));
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        leads: { type: 'string' },
        seed: { type: 'string' },
        seeds: { type: 'string' },
        svg: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    out(usage);
    return 0;
  }
  if (!values.scenario) {
    err(`--scenario is required\n${usage}`);
    return 2;
  }
  let leads: number;
  let seeds: number[];
  try {
    leads = positiveInt('leads', values.leads, 10_000);
    const first = values.seed === undefined ? 1 : positiveInt('seed', values.seed, 1);
    seeds = Array.from({ length: positiveInt('seeds', values.seeds, 5) }, (_, i) => first + i);
  } catch (error) {
    err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  let loaded: LoadedScenario;
  try {
    loaded = loadScenario(values.scenario);
  } catch (error) {
    err((error as Error).message);
    return 2;
  }
  const report = runScenario(loaded, leads, seeds);
  const name = path.basename(values.scenario).replace(/\.ya?ml$/i, '');
  const svgFile = values.svg ?? `${name}-regret.svg`;
  fs.writeFileSync(svgFile, await renderRegretSvg(report, `${name}: regret against the oracle`));
  out(describeReport(report, loaded));
  out(`regret curve: ${svgFile}`);
  out(finalLine(report));
  return 0;
}
