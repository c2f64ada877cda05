// Routing's memory: the weighted round robin's fairness ledger (one row per team and rep) and the plan decided
// for each lead, stored so a retried routing activity returns the same plan instead of charging the ledger twice.
import type { Pool, PoolClient } from 'pg';
import type { FairnessLedger, LedgerChange, LedgerEntry } from '../src/routing/fairness-ledger';
import type { RoutingPlan } from '../src/routing/plan';
import { prepared } from './pool';

const lockStatement = prepared(
  'routing.lock-team',
  "SELECT pg_advisory_xact_lock(hashtext('leadrelay:routing'), hashtext($1))",
);

/**
 * Serialises routing decisions for one team until the caller's transaction ends, so its ledger moves one lead at
 * a time while other teams route in parallel. Call it before reading the team's ledger.
 */
export async function lockTeamRouting(tx: PoolClient, teamId: string): Promise<void> {
  await tx.query(lockStatement([teamId]));
}

const readDecisionStatement = prepared(
  'routing.read-decision',
  'SELECT plan FROM routing_decisions WHERE lead_id = $1',
);

/** The plan decided for the lead, or null before routing. */
export async function readRoutingDecision(db: Pool | PoolClient, leadId: string): Promise<RoutingPlan | null> {
  const { rows } = await db.query<{ plan: RoutingPlan }>(readDecisionStatement([leadId]));
  return rows[0]?.plan ?? null;
}

const saveDecisionStatement = prepared(
  'routing.save-decision',
  `WITH decision AS (
     INSERT INTO routing_decisions (lead_id, policy_version, team_id, plan) VALUES ($1, $2, $3, $4)
   )
   UPDATE leads SET team_id = $3, policy_version = $2 WHERE id = $1`,
);

/**
 * Stores the lead's plan, and on the lead the team and policy version it was routed under; a lead has one plan (a
 * second insert fails on the primary key).
 */
export async function saveRoutingDecision(db: Pool | PoolClient, leadId: string, plan: RoutingPlan): Promise<void> {
  await db.query(saveDecisionStatement([leadId, plan.policyVersion, plan.teamId, JSON.stringify(plan)]));
}

const readLedgerStatement = prepared(
  'routing.read-ledger',
  'SELECT team_id, rep_id, entry FROM routing_ledger WHERE team_id = $1',
);

/** The ledger of one team: all a decision for that team reads or charges. */
export async function loadTeamLedger(db: Pool | PoolClient, teamId: string): Promise<FairnessLedger> {
  const { rows } = await db.query<{ team_id: string; rep_id: string; entry: LedgerEntry }>(
    readLedgerStatement([teamId]),
  );
  // Keyed by ids an admin chooses: no prototype, so a team or rep called `constructor` is just a key.
  const ledger = Object.create(null) as Record<string, Record<string, LedgerEntry>>;
  for (const row of rows)
    (ledger[row.team_id] ??= Object.create(null) as Record<string, LedgerEntry>)[row.rep_id] = row.entry;
  return ledger;
}

const saveLedgerEntryStatement = prepared(
  'routing.save-ledger-entry',
  `INSERT INTO routing_ledger (team_id, rep_id, entry) VALUES ($1, $2, $3)
   ON CONFLICT (team_id, rep_id) DO UPDATE SET entry = EXCLUDED.entry, updated_at = now()`,
);

/** Writes the entries one decision changed (planRouting's ledgerChanges). */
export async function saveLedgerChanges(db: Pool | PoolClient, changes: readonly LedgerChange[]): Promise<void> {
  for (const change of changes) {
    await db.query(saveLedgerEntryStatement([change.teamId, change.repId, JSON.stringify(change.entry)]));
  }
}
