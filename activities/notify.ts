// The emails: an offer (or, to a manager, an escalation with the lead's history) and its reminder to the offered
// rep, with signed answer links; the alert to whoever watches the catch-all queue. Each is sent at most once.
import { ApplicationFailure } from '@temporalio/common';
import type { LeadWorkflowInput } from '../src/lead';
import {
  composeCatchAllAlert,
  composeEscalationEmail,
  composeOfferEmail,
  composeReminderEmail,
  type LeadEventLine,
  type OfferEmailInput,
} from '../src/notifications';
import type { Rep } from '../src/directory-file';
import { readRep } from '../db/directory';
import { listEvents } from '../db/events';
import { myOffersUrl, offerLinkUrls } from '../links/offer-links';
import { sendOnce } from '../mail/mailer';
import type { OpenOfferInput } from './offers';
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
}: Pick<ActivityDeps, 'db' | 'mailer' | 'mailFrom' | 'apiUrl' | 'linkSecret'>) {
  async function history(leadId: string): Promise<LeadEventLine[]> {
    return (await listEvents(db, leadId)).map(({ at, kind, summary }) => ({ at, kind, summary }));
  }

  async function offeredRep(repId: string): Promise<Rep> {
    const stored = await readRep(db, repId);
    if (!stored) throw ApplicationFailure.nonRetryable(`rep ${repId} is not in the directory`, 'UnknownRep');
    return stored.rep;
  }

  /** What the offer, reminder and escalation emails to the offered rep share, with that rep's signed links. */
  async function offerEmail(o: OpenOfferInput): Promise<{ offer: OfferEmailInput; rep: Rep }> {
    const repId = o.stage.repIds[0] as string;
    const rep = await offeredRep(repId);
    const offer: OfferEmailInput = {
      leadId: o.leadId,
      offerNumber: o.offerNumber,
      lead: o.input.lead,
      qualification: o.qualification,
      stageKind: o.stage.kind,
      level: o.stage.level,
      deadline: o.deadline,
      whyYou: o.whyYou,
      rep: { name: rep.name, timeZone: rep.timeZone },
      links: offerLinkUrls({
        apiUrl,
        secret: linkSecret,
        leadId: o.leadId,
        offerNumber: o.offerNumber,
        repId,
        expiresAt: o.deadline,
      }),
    };
    return { offer, rep };
  }

  /** The offer to the stage's rep; an escalation's email carries the lead's history. */
  async function emailOffer(o: OpenOfferInput): Promise<void> {
    const { offer, rep } = await offerEmail(o);
    const withPage = {
      ...offer,
      myOffersUrl: myOffersUrl({
        apiUrl,
        secret: linkSecret,
        repId: rep.id,
        expiresAt: new Date(Date.parse(o.deadline) + myOffersLinkDays * 86_400_000),
      }),
    };
    const content =
      o.stage.kind === 'escalation'
        ? composeEscalationEmail({ ...withPage, history: await history(o.leadId) })
        : composeOfferEmail(withPage);
    const key = { leadId: o.leadId, offerNumber: o.offerNumber, kind: 'offer' as const };
    await sendOnce(db, mailer, mailFrom, key, rep.email, content);
  }

  /** One reminder to the offered rep, with the same links. Returns the rep reminded. */
  async function emailReminder(o: OpenOfferInput, remindedAt: string): Promise<Rep> {
    const { offer, rep } = await offerEmail(o);
    const key = { leadId: o.leadId, offerNumber: o.offerNumber, kind: 'reminder' as const };
    await sendOnce(db, mailer, mailFrom, key, rep.email, composeReminderEmail({ ...offer, remindedAt }));
    return rep;
  }

  /** Chain exhausted: alert whoever watches the catch-all queue, with a signed claim link per claimant. One email per round. */
  async function alertCatchAll({
    leadId,
    input,
    offerNumber,
    round,
    alertEmail,
    claimants,
    history: lines,
    deadline,
  }: {
    leadId: string;
    input: LeadWorkflowInput;
    offerNumber: number;
    round: number;
    alertEmail: string;
    claimants: string[];
    history: string[];
    /** When this round's claim links stop working: its re-alert supersedes them. */
    deadline?: string;
  }): Promise<void> {
    const expiresAt = deadline ?? new Date(Date.now() + 3_600_000).toISOString();
    const content = composeCatchAllAlert({
      leadId,
      offerNumber,
      lead: input.lead,
      round,
      claimants,
      history: lines.length ? lines : await history(leadId),
      apiUrl,
      claimLinks: claimants.map((repId) => ({
        repId,
        url: offerLinkUrls({ apiUrl, secret: linkSecret, leadId, offerNumber, repId, expiresAt }).accept,
      })),
    });
    await sendOnce(db, mailer, mailFrom, { leadId, offerNumber, kind: 'catch-all-alert' }, alertEmail, content);
  }

  return { emailOffer, emailReminder, alertCatchAll };
}
