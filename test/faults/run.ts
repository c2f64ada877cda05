// Runs fault scenarios against one stack, checks the invariants after each, and sums them up in a table and one
// final line. `npm run faults` runs all nine; the quick test runs 1, 5 and 6 at small sizes.
import { checkInvariants, type Invariants, type Log, type ScenarioResult } from './suite';
import { scenarios, type Sizes } from './scenarios';
import { FaultStack } from './stack';

export interface ScenarioRow extends ScenarioResult, Invariants {
  id: number;
  seconds: number;
}

export interface FaultsReport {
  rows: ScenarioRow[];
  finalLine: string;
  /** Every invariant held and no scenario found a defect. */
  clean: boolean;
}

export async function runFaults(opts: {
  only: number[];
  sizes: Sizes;
  log: Log;
  runDir?: string;
  migratedDatabaseUrl?: string;
}): Promise<FaultsReport> {
  const { only, sizes, log, ...stackOptions } = opts;
  const stack = await FaultStack.start({ log, ...stackOptions });
  log(`stack up (processes' logs in ${stack.runDir})`);
  const rows: ScenarioRow[] = [];
  try {
    for (const scenario of scenarios.filter((s) => only.includes(s.id))) {
      log(`scenario ${scenario.id}: ${scenario.name}`);
      const started = Date.now();
      const result = await scenario.run(stack, log, sizes);
      const invariants = await checkInvariants(stack, result);
      const row = { id: scenario.id, ...result, ...invariants, seconds: (Date.now() - started) / 1000 };
      rows.push(row);
      for (const line of [...row.notes, ...row.defects.map((d) => `DEFECT ${d}`), ...row.details]) log(`  ${line}`);
    }
  } finally {
    await stack.stop().catch((err: unknown) => log(`stopping the stack: ${String(err)}`));
  }
  const sum = (pick: (r: ScenarioRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
  const ratio = rows.find((r) => r.hotP99Ratio !== undefined)?.hotP99Ratio;
  const rss = rows.find((r) => r.rssMb !== undefined)?.rssMb;
  const finalLine =
    `faults: scenarios=${rows.length} submitted=${sum((r) => r.submitted)} lost=${sum((r) => r.lost)}` +
    ` double_owners=${sum((r) => r.doubleOwners)} duplicate_emails=${sum((r) => r.duplicateEmails)}` +
    ` without_deadline=${sum((r) => r.withoutDeadline)} failed_runs=${sum((r) => r.failedRuns)}` +
    ` hot_p99_ratio=${ratio === undefined ? 'NA' : ratio.toFixed(2)} rss_mb=${rss === undefined ? 'NA' : Math.round(rss)}`;
  const clean = rows.every(
    (r) =>
      r.lost + r.doubleOwners + r.duplicateEmails + r.missingEmails + r.withoutDeadline + r.failedRuns === 0 &&
      r.defects.length === 0,
  );
  return { rows, finalLine, clean };
}

export function table(rows: ScenarioRow[]): string {
  const header = [
    '#',
    'scenario',
    'submitted',
    'lost',
    'double owners',
    'dup emails',
    'missing emails',
    'no deadline',
    'failed runs',
    's',
  ];
  const lines = rows.map((r) => [
    String(r.id),
    r.name,
    String(r.submitted),
    String(r.lost),
    String(r.doubleOwners),
    String(r.duplicateEmails),
    String(r.missingEmails),
    String(r.withoutDeadline),
    String(r.failedRuns),
    r.seconds.toFixed(0),
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
