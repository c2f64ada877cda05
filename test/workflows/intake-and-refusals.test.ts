// Time-skipping tests of what must NOT happen: late or foreign answers, duplicate workflows, stale signals,
// spam reaching a rep; and dedupe handing a known contact to its owner.
import {
  createHarness,
  submitLead,
  waitForLead,
  offerOpenTo,
  answer,
  offerRows,
  leadRow,
  decisionKinds,
  leadHandle,
  minutes,
  type Harness,
} from '../support/harness';
import { hotLead } from '../support/directory';
import { exportHistory } from '../support/histories';
import { acceptSignal, declineSignal } from '../../workflows/messages';

type Issues = { issues: Array<{ field: string; message: string }> };

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

test('a late accept after the SLA is refused with 409 and changes nothing', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'));
    await h.env.sleep(minutes(5) + 1_000);
    const moved = await waitForLead(h, body.leadId, offerOpenTo(2, 'ben'));

    const late = await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ana' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ reason: 'StaleOffer' });
    expect(String(late.body.error)).toContain(`offer 1 is closed: it expired at ${moved.offers[0]?.deadline}`);
    // A rejected update writes no history and no row: the lead still waits for ben.
    expect(await waitForLead(h, body.leadId, offerOpenTo(2, 'ben'))).toMatchObject({ owner: null, status: 'offered' });
    expect(await leadRow(h, body.leadId)).toMatchObject({ owner_rep_id: null, status: 'offered' });
    expect((await offerRows(h, body.leadId)).map((o) => o.status)).toEqual(['timed-out', 'open']);

    // The same request retried gets the same answer.
    expect((await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ana' })).status).toBe(409);
    expect((await answer(h, body.leadId, 'accept', { offerNumber: 2, repId: 'ben' })).status).toBe(200);
    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toMatchObject({ owner: 'ben' });
    await exportHistory('late-accept-refused', handle);
  });
});

test('an accept by a rep who was not offered the lead is refused with 403; unknown offers 404', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'));

    expect(await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ben' })).toMatchObject({
      status: 403,
      body: { reason: 'NotOfferedToRep' },
    });
    expect(await answer(h, body.leadId, 'decline', { offerNumber: 1, repId: 'mgr', reason: 'x' })).toMatchObject({
      status: 403,
    });
    expect(await answer(h, body.leadId, 'accept', { offerNumber: 7, repId: 'ana' })).toMatchObject({
      status: 404,
      body: { reason: 'UnknownOffer' },
    });
    expect(await answer(h, 'ffffffffffffffffffffffff', 'accept', { offerNumber: 1, repId: 'ana' })).toMatchObject({
      status: 404,
    });
    expect(await leadRow(h, body.leadId)).toMatchObject({ owner_rep_id: null });

    expect((await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ana' })).status).toBe(200);
    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toMatchObject({ owner: 'ana', offers: 1 });
    // Once closed, a rep who was never offered the lead is still refused, and ana's retried accept gets her answer again.
    expect((await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ben' })).status).toBe(403);
    expect(await answer(h, body.leadId, 'accept', { offerNumber: 1, repId: 'ana' })).toMatchObject({
      status: 200,
      body: { owner: 'ana' },
    });
    await exportHistory('foreign-accept-refused', handle);
  });
});

test('the same lead submitted twice starts one workflow: by Idempotency-Key, and by source + external id', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const lead = hotLead();
    const first = await submitLead(h, lead, { 'idempotency-key': 'form-7f3a' });
    const retry = await submitLead(h, lead, { 'idempotency-key': 'form-7f3a' });
    expect(first).toMatchObject({ status: 202, body: { duplicate: false } });
    expect(retry).toMatchObject({ status: 200, body: { leadId: first.body.leadId, duplicate: true } });

    const partner = hotLead({ source: 'partner-api', externalId: 'P-1001' });
    const a = await submitLead(h, partner, { 'idempotency-key': 'batch-1' });
    const b = await submitLead(h, partner, { 'idempotency-key': 'batch-2' });
    expect(b.body).toEqual({ leadId: a.body.leadId, duplicate: true, merged: false });
    expect(a.body.leadId).not.toBe(first.body.leadId);

    for (const leadId of [first.body.leadId, a.body.leadId]) {
      await waitForLead(h, leadId, offerOpenTo(1, 'ana'));
      const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM leads WHERE id = $1', [leadId]);
      expect(rows[0]?.n).toBe(1);
      // Only one offer email for the lead, though it was submitted twice.
      await h.mail.waitFor((m) => m.messageId === `<${leadId}.1.offer@leadrelay>`);
      expect(h.mail.messages().filter((m) => m.messageId === `<${leadId}.1.offer@leadrelay>`)).toHaveLength(1);
      expect((await answer(h, leadId, 'accept', { offerNumber: 1, repId: 'ana' })).status).toBe(200);
    }
    // Results only now: awaiting one unlocks time skipping, which would expire the other lead's pending offer.
    for (const leadId of [first.body.leadId, a.body.leadId])
      expect(await leadHandle(h, leadId).result()).toMatchObject({ owner: 'ana', offers: 1 });
    // Even after the lead is closed, the key still means the same lead.
    expect(await submitLead(h, lead, { 'idempotency-key': 'form-7f3a' })).toMatchObject({
      status: 200,
      body: { leadId: first.body.leadId, duplicate: true },
    });
    await exportHistory('duplicate-submission', leadHandle(h, first.body.leadId));
  });
});

test('signals: a stale or foreign one is ignored with its reason recorded; a valid one decides', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await submitLead(h, hotLead());
    const handle = leadHandle(h, body.leadId);
    await waitForLead(h, body.leadId, offerOpenTo(1, 'ana'));

    await handle.signal(acceptSignal, { offerNumber: 1, repId: 'mallory' });
    const ignored = await waitForLead(h, body.leadId, (v) => v.ignoredSignals.length === 1, 'the ignored signal');
    expect(ignored.ignoredSignals[0]).toMatchObject({ signal: 'accept', reason: 'offer 1 was not made to mallory' });
    expect(ignored.currentOffer?.offerNumber).toBe(1);

    await handle.signal(declineSignal, { offerNumber: 1, repId: 'ana', reason: 'via CRM' });
    await waitForLead(h, body.leadId, offerOpenTo(2, 'ben'));
    await handle.signal(acceptSignal, { offerNumber: 1, repId: 'ana' });
    await handle.signal(acceptSignal, { offerNumber: 2, repId: 'ben' });

    expect(await handle.result()).toMatchObject({ owner: 'ben', offers: 2 });
    const { rows } = await h.db.query<{ summary: string }>(
      `SELECT summary FROM lead_decisions WHERE lead_id = $1 AND kind = 'ignored-signal' ORDER BY seq`,
      [body.leadId],
    );
    expect(rows.map((r) => r.summary)).toEqual([
      'accept signal from mallory for offer 1 ignored: offer 1 was not made to mallory',
      'accept signal from ana for offer 1 ignored: offer 1 is closed: it was declined by ana',
    ]);
    expect(await offerRows(h, body.leadId)).toMatchObject([
      { status: 'declined', reason: 'via CRM' },
      { status: 'accepted', answered_by: 'ben' },
    ]);
    await exportHistory('signals-stale-ignored', handle);
  });
});

test("dedupe: a known contact's owner gets the first offer, before the team", async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const email = 'returning.buyer@globex.example';
    const first = await submitLead(h, hotLead({ email, company: 'Globex' }));
    await waitForLead(h, first.body.leadId, offerOpenTo(1, 'ana'));
    await answer(h, first.body.leadId, 'decline', { offerNumber: 1, repId: 'ana', reason: 'busy' });
    await waitForLead(h, first.body.leadId, offerOpenTo(2, 'ben'));
    await answer(h, first.body.leadId, 'accept', { offerNumber: 2, repId: 'ben' });
    await leadHandle(h, first.body.leadId).result();

    // The same person writes again, with different case and spacing: ben owns the contact now.
    const again = await submitLead(h, hotLead({ email: `  ${email.toUpperCase()} `, company: 'Globex' }));
    const view = await waitForLead(h, again.body.leadId, offerOpenTo(1, 'ben'), "offer 1 to the contact's owner");
    expect(view.routing).toContain('ben owns the known contact');
    const { rows } = await h.db.query<{ summary: string }>(
      `SELECT summary FROM lead_decisions WHERE lead_id = $1 AND kind = 'matched'`,
      [again.body.leadId],
    );
    expect(rows[0]?.summary).toMatch(/known contact \d+.*ben/);
    await answer(h, again.body.leadId, 'accept', { offerNumber: 1, repId: 'ben' });
    const handle = leadHandle(h, again.body.leadId);
    expect(await handle.result()).toMatchObject({ owner: 'ben', offers: 1 });
    await exportHistory('known-contact-owner-first', handle);
  });
});

test('spam is thrown out with its reason and never offered to anyone', async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const before = h.mail.messages().length;
    const { body } = await submitLead(
      h,
      hotLead({ message: 'We offer SEO services and backlinks to rank your site!' }),
    );
    const handle = leadHandle(h, body.leadId);
    expect(await handle.result()).toEqual({ leadId: body.leadId, status: 'rejected-spam', owner: null, offers: 0 });
    expect(await leadRow(h, body.leadId)).toMatchObject({ status: 'rejected-spam', owner_rep_id: null });
    expect(await offerRows(h, body.leadId)).toEqual([]);
    expect(await decisionKinds(h, body.leadId)).toEqual(['matched', 'qualified']);
    expect(h.mail.messages().length).toBe(before);
    await exportHistory('spam-rejected', handle);
  });
});

test('bad input is answered with 400 naming the field, and starts nothing', async () => {
  const cases: Array<[Record<string, unknown>, Record<string, string>, string]> = [
    [hotLead({ email: 'not-an-email' }), {}, 'email'],
    [hotLead({ source: 'fax' }), {}, 'source'],
    [hotLead({ email: undefined }), {}, 'email'],
    [hotLead({ favouriteColour: 'blue' }), {}, 'favouriteColour'],
    [hotLead(), { 'idempotency-key': ' ' }, 'Idempotency-Key'],
  ];
  const auth = { authorization: `Bearer ${h.intakeToken}` };
  for (const [payload, headers, field] of cases) {
    const res = await h.api.inject({ method: 'POST', url: '/v1/leads', payload, headers: { ...auth, ...headers } });
    expect({ field, status: res.statusCode }).toEqual({ field, status: 400 });
    expect(res.json<Issues>().issues.map((i) => i.field)).toContain(field);
  }
  const { rows } = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM leads WHERE email = 'not-an-email'`);
  expect(rows[0]?.n).toBe(0);
  const notJson = await h.api.inject({
    method: 'POST',
    url: '/v1/leads',
    payload: '{"name":',
    headers: { ...auth, 'content-type': 'application/json' },
  });
  expect(notJson.statusCode).toBe(400);
  const decline = await h.api.inject({
    method: 'POST',
    url: '/v1/offers/ffffffffffffffffffffffff.1/decline',
    payload: {},
    headers: { authorization: `Bearer ${await h.repToken('ana')}` },
  });
  expect(decline.statusCode).toBe(400);
  expect(decline.json<Issues>().issues[0]?.field).toBe('reason');
});
