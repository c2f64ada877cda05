// After assignment, the first-touch SLA's steps: nudge the owner, tell their manager, offer the lead again. Each
// first asks Postgres whether the owner reported a first touch, so a signal lost on its way changes nothing.
import { ApplicationFailure } from '@temporalio/common';
import { loadDirectory, readRep } from '../db/directory';
import { recordEvent, recordEvents } from '../db/events';
import { readLeadFacts, releaseOwner, saveFirstTouchState } from '../db/leads';
import { firstTouchAt } from '../db/outcomes';
import { withTransaction } from '../db/pool';
import { readRoutingDecision } from '../db/routing';
import { firstTouchUrl } from '../links/offer-links';
import { sendOnce } from '../mail/mailer';
import { firstTouchManager } from '../src/first-touch';
import { composeFirstTouchManagerNotice, composeFirstTouchNudge } from '../src/notifications';
import type { FirstTouchWait, Ownership } from './assign';
import { activityClock } from './clock';
import { openOfferIn, type OpenedOffer } from './offers';
import type { ActivityDeps } from '.';
import { metrics, secondsBetween } from '../metrics/metrics';

/** Either the owner reported a first touch (when), or the step was taken. */
export type FirstTouchCheck<T> = { touchedAt: string } | ({ touchedAt: null } & T);

export function createFirstTouchActivities({
  db,
  mailer,
  mailFrom,
  apiUrl,
  linkSecret,
  clock = activityClock,
}: Pick<ActivityDeps, 'db' | 'mailer' | 'mailFrom' | 'apiUrl' | 'linkSecret' | 'clock'>) {
  return {
    /**
     * Step `step` of the plan, when it is a nudge to the owner or a notice to their manager: the email once, and
     * the lead shown as overdue until the next step (or the end of the watch).
     */
    async remindFirstTouch({
      leadId,
      offerNumber,
      repId,
      plan,
      step,
    }: Omit<Ownership, 'at'> & { plan: FirstTouchWait; step: number }): Promise<FirstTouchCheck<{ sentAt: string }>> {
      const kind = plan.steps[step]?.kind;
      if (kind !== 'nudge-owner' && kind !== 'tell-manager')
        throw ApplicationFailure.nonRetryable(`step ${step} of the first-touch plan is ${kind ?? 'missing'}`);
      const touchedAt = await firstTouchAt(db, leadId, repId);
      if (touchedAt) return { touchedAt };
      const facts = await readLeadFacts(db, leadId);
      if (!facts?.qualification)
        throw ApplicationFailure.nonRetryable(`lead ${leadId} is not qualified`, 'UnknownLead');
      const owner = (await readRep(db, repId))?.rep;
      if (!owner) throw ApplicationFailure.nonRetryable(`rep ${repId} is not in the directory`, 'UnknownRep');
      const next = plan.steps[step + 1] ?? null;
      const nextKind = next?.kind === 'tell-manager' || next?.kind === 'reoffer' ? next.kind : null;
      const common = {
        leadId,
        lead: facts.lead,
        qualification: facts.qualification,
        owner: { id: owner.id, name: owner.name },
        assignedAt: plan.assignedAt,
        dueAt: plan.dueAt,
        next: nextKind && next ? { kind: nextKind, at: next.at } : null,
      };
      let sentAt: Date;
      let summary: string;
      if (kind === 'nudge-owner') {
        const touchUrl = firstTouchUrl({ apiUrl, secret: linkSecret, leadId, repId, expiresAt: plan.watchUntil });
        const content = composeFirstTouchNudge({ ...common, reader: owner, touchUrl });
        const key = { leadId, offerNumber, kind: 'first-touch-nudge' as const };
        sentAt = await sendOnce(db, mailer, mailFrom, key, owner.email, content, clock);
        summary = `${repId} reported no first touch by ${plan.dueAt} (${plan.slaText}): reminded`;
      } else {
        const manager = firstTouchManager(await loadDirectory(db), owner, facts.teamId);
        const reader = manager.repId ? ((await readRep(db, manager.repId))?.rep ?? null) : null;
        const content = composeFirstTouchManagerNotice({
          ...common,
          reader: { name: manager.name, timeZone: reader?.timeZone ?? null },
        });
        const key = { leadId, offerNumber, kind: 'first-touch-manager' as const };
        sentAt = await sendOnce(db, mailer, mailFrom, key, manager.email, content, clock);
        summary = `${repId} still reported no first touch (due ${plan.dueAt}): ${manager.repId ?? manager.email} told`;
      }
      const deadline = next?.at ?? plan.watchUntil;
      await withTransaction(db, async (tx) => {
        await saveFirstTouchState(tx, leadId, repId, { status: 'first-touch-overdue', deadline });
        await recordEvent(tx, {
          leadId,
          key: `offer:${offerNumber}:first-touch:${kind}`,
          kind: kind === 'nudge-owner' ? 'first-touch-nudged' : 'first-touch-escalated',
          at: sentAt.toISOString(),
          offerNumber,
          repId,
          summary: `${summary}; ${next ? `next: ${next.kind} at ${next.at}` : `watched until ${plan.watchUntil}`}`,
        });
      });
      return { touchedAt: null, sentAt: sentAt.toISOString() };
    },

    /**
     * The owner let every step pass: the lead has no owner again and waits in its team's catch-all queue, offer
     * `offerNumber`, for anyone (the owner too) to claim. One transaction.
     */
    async reofferUntouched({
      leadId,
      offerNumber,
      repId,
      plan,
      at,
    }: Ownership & { plan: FirstTouchWait }): Promise<FirstTouchCheck<{ opened: OpenedOffer }>> {
      const touchedAt = await firstTouchAt(db, leadId, repId);
      if (touchedAt) return { touchedAt };
      const opened = await withTransaction(db, async (tx) => {
        const routed = await readRoutingDecision(tx, leadId);
        if (!routed) throw ApplicationFailure.nonRetryable(`lead ${leadId} was never routed`, 'UnknownStage');
        const released = await releaseOwner(tx, leadId, repId);
        const why = `offered again: ${repId} reported no first touch by ${plan.dueAt} (${plan.slaText}), nor after the reminder and the manager's notice`;
        const missed = released
          ? [
              {
                leadId,
                key: `offer:${offerNumber}:first-touch:missed`,
                kind: 'first-touch-missed',
                at,
                repId,
                summary: `${repId} no longer owns the lead: ${why}`,
              },
            ]
          : [];
        return await openOfferIn(
          tx,
          { leadId, offerNumber, stage: { ...routed.catchAll, why, untouchedBy: repId }, at },
          missed,
        );
      });
      return { touchedAt: null, opened };
    },

    /** The owner reported a first touch: the lead is owned with nothing due. */
    async noteFirstTouch({ leadId, offerNumber, repId, at }: Ownership): Promise<void> {
      await withTransaction(db, async (tx) => {
        await saveFirstTouchState(tx, leadId, repId, { status: 'assigned', deadline: null });
        await recordEvents(tx, [
          {
            leadId,
            key: `offer:${offerNumber}:first-touch:met`,
            kind: 'first-touch-met',
            at,
            offerNumber,
            repId,
            summary: `${repId} reported the first touch: the first-touch SLA is met`,
          },
        ]);
      });
      // Once per owned lead; only a retry of this step after its commit would count it twice.
      const facts = await readLeadFacts(db, leadId);
      if (facts)
        metrics.timeToFirstTouch.observe(
          { tier: facts.qualification?.tier ?? 'none' },
          secondsBetween(facts.receivedAt, at),
        );
    },
  };
}
