// `npx leadrelay evaluate --policy candidate.yaml --since 90d`: how a candidate policy would have converted on the
// leads best-fit routed, estimated offline from the logged propensities (self-normalised inverse propensity
// scoring), beside what the live decisions converted. Reads Postgres; changes nothing.
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
import { loadDirectory } from '../db/directory';
import { evaluateCandidate, type CandidateEvaluation } from '../db/offline-evaluation';
import { createPool } from '../db/pool';
import { loadConfig, requireSetting } from '../src/config';
import { NotEvaluable } from '../src/learning/evaluate-policy';
import { parsePolicy } from '../src/policy/parse-policy';
import { readTextFile } from './read-text-file';

const usage = `usage: leadrelay evaluate --policy <candidate.yaml> [--since <N>d] [--draws N]
  --since   decisions of the last N days (default 90d)
  --draws   draws per decision for a best-fit candidate's probability (default 1000)
DATABASE_URL names the database. Only best-fit decisions log a propensity, so only they are evaluated.`;

export interface EvaluateIo {
  out: (line: string) => void;
  err: (line: string) => void;
  db?: Pool;
  /** The instant to evaluate as of; by default now. */
  now?: Date;
}

const dayMs = 86_400_000;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export async function main(
  args: string[],
  io: EvaluateIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        policy: { type: 'string' },
        since: { type: 'string' },
        draws: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const fail = (message: string) => {
    io.err(`leadrelay evaluate: ${message}\n${usage}`);
    return 2;
  };
  if (!values.policy) return fail('--policy is required');
  const since = /^(\d+)d$/.exec(values.since ?? '90d');
  if (!since || Number(since[1]) < 1) return fail(`--since: a number of days like 90d, not ${values.since}`);
  const draws = Number(values.draws ?? 1000);
  if (!Number.isInteger(draws) || draws < 10)
    return fail(`--draws: a whole number of at least 10, not ${values.draws}`);
  let yaml: string;
  try {
    yaml = readTextFile(values.policy);
  } catch (error) {
    return fail((error as Error).message);
  }

  const db = io.db ?? createPool(requireSetting(loadConfig(process.env), 'DATABASE_URL'), io.err);
  try {
    const directory = await loadDirectory(db);
    const parsed = parsePolicy(yaml, { teamIds: directory.teams.map((t) => t.id) });
    if (!parsed.ok) {
      const e = parsed.errors[0]!;
      return fail(`${values.policy}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
    }
    const policy = parsed.policy;
    const now = io.now ?? new Date();
    const from = new Date(now.getTime() - Number(since[1]) * dayMs);
    let evaluated: CandidateEvaluation;
    try {
      evaluated = await evaluateCandidate(db, { policy, directory, from, to: now, draws });
    } catch (error) {
      if (error instanceof NotEvaluable) return fail(error.message);
      throw error;
    }
    const { decisions, resolved, liveRate, liveHalf, estimate } = evaluated;
    io.out(
      `${decisions.length} best-fit decisions since ${from.toISOString().slice(0, 10)}; ${resolved.length} resolved ` +
        `(${decisions.length - resolved.length} still inside their outcome window); conversion = ${policy.learning.convertsOn} or later`,
    );
    io.out(
      `live (as decided)   ${liveRate === null ? 'no resolved decisions' : `${pct(liveRate)} [${pct(Math.max(0, liveRate - liveHalf))}, ${pct(Math.min(1, liveRate + liveHalf))}]`}`,
    );
    io.out(
      `candidate           ${
        resolved.length === 0
          ? 'no resolved decisions to evaluate'
          : estimate.rate === null
            ? 'the candidate would have made none of the logged first offers: no estimate'
            : `${pct(estimate.rate)} [${pct(estimate.low!)}, ${pct(estimate.high!)}] from ${estimate.matched} decisions it shares (effective size ${estimate.effectiveSize.toFixed(1)})`
      }`,
    );
    io.out(
      `evaluate decisions=${resolved.length} live=${liveRate === null ? 'NaN' : liveRate.toFixed(4)} candidate=${
        estimate.rate === null ? 'NaN' : estimate.rate.toFixed(4)
      } low=${estimate.low === null ? 'NaN' : estimate.low.toFixed(4)} high=${estimate.high === null ? 'NaN' : estimate.high.toFixed(4)}`,
    );
    return 0;
  } finally {
    if (!io.db) await db.end();
  }
}
