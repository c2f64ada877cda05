// What best-fit routing reads for one team: the outcomes of the leads its reps took, tallied per rep and segment
// with their age weights (Postgres does the counting, so a decision reads one row per rep and kind of lead), and
// how many of the team's first offers each rep received in the fairness window.
import type { Pool, PoolClient } from 'pg';
import type { LearningConfig } from '../src/policy/policy-schema';
import type { LoggedDecision } from '../src/learning/evaluate-policy';
import { EvidenceTallies, resolution, type EvidenceSummary } from '../src/learning/posterior';
import type { NormalisedLead } from '../src/lead';
import type { LeadMatch } from '../src/matching/lead-match';
import type { Qualification } from '../src/qualification';
import type { FitRecord } from '../src/routing/explanation';
import { routingLeadOf } from '../src/routing/routing-lead';
import { segmentOf } from '../src/learning/segments';
import { outcomeEvents, reaches } from '../src/outcomes';
import { prepared } from './pool';

const dayMs = 86_400_000;

const evidenceStatement = prepared(
  'learning.team-evidence',
  `WITH taken AS (
     SELECT l.owner_rep_id AS rep_id,
            l.qualification ->> 'serviceLine' AS service_line,
            l.qualification ->> 'tier' AS tier,
            l.normalised ->> 'region' AS region,
            l.normalised ->> 'source' AS source,
            CASE WHEN l.normalised ->> 'companySize' IS NULL THEN -1
                 ELSE (SELECT count(*) FROM unnest($5::int[]) AS bound WHERE (l.normalised ->> 'companySize')::numeric >= bound)
            END AS size_band,
            a.closed_at AS assigned_at,
            (SELECT min(o.at) FROM lead_outcomes o WHERE o.lead_id = l.id AND o.event = ANY($3::text[]) AND o.at <= $2) AS converted_at,
            (SELECT min(o.at) FROM lead_outcomes o WHERE o.lead_id = l.id AND o.event = 'lost' AND o.at <= $2) AS lost_at
       FROM leads l
       JOIN lead_offers a ON a.lead_id = l.id AND a.status = 'accepted'
      WHERE l.team_id = $1 AND l.owner_rep_id IS NOT NULL AND a.closed_at <= $2
   ), resolved AS (
     SELECT *, converted_at IS NOT NULL AS converted,
            power(0.5, extract(epoch FROM $2 - assigned_at) / ($6 * 86400)) AS weight
       FROM taken
      WHERE converted_at IS NOT NULL OR lost_at IS NOT NULL OR assigned_at <= $2 - make_interval(days => $4)
   )
   SELECT rep_id, service_line, tier, region, source, size_band::int,
          sum(weight) FILTER (WHERE converted) AS conversions, sum(weight) AS resolved,
          count(*) FILTER (WHERE converted)::int AS leads_converted, count(*)::int AS leads_resolved
     FROM resolved
    GROUP BY rep_id, service_line, tier, region, source, size_band`,
);

/** The team's resolved outcomes as of `asOf`, as best-fit reads them. */
export async function readTeamEvidence(
  db: Pool | PoolClient,
  teamId: string,
  asOf: Date,
  learning: LearningConfig,
): Promise<EvidenceSummary> {
  const conversionEvents = outcomeEvents.filter((e) => reaches(e, learning.convertsOn));
  const bounds = learning.companySizeBands.flatMap((band) => (band.below === undefined ? [] : [band.below]));
  const { rows } = await db.query<{
    rep_id: string;
    service_line: string | null;
    tier: string | null;
    region: string | null;
    source: string | null;
    size_band: number;
    conversions: number | null;
    resolved: number;
    leads_converted: number;
    leads_resolved: number;
  }>(evidenceStatement([teamId, asOf, conversionEvents, learning.outcomeWindow, bounds, learning.halfLife]));
  const tallies = new EvidenceTallies(asOf.getTime(), learning.halfLife);
  for (const row of rows) {
    const segment = segmentOf(
      {
        serviceLine: row.service_line ?? 'unknown',
        tier: (row.tier ?? 'C') as 'A' | 'B' | 'C',
        region: row.region,
        source: row.source,
        // A size inside the band: the lowest one (0 for the first band), or unknown.
        companySize: row.size_band < 0 ? null : row.size_band === 0 ? 0 : bounds[row.size_band - 1]!,
      },
      learning,
    );
    tallies.addTally(row.rep_id, segment.key, {
      conversions: Number(row.conversions ?? 0),
      resolved: Number(row.resolved),
      leadsConverted: row.leads_converted,
      leadsResolved: row.leads_resolved,
    });
  }
  return tallies.summaryAt(asOf.getTime());
}

const recentStatement = prepared(
  'learning.recent-first-offers',
  `SELECT o.rep_ids[1] AS rep_id, count(*)::int AS leads
     FROM routing_decisions d
     JOIN lead_offers o ON o.lead_id = d.lead_id AND o.offer_number = 1 AND o.kind = 'candidate'
    WHERE d.team_id = $1 AND o.offered_at > $2 AND o.offered_at <= $3
    GROUP BY 1`,
);

/** Rep id → the team's first offers they received in the fairness window before `asOf`. */
export async function readRecentFirstOffers(
  db: Pool | PoolClient,
  teamId: string,
  asOf: Date,
  windowDays: number,
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ rep_id: string; leads: number }>(
    recentStatement([teamId, new Date(asOf.getTime() - windowDays * dayMs), asOf]),
  );
  return new Map(rows.map((r) => [r.rep_id, r.leads]));
}

export interface LoggedRoutingDecision extends LoggedDecision {
  decidedAt: Date;
  /** Whether the lead converted, as of the read: null while its outcome window is open. */
  converted: boolean | null;
}

/**
 * The best-fit decisions made since `since` (those that logged a propensity), each with the lead as routing saw
 * it and whether it converted on `convertsOn` (or a later stage) as of `asOf`.
 */
export async function readLoggedDecisions(
  db: Pool | PoolClient,
  since: Date,
  asOf: Date,
  learning: Pick<LearningConfig, 'convertsOn' | 'outcomeWindow'>,
): Promise<LoggedRoutingDecision[]> {
  const conversionEvents = outcomeEvents.filter((e) => reaches(e, learning.convertsOn));
  const { rows } = await db.query<{
    lead_id: string;
    team_id: string;
    decided_at: Date;
    fit: FitRecord;
    chosen: string;
    normalised: NormalisedLead;
    qualification: Qualification;
    match: LeadMatch | null;
    assigned_at: Date | null;
    converted_at: Date | null;
    lost_at: Date | null;
  }>(
    `SELECT d.lead_id, d.team_id, d.decided_at, d.plan -> 'explanation' -> 'fit' AS fit,
            d.plan -> 'stages' -> 0 -> 'repIds' ->> 0 AS chosen, l.normalised, l.qualification, l.match,
            (SELECT min(a.closed_at) FROM lead_offers a WHERE a.lead_id = l.id AND a.status = 'accepted') AS assigned_at,
            (SELECT min(o.at) FROM lead_outcomes o WHERE o.lead_id = l.id AND o.event = ANY($2::text[]) AND o.at <= $3) AS converted_at,
            (SELECT min(o.at) FROM lead_outcomes o WHERE o.lead_id = l.id AND o.event = 'lost' AND o.at <= $3) AS lost_at
       FROM routing_decisions d JOIN leads l ON l.id = d.lead_id
      WHERE d.decided_at >= $1 AND d.decided_at <= $3
        AND (d.plan -> 'explanation' -> 'fit' ->> 'propensity') IS NOT NULL AND l.qualification IS NOT NULL
      ORDER BY d.decided_at, d.lead_id`,
    [since, conversionEvents, asOf],
  );
  return rows.map((r) => ({
    leadId: r.lead_id,
    lead: routingLeadOf(r.normalised, r.qualification, r.match),
    teamId: r.team_id,
    eligible: Object.keys(r.fit.draws),
    chosen: r.chosen,
    propensity: r.fit.propensity!,
    decidedAt: r.decided_at,
    converted: resolution(
      {
        assignedAt: (r.assigned_at ?? r.decided_at).getTime(),
        convertedAt: r.converted_at?.getTime() ?? null,
        lostAt: r.lost_at?.getTime() ?? null,
      },
      asOf.getTime(),
      learning.outcomeWindow,
    ),
  }));
}
