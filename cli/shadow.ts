// `npx leadrelay shadow report [--since 30d]`: where the shadow policy's decisions differ from the live ones (per
// rule, per rep, fairness) and, once outcomes arrive, the offline estimate of the shadow's conversion beside live.
// Reads Postgres; changes nothing.
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
import { loadDirectory } from '../db/directory';
import { listPolicies, readPolicy } from '../db/policies';
import { createPool } from '../db/pool';
import { readShadowDecisions, type ShadowRow } from '../db/shadow';
import { loadConfig, requireSetting } from '../src/config';
import { lowestFairShare } from '../src/dashboard/fair-share';
import { NotEvaluable } from '../src/learning/evaluate-policy';
import { parsePolicy } from '../src/policy/parse-policy';
import type { Directory } from '../src/routing/directory';
import { evaluateCandidate } from '../db/offline-evaluation';

const usage = `usage: leadrelay shadow report [--since <N>d] [--version N] [--draws N]
  --since    decisions of the last N days (default 30d)
  --version  the shadow version to report on (default: the current shadow, else the latest that ran)
  --draws    draws per decision for a best-fit shadow's probability (default 1000)
DATABASE_URL names the database.`;

export interface ShadowIo {
  out: (line: string) => void;
  err: (line: string) => void;
  db?: Pool;
  now?: Date;
}

const dayMs = 86_400_000;
const pct = (n: number, of: number) => (of === 0 ? '-' : `${((n / of) * 100).toFixed(1)}%`);

export async function main(
  args: string[],
  io: ShadowIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
): Promise<number> {
  const fail = (message: string) => {
    io.err(`leadrelay shadow: ${message}\n${usage}`);
    return 2;
  };
  const [command, ...rest] = args;
  if (command === '--help' || command === 'help') {
    io.out(usage);
    return 0;
  }
  if (command !== 'report') return fail(command ? `unknown command ${command}` : 'say what: report');
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { since: { type: 'string' }, version: { type: 'string' }, draws: { type: 'string' } },
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  const since = /^(\d+)d$/.exec(values.since ?? '30d');
  if (!since || Number(since[1]) < 1) return fail(`--since: a number of days like 30d, not ${values.since}`);
  const draws = Number(values.draws ?? 1000);
  if (!Number.isInteger(draws) || draws < 10)
    return fail(`--draws: a whole number of at least 10, not ${values.draws}`);
  const askedVersion = values.version === undefined ? undefined : Number(values.version);
  if (askedVersion !== undefined && !(Number.isInteger(askedVersion) && askedVersion > 0))
    return fail(`--version: a policy version number, not ${values.version}`);

  const db = io.db ?? createPool(requireSetting(loadConfig(process.env), 'DATABASE_URL'), io.err);
  try {
    const now = io.now ?? new Date();
    const from = new Date(now.getTime() - Number(since[1]) * dayMs);
    const inWindow = await readShadowDecisions(db, from, now);
    // The version asked for; else the shadow running now; else the last one that decided anything in the window.
    const version =
      askedVersion ??
      (await listPolicies(db)).find((p) => p.status === 'shadow')?.version ??
      inWindow.at(-1)?.policyVersion;
    if (version === undefined) return fail('no policy has run as the shadow: POST /v1/admin/policies/<version>/shadow');
    const rows = inWindow.filter((r) => r.policyVersion === version);
    const directory = await loadDirectory(db);
    report(io.out, version, rows, directory, from);

    const stored = await readPolicy(db, version);
    const parsed = stored && parsePolicy(stored.yaml, { teamIds: directory.teams.map((t) => t.id) });
    if (!parsed?.ok) {
      io.out(`offline estimate: policy version ${version} no longer validates against the directory`);
      io.out(finalLine(rows, null));
      return 0;
    }
    try {
      const e = await evaluateCandidate(db, { policy: parsed.policy, directory, from, to: now, draws });
      io.out(
        `offline estimate over ${e.resolved.length} resolved best-fit decisions (${e.decisions.length - e.resolved.length} inside their outcome window):`,
      );
      io.out(
        `  live    ${e.liveRate === null ? 'no resolved decisions' : `${(e.liveRate * 100).toFixed(1)}% ± ${(e.liveHalf * 100).toFixed(1)}`}`,
      );
      io.out(
        `  shadow  ${
          e.estimate.rate === null
            ? 'no estimate (it would have made none of the logged first offers, or none resolved)'
            : `${(e.estimate.rate * 100).toFixed(1)}% [${(e.estimate.low! * 100).toFixed(1)}%, ${(e.estimate.high! * 100).toFixed(1)}%] from ${e.estimate.matched} decisions it shares`
        }`,
      );
      io.out(finalLine(rows, { live: e.liveRate, shadow: e.estimate.rate }));
    } catch (error) {
      if (!(error instanceof NotEvaluable)) throw error;
      io.out(`offline estimate: ${error.message}`);
      io.out(finalLine(rows, null));
    }
    return 0;
  } finally {
    if (!io.db) await db.end();
  }
}

function report(out: (line: string) => void, version: number, rows: ShadowRow[], directory: Directory, from: Date) {
  const n = rows.length;
  const unrouted = rows.filter((r) => r.problem !== null).length;
  const sameTeam = rows.filter((r) => r.teamId === r.liveTeamId).length;
  const sameFirst = rows.filter((r) => r.firstRep !== null && r.firstRep === r.liveFirstRep).length;
  out(`shadow policy v${version}: ${n} leads decided beside live since ${from.toISOString().slice(0, 10)}`);
  out(
    `  same team ${sameTeam} (${pct(sameTeam, n)}), same first rep ${sameFirst} (${pct(sameFirst, n)}), could not route ${unrouted}`,
  );

  out('by live rule (leads, same first rep, where the shadow sent them):');
  const byRule = groupBy(rows, (r) => r.liveRule ?? '(default)');
  for (const [rule, group] of [...byRule].sort((a, b) => b[1].length - a[1].length)) {
    const same = group.filter((r) => r.firstRep !== null && r.firstRep === r.liveFirstRep).length;
    const shadowRules = [...groupBy(group, (r) => (r.problem ? 'no route' : (r.rule ?? '(default)')))]
      .map(([name, g]) => `${name} ${g.length}`)
      .join(', ');
    out(`  ${rule}: ${group.length}, same ${same} (${pct(same, group.length)}); shadow: ${shadowRules}`);
  }

  out('first offers per rep, live → shadow:');
  const live = countBy(rows, (r) => r.liveFirstRep);
  const shadow = countBy(rows, (r) => r.firstRep);
  for (const rep of [...new Set([...live.keys(), ...shadow.keys()])].sort())
    out(`  ${rep}: ${live.get(rep) ?? 0} → ${shadow.get(rep) ?? 0}`);

  out(
    `fairness (lowest share of a team's first offers against a rep's weighted share, among the reps in play): live ${fairShareOf(rows, liveDecision, directory).toFixed(2)}, shadow ${fairShareOf(rows, shadowDecision, directory).toFixed(2)}`,
  );
}

/** lowestFairShare (src/dashboard/fair-share.ts) over the teams the policy routed the leads to. */
function fairShareOf(rows: ShadowRow[], decided: (r: ShadowRow) => Decided, directory: Directory): number {
  const routed = countBy(rows, (r) => decided(r).teamId);
  const firsts = countBy(rows, (r) => decided(r).firstRep);
  const teamOfRep = new Map<string, string>();
  for (const r of rows) {
    const d = decided(r);
    if (d.firstRep && d.teamId) teamOfRep.set(d.firstRep, d.teamId);
  }
  const reps = directory.reps.flatMap((rep) => {
    const teamId = teamOfRep.get(rep.id);
    return teamId ? [{ teamId, weight: rep.weight, firstOffers: firsts.get(rep.id) ?? 0 }] : [];
  });
  return lowestFairShare(reps, (teamId) => routed.get(teamId) ?? 0);
}

interface Decided {
  teamId: string | null;
  firstRep: string | null;
}
const liveDecision = (r: ShadowRow): Decided => ({ teamId: r.liveTeamId, firstRep: r.liveFirstRep });
const shadowDecision = (r: ShadowRow): Decided => ({ teamId: r.teamId, firstRep: r.firstRep });

function finalLine(rows: ShadowRow[], rates: { live: number | null; shadow: number | null } | null): string {
  const n = rows.length;
  const same = rows.filter((r) => r.firstRep !== null && r.firstRep === r.liveFirstRep).length;
  const rate = (x: number | null | undefined) => (x === null || x === undefined ? 'NaN' : x.toFixed(4));
  return `shadow decisions=${n} same_first_rep=${n ? (same / n).toFixed(4) : 'NaN'} live=${rate(rates?.live)} shadow=${rate(rates?.shadow)}`;
}

function groupBy<T>(items: T[], key: (item: T) => string | null): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function countBy<T>(items: T[], key: (item: T) => string | null): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
