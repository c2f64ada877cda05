// Routing policies in Postgres: uploaded as YAML (validated, with line numbers), kept as numbered versions, one active.
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from './pool';
import { parsePolicy, type PolicyError } from '../src/policy/parse-policy';
import type { RoutingPolicy } from '../src/policy/policy-schema';
import { prepared } from './pool';

export type PolicyStatus = 'draft' | 'active' | 'shadow' | 'retired';

export interface StoredPolicy {
  version: number;
  sha256: string;
  status: PolicyStatus;
  uploadedAt: string;
  uploadedBy: string | null;
  activatedAt: string | null;
  /** When it last became the shadow policy (it may have been promoted since). */
  shadowedAt: string | null;
}

export class PolicyNotFoundError extends Error {}

/** The request does not fit the versions' statuses (shadowing the active version, promoting no shadow). */
export class PolicyStateError extends Error {}

/** The policy does not validate (against the directory as it is now): the errors carry lines and columns. */
export class InvalidPolicyError extends Error {
  constructor(
    readonly errors: PolicyError[],
    context: string,
  ) {
    super(
      `${context}: ${errors.map((e) => `line ${e.line}, column ${e.column}${e.path ? ` (${e.path})` : ''}: ${e.message}`).join('; ')}`,
    );
  }
}

interface PolicyRow {
  version: number;
  yaml: string;
  sha256: string;
  status: PolicyStatus;
  uploaded_at: Date;
  uploaded_by: string | null;
  activated_at: Date | null;
  shadowed_at: Date | null;
}

const policyColumns = 'version, yaml, sha256, status, uploaded_at, uploaded_by, activated_at, shadowed_at';

function present(row: PolicyRow): StoredPolicy {
  return {
    version: row.version,
    sha256: row.sha256,
    status: row.status,
    uploadedAt: row.uploaded_at.toISOString(),
    uploadedBy: row.uploaded_by,
    activatedAt: row.activated_at?.toISOString() ?? null,
    shadowedAt: row.shadowed_at?.toISOString() ?? null,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function activeTeamIds(db: Pool | PoolClient): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM teams WHERE active ORDER BY id');
  return rows.map((r) => r.id);
}

// Routing reads the active policy for every lead; parsing the YAML each time is wasted work when it has not
// changed. Keyed by content hash, so a new version can never be served from a stale entry.
const parsedByHash = new Map<string, RoutingPolicy>();

const policyInStatusStatement = prepared(
  'routing-policies.in-status',
  'SELECT version, yaml, sha256 FROM routing_policies WHERE status = $1',
);

/** The active policy and its version, or null when none was ever activated. Called by the routing activity. */
export async function loadActivePolicy(
  db: Pool | PoolClient,
): Promise<{ version: number; policy: RoutingPolicy } | null> {
  return loadPolicyIn(db, 'active');
}

/** The shadow policy, decided beside the active one for every lead and never acted on; null when there is none. */
export async function loadShadowPolicy(
  db: Pool | PoolClient,
): Promise<{ version: number; policy: RoutingPolicy } | null> {
  return loadPolicyIn(db, 'shadow');
}

async function loadPolicyIn(
  db: Pool | PoolClient,
  status: 'active' | 'shadow',
): Promise<{ version: number; policy: RoutingPolicy } | null> {
  const { rows } = await db.query<{ version: number; yaml: string; sha256: string }>(policyInStatusStatement([status]));
  const row = rows[0];
  if (!row) return null;
  let policy = parsedByHash.get(row.sha256);
  if (!policy) {
    // Checked against the directory when it was activated (or made the shadow); the schema alone decides here.
    const parsed = parsePolicy(row.yaml);
    if (!parsed.ok)
      throw new InvalidPolicyError(
        parsed.errors,
        `${status} routing policy version ${row.version} no longer validates`,
      );
    policy = parsed.policy;
    if (parsedByHash.size > 16) parsedByHash.clear();
    parsedByHash.set(row.sha256, policy);
  }
  return { version: row.version, policy };
}

/** Validates a policy against the schema and the current teams; a valid one is stored as a new draft version. */
export async function draftPolicy(
  db: Pool,
  yamlText: string,
  { uploadedBy = null }: { uploadedBy?: string | null } = {},
): Promise<{ ok: true; policy: StoredPolicy } | { ok: false; errors: PolicyError[] }> {
  const parsed = parsePolicy(yamlText, { teamIds: await activeTeamIds(db) });
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const { rows } = await db.query<PolicyRow>(
    `INSERT INTO routing_policies (yaml, sha256, uploaded_by) VALUES ($1, $2, $3)
     RETURNING ${policyColumns}`,
    [yamlText, sha256(yamlText), uploadedBy],
  );
  return { ok: true, policy: present(rows[0]!) };
}

export async function listPolicies(db: Pool): Promise<StoredPolicy[]> {
  const { rows } = await db.query<PolicyRow>(`SELECT ${policyColumns} FROM routing_policies ORDER BY version`);
  return rows.map(present);
}

async function readPolicyRow(db: Pool | PoolClient, version: number): Promise<PolicyRow | null> {
  const { rows } = await db.query<PolicyRow>(`SELECT ${policyColumns} FROM routing_policies WHERE version = $1`, [
    version,
  ]);
  return rows[0] ?? null;
}

export async function readPolicy(
  db: Pool | PoolClient,
  version: number,
): Promise<(StoredPolicy & { yaml: string }) | null> {
  const row = await readPolicyRow(db, version);
  return row ? { ...present(row), yaml: row.yaml } : null;
}

/** Parses a stored version (for simulation), checked against the teams as they are now. */
export async function readParsedPolicy(
  db: Pool,
  version: number,
): Promise<{ stored: StoredPolicy; policy: RoutingPolicy }> {
  const { row, policy } = await readValidVersion(db, version);
  return { stored: present(row), policy };
}

/** A stored version and its policy, validated against the teams as they are now; missing or no longer fitting throws. */
async function readValidVersion(
  db: Pool | PoolClient,
  version: number,
): Promise<{ row: PolicyRow; policy: RoutingPolicy }> {
  const row = await readPolicyRow(db, version);
  if (!row) throw new PolicyNotFoundError(`no policy version ${version}`);
  const parsed = parsePolicy(row.yaml, { teamIds: await activeTeamIds(db) });
  if (!parsed.ok)
    throw new InvalidPolicyError(
      parsed.errors,
      `policy version ${version} does not validate against the directory as it is now`,
    );
  return { row, policy: parsed.policy };
}

/**
 * One change of a version's status at a time (activating, shadowing, installing the default at deploy): two racing
 * would otherwise both see "no other active version" or "no other shadow". Held until the transaction ends.
 */
async function lockPolicyStatuses(tx: PoolClient): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('routing_policies'))`);
}

/**
 * Makes `version` the active policy and retires the one before, in one transaction. A draft or an older (retired)
 * version may be activated; it is validated again, since teams may have changed since it was uploaded.
 */
export async function activatePolicy(
  db: Pool,
  version: number,
  at: Date = new Date(),
): Promise<{ policy: StoredPolicy; previous: number | null }> {
  return withTransaction(db, async (tx) => {
    await lockPolicyStatuses(tx);
    const { row: target } = await readValidVersion(tx, version);
    const { rows: current } = await tx.query<{ version: number }>(
      `SELECT version FROM routing_policies WHERE status = 'active'`,
    );
    const previous = current[0]?.version ?? null;
    if (previous === version) return { policy: present(target), previous };
    if (previous !== null)
      await tx.query(`UPDATE routing_policies SET status = 'retired' WHERE version = $1`, [previous]);
    const { rows } = await tx.query<PolicyRow>(
      `UPDATE routing_policies SET status = 'active', activated_at = $2 WHERE version = $1
       RETURNING ${policyColumns}`,
      [version, at],
    );
    return { policy: present(rows[0]!), previous };
  });
}

/**
 * Runs `version` as the shadow policy: every lead routed from now on is also decided by it, and the decision stored
 * (db/shadow.ts), with no offer made. The shadow before it, if any, goes back to draft. The active version cannot be
 * its own shadow; the version is validated against the directory as it is now.
 */
export async function shadowPolicy(
  db: Pool,
  version: number,
  at: Date = new Date(),
): Promise<{ policy: StoredPolicy; previous: number | null }> {
  return withTransaction(db, async (tx) => {
    await lockPolicyStatuses(tx);
    const { row: target } = await readValidVersion(tx, version);
    if (target.status === 'active')
      throw new PolicyStateError(`policy version ${version} is the active one: shadow another version beside it`);
    const { rows: current } = await tx.query<{ version: number }>(
      `UPDATE routing_policies SET status = 'draft' WHERE status = 'shadow' AND version <> $1 RETURNING version`,
      [version],
    );
    const { rows } = await tx.query<PolicyRow>(
      `UPDATE routing_policies SET status = 'shadow', shadowed_at = coalesce(CASE WHEN status = 'shadow' THEN shadowed_at END, $2)
        WHERE version = $1
       RETURNING ${policyColumns}`,
      [version, at],
    );
    return { policy: present(rows[0]!), previous: current[0]?.version ?? null };
  });
}

/** Stops the shadow: it goes back to draft, and its decisions stay for the report. */
export async function endShadow(db: Pool): Promise<number | null> {
  const { rows } = await db.query<{ version: number }>(
    `UPDATE routing_policies SET status = 'draft' WHERE status = 'shadow' RETURNING version`,
  );
  return rows[0]?.version ?? null;
}

/** Promotes the shadow to live in one step: it is activated (the version before it retired) and is no longer shadow. */
export async function promoteShadow(
  db: Pool,
  at: Date = new Date(),
): Promise<{ policy: StoredPolicy; previous: number | null }> {
  const { rows } = await db.query<{ version: number }>(`SELECT version FROM routing_policies WHERE status = 'shadow'`);
  const shadow = rows[0];
  if (!shadow) throw new PolicyStateError('no policy runs as the shadow: shadow a version first');
  return activatePolicy(db, shadow.version, at);
}

/**
 * At deploy: when no policy is active, stores `yamlText` (config/policy.yaml) and activates it (version 1 on a
 * fresh database). An active policy, even an older one, is left alone: what admins activated wins over the file.
 * An invalid file throws InvalidPolicyError with its line numbers.
 */
export async function ensureDefaultPolicy(db: Pool, yamlText: string): Promise<{ version: number; created: boolean }> {
  return withTransaction(db, async (tx) => {
    await lockPolicyStatuses(tx);
    const { rows: active } = await tx.query<{ version: number }>(
      `SELECT version FROM routing_policies WHERE status = 'active'`,
    );
    if (active[0]) return { version: active[0].version, created: false };
    const parsed = parsePolicy(yamlText, { teamIds: await activeTeamIds(tx) });
    if (!parsed.ok) throw new InvalidPolicyError(parsed.errors, 'the default routing policy');
    const { rows } = await tx.query<{ version: number }>(
      `INSERT INTO routing_policies (yaml, sha256, uploaded_by, status, activated_at) VALUES ($1, $2, 'default policy file', 'active', now()) RETURNING version`,
      [yamlText, sha256(yamlText)],
    );
    return { version: rows[0]!.version, created: true };
  });
}
