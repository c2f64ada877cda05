// Routing under the active policy: who is offered the lead, in which order, and why.
import type { LeadWorkflowInput } from '../src/lead';
import type { Qualification } from '../src/qualification';
import { describeRouting } from '../src/routing/explanation';
import { planRouting, RoutingError, type RoutingPlan } from '../src/routing/plan';
import { loadDirectory } from '../db/directory';
import { saveRouting } from '../db/leads';
import { loadRepLoad } from '../db/offers';
import { loadActivePolicy } from '../db/policies';
import { withTransaction } from '../db/pool';
import { insertRoutingDecision, loadLedger, lockRouting, readRoutingDecision, saveLedgerChanges } from '../db/routing';
import type { MatchOutcome } from './match';
import type { ActivityDeps } from '.';

export type RoutedPlan = RoutingPlan & { description: string };

export function createRouteActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /**
     * Routes under the active policy. Decisions are serialised by one lock so the fairness ledger moves one lead
     * at a time, and stored per lead so a retried activity returns the same plan instead of charging the round
     * robin twice.
     */
    async routeLead({
      leadId,
      input,
      qualification,
      match,
      at,
    }: {
      leadId: string;
      input: LeadWorkflowInput;
      qualification: Qualification;
      match: MatchOutcome | null;
      /** The workflow's clock: availability is judged at the moment the workflow routes, also on a test server. */
      at: string;
    }): Promise<RoutedPlan> {
      const { lead } = input;
      const plan = await withTransaction(db, async (tx) => {
        await lockRouting(tx);
        const stored = await readRoutingDecision(tx, leadId);
        if (stored) return stored;

        const active = await loadActivePolicy(tx);
        // No policy, or one with no route for this lead, is an operator's to fix: the activity retries, the lead
        // stays running past its intake deadline where the stuck-lead queries find it, and moves on once fixed.
        if (!active)
          throw new RoutingError(
            'no-route',
            'no routing policy is active: upload and activate one (POST /v1/admin/policies)',
          );
        const result = planRouting({
          policy: active.policy,
          policyVersion: active.version,
          lead: {
            region: lead.region,
            country: lead.country,
            serviceLine: qualification.serviceLine,
            urgency: qualification.urgency,
            tier: qualification.tier,
            source: lead.source,
            companySize: lead.companySize,
            contactOwnerRepId: match?.contact?.ownerRepId ?? null,
            accountOwnerRepId: match?.account?.ownerRepId ?? null,
          },
          directory: await loadDirectory(tx),
          load: await loadRepLoad(tx),
          ledger: await loadLedger(tx),
          now: new Date(at),
        });
        await saveLedgerChanges(tx, result.ledgerChanges);
        await insertRoutingDecision(tx, leadId, result.plan);
        await saveRouting(tx, leadId, result.plan);
        return result.plan;
      });
      return { ...plan, description: describeRouting(plan) };
    },
  };
}
