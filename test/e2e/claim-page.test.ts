// Claiming a lead from the catch-all queue, on the real stack: the alert to the team's shared inbox carries no link
// that acts as anyone, only the claim page's; there the claimer signs in with their own rep token and becomes the
// owner. Keys, strangers and bad tokens claim nothing.
import { createApiKey } from '../../db/credentials';
import { myOffersUrl } from '../../links/offer-links';
import { hotLead } from '../support/directory';
import {
  createHarness,
  leadHandle,
  leadRow,
  offerRows,
  passThroughTheChain,
  submitLead,
  type Harness,
} from '../support/harness';
import { pathOf } from './pages-stack';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

async function claim(leadId: string, offerNumber: number, token: string) {
  const res = await h.api.inject({
    method: 'POST',
    url: `/claim/${leadId}.${offerNumber}`,
    payload: `token=${encodeURIComponent(token)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { status: res.statusCode, body: res.body };
}

test('catch-all: the alert links only to the claim page; the rep who signs in there owns the lead, nobody else can claim', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const lead = hotLead();
    const { body } = await submitLead(h, lead);
    const leadId = body.leadId;
    const parked = await passThroughTheChain(h, leadId);
    expect(parked.currentOffer).toMatchObject({ kind: 'catch-all', offerNumber: 5 });

    // The alert: one link, to the claim page; no signed link that would claim as a rep.
    const alert = await h.mail.waitFor((m) => m.to.includes('sales-ops@leadrelay.test'));
    const links = alert.text.match(/https?:\/\/\S+/g) ?? [];
    expect(links).toEqual([`http://api.test/claim/${leadId}.5`]);
    expect(alert.text).not.toContain('/links/');
    expect(alert.text).not.toMatch(/Claim as/);

    // The page shows who may claim and asks the claimer to sign in; it shows nothing of the person.
    const page = await h.api.inject({ method: 'GET', url: `/claim/${leadId}.5` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Claim this lead?');
    expect(page.body).toContain('name="token"');
    for (const detail of [lead.email, lead.name, 'Acme']) expect(page.body).not.toContain(detail);
    expect((await h.api.inject({ method: 'GET', url: `/claim/${leadId}.4` })).statusCode).toBe(404);
    expect((await h.api.inject({ method: 'GET', url: '/claim/nonsense' })).statusCode).toBe(400);

    // Nobody claims without proving who they are, and nobody claims as someone else.
    expect((await claim(leadId, 5, '')).status).toBe(401);
    expect((await claim(leadId, 5, 'lrr_0000000000000000.' + 'A'.repeat(43))).status).toBe(401);
    const key = (await createApiKey(h.db, { name: 'ops tool', scopes: ['admin'] })).token;
    expect((await claim(leadId, 5, key)).status).toBe(403);
    // Dieter is not on the team nor its escalation chain: not among the claimants.
    const stranger = await claim(leadId, 5, await h.repToken('dieter'));
    expect(stranger.status).toBe(403);
    expect(stranger.body).not.toContain(lead.email);
    expect((await offerRows(h, leadId)).find((o) => o.offer_number === 5)).toMatchObject({ status: 'open' });

    // A claimant may also claim from their own signed "my offers" page: it lists the catch-all offer.
    const mine = myOffersUrl({
      apiUrl: 'http://api.test',
      secret: h.linkSecret,
      repId: 'ana',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const myPage = await h.api.inject({ method: 'GET', url: pathOf(mine) });
    expect(myPage.body).toContain('Claim lead');

    // Ben claims as himself: he is the owner everywhere, and the page shows him the contact details.
    const claimed = await claim(leadId, 5, await h.repToken('ben'));
    expect(claimed.status).toBe(200);
    expect(claimed.body).toContain('You claimed this lead');
    expect(claimed.body).toContain(lead.email);
    expect(await leadHandle(h, leadId).result()).toMatchObject({ status: 'assigned', owner: 'ben' });
    expect(await leadRow(h, leadId)).toMatchObject({ status: 'assigned', owner_rep_id: 'ben' });
    expect((await offerRows(h, leadId)).find((o) => o.offer_number === 5)).toMatchObject({
      status: 'accepted',
      answered_by: 'ben',
    });
    // Too late for Ana: nothing changes, and the page says who owns it.
    const late = await claim(leadId, 5, await h.repToken('ana'));
    expect(late.status).toBe(409);
    expect(late.body).toContain('Ben owns it');
  });
});
