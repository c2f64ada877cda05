// The claim page the catch-all alert links to: `/claim/<leadId>.<offerNumber>`. The alert goes to a team's shared
// inbox, so the link itself proves nothing about who opens it; the page asks the claimer to sign in with their own
// rep token, and the owner recorded is that token's rep. (A rep may also claim from their own signed "All your open
// offers" page, which lists the catch-all offer with a Claim button.) The GET shows no person details: those come
// with a successful claim.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { readRepProfiles } from '../../db/lead-records';
import { checkToken, signInRefusal } from '../auth';
import type { FailedAuthLimiter } from '../failed-auth-limiter';
import { OfferIdSchema, parseOfferId } from '../offers/offer-id';
import { refusalStatus, runOfferAnswer } from '../offers/offer-answers';
import { esc, renderLeadCard, renderNotice, sendPage } from './html';
import { describeNow, readLeadSituation, type LeadSituation } from './lead-situation';

export interface ClaimPageDeps {
  client: Client;
  db: Pool;
  limiter: FailedAuthLimiter;
}

const ClaimParams = z.object({ offerId: OfferIdSchema });
const ClaimForm = z.object({ token: z.string().trim().max(200).optional() });

export function createClaimPage({ client, db, limiter }: ClaimPageDeps) {
  return { showClaim, claim };

  /** GET: which lead waits, until when, who may claim it, and the sign-in form. */
  async function showClaim(reply: FastifyReply, params: unknown) {
    const target = await findCatchAll(reply, params);
    if (!target) return reply;
    return sendClaimForm(reply, 200, target, null);
  }

  /** POST: the claim, as the rep whose token was given; never as anyone named in the request. */
  async function claim(request: FastifyRequest, reply: FastifyReply) {
    const target = await findCatchAll(reply, request.params);
    if (!target) return reply;
    const token = ClaimForm.safeParse(request.body ?? {}).data?.token || null;
    const check = await checkToken(db, limiter, request.ip, token);
    if (!check.ok) {
      const refusal = signInRefusal(reply, check);
      const hint = refusal.status === 401 ? ' Paste your own rep token (lrr_…).' : '';
      return sendClaimForm(reply, refusal.status, target, `${refusal.message}${hint}`);
    }
    if (check.principal.kind !== 'rep')
      return sendClaimForm(
        reply,
        403,
        target,
        'Claiming makes you the owner: sign in with your rep token, not an API key.',
      );
    const repId = check.principal.repId;
    const { leadId, offerNumber } = target;
    const answer = await runOfferAnswer(client, { action: 'accept', leadId, offerNumber, repId });
    const situation = await readLeadSituation(client, db, leadId);
    if (answer.kind === 'answered' && situation)
      return sendPage(
        reply,
        200,
        'You claimed this lead',
        renderNotice('ok', '<p>You own this lead now. Reach out while it is hot.</p>') +
          renderLeadCard(situation.lead, { contact: true }),
      );
    const status = answer.kind === 'refused' ? (refusalStatus[answer.type] ?? 409) : 409;
    const why = answer.kind === 'refused' ? answer.message : 'the lead is closed';
    const reps = await readRepProfiles(db, [repId, ...(situation?.owner ? [situation.owner] : [])]);
    const now = situation ? ` Now: ${describeNow(situation, (id) => reps.get(id)?.name ?? id)}.` : '';
    return sendPage(
      reply,
      status,
      'The lead was not claimed',
      renderNotice('problem', `<p>${esc(why)}.${esc(now)}</p><p class="meta">Nothing was changed.</p>`),
    );
  }

  /** The catch-all offer the page is about, or a page saying why there is none (null). */
  async function findCatchAll(
    reply: FastifyReply,
    params: unknown,
  ): Promise<{ leadId: string; offerNumber: number; situation: LeadSituation } | null> {
    const parsed = ClaimParams.safeParse(params);
    if (!parsed.success) {
      await sendPage(
        reply,
        400,
        'This claim link does not work',
        renderNotice('problem', '<p>The link is incomplete: open it again from the alert.</p>'),
      );
      return null;
    }
    const { leadId, offerNumber } = parseOfferId(parsed.data.offerId);
    const situation = await readLeadSituation(client, db, leadId);
    const offer = situation?.offers.find((o) => o.offerNumber === offerNumber);
    if (!situation || offer?.kind !== 'catch-all') {
      await sendPage(
        reply,
        404,
        'No such claim',
        renderNotice('problem', `<p>Lead ${esc(leadId)} has no catch-all offer ${offerNumber}.</p>`),
      );
      return null;
    }
    return { leadId, offerNumber, situation };
  }

  async function sendClaimForm(
    reply: FastifyReply,
    status: number,
    target: { leadId: string; offerNumber: number; situation: LeadSituation },
    error: string | null,
  ) {
    const { situation, offerNumber, leadId } = target;
    const offer = situation.offers.find((o) => o.offerNumber === offerNumber);
    const reps = await readRepProfiles(db, [...(offer?.repIds ?? []), ...(situation.owner ? [situation.owner] : [])]);
    const nameOf = (id: string) => reps.get(id)?.name ?? id;
    if (!offer || offer.outcome !== 'open' || situation.currentOffer?.offerNumber !== offerNumber) {
      const newer =
        situation.currentOffer?.kind === 'catch-all' && situation.currentOffer.offerNumber > offerNumber
          ? `<p><a href="${esc(`${leadId}.${situation.currentOffer.offerNumber}`)}">The lead waits in a newer round: claim it there.</a></p>`
          : '';
      return sendPage(
        reply,
        status === 200 ? 410 : status,
        'This claim round is over',
        renderNotice('problem', `<p>${esc(`Now: ${describeNow(situation, nameOf)}.`)}</p>${newer}`),
      );
    }
    return sendPage(
      reply,
      status,
      'Claim this lead?',
      (error ? renderNotice('problem', `<p class="error" role="alert">${esc(error)}</p>`) : '') +
        renderNotice(
          'info',
          `<p>Lead ${esc(leadId)} waits in the catch-all queue until someone claims it. ${esc(
            offer.repIds.map(nameOf).join(', '),
          )} may claim it.</p><p>Sign in as yourself: the lead is recorded as yours. Or use the Claim button on the “All your open offers” page linked from your own offer emails.</p>`,
        ) +
        `<form method="post" action="${esc(`${leadId}.${offerNumber}`)}"><label for="token">Your rep token</label><input id="token" name="token" type="password" autocomplete="off" required style="width:100%;box-sizing:border-box;font:inherit;padding:.5rem"><button class="accept" type="submit">Claim lead</button></form>`,
    );
  }
}
