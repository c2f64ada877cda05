// Routing under the active policy: who is offered the lead, in which order, and why; and the first offer made.
import { ApplicationFailure } from '@temporalio/common';
import type { PoolClient } from 'pg';
import { readLeadFacts } from '../db/leads';
import { loadDirectory } from '../db/directory';
import { recordEvents, type NewLeadEvent } from '../db/events';
import { loadRepLoad } from '../db/offers';
import { loadActivePolicy, loadShadowPolicy } from '../db/policies';
import { firstRepOf, saveShadowDecision, type ShadowDecision } from '../db/shadow';
import { withTransaction } from '../db/pool';
import {
  loadTeamLedger,
  lockTeamRouting,
  readRoutingDecision,
  saveLedgerChanges,
  saveRoutingDecision,
} from '../db/routing';
import { describeRouting } from '../src/routing/explanation';
import { routingLeadOf } from '../src/routing/routing-lead';
import type { Directory } from '../src/routing/directory';
import type { RoutingLead } from '../src/policy/lead-attributes';
import { beliefsFrom } from '../src/learning/posterior';
import { seedFrom } from '../src/learning/random';
import { planRouting, routeOutlineOf, RoutingError, type FitEvidence, type RoutingPlan } from '../src/routing/plan';
import { readRecentFirstOffers, readTeamEvidence } from '../db/learning';
import { openOfferIn, type OpenedOffer } from './offers';
import type { ActivityDeps } from '.';
import { metrics } from '../metrics/metrics';

/** A stage as the workflow needs it: whom it asks. Its SLA and words stay in Postgres with the plan. */
export interface StageOutline {
  kind: RoutingPlan['stages'][number]['kind'];
  level: number;
  repIds: string[];
}

/** The routing decision as the workflow carries it, and the first offer, already stored. */
export interface LeadRoute {
  teamId: string;
  /** The decision in one paragraph, for the query view and the memo. */
  description: string;
  stages: StageOutline[];
  catchAll: StageOutline;
  /** Offer 1, opened in the routing transaction; null when the plan has no candidate or escalation stage. */
  firstOffer: OpenedOffer | null;
}

const outline = ({ kind, level, repIds }: StageOutline): StageOutline => ({ kind, level, repIds });

export function createRouteActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /**
     * Routes under the active policy and opens the first offer, in one transaction under a lock on the routed
     * team, so that team's fairness ledger moves one lead at a time while other teams route alongside. The plan
     * is stored per lead: a retry returns it instead of charging the round robin twice.
     */
    async routeLead({ leadId, at }: { leadId: string; at: string }): Promise<LeadRoute> {
      const facts = await readLeadFacts(db, leadId);
      if (!facts?.qualification)
        throw ApplicationFailure.nonRetryable(`lead ${leadId} is not qualified`, 'UnknownLead');
      const routingLead = routingLeadOf(facts.lead, facts.qualification, facts.match);
      try {
        return await withTransaction(db, async (tx) => {
          let plan = await readRoutingDecision(tx, leadId);
          /** The decision, when this attempt made it: written with the first offer's events. */
          let routed: NewLeadEvent | null = null;
          if (!plan) {
            const active = await loadActivePolicy(tx);
            if (!active)
              throw new RoutingError(
                'no-route',
                'no routing policy is active: upload and activate one (POST /v1/admin/policies)',
              );
            const directory = await loadDirectory(tx);
            const decide = { policy: active.policy, policyVersion: active.version, lead: routingLead, directory };
            const { teamId, ordering } = routeOutlineOf(decide);
            await lockTeamRouting(tx, teamId);
            // Another attempt for this lead may have decided while this one waited for the lock.
            plan = await readRoutingDecision(tx, leadId);
            if (!plan) {
              const now = new Date(at);
              const learning = active.policy.learning;
              // The draws are seeded by the lead: with the same evidence, a decision replays exactly.
              const fit: FitEvidence | undefined =
                ordering === 'best-fit'
                  ? {
                      beliefOf: beliefsFrom(await readTeamEvidence(tx, teamId, now, learning), learning.priorStrength),
                      recentLeads: await readRecentFirstOffers(tx, teamId, now, learning.fairnessWindow),
                      seed: seedFrom(leadId),
                    }
                  : undefined;
              const inputs = { load: await loadRepLoad(tx), ledger: await loadTeamLedger(tx, teamId) };
              const stopTimer = metrics.routingDecision.startTimer();
              const result = planRouting({ ...decide, ...inputs, now, ...(fit ? { fit } : {}) });
              stopTimer();
              plan = result.plan;
              await saveLedgerChanges(tx, result.ledgerChanges);
              await saveRoutingDecision(tx, leadId, plan);
              await decideInShadow(tx, {
                leadId,
                lead: routingLead,
                directory,
                load: inputs.load,
                now,
                at,
                live: plan,
              });
              routed = {
                leadId,
                key: 'routed',
                kind: 'routed',
                at,
                summary: describeRouting(plan),
                detail: plan,
                decision: 'routed',
              };
            }
          }
          const first = plan.stages[0];
          const decided = routed ? [routed] : [];
          let firstOffer: OpenedOffer | null = null;
          if (first) firstOffer = await openOfferIn(tx, { leadId, offerNumber: 1, stage: first, at }, decided);
          else await recordEvents(tx, decided);
          return {
            teamId: plan.teamId,
            description: describeRouting(plan),
            stages: plan.stages.map(outline),
            catchAll: outline(plan.catchAll),
            firstOffer,
          };
        });
      } catch (err) {
        // No policy, no route for this lead, a team missing: retrying cannot cure it, an operator must.
        if (err instanceof RoutingError) throw ApplicationFailure.nonRetryable(err.message, 'RoutingError');
        throw err;
      }
    },
  };
}

/**
 * The shadow policy's decision for the same lead, from the same inputs at the same moment (directory, load,
 * evidence, seed), stored beside the live one and never acted on: its team's fairness ledger is read, not charged,
 * and no offer is made. A shadow that cannot route the lead records why; the live lead goes on either way.
 */
async function decideInShadow(
  tx: PoolClient,
  o: {
    leadId: string;
    lead: RoutingLead;
    directory: Directory;
    load: Awaited<ReturnType<typeof loadRepLoad>>;
    now: Date;
    at: string;
    live: RoutingPlan;
  },
): Promise<void> {
  const shadow = await loadShadowPolicy(tx);
  if (!shadow) return;
  let decision: ShadowDecision['shadow'];
  try {
    const decide = { policy: shadow.policy, policyVersion: shadow.version, lead: o.lead, directory: o.directory };
    const { teamId, ordering } = routeOutlineOf(decide);
    const learning = shadow.policy.learning;
    const fit: FitEvidence | undefined =
      ordering === 'best-fit'
        ? {
            beliefOf: beliefsFrom(await readTeamEvidence(tx, teamId, o.now, learning), learning.priorStrength),
            recentLeads: await readRecentFirstOffers(tx, teamId, o.now, learning.fairnessWindow),
            seed: seedFrom(o.leadId),
          }
        : undefined;
    const ledger = await loadTeamLedger(tx, teamId);
    decision = { plan: planRouting({ ...decide, load: o.load, ledger, now: o.now, ...(fit ? { fit } : {}) }).plan };
  } catch (err) {
    if (!(err instanceof RoutingError)) throw err;
    decision = { problem: err.message };
  }
  await saveShadowDecision(tx, {
    leadId: o.leadId,
    policyVersion: shadow.version,
    liveVersion: o.live.policyVersion,
    decidedAt: o.at,
    live: { teamId: o.live.teamId, rule: o.live.explanation.ruleName, firstRep: firstRepOf(o.live) },
    shadow: decision,
  });
}
