// The rep pages over HTTP on the real stack: a GET never acts, a POST acts once, and every link that cannot act
// (changed, cut, expired, reused, for someone else) changes nothing and says what happened to the lead.
import { hotLead } from '../support/directory';
import { leadHandle, minutes, offerOpenTo, waitForLead } from '../support/harness';
import { leadStateQuery, type LeadView } from '../../workflows/messages';
import { signLink } from '../../links/offer-links';
import { pathOf, startPagesStack, type PagesStack } from './pages-stack';

let s: PagesStack;
beforeAll(async () => {
  s = await startPagesStack();
});
afterAll(async () => {
  await s?.teardown();
});

const page = async (method: 'GET' | 'POST' | 'HEAD', url: string, form?: Record<string, string>) => {
  const res = await s.h.api.inject({
    method,
    url: pathOf(url),
    ...(form
      ? {
          payload: new URLSearchParams(form).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }
      : {}),
  });
  const title = /<h1>([^<]*)<\/h1>/.exec(res.body)?.[1] ?? '';
  return {
    status: res.statusCode,
    title: decode(title),
    text: decode(res.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')),
    html: res.body,
    headers: res.headers,
  };
};

const decode = (s: string) => s.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

async function linkUses(leadId: string) {
  const { rows } = await s.h.db.query<{ rep_id: string; action: string; outcome: string }>(
    'SELECT rep_id, action, outcome FROM offer_link_uses WHERE lead_id = $1 ORDER BY used_at',
    [leadId],
  );
  return rows;
}

test('opening an Accept link only shows the lead; the POST accepts it once; the link then says it was used', async () => {
  const worker = await s.h.createWorker();
  await worker.runUntil(async () => {
    const submission = hotLead({ name: 'Priya <b>Shah</b>' });
    const leadId = await s.submitLead(submission);
    const view = await waitForLead(s.h, leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
    const { accept } = s.linksFor(leadId, view, 'ana');

    // Mail scanners and previews open links: none of these may answer the offer.
    const shown = await page('GET', accept);
    await page('GET', accept);
    await page('HEAD', accept);
    expect(shown.status).toBe(200);
    expect(shown.title).toBe('Accept this lead?');
    expect(shown.text).toContain('Priya <b>Shah</b> — Acme Corp');
    expect(shown.html).not.toContain('<b>Shah</b>');
    expect(shown.text).toContain('Tier A');
    expect(shown.text).toContain(submission.message);
    expect(shown.html).toMatch(
      /<form method="post" action="[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"><button class="accept" type="submit">Accept lead<\/button><\/form>/,
    );
    expect(shown.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const still = await leadHandle(s.h, leadId).query(leadStateQuery);
    expect(still.status).toBe('offered');
    expect(still.currentOffer).toMatchObject({ offerNumber: 1, outcome: 'open' });
    expect(await linkUses(leadId)).toEqual([]);

    const accepted = await page('POST', accept, {});
    expect(accepted.status).toBe(200);
    expect(accepted.title).toBe('The lead is yours');
    expect(accepted.html).toContain('href="mailto:priya.');
    expect(await leadHandle(s.h, leadId).result()).toMatchObject({ status: 'assigned', owner: 'ana' });
    expect(await linkUses(leadId)).toEqual([{ rep_id: 'ana', action: 'accept', outcome: 'accepted' }]);

    for (const method of ['GET', 'POST'] as const) {
      const again = await page(method, accept, {});
      expect(again.status).toBe(409);
      expect(again.title).toBe('This link was already used');
      expect(again.text).toContain('(you accepted the lead). Each link works once.');
      expect(again.text).toContain('You already own this lead');
    }
    expect(await linkUses(leadId)).toHaveLength(1);
  });
});

test('a decline needs a reason; with one the lead moves on, and the declined offer’s links say so', async () => {
  const worker = await s.h.createWorker();
  await worker.runUntil(async () => {
    const leadId = await s.submitLead(hotLead());
    const view = await waitForLead(s.h, leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
    const ana = s.linksFor(leadId, view, 'ana');

    const shown = await page('GET', ana.decline);
    expect(shown.status).toBe(200);
    expect(shown.title).toBe('Decline this lead?');
    expect(shown.html).toContain('<textarea');

    const noReason = await page('POST', ana.decline, { reason: '   ' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('reason: say in a few words why you decline');
    expect((await leadHandle(s.h, leadId).query(leadStateQuery)).currentOffer).toMatchObject({
      offerNumber: 1,
      outcome: 'open',
    });
    expect(await linkUses(leadId)).toEqual([]);

    const declined = await page('POST', ana.decline, { reason: 'on a customer visit all day' });
    expect(declined.status).toBe(200);
    expect(declined.title).toBe('You declined this lead');
    expect(declined.text).toMatch(/the lead moved on: (it is now offered to Ben|it goes to the next in line)\./);

    const next = await waitForLead(s.h, leadId, offerOpenTo(2, 'ben'), 'offer 2 to ben');
    expect(next.offers[0]).toMatchObject({
      outcome: 'declined',
      answeredBy: 'ana',
      reason: 'on a customer visit all day',
    });
    const lateAccept = await page('GET', ana.accept);
    expect(lateAccept.status).toBe(409);
    expect(lateAccept.title).toMatch(/^You declined this lead at \w{3}, \d+ \w{3} \d{4}, \d\d:\d\d \S+$/);
    expect(lateAccept.text).toContain('The lead moved on: it is now offered to Ben.');

    // Ana's accept link acted on nothing: the workflow refuses the stale offer, and the refusal uses it up.
    const refused = await page('POST', ana.accept, {});
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Nothing was changed.');
    expect((await leadHandle(s.h, leadId).query(leadStateQuery)).currentOffer).toMatchObject({
      offerNumber: 2,
      repIds: ['ben'],
      outcome: 'open',
    });
    expect(await linkUses(leadId)).toEqual([
      { rep_id: 'ana', action: 'decline', outcome: 'declined' },
      { rep_id: 'ana', action: 'accept', outcome: 'StaleOffer' },
    ]);

    expect((await page('POST', s.linksFor(leadId, next, 'ben').accept, {})).status).toBe(200);
    expect(await leadHandle(s.h, leadId).result()).toMatchObject({ status: 'assigned', owner: 'ben' });
  });
});

test('a changed, cut, misdirected or foreign link does nothing', async () => {
  const worker = await s.h.createWorker();
  await worker.runUntil(async () => {
    const leadId = await s.submitLead(hotLead());
    const view = await waitForLead(s.h, leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
    const { accept } = s.linksFor(leadId, view, 'ana');
    const token = accept.split('/links/')[1] ?? '';
    const flipped = `${s.baseUrl}/links/${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;

    for (const method of ['GET', 'POST'] as const) {
      const tampered = await page(method, flipped, {});
      expect(tampered.status).toBe(403);
      expect(tampered.text).toContain('The link was changed after leadrelay sent it');
      expect(tampered.text).not.toContain('Acme Corp');

      const cut = await page(method, accept.slice(0, -20), {});
      expect(cut.status).toBe(400);
      expect(cut.text).toContain('The link is incomplete');
    }

    // A rep's my-offers link is not an answer link.
    const listToken = s
      .myOffersLink('ana', new Date(Date.parse(view.currentOffer?.deadline ?? '') + minutes(60)))
      .split('token=')[1];
    const misdirected = await page('POST', `${s.baseUrl}/links/${listToken}`, {});
    expect(misdirected.status).toBe(400);
    expect(misdirected.text).toContain('this link is for my-offers, not for accept or decline');

    // Correctly signed, but for a rep the offer was not made to: the workflow's validator refuses it.
    const forBen = signLink(
      {
        action: 'accept',
        leadId,
        offerNumber: 1,
        repId: 'ben',
        expiresAt: new Date(view.currentOffer?.deadline ?? ''),
      },
      s.linkSecret,
    );
    const shownToBen = await page('GET', `${s.baseUrl}/links/${forBen}`);
    expect(shownToBen.status).toBe(403);
    expect(shownToBen.title).toBe('This offer was not made to you');
    const postedByBen = await page('POST', `${s.baseUrl}/links/${forBen}`, {});
    expect(postedByBen.status).toBe(403);

    const after = await leadHandle(s.h, leadId).query(leadStateQuery);
    expect(after.status).toBe('offered');
    expect(after.currentOffer).toMatchObject({ offerNumber: 1, repIds: ['ana'], outcome: 'open' });
    expect(after.owner).toBeNull();
    expect((await page('POST', accept, {})).status).toBe(200);
  });
});

test('an expired link says when the offer expired and where the lead went, then who took it', async () => {
  const worker = await s.h.createWorker();
  await worker.runUntil(async () => {
    const leadId = await s.submitLead(hotLead());
    const first = await waitForLead(s.h, leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
    const ana = s.linksFor(leadId, first, 'ana');
    await s.h.env.sleep(minutes(5) + 1_000);
    const second = await waitForLead(s.h, leadId, offerOpenTo(2, 'ben'), 'offer 2 to ben');
    expect(second.offers[0]).toMatchObject({ outcome: 'timed-out' });

    const expiredAt = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(first.currentOffer?.deadline ?? ''));
    for (const method of ['GET', 'POST'] as const) {
      const expired = await page(method, ana.accept, {});
      expect(expired.status).toBe(410);
      expect(expired.title).toBe(`The offer expired at ${expiredAt} UTC`);
      expect(expired.text).toContain('The lead moved on: it is now offered to Ben.');
    }
    expect(await linkUses(leadId)).toEqual([]);

    expect((await page('POST', s.linksFor(leadId, second, 'ben').accept, {})).status).toBe(200);
    await leadHandle(s.h, leadId).result();
    const taken = await page('GET', ana.accept);
    expect(taken.status).toBe(410);
    expect(taken.title).toBe('This lead was already taken by Ben');
    expect(taken.text).toMatch(/Ben accepted it at \w{3}, \d+ \w{3} \d{4}, \d\d:\d\d \S+\./);
  });
});

test('"my offers" lists the rep’s open offers with working buttons; answering there uses up the email link', async () => {
  const worker = await s.h.createWorker();
  await worker.runUntil(async () => {
    const leadId = await s.submitLead(hotLead({ company: 'Initech' }));
    const view = await waitForLead(s.h, leadId, offerOpenTo(1, 'ana'), 'offer 1 to ana');
    const deadline = new Date(view.currentOffer?.deadline ?? '');
    const listLink = s.myOffersLink('ana', new Date(deadline.getTime() + minutes(60 * 24)));
    // The list reads the offer rows the worker writes just before it sends the offer email.
    await s.h.mail.waitFor((m) => m.to.includes('ana@leadrelay.test') && m.text.includes(`Lead ${leadId}, offer 1.`));
    const list = await page('GET', listLink);
    expect(list.status).toBe(200);
    expect(list.title).toBe('Open offers for Ana');
    expect(list.text).toContain('Priya Shah — Initech');
    const forms = [
      ...list.html.matchAll(/<form method="post" action="\.\.\/links\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)">/g),
    ].map((m) => m[1]);
    const emailLinks = s.linksFor(leadId, view, 'ana');
    // The page's buttons are the email's own links: one answer, wherever it is given.
    expect(forms).toContain(emailLinks.accept.split('/links/')[1]);
    expect(forms).toContain(emailLinks.decline.split('/links/')[1]);

    const benList = await page('GET', s.myOffersLink('ben', deadline));
    expect(benList.status).toBe(200);
    expect(benList.text).not.toContain('Initech');

    const accepted = await page(
      'POST',
      new URL(`../links/${emailLinks.accept.split('/links/')[1]}`, listLink).toString(),
      {},
    );
    expect(accepted.status).toBe(200);
    expect(accepted.title).toBe('The lead is yours');
    const fromEmail = await page('GET', emailLinks.accept);
    expect(fromEmail.status).toBe(409);
    expect(fromEmail.title).toBe('This link was already used');
    await leadHandle(s.h, leadId).result();
  });
});

test('"my offers" refuses a missing, changed, expired or foreign token', async () => {
  const at = await s.now();
  expect((await page('GET', `${s.baseUrl}/me/offers`)).status).toBe(400);
  const good = s.myOffersLink('ana', new Date(at.getTime() + minutes(60)));
  const changed = good.replace(/token=(.)/, (_, c: string) => `token=${c === 'e' ? 'f' : 'e'}`);
  expect((await page('GET', changed)).status).toBe(403);
  const expired = await page('GET', s.myOffersLink('ana', new Date(at.getTime() - 1)));
  expect(expired.status).toBe(410);
  expect(expired.title).toBe('This link has expired');
  const answerLink = signLink(
    {
      action: 'accept',
      leadId: 'a'.repeat(24),
      offerNumber: 1,
      repId: 'ana',
      expiresAt: new Date(at.getTime() + minutes(60)),
    },
    s.linkSecret,
  );
  const foreign = await page('GET', `${s.baseUrl}/me/offers?token=${answerLink}`);
  expect(foreign.status).toBe(400);
  expect(foreign.text).toContain('this link is for accept, not for my-offers');
});

/** Offer 1 is open and its rep was told, whoever routing chose (earlier tests leave reps with open offers). */
const toldOffer1 = (view: LeadView) =>
  view.currentOffer?.offerNumber === 1 && view.currentOffer.toldAt !== undefined && view.status !== 'notifying';

test('with no worker running, an Accept link still shows the lead within seconds, read from Postgres', async () => {
  const worker = await s.h.createWorker();
  let accept = '';
  await worker.runUntil(async () => {
    const leadId = await s.submitLead(hotLead());
    const view = await waitForLead(s.h, leadId, toldOffer1, 'offer 1 told');
    accept = s.linksFor(leadId, view, view.currentOffer!.repIds[0]!).accept;
  });
  // The worker is gone (a deploy, a crash): the workflow cannot answer a query, and the page does not wait on it.
  const started = Date.now();
  const shown = await page('GET', accept);
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(shown.status).toBe(200);
  expect(shown.title).toBe('Accept this lead?');
  expect(shown.text).toContain('Tier A');
});

test('with no worker running, an accept is answered 503 in bounded time, saying to send it again', async () => {
  let leadId = '';
  let repId = '';
  const worker = await s.h.createWorker();
  await worker.runUntil(async () => {
    leadId = await s.submitLead(hotLead());
    repId = (await waitForLead(s.h, leadId, toldOffer1, 'offer 1 told')).currentOffer!.repIds[0]!;
  });
  // The worker is gone (a deploy, a crash): the answer cannot be taken, and the rep is told so instead of waiting.
  const started = Date.now();
  const res = await fetch(`${s.baseUrl}/v1/offers/${leadId}.1/accept`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await s.h.repToken(repId)}` },
  });
  const body = (await res.json()) as { reason?: string; issues?: Array<{ field: string; message: string }> };
  expect(Date.now() - started).toBeLessThan(40_000);
  expect(res.status).toBe(503);
  expect(body.issues?.[0]).toMatchObject({ field: 'offerId' });
  expect(body.issues?.[0]?.message).toContain('send the same request again');
});
