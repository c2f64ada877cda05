// The rep's "all your open offers" page, behind the my-offers link of every offer email: each open offer with the
// same accept and decline links the emails carry, then the leads they own and have not reported contacting.
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { readAwaitingFirstTouchOf, readOpenOffersOf, readRepProfiles } from '../../db/lead-records';
import {
  findLinkUse,
  signLink,
  verifyLink,
  type LinkSecrets,
  type OfferAction,
  type OfferLinkClaims,
} from '../../links/offer-links';
import { formatInstant } from '../../src/notifications';
import {
  acceptForm,
  declineForm,
  esc,
  firstTouchForm,
  linkProblem,
  renderLeadCard,
  renderNotice,
  sendPage,
} from './html';
import { MyOffersQuery } from './schemas';

export interface MyOffersPageDeps {
  db: Pool;
  linkSecret: LinkSecrets;
}

export async function sendMyOffersPage(
  { db, linkSecret }: MyOffersPageDeps,
  reply: FastifyReply,
  query: unknown,
  now: () => Promise<Date>,
) {
  const parsed = MyOffersQuery.safeParse(query ?? {});
  if (!parsed.success)
    return sendPage(
      reply,
      400,
      'This page needs your link',
      renderNotice('problem', `<p>${esc(parsed.error.issues[0]?.message ?? 'token is required')}</p>`),
    );
  const at = await now();
  const verified = verifyLink(parsed.data.token, { secret: linkSecret, now: at, actions: ['my-offers'] });
  if (!verified.ok) {
    const f = verified.failure;
    if (f.kind === 'expired')
      return sendPage(
        reply,
        410,
        'This link has expired',
        renderNotice(
          'problem',
          `<p>It stopped working at ${esc(formatInstant(f.claims.expiresAt, null))}. Use the “all your open offers” link in your newest offer email.</p>`,
        ),
      );
    return sendPage(
      reply,
      f.kind === 'tampered' ? 403 : 400,
      'This link does not work',
      renderNotice('problem', `<p>${esc(linkProblem(f))}</p>`),
    );
  }
  const repId = verified.claims.repId;
  const rep = (await readRepProfiles(db, [repId])).get(repId) ?? null;
  const cards: string[] = [];
  for (const o of await readOpenOffersOf(db, repId, at)) {
    const claims = (action: OfferAction): OfferLinkClaims => ({
      action,
      leadId: o.leadId,
      offerNumber: o.offerNumber,
      repId,
      // The catch-all queue (and an offer whose email is on its way) has no deadline: its links last a week.
      expiresAt: o.deadline ?? new Date(at.getTime() + 7 * 86_400_000),
    });
    // The same claims give the same tokens as the email's links, so one answer uses up both.
    const accept = signLink(claims('accept'), linkSecret);
    const decline = signLink(claims('decline'), linkSecret);
    const used = (await findLinkUse(db, accept)) ?? (await findLinkUse(db, decline));
    const due = o.deadline
      ? `Answer by <strong>${esc(formatInstant(o.deadline, rep?.timeZone ?? null))}</strong>`
      : 'Open until someone claims it';
    const deadline = `<p class="meta">${due} · lead ${esc(o.leadId)}, offer ${o.offerNumber}</p>`;
    const forms = used
      ? renderNotice(
          'info',
          `<p>You answered at ${esc(formatInstant(used.usedAt, rep?.timeZone ?? null))} (${esc(used.outcome)}).</p>`,
        )
      : acceptForm(`../links/${accept}`, o.kind === 'catch-all') +
        (o.kind === 'catch-all' ? '' : declineForm(`../links/${decline}`, null));
    cards.push(renderLeadCard(o.lead, { extra: deadline + forms }));
  }
  const untouched: string[] = [];
  for (const a of await readAwaitingFirstTouchOf(db, repId)) {
    const expiresAt = new Date(at.getTime() + 7 * 86_400_000);
    const token = signLink({ action: 'first-touch', leadId: a.leadId, repId, expiresAt }, linkSecret);
    const when = esc(formatInstant(a.deadline, rep?.timeZone ?? null));
    const due =
      a.status === 'first-touch-overdue'
        ? `<strong>First touch overdue</strong>; next step at ${when}`
        : `First touch due by <strong>${when}</strong>`;
    const form = firstTouchForm(`../first-touch/${token}`);
    untouched.push(
      renderLeadCard(a.lead, { contact: true, extra: `<p class="meta">${due} · lead ${esc(a.leadId)}</p>${form}` }),
    );
  }
  const title = `Open offers for ${rep?.name ?? repId}`;
  return sendPage(
    reply,
    200,
    title,
    (cards.length
      ? cards.join('')
      : renderNotice('info', '<p>No open offers right now. New offers arrive by email.</p>')) +
      (untouched.length ? `<h2>Your leads to contact</h2>${untouched.join('')}` : ''),
  );
}
