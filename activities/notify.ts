// The emails: an offer (or, to a manager, an escalation with the lead's history) and its reminder to the offered
// rep, with signed answer links; the alerts to whoever watches the catch-all queue. Each is sent at most once, and
// each returns the moment the mail server took it: when its reader was told.
import { ApplicationFailure } from '@temporalio/common';
import {
  composeCatchAllAlert,
  composeEscalationEmail,
  composeOfferEmail,
  composeReminderEmail,
  type LeadEventLine,
  type OfferEmailInput,
} from '../src/notifications';
import type { Rep } from '../src/directory-file';
import { catchAllReAlertDelayMs } from '../src/routing/catch-all-alerts';
import { readRep } from '../db/directory';
import { listEvents, recordEvent } from '../db/events';
import { readLeadFacts, saveProgress, type LeadFacts } from '../db/leads';
import { readOffer, type StoredOffer } from '../db/offers';
import { withTransaction } from '../db/pool';
import { myOffersUrl, offerLinkUrls } from '../links/offer-links';
import { sendOnce } from '../mail/mailer';
import { activityClock } from './clock';
import type { ActivityDeps } from '.';

/** How long the "my offers" link in an offer email works after the offer's deadline. */
const myOffersLinkDays = 7;

export type Notifications = ReturnType<typeof createNotifications>;

export function createNotifications({
  db,
  mailer,
  mailFrom,
  apiUrl,
  linkSecret,
  clock = activityClock,
}: Pick<ActivityDeps, 'db' | 'mailer' | 'mailFrom' | 'apiUrl' | 'linkSecret' | 'clock'>) {
  async function history(leadId: string): Promise<LeadEventLine[]> {
    return (await listEvents(db, leadId)).map(({ at, kind, summary }) => ({ at, kind, summary }));
  }

  async function offeredRep(repId: string): Promise<Rep> {
    const stored = await readRep(db, repId);
    if (!stored) throw ApplicationFailure.nonRetryable(`rep ${repId} is not in the directory`, 'UnknownRep');
    if (!stored.rep.active) throw ApplicationFailure.nonRetryable(`rep ${repId} is deactivated`, 'InactiveRep');
    return stored.rep;
  }

  /** What the offer, reminder and escalation emails to the offered rep share, with that rep's signed links. */
  async function offerEmail(
    o: StoredOffer,
    facts: LeadFacts,
    deadline: string,
  ): Promise<{ offer: OfferEmailInput; rep: Rep }> {
    const repId = o.stage.repIds[0] as string;
    const rep = await offeredRep(repId);
    const offer: OfferEmailInput = {
      leadId: o.leadId,
      offerNumber: o.offerNumber,
      lead: facts.lead,
      qualification: facts.qualification!,
      stageKind: o.stage.kind,
      level: o.stage.level,
      deadline,
      whyYou: o.stage.why,
      rep: { name: rep.name, timeZone: rep.timeZone },
      links: offerLinkUrls({
        apiUrl,
        secret: linkSecret,
        leadId: o.leadId,
        offerNumber: o.offerNumber,
        repId,
        expiresAt: deadline,
      }),
    };
    return { offer, rep };
  }

  /** The offer to the stage's rep, stating `deadline`; an escalation's email carries the lead's history. */
  async function emailOffer(o: StoredOffer, facts: LeadFacts, deadline: string): Promise<Date> {
    const { offer, rep } = await offerEmail(o, facts, deadline);
    const withPage = {
      ...offer,
      myOffersUrl: myOffersUrl({
        apiUrl,
        secret: linkSecret,
        repId: rep.id,
        expiresAt: new Date(Date.parse(deadline) + myOffersLinkDays * 86_400_000),
      }),
    };
    const content =
      o.stage.kind === 'escalation'
        ? composeEscalationEmail({ ...withPage, history: await history(o.leadId) })
        : composeOfferEmail(withPage);
    const key = { leadId: o.leadId, offerNumber: o.offerNumber, kind: 'offer' as const };
    return await sendOnce(db, mailer, mailFrom, key, rep.email, content, clock);
  }

  /** One reminder to the offered rep, with the same links. */
  async function emailReminder(o: StoredOffer, facts: LeadFacts, remindedAt: string): Promise<Date> {
    const { offer, rep } = await offerEmail(o, facts, o.deadline!);
    const key = { leadId: o.leadId, offerNumber: o.offerNumber, kind: 'reminder' as const };
    const content = composeReminderEmail({ ...offer, remindedAt });
    return await sendOnce(db, mailer, mailFrom, key, rep.email, content, clock);
  }

  return {
    clock,
    emailOffer,
    emailReminder,

    /**
     * Alert `round` of the catch-all offer to whoever watches the queue, with the lead's history (and, for a lead
     * that needs attention, why). The next re-alert is due a backed-off interval after this one went out.
     */
    alertCatchAll: async ({
      leadId,
      offerNumber,
      round,
    }: {
      leadId: string;
      offerNumber: number;
      round: number;
    }): Promise<{ alertedAt: string; nextAlertAt: string }> => {
      const offer = await readOffer(db, leadId, offerNumber);
      const facts = await readLeadFacts(db, leadId);
      if (!offer || !facts)
        throw ApplicationFailure.nonRetryable(`lead ${leadId} has no offer ${offerNumber}`, 'UnknownOffer');
      const { alertEmail } = offer.stage;
      if (!alertEmail)
        throw ApplicationFailure.nonRetryable(`offer ${offerNumber} of lead ${leadId} has nobody to alert`);
      const lines = await history(leadId);
      const problem = facts.status === 'needs-attention' ? lastProblem(lines) : null;
      const claimants = offer.stage.repIds;
      const content = composeCatchAllAlert({
        leadId,
        offerNumber,
        lead: facts.lead,
        round,
        claimants,
        problem,
        reoffered: offer.stage.untouchedBy ? offer.stage.why : null,
        history: lines,
        apiUrl,
      });
      const key = { leadId, offerNumber, kind: 'catch-all-alert' as const, round };
      const alertedAt = await sendOnce(db, mailer, mailFrom, key, alertEmail, content, clock);
      const nextAlertAt = new Date(
        alertedAt.getTime() + catchAllReAlertDelayMs(offer.stage.sla.ms, round),
      ).toISOString();
      await withTransaction(db, async (tx) => {
        await saveProgress(tx, {
          leadId,
          status: facts.status,
          escalationLevel: offer.stage.level,
          slaDeadline: nextAlertAt,
          offeredRepIds: claimants,
        });
        await recordEvent(tx, {
          leadId,
          key: `offer:${offerNumber}:alert:${round}`,
          kind: 'alerted',
          at: alertedAt.toISOString(),
          offerNumber,
          summary: `${alertEmail} alerted${round > 1 ? ` again (alert ${round})` : ''}; next alert at ${nextAlertAt} unless someone claims it`,
        });
      });
      return { alertedAt: alertedAt.toISOString(), nextAlertAt };
    },
  };
}

function lastProblem(lines: LeadEventLine[]): string | null {
  return [...lines].reverse().find((l) => l.kind === 'needs-attention')?.summary ?? null;
}
