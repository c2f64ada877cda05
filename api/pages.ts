// Server-rendered pages behind the email links: confirm-then-act answer pages and a rep's "my offers" list.
import type { FastifyInstance, FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import {
  consumeLink,
  findLinkUse,
  signLink,
  verifyLink,
  type LinkFailure,
  type OfferAction,
  type OfferLinkClaims,
} from '../links/offer-links';
import { formatInstant } from '../src/notifications';
import { refusalStatus, runOfferAnswer, type OfferAnswerOutcome } from './offer-answers';
import { esc, renderLeadCard, renderNotice, renderPage } from './pages/html';
import {
  describeNow,
  judgeOffer,
  leadColumns,
  pageLeadFromRow,
  readLeadSituation,
  readReps,
  type LeadRow,
  type LeadSituation,
  type RepProfile,
} from './pages/lead-situation';

export interface OfferPagesOptions {
  client: Client;
  db: Pool;
  /** LEADRELAY_LINK_SECRET: the same secret the worker signs the email links with. */
  linkSecret: string;
  /** The task queue of the lead workflows; answers go to running workflows, so nothing here starts one. */
  taskQueue: string;
  /** Defaults to a real clock; tests against the time-skipping server pass the server's. */
  now?: () => Promise<Date>;
}

const offerActions = ['accept', 'decline'] as const;
// A wildcard, not `:token`: the router refuses parameters over 100 characters (414) and a token is longer.
const TokenParams = z.object({ '*': z.string().max(2000, 'token is too long') }).transform((p) => ({ token: p['*'] }));
const MyOffersQuery = z.object({
  token: z
    .string({ message: 'token is required: open the "my offers" link from one of your offer emails' })
    .min(1, 'token is required')
    .max(2000),
});
const AnswerForm = z.object({ reason: z.string().trim().max(2000, 'reason is at most 2000 characters').optional() });

/**
 * Register with `app.register(registerOfferPages, options)`. The pages live in a context of their own (HTML
 * errors, security headers, form parsing), so a direct call cannot change the JSON API's behaviour either.
 */
export async function registerOfferPages(app: FastifyInstance, opts: OfferPagesOptions): Promise<void> {
  await app.register(async (pages) => {
    await definePages(pages, opts);
  });
}

async function definePages(app: FastifyInstance, opts: OfferPagesOptions): Promise<void> {
  const { client, db, linkSecret } = opts;
  const now = opts.now ?? (() => Promise.resolve(new Date()));
  // Fail at start, not on the first click, when the secret is missing or weak.
  signLink({ action: 'my-offers', repId: 'startup-check', expiresAt: new Date(0) }, linkSecret);

  // Forms post urlencoded; registered here (encapsulated) unless the API already parses it.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded'))
    await app.register(formbody, { bodyLimit: 16 * 1024 });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    // The token is in the URL: never hand it to another site, never let a page frame these forms.
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-robots-tag', 'noindex');
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    return payload;
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error(err);
    const detail =
      status === 500
        ? 'Something went wrong on our side. Nothing was changed; try the link again in a minute.'
        : err.message;
    const title =
      status === 500 ? 'Something went wrong' : status === 429 ? 'Too many requests' : 'This request could not be read';
    return sendPage(reply, status, title, renderNotice('problem', `<p>${esc(detail)}</p>`));
  });

  // A GET only shows: mail scanners and link previews open links, and must never accept a lead for the rep.
  app.get('/links/*', { schema: { hide: true } }, async (request, reply) => {
    const { token } = parseOr400(TokenParams, request.params);
    const at = await now();
    const verified = verifyLink(token, { secret: linkSecret, now: at, actions: offerActions });
    if (!verified.ok) return await sendLinkFailure(reply, token, verified.failure, at);
    const claims = verified.claims as OfferLinkClaims;
    const used = await findLinkUse(db, token);
    if (used) return await sendReused(reply, claims, used, at);
    return await sendConfirmation(reply, token, claims, at, 200, null);
  });

  app.post('/links/*', { schema: { hide: true } }, async (request, reply) => {
    const { token } = parseOr400(TokenParams, request.params);
    const at = await now();
    const verified = verifyLink(token, { secret: linkSecret, now: at, actions: offerActions });
    if (!verified.ok) return await sendLinkFailure(reply, token, verified.failure, at);
    const claims = verified.claims as OfferLinkClaims;
    const form = AnswerForm.safeParse(request.body ?? {});
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
  });

  app.get('/me/offers', { schema: { hide: true } }, async (request, reply) => {
    const query = MyOffersQuery.safeParse(request.query ?? {});
    if (!query.success)
      return sendPage(
        reply,
        400,
        'This page needs your link',
        renderNotice('problem', `<p>${esc(query.error.issues[0]?.message ?? 'token is required')}</p>`),
      );
    const at = await now();
    const verified = verifyLink(query.data.token, { secret: linkSecret, now: at, actions: ['my-offers'] });
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
    const rep = (await readReps(db, [repId])).get(repId) ?? null;
    const offers = await db.query<LeadRow & { lead_id: string; offer_number: number; kind: string; deadline: Date }>(
      `SELECT o.lead_id, o.offer_number, o.kind, o.deadline, ${leadColumns
        .split(', ')
        .map((c) => `l.${c}`)
        .join(', ')}
         FROM lead_offers o JOIN leads l ON l.id = o.lead_id
        WHERE o.status = 'open' AND $1 = ANY (o.rep_ids) AND o.deadline > $2
        ORDER BY o.deadline, o.lead_id`,
      [repId, at],
    );
    const cards: string[] = [];
    for (const o of offers.rows) {
      const claims = (action: OfferAction): OfferLinkClaims => ({
        action,
        leadId: o.lead_id,
        offerNumber: o.offer_number,
        repId,
        expiresAt: o.deadline,
      });
      // The same claims give the same tokens as the email's links, so one answer uses up both.
      const accept = signLink(claims('accept'), linkSecret);
      const decline = signLink(claims('decline'), linkSecret);
      const used = (await findLinkUse(db, accept)) ?? (await findLinkUse(db, decline));
      const deadline = `<p class="meta">Answer by <strong>${esc(formatInstant(o.deadline, rep?.timeZone ?? null))}</strong> · lead ${esc(o.lead_id)}, offer ${o.offer_number}</p>`;
      const forms = used
        ? renderNotice(
            'info',
            `<p>You answered at ${esc(formatInstant(used.usedAt, rep?.timeZone ?? null))} (${esc(used.outcome)}).</p>`,
          )
        : acceptForm(`../links/${accept}`, o.kind === 'catch-all') +
          (o.kind === 'catch-all' ? '' : declineForm(`../links/${decline}`, null));
      cards.push(renderLeadCard(pageLeadFromRow(o), { extra: deadline + forms }));
    }
    const title = `Open offers for ${rep?.name ?? repId}`;
    return sendPage(
      reply,
      200,
      title,
      cards.length
        ? cards.join('')
        : renderNotice('info', '<p>No open offers right now. New offers arrive by email.</p>'),
    );
  });

  // ── Steps ─────────────────────────────────────────────────────────────────────────────────────

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
    const deadline = `<p class="meta">Answer by <strong>${esc(formatInstant(new Date(verdict.offer.deadline), timeZone))}</strong>, or the lead moves on.</p>`;
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
    if (failure.kind === 'expired' && failure.claims.action !== 'my-offers') {
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
    return await readReps(db, [
      viewer,
      ...(situation?.owner ? [situation.owner] : []),
      ...(situation?.offers.flatMap((o) => [...o.repIds, ...(o.answeredBy ? [o.answeredBy] : [])]) ?? []),
    ]);
  }
}

function acceptForm(action: string, catchAll: boolean): string {
  return `<form method="post" action="${esc(action)}"><button class="accept" type="submit">${catchAll ? 'Claim lead' : 'Accept lead'}</button></form>`;
}

function declineForm(action: string, error: string | null): string {
  return `<form method="post" action="${esc(action)}"><label for="reason-${esc(action.slice(-12))}">Why do you decline?</label>${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}<textarea id="reason-${esc(action.slice(-12))}" name="reason" required maxlength="2000" placeholder="e.g. on holiday until Monday; not my territory"></textarea><button class="decline" type="submit">Decline lead</button></form>`;
}

function linkProblem(f: LinkFailure): string {
  switch (f.kind) {
    case 'malformed':
      return 'The link is incomplete. Some mail programs cut long links: open it again from the email, or copy the whole link into the browser.';
    case 'tampered':
      return 'The link was changed after leadrelay sent it, so it cannot be trusted. Open it again from the email.';
    case 'wrong-action':
      return `This is not a link for this page (${f.message}).`;
    case 'expired':
      return `The link stopped working at ${formatInstant(f.claims.expiresAt, null)}.`;
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
    default:
      return `refused: ${outcome}`;
  }
}

function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw Object.assign(
      new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')),
      { statusCode: 400 },
    );
  return parsed.data;
}

function sendPage(reply: FastifyReply, status: number, title: string, body: string) {
  return reply.code(status).type('text/html; charset=utf-8').send(renderPage(title, body));
}
