// The routing policy's life for the admin routes: upload a draft, read it, simulate it against the last leads,
// activate it. The policy repository's errors become refusals naming the version, or the YAML's lines.
import type { Pool } from 'pg';
import type { Principal } from '../../../db/credentials';
import { loadDirectory } from '../../../db/directory';
import { readPastLeads } from '../../../db/lead-records';
import {
  activatePolicy,
  draftPolicy,
  endShadow,
  InvalidPolicyError,
  PolicyNotFoundError,
  PolicyStateError,
  promoteShadow,
  shadowPolicy,
  readParsedPolicy,
  readPolicy,
  type StoredPolicy,
} from '../../../db/policies';
import type { PolicyError } from '../../../src/policy/parse-policy';
import { simulateRouting } from '../../../src/routing/simulation';
import { HttpError, httpError } from '../../errors';
import type { Simulation } from './schemas';

/** A policy's mistakes as field issues: the field is `yaml`, each issue carries its line and column. */
function policyIssues(status: number, summary: string, errors: PolicyError[]): HttpError {
  return new HttpError(
    status,
    summary,
    errors.map((e) => ({
      field: 'yaml',
      line: e.line,
      column: e.column,
      message: `line ${e.line}, column ${e.column}${e.path ? ` (${e.path})` : ''}: ${e.message}`,
    })),
    'InvalidPolicy',
  );
}

function policyNotFound(version: number): never {
  throw httpError(404, 'version', `no policy version ${version}`);
}

/** A stored version that is missing is a 404; one that no longer fits the teams is a 409 with line numbers. */
async function refusingStoredErrors<T>(version: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof PolicyNotFoundError) return policyNotFound(version);
    if (err instanceof InvalidPolicyError) throw policyIssues(409, err.message, err.errors);
    if (err instanceof PolicyStateError) throw httpError(409, 'version', err.message);
    throw err;
  }
}

export async function uploadPolicy(db: Pool, yaml: string, principal: Principal | null): Promise<StoredPolicy> {
  const result = await draftPolicy(db, yaml, {
    uploadedBy: principal?.kind === 'api-key' ? `${principal.name} (${principal.keyId})` : null,
  });
  if (!result.ok)
    throw policyIssues(
      400,
      `the policy has ${result.errors.length} error${result.errors.length > 1 ? 's' : ''}`,
      result.errors,
    );
  return result.policy;
}

export async function readPolicyVersion(db: Pool, version: number): Promise<StoredPolicy & { yaml: string }> {
  return (await readPolicy(db, version)) ?? policyNotFound(version);
}

export function activatePolicyVersion(
  db: Pool,
  version: number,
  at: Date,
): Promise<{ policy: StoredPolicy; previous: number | null }> {
  return refusingStoredErrors(version, () => activatePolicy(db, version, at));
}

export function shadowPolicyVersion(
  db: Pool,
  version: number,
  at: Date,
): Promise<{ policy: StoredPolicy; previous: number | null }> {
  return refusingStoredErrors(version, () => shadowPolicy(db, version, at));
}

export async function endShadowPolicy(db: Pool): Promise<{ ended: number | null }> {
  return { ended: await endShadow(db) };
}

export function promoteShadowPolicy(db: Pool, at: Date): Promise<{ policy: StoredPolicy; previous: number | null }> {
  return refusingStoredErrors(0, () => promoteShadow(db, at));
}

/**
 * Replays the last `limit` leads through a version, each at the instant it arrived, against the directory as it is
 * now; nothing is stored. Shows where each would go and whether that differs from what happened.
 */
export async function simulatePolicy(db: Pool, version: number, limit: number): Promise<Simulation> {
  const { policy } = await refusingStoredErrors(version, () => readParsedPolicy(db, version));
  const past = await readPastLeads(db, limit);
  const result = simulateRouting({
    policy,
    policyVersion: version,
    directory: await loadDirectory(db),
    leads: past.map((p) => p.simulated),
  });
  const actualById = new Map(past.map((p) => [p.simulated.id, p.actual]));
  const decisions = result.decisions.map((d) => {
    const actual = actualById.get(d.id) ?? { teamId: null, firstRepId: null };
    const simulated = d.ok
      ? {
          teamId: d.plan.teamId,
          rule: d.plan.explanation.rule,
          firstRepId: d.firstRepId,
          candidates: d.plan.explanation.candidates,
          sla: d.plan.explanation.sla.text,
        }
      : { teamId: null, rule: null, firstRepId: null, candidates: [], sla: null, error: d.error };
    return {
      leadId: d.id,
      at: new Date(d.at).toISOString(),
      actual,
      simulated,
      changed: actual.teamId !== simulated.teamId || actual.firstRepId !== simulated.firstRepId,
    };
  });
  return {
    version,
    leads: decisions.length,
    routed: decisions.filter((d) => d.simulated.teamId !== null).length,
    unrouted: decisions.filter((d) => d.simulated.teamId === null).length,
    changed: decisions.filter((d) => d.changed).length,
    firstOffers: result.firstOffers,
    teams: result.teams.map((t) => ({
      teamId: t.teamId,
      leads: t.leads,
      spread: t.spread,
      weightedSpread: t.weightedSpread,
      reps: t.reps,
    })),
    decisions,
  };
}
