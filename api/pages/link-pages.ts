// The pages behind an offer email's accept and decline links. A GET only shows the lead and a confirm form: mail
// scanners and link previews open links, and must never accept a lead for the rep. The form's POST answers the
// offer once (the link is used up), through the same workflow Update as the JSON API; every other case says what
// happened to the lead instead.
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { readRepProfiles, type RepProfile } from '../../db/lead-records';
import {
  consumeLink,
  findLinkUse,
  verifyLink,
  type LinkFailure,
  type LinkSecrets,
  type OfferLinkClaims,
} from '../../links/offer-links';
import { formatInstant } from '../../src/notifications';
import { refusalStatus, runOfferAnswer, type OfferAnswerOutcome } from '../offers/offer-answers';
import { acceptForm, declineForm, esc, linkProblem, renderLeadCard, renderNotice, sendPage } from './html';
import { describeNow, judgeOffer, readLeadSituation, type LeadSituation } from './lead-situation';
import { AnswerForm, parseOr400, TokenParams } from './schemas';

const offerActions = ['accept', 'decline'] as const;

export interface LinkPagesDeps {
  client: Client;
  db: Pool;
  linkSecret: LinkSecrets;
  now: () => Promise<Date>;
}

export function createLinkPages({ client, db, linkSecret, now }: LinkPagesDeps) {
  return { showLink, answerLink };

  /** GET /links/<token>: the lead and the form to confirm the link's answer, or why it cannot be given. */
  async function showLink(reply: FastifyReply, params: unknown) {
    const { token } = parseOr400(TokenParams, params);
    const at = await now();
    const verified = verifyLink(token, { secret: linkSecret, now: at, actions: offerActions });
    if (!verified.ok) return await sendLinkFailure(reply, token, verified.failure, at);
    const claims = verified.claims as OfferLinkClaims;
    const used = await findLinkUse(db, token);
    if (used) return await sendReused(reply, claims, used, at);
    return await sendConfirmation(reply, token, claims, at, 200, null);
  }

  /** POST /links/<token>: gives the link's answer (a decline with its reason from the form). */
  async function answerLink(reply: FastifyReply, params: unknown, body: unknown) {
    const { token } = parseOr400(TokenParams, params);
    const at = await now();
    const verified = verifyLink(token, { secret: linkSecret, now: at, actions: offerActions });
    if (!verified.ok) return await sendLinkFailure(reply, token, verified.failure, at);
    const claims = verified.claims as OfferLinkClaims;
    const form = AnswerForm.safeParse(body ?? {});
    if (!form.success)
      return await sendConfirmation(
        reply,
        token,
        claims,
        at,
        400,
        form.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; '),
      );
    const reason = form.data.reason || undefined;
    if (claims.action === 'decline' && !reason)
      return await sendConfirmation(
        reply,
        token,
        claims,
        at,
        400,
        'reason: say in a few words why you decline; the next rep and your manager read it.',
      );

    const result = await consumeLink(db, { token, claims, at }, async () => {
      const answer = await answerOffer(claims, reason);
      return {
        outcome:
          answer.kind === 'answered'
            ? claims.action === 'accept'
              ? 'accepted'
              : 'declined'
            : answer.kind === 'refused'
              ? answer.type
              : 'LeadClosed',
        value: answer,
      };
    });
    if (!result.consumed) return await sendReused(reply, claims, result.previous, at);
    const answer = result.value;
    const situation = await readLeadSituation(client, db, claims.leadId);
    const reps = await repsFor(situation, claims.repId);
    const viewer = reps.get(claims.repId) ?? null;
    if (answer.kind === 'answered' && situation) {
      if (claims.action === 'accept') {
        return sendPage(
          reply,
          200,
          situation.offers[claims.offerNumber - 1]?.kind === 'catch-all'
            ? 'You claimed this lead'
            : 'The lead is yours',
          renderNotice('ok', `<p>You own this lead now. Reach out while it is hot.</p>`) +
            renderLeadCard(situation.lead, { contact: true }),
        );
      }
      const nameOf = (id: string) => reps.get(id)?.name ?? id;
      return sendPage(
        reply,
        200,
        'You declined this lead',
        renderNotice('ok', `<p>Thanks — the lead moved on: ${esc(describeNow(situation, nameOf))}.</p>`) +
          renderLeadCard(situation.lead),
      );
    }
    if (!situation)
      return sendPage(
        reply,
        404,
        'No such lead',
        renderNotice('problem', `<p>We have no lead ${esc(claims.leadId)}.</p>`),
      );
    // Refused or closed: the workflow changed nothing; say what happened to the lead instead.
    const verdict = judgeOffer(situation, claims, { now: at, reps, timeZone: viewer?.timeZone ?? null });
    const status = answer.kind === 'refused' ? (refusalStatus[answer.type] ?? 409) : 409;
    const headline =
      verdict.kind === 'closed' ? verdict.headline : answer.kind === 'refused' ? answer.message : 'This lead is closed';
    const detail = verdict.kind === 'closed' ? verdict.detail : '';
    return sendPage(
      reply,
      status,
      headline,
      renderNotice('problem', `<p>${esc(detail)}</p><p class="meta">Nothing was changed.</p>`) +
        renderLeadCard(situation.lead, { contact: verdict.kind === 'closed' && verdict.owned }),
    );
  }

  function answerOffer(claims: OfferLinkClaims, reason: string | undefined): Promise<OfferAnswerOutcome> {
    return runOfferAnswer(client, {
      action: claims.action,
      leadId: claims.leadId,
      offerNumber: claims.offerNumber,
      repId: claims.repId,
      reason: claims.action === 'decline' ? reason : undefined,
    });
  }

  async function sendConfirmation(
    reply: FastifyReply,
    token: string,
    claims: OfferLinkClaims,
    at: Date,
    status: number,
    error: string | null,
  ) {
    const situation = await readLeadSituation(client, db, claims.leadId);
    if (!situation)
      return sendPage(
        reply,
        404,
        'No such lead',
        renderNotice('problem', `<p>We have no lead ${esc(claims.leadId)}.</p>`),
      );
    const reps = await repsFor(situation, claims.repId);
    const timeZone = reps.get(claims.repId)?.timeZone ?? null;
    const verdict = judgeOffer(situation, claims, { now: at, reps, timeZone });
    if (verdict.kind === 'closed') {
      return sendPage(
        reply,
        verdict.status,
        verdict.headline,
        renderNotice('problem', `<p>${esc(verdict.detail)}</p>`) +
          renderLeadCard(situation.lead, { contact: verdict.owned }),
      );
    }
    const deadline = verdict.offer.deadline
      ? `<p class="meta">Answer by <strong>${esc(formatInstant(new Date(verdict.offer.deadline), timeZone))}</strong>, or the lead moves on.</p>`
      : '<p class="meta">Open until someone claims it.</p>';
    const errorHtml = error ? `<p class="error" role="alert">${esc(error)}</p>` : '';
    const catchAll = verdict.offer.kind === 'catch-all';
    // Relative to /links/<token>: the form posts back to the same link, wherever the API is mounted.
    const form = claims.action === 'accept' ? errorHtml + acceptForm(token, catchAll) : declineForm(token, error);
    const title =
      claims.action === 'accept' ? (catchAll ? 'Claim this lead?' : 'Accept this lead?') : 'Decline this lead?';
    return sendPage(reply, status, title, renderLeadCard(situation.lead, { extra: deadline }) + form);
  }

  async function sendReused(
    reply: FastifyReply,
    claims: OfferLinkClaims,
    used: { usedAt: Date; outcome: string },
    at: Date,
  ) {
    const situation = await readLeadSituation(client, db, claims.leadId);
    const reps = await repsFor(situation, claims.repId);
    const timeZone = reps.get(claims.repId)?.timeZone ?? null;
    const nameOf = (id: string) => reps.get(id)?.name ?? id;
    const verdict = situation ? judgeOffer(situation, claims, { now: at, reps, timeZone }) : null;
    const now = situation
      ? `<p>Now: ${esc(verdict?.kind === 'closed' ? `${verdict.headline}. ${verdict.detail}` : `${describeNow(situation, nameOf)}.`)}</p>`
      : '';
    return sendPage(
      reply,
      409,
      'This link was already used',
      renderNotice(
        'problem',
        `<p>It was used at ${esc(formatInstant(used.usedAt, timeZone))} (${esc(describeOutcome(used.outcome))}). Each link works once.</p>${now}`,
      ) + (situation ? renderLeadCard(situation.lead, { contact: verdict?.kind === 'closed' && verdict.owned }) : ''),
    );
  }

  async function sendLinkFailure(reply: FastifyReply, token: string, failure: LinkFailure, at: Date) {
    if (failure.kind === 'expired' && (failure.claims.action === 'accept' || failure.claims.action === 'decline')) {
      const claims = failure.claims;
      // A used link that has since expired: what the rep did with it tells them more than the expiry.
      const used = await findLinkUse(db, token);
      if (used) return await sendReused(reply, claims, used, at);
      const situation = await readLeadSituation(client, db, claims.leadId);
      const reps = await repsFor(situation, claims.repId);
      const timeZone = reps.get(claims.repId)?.timeZone ?? null;
      const verdict = situation ? judgeOffer(situation, claims, { now: at, reps, timeZone }) : null;
      // Past the deadline the verdict is never open; it says whether the lead expired, moved on or was taken.
      const headline =
        verdict?.kind === 'closed'
          ? verdict.headline
          : `The offer expired at ${formatInstant(claims.expiresAt, timeZone)}`;
      const detail = verdict?.kind === 'closed' ? verdict.detail : 'The lead moved on.';
      return sendPage(
        reply,
        410,
        headline,
        renderNotice(
          'problem',
          `<p>${esc(detail)}</p><p class="meta">This link stopped working at ${esc(formatInstant(claims.expiresAt, timeZone))}.</p>`,
        ) + (situation ? renderLeadCard(situation.lead, { contact: verdict?.kind === 'closed' && verdict.owned }) : ''),
      );
    }
    return sendPage(
      reply,
      failure.kind === 'tampered' ? 403 : 400,
      'This link does not work',
      renderNotice('problem', `<p>${esc(linkProblem(failure))}</p>`),
    );
  }

  async function repsFor(situation: LeadSituation | null, viewer: string): Promise<Map<string, RepProfile>> {
    return await readRepProfiles(db, [
      viewer,
      ...(situation?.owner ? [situation.owner] : []),
      ...(situation?.offers.flatMap((o) => [...o.repIds, ...(o.answeredBy ? [o.answeredBy] : [])]) ?? []),
    ]);
  }
}

function describeOutcome(outcome: string): string {
  switch (outcome) {
    case 'accepted':
      return 'you accepted the lead';
    case 'declined':
      return 'you declined the lead';
    case 'LeadClosed':
      return 'the lead was already closed';
    case 'in-progress':
      return 'the answer is being given right now';
    default:
      return `refused: ${outcome}`;
  }
}
