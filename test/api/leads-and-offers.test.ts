// Intake, a lead's state and timeline, and a rep's offers, through the HTTP API on the real stack (time-skipping
// Temporal with the lead worker, Postgres, SMTP): success and every refusal, and who may see or act on what.
import { createHarness, leadHandle, waitForLead, type Harness } from '../support/harness';
import { createApiKey } from '../../db/credentials';
import type { LeadView } from '../../workflows/messages';
import { call, createTestCredentials, fieldsOf, type TestCredentials } from './credentials-support';
import { historyText } from '../support/history-text';
import { AesGcmCodec } from '../../codec/aes-gcm-codec';

let h: Harness;
let creds: TestCredentials;
beforeAll(async () => {
  h = await createHarness();
  creds = await createTestCredentials(h);
});
afterAll(async () => {
  await h?.teardown();
});

let serial = 0;
/** A hot cloud-migration inquiry from a business address, unique per call. */
function webForm(overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    name: 'Priya Shah',
    email: `priya.${serial}.${Date.now().toString(36)}@acme-corp.example`,
    company: 'Acme Corp',
    message: 'We must migrate our data centre to AWS ASAP; budget around $250k. Can someone call me today?',
    ...overrides,
  };
}

const post = (token: string | null, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  call(h, token, { method: 'POST', url, payload: payload as Record<string, unknown>, headers });
const get = (token: string | null, url: string) => call(h, token, { method: 'GET', url });

/** The rep the first offer went to, and the other cloud rep (who was not offered it). */
async function firstOffer(leadId: string): Promise<{ view: LeadView; offered: 'ana' | 'ben'; other: 'ana' | 'ben' }> {
  // Told: the offer's email was taken by the mail server, and its deadline runs.
  const view = await waitForLead(h, leadId, (v) => v.currentOffer?.toldAt !== undefined, 'the first offer').catch(
    async (err: Error) => {
      // Say why: an activity that keeps failing (it retries, so only its pending state knows).
      const pending = (await leadHandle(h, leadId).describe()).raw.pendingActivities ?? [];
      const failures = pending.map((p) => `${p.activityType?.name}: ${p.lastFailure?.message ?? 'no failure yet'}`);
      throw new Error(`${err.message}${failures.length ? `; pending activities: ${failures.join('; ')}` : ''}`);
    },
  );
  const offered = view.currentOffer?.repIds[0];
  if (offered !== 'ana' && offered !== 'ben')
    throw new Error(`expected a cloud rep, got ${JSON.stringify(view.currentOffer)}`);
  await offerRecorded(leadId, 1);
  return { view, offered, other: offered === 'ana' ? 'ben' : 'ana' };
}

/** The workflow shows an offer as it opens it; the offer's row (what "my offers" lists) follows with its email. */
async function offerRecorded(leadId: string, offerNumber: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await h.db.query('SELECT 1 FROM lead_offers WHERE lead_id = $1 AND offer_number = $2', [
      leadId,
      offerNumber,
    ]);
    if (rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`offer ${offerNumber} of lead ${leadId} never reached lead_offers`);
}

test('web form intake: 202 with Location and the lead id; the same Idempotency-Key answers 200 with the same lead; keys scope idempotency', async () => {
  const form = webForm();
  const first = await post(creds.intake, '/v1/leads/web-form', form, { 'idempotency-key': 'form-42' });
  expect(first.status).toBe(202);
  const leadId = first.body.leadId as string;
  expect(leadId).toMatch(/^[a-f0-9]{24}$/);
  expect(first.headers.location).toBe(`/v1/leads/${leadId}`);
  expect(first.body).toEqual({ leadId, duplicate: false, merged: false });
  expect((await leadHandle(h, leadId).describe()).status.name).toBe('RUNNING');

  const retry = await post(creds.intake, '/v1/leads/web-form', form, { 'idempotency-key': 'form-42' });
  expect(retry).toMatchObject({ status: 200, body: { leadId, duplicate: true } });
  expect(retry.headers.location).toBe(`/v1/leads/${leadId}`);
  // Another client's `form-42` is its own submission, not this one.
  const otherClient = (await createApiKey(h.db, { name: 'other site', scopes: ['leads:write'] })).token;
  const theirs = await post(otherClient, '/v1/leads/web-form', webForm(), { 'idempotency-key': 'form-42' });
  expect(theirs.status).toBe(202);
  expect(theirs.body.leadId).not.toBe(leadId);

  // A half-filled form is fine as long as the person can be reached.
  expect(
    (await post(creds.intake, '/v1/leads/web-form', { phone: '+44 20 7946 0958', message: 'call me' })).status,
  ).toBe(202);
  const unreachable = await post(creds.intake, '/v1/leads/web-form', { name: 'Nobody', message: 'hello' });
  expect(unreachable.status).toBe(400);
  expect(fieldsOf(unreachable.body)).toContain('email');
  const unknown = await post(creds.intake, '/v1/leads/web-form', webForm({ favouriteColour: 'blue' }));
  expect(unknown).toMatchObject({ status: 400, body: { issues: [{ field: 'favouriteColour' }] } });
  expect(fieldsOf((await post(creds.intake, '/v1/leads/web-form', webForm(), { 'idempotency-key': '' })).body)).toEqual(
    ['Idempotency-Key'],
  );
  expect((await post(null, '/v1/leads/web-form', webForm())).status).toBe(401);
  expect((await post(creds.partner, '/v1/leads/web-form', webForm())).status).toBe(403);
  expect((await post(creds.reps.ana, '/v1/leads/web-form', webForm())).status).toBe(403);

  // The original route still takes the original shape, as a web form from the given source.
  const legacy = await post(creds.intake, '/v1/leads', { ...webForm(), source: 'chat', externalId: 'crm-7' });
  expect(legacy.status).toBe(202);
  expect((await post(creds.intake, '/v1/leads', { ...webForm(), source: 'fax' })).body.issues?.[0]).toMatchObject({
    field: 'source',
  });
  const { rows } = await h.db.query<{ source: string }>('SELECT source FROM lead_submissions WHERE lead_id = $1', [
    legacy.body.leadId,
  ]);
  expect(rows).toEqual([{ source: 'chat' }]);
});

test("chat intake: contact details found in the visitor's lines; a chat with none is refused naming transcript; a chat after the form joins the lead", async () => {
  const email = `lena.${Date.now().toString(36)}@bergmann-logistik.example`;
  const form = await post(creds.intake, '/v1/leads/web-form', {
    name: 'Lena Berg',
    email,
    message: 'Interested in a cloud migration for our ERP.',
  });
  expect(form.status).toBe(202);

  const chat = await post(creds.intake, '/v1/leads/chat', {
    transcript: [
      { from: 'bot', text: 'Hi! How can we help?' },
      {
        from: 'visitor',
        text: `Following up on my form, we need to move the ERP to Azure this month. Reach me at ${email}`,
      },
      { from: 'agent', text: 'Thanks, a specialist will call you.' },
    ],
  });
  expect(chat.status).toBe(202);
  // The same person within the merge window: one lead, which now knows both submissions.
  expect(chat.body).toEqual({ leadId: form.body.leadId, duplicate: false, merged: true });

  const silent = await post(creds.intake, '/v1/leads/chat', {
    transcript: [{ from: 'visitor', text: 'just browsing, what do you charge?' }],
  });
  expect(silent.status).toBe(400);
  expect(fieldsOf(silent.body)).toEqual(['transcript']);
  const empty = await post(creds.intake, '/v1/leads/chat', { transcript: [] });
  expect(fieldsOf(empty.body)).toEqual(['transcript']);
  const speaker = await post(creds.intake, '/v1/leads/chat', { transcript: [{ from: 'robot', text: 'beep' }] });
  expect(fieldsOf(speaker.body)).toEqual(['transcript.0.from']);
});

test('partner batch: each lead gets its own result; 202 when any is accepted, 400 with the results when none is; externalId makes retries safe', async () => {
  const tag = Date.now().toString(36);
  const batch = {
    leads: [
      {
        externalId: `P-${tag}-1`,
        name: 'Ola Nordmann',
        email: `ola.${tag}@fjord-energy.example`,
        company: 'Fjord Energy',
        message: 'Need a security audit before our SOC 2.',
      },
      { externalId: `P-${tag}-2`, name: 'Bad Email', email: 'not an address' },
      { name: 'No Id', email: `noid.${tag}@example.com` },
      { externalId: `P-${tag}-4`, phone: '+34 912 345 678', country: 'España', message: 'Queremos migrar a la nube' },
    ],
  };
  const res = await post(creds.partner, '/v1/leads/partner', batch);
  expect(res.status).toBe(202);
  const results = res.body.results as Array<{
    index: number;
    status: number;
    leadId?: string;
    location?: string;
    issues?: Array<{ field: string }>;
  }>;
  expect(res.body).toMatchObject({ accepted: 2, refused: 2 });
  expect(results.map((r) => [r.index, r.status])).toEqual([
    [0, 202],
    [1, 400],
    [2, 400],
    [3, 202],
  ]);
  expect(results[0]?.location).toBe(`/v1/leads/${results[0]?.leadId}`);
  expect(results[1]?.issues?.map((i) => i.field)).toEqual(['leads.1.email']);
  expect(results[2]?.issues?.map((i) => i.field)).toEqual(['leads.2.externalId']);

  // The whole batch again (a retry after a timeout): the accepted leads answer 200 with the same ids.
  const again = await post(creds.partner, '/v1/leads/partner', batch);
  const repeated = again.body.results as Array<{ status: number; leadId?: string; duplicate?: boolean }>;
  expect(repeated[0]).toMatchObject({ status: 200, leadId: results[0]?.leadId, duplicate: true });
  expect(repeated[3]).toMatchObject({ status: 200, leadId: results[3]?.leadId, duplicate: true });

  const allBad = await post(creds.partner, '/v1/leads/partner', {
    leads: [{ externalId: 'x' }, { email: 'a@b.example' }],
  });
  expect(allBad.status).toBe(400);
  expect(fieldsOf(allBad.body)).toEqual(['leads.0.email', 'leads.1.externalId']);
  expect((allBad.body.results as unknown[]).length).toBe(2);
  expect(fieldsOf((await post(creds.partner, '/v1/leads/partner', { lead: [] })).body)).toEqual(['leads', 'lead']);
  expect(
    fieldsOf((await post(creds.partner, '/v1/leads/partner', { leads: Array.from({ length: 101 }, () => ({})) })).body),
  ).toEqual(['leads']);
  expect((await post(creds.intake, '/v1/leads/partner', batch)).status).toBe(403);
});

test("a lead's state and timeline: status, offer, deadline and explanation for its intake client; the person only for those who may see it", async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const form = webForm();
    const { body } = await post(creds.intake, '/v1/leads/web-form', form);
    const leadId = body.leadId as string;
    const { offered, other } = await firstOffer(leadId);

    const status = await get(creds.intake, `/v1/leads/${leadId}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      leadId,
      status: 'offered',
      closed: false,
      owner: null,
      teamId: 'cloud',
      escalationLevel: 0,
      currentOffer: { offerId: `${leadId}.1`, repIds: [offered], outcome: 'open' },
    });
    expect(Date.parse(status.body.slaDeadline as string)).toBeGreaterThan(
      Date.parse((status.body.currentOffer as { offeredAt: string }).offeredAt),
    );
    expect((status.body.explanation as { routing: string }).routing).toMatch(/team Cloud/);
    expect((status.body.explanation as { qualification: { tier: string } }).qualification.tier).toBe('A');
    expect((status.body.explanation as { decision: unknown }).decision).toMatchObject({
      policyVersion: 1,
      candidates: [offered, other],
      excluded: [{ repId: 'cleo', reason: 'away' }],
    });
    // An intake key (leads:write) follows its lead, but the person's details are not for it, nor the explanation's
    // words that quote them (the company, the email domain): only its structure.
    expect(status.body).not.toHaveProperty('person');
    for (const quoted of [form.email, form.email.split('@')[1] as string, 'Acme', 'Priya'])
      expect({ quoted, leaks: JSON.stringify(status.body).includes(quoted) }).toEqual({ quoted, leaks: false });

    // Object-level authorisation: a key that did not submit the lead gets the answer a missing lead gets, the
    // partner key and another intake key alike; the reader key (leads:read) sees the person.
    const missing = await get(creds.reader, '/v1/leads/0123456789abcdef01234567');
    const otherIntake = (await createApiKey(h.db, { name: 'another website', scopes: ['leads:write'] })).token;
    for (const stranger of [creds.partner, otherIntake]) {
      const refused = await get(stranger, `/v1/leads/${leadId}`);
      expect(refused).toMatchObject({ status: 404, body: { issues: [{ field: 'id' }] } });
      expect(refused.body.error).toBe((missing.body.error as string).replace('0123456789abcdef01234567', leadId));
      expect(JSON.stringify(refused.body)).not.toContain(form.email);
    }
    // The partner key reads the leads of its own batch, and only those.
    const batch = await post(creds.partner, '/v1/leads/partner', {
      leads: [{ externalId: `own-${leadId}`, ...webForm() }],
    });
    const ownLocation = (batch.body.results as Array<{ location: string }>)[0]?.location as string;
    const own = await get(creds.partner, ownLocation);
    expect(own.status).toBe(200);
    expect(own.body).not.toHaveProperty('person');
    expect((await get(creds.intake, ownLocation)).status).toBe(404);

    for (const token of [creds.reader, creds.admin, creds.reps[offered]]) {
      const full = await get(token, `/v1/leads/${leadId}`);
      expect(full.body.person).toMatchObject({ name: 'Priya Shah', email: form.email, company: 'Acme Corp' });
    }
    const stranger = await get(creds.reps[other], `/v1/leads/${leadId}`);
    expect(stranger).toMatchObject({ status: 403, body: { issues: [{ field: 'id' }] } });
    expect(JSON.stringify(stranger.body)).not.toContain(form.email);

    // The offer's row is written as it opens; its timeline event comes with the decision the workflow records next.
    let timeline = await get(creds.reader, `/v1/leads/${leadId}/timeline`);
    for (
      let i = 0;
      i < 200 &&
      timeline.status === 200 &&
      !(timeline.body.events as Array<{ kind: string }>).some((e) => e.kind === 'offered');
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      timeline = await get(creds.reader, `/v1/leads/${leadId}/timeline`);
    }
    expect(timeline.status).toBe(200);
    const events = timeline.body.events as Array<{ kind: string; at: string; seq: number }>;
    expect(events[0]?.kind).toBe('received');
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['received', 'routed', 'offered']));
    const order = events.map((e) => [Date.parse(e.at), e.seq] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect((await get(creds.reps[offered], `/v1/leads/${leadId}/timeline`)).status).toBe(200);
    expect((await get(creds.reps[other], `/v1/leads/${leadId}/timeline`)).status).toBe(403);
    expect((await get(creds.intake, `/v1/leads/${leadId}/timeline`)).status).toBe(403);
    expect((await get(creds.reader, '/v1/leads/0123456789abcdef01234567/timeline')).status).toBe(404);

    // Closed: the answer comes from Postgres, with the same shape.
    expect((await post(creds.reps[offered], `/v1/offers/${leadId}.1/accept`, {})).status).toBe(200);
    expect(await leadHandle(h, leadId).result()).toMatchObject({ owner: offered });
    const closed = await get(creds.reader, `/v1/leads/${leadId}`);
    expect(closed.body).toMatchObject({
      status: 'assigned',
      closed: true,
      owner: offered,
      currentOffer: null,
      offers: [{ offerId: `${leadId}.1`, outcome: 'accepted', answeredBy: offered }],
      person: { email: form.email },
    });
    expect((await get(creds.reps[other], `/v1/leads/${leadId}`)).status).toBe(403);
    expect((await get(creds.reader, `/v1/leads/${leadId}/timeline`)).body.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'accepted', repId: offered })]),
    );
  });
});

test('an accept needs no body: none at all or an empty JSON body reaches the offer; a decline still needs its reason', async () => {
  const url = '/v1/offers/0123456789abcdef01234567.1';
  const answers = [
    await call(h, creds.reps.ana, { method: 'POST', url: `${url}/accept` }),
    await call(h, creds.reps.ana, {
      method: 'POST',
      url: `${url}/accept`,
      headers: { 'content-type': 'application/json' },
      payload: '',
    }),
    await call(h, creds.reps.ana, { method: 'POST', url: `${url}/accept`, payload: {} }),
  ];
  // No such lead: the answer got past the body to the offer itself.
  expect(answers.map((a) => ({ status: a.status, reason: a.body.reason }))).toEqual([
    { status: 404, reason: 'UnknownOffer' },
    { status: 404, reason: 'UnknownOffer' },
    { status: 404, reason: 'UnknownOffer' },
  ]);
  const bare = await call(h, creds.reps.ana, { method: 'POST', url: `${url}/decline` });
  expect(bare).toMatchObject({ status: 400, body: { issues: [{ field: 'body' }] } });
  const empty = await call(h, creds.reps.ana, {
    method: 'POST',
    url: `${url}/decline`,
    headers: { 'content-type': 'application/json' },
    payload: '',
  });
  expect(empty).toMatchObject({ status: 400, body: { issues: [{ field: 'body' }] } });
  expect(
    fieldsOf((await call(h, creds.reps.ana, { method: 'POST', url: `${url}/accept`, payload: { x: 1 } })).body),
  ).toEqual(['x']);
});

test("rep routes: my offers; accept and decline act as the token's rep only; 403 for another rep's offer, 409 stale, 404 unknown; retries get the same answer", async () => {
  const worker = await h.createWorker();
  await worker.runUntil(async () => {
    const { body } = await post(creds.intake, '/v1/leads/web-form', webForm());
    const leadId = body.leadId as string;
    const { offered, other } = await firstOffer(leadId);
    const offerId = `${leadId}.1`;

    const mine = await get(creds.reps[offered], '/v1/me/offers');
    expect(mine.body.repId).toBe(offered);
    const listed = (
      mine.body.offers as Array<{ offerId: string; lead: { company: string }; accept: string; deadline: string }>
    ).find((o) => o.offerId === offerId);
    expect(listed).toMatchObject({ lead: { company: 'Acme Corp' }, accept: `/v1/offers/${offerId}/accept` });
    expect((await get(creds.reps[other], '/v1/me/offers')).body.offers).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ offerId })]),
    );

    // Another rep cannot act on it, whatever they write in the body.
    const foreign = await post(creds.reps[other], `/v1/offers/${offerId}/accept`, {});
    expect(foreign).toMatchObject({ status: 403, body: { reason: 'NotOfferedToRep', issues: [{ field: 'offerId' }] } });
    expect((await post(creds.reps[other], `/v1/offers/${offerId}/decline`, { reason: 'not mine' })).status).toBe(403);
    const impersonation = await post(creds.reps[other], `/v1/offers/${offerId}/accept`, { repId: offered });
    expect(impersonation).toMatchObject({
      status: 400,
      body: { issues: [{ field: 'repId', message: 'unknown field repId' }] },
    });
    expect((await post(creds.intake, `/v1/offers/${offerId}/accept`, {})).status).toBe(403);

    expect(fieldsOf((await post(creds.reps[offered], `/v1/offers/${offerId}/decline`, {})).body)).toEqual(['reason']);
    expect(
      fieldsOf((await post(creds.reps[offered], `/v1/offers/${offerId}/decline`, { reason: '   ' })).body),
    ).toEqual(['reason']);
    expect(fieldsOf((await post(creds.reps[offered], `/v1/offers/${leadId}/accept`, {})).body)).toEqual(['offerId']);
    expect(await post(creds.reps[offered], `/v1/offers/${leadId}.9/accept`, {})).toMatchObject({
      status: 404,
      body: { reason: 'UnknownOffer' },
    });
    expect((await post(creds.reps[offered], '/v1/offers/0123456789abcdef01234567.1/accept', {})).status).toBe(404);

    // Declined with a reason: the other rep is offered the lead next, and it leaves the first rep's list.
    const declined = await post(creds.reps[offered], `/v1/offers/${offerId}/decline`, {
      reason: 'on a customer visit all day',
    });
    expect(declined).toMatchObject({ status: 200, body: { leadId, offerId, offerNumber: 1 } });
    expect(
      (await post(creds.reps[offered], `/v1/offers/${offerId}/decline`, { reason: 'on a customer visit all day' }))
        .status,
    ).toBe(200);
    const second = await waitForLead(h, leadId, (v) => v.currentOffer?.offerNumber === 2, 'the second offer');
    expect(second.currentOffer?.repIds).toEqual([other]);
    await offerRecorded(leadId, 2);
    expect((await get(creds.reps[offered], '/v1/me/offers')).body.offers).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ leadId })]),
    );
    expect((await get(creds.reps[other], '/v1/me/offers')).body.offers).toEqual(
      expect.arrayContaining([expect.objectContaining({ offerId: `${leadId}.2` })]),
    );

    // The first offer is closed now: too late to accept it.
    const stale = await post(creds.reps[offered], `/v1/offers/${offerId}/accept`, {});
    expect(stale).toMatchObject({ status: 409, body: { reason: 'StaleOffer', issues: [{ field: 'offerId' }] } });

    // As the README shows it: no body, no content-type.
    const accepted = await call(h, creds.reps[other], { method: 'POST', url: `/v1/offers/${leadId}.2/accept` });
    expect(accepted).toEqual({
      status: 200,
      body: { leadId, offerId: `${leadId}.2`, owner: other, offerNumber: 2 },
      headers: accepted.headers,
    });
    expect(await leadHandle(h, leadId).result()).toMatchObject({ owner: other, offers: 2 });
    // A retry after the lead closed gets the same answer; anyone else a clear refusal.
    expect((await post(creds.reps[other], `/v1/offers/${leadId}.2/accept`, {})).body).toMatchObject({ owner: other });
    // An empty body sent as JSON is no body either.
    const emptyJson = await call(h, creds.reps[other], {
      method: 'POST',
      url: `/v1/offers/${leadId}.2/accept`,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(emptyJson).toMatchObject({ status: 200, body: { owner: other, offerNumber: 2 } });
    const late = await post(creds.reps[offered], `/v1/offers/${offerId}/accept`, {});
    expect(late).toMatchObject({ status: 409, body: { reason: 'LeadClosed' } });
    expect(late.body.error).toContain(`owned by ${other}`);
    expect((await post(creds.reps.mgr, `/v1/offers/${leadId}.2/accept`, {})).status).toBe(403);

    // The workflow's history is readable in the Web UI (by a manager, through the codec): no credential may be in
    // it. Every payload is opened, so the search sees what the Web UI shows.
    const history = await historyText(await leadHandle(h, leadId).fetchHistory(), new AesGcmCodec(h.codecKeys ?? []));
    expect(history).toContain(`"repId":"${other}"`);
    for (const token of [creds.intake, creds.reps.ana, creds.reps.ben])
      expect(history).not.toContain(token.split('.')[1]);
    expect(history).not.toMatch(/lr[kr]_[0-9a-f]{16}/);
  });
});
