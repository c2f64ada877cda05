// A lead that a step cannot move on (a rep deleted between routing and offering, a policy that routes nowhere)
// goes to a person: it waits in the catch-all queue as `needs-attention`, with the reason on its timeline.
import { loadDirectory } from '../db/directory';
import type { NewLeadEvent } from '../db/events';
import { withTransaction } from '../db/pool';
import { readRoutingDecision } from '../db/routing';
import type { OfferedStage } from '../db/offers';
import { closeOfferIn, openOfferIn, type ClosingOffer, type OpenedOffer } from './offers';
import type { ActivityDeps } from '.';

/** How often a lead nobody could route is re-alerted at first, when no team's interval applies. */
const defaultAlertMinutes = 60;

export function createAttentionActivities({ db, opsEmail }: Pick<ActivityDeps, 'db' | 'opsEmail'>) {
  return {
    /**
     * Withdraws the open offer (if any) and opens a catch-all offer for a person: the routed team's catch-all
     * claimants and alert address, or, for a lead that was never routed, every team's manager and the operators'
     * address. The alert goes out in its own step.
     */
    async flagNeedsAttention({
      leadId,
      offerNumber,
      problem,
      closing,
      at,
    }: {
      leadId: string;
      /** The number of the offer this opens. */
      offerNumber: number;
      problem: string;
      closing: ClosingOffer | null;
      at: string;
    }): Promise<OpenedOffer> {
      return await withTransaction(db, async (tx) => {
        const plan = await readRoutingDecision(tx, leadId);
        let stage: OfferedStage;
        if (plan) {
          stage = { ...plan.catchAll, why: `needs attention: ${problem}` };
        } else {
          const directory = await loadDirectory(tx);
          const managers = [
            ...new Set(directory.teams.flatMap((t) => (t.escalation[0] ? [t.escalation[0].repId] : []))),
          ];
          stage = {
            kind: 'catch-all',
            level: 0,
            repIds: managers,
            sla: { ms: defaultAlertMinutes * 60_000, businessHours: null },
            slaText: `${defaultAlertMinutes} minutes between alerts`,
            why: `needs attention: ${problem}`,
            alertEmail: opsEmail,
          };
        }
        const closed = closing ? await closeOfferIn(tx, leadId, closing) : [];
        const flagged: NewLeadEvent = {
          leadId,
          key: `needs-attention:${offerNumber}`,
          kind: 'needs-attention',
          at,
          offerNumber,
          summary: problem,
          decision: 'needs-attention',
        };
        return await openOfferIn(tx, { leadId, offerNumber, stage, at, status: 'needs-attention' }, [
          ...closed,
          flagged,
        ]);
      });
    },
  };
}
