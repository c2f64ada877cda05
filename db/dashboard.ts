// What the dashboard reads. Figures over a date range come from daily rollups (migrations/…_dashboard_rollups.sql):
// triggers mark the day of every lead something was written for, and `refreshDashboard` recomputes the marked days
// from the leads, offers, decisions and outcomes before a page reads. The live queues (open leads, catch-all,
// needs-attention) are read from the leads themselves, through the partial index of open leads.
import type { Pool, PoolClient } from 'pg';
import { bucketCount, secondsBounds } from '../src/dashboard/histogram';
import { funnelEvents, type FunnelEvent } from '../src/policy/policy-schema';
import { withTransaction } from './pool';

/** Inclusive UTC days, YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

/** Which teams a reader sees: null for every team (admin keys, and managers of every chain see all anyway). */
export type TeamScope = readonly string[] | null;

const rank = (event: FunnelEvent) => funnelEvents.indexOf(event);
const funnelRankSql = (column: string) =>
  `CASE ${column} ${funnelEvents.map((e) => `WHEN '${e}' THEN ${rank(e)}`).join(' ')} ELSE -1 END`;
const bucketArray = (column: string) =>
  `ARRAY[${Array.from({ length: bucketCount }, (_, i) => `count(*) FILTER (WHERE ${column} = ${i})`).join(', ')}]::int[]`;
const summedBuckets = (column: string) =>
  `ARRAY[${Array.from({ length: bucketCount }, (_, i) => `sum(${column}[${i + 1}])`).join(', ')}]::bigint[]`;

const rollupTables = [
  'dashboard_speed_daily',
  'dashboard_offers_daily',
  'dashboard_skips_daily',
  'dashboard_conversion_daily',
  'dashboard_calibration_daily',
  'dashboard_shadow_daily',
  'dashboard_shadow_reps_daily',
] as const;

// One pass over the marked days' leads feeds every rollup (the facts are computed once, materialized).
const recomputeDays = `
WITH facts AS MATERIALIZED (
  SELECT l.id,
         (l.received_at AT TIME ZONE 'UTC')::date AS day,
         l.received_at,
         coalesce(l.team_id, '') AS team_id,
         l.source,
         coalesce(l.tier, '') AS tier,
         coalesce(l.policy_version::text, '') AS policy,
         l.status = 'rejected-spam' AS spam,
         CASE WHEN d.lead_id IS NOT NULL THEN coalesce(d.plan -> 'explanation' ->> 'ruleName', '(policy default)') END AS rule,
         d.plan -> 'explanation' ->> 'strategy' AS strategy,
         d.plan -> 'explanation' -> 'excluded' AS excluded,
         d.plan -> 'explanation' -> 'fit' AS fit,
         o.told_at,
         coalesce(o.breaches, 0) AS breaches,
         a.closed_at AS accepted_at,
         a.offer_number AS accepted_offer,
         a.level AS accepted_level,
         a.answered_by AS owner,
         oc.touched_at,
         coalesce(oc.top, -1) AS top
    FROM leads l
    LEFT JOIN routing_decisions d ON d.lead_id = l.id
    LEFT JOIN LATERAL (
      SELECT min(told_at) AS told_at, count(*) FILTER (WHERE status = 'timed-out') AS breaches
        FROM lead_offers WHERE lead_id = l.id
    ) o ON true
    LEFT JOIN LATERAL (
      SELECT closed_at, offer_number, level, answered_by
        FROM lead_offers WHERE lead_id = l.id AND status = 'accepted' ORDER BY offer_number LIMIT 1
    ) a ON true
    LEFT JOIN LATERAL (
      SELECT min(at) FILTER (WHERE event <> 'lost') AS touched_at, max(${funnelRankSql('event')}) AS top
        FROM lead_outcomes WHERE lead_id = l.id
    ) oc ON true
   WHERE l.received_at >= $2 AND l.received_at < $3
     AND (l.received_at AT TIME ZONE 'UTC')::date = ANY($1::date[])
), timed AS (
  SELECT *,
         CASE WHEN NOT spam AND told_at IS NOT NULL THEN width_bucket(extract(epoch FROM told_at - received_at)::float8, $4::float8[]) END AS told_b,
         CASE WHEN accepted_at IS NOT NULL THEN width_bucket(extract(epoch FROM accepted_at - received_at)::float8, $4::float8[]) END AS accepted_b,
         CASE WHEN touched_at IS NOT NULL THEN width_bucket(extract(epoch FROM touched_at - received_at)::float8, $4::float8[]) END AS touched_b
    FROM facts
), speed AS (
  INSERT INTO dashboard_speed_daily
  SELECT day, team_id, dim.name, dim.value,
         count(*), count(*) FILTER (WHERE spam), count(told_b), count(accepted_b),
         count(*) FILTER (WHERE accepted_at IS NOT NULL AND breaches = 0), count(touched_b),
         ${bucketArray('told_b')}, ${bucketArray('accepted_b')}, ${bucketArray('touched_b')}
    FROM timed CROSS JOIN LATERAL (VALUES ('source', source), ('tier', tier), ('policy', policy)) AS dim (name, value)
   GROUP BY day, team_id, dim.name, dim.value
), offers AS (
  INSERT INTO dashboard_offers_daily
  SELECT f.day, f.team_id,
         coalesce(CASE WHEN o.kind = 'catch-all' THEN o.answered_by ELSE o.rep_ids[1] END, '(catch-all queue)'),
         o.level, count(*), count(*) FILTER (WHERE o.offer_number = 1),
         count(*) FILTER (WHERE o.status = 'accepted'), count(*) FILTER (WHERE o.status = 'declined'),
         count(*) FILTER (WHERE o.status = 'timed-out')
    FROM facts f JOIN lead_offers o ON o.lead_id = f.id
   GROUP BY 1, 2, 3, 4
), skips AS (
  INSERT INTO dashboard_skips_daily
  SELECT f.day, f.team_id, x ->> 'repId', x ->> 'code', count(*)
    FROM facts f CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(f.excluded) = 'array' THEN f.excluded ELSE '[]' END) x
   WHERE x ->> 'repId' IS NOT NULL AND x ->> 'code' IS NOT NULL
   GROUP BY 1, 2, 3, 4
), conversion AS (
  INSERT INTO dashboard_conversion_daily
  SELECT day, team_id, dim.name, dim.value, count(*), count(accepted_at),
         count(*) FILTER (WHERE top >= ${rank('meeting-booked')}), count(*) FILTER (WHERE top >= ${rank('opportunity')}),
         count(*) FILTER (WHERE top >= ${rank('won')})
    FROM facts CROSS JOIN LATERAL (VALUES ('rule', rule), ('strategy', strategy), ('offer', accepted_offer::text),
                                          ('level', accepted_level::text), ('source', source), ('policy', policy)) AS dim (name, value)
   WHERE NOT spam AND dim.value IS NOT NULL AND rule IS NOT NULL
   GROUP BY day, team_id, dim.name, dim.value
), calibration AS (
  INSERT INTO dashboard_calibration_daily
  SELECT day, team_id, policy::int, least(floor(predicted * 10), 9)::int, count(*), sum(predicted),
         count(*) FILTER (WHERE top >= ${funnelRankSql("fit ->> 'convertsOn'")})
    FROM (SELECT *, (fit -> 'estimates' ->> owner)::float8 AS predicted FROM facts
           WHERE owner IS NOT NULL AND jsonb_typeof(fit -> 'estimates') = 'object' AND policy <> '') p
   WHERE predicted IS NOT NULL
   GROUP BY 1, 2, 3, 4
), shadow AS (
  INSERT INTO dashboard_shadow_daily
  SELECT f.day, s.live_team_id, s.policy_version, coalesce(s.live_rule, '(policy default)'), count(*),
         count(*) FILTER (WHERE s.team_id = s.live_team_id),
         count(*) FILTER (WHERE s.first_rep IS NOT NULL AND s.first_rep = s.live_first_rep),
         count(*) FILTER (WHERE s.team_id IS NULL)
    FROM facts f JOIN shadow_decisions s ON s.lead_id = f.id
   GROUP BY 1, 2, 3, 4
), shadow_reps AS (
  INSERT INTO dashboard_shadow_reps_daily
  SELECT f.day, s.live_team_id, s.policy_version, r.rep_id, sum(r.live), sum(r.shadow)
    FROM facts f JOIN shadow_decisions s ON s.lead_id = f.id
   CROSS JOIN LATERAL (VALUES (s.live_first_rep, 1, 0), (s.first_rep, 0, 1)) AS r (rep_id, live, shadow)
   WHERE r.rep_id IS NOT NULL
   GROUP BY 1, 2, 3, 4
)
SELECT (SELECT count(*) FROM facts)::int AS leads`;

const dayMs = 86_400_000;
/** Days recomputed per statement: a bounded amount of work however many days are marked (a restore, a backfill). */
const daysPerStatement = 7;

/**
 * Recomputes every day marked since the last refresh, and answers how many days and leads it recomputed. One
 * refresh at a time (an advisory lock): a second reader waits for it and then finds nothing left to do.
 */
export async function refreshDashboard(db: Pool): Promise<{ days: number; leads: number }> {
  return withTransaction(db, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('leadrelay dashboard refresh'))`);
    // Only marks committed before this statement are taken, and each later statement reads at least their data.
    const { rows } = await tx.query<{ day: string }>(
      `WITH taken AS (DELETE FROM dashboard_changes RETURNING day) SELECT DISTINCT day::text FROM taken ORDER BY 1`,
    );
    const days = rows.map((r) => r.day);
    let leads = 0;
    for (let i = 0; i < days.length; i += daysPerStatement)
      leads += await recompute(tx, days.slice(i, i + daysPerStatement));
    return { days: days.length, leads };
  });
}

async function recompute(tx: PoolClient, days: string[]): Promise<number> {
  for (const table of rollupTables) await tx.query(`DELETE FROM ${table} WHERE day = ANY($1::date[])`, [days]);
  const first = Date.parse(`${days[0]}T00:00:00Z`);
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`) + dayMs;
  const { rows } = await tx.query<{ leads: number }>(recomputeDays, [
    days,
    new Date(first),
    new Date(last),
    secondsBounds,
  ]);
  return rows[0]?.leads ?? 0;
}

/** The teams a rep sees: those whose escalation chain they are on. */
export async function teamsManagedBy(db: Pool, repId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM teams WHERE escalation @> jsonb_build_array(jsonb_build_object('repId', $1::text)) ORDER BY id`,
    [repId],
  );
  return rows.map((r) => r.id);
}

export interface TeamName {
  id: string;
  name: string;
}

export async function readTeamNames(db: Pool, scope: TeamScope): Promise<TeamName[]> {
  const { rows } = await db.query<TeamName>(
    `SELECT id, name FROM teams WHERE $1::text[] IS NULL OR id = ANY($1) ORDER BY name`,
    [scope],
  );
  return rows;
}

const inRange = `day BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR team_id = ANY($3))`;
const rangeParams = (range: DayRange, scope: TeamScope) => [range.from, range.to, scope];

// ── Speed to lead ─────────────────────────────────────────────────────────────────────────

export interface SpeedRow {
  /** What the row is a total of: a day, a team, or a value of source, tier or policy. */
  by: 'day' | 'team' | 'source' | 'tier' | 'policy';
  key: string;
  leads: number;
  spam: number;
  told: number;
  accepted: number;
  withinSla: number;
  touched: number;
  toldBuckets: number[];
  acceptedBuckets: number[];
  touchedBuckets: number[];
}

/** `only`: the totals of one dim (e.g. 'policy') and nothing else, for a page that needs no more. */
export async function readSpeed(
  db: Pool,
  range: DayRange,
  scope: TeamScope,
  only?: 'source' | 'tier' | 'policy',
): Promise<SpeedRow[]> {
  // Every lead counts once per dim; the totals per day and per team read the source rows.
  const { rows } = await db.query<{
    by: SpeedRow['by'];
    key: string;
    leads: string;
    spam: string;
    told: string;
    accepted: string;
    within_sla: string;
    touched: string;
    told_buckets: string[];
    accepted_buckets: string[];
    touched_buckets: string[];
  }>(
    `SELECT CASE WHEN grouping(day) = 0 THEN 'day' WHEN grouping(team_id) = 0 THEN 'team' ELSE dim END AS by,
            coalesce(day::text, team_id, value) AS key,
            sum(leads) AS leads, sum(spam) AS spam, sum(told) AS told, sum(accepted) AS accepted,
            sum(within_sla) AS within_sla, sum(touched) AS touched,
            ${summedBuckets('told_buckets')} AS told_buckets, ${summedBuckets('accepted_buckets')} AS accepted_buckets,
            ${summedBuckets('touched_buckets')} AS touched_buckets
       FROM dashboard_speed_daily
      WHERE ${inRange} AND ($4::text IS NULL OR dim = $4)
      GROUP BY GROUPING SETS ((dim, day), (dim, team_id), (dim, value))
     HAVING grouping(value) = 0 OR dim = 'source'
      ORDER BY 1, 2`,
    [...rangeParams(range, scope), only ?? null],
  );
  return rows.map((r) => ({
    by: r.by,
    key: r.key,
    leads: Number(r.leads),
    spam: Number(r.spam),
    told: Number(r.told),
    accepted: Number(r.accepted),
    withinSla: Number(r.within_sla),
    touched: Number(r.touched),
    toldBuckets: r.told_buckets.map(Number),
    acceptedBuckets: r.accepted_buckets.map(Number),
    touchedBuckets: r.touched_buckets.map(Number),
  }));
}

// ── Where leads stall ─────────────────────────────────────────────────────────────────────

/** Open means not yet owned and not thrown out: the statuses the partial index leads_status_open covers. */
const openLeads = `status NOT IN ('assigned', 'rejected-spam')`;

export interface OpenLeadCount {
  status: string;
  level: number;
  /** 'overdue', 'under 5 min', … or 'no deadline yet' (notifying). */
  deadline: string;
  leads: number;
}

export async function readOpenLeads(db: Pool, scope: TeamScope, now: Date): Promise<OpenLeadCount[]> {
  const { rows } = await db.query<{ status: string; level: number; deadline: string; leads: string }>(
    `SELECT status, escalation_level AS level,
            CASE WHEN sla_deadline IS NULL THEN 'no deadline yet'
                 WHEN sla_deadline < $2 THEN 'overdue'
                 WHEN sla_deadline < $2 + interval '5 minutes' THEN 'under 5 min'
                 WHEN sla_deadline < $2 + interval '30 minutes' THEN '5–30 min'
                 WHEN sla_deadline < $2 + interval '2 hours' THEN '30 min–2 h'
                 WHEN sla_deadline < $2 + interval '8 hours' THEN '2–8 h'
                 ELSE 'over 8 h' END AS deadline,
            count(*) AS leads
       FROM leads
      WHERE ${openLeads} AND ($1::text[] IS NULL OR team_id = ANY($1))
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    [scope, now],
  );
  return rows.map((r) => ({ ...r, leads: Number(r.leads) }));
}

export interface QueuedLead {
  id: string;
  workflowId: string;
  status: string;
  teamId: string | null;
  tier: string | null;
  source: string;
  company: string | null;
  receivedAt: Date;
  deadline: Date | null;
  level: number;
}

/** The oldest leads waiting in the catch-all queue or needing a person, `limit` of each status. */
export async function readQueues(db: Pool, scope: TeamScope, limit: number): Promise<QueuedLead[]> {
  const { rows } = await db.query<{
    id: string;
    workflow_id: string;
    status: string;
    team_id: string | null;
    tier: string | null;
    source: string;
    company: string | null;
    received_at: Date;
    sla_deadline: Date | null;
    escalation_level: number;
  }>(
    `SELECT q.* FROM unnest(ARRAY['catch-all', 'needs-attention']) AS s (status)
       CROSS JOIN LATERAL (
         SELECT id, workflow_id, status, team_id, tier, source, company, received_at, sla_deadline, escalation_level
           FROM leads
          WHERE ${openLeads} AND status = s.status AND ($1::text[] IS NULL OR team_id = ANY($1))
          ORDER BY received_at LIMIT $2
       ) q`,
    [scope, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    workflowId: r.workflow_id,
    status: r.status,
    teamId: r.team_id,
    tier: r.tier,
    source: r.source,
    company: r.company,
    receivedAt: r.received_at,
    deadline: r.sla_deadline,
    level: r.escalation_level,
  }));
}

// ── Offers per rep and level: breaches and fairness ─────────────────────────────────────────

export interface OfferTotals {
  by: 'team' | 'rep' | 'level';
  /** The team for 'team' and 'rep' rows. */
  teamId: string | null;
  key: string;
  offers: number;
  firstOffers: number;
  accepted: number;
  declined: number;
  timedOut: number;
}

export async function readOfferTotals(db: Pool, range: DayRange, scope: TeamScope): Promise<OfferTotals[]> {
  const { rows } = await db.query<{
    by: OfferTotals['by'];
    team_id: string | null;
    key: string;
    offers: string;
    first_offers: string;
    accepted: string;
    declined: string;
    timed_out: string;
  }>(
    `SELECT CASE WHEN grouping(rep_id) = 0 THEN 'rep' WHEN grouping(team_id) = 0 THEN 'team' ELSE 'level' END AS by,
            team_id, coalesce(rep_id, team_id, level::text) AS key,
            sum(offers) AS offers, sum(first_offers) AS first_offers, sum(accepted) AS accepted,
            sum(declined) AS declined, sum(timed_out) AS timed_out
       FROM dashboard_offers_daily
      WHERE ${inRange}
      GROUP BY GROUPING SETS ((team_id), (team_id, rep_id), (level))
      ORDER BY 1, 2, 3`,
    rangeParams(range, scope),
  );
  return rows.map((r) => ({
    by: r.by,
    teamId: r.team_id,
    key: r.key,
    offers: Number(r.offers),
    firstOffers: Number(r.first_offers),
    accepted: Number(r.accepted),
    declined: Number(r.declined),
    timedOut: Number(r.timed_out),
  }));
}

export interface RepShare {
  teamId: string;
  repId: string;
  repName: string;
  weight: number;
  active: boolean;
  firstOffers: number;
  accepted: number;
}

/** First offers per member of each team in range, beside the member's round-robin weight. */
export async function readRepShares(db: Pool, range: DayRange, scope: TeamScope): Promise<RepShare[]> {
  const { rows } = await db.query<{
    team_id: string;
    rep_id: string;
    name: string;
    weight: number;
    active: boolean;
    first_offers: string;
    accepted: string;
  }>(
    `SELECT r.team_id, r.id AS rep_id, r.name, coalesce((r.doc ->> 'weight')::int, 1) AS weight, r.active,
            coalesce(t.first_offers, 0) AS first_offers, coalesce(t.accepted, 0) AS accepted
       FROM reps r
       LEFT JOIN (SELECT team_id, rep_id, sum(first_offers) AS first_offers, sum(accepted) AS accepted
                    FROM dashboard_offers_daily WHERE ${inRange} AND level = 0 GROUP BY 1, 2) t
         ON t.team_id = r.team_id AND t.rep_id = r.id
      WHERE ($3::text[] IS NULL OR r.team_id = ANY($3))
        AND (r.active OR t.first_offers > 0)
        AND NOT EXISTS (SELECT 1 FROM teams m WHERE m.escalation @> jsonb_build_array(jsonb_build_object('repId', r.id)))
      ORDER BY r.team_id, r.id`,
    rangeParams(range, scope),
  );
  return rows.map((r) => ({
    teamId: r.team_id,
    repId: r.rep_id,
    repName: r.name,
    weight: r.weight,
    active: r.active,
    firstOffers: Number(r.first_offers),
    accepted: Number(r.accepted),
  }));
}

export interface WeeklyFirstOffers {
  week: string;
  teamId: string;
  repId: string;
  firstOffers: number;
}

export async function readWeeklyFirstOffers(db: Pool, range: DayRange, scope: TeamScope): Promise<WeeklyFirstOffers[]> {
  const { rows } = await db.query<{ week: string; team_id: string; rep_id: string; first_offers: string }>(
    `SELECT date_trunc('week', day)::date::text AS week, team_id, rep_id, sum(first_offers) AS first_offers
       FROM dashboard_offers_daily WHERE ${inRange} AND level = 0 AND first_offers > 0
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    rangeParams(range, scope),
  );
  return rows.map((r) => ({ week: r.week, teamId: r.team_id, repId: r.rep_id, firstOffers: Number(r.first_offers) }));
}

export interface SkipTotal {
  teamId: string;
  repId: string;
  code: string;
  skipped: number;
}

export async function readSkips(db: Pool, range: DayRange, scope: TeamScope): Promise<SkipTotal[]> {
  const { rows } = await db.query<{ team_id: string; rep_id: string; code: string; skipped: string }>(
    `SELECT team_id, rep_id, code, sum(skipped) AS skipped FROM dashboard_skips_daily
      WHERE ${inRange} GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3`,
    rangeParams(range, scope),
  );
  return rows.map((r) => ({ teamId: r.team_id, repId: r.rep_id, code: r.code, skipped: Number(r.skipped) }));
}

// ── Conversion by routing path ────────────────────────────────────────────────────────────

export interface ConversionRow {
  dim: 'rule' | 'strategy' | 'offer' | 'level' | 'source' | 'policy';
  value: string;
  leads: number;
  accepted: number;
  meetings: number;
  opportunities: number;
  won: number;
}

export async function readConversion(
  db: Pool,
  range: DayRange,
  scope: TeamScope,
  only?: ConversionRow['dim'],
): Promise<ConversionRow[]> {
  const { rows } = await db.query<{
    dim: ConversionRow['dim'];
    value: string;
    leads: string;
    accepted: string;
    meetings: string;
    opportunities: string;
    won: string;
  }>(
    `SELECT dim, value, sum(leads) AS leads, sum(accepted) AS accepted, sum(meetings) AS meetings,
            sum(opportunities) AS opportunities, sum(won) AS won
       FROM dashboard_conversion_daily WHERE ${inRange} AND ($4::text IS NULL OR dim = $4)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [...rangeParams(range, scope), only ?? null],
  );
  return rows.map((r) => ({
    dim: r.dim,
    value: r.value,
    leads: Number(r.leads),
    accepted: Number(r.accepted),
    meetings: Number(r.meetings),
    opportunities: Number(r.opportunities),
    won: Number(r.won),
  }));
}

export interface CalibrationBin {
  policyVersion: number;
  /** Tenths: 0 is a predicted 0–10%, 9 is 90–100%. */
  bin: number;
  leads: number;
  /** Mean predicted chance of the bin's leads. */
  predicted: number;
  converted: number;
}

export async function readCalibration(db: Pool, range: DayRange, scope: TeamScope): Promise<CalibrationBin[]> {
  const { rows } = await db.query<{
    policy_version: number;
    bin: number;
    leads: string;
    predicted: number;
    converted: string;
  }>(
    `SELECT policy_version, bin, sum(leads) AS leads, sum(predicted) / sum(leads) AS predicted, sum(converted) AS converted
       FROM dashboard_calibration_daily WHERE ${inRange}
      GROUP BY 1, 2 ORDER BY 1, 2`,
    rangeParams(range, scope),
  );
  return rows.map((r) => ({
    policyVersion: r.policy_version,
    bin: r.bin,
    leads: Number(r.leads),
    predicted: r.predicted,
    converted: Number(r.converted),
  }));
}

// ── Policy versions and the shadow ────────────────────────────────────────────────────────

export interface PolicyPeriod {
  version: number;
  status: string;
  uploadedAt: Date;
  activatedAt: Date | null;
  shadowedAt: Date | null;
  /** When the next version went live, for a version that was live; null while live or never. */
  endedAt: Date | null;
}

export async function readPolicyPeriods(db: Pool): Promise<PolicyPeriod[]> {
  const { rows } = await db.query<{
    version: number;
    status: string;
    uploaded_at: Date;
    activated_at: Date | null;
    shadowed_at: Date | null;
    ended_at: Date | null;
  }>(
    `SELECT version, status, uploaded_at, activated_at, shadowed_at,
            CASE WHEN activated_at IS NOT NULL AND status <> 'active' THEN
              (SELECT min(n.activated_at) FROM routing_policies n WHERE n.activated_at > p.activated_at) END AS ended_at
       FROM routing_policies p ORDER BY version`,
  );
  return rows.map((r) => ({
    version: r.version,
    status: r.status,
    uploadedAt: r.uploaded_at,
    activatedAt: r.activated_at,
    shadowedAt: r.shadowed_at,
    endedAt: r.ended_at,
  }));
}

export interface ShadowComparison {
  /** 'rule' rows per live rule, 'rep' rows per rep (first offers live vs shadow), one 'all' row. */
  by: 'all' | 'rule' | 'rep';
  key: string;
  shadowVersion: number;
  decisions: number;
  sameTeam: number;
  sameFirstRep: number;
  unroutable: number;
  liveFirstOffers: number;
  shadowFirstOffers: number;
}

/** Where the shadow's decisions differ from live ones, for leads received in range. */
export async function readShadowComparison(db: Pool, range: DayRange, scope: TeamScope): Promise<ShadowComparison[]> {
  const { rows } = await db.query<{
    by: ShadowComparison['by'];
    key: string;
    shadow_version: number;
    decisions: string;
    same_team: string;
    same_first_rep: string;
    unroutable: string;
    live_first: string;
    shadow_first: string;
  }>(
    `SELECT CASE WHEN grouping(live_rule) = 0 THEN 'rule' ELSE 'all' END AS by, coalesce(live_rule, '') AS key,
            shadow_version, sum(decisions) AS decisions, sum(same_team) AS same_team,
            sum(same_first_rep) AS same_first_rep, sum(unroutable) AS unroutable, 0 AS live_first, 0 AS shadow_first
       FROM dashboard_shadow_daily WHERE ${inRange}
      GROUP BY GROUPING SETS ((shadow_version), (shadow_version, live_rule))
     UNION ALL
     SELECT 'rep', rep_id, shadow_version, 0, 0, 0, 0, sum(live_first_offers), sum(shadow_first_offers)
       FROM dashboard_shadow_reps_daily WHERE ${inRange}
      GROUP BY 2, 3
      ORDER BY 1, 3, 2`,
    rangeParams(range, scope),
  );
  return rows.map((r) => ({
    by: r.by,
    key: r.key,
    shadowVersion: r.shadow_version,
    decisions: Number(r.decisions),
    sameTeam: Number(r.same_team),
    sameFirstRep: Number(r.same_first_rep),
    unroutable: Number(r.unroutable),
    liveFirstOffers: Number(r.live_first),
    shadowFirstOffers: Number(r.shadow_first),
  }));
}

// ── One lead, for the queue's links ───────────────────────────────────────────────────────

export interface LeadCard {
  id: string;
  workflowId: string;
  status: string;
  teamId: string | null;
  source: string;
  tier: string | null;
  company: string | null;
  receivedAt: Date;
  deadline: Date | null;
  level: number;
  owner: string | null;
  offers: Array<{
    number: number;
    kind: string;
    level: number;
    reps: string[];
    offeredAt: Date;
    toldAt: Date | null;
    deadline: Date | null;
    status: string;
    answeredBy: string | null;
    reason: string | null;
    closedAt: Date | null;
  }>;
  outcomes: Array<{ event: string; at: Date; repId: string }>;
}

export async function readLeadCard(db: Pool, leadId: string, scope: TeamScope): Promise<LeadCard | null> {
  const { rows } = await db.query<{
    id: string;
    workflow_id: string;
    status: string;
    team_id: string | null;
    source: string;
    tier: string | null;
    company: string | null;
    received_at: Date;
    sla_deadline: Date | null;
    escalation_level: number;
    owner_rep_id: string | null;
  }>(
    `SELECT id, workflow_id, status, team_id, source, tier, company, received_at, sla_deadline, escalation_level, owner_rep_id
       FROM leads WHERE id = $1 AND ($2::text[] IS NULL OR team_id = ANY($2))`,
    [leadId, scope],
  );
  const lead = rows[0];
  if (!lead) return null;
  const [offers, outcomes] = await Promise.all([
    db.query<{
      offer_number: number;
      kind: string;
      level: number;
      rep_ids: string[];
      offered_at: Date;
      told_at: Date | null;
      deadline: Date | null;
      status: string;
      answered_by: string | null;
      reason: string | null;
      closed_at: Date | null;
    }>(
      `SELECT offer_number, kind, level, rep_ids, offered_at, told_at, deadline, status, answered_by, reason, closed_at
         FROM lead_offers WHERE lead_id = $1 ORDER BY offer_number`,
      [leadId],
    ),
    db.query<{ event: string; at: Date; rep_id: string }>(
      `SELECT event, at, rep_id FROM lead_outcomes WHERE lead_id = $1 ORDER BY at, id`,
      [leadId],
    ),
  ]);
  return {
    id: lead.id,
    workflowId: lead.workflow_id,
    status: lead.status,
    teamId: lead.team_id,
    source: lead.source,
    tier: lead.tier,
    company: lead.company,
    receivedAt: lead.received_at,
    deadline: lead.sla_deadline,
    level: lead.escalation_level,
    owner: lead.owner_rep_id,
    offers: offers.rows.map((o) => ({
      number: o.offer_number,
      kind: o.kind,
      level: o.level,
      reps: o.rep_ids,
      offeredAt: o.offered_at,
      toldAt: o.told_at,
      deadline: o.deadline,
      status: o.status,
      answeredBy: o.answered_by,
      reason: o.reason,
      closedAt: o.closed_at,
    })),
    outcomes: outcomes.rows.map((o) => ({ event: o.event, at: o.at, repId: o.rep_id })),
  };
}
