// Server-rendered pages behind the email links: confirm-then-act answer pages, a rep's "my offers" list, and the
// catch-all claim page.
import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { signLink, type LinkSecrets } from '../../links/offer-links';
import { esc, renderNotice, sendPage, setPageSecurityHeaders } from './html';
import { createLinkPages } from './link-pages';
import { sendMyOffersPage } from './my-offers-page';
import { createClaimPage } from './claim-page';
import { createFirstTouchPage } from './first-touch-page';
import { FailedAuthLimiter } from '../failed-auth-limiter';

export interface OfferPagesOptions {
  client: Client;
  db: Pool;
  /** LEADRELAY_LINK_SECRET: the same secret the worker signs the email links with. */
  linkSecret: LinkSecrets;
  /** The task queue of the lead workflows; answers go to running workflows, so nothing here starts one. */
  taskQueue: string;
  /** Defaults to a real clock; tests against the time-skipping server pass the server's. */
  now?: () => Promise<Date>;
  /** The API's failed-authentication limit: the claim page takes rep tokens too. */
  limiter?: FailedAuthLimiter;
}

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
    // The token is in the URL: never hand it to another site, never let a page frame these forms.
    setPageSecurityHeaders(reply);
    reply.header('x-robots-tag', 'noindex');
    return payload;
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, request, reply) => {
    const status =
      err.statusCode && err.statusCode >= 400 && (err.statusCode < 500 || err.statusCode === 503)
        ? err.statusCode
        : 500;
    if (status === 500) request.log.error(err);
    const detail =
      status === 500
        ? 'Something went wrong on our side. Nothing was changed; try the link again in a minute.'
        : err.message;
    const title =
      status === 500
        ? 'Something went wrong'
        : status === 503
          ? 'Not answered yet'
          : status === 429
            ? 'Too many requests'
            : 'This request could not be read';
    return sendPage(reply, status, title, renderNotice('problem', `<p>${esc(detail)}</p>`));
  });

  const links = createLinkPages({ client, db, linkSecret, now });

  // A GET only shows: mail scanners and link previews open links, and must never accept a lead for the rep.
  app.get('/links/*', { schema: { hide: true } }, async (request, reply) => links.showLink(reply, request.params));

  app.post('/links/*', { schema: { hide: true } }, async (request, reply) =>
    links.answerLink(reply, request.params, request.body),
  );

  app.get('/me/offers', { schema: { hide: true } }, async (request, reply) =>
    sendMyOffersPage({ db, linkSecret }, reply, request.query, now),
  );

  // The first-touch nudge's link: the owner confirms they reached the person.
  const firstTouch = createFirstTouchPage({ client, db, linkSecret, now });
  app.get('/first-touch/*', { schema: { hide: true } }, async (request, reply) =>
    firstTouch.showFirstTouch(reply, request.params),
  );
  app.post('/first-touch/*', { schema: { hide: true } }, async (request, reply) =>
    firstTouch.recordFirstTouch(reply, request.params),
  );

  // The catch-all alert's one link: the claimer signs in with their own rep token and becomes the owner.
  const claims = createClaimPage({ client, db, limiter: opts.limiter ?? new FailedAuthLimiter() });
  app.get('/claim/:offerId', { schema: { hide: true } }, async (request, reply) =>
    claims.showClaim(reply, request.params),
  );
  app.post('/claim/:offerId', { schema: { hide: true } }, async (request, reply) => claims.claim(request, reply));
}
