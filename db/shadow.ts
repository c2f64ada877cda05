// The shadow policy's decisions: one row per lead routed while a shadow ran, beside what the live policy decided.
// Written by the routing activity in the live decision's transaction, read by `npx leadrelay shadow report`.
import type { Pool, PoolClient } from 'pg';
import type { RoutingPlan } from '../src/routing/plan';

export interface ShadowDecision {
  leadId: string;
  policyVersion: number;
  liveVersion: number;
  decidedAt: string;
  live: { teamId: string; rule: string | null; firstRep: string | null };
  /** What the shadow decided, or why it could not. */
  shadow: { plan: RoutingPlan } | { problem: string };
}

export const firstRepOf = (plan: RoutingPlan) => plan.stages[0]?.repIds[0] ?? null;

/** Stored once per lead: a routing retried after its commit finds the row and changes nothing. */
export async function saveShadowDecision(tx: PoolClient, d: ShadowDecision): Promise<void> {
  const plan = 'plan' in d.shadow ? d.shadow.plan : null;
  await tx.query(
    `INSERT INTO shadow_decisions (lead_id, policy_version, live_version, decided_at, live_team_id, live_rule,
                                   live_first_rep, team_id, rule, first_rep, propensity, plan, problem)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (lead_id) DO NOTHING`,
    [
      d.leadId,
      d.policyVersion,
      d.liveVersion,
      d.decidedAt,
      d.live.teamId,
      d.live.rule,
      d.live.firstRep,
      plan?.teamId ?? null,
      plan?.explanation.ruleName ?? null,
      plan ? firstRepOf(plan) : null,
      plan ? (plan.explanation.fit?.propensity ?? (firstRepOf(plan) ? 1 : null)) : null,
      plan ? JSON.stringify(plan) : null,
      'problem' in d.shadow ? d.shadow.problem : null,
    ],
  );
}

export interface ShadowRow {
  leadId: string;
  policyVersion: number;
  liveVersion: number;
  decidedAt: Date;
  liveTeamId: string;
  liveRule: string | null;
  liveFirstRep: string | null;
  teamId: string | null;
  rule: string | null;
  firstRep: string | null;
  propensity: number | null;
  problem: string | null;
}

/** The shadow decisions made in [from, to), oldest first. */
export async function readShadowDecisions(db: Pool, from: Date, to: Date): Promise<ShadowRow[]> {
  const { rows } = await db.query<{
    lead_id: string;
    policy_version: number;
    live_version: number;
    decided_at: Date;
    live_team_id: string;
    live_rule: string | null;
    live_first_rep: string | null;
    team_id: string | null;
    rule: string | null;
    first_rep: string | null;
    propensity: number | null;
    problem: string | null;
  }>(
    `SELECT lead_id, policy_version, live_version, decided_at, live_team_id, live_rule, live_first_rep, team_id, rule,
            first_rep, propensity, problem
       FROM shadow_decisions
      WHERE decided_at >= $1 AND decided_at < $2
      ORDER BY decided_at`,
    [from, to],
  );
  return rows.map((r) => ({
    leadId: r.lead_id,
    policyVersion: r.policy_version,
    liveVersion: r.live_version,
    decidedAt: r.decided_at,
    liveTeamId: r.live_team_id,
    liveRule: r.live_rule,
    liveFirstRep: r.live_first_rep,
    teamId: r.team_id,
    rule: r.rule,
    firstRep: r.first_rep,
    propensity: r.propensity,
    problem: r.problem,
  }));
}
