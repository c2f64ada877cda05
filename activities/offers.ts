// Offers: each one stored (lead_offers) and emailed to the rep it is made to, reminded half way, closed with its outcome.
import type { LeadWorkflowInput } from '../src/lead';
import type { Qualification } from '../src/qualification';
import type { OfferStage } from '../src/routing/plan';
import { recordEvent } from '../db/events';
import { closeOffer as closeStoredOffer, insertOffer, type OfferStatus } from '../db/offers';
import type { Notifications } from './notify';
import type { ActivityDeps } from '.';

export interface OpenOfferInput {
  leadId: string;
  input: LeadWorkflowInput;
  qualification: Qualification;
  offerNumber: number;
  stage: OfferStage;
  offeredAt: string;
  deadline: string;
  /** Why this rep is asked, in the email's words: the stage's reason from the routing plan. */
  whyYou: string;
}

export function createOfferActivities(
  { db }: Pick<ActivityDeps, 'db'>,
  notify: Pick<Notifications, 'emailOffer' | 'emailReminder'>,
) {
  return {
    /** Stores the offer and emails the offered rep; the catch-all queue is alerted by alertCatchAll instead. */
    async openOffer(o: OpenOfferInput): Promise<void> {
      await insertOffer(db, o);
      if (o.stage.kind === 'catch-all') return;
      await notify.emailOffer(o);
    },

    /** Half the SLA gone without an answer: one reminder to the same rep, with the same links. */
    async remindOffer(o: OpenOfferInput & { remindedAt: string }): Promise<void> {
      const rep = await notify.emailReminder(o, o.remindedAt);
      await recordEvent(db, {
        leadId: o.leadId,
        key: `offer:${o.offerNumber}:reminded`,
        kind: 'reminded',
        at: o.remindedAt,
        offerNumber: o.offerNumber,
        repId: rep.id,
        summary: `reminded ${rep.id}: half of the SLA passed without an answer (deadline ${o.deadline})`,
      });
    },

    async closeOffer(c: {
      leadId: string;
      offerNumber: number;
      status: OfferStatus;
      answeredBy: string | null;
      reason: string | null;
      at: string;
    }): Promise<void> {
      await closeStoredOffer(db, c);
    },
  };
}
